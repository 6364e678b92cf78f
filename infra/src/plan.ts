// What the cloud deployment is made of, as data: the secrets, the cron schedule, the paths SST
// bundles, the Hyperdrive origin parsed from DATABASE_URL, the Worker's plain environment and the
// Node dispatcher's (the Worker starts no Modal sandbox: Modal's SDK speaks gRPC over HTTP/2,
// which Workers lack).
// Pure, so it is tested without SST; ../../sst.config.ts turns it into resources.

/** SST secret names (`npx sst secret set <Name> <value>`) → the binding the Worker reads. */
export const SECRETS = {
  DatabaseUrl: 'DATABASE_URL',
  SessionSecret: 'CURIO_SESSION_SECRET',
  AdminToken: 'CURIO_ADMIN_TOKEN',
  ModalTokenId: 'MODAL_TOKEN_ID',
  ModalTokenSecret: 'MODAL_TOKEN_SECRET',
  BucketAccessKeyId: 'CURIO_S3_ACCESS_KEY_ID',
  BucketSecretAccessKey: 'CURIO_S3_SECRET_ACCESS_KEY',
} as const;
export type SecretName = keyof typeof SECRETS;

/** The edge entry (apps/api) and the dashboard build the Worker serves as static assets. */
export const EDGE_HANDLER = 'apps/api/src/edge.ts';
export const WEB_DIST = 'apps/web/dist';
/** The Worker binding of the Hyperdrive config in front of PostgreSQL. */
export const HYPERDRIVE_BINDING = 'HYPERDRIVE';
/**
 * Every minute, Cloudflare's finest cron grain: each tick reaps runs whose heartbeat went stale
 * and starts due schedules; the Node dispatcher takes the queued runs.
 */
export const TICK_SCHEDULE = '* * * * *';

export interface HyperdriveOrigin {
  scheme: 'postgres' | 'postgresql';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** The Hyperdrive origin of a `postgres://user:password@host:port/database` URL; throws naming what is missing. */
export function hyperdriveOrigin(databaseUrl: string): HyperdriveOrigin {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DatabaseUrl is not a URL (want postgres://user:password@host:5432/db)');
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'postgres' && scheme !== 'postgresql')
    throw new Error(`DatabaseUrl must be a postgres:// URL, not ${scheme}://`);
  const missing = [
    !url.hostname && 'a host',
    !url.username && 'a user',
    !url.password && 'a password',
    url.pathname.length <= 1 && 'a database name',
  ].filter(Boolean);
  if (missing.length) throw new Error(`DatabaseUrl lacks ${missing.join(', ')}`);
  return {
    scheme,
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

export interface WorkerBinding {
  name: string;
  type: 'hyperdrive' | 'secret_text';
  id?: string;
  text?: string;
}

/** The secrets only the Node dispatcher holds (the Worker has Hyperdrive in place of the URL). */
export const DISPATCHER_SECRETS: readonly SecretName[] = [
  'DatabaseUrl',
  'ModalTokenId',
  'ModalTokenSecret',
];

/**
 * The Worker's bindings: the Hyperdrive config (whose connection string the edge entry reads in
 * place of DATABASE_URL) and its other secrets as secret_text bindings, never plain env. The
 * Modal token is not among them: only the dispatcher starts sandboxes.
 */
export function workerBindings(
  hyperdriveId: string,
  secretValues: Readonly<Record<SecretName, string>>,
): WorkerBinding[] {
  const secrets = (Object.keys(SECRETS) as SecretName[])
    .filter((name) => !DISPATCHER_SECRETS.includes(name))
    .map((name) => ({
      name: SECRETS[name],
      type: 'secret_text' as const,
      text: secretValues[name],
    }));
  return [{ name: HYPERDRIVE_BINDING, type: 'hyperdrive', id: hyperdriveId }, ...secrets];
}

/** The deploy's own settings (from the shell that runs `sst deploy`; see env.ts). */
export interface DeploySettings {
  accountId: string;
  /** The API's public URL, which Modal sandboxes reach (https://<domain> with a custom domain). */
  publicUrl: string;
  /** A custom domain on one of the account's zones; absent: the workers.dev URL. */
  domain?: string;
  modalImage: string;
  maxWorkers: number;
  /** The device kind of runs that name none (a price-table key), e.g. `nvidia-t4`. */
  device: string;
}

/** R2's S3 endpoint for an account: presigned URLs for workers are signed against it. */
export function r2Endpoint(accountId: string): string {
  return `https://${accountId}.r2.cloudflarestorage.com`;
}

/** The Worker's plain (non-secret) environment, in the API's env names (apps/api/src/env.ts). */
export function workerEnvironment<B>(s: DeploySettings, bucketName: B): Record<string, string | B> {
  return {
    CURIO_PUBLIC_URL: s.publicUrl,
    CURIO_DEVICE: s.device,
    CURIO_S3_BUCKET: bucketName,
    CURIO_S3_ENDPOINT: r2Endpoint(s.accountId),
    CURIO_S3_REGION: 'auto',
  };
}

/**
 * The Node dispatcher's plain environment (`npm start -w @curio/api` in the worker image, on a
 * host with no GPU): it takes queued runs from the shared database and starts their Modal
 * sandboxes, which reach the Worker at the public URL; the edge's tick does the rest. Its
 * secrets are DISPATCHER_SECRETS, in their env names.
 */
export function dispatcherEnvironment(s: DeploySettings): Record<string, string> {
  return {
    CURIO_PUBLIC_URL: s.publicUrl,
    CURIO_BACKGROUND: 'dispatch',
    CURIO_DISPATCHER: 'modal',
    CURIO_MODAL_IMAGE: s.modalImage,
    CURIO_MAX_WORKERS: String(s.maxWorkers),
    CURIO_DEVICE: s.device,
  };
}
