// Following a run live through `GET /v1/runs/:id/stream` (server-sent events: run, event,
// metrics, evaluation, end): a progress line, status changes, logs and evaluations as they come.
// A dropped stream (the API restarting) is reopened; what was already shown is not shown again.
import type { Evaluation, MetricName, Run, RunDetail, RunEvent, RunMetric } from '@curio/contracts';
import pc from 'picocolors';
import { ok, problemOf, reachableFetch, type Client } from './client.js';
import type { Connection } from './connection.js';
import { CliError, EXIT } from './errors.js';
import { duration, type Out } from './output.js';
import { ProgressLine, type ProgressState } from './progress.js';
import { evaluationLine } from './results.js';
import { readSse } from './sse.js';

export interface FollowOptions {
  client: Client;
  conn: Pick<Connection, 'url' | 'key'>;
  runId: string;
  out: Out;
  /** A redrawn progress line (a terminal), or plain lines every few seconds. */
  live: boolean;
  /** Print worker logs and checkpoints too (status changes and evaluations are always shown). */
  verbose?: boolean;
  /** Stops following (the run goes on). */
  signal?: AbortSignal;
  /** How long to keep reopening a lost stream. Default 120 s. */
  retrySeconds?: number;
  /** Told of every status change (the demo times its phases by them). */
  onStatus?: (run: Run) => void;
}

interface StopSpec {
  maxSteps?: number;
  maxMinutes?: number;
}

/** Follow `runId` until it is final; returns the final run with its evaluations. */
export async function followRun(o: FollowOptions): Promise<RunDetail> {
  const what = `runs wait ${o.runId}`;
  const first = await ok(what, o.client.v1.runs[':id'].$get({ param: { id: o.runId } }));
  const stop = ((first.spec as { stop?: StopSpec } | null)?.stop ?? {}) satisfies StopSpec;
  const budgetMinutes = first.budget.maxMinutes ?? undefined;
  const progress = new ProgressLine({
    live: o.live,
    note: (line) => o.out.note(line),
    write: (raw) => process.stderr.write(raw),
    columns: () => process.stderr.columns,
  });
  const state: ProgressState = {
    status: first.status,
    step: 0,
    maxSteps: stop.maxSteps,
    maxMinutes: minDefined(stop.maxMinutes, budgetMinutes),
    elapsedSeconds: 0,
    loss: undefined,
    samplesPerSec: undefined,
    curationRatio: undefined,
    cost: first.costEstimate,
  };
  let run: Run = first;
  const latest = new Map<MetricName, RunMetric>();
  let lastSeq = 0;
  const shownEvals = new Map<string, string>();
  const tick = () => {
    state.elapsedSeconds = elapsed(run);
    progress.update(state);
  };
  const onRun = (next: Run) => {
    const changed = next.status !== run.status;
    run = next;
    state.status = next.status;
    state.cost = next.costEstimate;
    if (changed) o.onStatus?.(next);
  };
  const onEvent = (e: RunEvent) => {
    if (e.seq <= lastSeq) return;
    lastSeq = e.seq;
    const at = pc.dim(timeOf(e.at));
    if (e.type === 'status')
      progress.print(
        `${at} ${e.fromStatus ?? '·'} → ${pc.bold(e.toStatus ?? '?')}${e.message && !e.message.includes('→') ? `: ${e.message}` : ''}`,
      );
    else if (o.verbose || e.type === 'log') progress.print(`${at} ${pc.dim(e.message ?? e.type)}`);
  };
  const onMetrics = (points: RunMetric[]) => {
    for (const p of points) {
      const seen = latest.get(p.name);
      if (!seen || p.step >= seen.step) latest.set(p.name, p);
      state.step = Math.max(state.step, p.step);
    }
    state.loss = latest.get('loss')?.value;
    state.samplesPerSec = latest.get('samples_per_sec')?.value;
    state.curationRatio = latest.get('curation_ratio')?.value;
  };
  const onEvaluation = (e: Evaluation) => {
    const stamp = JSON.stringify(e.metrics);
    if (shownEvals.get(e.id) === stamp) return;
    shownEvals.set(e.id, stamp);
    progress.print(evaluationLine(e));
  };

  tick();
  const timer = setInterval(tick, o.live ? 250 : 1000);
  const retryMs = (o.retrySeconds ?? 120) * 1000;
  let lostSince: number | undefined;
  try {
    for (;;) {
      if (o.signal?.aborted) throw new CliError('stopped following', EXIT.canceled);
      try {
        const end = await readStream(o, {
          run: (r) => {
            lostSince = undefined;
            onRun(r);
          },
          event: onEvent,
          metrics: onMetrics,
          evaluation: onEvaluation,
        });
        if (end) {
          onRun(end);
          break;
        }
        throw new Error('the stream ended before the run did');
      } catch (error) {
        if (error instanceof CliError && error.exitCode !== EXIT.unreachable) throw error;
        if (o.signal?.aborted) throw new CliError('stopped following', EXIT.canceled);
        lostSince ??= Date.now();
        if (Date.now() - lostSince > retryMs)
          throw new CliError(
            `lost the run's stream for ${duration(retryMs / 1000)}: ${(error as Error).message}`,
            EXIT.unreachable,
          );
        progress.print(pc.yellow(`lost the stream (${(error as Error).message}); reconnecting…`));
        await sleep(1000, o.signal);
      }
    }
  } finally {
    clearInterval(timer);
    progress.done();
  }
  return ok(what, o.client.v1.runs[':id'].$get({ param: { id: o.runId } }));
}

interface Handlers {
  run(r: Run): void;
  event(e: RunEvent): void;
  metrics(points: RunMetric[]): void;
  evaluation(e: Evaluation): void;
}

/** One connection to the stream; resolves with the final run on `end`, undefined if it just closed. */
async function readStream(o: FollowOptions, on: Handlers): Promise<Run | undefined> {
  const url = `${o.conn.url}/v1/runs/${encodeURIComponent(o.runId)}/stream`;
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (o.conn.key) headers.authorization = `Bearer ${o.conn.key}`;
  const res = await reachableFetch(o.conn.url)(url, {
    headers,
    ...(o.signal && { signal: o.signal }),
  });
  if (res.status >= 500) throw new Error(`the API answered ${res.status}`);
  if (!res.ok) throw await problemOf(res, `runs wait ${o.runId}`);
  if (!res.body) throw new Error('the stream has no body');
  for await (const m of readSse(res.body)) {
    const data = JSON.parse(m.data) as unknown;
    if (m.event === 'run') on.run(data as Run);
    else if (m.event === 'event') on.event(data as RunEvent);
    else if (m.event === 'metrics') on.metrics((data as { points: RunMetric[] }).points);
    else if (m.event === 'evaluation') on.evaluation(data as Evaluation);
    else if (m.event === 'end') return data as Run;
  }
  return undefined;
}

/** Seconds the run has been running (to now, or to its end). */
function elapsed(run: Run): number {
  if (!run.startedAt) return 0;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function timeOf(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toTimeString().slice(0, 8);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        done();
      },
      { once: true },
    );
  });
}
