import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from './migrations';
import * as schema from './schema';

interface Journal {
  entries: { idx: number; tag: string }[];
}

describe('committed migrations', () => {
  it('match the schema (run `npm run generate -w @curio/schema` after changing it)', async () => {
    const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
    const journal = JSON.parse(
      await readFile(join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
    ) as Journal;
    const last = journal.entries.at(-1);
    expect(last, 'the journal lists no migration').toBeDefined();
    const snapshotFile = `${String(last!.idx).padStart(4, '0')}_snapshot.json`;
    const previous = JSON.parse(
      await readFile(join(migrationsFolder, 'meta', snapshotFile), 'utf8'),
    );
    const current = generateDrizzleJson(schema as Record<string, unknown>, previous.id);
    const pending = await generateMigration(previous, current);
    expect(pending).toEqual([]);
  }, 60_000);

  it('lists every SQL file in the journal', async () => {
    const journal = JSON.parse(
      await readFile(join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
    ) as Journal;
    for (const entry of journal.entries) {
      await expect(readFile(join(migrationsFolder, `${entry.tag}.sql`), 'utf8')).resolves.toMatch(
        /\S/,
      );
    }
  });
});
