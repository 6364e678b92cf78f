// The RunReporter of worker mode: what the job says goes to the API. Metric points and events are
// buffered and sent every few seconds (or once enough wait); evaluations, checkpoints and the final
// status are posted as they happen; the heartbeat's answer decides stopRequested().
import { sourceWeightMetric, storableJson, storableText } from '@curio/contracts';
import type {
  CurationRoundData,
  GrowthStepData,
  MetricName,
  MetricPoint,
  StopReason,
  WorkerFinished,
} from '@curio/contracts';
import { roundLine, type CurationRoundStats } from '../curation/round-stats.js';
import type {
  CheckpointInfo,
  EvalReport,
  RunReporter,
  RunSummary,
  StepReport,
} from '../loop/reporter.js';
import type { WorkerApi, WorkerEvent } from './api-client.js';
import { Heartbeat } from './heartbeat.js';
import { DEFAULT_RETRY, HttpError, describe } from './retry.js';

/** Step report fields → metric names. */
export const STEP_METRICS = {
  loss: 'loss',
  lr: 'lr',
  temperature: 'temperature',
  gradNorm: 'grad_norm',
  samplesPerSec: 'samples_per_sec',
  gflopPerSec: 'gflop_per_sec',
  curationRatio: 'curation_ratio',
} as const satisfies Partial<Record<keyof StepReport, MetricName>>;

export interface ApiReporterOptions {
  api: WorkerApi;
  attempt: number;
  heartbeatSeconds: number;
  /** The architecture recorded with a checkpoint (the worker reads it from the checkpoint itself). */
  architecture: (checkpointKey: string) => Promise<Record<string, unknown>>;
  /** Send buffered points and events this often (ms), default 3000 … */
  flushMs?: number;
  /** … or as soon as this many points wait. Default 1000. */
  flushPoints?: number;
  /** Stop a run whose API has not answered a heartbeat for this long. Default 10 min. */
  lostContactMs?: number;
  /** The signal this process was asked to stop with, if any (SIGTERM from its dispatcher). */
  terminated?: () => string | undefined;
  /** Progress lines for the worker's own log. */
  echo?: (line: string) => void;
  /** Print a step line every this many steps. Default 10. */
  echoEvery?: number;
  now?: () => number;
  /** When this attempt started (per `now`), for device time. Default: now. */
  startedAt?: number;
}

/** How the attempt ended, as far as this worker is concerned. */
export type WorkerOutcome =
  | { status: 'succeeded' | 'canceled' }
  | { status: 'failed'; error: string }
  /** The API took the run away (superseded, finished, token refused): nothing more was sent. */
  | { status: 'dropped'; reason: string };

const MAX_POINTS_PER_POST = 5000;
const MAX_EVENTS_PER_POST = 500;

export class ApiReporter implements RunReporter {
  private points: MetricPoint[] = [];
  private events: WorkerEvent[] = [];
  private heldEvals: EvalReport[] = [];
  private readonly posts = new Set<Promise<void>>();
  private readonly errors: string[] = [];
  private sending: Promise<void> | undefined;
  private readonly heartbeat: Heartbeat;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt: number;
  private readonly now: () => number;
  private lastStep = 0;
  private result: WorkerOutcome | undefined;
  private refused: string | undefined;
  /** A metric, event or evaluation was refused after a stop signal (see `write`). */
  private refusedOnStop = false;
  /** A metric, event or evaluation was refused because the run is canceled. */
  private canceledByRefusal = false;

  constructor(private readonly o: ApiReporterOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = o.startedAt ?? this.now();
    this.heartbeat = new Heartbeat({
      api: o.api,
      attempt: o.attempt,
      intervalMs: o.heartbeatSeconds * 1000,
      step: () => this.lastStep,
      deviceSeconds: () => this.deviceSeconds(),
      now: this.now,
      ...(o.echo ? { log: o.echo } : {}),
    });
    this.heartbeat.start();
    this.timer = setInterval(() => void this.send().catch(() => {}), o.flushMs ?? 3000);
    this.timer.unref();
  }

  /** Wall time of this attempt so far: what the API bills as device time. */
  deviceSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** Set once finished() or fail() has run. */
  get outcome(): WorkerOutcome | undefined {
    return this.result;
  }

  /**
   * Why the API took the run away from this attempt, if it did: superseded or finished (heartbeat
   * answer), the token refused, or a write answered 409. Nothing more is sent, not even the end.
   */
  droppedReason(): string | undefined {
    const a = this.heartbeat.stopAnswer;
    if (a?.reason === 'superseded' || a?.reason === 'finished')
      return `the API says the run is ${a.reason}`;
    return this.heartbeat.rejected ?? this.refused;
  }

