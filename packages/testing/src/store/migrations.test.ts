// Migrations apply to an empty database, and applying them again changes nothing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDb, migrate, queryRows, sql } from '@curio/db';
import { migrationsFolder } from '@curio/schema/migrations';
import { describe, expect, it } from 'vitest';
import { createTestDb, testBackend } from '../index';

describe(`migrations on ${testBackend()}`, () => {
  it('apply to an empty database, then again as a no-op', async () => {
    const journal = JSON.parse(
      await readFile(join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
    ) as {
      entries: unknown[];
    };
    const { db, backend, options, destroy } = await createTestDb({ migrated: false });
    try {
      const tables = async () =>
        (
          await queryRows<{ table_name: string }>(
            db,
            sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
          )
        ).map((r) => r.table_name);
      const applied = async () =>
        (
          await queryRows<{ n: number }>(
            db,
            sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
          )
        )[0]?.n;
      expect(await tables()).toEqual([]);

      // Two processes starting at once: the advisory lock (PostgreSQL) or the per-client queue
      // (PGlite, which one process owns) lets one apply and the other find nothing to do.
      const second = backend === 'postgres' ? await createDb(options) : db;
      try {
        await Promise.all([migrate(db), migrate(second)]);
      } finally {
        if (second !== db) await second.close();
      }
      const after = await tables();
      expect(after).toEqual(
        expect.arrayContaining([
          'teams',
          'users',
          'memberships',
          'api_keys',
          'pools',
          'pool_shards',
        ]),
      );
      expect(after).toEqual(
        expect.arrayContaining([
          'metadata_sets',
          'metadata_set_versions',
          'eval_sets',
          'experiments',
        ]),
      );
      expect(after).toEqual(
        expect.arrayContaining([
          'runs',
          'run_events',
          'metrics',
          'checkpoints',
          'evaluations',
          'schedules',
        ]),
      );
      expect(await applied()).toBe(journal.entries.length);

      await Promise.all([migrate(db), migrate(db)]);
      expect(await tables()).toEqual(after);
      expect(await applied()).toBe(journal.entries.length);
    } finally {
      await destroy();
    }
  }, 60_000);
});
