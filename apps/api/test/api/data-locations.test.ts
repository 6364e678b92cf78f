// Cross-team probes for every kind of data location. Team A is granted its own folder, a parent
// folder that holds the store, and a URL prefix on a loopback server; team B its own folder and an
// upload. Every probe of A at what it was not granted (B's folder by path, glob, file://, `..` and
// a symlink; B's upload; the store's folders; http to loopback, private and metadata addresses; a
// redirect out of A's URL grant) gets the same 422 as a missing location, naming only the location
// as A wrote it, and stores nothing.
import { mkdir, readFile, realpath, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { count } from '@curio/db';
import { evalSets, poolShards, pools } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { ADMIN_TOKEN, bootstrapTeam, problemOf, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir, writeEvalSet, writePoolShard } from '../support/data.js';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = await realpath(await tempDir('curio-locations-'));
  for (const team of ['a', 'b']) {
    await writePoolShard(join(root, team, 'pool', '000000.tar'), 3);
    await writeEvalSet(join(root, team, 'eval'));
  }
  await writePoolShard(join(root, 'srv', 'public', 'shared.tar'), 2);
  await writePoolShard(join(root, 'srv', 'curio', 'blobs', 'run_x', 'state.tar'), 2);
  await writePoolShard(join(root, 'srv', 'curio', 'pglite', 'base.tar'), 2);
  await symlink(join(root, 'b', 'pool', '000000.tar'), join(root, 'a', 'pool', 'link-to-b.tar'));
  await symlink(join(root, 'b', 'eval'), join(root, 'a', 'eval-of-b'));
  await mkdir(join(root, 'a', 'empty'));
  const shard = await readFile(join(root, 'a', 'pool', '000000.tar'));
  server = createServer((req, res) => {
    if (req.url === '/a/shard.tar') return res.end(shard);
    if (req.url === '/a/away') return res.writeHead(302, { location: '/private/shard.tar' }).end();
    if (req.url === '/private/shard.tar') return res.end(shard);
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

async function setUp(db: Parameters<typeof testApi>[0]) {
  const store = join(root, 'srv', 'curio');
  const api = await testApi(db, { blobRoot: join(store, 'blobs'), storeDirs: [store] });
  const a = await bootstrapTeam(api, 'Team A');
  const b = await bootstrapTeam(api, 'Team B');
  const grant = (teamId: string, kind: string, location: string) =>
    api.call('POST', `/v1/admin/teams/${teamId}/grants`, {
      key: ADMIN_TOKEN,
      json: { kind, location },
    });
  for (const [team, kind, location] of [
    [a, 'directory', join(root, 'a')],
    [a, 'directory', join(root, 'srv')],
    [a, 'url-prefix', `${base}/a/`],
    [b, 'directory', join(root, 'b')],
  ] as const)
    expect((await grant(team.teamId, kind, location)).status).toBe(201);
  const upload = await api.json('PUT', '/v1/uploads/theirs.tar', 201, {
    key: b.key,
    body: await readFile(join(root, 'b', 'pool', '000000.tar')),
    headers: { 'content-type': 'application/octet-stream' },
  });
  return { api, a, b, grant, uploadOfB: upload.location as string };
}

async function rowCounts(db: Parameters<typeof testApi>[0]) {
  const [p] = await db.select({ n: count() }).from(pools);
  const [s] = await db.select({ n: count() }).from(poolShards);
  const [e] = await db.select({ n: count() }).from(evalSets);
  return { pools: p!.n, shards: s!.n, evalSets: e!.n };
}

/** A's attempt to use `location` as a pool shard and (for folders) as an eval set. */
async function probe(api: TestApi, key: string, location: string, asEvalSet = false) {
  const res = asEvalSet
    ? await api.call('POST', '/v1/eval-sets', { key, json: { name: 'probe', location } })
    : await api.call('POST', '/v1/pools', { key, json: { name: 'probe', shards: [location] } });
  const text = await res.text();
  return { status: res.status, text, problem: JSON.parse(text) as Record<string, unknown> };
}

describe('data locations across teams', () => {
  pgTest(
    'every way at what a team was not granted reads like a missing location',
    async ({ db }) => {
      const { api, a, uploadOfB } = await setUp(db);
      const before = await rowCounts(db);
      const answer = (location: string, field: string) => ({
        status: 422,
        detail: `nothing was stored: data location ${location} does not exist or is not granted to this team`,
        errors: [
          {
            path: field,
            message: `data location ${location} does not exist or is not granted to this team`,
          },
        ],
      });
      const shardProbes = [
        join(root, 'a', 'pool', 'missing.tar'), // the control: simply not there
        join(root, 'a', 'empty'),
        join(root, 'b', 'pool', '000000.tar'),
        join(root, 'b', 'pool'),
        join(root, 'b', '*', '*.tar'),
        join(root, '*', 'pool', '*.tar'),
        '/etc/*.conf',
        '/etc/passwd',
        pathToFileURL(join(root, 'b', 'pool', '000000.tar')).href,
        `${root}/a/../b/pool/000000.tar`,
        `file://${root}/a/%2e%2e/b/pool/000000.tar`,
        join(root, 'a', 'pool', 'link-to-b.tar'),
        uploadOfB,
        join(root, 'srv', 'curio'),
        join(root, 'srv', 'curio', 'blobs', 'run_x', 'state.tar'),
        join(root, 'srv', 'curio', 'pglite', 'base.tar'),
        join(root, 'srv', '*', '*', '*', '*.tar'),
        `${base}/private/shard.tar`,
        `${base.replace('127.0.0.1', 'localhost')}/private/shard.tar`,
        `${base.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/private/shard.tar`,
        `${base}/a/away`,
        `${base}/a/../private/shard.tar`,
        'http://10.0.0.1/shard.tar',
        'http://169.254.169.254/latest/meta-data/',
        'http://[fd00:ec2::254]/latest/meta-data/',
        `http://user:pw@127.0.0.1:1/a/shard.tar`,
        's3://bucket/prefix/shard.tar',
      ];
      for (const location of shardProbes) {
        const got = await probe(api, a.key, location);
        expect(got.status, `${location}: ${got.text}`).toBe(422);
        expect(
          { status: got.status, detail: got.problem.detail, errors: got.problem.errors },
          location,
        ).toEqual(answer(location, 'shards.0'));
        for (const secret of [
          '/b/pool/000000.tar',
          'state.tar',
          'base.tar',
          'passwd',
          'theirs.tar',
        ])
          if (!location.includes(secret.split('/').pop()!))
            expect(got.text, `${location} names ${secret}`).not.toContain(secret);
      }
      const evalProbes = [
        join(root, 'a', 'no-eval'),
        join(root, 'b', 'eval'),
        pathToFileURL(join(root, 'b', 'eval')).href,
        `${root}/a/../b/eval`,
        join(root, 'a', 'eval-of-b'),
        join(root, 'srv', 'curio'),
      ];
      for (const location of evalProbes) {
        const got = await probe(api, a.key, location, true);
        expect(
          { status: got.status, detail: got.problem.detail, errors: got.problem.errors },
          location,
        ).toEqual(answer(location, 'location'));
      }
      expect(await rowCounts(db)).toEqual(before);
    },
  );

  pgTest('what a team was granted, it can use', async ({ db }) => {
    const { api, a, b, uploadOfB } = await setUp(db);
    const mine = await api.json('PUT', '/v1/uploads/mine.tar', 201, {
      key: a.key,
      body: await readFile(join(root, 'a', 'pool', '000000.tar')),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const pool = await api.json('POST', '/v1/pools', 201, {
      key: a.key,
      json: {
        name: 'granted',
        shards: [
          join(root, 'a', 'pool'),
          join(root, 'srv', 'public', '*.tar'),
          mine.location,
          `${base}/a/shard.tar`,
        ],
      },
    });
    expect(pool.added.map((s: { uri: string }) => s.uri)).toEqual([
      join(root, 'a', 'pool', '000000.tar'),
      join(root, 'srv', 'public', 'shared.tar'),
      mine.location,
      `${base}/a/shard.tar`,
    ]);
    expect(pool.sampleCount).toBe(3 + 2 + 3 + 3);
    const fromUpload = await api.json('POST', '/v1/pools', 201, {
      key: b.key,
      json: { name: 'uploaded', shards: [uploadOfB] },
    });
    expect(fromUpload.sampleCount).toBe(3);
    await api.json('POST', '/v1/eval-sets', 201, {
      key: a.key,
      json: { name: 'mine', location: join(root, 'a', 'eval') },
    });
  });

  pgTest("a worker gets its run's team's grants with the assignment", async ({ db }) => {
    const { api, a, b } = await setUp(db);
    const cat = await createCatalog(api, b.key);
    const run = await api.json('POST', '/v1/runs', 201, {
      key: b.key,
      json: { experimentId: cat.experimentId },
    });
    const attempt = await beginAttempt(api.ctx, run.id);
    const assignment = await api.json('GET', `/v1/worker/runs/${run.id}/assignment`, 200, {
      key: attempt!.token,
    });
    const grants = assignment.dataAccess.grants.map((g: { location: string }) => g.location);
    expect(grants).toContain(join(root, 'b'));
    expect(grants).toContain(await realpath(cat.dataDir));
    expect(grants).not.toContain(join(root, 'a'));
    expect(assignment.dataAccess.uploadDir).toBe(
      join(root, 'srv', 'curio', 'blobs', 'uploads', b.teamId),
    );
    expect(assignment.dataAccess.protectedDirs).toContain(join(root, 'srv', 'curio'));
    expect(a.teamId).not.toBe(b.teamId);
  });

  pgTest('grants: admin token only, real existing folders outside the store', async ({ db }) => {
    const { api, a, grant } = await setUp(db);
    const path = `/v1/admin/teams/${a.teamId}/grants`;
    const json = { kind: 'directory', location: join(root, 'b') };
    expect((await api.call('POST', path, { json })).status).toBe(401);
    expect((await api.call('POST', path, { key: a.key, json })).status).toBe(401);
    expect((await api.call('GET', path, { key: a.key })).status).toBe(401);
    const refused = [
      ['directory', join(root, 'srv', 'curio', 'blobs')],
      ['directory', join(root, 'nope')],
      ['directory', 'relative/dir'],
      ['directory', join(root, 'a', 'pool', '000000.tar')],
      ['url-prefix', 'http://user:pw@example.org/'],
      ['url-prefix', 'ftp://example.org/'],
      ['object-prefix', 'not-s3'],
    ] as const;
    for (const [kind, location] of refused)
      expect((await grant(a.teamId, kind, location)).status, location).toBe(422);
    expect((await grant(a.teamId, 'directory', join(root, 'a'))).status).toBe(409);
    expect((await grant('team_00000000000000000000000000', 'directory', root)).status).toBe(404);
    const s3 = await api.json('POST', path, 201, {
      key: ADMIN_TOKEN,
      json: { kind: 'object-prefix', location: 's3://curio-data/team-a/' },
    });
    const own = await api.json('GET', '/v1/grants', 200, { key: a.key });
    expect(own.items.map((g: { kind: string }) => g.kind).sort()).toEqual([
      'directory',
      'directory',
      'object-prefix',
      'url-prefix',
    ]);
    await api.json('DELETE', `${path}/${s3.id}`, 204, { key: ADMIN_TOKEN });
    expect((await api.call('DELETE', `${path}/${s3.id}`, { key: ADMIN_TOKEN })).status).toBe(404);
    const got = await probe(api, a.key, join(root, 'a', 'pool'));
    expect(got.status).toBe(201);
  });

  pgTest('uploads: tar only, never replaced, safe names, not for viewers', async ({ db }) => {
    const { api, a } = await setUp(db);
    const tar = await readFile(join(root, 'a', 'pool', '000000.tar'));
    const put = (name: string, body: Buffer, key = a.key) =>
      api.call('PUT', `/v1/uploads/${name}`, {
        key,
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
    expect((await put('one.tar', tar)).status).toBe(201);
    const again = await put('one.tar', Buffer.from('other'));
    expect(again.status).toBe(409);
    const notTar = await put('junk.tar', Buffer.from('not a tar at all'));
    expect(notTar.status).toBe(422);
    expect((await problemOf(notTar)).detail).toContain('not a tar shard');
    for (const name of ['..%2Fescape.tar', 'noext', '.hidden.tar', '%00.tar'])
      expect((await put(name, tar)).status, name).toBe(400);
    const viewer = await api.json('POST', '/v1/keys', 201, {
      key: a.key,
      json: { name: 'v', role: 'viewer' },
    });
    expect((await put('two.tar', tar, viewer.secret)).status).toBe(403);
    const list = await api.json('GET', '/v1/uploads', 200, { key: a.key });
    expect(list.items.map((u: { name: string }) => u.name)).toEqual(['one.tar']);
    expect(list.items[0].bytes).toBe(tar.length);
  });
});
