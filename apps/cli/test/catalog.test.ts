// The catalog commands against a real API: pools, metadata sets, eval sets, experiments and keys,
// their tables, and --json printing exactly the API's items.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pgTest } from '@curio/testing';
import { expect } from 'vitest';
import { apiGet, serveApi, cliEnv } from './support/api.js';
import { curio, tempDir, writeEvalSet, writeShard } from './support/cli.js';

pgTest('pools, metadata sets, eval sets and experiments: add, list, --json', async ({ db }) => {
  const api = await serveApi(db);
  try {
    const env = await cliEnv(api);
    const dir = await tempDir();
    await api.grant(dir);
    await writeShard(join(dir, 'pool', '000000.tar'), 5);
    await writeShard(join(dir, 'more', '000001.tar'), 3);

    // pools add takes a relative path and sends it absolute
    const cwd = process.cwd();
    process.chdir(dir);
    const added = await curio(
      ['pools', 'add', 'web', 'pool/000000.tar', '--description', 'crawl 1'],
      env,
    ).finally(() => process.chdir(cwd));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^created pool web \(pool_\w+\): 1 shard\(s\) with 5 samples/);

    const appended = await curio(['pools', 'append', 'web', join(dir, 'more')], env);
    expect(appended.code).toBe(0);
    expect(appended.stdout).toMatch(/now 2 shards, 8 samples/);

    const pools = await curio(['pools', 'list', '--json'], env);
    expect(pools.code).toBe(0);
    expect(pools.json()).toEqual((await apiGet(api, '/v1/pools')).items);
    expect(pools.json()).toMatchObject([
      { name: 'web', shardCount: 2, sampleCount: 8, description: 'crawl 1' },
    ]);
    const table = await curio(['pools', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^id\s+name\s+shards\s+samples\s+created\s+description$/,
    );
    expect(table.stdout).toMatch(/web\s+2\s+8/);

    const synonyms = join(dir, 'synonyms.json');
    await writeFile(synonyms, JSON.stringify({ 'red circle': ['crimson disc'] }));
    const meta = await curio(
      [
        'metadata',
        'add',
        'shapes',
        '--names',
        'red circle, blue square',
        '--synonyms',
        synonyms,
        '--template',
        'a photo of a {}.',
      ],
      env,
    );
    expect(meta.code).toBe(0);
    expect(meta.stdout).toMatch(
      /created metadata set shapes \(meta_\w+\) version 1: 2 names, 1 synonyms/,
    );
    const names = join(dir, 'names.txt');
    await writeFile(names, 'red circle\nblue square\ngreen triangle\n');
    const v2 = await curio(['metadata', 'add', '--to', 'shapes', '--file', names], env);
    expect(v2.stdout).toMatch(/added version 2 to metadata set meta_\w+: 3 names/);
    const sets = await curio(['metadata', 'list', '--json'], env);
    expect(sets.json()).toEqual((await apiGet(api, '/v1/metadata-sets')).items);
    expect(sets.json()).toMatchObject([{ name: 'shapes', latestVersion: 2, nameCount: 3 }]);

    const evalDir = await writeEvalSet(join(dir, 'eval'));
    const evalSet = await curio(['evalsets', 'add', 'shapes-eval', evalDir], env);
    expect(evalSet.code).toBe(0);
    expect(evalSet.stdout).toContain(`added eval set shapes-eval`);
    const evalSets = await curio(['evalsets', 'list', '--json'], env);
    expect(evalSets.json()).toEqual((await apiGet(api, '/v1/eval-sets')).items);
    expect(evalSets.json()).toMatchObject([{ name: 'shapes-eval', location: evalDir }]);

    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ training: { batchSize: 16 }, curation: { mode: 'cit', interval: 10 } }),
    );
    const exp = await curio(
      [
        'experiments',
        'create',
        'tiny-cit',
        '--pool',
        'web',
        '--metadata',
        'shapes',
        '--eval',
        'shapes-eval',
        '--config',
        config,
        '--max-steps',
        '20',
        '--target',
        '80%',
      ],
      env,
    );
    expect(exp.stderr).toBe('');
    expect(exp.stdout).toMatch(/created experiment tiny-cit \(exp_\w+\)/);
    const experiments = await curio(['experiments', 'list', '--json'], env);
    expect(experiments.json()).toEqual((await apiGet(api, '/v1/experiments')).items);
    const [created] = experiments.json();
    expect(created.config).toMatchObject({
      poolId: pools.json()[0].id,
      metadataSetId: sets.json()[0].id,
      evalSetIds: [evalSets.json()[0].id],
      training: { batchSize: 16 },
      curation: { mode: 'cit', interval: 10 },
      stop: { maxSteps: 20, targetAccuracy: { top1: 0.8 } },
    });
    const list = await curio(['experiments', 'list'], env);
    expect(list.stdout).toMatch(/tiny-cit\s+tiny\s+cit\s+20 steps \/ top-1 80%/);

    // --limit pages through the API's cursor
    await curio(['pools', 'add', 'web-2', join(dir, 'more')], env);
    await curio(['pools', 'add', 'web-3', join(dir, 'pool')], env);
    const two = await curio(['pools', 'list', '--json', '--limit', '2'], env);
    expect(two.json().map((p: { name: string }) => p.name)).toEqual(['web-3', 'web-2']);
  } finally {
    await api.close();
  }
});

pgTest('keys: create (secret once), list, revoke; a revoked key is refused', async ({ db }) => {
  const api = await serveApi(db);
  try {
    const env = await cliEnv(api);
    const made = await curio(['keys', 'create', 'ci', '--role', 'viewer', '--json'], env);
    expect(made.code).toBe(0);
    const key = made.json();
    expect(key).toMatchObject({ name: 'ci', role: 'viewer', revokedAt: null });
    expect(key.secret).toMatch(/^curio_/);

    const shown = await curio(['keys', 'create', 'laptop'], env);
    expect(shown.stdout).toMatch(
      /created member key laptop \(key_\w+\)\. Its secret, shown only now:\n\s+curio_\S+/,
    );

    const keys = await curio(['keys', 'list', '--json'], env);
    expect(keys.json()).toEqual((await apiGet(api, '/v1/keys')).items);
    expect(keys.json().map((k: { name: string }) => k.name)).toEqual(['laptop', 'ci', 'bootstrap']);

    const viewer = { ...env, CURIO_API_KEY: key.secret };
    expect((await curio(['pools', 'list'], viewer)).code).toBe(0);
    const revoked = await curio(['keys', 'revoke', key.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`revoked key ci \\(${key.id}, ${key.prefix}…\\)`));
    const table = await curio(['keys', 'list'], env);
    expect(table.stdout).toMatch(/ci\s+curio_\S+…\s+viewer/);

    const refused = await curio(['pools', 'list'], viewer);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^curio: pools list: 401 Unauthorized: .*revoked.* — set CURIO_API_KEY or pass --key/,
    );
  } finally {
    await api.close();
  }
});
