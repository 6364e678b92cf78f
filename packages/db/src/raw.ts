// Raw SQL through drizzle's `db.execute` answers differently per driver: postgres.js gives an
// array of rows, PGlite a `{ rows }` object. `queryRows` gives rows on both. Note that bigint
// results (e.g. `count(*)`) arrive as strings on postgres.js: cast with `::int` or use Number().
import type { SQL } from 'drizzle-orm';
import type { Db } from './client';

export async function queryRows<T extends Record<string, unknown>>(
  db: Db,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
