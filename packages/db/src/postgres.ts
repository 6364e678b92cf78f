// A PostgreSQL server through postgres.js, with nothing else: what `createDb` opens for a
// DATABASE_URL on Node, and all the edge opens (postgres.js reaches the server there through
// `cloudflare:sockets`, Hyperdrive's connection string in place of the server's own).
import * as schema from '@curio/schema';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { CurioDb, Db, DbConnection } from './client';

export interface PostgresOptions {
  /** Pool size (default 10; the edge opens one small pool per request). */
  max?: number | undefined;
  /** Run `select 1` first, so a bad URL fails here naming the server (default true). */
  check?: boolean | undefined;
}

export async function openPostgres(
  databaseUrl: string,
  options: PostgresOptions = {},
): Promise<CurioDb> {
  const client = postgres(databaseUrl, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'curio' },
  });
  const db = drizzle(client, { schema });
  if (options.check ?? true) {
    try {
      await client`select 1`;
    } catch (error) {
      await client.end({ timeout: 1 });
      throw new Error(`cannot connect to ${redact(databaseUrl)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const connection: DbConnection = { driver: 'postgres', databaseUrl };
  return Object.assign(db satisfies Db, {
    connection,
    close: () => client.end({ timeout: 5 }),
  });
}

/** The URL with its password hidden, for messages. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
