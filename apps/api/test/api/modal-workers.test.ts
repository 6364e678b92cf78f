// What the API gives and takes from Modal workers: the sandbox spec of a real run's first
// attempt (its time limit becomes the sandbox's lifetime), and a sandbox's output stored as the
// run's log, readable through the events route by its team only.
import { buildSandboxSpec, TIMEOUT_GRACE_MS } from '@curio/dispatch';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { createOutputRecorder } from '../../src/services/worker-output.js';
import { bootstrapTeam, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

describe('Modal workers', () => {
  pgTest(
    "a run's sandbox: the run's GPU, time limit, environment and token secret",
    async ({ db }) => {
      const api = await testApi(db, { publicUrl: 'https://curio.example.org' });
      const team = await bootstrapTeam(api, 'Team A');
      const cat = await createCatalog(api, team.key, { stop: { maxSteps: 10, maxMinutes: 30 } });
      const run = await api.json('POST', '/v1/runs', 201, {
        key: team.key,
        json: { experimentId: cat.experimentId, device: 'nvidia-t4' },
      });
      const request = (await beginAttempt(api.ctx, run.id))!;
      expect(request).toMatchObject({ runId: run.id, attempt: 1, timeLimitSeconds: 1800 });
      const spec = buildSandboxSpec(request, { image: 'ghcr.io/acme/curio-worker:1' });
      expect(spec.image).toBe('ghcr.io/acme/curio-worker:1');
      expect(spec.secretEnv).toEqual({ CURIO_RUN_TOKEN: request.token });
      expect(spec.params).toMatchObject({
        gpu: 'T4',
        timeoutMs: 1800 * 1000 + TIMEOUT_GRACE_MS,
        env: {
          CURIO_API_URL: 'https://curio.example.org',
          CURIO_RUN_ID: run.id,
          CURIO_DEVICE: 'nvidia-t4',
          CURIO_TF_BACKEND: 'tfjs-node-gpu',
        },
      });
      expect(JSON.stringify(spec.params)).not.toContain(request.token);
      await api.cleanup();
    },
  );

  pgTest(
    "a sandbox's output becomes the run's log, in order, for its team only",
    async ({ db }) => {
      const lost: string[] = [];
      const api = await testApi(db, { log: (line) => lost.push(line) });
      const a = await bootstrapTeam(api, 'Team A');
      const b = await bootstrapTeam(api, 'Team B');
      const cat = await createCatalog(api, a.key);
      const run = await api.json('POST', '/v1/runs', 201, {
        key: a.key,
        json: { experimentId: cat.experimentId },
      });
      const recorder = createOutputRecorder(api.ctx);
      const from = { runId: run.id, attempt: 1, workerId: 'sb-1' };
      recorder.record({ ...from, stream: 'stdout', lines: ['worker: assignment', 'step 1'] });
      recorder.record({ ...from, stream: 'stderr', lines: ['E cuda: libcudnn.so.8 not found'] });
      recorder.record({ ...from, stream: 'stdout', lines: [] });
      recorder.record({ ...from, runId: 'run_missing', stream: 'stdout', lines: ['orphan'] });
      await recorder.flushed();

      const page = await api.json('GET', `/v1/runs/${run.id}/events?type=log`, 200, { key: a.key });
      const output = page.items.filter(
        (e: { data: { kind?: string } }) => e.data?.kind === 'output',
      );
      expect(output.map((e: { message: string }) => e.message)).toEqual([
        'worker: assignment',
        'step 1',
        'E cuda: libcudnn.so.8 not found',
      ]);
      expect(output[2].data).toEqual({
        kind: 'output',
        stream: 'stderr',
        attempt: 1,
        workerId: 'sb-1',
      });
      expect(lost).toEqual([
        expect.stringMatching(/run_missing: 1 line\(s\) of worker stdout lost/),
      ]);
      await api
        .call('GET', `/v1/runs/${run.id}/events`, { key: b.key })
        .then((res) => expect(res.status).toBe(404));
      await api.cleanup();
    },
  );
});