  /**
   * True once metrics, events and evaluations are pointless (dropped, or canceled: the API refuses
   * them for a final run). Checkpoints stop only when the attempt is dropped.
   */
  writesClosed(): boolean {
    const a = this.heartbeat.stopAnswer;
    if (this.refusedOnStop) return true;
    return this.droppedReason() !== undefined || (a !== undefined && a.reason !== 'max_cost');
  }

  log(message: string, data?: Record<string, unknown>): void {
    this.event({ type: 'log', message, ...(data ? { data } : {}) });
    this.o.echo?.(message);
  }

  step(r: StepReport): void {
    this.postHeldEvals(); // evaluations of an earlier step got no checkpoint of their own
    this.lastStep = r.step;
    for (const [field, name] of Object.entries(STEP_METRICS)) {
      const value = r[field as keyof typeof STEP_METRICS];
      if (value !== undefined && Number.isFinite(value))
        this.points.push({ step: r.step, name, value });
    }
    for (const [source, value] of Object.entries(r.sourceWeights ?? {}))
      this.points.push({ step: r.step, name: sourceWeightMetric(source), value });
    if (this.points.length >= (this.o.flushPoints ?? 1000)) void this.send().catch(() => {});
    if (r.step % (this.o.echoEvery ?? 10) === 0) {
      this.o.echo?.(
        `step ${r.step}  loss ${r.loss.toFixed(4)}  ${r.samplesPerSec.toFixed(1)} samples/s  lr ${r.lr.toExponential(2)}`,
      );
    }
  }

  curation(step: number, s: CurationRoundStats): void {
    const message = roundLine(step, s);
    const data: CurationRoundData = { step, ...s };
    this.event({ type: 'curation', message, data });
    if (s.keptOnTarget !== undefined)
      this.points.push({ step, name: 'curation_on_target', value: s.keptOnTarget });
    this.o.echo?.(message);
  }

  evaluation(r: EvalReport): void {
    // Held until we know whether a checkpoint is written at this step (the job evaluates first).
    this.heldEvals.push(r);
    this.o.echo?.(
      `eval ${r.evalSet} @ step ${r.step}: top-1 ${(100 * r.zeroShot.top1).toFixed(1)}%`,
    );
  }

  growth(g: GrowthStepData): void {
    const chosen = g.candidates[g.chosen]!;
    const message = `growth @ step ${g.step}: ${g.candidates.length} candidates, chose ${chosen.name} (${g.score} ${chosen.score.toFixed(4)})`;
    this.event({ type: 'growth', message, data: g });
    this.o.echo?.(message);
  }

  async checkpoint(info: CheckpointInfo): Promise<void> {
    if (this.droppedReason()) return; // the store discarded its files too
    // Everything up to the checkpoint is recorded before it is: an attempt killed later and
    // resumed from here leaves no gap in the run's metrics. A canceled run sends no more metrics,
    // but the API still takes the checkpoint of where it stopped.
    if (!this.writesClosed()) await this.drain();
    const architecture = await this.o.architecture(info.key);
    const { key, step, sizeBytes, parentCheckpoint } = info;
    const recorded = await this.write(() =>
      this.o.api.checkpoint({
        step,
        key,
        sizeBytes,
        architecture,
        ...(parentCheckpoint ? { parentCheckpoint } : {}),
      }),
    );
    if (!recorded) return;
    this.postHeldEvals(info);
    this.o.echo?.(`checkpoint ${key} (${(sizeBytes / 1e6).toFixed(1)} MB)`);
  }

  stopRequested(): StopReason | undefined {
    if (this.droppedReason()) return 'canceled';
    const a = this.heartbeat.stopAnswer;
    if (a) return a.reason === 'max_cost' ? 'max_cost' : 'canceled';
    if (this.o.terminated?.() || this.canceledByRefusal) return 'canceled';
    if (this.heartbeat.silentMs() > (this.o.lostContactMs ?? DEFAULT_RETRY.maxWaitMs))
      return 'error';
    return undefined;
  }

  async finished(summary: RunSummary): Promise<void> {
    if (summary.dataProblems) this.event({ type: 'data-problem', message: summary.dataProblems });
    const steps = summary.steps;
    const signal = this.o.terminated?.();
    const stop = this.heartbeat.stopAnswer;
    if (summary.stopReason === 'error') {
      const silent = Math.round(this.heartbeat.silentMs() / 1000);
      return this.settle({
        status: 'failed',
        error: `lost contact with the API: no heartbeat answered for ${silent}s`,
      });
    }
    if (summary.stopReason === 'canceled') {
      // Canceled by the API, or stopped by a signal (a dispatcher's terminate, a sandbox timeout):
      // the latter is a failure the API may retry from the checkpoint the job just wrote.
      if (!stop && signal)
        return this.settle({
          status: 'failed',
          error: `worker stopped by ${signal} after ${steps} steps`,
        });
      return this.settle(
        { status: 'canceled' },
        { status: 'canceled', steps, deviceSeconds: this.deviceSeconds() },
      );
    }
    return this.settle(
      { status: 'succeeded' },
      {
        status: 'succeeded',
        stopReason: summary.stopReason,
        steps,
        deviceSeconds: this.deviceSeconds(),
      },
    );
  }

