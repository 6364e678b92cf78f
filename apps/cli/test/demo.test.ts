// The main job end to end, as a user runs it: `curio demo` (a short one) on a fresh data folder
// starts the embedded API (PGlite on disk, local trainer workers), makes a team, the data and the
// catalog, trains a CiT run and prints the results; a second demo reuses what the first made.
// And `curio serve`: the saved credentials let other commands find it; a second one is refused.
import { spawn } from 'node:child_process';
import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, curio, curioProcess, tempDir, writeShard } from './support/cli.js';

/** A stand-in for apps/web/dist: the API serves whatever CURIO_WEB_DIST holds. */
async function builtDashboard(): Promise<string> {
  const dist = await tempDir('curio-cli-web-');
  await writeFile(join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
  return dist;
}

describe('curio demo', () => {
  const dataDir = tempDir('curio-cli-demo-');

  test(
    'runs a curated training job end to end on a fresh data folder',
    { timeout: 300_000 },
    async () => {
      const dir = await dataDir;
      const r = await curioProcess(
        ['demo', '--minutes', '0.5', '--pool-size', '600', '--port', '0'],
        { CURIO_DATA_DIR: dir, CURIO_WEB_DIST: await builtDashboard() },
        280_000,
      );
      if (r.code !== 0) throw new Error(`demo failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
      const out = r.stdout;
      expect(out).toMatch(/✔ API\s+started at http:\/\/127\.0\.0\.1:\d+ on the embedded defaults/);
      expect(out).toMatch(/✔ team & key\s+created team Demo team/);
      expect(out).toMatch(
        /✔ dashboard\s+http:\/\/127\.0\.0\.1:\d+\/\s+sign in once with http:\/\/127\.0\.0\.1:\d+\/login\/[\w-]{43} /,
      );
      expect(out).toMatch(/✔ data\s+generated 600 pairs \(60 on target, 10\.0%/);
      expect(out).toMatch(
        /✔ catalog\s+registered pool, metadata set \(12 names with synonyms\), eval set shapes and CiT experiment demo-cit-/,
      );
      const runId = /✔ run\s+started (run_\w+)/.exec(out)?.[1];
      expect(runId).toBeDefined();
      expect(r.stderr).toMatch(/dispatching → running/);
      expect(r.stderr).toMatch(/eval shapes @ step \d+: zero-shot top-1/);
      expect(out).toMatch(
        new RegExp(
          `✔ run ${runId} succeeded \\(stopped by (its time budget|reaching its target accuracy)\\)`,
        ),
      );
      expect(out).toMatch(
        /step\s+time\s+cost\s+top-1\s+top-5\s+I→T R@1\s+R@5\s+R@10\s+T→I R@1\s+R@5\s+R@10/,
      );
      expect(out).toMatch(/best zero-shot top-1 on shapes: \d+\.\d% at step \d+/);
      expect(out).toMatch(/What curation did\n\s+pool\s+600 pairs, 10\.0% of them on target/);
      expect(out).toMatch(
        /\s+kept\s+\d+\.\d% of the pairs scanned \([\d,]+ of [\d,]+ over \d+ rounds\)/,
      );
      expect(out).toMatch(/\s+on target\s+\d+% of the kept pairs, \d+\.\d× the pool's share/);
      expect(out).toMatch(/\s+accuracy\s+\d+\.\d% zero-shot top-1 at step \d+/);
      expect(out).toMatch(
        /Timings\s+API .* · team & key .* · data .* · catalog .* · worker start .* · training .* · total /,
      );
      expect(out).toContain('Where to look next');
      expect(out).toContain(`npx curio runs show ${runId}`);
      expect(await readdir(dir)).toEqual(
        expect.arrayContaining(['cli.json', 'pglite', 'blobs', 'demo-data', 'logs']),
      );
      expect((await readdir(join(dir, 'blobs', runId!))).length).toBeGreaterThan(0);
      expect((await stat(join(dir, 'cli.json'))).mode & 0o777).toBe(0o600);
    },
  );

  test(
    'a second demo on the same folder reuses the team, data and catalog',
    { timeout: 300_000 },
    async () => {
      const dir = await dataDir;
      const r = await curioProcess(
        ['demo', '--minutes', '0.2', '--pool-size', '600', '--port', '0'],
        { CURIO_DATA_DIR: dir, CURIO_WEB_DIST: await builtDashboard() },
        280_000,
      );
      if (r.code !== 0)
        throw new Error(`second demo failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
      expect(r.stdout).toMatch(/✔ team & key\s+reusing team Demo team/);
      expect(r.stdout).toMatch(/✔ data\s+reusing 600 pairs/);
      expect(r.stdout).toMatch(
        /✔ catalog\s+registered .*\(reused: pool demo-web-600, metadata set demo-shapes, eval set shapes\)/,
      );
      expect(r.stdout).toMatch(/✔ run run_\w+ succeeded/);
    },
  );
});

test(
  'curio serve: other commands find it through the saved credentials; a second one is refused',
  { timeout: 120_000 },
  async () => {
    const dir = await tempDir('curio-cli-serve-');
    const dataRoot = await realpath(await tempDir('curio-cli-serve-data-'));
    const outside = await tempDir('curio-cli-serve-outside-');
    await writeShard(join(dataRoot, 'web', '000000.tar'), 3);
    await writeShard(join(outside, '000000.tar'), 3);
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-root', dataRoot], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CI: '1',
        NO_COLOR: '1',
        CURIO_DATA_DIR: dir,
        CURIO_WEB_DIST: await builtDashboard(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => void (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => void (output += b.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/granted to team/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`serve did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toMatch(/Curio API listening on http:\/\/127\.0\.0\.1:\d+/);
      const dashboard = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!;
      const page = await fetch(dashboard);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<div id="app">');
      expect(output).toMatch(/created team Local team and an owner key, shown only now: curio_\S+/);
      const saved = JSON.parse(await readFile(join(dir, 'cli.json'), 'utf8'));

      const pools = await curio(['pools', 'list', '--json'], { CURIO_DATA_DIR: dir });
      expect(pools.stderr).toBe('');
      expect(pools.json()).toEqual([]);
      // the working folder (on loopback) and --data-root are granted to the team, and said so
      expect(output).toContain(
        `data: ${await realpath(process.cwd())}, ${dataRoot} granted to team Local team`,
      );
      const granted = await curio(['pools', 'add', 'web', join(dataRoot, 'web')], {
        CURIO_DATA_DIR: dir,
      });
      expect(granted.stdout).toMatch(/created pool web .*1 shard\(s\) with 3 samples/);
      const refused = await curio(['pools', 'add', 'other', outside], { CURIO_DATA_DIR: dir });
      expect(refused.stderr).toContain(`data location ${outside} does not exist or is not granted`);
      const keys = await curio(['keys', 'list', '--json'], { CURIO_DATA_DIR: dir });
      expect(keys.json()).toMatchObject([{ name: 'cli', role: 'owner', prefix: saved.keyPrefix }]);

      const second = await curioProcess(['serve', '--port', '0'], { CURIO_DATA_DIR: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/an API already serves .* at http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  },
);
