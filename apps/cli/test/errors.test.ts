// Bad input: the API's problem+json said in one line that names the field, a non-zero exit, and
// nothing stored; CLI-side usage errors; no API, or one that cannot be reached.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pgTest } from '@curio/testing';
import { expect, test } from 'vitest';
import { apiGet, serveApi, cliEnv } from './support/api.js';
import { curio, curioProcess, tempDir, writeEvalSet, writeShard } from './support/cli.js';

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

pgTest(
  "a bad experiment config is refused with the API's message naming the field",
  async ({ db }) => {
    const api = await serveApi(db);
    try {
      const env = await cliEnv(api);
      const dir = await tempDir();
      await api.grant(dir);
      await writeShard(join(dir, 'pool.tar'), 4);
      expect((await curio(['pools', 'add', 'web', join(dir, 'pool.tar')], env)).code).toBe(0);
      expect((await curio(['metadata', 'add', 'shapes', '--names', 'red circle'], env)).code).toBe(
        0,
      );

      const config = join(dir, 'bad.json');
      await writeFile(
        config,
        JSON.stringify({ curation: { threshold: 5 }, stop: { maxSteps: 10 } }),
      );
      const bad = await curio(
        [
          'experiments',
          'create',
          'bad',
          '--pool',
          'web',
          '--metadata',
          'shapes',
          '--config',
          config,
        ],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(oneLine(bad.stderr)).toMatch(
        /^curio: experiments create: 400 Bad Request: invalid request body: config\.curation\.threshold: .*1/,
      );

      const noStop = await curio(
        ['experiments', 'create', 'bad', '--pool', 'web', '--metadata', 'shapes'],
        env,
      );
      expect(noStop.code).toBe(1);
      expect(oneLine(noStop.stderr)).toMatch(/config\.stop/);
      expect((await apiGet(api, '/v1/experiments')).items).toEqual([]);

      const unknownPool = await curio(
        [
          'experiments',
          'create',
          'x',
          '--pool',
          'nope',
          '--metadata',
          'shapes',
          '--max-steps',
          '5',
        ],
        env,
      );
      expect(unknownPool.code).toBe(1);
      expect(oneLine(unknownPool.stderr)).toBe(
        'curio: no pool named or with id "nope" in this team (`curio pools list` shows them)',
      );
      const unknownId = await curio(
        [
          'experiments',
          'create',
          'x',
          '--pool',
          'pool_00000000000000000000000000',
          '--metadata',
          'shapes',
          '--max-steps',
          '5',
        ],
        env,
      );
      expect(oneLine(unknownId.stderr)).toMatch(
        /^curio: experiments create: 422 Unprocessable Content: .*config\.poolId: pool pool_0+ not found/,
      );

      const missingShard = await curio(['pools', 'add', 'broken', join(dir, 'missing.tar')], env);
      expect(missingShard.code).toBe(1);
      expect(oneLine(missingShard.stderr)).toMatch(/^curio: pools add: 422 .*missing\.tar/);
      const taken = await curio(['pools', 'add', 'web', join(dir, 'pool.tar')], env);
      expect(oneLine(taken.stderr)).toMatch(
        /^curio: pools add: 409 Conflict: a pool named "web" already exists/,
      );
      const emptyName = await curio(['metadata', 'add', ' ', '--names', 'a'], env);
      expect(oneLine(emptyName.stderr)).toMatch(
        /^curio: metadata add: 400 Bad Request: .*name: a name must not be empty/,
      );

      const noEval = await curio(['evalsets', 'add', 'e', join(dir, 'nowhere')], env);
      expect(noEval.code).toBe(1);
      expect(oneLine(noEval.stderr)).toMatch(/^curio: evalsets add: 422 .*nowhere/);
      expect((await apiGet(api, '/v1/pools')).items).toHaveLength(1);
      expect((await apiGet(api, '/v1/eval-sets')).items).toEqual([]);

      const usage = await curio(['runs', 'start', 'x', '--target', '1.5'], env);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/--target must be a fraction in \[0, 1\]/);
      const noRun = await curio(['runs', 'show', 'run_missing'], env);
      expect(noRun.code).toBe(1);
      expect(oneLine(noRun.stderr)).toBe(
        'curio: runs show: 404 Not Found: run run_missing not found',
      );
    } finally {
      await api.close();
    }
  },
);

pgTest('the bin exits non-zero with one line, and prints --json for a listing', async ({ db }) => {
  const api = await serveApi(db);
  try {
    const dir = await tempDir();
    const env = { CURIO_API_URL: api.url, CURIO_API_KEY: api.key, CURIO_DATA_DIR: dir };
    await api.grant(dir);
    await writeEvalSet(join(dir, 'eval'));
    const added = await curioProcess(
      ['evalsets', 'add', 'shapes', join(dir, 'eval'), '--json'],
      env,
    );
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({ name: 'shapes', location: join(dir, 'eval') });
    const listed = await curioProcess(['evalsets', 'list', '--json'], env);
    expect(listed.json()).toEqual((await apiGet(api, '/v1/eval-sets')).items);

    const refused = await curioProcess(['evalsets', 'add', 'shapes', join(dir, 'eval')], env);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toMatch(
      /^curio: evalsets add: 409 Conflict: an eval set named "shapes" already exists/,
    );
  } finally {
    await api.close();
  }
});

test('no API configured, an unreachable one, a bad environment', async () => {
  const dataDir = await tempDir();
  const none = await curio(['pools', 'list'], { CURIO_DATA_DIR: dataDir });
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/no Curio API configured: set CURIO_API_URL and CURIO_API_KEY/);

  const port = await freePort();
  const down = await curio(['pools', 'list'], {
    CURIO_API_URL: `http://127.0.0.1:${port}`,
    CURIO_API_KEY: 'curio_x',
    CURIO_DATA_DIR: dataDir,
  });
  expect(down.code).toBe(3);
  expect(down.stderr).toContain(
    `cannot reach the Curio API at http://127.0.0.1:${port} (ECONNREFUSED)`,
  );

  const badEnv = await curioProcess(['pools', 'list'], { CURIO_API_URL: 'not a url' });
  expect(badEnv.code).toBe(2);
  expect(badEnv.stderr).toMatch(/invalid environment: CURIO_API_URL: CURIO_API_URL must be a URL/);

  const unknown = await curio(['pools', 'frobnicate'], { CURIO_DATA_DIR: dataDir });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
});

/** A port nothing listens on (it was free a moment ago). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}
