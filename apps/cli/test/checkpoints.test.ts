// curio checkpoints list|download against a real API, the test acting as the run's worker (it
// uploads two checkpoints through the worker protocol).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server } from '@curio/blob-store/testing';
import { pgTest } from '@curio/testing';
import { expect } from 'vitest';
import { apiGet, serveApi, type ServedApi, cliEnv } from './support/api.js';
import { createCatalog } from './support/catalog.js';
import { curio, tempDir } from './support/cli.js';

async function workerSaves(api: ServedApi, runId: string, token: string, steps: number[]) {
  const call = async (method: string, path: string, body: string, type: string) => {
    let res = await fetch(`${api.url}/v1/worker/runs/${runId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
      redirect: 'manual',
    });
    // On the S3 store a blob PUT answers 307: the bytes go to the presigned URL, as a worker does.
    const location = res.headers.get('location');
    if (res.status === 307 && location) res = await fetch(location, { method, body });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const json = 'application/json';
  await call(
    'POST',
    '/started',
    JSON.stringify({ attempt: 1, backend: 'wasm', device: 'cpu' }),
    json,
  );
  for (const step of steps) {
    const key = `checkpoints/${String(step).padStart(8, '0')}`;
    for (const name of ['weights.bin', 'state.json'])
      await call('PUT', `/blobs/${key}/${name}`, `${name} at ${step}`, 'application/octet-stream');
    const record = { step, key, sizeBytes: 30, architecture: { preset: 'tiny' } };
    await call('POST', '/checkpoints', JSON.stringify(record), json);
  }
}

pgTest('checkpoints list and download (the latest, or --step) into a folder', async ({ db }) => {
  const api = await serveApi(db);
  try {
    const env = await cliEnv(api);
    await createCatalog(api, env);
    const run = (await curio(['runs', 'start', 'tiny', '--json'], env)).json();
    expect((await curio(['checkpoints', 'list', run.id], env)).stdout).toContain(
      `run ${run.id} has no checkpoints yet`,
    );
    const { token } = await api.beginAttempt(run.id);
    await workerSaves(api, run.id, token, [5, 10]);

    const listed = await curio(['checkpoints', 'list', run.id, '--json'], env);
    expect(listed.json()).toEqual((await apiGet(api, `/v1/runs/${run.id}/checkpoints`)).items);
    const table = await curio(['checkpoints', 'list', run.id], env);
    expect(table.stdout).toMatch(/id\s+step\s+size\s+saved/);
    expect(table.stdout).toMatch(/ckpt_\w+\s+10\s+30 B/);

    const latest = join(await tempDir(), 'latest');
    const got = await curio(['checkpoints', 'download', run.id, '--out', latest], env);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(/step 10\) into .*latest: state\.json, weights\.bin/);
    expect((await readdir(latest)).sort()).toEqual(['state.json', 'weights.bin']);
    expect(await readFile(join(latest, 'weights.bin'), 'utf8')).toBe('weights.bin at 10');

    const early = join(await tempDir(), 'early');
    await curio(['checkpoints', 'download', run.id, '--step', '5', '--out', early], env);
    expect(await readFile(join(early, 'state.json'), 'utf8')).toBe('state.json at 5');

    const none = await curio(
      ['checkpoints', 'download', run.id, '--step', '7', '--out', early],
      env,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`run ${run.id} has no checkpoint at step 7; it has steps 5, 10`);
    const missing = await curio(['checkpoints', 'list', 'run_missing'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/checkpoints list: 404/);
  } finally {
    await api.close();
  }
});

pgTest('checkpoints download from the bucket on the S3 store', async ({ db }) => {
  const s3 = await startTestS3Server(['cli-ckpts']);
  const api = await serveApi(db, { blobStore: new S3BlobStore(s3.storeOptions('cli-ckpts')) });
  try {
    const env = await cliEnv(api);
    await createCatalog(api, env);
    const run = (await curio(['runs', 'start', 'tiny', '--json'], env)).json();
    const { token } = await api.beginAttempt(run.id);
    await workerSaves(api, run.id, token, [5]);
    const out = join(await tempDir(), 'from-bucket');
    const got = await curio(['checkpoints', 'download', run.id, '--out', out], env);
    expect(got.code, got.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['state.json', 'weights.bin']);
    expect(await readFile(join(out, 'weights.bin'), 'utf8')).toBe('weights.bin at 5');
  } finally {
    await api.close();
    await s3.close();
  }
});
