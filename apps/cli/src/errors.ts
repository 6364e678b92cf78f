// What the CLI fails with: one clear line for the user and an exit code. `main.ts` prints it.
import type { Problem } from '@curio/contracts';

/** Exit codes: 1 a failure (API error, failed run), 2 bad usage, 3 the API cannot be reached. */
export const EXIT = { failed: 1, usage: 2, unreachable: 3, canceled: 4 } as const;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** An API answer that is not a success: the problem document, said in one line. */
export class ApiCallError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly what: string,
    raw = '',
  ) {
    super(describeProblem(status, problem, what, raw), EXIT.failed);
  }
}

/**
 * "pools add: 400 Bad Request: invalid request body: shards: give at least one shard". The
 * problem's `detail` already names each invalid field (`errors`); when it does not, they are added.
 */
export function describeProblem(
  status: number,
  problem: Problem | undefined,
  what: string,
  raw = '',
): string {
  if (!problem) {
    const body = raw.trim().replace(/\s+/g, ' ').slice(0, 300);
    return `${what}: the API answered ${status}${body ? `: ${body}` : ''}`;
  }
  let detail = problem.detail || problem.title;
  const missing = (problem.errors ?? []).filter((e) => !detail.includes(e.path));
  if (missing.length) detail += ` (${missing.map((e) => `${e.path}: ${e.message}`).join('; ')})`;
  const hint =
    status === 401 ? ' — set CURIO_API_KEY or pass --key (`curio keys create` makes one)' : '';
  return `${what}: ${status} ${problem.title}: ${detail}${hint}`;
}
