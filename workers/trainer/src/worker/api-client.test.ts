// The worker protocol client against a real HTTP server on 127.0.0.1.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerApiClient, blobPath } from './api-client.js';
import { HttpError } from './retry.js';
import { startFakeApi, type FakeApi } from './test-server.js';

const fast = { maxWaitMs: 5000, baseDelayMs: 5, maxDelayMs: 50 };
let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function clientFor(
  a: { url: string; runId: string; token: string },
  retry = fast,
  log?: (l: string) => void,
) {
  return new WorkerApiClient({
    apiUrl: a.url,
    runId: a.runId,
    token: a.token,
    retry,
    ...(log ? { log } : {}),
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

describe('WorkerApiClient', () => {
  it('sends the bearer token and retries 5xx, 429 and dropped connections until the API answers', async () => {
    api = await startFakeApi();
    const lines: string[] = [];
    const client = clientFor(api, fast, (l) => lines.push(l));
    api.fail(2, 503);
    api.fail(1, 429);
    api.fail(1, 'drop');
    await client.metrics([{ step: 1, name: 'loss', value: 2.5 }]);
    expect(api.metrics).toEqual([{ step: 1, name: 'loss', value: 2.5 }]);
    expect(api.requests).toHaveLength(5);
    expect(
      api.requests.every((r) => r.method === 'POST' && r.path === '/v1/worker/runs/run-1/metrics'),
    ).toBe(true);
    expect(api.requests.at(-1)?.authorization).toBe('Bearer rt_test');
    expect(lines[0]).toMatch(
      /^api: POST \/metrics failed \(POST \/metrics → 503 Service Unavailable: injected 503\); retrying in/,
    );
    expect(lines.join('\n')).not.toContain('rt_test');
  });

  it('waits for an API that is not up yet (connection refused)', async () => {
    const port = await freePort();
    const client = clientFor({
      url: `http://127.0.0.1:${port}/`,
      runId: 'run-1',
      token: 'rt_test',
    });
    const answer = client.heartbeat({ attempt: 1, step: 3, deviceSeconds: 1.5 });
    await new Promise((r) => setTimeout(r, 150));
    api = await startFakeApi({ port });
    api.heartbeatAnswer = { stop: true, reason: 'canceled' };
    await expect(answer).resolves.toEqual({ stop: true, reason: 'canceled' });
    expect(api.heartbeats).toEqual([{ attempt: 1, step: 3, deviceSeconds: 1.5 }]);
  });

  it('gives up after the bounded wait with a clear error', async () => {
    api = await startFakeApi();
    api.fail(1000, 502);
    const client = clientFor(api, { maxWaitMs: 200, baseDelayMs: 10, maxDelayMs: 40 });
    const t0 = Date.now();
    await expect(client.events([{ type: 'log', message: 'hi' }])).rejects.toThrow(
      /^POST \/events: the API did not answer for \ds \(\d+ tries\): POST \/events → 502 Bad Gateway: injected 502$/,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('does not retry other 4xx answers, and says what the API said', async () => {
    api = await startFakeApi();
    const client = clientFor({ ...api, token: 'wrong' });
    await expect(client.assignment()).rejects.toThrow(
      'GET /assignment → 401 Unauthorized: bad run token',
    );
    expect(api.requests).toHaveLength(1);
  });

  it("keeps the problem's type, so the worker can tell a canceled run from other conflicts", async () => {
    api = await startFakeApi();
    api.fail(1, 409);
    const err = await clientFor(api)
      .metrics([{ step: 1, name: 'loss', value: 1 }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 409, problemType: 'injected-409' });
  });

  it('checks bodies against the contract before sending, and answers when they come back', async () => {
    api = await startFakeApi();
    const client = clientFor(api);
    await expect(client.started({ attempt: 0, backend: 'cpu', device: 'cpu' })).rejects.toThrow(
      /refusing to send an invalid started body: attempt:/,
    );
    await expect(client.metrics([])).rejects.toThrow(/invalid metrics body: points:/);
    expect(api.requests).toHaveLength(0);
    api.assignment = { runId: 'run-1', attempt: 1, heartbeatSeconds: 0 } as never; // not a valid assignment
    await expect(client.assignment()).rejects.toThrow(
      /unexpected answer to GET assignment: spec: .*heartbeatSeconds/,
    );
  });

  it('speaks every endpoint of the protocol', async () => {
    api = await startFakeApi();
    const client = clientFor(api);
    await client.started({ attempt: 2, backend: 'wasm-native', device: 'cpu' });
    await expect(
      client.checkpoint({
        step: 10,
        key: 'checkpoints/00000010',
        sizeBytes: 5,
        architecture: { preset: 'tiny' },
      }),
    ).resolves.toEqual({ id: 'ck-1' });
    const metrics = { zeroShot: { top1: 0.5, top5: 0.9, n: 10 } };
    await expect(
      client.evaluation({ step: 10, evalSet: 'shapes', metrics, elapsedSeconds: 3 }),
    ).resolves.toEqual({ id: '1' });
    await client.finished({
      status: 'succeeded',
      stopReason: 'max_steps',
      steps: 10,
      deviceSeconds: 4,
    });
    expect(api.started).toEqual([{ attempt: 2, backend: 'wasm-native', device: 'cpu' }]);
    expect(api.finished).toEqual([
      { status: 'succeeded', stopReason: 'max_steps', steps: 10, deviceSeconds: 4 },
    ]);
    expect(client.blobsUri).toBe(`${api.url}/v1/worker/runs/run-1/blobs`);
  });

  it('encodes blob keys segment by segment and refuses keys that leave the run', () => {
    expect(blobPath('checkpoints/00000010/weights.bin')).toBe('checkpoints/00000010/weights.bin');
    expect(blobPath('a b/c?d#e')).toBe('a%20b/c%3Fd%23e');
    for (const bad of ['', '/abs', 'a/../b', 'a//b', './a'])
      expect(() => blobPath(bad)).toThrow(/invalid blob key/);
  });
});
