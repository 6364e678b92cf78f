// Checkpoints made as a worker makes them: a started attempt uploads a checkpoint's files through
// the worker protocol and records it.
import type { TestApi } from './api.js';
import { runWithAttempt } from './worker.js';

export const FILES = {
  'weights.bin': [1, 2, 3],
  'tokenizer.json': [123, 125],
  'state.json': [123, 125],
};

/** A started attempt that has uploaded and recorded a checkpoint at `step`. */
export async function runWithCheckpoint(api: TestApi, step = 5) {
  const r = await runWithAttempt(api);
  await api.json('POST', r.w('/started'), 204, {
    key: r.token,
    json: { attempt: 1, backend: 'wasm', device: 'cpu' },
  });
  const ckpt = await saveCheckpoint(api, r, step);
  return { ...r, ckpt };
}

export async function saveCheckpoint(
  api: TestApi,
  r: { token: string; w: (p: string) => string },
  step: number,
  extra: Record<string, unknown> = {},
) {
  const key = `checkpoints/${String(step).padStart(8, '0')}`;
  for (const [name, bytes] of Object.entries(FILES))
    await api.json('PUT', r.w(`/blobs/${key}/${name}`), 204, {
      key: r.token,
      body: new Uint8Array(bytes),
    });
  const { id } = await api.json<{ id: string }>('POST', r.w('/checkpoints'), 200, {
    key: r.token,
    json: { step, key, sizeBytes: 7, architecture: { preset: 'tiny' }, ...extra },
  });
  return { id, key };
}
