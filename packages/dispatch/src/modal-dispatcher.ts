// Runs each attempt in a Modal sandbox (a GPU container from the worker image). The spec comes
// from buildSandboxSpec; this file makes the SDK calls, keeps count of live sandboxes, streams
// their output to `onOutput` and tells `onExit` when one ends on its own.
import type { ModalClient, Sandbox } from 'modal';
import type { DispatchHandle, DispatchRequest, Dispatcher } from './dispatcher.js';
import { buildSandboxSpec, type ModalSandboxOptions, type SandboxSpec } from './modal-spec.js';
import { pumpLines } from './sandbox-output.js';

/** The slice of the Modal SDK's client the dispatcher uses (tests pass a fake of this shape). */
export interface ModalClientLike {
  apps: Pick<ModalClient['apps'], 'fromName'>;
  images: Pick<ModalClient['images'], 'fromRegistry'>;
  secrets: Pick<ModalClient['secrets'], 'fromObject'>;
  sandboxes: Pick<ModalClient['sandboxes'], 'create'>;
  close?(): void;
}

export type SandboxLike = Pick<Sandbox, 'sandboxId' | 'poll' | 'terminate' | 'stdout' | 'stderr'>;

/** Whole lines a sandbox wrote, in order per stream. */
export interface SandboxOutput {
  runId: string;
  attempt: number;
  workerId: string;
  stream: 'stdout' | 'stderr';
  lines: string[];
}

/** A sandbox that ended by itself (not by `terminate`), after its output was read. */
export interface SandboxExit {
  runId: string;
  attempt: number;
  workerId: string;
  code: number;
}

interface Live {
  sandbox: SandboxLike;
  attempt: number;
  /** Settles when both output streams have been read to their end. */
  output: Promise<void>;
}

/** How long an ended sandbox's output may take to drain before its exit is reported anyway. */
const DRAIN_MS = 5_000;

/** Creates the sandbox a spec describes: App by name (created if missing), image, token secret. */
export async function createSandbox(
  client: ModalClientLike,
  spec: SandboxSpec,
): Promise<SandboxLike> {
  const env = spec.environment ? { environment: spec.environment } : {};
  const app = await client.apps.fromName(spec.appName, { createIfMissing: true, ...env });
  const image = client.images.fromRegistry(spec.image);
  const secret = await client.secrets.fromObject(spec.secretEnv, env);
  return client.sandboxes.create(app, image, { ...spec.params, secrets: [secret] });
}

export interface ModalDispatcherOptions extends ModalSandboxOptions {
  /** Max sandboxes at once. */
  capacity: number;
  /** Default: `new ModalClient()` on first dispatch (credentials from ~/.modal.toml or MODAL_TOKEN_*). */
  client?: ModalClientLike;
  /** How often finished sandboxes are noticed, freeing capacity. Default 15 s. */
  pollMs?: number;
  /** Each batch of lines a sandbox writes (the API stores them as the run's log events). */
  onOutput?: (output: SandboxOutput) => void;
  /** A sandbox that ended by itself: the API fails the attempt if the worker had not reported its end. */
  onExit?: (exit: SandboxExit) => void;
}

export class ModalDispatcher implements Dispatcher {
  readonly kind = 'modal' as const;
  readonly capacity: number;
  private client: ModalClientLike | undefined;
  private readonly sandboxes = new Map<string, Live>();
  private readonly starting = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ModalDispatcherOptions) {
    if (!Number.isInteger(o.capacity) || o.capacity < 1)
      throw new Error(`capacity must be a positive integer, got ${o.capacity}`);
    this.capacity = o.capacity;
    this.client = o.client;
  }

  active(): number {
    return this.sandboxes.size + this.starting.size;
  }

  async dispatch(req: DispatchRequest): Promise<DispatchHandle> {
    const spec = buildSandboxSpec(req, this.o); // a bad request fails before any capacity is used
    if (this.sandboxes.has(req.runId) || this.starting.has(req.runId))
      throw new Error(`run ${req.runId} already has a sandbox`);
    if (this.active() >= this.capacity) await this.refresh();
    if (this.active() >= this.capacity)
      throw new Error(`Modal dispatcher is at capacity (${this.capacity} sandbox(es) running)`);
    this.starting.add(req.runId);
    try {
      this.client ??= new (await import('modal')).ModalClient(); // loaded only when used
      const sandbox = await createSandbox(this.client, spec);
      this.sandboxes.set(req.runId, {
        sandbox,
        attempt: req.attempt,
        output: this.stream(sandbox, req),
      });
      this.watch();
      return { workerId: sandbox.sandboxId };
    } catch (err) {
      throw new Error(
        `cannot start a Modal sandbox for run ${req.runId}: ${(err as Error).message}`,
      );
    } finally {
      this.starting.delete(req.runId);
    }
  }

  async terminate(runId: string): Promise<void> {
    const live = this.sandboxes.get(runId);
    if (!live) return;
    this.sandboxes.delete(runId);
    await live.sandbox.terminate().catch(() => {}); // best effort: it may be gone already
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.sandboxes.keys()].map((runId) => this.terminate(runId)));
    if (!this.o.client) this.client?.close?.();
  }

  /**
   * Forgets sandboxes that have exited (poll answers an exit code), freeing their capacity, and
   * reports each exit once its output has drained.
   */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.sandboxes].map(async ([runId, live]) => {
        const code = await live.sandbox.poll().catch(() => null); // unknown: keep counting it
        if (code === null || this.sandboxes.get(runId) !== live) return;
        this.sandboxes.delete(runId);
        await Promise.race([live.output, new Promise((done) => setTimeout(done, DRAIN_MS))]);
        const { attempt, sandbox } = live;
        this.o.onExit?.({ runId, attempt, workerId: sandbox.sandboxId, code });
      }),
    );
    if (this.sandboxes.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Reads both output streams to `onOutput` (nothing is read without one). */
  private stream(sandbox: SandboxLike, req: DispatchRequest): Promise<void> {
    const onOutput = this.o.onOutput;
    if (!onOutput) return Promise.resolve();
    const pump = (stream: 'stdout' | 'stderr') =>
      pumpLines(sandbox[stream], (lines) =>
        onOutput({
          runId: req.runId,
          attempt: req.attempt,
          workerId: sandbox.sandboxId,
          stream,
          lines,
        }),
      );
    return Promise.all([pump('stdout'), pump('stderr')]).then(() => undefined);
  }

  private watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.o.pollMs ?? 15_000);
    this.timer.unref();
  }
}
