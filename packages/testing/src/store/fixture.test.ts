// Each pgTest gets its own migrated database.
import { eq, queryRows, sql } from '@curio/db';
import { teams } from '@curio/db/schema';
import { describe, expect } from 'vitest';
import { pgTest, testBackend } from '../index';

describe(`pgTest on ${testBackend()}`, () => {
  for (const name of ['first', 'second']) {
    pgTest(`gives the ${name} test a fresh migrated database`, async ({ db, testDb }) => {
      expect(testDb.backend).toBe(testBackend());
      expect(await db.select().from(teams)).toEqual([]);
      // Both tests insert the same unique slug: they would collide on a shared database.
      const [team] = await db.insert(teams).values({ name: 'Iso', slug: 'iso' }).returning();
      expect((await db.select().from(teams).where(eq(teams.slug, 'iso')))[0]?.id).toBe(team?.id);
      const [row] = await queryRows<{ n: string }>(db, sql`select current_database() as n`);
      expect(row?.n).toBeTruthy();
    });
  }
});
