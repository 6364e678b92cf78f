// A short hash of the committed migrations (and the PGlite build), naming cached templates and
// dumps so that a schema change never reuses a stale one.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { migrationsFolder } from '@curio/schema/migrations';

let cached: string | undefined;

export function migrationsFingerprint(): string {
  if (cached) return cached;
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  hash.update(readFileSync(join(migrationsFolder, 'meta/_journal.json')));
  hash.update(pgliteVersion());
  cached = hash.digest('hex').slice(0, 12);
  return cached;
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '';
    } catch {
      // keep walking up
    }
  }
  return '';
}
