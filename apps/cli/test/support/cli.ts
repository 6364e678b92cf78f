// Driving the CLI: `curio(args)` runs the real command line in this process (the same `runCli`
// the bin calls) with its output captured; `curioProcess(args)` runs bin/curio.js as a child.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export { writeEvalSet, writePoolShard as writeShard } from '@curio/testing';
