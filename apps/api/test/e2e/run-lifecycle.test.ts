// End to end with the real trainer: the API dispatches a tiny synthetic CiT run to a local worker
// process, which trains, reports metrics, uploads a checkpoint, evaluates and finishes; a second
// run starts its towers from the first one's checkpoints by reference; the last checkpoint exports
// for open_clip; a new run resumes from the first checkpoint; a running run is canceled and its
// worker stops.
import { pgTest } from '@curio/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { tempDir } from '../support/data.js';
import { E2E_TEST_TIMEOUT, startE2E, withWorkerLogs, type E2E } from '../support/e2e.js';
import { waitFor } from '../support/server.js';
import { writeSyntheticData } from '../support/synthetic.js';

let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = await writeSyntheticData(await tempDir('curio-e2e-synth-'));
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('end to end with the trainer', () => {
  pgTest(
    'a run trains: metrics, a checkpoint and an evaluation with its time and cost are stored',
    async ({ db }) => {
      let e2e: E2E | undefined;
      await withWorkerLogs(
        () => e2e,
        async () => {
          e2e = await startE2E(db, dataDir);
          cleanups.push(
            () => e2e!.api.close(),
            () => e2e!.dispatcher.close(),
          );
          const run = await e2e.run({ targetAccuracy: 0.99 });
          const stream = e2e.api
            .call('GET', `/v1/runs/${run.id}/stream`, { key: e2e.key })
            .then((r) => r.text());
          const done = await e2e.waitForStatus(run.id, ['succeeded', 'failed', 'canceled']);
          expect(done, JSON.stringify(done)).toMatchObject({
            status: 'succeeded',
            stopReason: 'max_steps',
            attempt: 1,
            device: 'cpu',
          });
          expect(done.backend).toMatch(/^local\//);
          expect(done.deviceSeconds).toBeGreaterThan(0);
          expect(done.costEstimate).toBeGreaterThan(0);
          expect(done.latestMetrics.loss.step).toBe(20);
          expect(done.checkpoints.map((c: { step: number }) => c.step)).toEqual([10, 20]);
          expect(done.checkpoints[1].parentCheckpointId).toBe(done.checkpoints[0].id);
          expect(done.evaluations.length).toBeGreaterThanOrEqual(1);
          const evaluation = done.evaluations.at(-1);
          expect(evaluation).toMatchObject({
            step: 20,
            evalSet: 'shapes',
            checkpointId: done.checkpoints[1].id,
          });
          expect(evaluation.metrics.zeroShot.top1).toBeGreaterThanOrEqual(0);
          expect(evaluation.elapsedSeconds).toBeGreaterThan(0);
          expect(evaluation.cost).toBeGreaterThan(0);

          const metrics = await e2e.api.json(
            'GET',
            `/v1/runs/${run.id}/metrics?name=loss&limit=200`,
            200,
            { key: e2e.key },
          );
          expect(metrics.items.map((m: { step: number }) => m.step)).toEqual(
            Array.from({ length: 20 }, (_, i) => i + 1),
          );
          const text = await stream;
          for (const event of ['run', 'event', 'metrics', 'evaluation', 'end'])
            expect(text).toContain(`event: ${event}\n`);
          await waitFor('the worker to exit', async () => e2e!.dispatcher.active() === 0, 30_000);

          // The last checkpoint, exported for open_clip by the trainer's exporter.
          const exported = await e2e.api.call('GET', done.checkpoints[1].exportPath, {
            key: e2e.key,
          });
          expect(exported.status).toBe(200);
          const tensors = safetensorsNames(firstTarEntry(await exported.arrayBuffer()));
          expect(tensors).toContain('logit_scale');
          expect(tensors.some((n) => n.startsWith('visual.'))).toBe(true);

          // A new run resuming from the checkpoint at step 10 trains steps 11 to 20 only.
          const resumed = await e2e.run({ resumeFrom: { run: run.id, step: 10 } });
          const after = await e2e.waitForStatus(resumed.id, ['succeeded', 'failed', 'canceled']);
          expect(after, JSON.stringify(after)).toMatchObject({ status: 'succeeded' });
          const steps = await e2e.api.json(
            'GET',
            `/v1/runs/${resumed.id}/metrics?name=loss&limit=200`,
            200,
            { key: e2e.key },
          );
          expect(steps.items.map((m: { step: number }) => m.step)).toEqual(
            Array.from({ length: 10 }, (_, i) => i + 11),
          );
          await waitFor('the worker to exit', async () => e2e!.dispatcher.active() === 0, 30_000);

          // A run whose towers start from this run's checkpoints, by reference: the worker reads
          // them through its token.
          const { config } = await e2e.api.json('GET', `/v1/experiments/${e2e.experimentId}`, 200, {
            key: e2e.key,
          });
          const tower = (init: unknown) => ({ trainable: 'all', init });
          const child = await e2e.api.json('POST', '/v1/experiments', 201, {
            key: e2e.key,
            json: {
              name: 'from-checkpoint',
              config: {
                ...config,
                stop: { maxSteps: 2 },
                model: {
                  ...config.model,
                  image: tower({ run: run.id, step: 10 }),
                  text: tower({ checkpoint: done.checkpoints[1].id }),
                },
              },
            },
          });
          const second = await e2e.api.json('POST', '/v1/runs', 201, {
            key: e2e.key,
            json: { experimentId: child.id },
          });
          const finished = await e2e.waitForStatus(second.id, ['succeeded', 'failed', 'canceled']);
          expect(finished, JSON.stringify(finished)).toMatchObject({ status: 'succeeded' });
          expect(finished.spec.model.image.init).toEqual({ checkpoint: done.checkpoints[0].id });
          expect(finished.spec.model.text.init).toEqual({ checkpoint: done.checkpoints[1].id });
        },
      );
    },
    360_000,
  );

  pgTest(
    'cancel a running run: it is canceled, its worker stops and keeps its last weights',
    async ({ db }) => {
      let e2e: E2E | undefined;
      await withWorkerLogs(
        () => e2e,
        async () => {
          e2e = await startE2E(db, dataDir, { config: { stop: { maxSteps: 2000 } } });
          cleanups.push(
            () => e2e!.api.close(),
            () => e2e!.dispatcher.close(),
          );
          const run = await e2e.run();
          await waitFor(
            'a few steps',
            async () => ((await e2e!.show(run.id)).latestMetrics.loss?.step ?? 0) >= 3,
          );
          const canceled = await e2e.api.json('POST', `/v1/runs/${run.id}/cancel`, 200, {
            key: e2e.key,
          });
          expect(canceled).toMatchObject({ status: 'canceled', stopReason: 'canceled' });
          await waitFor('the worker to exit', async () => e2e!.dispatcher.active() === 0, 30_000);
          const after = await e2e.show(run.id);
          expect(after).toMatchObject({ status: 'canceled', stopReason: 'canceled', attempt: 1 });
          expect(after.latestMetrics.loss.step).toBeLessThan(2000);
          // The worker saved where it stopped (after the cancel), and the API took it.
          const last = after.checkpoints.at(-1);
          expect(last?.step).toBeGreaterThanOrEqual(3);
          expect(last?.step).toBeGreaterThanOrEqual(after.latestMetrics.loss.step);
        },
      );
    },
    E2E_TEST_TIMEOUT,
  );
});

/** The bytes of a tar's first file (its size is octal at 124 in the 512-byte header). */
function firstTarEntry(tar: ArrayBuffer): Uint8Array {
  const header = new Uint8Array(tar, 0, 512);
  const size = parseInt(new TextDecoder().decode(header.slice(124, 136)).replace(/\0.*$/, ''), 8);
  return new Uint8Array(tar, 512, size);
}

/** The tensor names in a safetensors file's JSON header (after its 8-byte length). */
function safetensorsNames(file: Uint8Array): string[] {
  const length = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.slice(8, 8 + length)));
  return Object.keys(header).filter((k) => k !== '__metadata__');
}
