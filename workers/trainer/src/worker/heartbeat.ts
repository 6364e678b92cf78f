// The worker's heartbeat: a timer that POSTs step and device time every interval and keeps the
// latest answer (which carries cancellation). Training steps block the event loop, so beats go
// out between steps and between the chunks of a curation round or an evaluation
// (`loop/event-loop.ts`); a send never blocks the loop, and a beat is skipped while one is in
// flight.
import type { HeartbeatAnswer } from '@curio/contracts';
import type { WorkerApi } from './api-client.js';
import { HttpError, describe } from './retry.js';

/** Answers that say this worker no longer has a run to serve (token revoked, run gone, stale attempt). */
const REJECTING = new Set([401, 403, 404, 409, 410]);

export interface HeartbeatOptions {
  api: Pick<WorkerApi, 'heartbeat'>;
  attempt: number;
  intervalMs: number;
  /** Steps completed so far. */
  step: () => number;
  /** Device time this attempt has used so far. */
  deviceSeconds: () => number;
  now?: () => number;
  log?: (line: string) => void;
}

export class Heartbeat {
  /** The API's last answer; a stop answer sticks. */
  private answer: HeartbeatAnswer | undefined;
  private lastOk: number;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private rejectedWith: string | undefined;
  private readonly now: () => number;

  constructor(private readonly o: HeartbeatOptions) {
    this.now = o.now ?? Date.now;
    this.lastOk = this.now();
  }

  /** Beats now and then every interval until stop(). */
  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** The latest answer that asked the worker to stop, if any. */
  get stopAnswer(): HeartbeatAnswer | undefined {
    return this.answer?.stop ? this.answer : undefined;
  }

  /** Why the API refused a beat outright (see REJECTING), if it did: the worker must stop. */
  get rejected(): string | undefined {
    return this.rejectedWith;
  }

  /** How long since the API last answered a beat (or since the start). */
  silentMs(): number {
    return this.now() - this.lastOk;
  }

  /** Sends one beat unless one is in flight; never rejects. */
  beat(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const body = {
      attempt: this.o.attempt,
      step: this.o.step(),
      deviceSeconds: round(this.o.deviceSeconds()),
    };
    // Retry within one interval at most: by then the next beat carries fresher numbers.
    const retry = {
      maxWaitMs: this.o.intervalMs,
      baseDelayMs: Math.min(500, this.o.intervalMs / 4),
      maxDelayMs: this.o.intervalMs / 2,
    };
    this.inFlight = this.o.api
      .heartbeat(body, retry)
      .then((answer) => {
        if (!this.answer?.stop) this.answer = answer;
        this.lastOk = this.now();
        if (this.failures)
          this.o.log?.(`heartbeat: the API answers again after ${this.failures} missed beat(s)`);
        this.failures = 0;
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError && REJECTING.has(err.status))
          this.rejectedWith ??= err.message;
        if (this.failures++ === 0) this.o.log?.(`heartbeat: ${describe(err)}`);
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

const round = (s: number) => Math.round(s * 1000) / 1000;
