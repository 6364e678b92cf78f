// bench:web — the run page of a run with 100,000 metric points in each series (every metric but the on-target share), opened in
// Chromium: first contentful paint and "chart ready" (every chart drawn with its points), median
// of a few loads, and the most points any chart drew. Prints one JSON object as its last line.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_NAMES } from '@curio/contracts';
import { metrics } from '@curio/db/schema';
import { BUCKETS } from '../src/runs/metrics.js';
import { launchChromium } from '../test/support/chromium.js';
import { grantDirectory, startDashboardApi, writeSyntheticData } from '../test/support/server.js';

const POINTS = Number(process.env.CURIO_BENCH_POINTS ?? 100_000);
const SERIES = METRIC_NAMES.filter((n) => n !== 'curation_on_target');
const LOADS = 5;

async function main() {
  const dataDir = await writeSyntheticData();
  const api = await startDashboardApi(await mkdtemp(join(tmpdir(), 'curio-bench-web-')), {
    CURIO_DISPATCHER: 'none', // the run stays queued: its history is what we write below
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
  });
  const session = await signUp(api.url);
  await grantDirectory(api.url, session.teamId, dataDir);
  const call = makeCaller(api.url, session);
  const pool = await call('/v1/pools', { name: 'p', shards: [join(dataDir, 'pool')] });
  const meta = await call('/v1/metadata-sets', { name: 'm', names: ['circle', 'square'] });
  const experiment = await call('/v1/experiments', {
    name: 'e',
    config: { poolId: pool.id, metadataSetId: meta.id, stop: { maxSteps: POINTS } },
  });
  const run = await call('/v1/runs', { experimentId: experiment.id });
  const start = Date.now() - POINTS * 100;
  for (const name of SERIES) {
    for (let from = 0; from < POINTS; from += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, POINTS - from) }, (_, i) => {
        const step = from + i;
        const value =
          Math.exp(-step / (POINTS / 4)) + 0.05 * Math.sin(step / 7) + 0.01 * (step % 13);
        return {
          teamId: session.teamId,
          runId: run.id,
          step,
          name,
          value,
          at: new Date(start + step * 100),
        };
      });
      await api.db.insert(metrics).values(rows);
    }
  }

  console.error(`wrote ${POINTS} points × ${SERIES.length} series`);
  const serverMs = {
    run: await timeGet(api.url, `/v1/runs/${run.id}`, session.cookie),
    metrics: await timeGet(api.url, `/v1/runs/${run.id}/metrics?points=${BUCKETS}`, session.cookie),
  };
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'curio_session', value: session.cookie, url: api.url }]);
  const page = await context.newPage();
  const paints: number[] = [];
  const ready: number[] = [];
  const afterData: number[] = [];
  let drawn = 0;
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`${api.url}/runs/${run.id}`);
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('.chart-canvas')].filter(
          (c) => Number((c as HTMLElement).dataset.points) > 0,
        ).length >= n,
      SERIES.length,
      { timeout: 60_000, polling: 'raf' },
    );
    const t = await page.evaluate(() => ({
      ready: performance.now(),
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      data: Math.max(
        ...performance
          .getEntriesByType('resource')
          .filter((e) => /\/metrics\?points=/.test(e.name))
          .map((e) => (e as PerformanceResourceTiming).responseEnd),
      ),
      drawn: Math.max(
        ...[...document.querySelectorAll('.chart-canvas')].map((c) =>
          Number((c as HTMLElement).dataset.points),
        ),
      ),
    }));
    paints.push(t.paint);
    ready.push(t.ready);
    afterData.push(t.ready - t.data);
    drawn = Math.max(drawn, t.drawn);
  }
  await browser.close();
  await api.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    JSON.stringify({
      bench: 'web-run-page',
      pointsPerSeries: POINTS,
      series: SERIES.length,
      loads: LOADS,
      firstContentfulPaintMs: Math.round(median(paints)),
      chartReadyMs: Math.round(median(ready)),
      /** From the downsampled series' arrival to every chart drawn: the page's own share. */
      drawAfterDataMs: Math.round(median(afterData)),
      mostPointsDrawn: drawn,
      serverMs,
      store: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    }),
  );
}

/** A new team and its owner's session, signed up over HTTP. */
async function signUp(url: string) {
  const res = await fetch(`${url}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password',
      teamName: 'Bench',
    }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const cookie = /curio_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  const body = (await res.json()) as { csrfToken: string; team: { id: string } };
  return { cookie, csrfToken: body.csrfToken, teamId: body.team.id };
}

/** Milliseconds of one GET as the page makes it. */
async function timeGet(url: string, path: string, cookie: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}${path}`, {
    headers: { cookie: `curio_session=${cookie}`, connection: 'close' },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return Math.round(performance.now() - t0);
}

function makeCaller(url: string, s: { cookie: string; csrfToken: string }) {
  return async (path: string, json: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        connection: 'close',
        cookie: `curio_session=${s.cookie}`,
        'x-csrf-token': s.csrfToken,
      },
      body: JSON.stringify(json),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
}

await main();
