// A run's series: curation rounds in order (paged, typed, team-scoped), and metric points
// downsampled per series on a 100,000-point series: every bucket's first, last, min and max kept;
// exactly so on a sparse series sent through the worker route, resends that change values included.
import {
  MAX_STEPS,
  type CurationRoundData,
  type MetricName,
  type RunMetric,
} from '@curio/contracts';
import { Rng } from '@curio/random';
import { asc, eq, sql } from '@curio/db';
import { metrics } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bucketOf, planBuckets } from '../../src/services/bucket-plan.js';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { runWithAttempt } from '../support/worker.js';

const round = (n: number, kept: number): CurationRoundData => ({
  step: n * 10,
  round: n,
  scanned: 8,
  kept,
  ratio: kept / 8,
  lexicalHits: kept,
  warm: n > 1,
  gammaFired: n === 2,
});

/** The bucket of `step` in [lo, hi] cut into at most `buckets`, as the API plans them. */
const bucketIn = (step: number, lo: number, hi: number, buckets: number) =>
  bucketOf(planBuckets(lo, hi, buckets), step);

type Point = { step: number; value: number };

/** Each bucket's first, last, lowest and highest point (earliest on ties), by brute force. */
function expectedDownsample(points: Point[], buckets: number): Point[] {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const lo = sorted[0]!.step;
  const hi = sorted.at(-1)!.step;
  const byBucket = new Map<number, Point[]>();
  for (const p of sorted) {
    const b = bucketIn(p.step, lo, hi, buckets);
    byBucket.set(b, [...(byBucket.get(b) ?? []), p]);
  }
  const kept = new Map<number, Point>();
  for (const inBucket of byBucket.values()) {
    const low = inBucket.reduce((m, p) => (p.value < m.value ? p : m));
    const high = inBucket.reduce((m, p) => (p.value > m.value ? p : m));
    for (const p of [inBucket[0]!, inBucket.at(-1)!, low, high]) kept.set(p.step, p);
  }
  return [...kept.values()].sort((a, b) => a.step - b.step);
}

