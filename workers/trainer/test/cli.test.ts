// The `curio-train` command as a user runs it: bad input gets one clear line and a failing exit.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/curio-train.js', import.meta.url));
const run = promisify(execFile);

async function fails(args: string[], code = 1): Promise<string> {
  const err = await run(process.execPath, [bin, ...args], {
    env: { ...process.env, CURIO_TF_BACKEND: 'cpu' },
  }).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(err, `curio-train ${args.join(' ')} should fail`).toBeDefined();
  expect(err!.code).toBe(code);
  return err!.stderr;
}

const COMMANDS = ['train', 'synth', 'embed', 'classify', 'export', 'worker'];

describe('curio-train --help', () => {
  it('lists every command', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each(COMMANDS)('%s --help shows its usage and options', async (command) => {
    const { stdout } = await run(process.execPath, [bin, command, '--help']);
    expect(stdout).toMatch(new RegExp(`^Usage: curio-train ${command} \\[options\\]`));
    expect(stdout).toMatch(/^Options:$/m);
    expect(stdout).toMatch(/-h, --help/);
  });
});

describe('curio-train with a typo', () => {
  it('suggests the nearest option, also before a required one is missed', async () => {
    expect(await fails(['--spce', 'run.json', '--out', 'x'])).toMatch(
      /unknown option '--spce'\n\(Did you mean --spec\?\)/,
    );
    expect(await fails(['export', '--checkpoint', 'c', '--outt', 'x'])).toMatch(
      /unknown option '--outt'\n\(Did you mean --out\?\)/,
    );
  });

  it('suggests the nearest command', async () => {
    expect(await fails(['clasify'])).toMatch(
      /unknown command 'clasify'\n\(Did you mean classify\?\)/,
    );
  });

  it('names a missing required option and a bad number', async () => {
    expect(await fails(['export', '--out', 'x'])).toMatch(
      /required option '--checkpoint <dir>' not specified/,
    );
    expect(await fails(['synth', '--out', 'x', '--pool-size', '2.5'])).toMatch(
      /option '--pool-size <n>' argument '2.5' is invalid\. must be a positive integer/,
    );
    expect(await fails(['classify', '--checkpoint', 'c', '--names', ' , ', 'img.png'])).toMatch(
      /must name at least one class/,
    );
    expect(await fails(['embed', '--checkpoint', 'c', '--out', 'o.jsonl'])).toMatch(
      /embed needs exactly one of --texts FILE or --images PATH/,
    );
  });
});

describe('curio-train', () => {
  it('names the invalid field of a spec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-cli-'));
    const spec = join(dir, 'run.json');
    await writeFile(
      spec,
      JSON.stringify({
        pool: { sources: [{ name: 'web', shards: ['x'] }] },
        metadata: { names: ['a'] },
        stop: { maxSteps: 5 },
        training: { batchSize: -1 },
      }),
    );
    expect(await fails(['--spec', spec, '--out', join(dir, 'out')])).toMatch(
      /invalid run spec: training\.batchSize/,
    );
  });

  it('says which spec file is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-cli-'));
    expect(await fails(['--spec', join(dir, 'nope.json'), '--out', dir])).toMatch(
      /cannot read spec file .*nope\.json/,
    );
    await writeFile(join(dir, 'bad.json'), '{ "pool": ');
    expect(await fails(['--spec', join(dir, 'bad.json'), '--out', dir])).toMatch(
      /bad\.json is not valid JSON/,
    );
  });

  it('names a pool location that matches nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-cli-'));
    const spec = join(dir, 'run.json');
    await writeFile(
      spec,
      JSON.stringify({
        pool: { sources: [{ name: 'web', shards: ['missing/*.tar'] }] },
        metadata: { names: ['a'] },
        stop: { maxSteps: 5 },
      }),
    );
    expect(await fails(['--spec', spec, '--out', join(dir, 'out')])).toMatch(/missing\/\*\.tar/);
  });
});
