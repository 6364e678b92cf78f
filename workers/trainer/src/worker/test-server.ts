// For tests: an in-memory API speaking the server side of the worker protocol on 127.0.0.1 (a
// random port), which records what the worker said and can fail calls on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  HeartbeatAnswer,
  MetricPoint,
  WorkerAssignment,
  WorkerCheckpoint,
  WorkerEvaluation,
  WorkerFinished,
} from '@curio/contracts';
import type { WorkerEvent } from './api-client.js';

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeApi {
  url: string;
  port: number;
  token: string;
  runId: string;
  requests: Recorded[];
  blobs: Map<string, Uint8Array>;
  /** Checkpoints the run starts from, by reference: `<checkpoint id>/<file>` → bytes. */
  inits: Map<string, Uint8Array>;
  started: unknown[];
  heartbeats: { attempt: number; step: number; deviceSeconds: number }[];
  metrics: MetricPoint[];
  events: WorkerEvent[];
  checkpoints: WorkerCheckpoint[];
  evaluations: WorkerEvaluation[];
  finished: WorkerFinished[];
  assignment: WorkerAssignment | undefined;
  heartbeatAnswer: HeartbeatAnswer;
  /** Answer the next `count` requests (matching `path`, if given) with `status`, or drop the connection. */
  fail(count: number, how: number | 'drop', path?: RegExp): void;
  /** Forget failures not yet served (the end of an outage). */
  recover(): void;
  close(): Promise<void>;
}

export async function startFakeApi(
  o: { runId?: string; token?: string; port?: number } = {},
): Promise<FakeApi> {
  const runId = o.runId ?? 'run-1';
  const token = o.token ?? 'rt_test';
  const failures: { count: number; how: number | 'drop'; path?: RegExp }[] = [];
  const api: FakeApi = {
    url: '',
    port: 0,
    close: async () => {},
    token,
    runId,
    requests: [],
    blobs: new Map(),
    inits: new Map(),
    started: [],
    heartbeats: [],
    metrics: [],
    events: [],
    checkpoints: [],
    evaluations: [],
    finished: [],
    assignment: undefined,
    heartbeatAnswer: { stop: false },
    fail: (count, how, path) => void failures.push({ count, how, ...(path ? { path } : {}) }),
    recover: () => void failures.splice(0),
  };
  const prefix = `/v1/worker/runs/${runId}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    api.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const body = Buffer.concat(await req.toArray());
    const failure = failures.find((f) => f.count > 0 && (!f.path || f.path.test(path)));
    if (failure) {
      failure.count--;
      if (failure.how === 'drop') return void req.socket.destroy();
      return send(res, failure.how, {
        type: `https://curio.dev/problems/injected-${failure.how}`,
        title: 'injected failure',
        detail: `injected ${failure.how}`,
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { title: 'Unauthorized', detail: 'bad run token' });
    if (!path.startsWith(`${prefix}/`))
      return send(res, 404, { title: 'Not Found', detail: `no run at ${path}` });
    const rest = path.slice(prefix.length + 1);
    const json = () => JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const space = rest.startsWith('blobs/')
      ? api.blobs
      : rest.startsWith('inits/')
        ? api.inits
        : null;
    if (space) {
      const key = rest
        .slice(rest.indexOf('/') + 1)
        .split('/')
        .map(decodeURIComponent)
        .join('/');
      if (req.method === 'PUT' && space === api.blobs) {
        api.blobs.set(key, new Uint8Array(body));
        return send(res, 204);
      }
      if (req.method === 'DELETE' && space === api.blobs) {
        for (const k of [...api.blobs.keys()])
          if (k === key || k.startsWith(`${key}/`)) api.blobs.delete(k);
        return send(res, 204);
      }
      const blob = space.get(key);
      if (!blob) return send(res, 404, { title: 'Not Found', detail: `no blob ${key}` });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(blob);
    }
    switch (`${req.method} ${rest}`) {
      case 'GET assignment':
        return api.assignment
          ? send(res, 200, api.assignment)
          : send(res, 409, { detail: 'no assignment' });
      case 'GET blobs': {
        const p = url.searchParams.get('prefix') ?? '';
        return send(res, 200, {
          keys: [...api.blobs.keys()].filter((k) => k.startsWith(p)).sort(),
        });
      }
      case 'POST started':
        api.started.push(json());
        return send(res, 204);
      case 'POST heartbeat':
        api.heartbeats.push(json() as FakeApi['heartbeats'][number]);
        return send(res, 200, api.heartbeatAnswer);
      case 'POST metrics':
        api.metrics.push(...(json().points as MetricPoint[]));
        return send(res, 204);
      case 'POST events':
        api.events.push(...(json().events as WorkerEvent[]));
        return send(res, 204);
      case 'POST checkpoints':
        api.checkpoints.push(json() as unknown as WorkerCheckpoint);
        return send(res, 201, { id: `ck-${api.checkpoints.length}` });
      case 'POST evaluations':
        api.evaluations.push(json() as unknown as WorkerEvaluation);
        return send(res, 201, { id: api.evaluations.length });
      case 'POST finished':
        api.finished.push(json() as unknown as WorkerFinished);
        return send(res, 204);
      default:
        return send(res, 404, { title: 'Not Found', detail: `no route ${req.method} ${path}` });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { detail: String(err) }));
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, '127.0.0.1', ok));
  api.port = (server.address() as AddressInfo).port;
  api.url = `http://127.0.0.1:${api.port}`;
  api.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return api;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    return void res.end();
  }
  res.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
  });
  res.end(JSON.stringify(body));
}
