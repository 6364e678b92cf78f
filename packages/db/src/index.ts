export {
  createDb,
  redact,
  DEFAULT_PGLITE_DIR,
  PGLITE_MEMORY,
  type CreateDbOptions,
  type CurioDb,
  type Db,
  type DbConnection,
  type Schema,
  type Tx,
} from './client';
export { migrate } from './migrate';
export { openPostgres, type PostgresOptions } from './postgres';
export { queryRows } from './raw';
export * from './errors';
// Query operators (eq, and, sql, count, desc, …) from the same drizzle-orm the client uses.
export * from 'drizzle-orm/sql';