describe('run series', () => {
  pgTest('curation rounds: in order, paged, only the typed ones, team-scoped', async ({ db }) => {
    const api = await testApi(db);
    const { key, run, token, w } = await runWithAttempt(api);
    await api.json('POST', w('/started'), 204, {
      key: token,
      json: { attempt: 1, backend: 'wasm', device: 'cpu' },
    });
    const rounds = [round(1, 3), round(2, 5), round(3, 2)];
    await api.json('POST', w('/events'), 204, {
      key: token,
      json: {
        events: [
          { type: 'curation', message: 'r1', data: rounds[0] },
          { type: 'log', message: 'between' },
          { type: 'curation', message: 'not a round', data: { ratio: 0.5 } },
          { type: 'curation', message: 'r2', data: rounds[1] },
          { type: 'curation', message: 'r3', data: rounds[2] },
        ],
      },
    });
    const first = await api.json('GET', `/v1/runs/${run.id}/curation?limit=2`, 200, { key });
    expect(first.items).toEqual(rounds.slice(0, 2));
    const rest = await api.json(
      'GET',
      `/v1/runs/${run.id}/curation?limit=2&cursor=${first.nextCursor}`,
      200,
      { key },
    );
    expect(rest).toEqual({ items: rounds.slice(2), nextCursor: null });

    const other = await bootstrapTeam(api, 'Other');
    const res = await api.call('GET', `/v1/runs/${run.id}/curation`, { key: other.key });
    expect(res.status).toBe(404);
  });

  pgTest(
    '100,000 points downsampled: each bucket keeps its first, last, min and max',
    async ({ db }) => {
      const api = await testApi(db);
      const { key, run } = await runWithAttempt(api);
      // A wavy loss with spikes and dips that only min/max per bucket keep.
      await db.execute(sql`
      insert into metrics (team_id, run_id, step, name, value)
      select r.team_id, r.id, g, 'loss',
        2 + sin(g / 900.0) + case when g % 7919 = 13 then 25 when g % 6007 = 5 then -9 else 0 end
      from runs r, generate_series(0, 99999) g where r.id = ${run.id}`);
      await db.execute(sql`
      insert into metrics (team_id, run_id, step, name, value)
      select r.team_id, r.id, g * 100, 'lr', 0.001 * g
      from runs r, generate_series(0, 99) g where r.id = ${run.id}`);
      const all = await db
        .select({ step: metrics.step, value: metrics.value })
        .from(metrics)
        .where(eq(metrics.name, 'loss'))
        .orderBy(asc(metrics.step));
      expect(all).toHaveLength(100_000);

      const buckets = 500;
      const started = performance.now();
      const page = await api.json<{ items: RunMetric[]; nextCursor: null }>(
        'GET',
        `/v1/runs/${run.id}/metrics?points=${buckets}`,
        200,
        { key },
      );
      const ms = performance.now() - started;
      console.log(JSON.stringify({ downsample: { points: 100_000, buckets, ms: Math.round(ms) } }));
      expect(page.nextCursor).toBeNull();
      const loss = page.items.filter((p) => p.name === 'loss');
      const lr = page.items.filter((p) => p.name === 'lr');
      expect(lr).toHaveLength(100); // fewer points than buckets, one a bucket: every point
      expect(loss.length).toBeLessThanOrEqual(4 * buckets);
      expect(loss.length).toBeGreaterThanOrEqual(buckets);
      const steps = loss.map((p) => p.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));

      const kept = new Map(loss.map((p) => [p.step, p.value]));
      const byBucket = new Map<number, { step: number; value: number }[]>();
      for (const p of all) {
        const b = bucketIn(p.step, 0, 99_999, buckets);
        const points = byBucket.get(b) ?? [];
        points.push(p);
        byBucket.set(b, points);
      }
      expect(byBucket.size).toBeLessThanOrEqual(buckets);
      expect(byBucket.size).toBeGreaterThan(buckets / 2);
      for (const points of byBucket.values()) {
        const values = points.map((p) => p.value);
        const min = Math.min(...values);
        const max = Math.max(...values);
        const inBucket = points.filter((p) => kept.has(p.step)).map((p) => kept.get(p.step)!);
        expect(inBucket).toContain(min);
        expect(inBucket).toContain(max);
        expect(kept.has(points[0]!.step)).toBe(true);
        expect(kept.has(points.at(-1)!.step)).toBe(true);
        expect(inBucket.length).toBeLessThanOrEqual(4);
      }
      // The spikes survive.
      expect(Math.max(...loss.map((p) => p.value))).toBeGreaterThan(25);
      expect(Math.min(...loss.map((p) => p.value))).toBeLessThan(-6);

      const one = await api.json('GET', `/v1/runs/${run.id}/metrics?points=10&name=lr`, 200, {
        key,
      });
      expect(new Set(one.items.map((p: RunMetric) => p.name))).toEqual(new Set(['lr']));
      expect(one.items.length).toBeLessThanOrEqual(40);
      // Without points: pages of points as they arrived.
      const paged = await api.json('GET', `/v1/runs/${run.id}/metrics?limit=3`, 200, { key });
      expect(paged.items).toHaveLength(3);
      expect(paged.nextCursor).not.toBeNull();

      const tooMany = await api.call('GET', `/v1/runs/${run.id}/metrics?points=10001`, { key });
      expect(tooMany.status).toBe(400);
      expect((await problemOf(tooMany)).errors[0]!.path).toBe('points');
      const withCursor = await api.call(
        'GET',
        `/v1/runs/${run.id}/metrics?points=10&cursor=${paged.nextCursor}`,
        { key },
      );
      expect(withCursor.status).toBe(400);
    },
  );

  pgTest(
    'downsampling is exact on a sparse series sent by the worker, resends included',
    async ({ db }) => {
      const api = await testApi(db);
      const { key, run, token, w } = await runWithAttempt(api);
      await api.json('POST', w('/started'), 204, {
        key: token,
        json: { attempt: 1, backend: 'wasm', device: 'cpu' },
      });
      const rng = new Rng(11);
      const series = new Map<number, number>();
      for (let step = 37; series.size < 3_000; step += 1 + rng.int(9))
        series.set(step, rng.int(101) - 50); // whole numbers: ties happen
      const send = (points: { step: number; name: MetricName; value: number }[]) =>
        api.json('POST', w('/metrics'), 204, { key: token, json: { points } });
      const loss = (steps: number[]) =>
        steps.map((step) => ({ step, name: 'loss' as const, value: series.get(step)! }));
      const steps = [...series.keys()];
      for (let i = 0; i < steps.length; i += 1_000) await send(loss(steps.slice(i, i + 1_000)));
      await send([{ step: 5, name: 'lr', value: 0.25 }]);
      // A series over the whole step range a worker may report, with gaps of millions.
      const far = [
        { step: 0, value: 1 },
        { step: 99_999_999, value: 5 },
        { step: MAX_STEPS, value: 0 },
      ];
      await send(far.map((p) => ({ ...p, name: 'grad_norm' as const })));
      // Resent with new values: new lowest and highest points, and a new last value.
      const resent = steps.filter((_, i) => i % 15 === 0 || i === steps.length - 1);
      for (const step of resent) series.set(step, series.get(step)! > 0 ? -60 : 60);
      await send(loss(resent));

      const points = [...series].map(([step, value]) => ({ step, value }));
      for (const buckets of [1, 7, 50, 333, 2_000, 10_000]) {
        const page = await api.json<{ items: RunMetric[] }>(
          'GET',
          `/v1/runs/${run.id}/metrics?points=${buckets}`,
          200,
          { key },
        );
        const kept = page.items.filter((p) => p.name === 'loss');
        expect(
          kept.map(({ step, value }) => ({ step, value })),
          `${buckets} buckets`,
        ).toEqual(expectedDownsample(points, buckets));
        expect(page.items.filter((p) => p.name === 'lr').map((p) => p.step)).toEqual([5]);
      }
      const gradNorm = await api.json<{ items: RunMetric[] }>(
        'GET',
        `/v1/runs/${run.id}/metrics?points=1&name=grad_norm`,
        200,
        { key },
      );
      expect(gradNorm.items.map(({ step, value }) => ({ step, value }))).toEqual(far);
      const detail = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      const last = steps.at(-1)!;
      expect(detail.latestMetrics).toEqual({
        loss: { step: last, value: series.get(last) },
        lr: { step: 5, value: 0.25 },
        grad_norm: far[2],
      });
    },
  );
});
