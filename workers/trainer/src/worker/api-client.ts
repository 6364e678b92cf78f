// The worker's side of the worker protocol (@curio/contracts worker-protocol.ts): one method per
// endpoint, bodies checked against the contract before they leave, answers parsed when they come
// back, every call retried while the API is briefly away.
import {
  HeartbeatAnswer,
  MetricPoint,
  WorkerAssignment,
  WorkerCheckpoint,
  WorkerEvaluation,
  WorkerEvents,
  WorkerFinished,
  WorkerHeartbeat,
  WorkerMetrics,
  WorkerStarted,
  formatIssues,
} from '@curio/contracts';
import { z } from 'zod';
import {
  DEFAULT_RETRY,
  HttpError,
  describe,
  isRetryable,
  withRetry,
  type RetryHooks,
  type RetryPolicy,
} from './retry.js';

export type WorkerEvent = WorkerEvents['events'][number];

/** What the reporter, the blob store and the worker flow need from the API. */
export interface WorkerApi {
  /** `${apiUrl}/v1/worker/runs/${runId}/blobs`: the run's blob space. */
  readonly blobsUri: string;
  assignment(): Promise<WorkerAssignment>;
  started(body: WorkerStarted): Promise<void>;
  /** Heartbeats pass their own (short) retry policy: the next beat is as good as a retry. */
  heartbeat(body: WorkerHeartbeat, retry?: Partial<RetryPolicy>): Promise<HeartbeatAnswer>;
  metrics(points: MetricPoint[]): Promise<void>;
  events(events: WorkerEvent[]): Promise<void>;
  checkpoint(body: WorkerCheckpoint): Promise<{ id: string }>;
  evaluation(body: WorkerEvaluation): Promise<{ id: string }>;
  finished(body: WorkerFinished): Promise<void>;
  putBlob(key: string, bytes: Uint8Array): Promise<void>;
  /** undefined when the blob does not exist. */
  getBlob(key: string): Promise<Uint8Array | undefined>;
  listBlobs(prefix: string): Promise<string[]>;
  /** A file of a checkpoint the run's spec starts a tower from: `<checkpoint id>/<name>`. */
  getInitBlob(key: string): Promise<Uint8Array | undefined>;
  /** Deletes a blob or a folder of blobs (and a checkpoint recorded under that key). */
  deleteBlob(key: string): Promise<void>;
}

export interface WorkerApiClientOptions {
  apiUrl: string;
  runId: string;
  token: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout for JSON calls; blob transfers get 10×. Default 60 s. */
  timeoutMs?: number;
  /** A log line for each retry (the worker's stdout). */
  log?: (line: string) => void;
  fetch?: typeof fetch;
  hooks?: Omit<RetryHooks, 'onRetry'>;
}

const GAVE_UP_WAIT_MS = 30_000;

const Created = z.object({ id: z.union([z.string(), z.number()]).transform(String) });
const BlobList = z.object({ keys: z.array(z.string()) });

