// The API's environment, read once and checked. Nothing else in apps/api reads process.env.
import type { S3StoreOptions } from '@curio/blob-store/s3';
import { z } from 'zod';
import { BACKGROUND_JOBS } from './services/background-jobs.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Env = z.object({
  /** A PostgreSQL server (`postgres://…`); absent: embedded PGlite under CURIO_DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
      .optional(),
  ),
  /** Where the embedded store keeps its files (PGlite in `pglite/`, worker uploads in `blobs/`). */
  CURIO_DATA_DIR: z.string().min(1).default('.curio'),
  CURIO_PGLITE_DIR: optionalString,
  CURIO_BLOB_DIR: optionalString,
  CURIO_API_HOST: z.string().min(1).default('127.0.0.1'),
  CURIO_API_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** The URL workers reach the API on; default http://CURIO_API_HOST:CURIO_API_PORT. */
  CURIO_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  /** The built dashboard served at `/`; default apps/web/dist beside this package, when built. */
  CURIO_WEB_DIST: optionalString,
  /** Lets `POST /v1/bootstrap` create a team after the first one exists. */
  CURIO_ADMIN_TOKEN: optionalString.pipe(
    z.string().min(32, 'CURIO_ADMIN_TOKEN must be at least 32 characters').optional(),
  ),
  /** JSON `{ "<device>": <USD per device-hour> }`, merged over the defaults. */
  CURIO_PRICES: optionalString,
  /** `local` (trainer child processes), `modal` (Modal sandboxes) or `none` (runs stay queued). */
  CURIO_DISPATCHER: z.enum(['local', 'modal', 'none']).default('local'),
  /**
   * The background jobs this process runs on timers, comma-separated: `dispatch`, `reaper`,
   * `schedules` (default all three). In the cloud the edge's cron tick runs the reaper and the
   * schedules, and a Node process with `CURIO_BACKGROUND=dispatch` starts the Modal sandboxes.
   */
  CURIO_BACKGROUND: z
    .string()
    .default('dispatch,reaper,schedules')
    .transform((v) =>
      v
        .split(',')
        .map((j) => j.trim())
        .filter((j) => j !== ''),
    )
    .pipe(z.array(z.enum(BACKGROUND_JOBS, { message: `a job: ${BACKGROUND_JOBS.join(', ')}` }))),
  /** Registry reference of the worker image (modal dispatcher). */
  CURIO_MODAL_IMAGE: optionalString,
  /** Workers at once. */
  CURIO_MAX_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Device kind of runs that name none (a price-table key). */
  CURIO_DEVICE: z.string().min(1).default('cpu'),
  CURIO_HEARTBEAT_SECONDS: z.coerce.number().positive().default(10),
  /** A run whose heartbeat is older than this is reaped (failed, retried from its checkpoint). */
  CURIO_STALE_AFTER_SECONDS: z.coerce.number().positive().default(90),
  /** How often the scheduler looks for due schedules. */
  CURIO_SCHEDULE_SECONDS: z.coerce.number().positive().default(15),
  /** Largest worker upload (a checkpoint file) and largest team upload (a shard), in MiB. */
  CURIO_MAX_BLOB_MB: z.coerce.number().positive().default(2048),
  /** Internal data servers http(s) shards may come from: hosts, addresses, CIDRs, comma-separated. */
  CURIO_FETCH_ALLOW: optionalString.transform((v) =>
    (v ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
  ),
  /** Connect timeout of a shard fetch. */
  CURIO_FETCH_CONNECT_SECONDS: z.coerce.number().positive().default(10),
  /** Whole-fetch timeout of a shard (request to last byte). */
  CURIO_FETCH_TIMEOUT_SECONDS: z.coerce.number().positive().default(600),
  /** Largest fetched shard, in MiB. */
  CURIO_FETCH_MAX_MB: z.coerce.number().positive().default(4096),
  /** A bucket for blobs (checkpoints, team uploads): set, the S3 store replaces the filesystem's. */
  CURIO_S3_BUCKET: optionalString,
  /** Key prefix inside the bucket (`curio/prod`); default the bucket's root. */
  CURIO_S3_PREFIX: optionalString,
  /** An S3-compatible endpoint (R2, MinIO…); default AWS's own. */
  CURIO_S3_ENDPOINT: optionalString.pipe(z.url().optional()),
  /** The bucket's region; default AWS_REGION, else us-east-1 (R2: `auto`). */
  CURIO_S3_REGION: optionalString,
  AWS_REGION: optionalString,
  /** `true`: path-style URLs (`endpoint/bucket/key`), as MinIO and s3rver want. */
  CURIO_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
  /** Credentials of the bucket; absent: the standard AWS chain (AWS_ACCESS_KEY_ID…, profile, role). */
  CURIO_S3_ACCESS_KEY_ID: optionalString,
  CURIO_S3_SECRET_ACCESS_KEY: optionalString,
});
export type ApiEnv = z.infer<typeof Env>;

/** The S3 store's options when CURIO_S3_BUCKET is set; throws when only half a key pair is. */
export function s3StoreOptions(env: ApiEnv): S3StoreOptions | undefined {
  if (!env.CURIO_S3_BUCKET) return undefined;
  const id = env.CURIO_S3_ACCESS_KEY_ID;
  const secret = env.CURIO_S3_SECRET_ACCESS_KEY;
  if ((id === undefined) !== (secret === undefined))
    throw new Error(
      'invalid environment: set both CURIO_S3_ACCESS_KEY_ID and CURIO_S3_SECRET_ACCESS_KEY, or neither',
    );
  return {
    bucket: env.CURIO_S3_BUCKET,
    prefix: env.CURIO_S3_PREFIX ?? '',
    region: env.CURIO_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
    ...(env.CURIO_S3_ENDPOINT ? { endpoint: env.CURIO_S3_ENDPOINT } : {}),
    forcePathStyle:
      env.CURIO_S3_FORCE_PATH_STYLE === 'true' || env.CURIO_S3_FORCE_PATH_STYLE === '1',
    ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}),
  };
}

/** The environment checked; throws an error naming every bad variable. */
export function readApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
