// Applies the committed drizzle-kit migrations (drizzle/migrations). Safe to run at every start:
// applied migrations are recorded in drizzle.__drizzle_migrations and skipped. On PostgreSQL an
// advisory lock keeps two processes starting at once from migrating side by side.
import { migrationsFolder } from '@curio/schema/migrations';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import type { CurioDb } from './client';

/** Arbitrary constant naming Curio's migration lock (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK = 7_265_313_001;

// Calls on one client run one after another (drizzle's migrator reads what is applied before
// its transaction, so two at once on one PGlite would both try to apply the same migration).
const running = new WeakMap<CurioDb, Promise<void>>();

/** Apply the committed migrations that `db` lacks; safe to call at every start and concurrently. */
export function migrate(db: CurioDb): Promise<void> {
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => applyMigrations(db));
  running.set(db, next);
  return next;
}

async function applyMigrations(db: CurioDb): Promise<void> {
  const { connection } = db;
  if (connection.driver === 'pglite') {
    await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // One dedicated connection, so the lock and the migration share a session.
  const client = postgres(connection.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}
