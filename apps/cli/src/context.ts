// What every command gets: the checked environment, where to print, and the API (resolved on
// first use from --api/--key, the environment, or the credentials `serve`/`demo` saved).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { collect, createClient, ok, type Client } from './client.js';
import { requireConnection, type Connection, type GlobalOptions } from './connection.js';
import type { CliEnv } from './env.js';
import { CliError, EXIT } from './errors.js';
import type { Out } from './output.js';

export interface Io {
  env: CliEnv;
  out: Out;
  /** Draw a live progress line (stderr is a terminal and not CI). */
  live: boolean;
}

export interface Api {
  conn: Connection;
  client: Client;
}

export async function apiFor(command: Command, io: Io): Promise<Api> {
  const conn = await requireConnection(command.optsWithGlobals<GlobalOptions>(), io.env);
  return { conn, client: createClient(conn) };
}

/** Listing options every list command has. */
export function listOptions(command: Command): Command {
  return command
    .option('--json', "print the API's items as JSON")
    .option('--limit <n>', 'at most this many (newest first)', positiveInt('--limit'), 50);
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${flag} must be a positive integer, got "${value}"`, EXIT.usage);
    return n;
  };
}

export function positiveIntOrZero(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new CliError(`${flag} must be a whole number, got "${value}"`, EXIT.usage);
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new CliError(`${flag} must be a positive number, got "${value}"`, EXIT.usage);
    return n;
  };
}

export function fraction(flag: string) {
  return (value: string): number => {
    let n = Number(value.endsWith('%') ? value.slice(0, -1) : value);
    if (value.endsWith('%')) n /= 100;
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new CliError(
        `${flag} must be a fraction in [0, 1] (or a percentage), got "${value}"`,
        EXIT.usage,
      );
    return n;
  };
}

/** Local paths made absolute (the API may run elsewhere); URLs left as they are. */
export function location(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : resolve(value);
}

type Kind = 'pool' | 'metadata set' | 'eval set' | 'experiment';
const PREFIX: Record<Kind, string> = {
  pool: 'pool_',
  'metadata set': 'meta_',
  'eval set': 'evset_',
  experiment: 'exp_',
};
const LIST_COMMAND: Record<Kind, string> = {
  pool: 'curio pools list',
  'metadata set': 'curio metadata list',
  'eval set': 'curio evalsets list',
  experiment: 'curio experiments list',
};

/** An id as it is, or the id of the one object with that name. */
export async function resolveRef(client: Client, kind: Kind, ref: string): Promise<string> {
  if (ref.startsWith(PREFIX[kind])) return ref;
  const what = `looking up ${kind} "${ref}"`;
  type Named = { id: string; name: string };
  const lister: Record<
    Kind,
    (q: {
      limit: string;
      cursor?: string;
    }) => Promise<{ items: Named[]; nextCursor: string | null }>
  > = {
    pool: (query) => ok(what, client.v1.pools.$get({ query })),
    'metadata set': (query) => ok(what, client.v1['metadata-sets'].$get({ query })),
    'eval set': (query) => ok(what, client.v1['eval-sets'].$get({ query })),
    experiment: (query) => ok(what, client.v1.experiments.$get({ query })),
  };
  const found = (await collect(10_000, lister[kind])).filter((x) => x.name === ref);
  if (found.length === 1) return found[0]!.id;
  throw new CliError(
    `no ${kind} named or with id "${ref}" in this team (\`${LIST_COMMAND[kind]}\` shows them)`,
  );
}
