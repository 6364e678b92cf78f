// Driving the CLI: `curio(args)` runs the real command line in this process (the same `runCli`
// the bin calls) with its output captured; `curioProcess(args)` runs bin/curio.js as a child.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTarShard } from '@curio/trainer/data';
import { readCliEnv } from '../../src/env.js';
import { runCli } from '../../src/main.js';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'curio.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked by their assertions
  json<T = any>(): T;
}

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function result(code: number, stdout: string, stderr: string): CliResult {
  return {
    code,
    stdout: plain(stdout),
    stderr: plain(stderr),
    json: () => JSON.parse(stdout),
  };
}

export async function curio(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = {
    log: (line = '') => void (stdout += `${line}\n`),
    note: (line = '') => void (stderr += `${line}\n`),
  };
  const code = await runCli(args, { env: readCliEnv(env), out, live: false });
  return result(code, stdout, stderr);
}

export function curioProcess(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TMPDIR: process.env.TMPDIR,
          CI: '1',
          ...env,
        },
        timeout: timeoutMs,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done(result(code, stdout, stderr));
      },
    );
  });
}

export async function tempDir(prefix = 'curio-cli-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A pool shard of `samples` caption/image pairs (the API counts them; images are not decoded). */
export async function writeShard(file: string, samples: number): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const entries = [];
  for (let i = 0; i < samples; i++) {
    const key = String(i).padStart(6, '0');
    entries.push({ name: `${key}.jpg`, data: new Uint8Array([0xff, 0xd8, 0xff, i % 256]) });
    entries.push({ name: `${key}.txt`, data: `a red circle number ${i}` });
  }
  await writeTarShard(file, entries);
  return file;
}

/** A clip_benchmark folder with two classes. */
export async function writeEvalSet(dir: string): Promise<string> {
  await mkdir(join(dir, 'test'), { recursive: true });
  await writeFile(join(dir, 'classnames.txt'), 'red circle\nblue square\n');
  await writeFile(join(dir, 'zeroshot_classification_templates.txt'), 'a photo of a {c}.\n');
  await writeTarShard(join(dir, 'test', '0.tar'), [
    { name: '000000.png', data: new Uint8Array([1, 2, 3]) },
    { name: '000000.cls', data: '0' },
  ]);
  return dir;
}
