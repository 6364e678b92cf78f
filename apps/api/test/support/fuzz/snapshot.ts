// What the store holds, to compare before and after requests that must change nothing: every row
// of every table of the public schema (as JSON, in a stable order) and every file of the blob
// store. `api_keys.last_used_at` is left out: authenticating a request records it (to the
// minute), rejected or not, and that is its job.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { sql, type Db } from '@curio/db';

/** Columns that legitimately record requests, by table. */
export const REQUEST_RECORDS: Record<string, string[]> = { api_keys: ['last_used_at'] };

export interface StoreSnapshot {
  rows: Record<string, unknown[]>;
  files: Record<string, number>;
}

async function tableNames(db: Db): Promise<string[]> {
  const result = await db.execute<{ name: string }>(
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rowsOf<{ name: string }>(result).map((r) => r.name);
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export async function snapshotStore(db: Db, blobRoot: string): Promise<StoreSnapshot> {
  const rows: Record<string, unknown[]> = {};
  for (const table of await tableNames(db)) {
    const result = await db.execute<{ rows: string }>(
      sql`select coalesce(json_agg(t order by t::text), '[]'::json)::text as rows from ${sql.identifier(table)} t`,
    );
    const parsed = JSON.parse(rowsOf<{ rows: string }>(result)[0]!.rows) as Record<
      string,
      unknown
    >[];
    const skip = REQUEST_RECORDS[table] ?? [];
    rows[table] = parsed.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !skip.includes(column))),
    );
  }
  return { rows, files: await filesUnder(blobRoot) };
}

/** Every file under `root` with its size. */
async function filesUnder(root: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out[relative(root, full)] = (await stat(full)).size;
    }
  };
  await walk(root);
  return out;
}

/** Row counts by table, for the report. */
export function rowCounts(snapshot: StoreSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.rows).map(([t, r]) => [t, r.length]));
}
