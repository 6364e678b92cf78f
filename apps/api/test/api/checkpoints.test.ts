// A run's checkpoints for its team: listed, exported (a refusal explained), downloaded as a tar (another team's run or checkpoint
// answers 404 as a missing one does); retention's deletes through the worker protocol; a canceled
// run's worker still saving where it stopped.
import { extract as createExtract } from 'tar-stream';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { problemOf, testApi } from '../support/api.js';
import { FILES, runWithCheckpoint, saveCheckpoint } from '../support/checkpoints.js';

async function untar(res: Response): Promise<Record<string, number[]>> {
  const files: Record<string, number[]> = {};
  const extract = createExtract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files[header.name] = [...Buffer.concat(chunks)];
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(Buffer.from(await res.arrayBuffer()));
  await done;
  return files;
}

describe('checkpoints', () => {
  pgTest(
    'are exported by their team only; one the exporter refuses is a 422 saying why',
    async ({ db }) => {
      const api = await testApi(db);
      const a = await runWithCheckpoint(api);
      const b = await runWithCheckpoint(api);
      const path = `/v1/runs/${a.run.id}/checkpoints/${a.ckpt.id}/export`;
      const list = await api.json('GET', `/v1/runs/${a.run.id}/checkpoints`, 200, { key: a.key });
      expect(list.items[0].exportPath).toBe(path);

      // These files are not a real checkpoint: the trainer's exporter refuses them, and says why.
      const refused = await api.call('GET', path, { key: a.key });
      expect(refused.status).toBe(422);
      const problem = await problemOf(refused);
      expect(problem.detail).toBe(
        `checkpoint ${a.ckpt.id} cannot be exported: state.json lacks step, modelConfig or data`,
      );
      expect(problem.detail).not.toMatch(/curio-export-|\/tmp\//);

      for (const crossed of [
        `/v1/runs/${b.run.id}/checkpoints/${a.ckpt.id}/export`,
        `/v1/runs/${b.run.id}/checkpoints/ckpt_00000000000000000000000000/export`,
      ]) {
        const res = await api.call('GET', crossed, { key: b.key });
        expect(res.status, crossed).toBe(404);
        expect((await problemOf(res)).detail).not.toContain(a.ckpt.key);
      }
      expect((await api.call('GET', path, { key: b.key })).status).toBe(404);
      await api.cleanup();
    },
    300_000, // the exporter is a child process (seconds on a loaded machine)
  );

  pgTest('are listed and downloaded as a tar by their team only', async ({ db }) => {
    const api = await testApi(db);
    const a = await runWithCheckpoint(api);
    const b = await runWithCheckpoint(api);
    const list = await api.json('GET', `/v1/runs/${a.run.id}/checkpoints`, 200, { key: a.key });
    expect(list.items.map((c: { id: string; step: number }) => [c.id, c.step])).toEqual([
      [a.ckpt.id, 5],
    ]);
    expect(list.nextCursor).toBeNull();
    expect(list.items[0].downloadPath).toBe(
      `/v1/runs/${a.run.id}/checkpoints/${a.ckpt.id}/download`,
    );

    const download = `/v1/runs/${a.run.id}/checkpoints/${a.ckpt.id}/download`;
    const res = await api.call('GET', download, { key: a.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect(res.headers.get('content-disposition')).toContain(`${a.run.id}-step-5.tar`);
    expect(await untar(res)).toEqual({
      'state.json': FILES['state.json'],
      'tokenizer.json': FILES['tokenizer.json'],
      'weights.bin': FILES['weights.bin'],
    });

    // Another team: its key on A's run, and A's checkpoint id under its own run, are both 404,
    // with the same problem as a checkpoint that does not exist.
    const missing = await api.call(
      'GET',
      `/v1/runs/${b.run.id}/checkpoints/ckpt_00000000000000000000000000/download`,
      { key: b.key },
    );
    expect(missing.status).toBe(404);
    const crossed = await api.call(
      'GET',
      `/v1/runs/${b.run.id}/checkpoints/${a.ckpt.id}/download`,
      { key: b.key },
    );
    expect(crossed.status).toBe(404);
    expect((await problemOf(crossed)).type).toBe((await problemOf(missing)).type);
    const malformed = await api.call('GET', `/v1/runs/${a.run.id}/checkpoints/ckpt%00x/download`, {
      key: a.key,
    });
    expect(malformed.status).toBe(400);
    for (const path of [download, `/v1/runs/${a.run.id}/checkpoints`]) {
      const res = await api.call('GET', path, { key: b.key });
      expect(res.status, path).toBe(404);
      expect((await problemOf(res)).detail).not.toContain(a.ckpt.id);
    }
    await api.cleanup();
  });

  pgTest(
    'retention deletes a checkpoint with its files; a canceled run still saves its last',
    async ({ db }) => {
      const api = await testApi(db);
      const r = await runWithCheckpoint(api);
      const second = await saveCheckpoint(api, r, 10);
      await api.json('DELETE', r.w(`/blobs/${r.ckpt.key}`), 204, { key: r.token });
      const list = await api.json('GET', `/v1/runs/${r.run.id}/checkpoints`, 200, { key: r.key });
      expect(list.items.map((c: { id: string }) => c.id)).toEqual([second.id]);
      expect(
        await api.json('GET', r.w('/blobs?prefix=checkpoints/'), 200, { key: r.token }),
      ).toEqual({
        keys: Object.keys(FILES)
          .sort()
          .map((f) => `${second.key}/${f}`),
      });
      const gone = await api.call('GET', `/v1/runs/${r.run.id}/checkpoints/${r.ckpt.id}/download`, {
        key: r.key,
      });
      expect(gone.status).toBe(404);

      await api.json('POST', `/v1/runs/${r.run.id}/cancel`, 200, { key: r.key });
      const last = await saveCheckpoint(api, r, 13);
      const after = await api.json('GET', `/v1/runs/${r.run.id}/checkpoints`, 200, { key: r.key });
      expect(after.items.map((c: { id: string }) => c.id)).toEqual([second.id, last.id]);
      // Metrics of a canceled run are still refused.
      const metrics = await api.call('POST', r.w('/metrics'), {
        key: r.token,
        json: { points: [{ step: 13, name: 'loss', value: 1 }] },
      });
      expect(metrics.status).toBe(409);
      await api.cleanup();
    },
  );
});
