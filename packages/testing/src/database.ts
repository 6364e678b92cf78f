// One entry point for a test database: on the PostgreSQL server when DATABASE_URL is set,
// in-process PGlite otherwise.
import type { CreateDbOptions, CurioDb } from '@curio/db';
import { env } from './env';
import { openPgliteTestDb } from './pglite';
import { openPostgresTestDb } from './postgres';

export type TestBackend = 'postgres' | 'pglite';

export interface TestDbOptions {
  /** Apply the migrations (default true); false gives an empty database. */
  migrated?: boolean;
  /** PGlite only: keep the data in a temp directory rather than memory, so it can be reopened. */
  onDisk?: boolean;
}

export interface TestDb {
  db: CurioDb;
  backend: TestBackend;
  /** Options that open this same database again with `createDb` (after `db.close()`, for PGlite). */
  options: CreateDbOptions;
  /** Close the client and drop the database. */
  destroy(): Promise<void>;
}

/** Which backend the database tests run on. */
export function testBackend(): TestBackend {
  return env.DATABASE_URL ? 'postgres' : 'pglite';
}

export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const migrated = options.migrated ?? true;
  if (env.DATABASE_URL) {
    const t = await openPostgresTestDb(env.DATABASE_URL, { migrated });
    return {
      db: t.db,
      backend: 'postgres',
      options: { databaseUrl: t.databaseUrl },
      destroy: t.destroy,
    };
  }
  const t = await openPgliteTestDb({ migrated, onDisk: options.onDisk ?? false });
  return { db: t.db, backend: 'pglite', options: { pgliteDir: t.pgliteDir }, destroy: t.destroy };
}
