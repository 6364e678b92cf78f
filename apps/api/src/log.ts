// What the API writes to its log about a failure: what failed and where, never a query's
// parameters (they can hold a new key's hash, a team's input), with control characters escaped.
import { pgError } from '@curio/db';
import { escapeControl } from './http/text.js';

/**
 * One line saying what failed: a database error's SQLSTATE, message and SQL text (placeholders
 * only), or any other error's message (after its name, unless a plain Error).
 */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return escapeControl(String(error), true);
  const pg = pgError(error);
  const query = (error as { query?: unknown }).query;
  const cause = (error as { cause?: unknown }).cause;
  let what = error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  if (pg) what = `database error ${pg.code}: ${pg.message}`;
  else if (typeof query === 'string')
    what = `database error: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown'}`;
  if (typeof query === 'string') what += ` in query: ${query}`;
  return escapeControl(what, true);
}

/** The summary line, then the stack frames. */
export function describeError(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [errorSummary(error), ...frames].join('\n');
}

/** Every log line with its control characters escaped (newlines and tabs kept). */
export function safeLog(log: (message: string) => void): (message: string) => void {
  return (message) => log(escapeControl(message));
}