  /** Reports a job that threw. */
  async fail(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.settle({ status: 'failed', error: message || 'the job failed without a message' });
  }

  /** Stops the timers (after finished/fail, or when giving up). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.heartbeat.stop();
  }

  /** Sends what is left, then the final status (a failure's body is built here). */
  private async settle(outcome: WorkerOutcome, body?: WorkerFinished): Promise<void> {
    await this.heartbeat.stop();
    try {
      if (!this.writesClosed()) {
        this.postHeldEvals();
        await Promise.all(this.posts);
        await this.drain();
      }
      if (this.errors.length && outcome.status !== 'failed') {
        outcome = {
          status: 'failed',
          error: `could not report to the API: ${this.errors.join('; ')}`,
        };
      }
      const deviceSeconds = this.deviceSeconds();
      const final: WorkerFinished =
        outcome.status === 'failed'
          ? { status: 'failed', error: storableText(outcome.error.slice(0, 10_000)), deviceSeconds }
          : body!;
      if (!this.droppedReason()) await this.write(() => this.o.api.finished(final));
      const dropped = this.droppedReason();
      this.result = dropped ? { status: 'dropped', reason: dropped } : outcome;
      this.o.echo?.(
        dropped
          ? `stopping without a final report: ${dropped}`
          : `finished: ${outcome.status}${outcome.status === 'failed' ? ` (${outcome.error})` : ''}`,
      );
    } catch (err) {
      this.result = { status: 'failed', error: describe(err) };
      throw err;
    } finally {
      await this.close();
    }
  }

  /**
   * Runs a write; a 409 (an old attempt, or a final run) drops the attempt instead of failing. Once
   * a signal stopped this process (a dispatcher's terminate on cancel can come before the
   * heartbeat's answer), a refused metric, event or evaluation only closes the writes: the final
   * checkpoint still goes, and the API's answer to it decides.
   */
  private async write<T>(
    fn: () => Promise<T>,
    what: 'data' | 'record' = 'record',
  ): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 409)) throw err;
      // A cancel's 409 can also beat the dispatcher's terminate: the same, and the job stops.
      const canceled = err.problemType === 'run-canceled';
      if (what === 'data' && (this.o.terminated?.() || canceled)) {
        this.refusedOnStop = true;
        this.canceledByRefusal ||= canceled;
        return undefined;
      }
      this.refused ??= err.message;
      return undefined;
    }
  }

  /** Buffer an event, its text made storable (a cut caption must not hold half a UTF-16 pair). */
  private event(e: WorkerEvent): void {
    this.events.push({
      ...e,
      message: storableText(e.message.slice(0, 10_000)),
      ...(e.data && { data: storableJson(e.data) as Record<string, unknown> }),
    });
  }

  private postHeldEvals(checkpoint?: { step: number; key: string }): void {
    const held = this.heldEvals;
    this.heldEvals = [];
    if (this.writesClosed()) return;
    for (const r of held) {
      const body = {
        step: r.step,
        evalSet: r.evalSet,
        ...(checkpoint?.step === r.step ? { checkpointKey: checkpoint.key } : {}),
        metrics: { zeroShot: r.zeroShot, ...(r.retrieval ? { retrieval: r.retrieval } : {}) },
        elapsedSeconds: r.elapsedSeconds,
      };
      const p = this.write(() => this.o.api.evaluation(body), 'data')
        .then(
          () => {},
          (err: unknown) => void this.errors.push(`evaluation at step ${r.step}: ${describe(err)}`),
        )
        .finally(() => this.posts.delete(p));
      this.posts.add(p);
    }
  }

  /** Sends one batch of waiting points and events; a failed batch goes back to the buffer. */
  private send(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.writesClosed()) {
      this.points = [];
      this.events = [];
    }
    if (!this.points.length && !this.events.length) return Promise.resolve();
    const points = this.points.splice(0, MAX_POINTS_PER_POST);
    const events = this.events.splice(0, MAX_EVENTS_PER_POST);
    this.sending = (async () => {
      try {
        if (points.length) await this.write(() => this.o.api.metrics(points), 'data');
      } catch (err) {
        this.points.unshift(...points);
        this.events.unshift(...events);
        throw err;
      }
      try {
        if (events.length && !this.writesClosed())
          await this.write(() => this.o.api.events(events), 'data');
      } catch (err) {
        this.events.unshift(...events);
        throw err;
      }
    })().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  /** Sends everything buffered; throws if a batch cannot be sent within the retry budget. */
  private async drain(): Promise<void> {
    await this.sending?.catch(() => {});
    while ((this.points.length || this.events.length) && !this.writesClosed()) await this.send();
  }
}
