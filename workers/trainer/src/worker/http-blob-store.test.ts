// The BlobStore over the API's blob endpoints, against a real HTTP server.
import { afterEach, describe, expect, it } from 'vitest';
import {
  latestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointState,
} from '../checkpoint/checkpoint.js';
import { WorkerApiClient } from './api-client.js';
import { HttpBlobStore, HttpInitSource } from './http-blob-store.js';
import { startFakeApi, type FakeApi } from './test-server.js';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

let client: WorkerApiClient | undefined;
async function store(discardWrites?: () => boolean) {
  api = await startFakeApi();
  client = new WorkerApiClient({
    apiUrl: api.url,
    runId: api.runId,
    token: api.token,
    retry: { maxWaitMs: 2000, baseDelayMs: 5, maxDelayMs: 20 },
  });
  return new HttpBlobStore(client, discardWrites ? { discardWrites } : {});
}

describe('HttpBlobStore', () => {
  it('puts, gets, lists and checks blobs through the API', async () => {
    const s = await store();
    expect(s.uri).toBe(`${api!.url}/v1/worker/runs/run-1/blobs`);
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    await s.put('checkpoints/00000002/weights.bin', bytes);
    await s.put('checkpoints/00000001/state.json', new TextEncoder().encode('{}'));
    await s.put('odd names/a b+c.txt', new Uint8Array([1, 2, 3]));
    expect(Buffer.from(await s.get('checkpoints/00000002/weights.bin')).equals(bytes)).toBe(true);
    expect(await s.get('odd names/a b+c.txt')).toEqual(new Uint8Array([1, 2, 3]));
    expect(api!.blobs.has('odd names/a b+c.txt')).toBe(true);
    expect(await s.list('checkpoints/')).toEqual([
      'checkpoints/00000001/state.json',
      'checkpoints/00000002/weights.bin',
    ]);
    expect(await s.exists('checkpoints/00000001/state.json')).toBe(true);
    expect(await s.exists('checkpoints/00000001')).toBe(false); // a folder is not a blob
    await expect(s.get('checkpoints/00000009/state.json')).rejects.toThrow(
      `blob not found: ${s.uri}/checkpoints/00000009/state.json`,
    );
  });

  it('retries a transfer the API drops', async () => {
    const s = await store();
    await s.put('k', new Uint8Array([7]));
    api!.fail(1, 'drop', /blobs\/k$/);
    api!.fail(1, 503, /blobs\/k$/);
    expect(await s.get('k')).toEqual(new Uint8Array([7]));
  });

  it('round-trips a whole checkpoint, as a resumed attempt reads it back', async () => {
    const s = await store();
    const state = {
      step: 4,
      modelConfig: { preset: 'x' },
      data: { mode: 'offline', keptIds: ['a'] },
      elapsedSeconds: 2,
    } as unknown as CheckpointState;
    const weights = new Map([['w', new Float32Array([1, 2, 3])]]);
    const info = await saveCheckpoint(s, {
      state,
      weights,
      optimizer: { m: new Float32Array([0.5]) },
      tokenizer: { vocab: ['a'] },
    });
    expect(await latestCheckpoint(s)).toBe(info.key);
    const back = await loadCheckpoint(s, info.key);
    expect(back.state.step).toBe(4);
    expect([...back.weights.get('w')!]).toEqual([1, 2, 3]);
    expect([...back.optimizer.m!]).toEqual([0.5]);
    expect(back.tokenizer).toEqual({ vocab: ['a'] });

    // Retention deletes the folder; a tower init by reference reads a checkpoint from `inits/`.
    for (const [k, v] of api!.blobs) api!.inits.set(k.replace(info.key, 'ckpt_1'), v);
    await s.remove(info.key);
    expect(await s.list('checkpoints/')).toEqual([]);
    const init = await loadCheckpoint(new HttpInitSource(client!), 'ckpt_1');
    expect([...init.weights.get('w')!]).toEqual([1, 2, 3]);
    await expect(new HttpInitSource(client!).get('ckpt_2/state.json')).rejects.toThrow(
      `model init not found: ${api!.url}/v1/worker/runs/run-1/inits/ckpt_2/state.json`,
    );
  });

  it('discards writes once the attempt may no longer write', async () => {
    let closed = false;
    const s = await store(() => closed);
    await s.put('a', new Uint8Array([1]));
    closed = true;
    await s.put('b', new Uint8Array([1]));
    expect([...api!.blobs.keys()]).toEqual(['a']);
  });
});
