// End to end, when things go wrong: a worker killed mid-run is noticed by the reaper (its
// heartbeat stops) and the run resumes from its checkpoint in a new attempt and finishes; an API
// restarted mid-run (a new app on the same store) finds its worker still there, which finishes
// the run with nothing lost.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '@curio/db';
import { createTestDb, pgTest } from '@curio/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../support/data.js';
import { E2E_TEST_TIMEOUT, startE2E, withWorkerLogs, type E2E } from '../support/e2e.js';
import { serveTestApi, waitFor } from '../support/server.js';
import { writeSyntheticData } from '../support/synthetic.js';

let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = await writeSyntheticData(await tempDir('curio-e2e-synth-'));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

const lossSteps = async (e2e: E2E, runId: string) => {
  const page = await e2e.api.json('GET', `/v1/runs/${runId}/metrics?name=loss&limit=200`, 200, {
    key: e2e.key,
  });
  return page.items.map((m: { step: number }) => m.step).sort((a: number, b: number) => a - b);
};

describe('recovery end to end', () => {
  pgTest(
    'a killed worker: the run is re-queued and resumes from its checkpoint',
    async ({ db }) => {
      let e2e: E2E | undefined;
      await withWorkerLogs(
        () => e2e,
        async () => {
          e2e = await startE2E(db, dataDir, { config: { stop: { maxSteps: 30 } } });
          cleanups.push(
            () => e2e!.api.close(),
            () => e2e!.dispatcher.close(),
          );
          const run = await e2e.run();
          await waitFor(
            'the first checkpoint',
            async () => (await e2e!.show(run.id)).checkpoints.length >= 1,
          );
          const pid = e2e.workerPid(run.id, 1);
          expect(pid).toBeGreaterThan(0);
          process.kill(-pid!, 'SIGKILL');

          const done = await e2e.waitForStatus(
            run.id,
            ['succeeded', 'failed', 'canceled'],
            180_000,
          );
          expect(done, JSON.stringify(done)).toMatchObject({
            status: 'succeeded',
            stopReason: 'max_steps',
            attempt: 2,
          });
          const events = await e2e.api.json('GET', `/v1/runs/${run.id}/events?limit=200`, 200, {
            key: e2e.key,
          });
          const messages = events.items.map((e: { message: string | null }) => e.message ?? '');
          expect(messages.some((m: string) => /no heartbeat/.test(m))).toBe(true);
          expect(messages.some((m: string) => /^retry: attempt 2/.test(m))).toBe(true);
          expect(messages.some((m: string) => /resum\w* from checkpoints\/\d+/.test(m))).toBe(true);
          const resumedFrom = done.checkpoints[0];
          expect(resumedFrom.step).toBe(10);
          const later = done.checkpoints.filter((c: { step: number }) => c.step > 10);
          expect(later.length).toBeGreaterThanOrEqual(1);
          expect(done.latestMetrics.loss.step).toBe(30);
          expect((await lossSteps(e2e, run.id)).at(-1)).toBe(30);
        },
      );
    },
    E2E_TEST_TIMEOUT,
  );

  test(
    'an API restart mid-run: the worker waits for it and the run finishes with nothing lost',
    async () => {
      const testDb = await createTestDb({ onDisk: true });
      cleanups.push(() => testDb.destroy());
      const blobRoot = await mkdtemp(join(tmpdir(), 'curio-e2e-blobs-'));
      let e2e: E2E | undefined;
      await withWorkerLogs(
        () => e2e,
        async () => {
          e2e = await startE2E(testDb.db, dataDir, {
            config: { stop: { maxSteps: 30 } },
            blobRoot,
          });
          cleanups.push(() => e2e!.dispatcher.close());
          const { port } = e2e.api;
          const run = await e2e.run();
          await waitFor(
            'a few steps',
            async () => ((await e2e!.show(run.id)).latestMetrics.loss?.step ?? 0) >= 4,
          );

          // The API goes away (its store closed too), and comes back a few seconds later.
          await e2e.api.close();
          await testDb.db.close();
          await new Promise((r) => setTimeout(r, 3_000));
          const db2 = await createDb(testDb.options);
          cleanups.push(() => db2.close());
          const api2 = await serveTestApi(db2, {
            dispatcher: e2e.dispatcher,
            port,
            blobRoot,
            timing: e2e.api.ctx.timing,
          });
          cleanups.push(() => api2.close());

          const show = () => api2.json('GET', `/v1/runs/${run.id}`, 200, { key: e2e!.key });
          const done = await waitFor(
            'the run to finish',
            async () => {
              const r = await show();
              return ['succeeded', 'failed', 'canceled'].includes(r.status) ? r : undefined;
            },
            180_000,
          );
          expect(done, JSON.stringify(done)).toMatchObject({
            status: 'succeeded',
            stopReason: 'max_steps',
            attempt: 1,
          });
          expect(done.checkpoints.map((c: { step: number }) => c.step)).toEqual([10, 20, 30]);
          expect(done.evaluations.map((e: { step: number }) => e.step)).toEqual([10, 20, 30]);
          const page = await api2.json(
            'GET',
            `/v1/runs/${run.id}/metrics?name=loss&limit=200`,
            200,
            {
              key: e2e.key,
            },
          );
          expect(
            page.items.map((m: { step: number }) => m.step).sort((a: number, b: number) => a - b),
          ).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
          const events = await api2.json(
            'GET',
            `/v1/runs/${run.id}/events?type=status&limit=50`,
            200,
            { key: e2e.key },
          );
          expect(events.items.map((e: { toStatus: string }) => e.toStatus)).toEqual([
            'queued',
            'dispatching',
            'running',
            'succeeded',
          ]);
        },
      );
    },
    E2E_TEST_TIMEOUT,
  );
});
