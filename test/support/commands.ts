// The workspace commands as a user runs them: `curio-train` and `curio` through the links npm
// puts in node_modules/.bin, each a child process whose output is kept for the failure message.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name: string) =>
  fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

export const CURIO_TRAIN = bin('curio-train');
export const CURIO = bin('curio');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `node <bin> args…`; resolves with its exit code and output (never rejects on exit ≠ 0). */
export function runCommand(
  binPath: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (err && typeof err.code !== 'number' && !err.killed) return reject(err);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed; a failure throws with its whole output. */
export async function mustRun(
  binPath: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const r = await runCommand(binPath, args, options);
  if (r.code !== 0)
    throw new Error(
      `${binPath.split('/').at(-1)} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`,
    );
  return r.stdout;
}
