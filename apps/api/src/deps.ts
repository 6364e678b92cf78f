// What the app is built from. Tests pass their own (a test database, short intervals, a
// dispatcher with capacity 0); `server.ts` builds them from the environment.
import { resolve } from 'node:path';
import type { FetchLimits } from '@curio/contracts';
import type { Db } from '@curio/db';
import type { Context } from 'hono';
import type { Dispatcher } from '@curio/dispatch';
import { DEFAULT_FETCH_LIMITS } from '@curio/webdataset';
import type { PriceTable } from './prices.js';
import { safeLog } from './log.js';
import { DEFAULT_PRICES } from './prices.js';

export interface Timing {
  /** Seconds between a worker's heartbeats (told to the worker in its assignment). */
  heartbeatSeconds: number;
  /** A run whose heartbeat is older than this is reaped. */
  staleAfterMs: number;
  reapIntervalMs: number;
  dispatchIntervalMs: number;
  scheduleIntervalMs: number;
  /** How often `GET /v1/runs/:id/stream` looks for news. */
  streamPollMs: number;
  /** How often a live stream checks that its key still stands (revoked, expired, role changed). */
  keyRecheckMs: number;
  /** How long a finished run's worker tokens stay good (to hear the stop and report its end). */
  tokenGraceMs: number;
}

export const DEFAULT_TIMING: Timing = {
  heartbeatSeconds: 10,
  staleAfterMs: 90_000,
  reapIntervalMs: 5_000,
  dispatchIntervalMs: 1_000,
  scheduleIntervalMs: 15_000,
  streamPollMs: 500,
  keyRecheckMs: 10_000,
  tokenGraceMs: 120_000,
};

export interface Limits {
  /** Largest JSON body on team routes. */
  jsonBytes: number;
  /** Largest JSON body on worker routes (metric and event batches). */
  workerJsonBytes: number;
  /** Largest worker blob upload. */
  blobBytes: number;
  /** Deepest nesting of a JSON body (objects and arrays). */
  jsonDepth: number;
  /** Longest array in a JSON body. */
  jsonArray: number;
  /** Failed authentications a client address may make per window before it gets 429s. */
  authFailures: number;
  authFailureWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  jsonBytes: 1 << 20,
  workerJsonBytes: 16 << 20,
  blobBytes: 2 * 1024 ** 3,
  jsonDepth: 32,
  jsonArray: 10_000,
  authFailures: 20,
  authFailureWindowMs: 60_000,
};

export interface AppDeps {
  db: Db;
  dispatcher: Dispatcher;
  /** Folder of worker uploads (`<blobRoot>/<runId>/<key>`) and team uploads (`uploads/<teamId>/`). */
  blobRoot: string;
  /** The store's other folders (database, logs…): never readable through a data location. */
  storeDirs?: string[];
  /** Limits on fetching http(s) shards (allowlist of internal hosts, timeouts, size cap). */
  fetchLimits?: Partial<FetchLimits>;
  /** The URL workers reach this API on. */
  publicUrl: string;
  prices?: PriceTable;
  /** Lets `POST /v1/bootstrap` create more teams once one exists. */
  adminToken?: string | undefined;
  /** Device kind of runs that name none. */
  defaultDevice?: string;
  timing?: Partial<Timing>;
  limits?: Partial<Limits>;
  /** The clock schedules and the failed-authentication window run on (tests move it). */
  now?: () => Date;
  /** The client address failed authentications are counted by; default the socket's peer. */
  clientAddress?: (c: Context) => string;
  /** The built dashboard's folder (`apps/web/dist`), served at `/` (Node only); none: not served. */
  webDist?: string | undefined;
  log?: (message: string) => void;
}

/** `AppDeps` with every default filled in. */
export interface AppContext {
  db: Db;
  dispatcher: Dispatcher;
  blobRoot: string;
  /** The blob root and the other store folders. */
  storeDirs: string[];
  fetchLimits: FetchLimits;
  publicUrl: string;
  prices: PriceTable;
  adminToken: string | undefined;
  defaultDevice: string;
  timing: Timing;
  limits: Limits;
  now: () => Date;
  clientAddress: ((c: Context) => string) | undefined;
  webDist: string | undefined;
  log: (message: string) => void;
}

export function resolveDeps(deps: AppDeps): AppContext {
  return {
    db: deps.db,
    dispatcher: deps.dispatcher,
    blobRoot: resolve(deps.blobRoot),
    storeDirs: [resolve(deps.blobRoot), ...(deps.storeDirs ?? []).map((d) => resolve(d))],
    fetchLimits: { ...DEFAULT_FETCH_LIMITS, ...deps.fetchLimits },
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
    prices: deps.prices ?? DEFAULT_PRICES,
    adminToken: deps.adminToken,
    defaultDevice: deps.defaultDevice ?? 'cpu',
    timing: { ...DEFAULT_TIMING, ...deps.timing },
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    now: deps.now ?? (() => new Date()),
    clientAddress: deps.clientAddress,
    webDist: deps.webDist,
    log: safeLog(deps.log ?? ((m) => console.log(`[curio-api] ${m}`))),
  };
}
