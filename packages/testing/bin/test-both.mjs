#!/usr/bin/env node
// Runs a workspace's database tests on PGlite, and on the real PostgreSQL server when
// DATABASE_URL is set: "PGlite always, and PostgreSQL when there is one". The two passes run at
// once (each runs its files one at a time; they share no database, port or temp directory), each
// line prefixed with its database. Extra args go to vitest.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['vitest', 'run', ...process.argv.slice(2)];
const passes = [{ label: 'PGlite', env: { CURIO_TEST_DB: 'pglite' } }];
if (process.env.DATABASE_URL)
  passes.push({ label: 'PostgreSQL', env: { CURIO_TEST_DB: 'postgres' } });

/** One pass: its exit status and seconds, with its output prefixed line by line. */
function runPass(pass) {
  const started = performance.now();
  const child = spawn('npx', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...pass.env },
  });
  const prefix = `[${pass.label}] `;
  const lines = [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ].map(([from, to]) => {
    const rl = createInterface({ input: from, crlfDelay: Infinity });
    rl.on('line', (line) => to.write(prefix + line + '\n'));
    return new Promise((resolve) => rl.on('close', resolve));
  });
  const exit = new Promise((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
  return Promise.all([exit, ...lines]).then(([status]) => ({
    label: pass.label,
    status,
    seconds: (performance.now() - started) / 1000,
  }));
}

console.log(`database tests on ${passes.map((p) => p.label).join(' and ')}, at once`);
const results = await Promise.all(passes.map(runPass));
for (const r of results)
  console.log(
    `── database tests on ${r.label}: ${r.status === 0 ? 'passed' : `failed (exit ${r.status})`} in ${r.seconds.toFixed(0)} s`,
  );
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
