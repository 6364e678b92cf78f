// The API's environment, read once and checked. Nothing else in apps/api reads process.env.
import { z } from 'zod';

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
  /** Registry reference of the worker image (modal dispatcher). */
  CURIO_MODAL_IMAGE: optionalString,
  /** Workers at once. */
  CURIO_MAX_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Device kind of runs that name none (a price-table key). */
  CURIO_DEVICE: z.string().min(1).default('cpu'),
  CURIO_HEARTBEAT_SECONDS: z.coerce.number().positive().default(10),
  /** A run whose heartbeat is older than this is reaped (failed, retried from its checkpoint). */
  CURIO_STALE_AFTER_SECONDS: z.coerce.number().positive().default(90),
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
});
export type ApiEnv = z.infer<typeof Env>;

/** The environment checked; throws an error naming every bad variable. */
export function readApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
