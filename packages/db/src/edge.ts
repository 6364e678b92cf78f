// @curio/db at the edge (the `workerd` export condition; index.ts elsewhere): everything but
// PGlite and the migrator, which need Node. The edge opens PostgreSQL with `openPostgres`;
// migrations are applied by the deploy, from Node.
export type { CurioDb, Db, DbConnection, Schema, Tx } from './client';
export { openPostgres, redact } from './postgres';
export type { PostgresOptions } from './postgres';
export { queryRows } from './raw';
export * from './errors';
export * from 'drizzle-orm/sql';
