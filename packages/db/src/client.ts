// One drizzle client over two drivers: postgres.js for a PostgreSQL server (DATABASE_URL,
// postgres.ts), PGlite (Postgres in WebAssembly, in process) otherwise. Queries are written once
// against `Db`.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import * as schema from '@curio/schema';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { openPostgres } from './postgres';

export type Schema = typeof schema;
/** The drizzle database both drivers implement; write queries against this type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** The handle inside `db.transaction(async (tx) => …)`; a `Tx` can be used wherever a `Db` is. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Default PGlite directory, relative to the working directory. */
export const DEFAULT_PGLITE_DIR = '.curio/pglite';
export const PGLITE_MEMORY = 'memory://';

export interface CreateDbOptions {
  /** `postgres://…`: use postgres.js against that server. Wins over `pgliteDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (created if missing), or `memory://`. Default `.curio/pglite`. */
  pgliteDir?: string | undefined;
  /** postgres.js pool size (default 10). */
  maxConnections?: number | undefined;
  /** Extra PGlite options (e.g. `loadDataDir` to start from a dump; used by `@curio/testing`). */
  pglite?: Omit<PGliteOptions, 'dataDir'> | undefined;
}

/** How a database was opened; pass it back to `createDb` to open it again. */
export type DbConnection =
  | { readonly driver: 'postgres'; readonly databaseUrl: string }
  | { readonly driver: 'pglite'; readonly pgliteDir: string };

export type CurioDb = Db & {
  readonly connection: DbConnection;
  /** Ends the postgres.js pool or closes PGlite; the client is unusable afterwards. */
  close(): Promise<void>;
};

/** Open the store: postgres.js when `databaseUrl` is given, else PGlite under `pgliteDir`. */
export async function createDb(options: CreateDbOptions = {}): Promise<CurioDb> {
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, { max: options.maxConnections ?? 10 });
  return openPglite(options.pgliteDir ?? DEFAULT_PGLITE_DIR, options.pglite ?? {});
}

async function openPglite(dir: string, extra: Omit<PGliteOptions, 'dataDir'>): Promise<CurioDb> {
  const inMemory = dir.includes('://');
  const dataDir = inMemory ? dir : resolve(dir);
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite({ ...extra, dataDir });
  try {
    await client.waitReady;
  } catch (error) {
    throw new Error(`cannot open PGlite at ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = drizzlePglite(client, { schema });
  const connection: DbConnection = { driver: 'pglite', pgliteDir: dataDir };
  return Object.assign(db satisfies Db, {
    connection,
    close: async () => {
      if (!client.closed) await client.close();
    },
  });
}

export { redact } from './postgres';