interface CallOptions {
  json?: unknown;
  bytes?: Uint8Array;
  /** 404 is an answer (a missing blob), not an error. */
  allow404?: boolean;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export class WorkerApiClient implements WorkerApi {
  readonly blobsUri: string;
  private readonly base: string;
  private readonly policy: RetryPolicy;
  private readonly fetch: typeof fetch;
  private gaveUp = false;

  constructor(private readonly o: WorkerApiClientOptions) {
    const api = o.apiUrl.replace(/\/+$/, '');
    this.base = `${api}/v1/worker/runs/${encodeURIComponent(o.runId)}`;
    this.blobsUri = `${api}/v1/worker/runs/${o.runId}/blobs`;
    this.policy = { ...DEFAULT_RETRY, ...o.retry };
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  async assignment(): Promise<WorkerAssignment> {
    return parse(
      WorkerAssignment,
      await json(await this.call('GET', '/assignment'), 'GET assignment'),
      'GET assignment',
    );
  }

  async started(body: WorkerStarted): Promise<void> {
    await this.call('POST', '/started', { json: check(WorkerStarted, body, 'started') });
  }

  async heartbeat(body: WorkerHeartbeat, retry?: Partial<RetryPolicy>): Promise<HeartbeatAnswer> {
    const res = await this.call('POST', '/heartbeat', {
      json: check(WorkerHeartbeat, body, 'heartbeat'),
      ...(retry ? { retry } : {}),
    });
    return parse(HeartbeatAnswer, await json(res, 'POST heartbeat'), 'POST heartbeat');
  }

  async metrics(points: MetricPoint[]): Promise<void> {
    await this.call('POST', '/metrics', { json: check(WorkerMetrics, { points }, 'metrics') });
  }

  async events(events: WorkerEvent[]): Promise<void> {
    await this.call('POST', '/events', { json: check(WorkerEvents, { events }, 'events') });
  }

  async checkpoint(body: WorkerCheckpoint): Promise<{ id: string }> {
    const res = await this.call('POST', '/checkpoints', {
      json: check(WorkerCheckpoint, body, 'checkpoint'),
    });
    return parse(Created, await json(res, 'POST checkpoints'), 'POST checkpoints');
  }

  async evaluation(body: WorkerEvaluation): Promise<{ id: string }> {
    const res = await this.call('POST', '/evaluations', {
      json: check(WorkerEvaluation, body, 'evaluation'),
    });
    return parse(Created, await json(res, 'POST evaluations'), 'POST evaluations');
  }

  async finished(body: WorkerFinished): Promise<void> {
    await this.call('POST', '/finished', { json: check(WorkerFinished, body, 'finished') });
  }

  async putBlob(key: string, bytes: Uint8Array): Promise<void> {
    await this.call('PUT', `/blobs/${blobPath(key)}`, { bytes, timeoutMs: this.blobTimeout() });
  }

  getBlob(key: string): Promise<Uint8Array | undefined> {
    return this.download('blobs', key);
  }

  getInitBlob(key: string): Promise<Uint8Array | undefined> {
    return this.download('inits', key);
  }

  private download(space: 'blobs' | 'inits', key: string): Promise<Uint8Array | undefined> {
    // The body is read inside the retried call, so a connection dropped mid-download is retried too.
    return this.withRetries(`GET ${space}/${key}`, {}, async () => {
      const res = await this.once('GET', `/${space}/${blobPath(key)}`, {
        allow404: true,
        timeoutMs: this.blobTimeout(),
      });
      return res.status === 404 ? undefined : new Uint8Array(await res.arrayBuffer());
    });
  }

  async deleteBlob(key: string): Promise<void> {
    await this.call('DELETE', `/blobs/${blobPath(key)}`);
  }

  async listBlobs(prefix: string): Promise<string[]> {
    const res = await this.call('GET', `/blobs?prefix=${encodeURIComponent(prefix)}`);
    return parse(BlobList, await json(res, 'GET blobs'), 'GET blobs').keys;
  }

  private blobTimeout(): number {
    return 10 * (this.o.timeoutMs ?? 60_000);
  }

  private call(method: string, path: string, c: CallOptions = {}): Promise<Response> {
    return this.withRetries(`${method} ${path.split('?')[0]}`, c, () => this.once(method, path, c));
  }

  private async withRetries<T>(what: string, c: CallOptions, fn: () => Promise<T>): Promise<T> {
    const policy = { ...this.policy, ...c.retry };
    // Once a call has spent the whole budget, the API is gone: later calls (the final report)
    // try briefly instead of waiting the full budget again, until one gets through.
    if (this.gaveUp) policy.maxWaitMs = Math.min(policy.maxWaitMs, GAVE_UP_WAIT_MS);
    try {
      const result = await withRetry(what, fn, policy, {
        ...this.o.hooks,
        onRetry: ({ delayMs, error }) =>
          this.o.log?.(
            `api: ${what} failed (${describe(error)}); retrying in ${(delayMs / 1000).toFixed(1)}s`,
          ),
      });
      this.gaveUp = false;
      return result;
    } catch (err) {
      if (!c.retry && isRetryable((err as Error).cause)) this.gaveUp = true; // heartbeats give up early by design
      throw err;
    }
  }

  /** One request; a non-2xx answer becomes an HttpError naming the endpoint and the API's reason. */
  private async once(method: string, path: string, c: CallOptions): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.o.token}`,
      accept: 'application/json',
    };
    let body: string | Uint8Array | undefined;
    if (c.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(c.json);
    } else if (c.bytes !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = c.bytes;
    }
    const signal = AbortSignal.timeout(c.timeoutMs ?? this.o.timeoutMs ?? 60_000);
    let res = await this.fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
      redirect: 'manual',
    });
    // An API on object storage answers blob calls with a presigned URL of the bucket: the same
    // request goes there, without the token (the URL's signature is its authority).
    const location = res.headers.get('location');
    if ((res.status === 307 || res.status === 302) && location) {
      await res.body?.cancel();
      const { authorization: _token, ...plain } = headers;
      res = await this.fetch(location, {
        method,
        headers: plain,
        ...(body !== undefined ? { body } : {}),
        signal,
      });
    }
    if (res.ok || (c.allow404 && res.status === 404)) return res;
    const { reason, type } = await problemOf(res);
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new HttpError(
      `${method} ${path.split('?')[0]} → ${res.status} ${res.statusText}${reason ? `: ${reason}` : ''}`,
      res.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      type,
    );
  }
}

/**
 * The `detail` (or `title`) of a problem+json answer, else the start of the body; and the
 * problem's type, the last path segment of its `type` URL.
 */
async function problemOf(res: Response): Promise<{ reason: string; type?: string }> {
  const text = await res.text().catch(() => '');
  try {
    const p = JSON.parse(text) as {
      detail?: unknown;
      title?: unknown;
      message?: unknown;
      type?: unknown;
    };
    const said = p.detail ?? p.message ?? p.title;
    const type = typeof p.type === 'string' ? p.type.split('/').at(-1) : undefined;
    if (typeof said === 'string') return { reason: said, ...(type && { type }) };
  } catch {
    /* not JSON */
  }
  return { reason: text.slice(0, 300) };
}

async function json(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`unexpected answer to ${what}: not JSON: ${text.slice(0, 200)}`);
  }
}

function check<T>(schema: z.ZodType<T>, body: T, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new Error(`refusing to send an invalid ${what} body: ${formatIssues(r.error)}`);
  return r.data;
}

function parse<T>(schema: z.ZodType<T, unknown>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`unexpected answer to ${what}: ${formatIssues(r.error)}`);
  return r.data;
}

/** Blob keys are relative paths in the run's blob space; each segment is URL-encoded. */
export function blobPath(key: string): string {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(
      `invalid blob key ${JSON.stringify(key)}: a relative path without empty, . or .. segments`,
    );
  }
  return parts.map(encodeURIComponent).join('/');
}
