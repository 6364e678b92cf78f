// The demo's flow as a user runs it by hand, through the `curio` CLI against a served API:
// `curio serve` (a child process on a free port, PGlite in a temp data folder) and, in other
// processes, a tiny synthetic pool from `curio-train synth`, then pool, metadata, eval set and a
// CiT experiment registered with the CLI, a run started and followed to its end, and the results
// table with an evaluation in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURIO, CURIO_TRAIN, mustRun } from './support/commands.js';

/** The environment of every `curio` call: the data folder only (no DATABASE_URL: PGlite). */
function cliEnv(dataDir: string): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR'].filter((k) => process.env[k] !== undefined);
  return {
    ...Object.fromEntries(keep.map((k) => [k, process.env[k]!])),
    CI: '1',
    NO_COLOR: '1',
    CURIO_DATA_DIR: dataDir,
  };
}

/**
 * `curio serve --port 0` started in `cwd` (which it grants to its team, as on a user's machine),
 * resolved once it has saved its URL and key for the other commands.
 */
async function serve(
  cwd: string,
  dataDir: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CURIO, 'serve', '--port', '0'], {
    cwd,
    env: cliEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => void (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => void (output += b.toString()));
  const deadline = Date.now() + 60_000;
  while (!/saved in/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`curio serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

describe('the demo flow through the curio CLI', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serve>>;
  const curio = (args: string[], timeoutMs?: number) =>
    mustRun(CURIO, args, { cwd: dir, env: cliEnv(join(dir, 'store')), timeoutMs });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curio-demo-flow-'));
    server = await serve(dir, join(dir, 'store'));
  });

  afterAll(async () => {
    if (!server || server.child.exitCode !== null) return;
    const exited = new Promise((done) => server.child.once('exit', done));
    server.child.kill('SIGINT');
    await exited;
  });

  it('registers the data, trains a CiT run to its end and shows an evaluation', async () => {
    await mustRun(
      CURIO_TRAIN,
      [
        'synth',
        '--out',
        'data',
        '--pool-size',
        '1200',
        '--on-target',
        '0.2',
        '--eval-per-class',
        '3',
      ],
      { cwd: dir },
    );
    expect(await curio(['pools', 'add', 'web', 'data/pool'])).toMatch(/web/);
    await curio([
      'metadata',
      'add',
      'shapes',
      '--file',
      'data/metadata.txt',
      '--synonyms',
      'data/synonyms.json',
    ]);
    await curio(['evalsets', 'add', 'shapes', 'data/eval']);
    await writeFile(
      join(dir, 'experiment.json'),
      JSON.stringify({
        training: { batchSize: 32, lr: 1e-3, warmupSteps: 2 },
        curation: { mode: 'cit', interval: 5, maxScanPerRound: 600 },
        eval: { everySteps: 10 },
        checkpoint: { everySteps: 10 },
      }),
    );
    await curio([
      'experiments',
      'create',
      'tiny-cit',
      '--pool',
      'web',
      '--metadata',
      'shapes',
      '--eval',
      'shapes',
      '--config',
      'experiment.json',
      '--preset',
      'tiny',
      '--max-steps',
      '20',
    ]);
    const experiments = JSON.parse(await curio(['experiments', 'list', '--json'])) as {
      name: string;
    }[];
    expect(experiments.map((e) => e.name)).toEqual(['tiny-cit']);

    const out = await curio(['runs', 'start', 'tiny-cit', '--wait'], 150_000);
    expect(out).toMatch(/run run_\w+ succeeded \(stopped by its step limit\)/);
    expect(out).toMatch(/step\s+time\s+cost\s+top-1\s+top-5/);
    const rows = out.split('\n').filter((l) => /^\s*(10|20)\s+\S+\s+\S+\s+\d+\.\d%/.test(l));
    expect(rows, `results table:\n${out}`).toHaveLength(2);
    expect(out).toMatch(/best zero-shot top-1 on shapes: \d+\.\d% at step \d+/);
  });
});
