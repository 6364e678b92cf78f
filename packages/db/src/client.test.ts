import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { teams } from '@curio/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, redact } from './client';
import { migrate } from './migrate';

describe('createDb', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps PGlite data in its directory across reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-db-'));
    dirs.push(dir);
    const pgliteDir = join(dir, 'nested', 'pglite');
    const first = await createDb({ pgliteDir });
    expect(first.connection).toEqual({ driver: 'pglite', pgliteDir });
    await migrate(first);
    await first.insert(teams).values({ name: 'Acme', slug: 'acme' });
    await first.close();

    const second = await createDb({ pgliteDir });
    await migrate(second);
    const rows = await second.select().from(teams);
    expect(rows.map((t) => t.slug)).toEqual(['acme']);
    expect(rows[0]?.createdAt).toBeInstanceOf(Date);
    await second.close();
  }, 180_000); // a file-backed PGlite migrated twice: slow on a loaded 2-core machine

  it('names the server (without its password) when it cannot connect', async () => {
    await expect(createDb({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/x' })).rejects.toThrow(
      /cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/,
    );
  });
});

describe('redact', () => {
  it('hides the password', () => {
    expect(redact('postgres://postgres:pw@localhost:5432/db')).toBe(
      'postgres://postgres:***@localhost:5432/db',
    );
    expect(redact('not a url')).toBe('(unparseable database URL)');
  });
});
