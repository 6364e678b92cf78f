// The API on the S3 blob store, against a real S3-compatible server on loopback (s3rver): worker
// blobs go straight to the bucket through 307s to presigned URLs, checkpoint downloads answer 302
// to a presigned tar, team uploads get a presigned PUT of their own key only.
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { join } from 'node:path';
import { pgTest } from '@curio/testing';
import { pack as createPack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readApiEnv, s3StoreOptions } from '../../src/env.js';
import { startApi } from '../../src/server.js';
import { bootstrapTeam, problemOf, testApi, type TestApi } from '../support/api.js';
import { FILES } from '../support/checkpoints.js';
import { tempDir } from '../support/data.js';
import { runWithAttempt } from '../support/worker.js';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startTestS3Server(['curio-blobs']);
});
afterAll(() => s3.close());

const s3Api = (db: Parameters<typeof testApi>[0]) =>
  testApi(db, { blobStore: new S3BlobStore(s3.storeOptions('curio-blobs', 'env1')) });

/** A tar with one small member, as a shard upload. */
async function tinyTar(): Promise<Uint8Array> {
  const pack = createPack();
  pack.entry({ name: '000.txt' }, 'a caption');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** A worker's PUT of a blob: to the API, then the bytes to the presigned URL it answers. */
async function putBlob(api: TestApi, token: string, path: string, bytes: Uint8Array) {
  const res = await api.call('PUT', path, {
    key: token,
    body: bytes,
    headers: { 'content-length': String(bytes.length) },
  });
  expect(res.status).toBe(307);
  const sent = await fetch(res.headers.get('location')!, { method: 'PUT', body: bytes });
  expect(sent.status).toBe(200);
}

describe('the API on the S3 blob store', () => {
  pgTest('sends worker blobs to and from the bucket by presigned URLs', async ({ db }) => {
    const api = await s3Api(db);
    const r = await runWithAttempt(api);
    const bytes = new Uint8Array([5, 6, 7, 8]);
    await putBlob(api, r.token, r.w('/blobs/notes/a.bin'), bytes);

    const get = await api.call('GET', r.w('/blobs/notes/a.bin'), { key: r.token });
    expect(get.status).toBe(307);
    expect(get.headers.get('location')).toMatch(
      `${s3.endpoint}/curio-blobs/env1/${r.run.id}/notes/a.bin?`,
    );
    const got = await fetch(get.headers.get('location')!);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect(await api.json('GET', r.w('/blobs?prefix=notes/'), 200, { key: r.token })).toEqual({
      keys: ['notes/a.bin'],
    });

    // A missing key: the presigned GET answers 404, which the worker reads as "none".
    const missing = await api.call('GET', r.w('/blobs/notes/none.bin'), { key: r.token });
    expect((await fetch(missing.headers.get('location')!)).status).toBe(404);
    // No length, no presigned upload.
    const unsized = await api.call('PUT', r.w('/blobs/notes/b.bin'), { key: r.token });
    expect(unsized.status).toBe(411);
    expect((await problemOf(unsized)).detail).toContain('Content-Length');
    await api.cleanup();
  });

  pgTest('redirects a checkpoint download to a presigned tar', async ({ db }) => {
    const api = await s3Api(db);
    const a = await runWithAttempt(api);
    await api.json('POST', a.w('/started'), 204, {
      key: a.token,
      json: { attempt: 1, backend: 'wasm', device: 'cpu' },
    });
    const key = 'checkpoints/00000005';
    for (const [name, bytes] of Object.entries(FILES))
      await putBlob(api, a.token, a.w(`/blobs/${key}/${name}`), new Uint8Array(bytes));
    const ckpt = await api.json<{ id: string }>('POST', a.w('/checkpoints'), 200, {
      key: a.token,
      json: { step: 5, key, sizeBytes: 7, architecture: { preset: 'tiny' } },
    });
    const download = `/v1/runs/${a.run.id}/checkpoints/${ckpt.id}/download`;
    const res = await api.call('GET', download, { key: a.key });
    expect(res.status).toBe(302);
    const tar = new Uint8Array(await (await fetch(res.headers.get('location')!)).arrayBuffer());
    const text = Buffer.from(tar).toString('latin1');
    for (const name of Object.keys(FILES)) expect(text).toContain(name);
    // Retention deletes the checkpoint's files and the download's tar with it.
    await api.json('DELETE', a.w(`/blobs/${key}`), 204, { key: a.token });
    expect(await api.json('GET', a.w('/blobs'), 200, { key: a.token })).toEqual({ keys: [] });
    await api.cleanup();
  });

  pgTest('gives each team a presigned PUT of its own upload only', async ({ db }) => {
    const api = await s3Api(db);
    const a = await bootstrapTeam(api, 'Team A');
    const b = await bootstrapTeam(api, 'Team B');
    const tar = await tinyTar();
    const start = { name: 'shard-0.tar', bytes: tar.length };
    const target = await api.json('POST', '/v1/uploads', 201, { key: a.key, json: start });
    expect(target).toMatchObject({ auth: 'presigned', method: 'PUT', name: 'shard-0.tar' });
    expect(target.location).toBe(`s3://curio-blobs/env1/uploads/${a.teamId}/shard-0.tar`);

    // The URL is for that key and that size: another team's key, or more bytes, are refused.
    const stolen = target.url.replace(a.teamId, b.teamId);
    expect(
      (await fetch(stolen, { method: 'PUT', headers: target.headers, body: tar })).status,
    ).toBe(403);
    const bigger = new Uint8Array(tar.length + 512);
    expect(
      (await fetch(target.url, { method: 'PUT', headers: target.headers, body: bigger })).status,
    ).toBe(403);
    const sent = await fetch(target.url, { method: 'PUT', headers: target.headers, body: tar });
    expect(sent.status).toBe(200);

    const listA = await api.json('GET', '/v1/uploads', 200, { key: a.key });
    expect(listA.items).toMatchObject([
      { name: 'shard-0.tar', location: target.location, bytes: tar.length },
    ]);
    expect((await api.json('GET', '/v1/uploads', 200, { key: b.key })).items).toEqual([]);
    // Uploads are kept: a second start of the same name is refused; the old PUT stays shut.
    const again = await api.call('POST', '/v1/uploads', { key: a.key, json: start });
    expect(again.status).toBe(409);
    const direct = await api.call('PUT', '/v1/uploads/other.tar', { key: a.key, body: tar });
    expect(direct.status).toBe(409);
    expect((await problemOf(direct)).detail).toContain('POST /v1/uploads');
    await api.cleanup();
  });
});

describe('the S3 store from the environment', () => {
  test('CURIO_S3_* make startApi keep blobs in the bucket', async () => {
    const env = readApiEnv({
      CURIO_DATA_DIR: join(await tempDir('curio-api-s3-'), 'store'),
      CURIO_API_PORT: '0',
      CURIO_DISPATCHER: 'none',
      CURIO_S3_BUCKET: 'curio-blobs',
      CURIO_S3_PREFIX: 'served/',
      CURIO_S3_ENDPOINT: s3.endpoint,
      CURIO_S3_FORCE_PATH_STYLE: 'true',
      CURIO_S3_ACCESS_KEY_ID: 'S3RVER',
      CURIO_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const api = await startApi({ env, deps: { log: () => {} } });
    try {
      const boot = await fetch(`${api.url}/v1/bootstrap`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ teamName: 'Served', email: 'served@example.com' }),
      });
      const { team, key } = (await boot.json()) as {
        team: { id: string };
        key: { secret: string };
      };
      const start = await fetch(`${api.url}/v1/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}` },
        body: JSON.stringify({ name: 'a.tar', bytes: 1024 }),
      });
      expect(await start.json()).toMatchObject({
        auth: 'presigned',
        location: `s3://curio-blobs/served/uploads/${team.id}/a.tar`,
      });
    } finally {
      await api.close();
    }
  });

  test('a half key pair is refused, naming both variables', () => {
    const env = readApiEnv({ CURIO_S3_BUCKET: 'b', CURIO_S3_ACCESS_KEY_ID: 'id' });
    expect(() => s3StoreOptions(env)).toThrow(
      /CURIO_S3_ACCESS_KEY_ID and CURIO_S3_SECRET_ACCESS_KEY/,
    );
    expect(s3StoreOptions(readApiEnv({}))).toBeUndefined();
    expect(() => readApiEnv({ CURIO_S3_ENDPOINT: 'not a url' })).toThrow(/CURIO_S3_ENDPOINT/);
  });
});
