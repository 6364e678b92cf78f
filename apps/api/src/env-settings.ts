// What both entries (server.ts on Node, edge.ts on Cloudflare Workers) take from the environment
// the same way: prices, the S3 blob store, fetch limits, the admin token, the default device,
// timing and limits. Each entry adds what only it has (the database, the dispatcher, folders).
import { S3BlobStore } from '@curio/blob-store/s3';
import { parseAllowList } from '@curio/webdataset';
import type { AppDeps } from './deps.js';
import { s3StoreOptions, type ApiEnv } from './env.js';
import { parsePrices } from './prices.js';

export type EnvSettings = Pick<
  AppDeps,
  'prices' | 'blobStore' | 'fetchLimits' | 'adminToken' | 'defaultDevice' | 'timing' | 'limits'
>;

/** The settings of `env`; throws naming the variable when one is invalid. */
export function settingsFromEnv(env: ApiEnv): EnvSettings {
  const s3 = s3StoreOptions(env);
  parseAllowList(env.CURIO_FETCH_ALLOW); // a bad entry stops the start, naming it
  return {
    prices: parsePrices(env.CURIO_PRICES),
    ...(s3 ? { blobStore: new S3BlobStore(s3) } : {}),
    fetchLimits: {
      allowHosts: env.CURIO_FETCH_ALLOW,
      connectTimeoutMs: Math.round(env.CURIO_FETCH_CONNECT_SECONDS * 1000),
      totalTimeoutMs: Math.round(env.CURIO_FETCH_TIMEOUT_SECONDS * 1000),
      maxBytes: Math.round(env.CURIO_FETCH_MAX_MB * 2 ** 20),
    },
    adminToken: env.CURIO_ADMIN_TOKEN,
    defaultDevice: env.CURIO_DEVICE,
    timing: {
      heartbeatSeconds: env.CURIO_HEARTBEAT_SECONDS,
      staleAfterMs: env.CURIO_STALE_AFTER_SECONDS * 1000,
      scheduleIntervalMs: env.CURIO_SCHEDULE_SECONDS * 1000,
    },
    limits: { blobBytes: Math.round(env.CURIO_MAX_BLOB_MB * 2 ** 20) },
  };
}
