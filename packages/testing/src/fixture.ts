// `pgTest`: a vitest `test` whose `db` fixture is a freshly migrated database, dropped afterwards.
//
//   import { pgTest } from '@curio/testing';
//   pgTest('stores a team', async ({ db }) => { … });
import type { CurioDb } from '@curio/db';
import { test } from 'vitest';
import { createTestDb, type TestDb } from './database';

export interface PgFixtures {
  /** The test database with its backend, reopen options and `destroy()`. */
  testDb: TestDb;
  /** Shorthand for `testDb.db`. */
  db: CurioDb;
}

export const pgTest = test.extend<PgFixtures>({
  // eslint-disable-next-line no-empty-pattern
  testDb: async ({}, use) => {
    const testDb = await createTestDb();
    try {
      await use(testDb);
    } finally {
      await testDb.destroy();
    }
  },
  db: async ({ testDb }, use) => {
    await use(testDb.db);
  },
});
