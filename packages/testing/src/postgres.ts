// Test databases on a real PostgreSQL server (DATABASE_URL). The migrations are applied once to a
// template database named after the migrations fingerprint; each test database is a
// `CREATE DATABASE … TEMPLATE` clone, dropped afterwards. An advisory lock lets parallel workers
// (and packages) share one template without racing to build it.
import { randomBytes } from 'node:crypto';
import { type CurioDb, createDb, migrate } from '@curio/db';
import postgres from 'postgres';
import { migrationsFingerprint } from './fingerprint';

const TEMPLATE_PREFIX = 'curio_tpl_';
const TEST_DB_PREFIX = 'curio_test_';
const TEMPLATE_LOCK = 7_265_313_002;

/** `adminUrl` with its database replaced by `database`. */
export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const admin = (adminUrl: string) => postgres(adminUrl, { max: 1, onnotice: () => {} });

let template: Promise<string> | undefined;

/** The migrated template's name, built on first use (and once per fingerprint per server). */
export function migratedTemplate(adminUrl: string): Promise<string> {
  template ??= ensureTemplate(adminUrl).catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${migrationsFingerprint()}`;
  const sql = admin(adminUrl);
  try {
    await sql`select pg_advisory_lock(${TEMPLATE_LOCK})`;
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (existing) return name;
    const stale = await sql<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${TEMPLATE_PREFIX}%`}`;
    for (const { datname } of stale) {
      await sql`alter database ${sql(datname)} is_template false`;
      await sql`drop database if exists ${sql(datname)} with (force)`;
    }
    // Build under a temporary name and rename when done, so a crash never leaves a half template.
    const building = `${name}_building`;
    await sql`drop database if exists ${sql(building)} with (force)`;
    await sql`create database ${sql(building)}`;
    const db = await createDb({
      databaseUrl: databaseUrlFor(adminUrl, building),
      maxConnections: 1,
    });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await sql`alter database ${sql(building)} rename to ${sql(name)}`;
    await sql`alter database ${sql(name)} with is_template true allow_connections false`;
    return name;
  } finally {
    await sql`select pg_advisory_unlock(${TEMPLATE_LOCK})`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}

export interface PostgresTestDb {
  db: CurioDb;
  databaseUrl: string;
  destroy(): Promise<void>;
}

/** A fresh database on the server: a clone of the migrated template, or empty. */
export async function openPostgresTestDb(
  adminUrl: string,
  options: { migrated: boolean },
): Promise<PostgresTestDb> {
  const name = `${TEST_DB_PREFIX}${randomBytes(6).toString('hex')}`;
  const source = options.migrated ? await migratedTemplate(adminUrl) : 'template0';
  const sql = admin(adminUrl);
  try {
    await sql`create database ${sql(name)} template ${sql(source)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  const databaseUrl = databaseUrlFor(adminUrl, name);
  const db = await createDb({ databaseUrl, maxConnections: 4 });
  return {
    db,
    databaseUrl,
    destroy: async () => {
      await db.close();
      const dropper = admin(adminUrl);
      try {
        await dropper`drop database if exists ${dropper(name)} with (force)`;
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}
