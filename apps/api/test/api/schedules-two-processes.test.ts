// Two real API processes (child processes running `src/index.ts`) on one PostgreSQL database fire
// the same due schedules: each schedule fires once for its due time and starts one run, the
// growth schedule one growth run. PostgreSQL only: two processes cannot share an in-process PGlite,
// so this test is skipped when DATABASE_URL is unset.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { count, eq, inArray, sql } from '@curio/db';
import { runs, scheduleFirings, schedules } from '@curio/db/schema';
import { pgTest, testBackend } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bootstrapTeam, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir } from '../support/data.js';
import { appendShards, workerOf } from '../support/growth.js';
import { waitFor } from '../support/server.js';

const API_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_SCHEDULES = 12;

/** `src/index.ts` in a child process on `databaseUrl`; resolves once it listens. */
async function apiProcess(databaseUrl: string): Promise<{ child: ChildProcess; output: string[] }> {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: API_ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      CURIO_DATA_DIR: await tempDir('curio-api-proc-'),
      CURIO_API_PORT: '0',
      CURIO_DISPATCHER: 'none',
      CURIO_SCHEDULE_SECONDS: '0.05',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  await waitFor(
    'the API process to listen',
    async () => {
      if (child.exitCode !== null) throw new Error(`API process exited: ${output.join('')}`);
      return output.join('').includes('listening on');
    },
    60_000,
    100,
  );
  return { child, output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

describe('schedules across API processes', () => {
  pgTest.skipIf(testBackend() !== 'postgres')(
    'two API processes never fire a schedule twice for one due time (PostgreSQL only: skipped when DATABASE_URL is unset)',
    { timeout: 120_000 },
    async ({ db, testDb }) => {
      const api = await testApi(db);
      const { key } = await bootstrapTeam(api, 'Two');
      const cat = await createCatalog(api, key);
      const first = await api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: cat.experimentId },
      });
      const worker = await workerOf(api, first.id);
      await worker.checkpoint(5);
      await worker.finish(5);
      await appendShards(api, key, cat, 'new', 2);
      const create = (kind: string) =>
        api.json('POST', '/v1/schedules', 201, {
          key,
          json: { experimentId: cat.experimentId, kind, everyMinutes: 60 },
        });
      const growth = await create('growth');
      const plain = [];
      for (let i = 0; i < RUN_SCHEDULES; i++) plain.push(await create('run'));

      const procs = [];
      for (let i = 0; i < 2; i++) procs.push(await apiProcess(testDb.options.databaseUrl!));
      try {
        // Due now, for both processes at once.
        await db.update(schedules).set({ nextRunAt: sql`now() - interval '1 minute'` });
        const all = [growth.id, ...plain.map((s) => s.id)];
        await waitFor(
          'every schedule to fire',
          async () => {
            const [fired] = await db
              .select({ n: count() })
              .from(scheduleFirings)
              .where(inArray(scheduleFirings.scheduleId, all));
            return fired!.n >= all.length;
          },
          60_000,
          100,
        );
        await new Promise((r) => setTimeout(r, 500)); // more ticks of both: nothing more fires
      } finally {
        for (const p of procs) await stop(p.child);
      }

      const firings = await db.select().from(scheduleFirings);
      expect(firings).toHaveLength(1 + RUN_SCHEDULES);
      expect(firings.every((f) => f.outcome === 'started')).toBe(true);
      const started = await db
        .select()
        .from(runs)
        .where(sql`${runs.idempotencyKey} LIKE 'schedule:%'`);
      expect(started).toHaveLength(1 + RUN_SCHEDULES);
      const [growthFiring] = firings.filter((f) => f.scheduleId === growth.id);
      const [growthRun] = await db.select().from(runs).where(eq(runs.id, growthFiring!.runId!));
      expect(growthRun!.spec!.growth).toMatchObject({ newSamples: 10 });
      for (const p of procs) expect(p.output.join('')).not.toMatch(/could not fire/);
    },
  );
});
