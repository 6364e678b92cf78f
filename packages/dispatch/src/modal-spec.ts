// What a Modal sandbox for one run attempt looks like: a pure function of the request and the
// dispatcher's options, so it can be checked without reaching Modal.
import type { DispatchRequest } from './dispatcher.js';
import { JIT_CACHE_BYTES, MODAL_GPU_TABLE } from './modal-gpus.js';

/** Device kinds (price-table keys) to Modal GPU types. `cpu` takes no GPU. */
export const MODAL_GPUS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MODAL_GPU_TABLE).map(([device, g]) => [device, g.gpu]),
);

/** Modal caps a sandbox's lifetime at 24 hours. */
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface ModalSandboxOptions {
  /** Registry reference of the worker image (see packages/dispatch/image/Dockerfile). */
  image: string;
  /** Modal App the sandboxes belong to; created if missing. Default `curio-workers`. */
  appName?: string;
  /** Longest sandbox lifetime (a run's own limit shortens it); Modal stops it after this. Default and maximum 24 h. */
  timeoutMs?: number;
  /** Extra device kinds → Modal GPU types, on top of MODAL_GPUS. */
  gpus?: Record<string, string>;
  /** Extra environment for the worker (not secret). */
  env?: Record<string, string>;
  /** CPU cores and memory to reserve. */
  cpu?: number;
  memoryMiB?: number;
  /** The worker's argv in the image. Default `["curio-train", "worker"]`. */
  command?: string[];
  /** Modal environment (workspace sub-environment) for the App and secret. */
  environment?: string;
}

export interface SandboxSpec {
  appName: string;
  image: string;
  environment?: string;
  /** Passed to `modal.secrets.fromObject`; the run token travels as a secret, not plain env. */
  secretEnv: Record<string, string>;
  /** Passed to `modal.sandboxes.create` (secrets added by the client). */
  params: {
    command: string[];
    env: Record<string, string>;
    timeoutMs: number;
    gpu?: string;
    cpu?: number;
    memoryMiB?: number;
    name: string;
    tags: Record<string, string>;
  };
}

export function buildSandboxSpec(req: DispatchRequest, o: ModalSandboxOptions): SandboxSpec {
  if (!req.runId) throw new Error('runId must not be empty');
  if (!Number.isInteger(req.attempt) || req.attempt < 1)
    throw new Error(`attempt must be a positive integer, got ${req.attempt}`);
  if (!req.token) throw new Error('token must not be empty');
  if (!o.image)
    throw new Error('a Modal worker image is required (e.g. ghcr.io/you/curio-worker:tag)');
  checkApiUrl(req.apiUrl);
  const gpu = gpuFor(req.device, o.gpus);
  const timeoutMs = sandboxTimeoutMs(req.timeLimitSeconds, o.timeoutMs);
  const jit = gpu !== undefined && MODAL_GPU_TABLE[req.device]?.tfKernels !== 'native';
  return {
    appName: o.appName ?? 'curio-workers',
    image: o.image,
    ...(o.environment ? { environment: o.environment } : {}),
    secretEnv: { CURIO_RUN_TOKEN: req.token },
    params: {
      command: o.command ?? ['curio-train', 'worker'],
      env: {
        // A GPU sandbox must train on the GPU: forcing the backend makes a broken CUDA setup fail
        // loudly instead of training on the CPU at GPU prices.
        ...(gpu ? { CURIO_TF_BACKEND: 'tfjs-node-gpu' } : {}),
        ...(jit ? { CUDA_CACHE_MAXSIZE: JIT_CACHE_BYTES } : {}),
        ...o.env,
        CURIO_API_URL: req.apiUrl,
        CURIO_RUN_ID: req.runId,
        CURIO_DEVICE: req.device,
      },
      timeoutMs,
      ...(gpu ? { gpu } : {}),
      ...(o.cpu !== undefined ? { cpu: o.cpu } : {}),
      ...(o.memoryMiB !== undefined ? { memoryMiB: o.memoryMiB } : {}),
      name: sandboxName(req),
      tags: { 'curio-run': req.runId, 'curio-attempt': String(req.attempt) },
    },
  };
}

/** Start-up (image pull, JIT warm-up), the last evaluation and checkpoint upload, on top of a run's own time limit. */
export const TIMEOUT_GRACE_MS = 20 * 60 * 1000;

/**
 * A sandbox's lifetime: the run's time limit plus the grace, within the dispatcher's own cap
 * (default and maximum 24 h); the cap alone for a run with no limit. Modal stops it after this.
 */
export function sandboxTimeoutMs(timeLimitSeconds: number | undefined, capMs = MAX_TIMEOUT_MS) {
  if (!Number.isInteger(capMs) || capMs < 60_000 || capMs > MAX_TIMEOUT_MS)
    throw new Error(
      `timeoutMs must be a whole number of ms between 1 minute and 24 hours, got ${capMs}`,
    );
  if (timeLimitSeconds === undefined) return capMs;
  if (!(timeLimitSeconds > 0) || !Number.isFinite(timeLimitSeconds))
    throw new Error(`timeLimitSeconds must be a positive number, got ${timeLimitSeconds}`);
  return Math.min(capMs, Math.ceil(timeLimitSeconds * 1000) + TIMEOUT_GRACE_MS);
}

/** The Modal GPU type for a device kind; undefined for `cpu`; throws for kinds it does not know. */
export function gpuFor(device: string, extra: Record<string, string> = {}): string | undefined {
  if (device === 'cpu') return undefined;
  const gpu = extra[device] ?? MODAL_GPUS[device];
  if (!gpu) {
    const known = ['cpu', ...Object.keys(MODAL_GPUS), ...Object.keys(extra)];
    throw new Error(
      `device ${JSON.stringify(device)} has no Modal GPU type (known: ${[...new Set(known)].join(', ')})`,
    );
  }
  return gpu;
}

/** One sandbox per attempt: Modal refuses a second running sandbox with the same name in an App. */
export function sandboxName(req: Pick<DispatchRequest, 'runId' | 'attempt'>): string {
  const suffix = `-a${req.attempt}`;
  const run = req.runId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63 - 'curio-'.length - suffix.length);
  return `curio-${run}${suffix}`;
}

function checkApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(`apiUrl is not a URL: ${JSON.stringify(apiUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`apiUrl must be http(s), got ${apiUrl}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\./.test(host) ||
    host === '::1' ||
    host === '0.0.0.0'
  ) {
    throw new Error(
      `apiUrl ${apiUrl} is this machine's loopback address, which a Modal sandbox cannot reach: set a public API URL`,
    );
  }
}
