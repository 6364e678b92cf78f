// PGlite test databases. Running initdb and the migrations costs seconds, so it happens once per
// migrations fingerprint: the migrated data directory is dumped to a tarball in this package's
// node_modules/.cache (shared by test workers, files, workspaces and runs; not in TMPDIR, which
// the shared Vitest config gives each test file afresh), and every test database starts from
// that dump (~0.5 s). The WebAssembly modules are compiled once per process too.
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGliteOptions } from '@electric-sql/pglite';
import { type CurioDb, createDb, migrate, PGLITE_MEMORY } from '@curio/db';
import { migrationsFingerprint } from './fingerprint';

const DUMP_PREFIX = 'curio-pglite-';
/** Where the dumps are kept between runs (git ignores node_modules). */
const DUMP_DIR = fileURLToPath(new URL('../node_modules/.cache/curio-testing/', import.meta.url));
let dump: Promise<Blob> | undefined;
let assets:
  Promise<Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>> | undefined;

// The WebAssembly global is missing from the ES2023 lib (no DOM types); PGlite's own types name it.
const wasm = (
  globalThis as unknown as {
    WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };
  }
).WebAssembly;

/** PGlite's compiled WebAssembly modules and file-system bundle, loaded once per process. */
function pgliteAssets() {
  assets ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
      readFile(join(dist, 'pglite.wasm')).then((b) => wasm.compile(b)),
      readFile(join(dist, 'initdb.wasm')).then((b) => wasm.compile(b)),
      readFile(join(dist, 'pglite.data')).then((b) => new Blob([b])),
    ]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle };
  })();
  return assets;
}

/** The migrated data directory as a tarball, built on first use. */
export function migratedDump(): Promise<Blob> {
  dump ??= loadOrBuildDump().catch((error: unknown) => {
    dump = undefined;
    throw error;
  });
  return dump;
}

async function loadOrBuildDump(): Promise<Blob> {
  const file = join(DUMP_DIR, `${DUMP_PREFIX}${migrationsFingerprint()}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // not cached yet
  }
  const db = await createDb({ pgliteDir: PGLITE_MEMORY, pglite: await pgliteAssets() });
  try {
    await migrate(db);
    const blob = await pgliteClient(db).dumpDataDir('none');
    await mkdir(DUMP_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(partial, new Uint8Array(await blob.arrayBuffer()));
    await rename(partial, file);
    await pruneOldDumps(file);
    return blob;
  } finally {
    await db.close();
  }
}

async function pruneOldDumps(keep: string): Promise<void> {
  for (const name of await readdir(DUMP_DIR)) {
    const path = join(DUMP_DIR, name);
    if (name.startsWith(DUMP_PREFIX) && name.endsWith('.tar') && path !== keep) {
      await rm(path, { force: true });
    }
  }
}

function pgliteClient(db: CurioDb): { dumpDataDir(c: 'none'): Promise<Blob> } {
  return (db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
}

export interface PgliteTestDb {
  db: CurioDb;
  /** Where the data lives; on disk only when asked for, so it can be reopened. */
  pgliteDir: string;
  destroy(): Promise<void>;
}

/** A PGlite database: migrated (from the dump) or empty, in memory or in a temp directory. */
export async function openPgliteTestDb(options: {
  migrated: boolean;
  onDisk: boolean;
}): Promise<PgliteTestDb> {
  const pgliteDir = options.onDisk ? await mkdtemp(join(tmpdir(), 'curio-testdb-')) : PGLITE_MEMORY;
  const loadDataDir = options.migrated ? await migratedDump() : undefined;
  const db = await createDb({
    pgliteDir,
    pglite: { ...(await pgliteAssets()), ...(loadDataDir && { loadDataDir }) },
  });
  return {
    db,
    pgliteDir,
    destroy: async () => {
      await db.close();
      if (options.onDisk) await rm(pgliteDir, { recursive: true, force: true });
    },
  };
}
