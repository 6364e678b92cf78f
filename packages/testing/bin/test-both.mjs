#!/usr/bin/env node
// Runs a workspace's database tests on PGlite, and again on the real PostgreSQL server when
// DATABASE_URL is set: "PGlite always, and PostgreSQL when there is one". Extra args go to vitest.
import { spawnSync } from 'node:child_process';

const args = ['vitest', 'run', ...process.argv.slice(2)];
const runs = [{ label: 'PGlite', env: { CURIO_TEST_DB: 'pglite' } }];
if (process.env.DATABASE_URL)
  runs.push({ label: 'PostgreSQL', env: { CURIO_TEST_DB: 'postgres' } });
for (const run of runs) {
  console.log(`\n── database tests on ${run.label} ──`);
  const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...run.env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
