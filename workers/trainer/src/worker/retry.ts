// Retrying while the API is briefly away: exponential backoff with jitter, for a bounded total
// wait. Network errors, timeouts, 408, 429 and 5xx are retried; any other answer is final.

export interface RetryPolicy {
  /** Give up once this much time has passed since the first try. */
  maxWaitMs: number;
  /** First delay; doubles each retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxWaitMs: 10 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** An HTTP answer the worker did not want; `retryable` for 408, 429 and 5xx. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds the server asked to wait (Retry-After), if it said. */
    readonly retryAfterSeconds?: number,
    /** The problem+json answer's type, its last path segment (e.g. `run-canceled`), if any. */
    readonly problemType?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** A transient failure: no answer (connection refused or reset, DNS, timeout) or a retryable status. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof HttpError) return err.retryable;
  if (!(err instanceof Error)) return false;
  // fetch rejects with a TypeError ("fetch failed") for network errors; AbortSignal.timeout with
  // a TimeoutError. Programming and validation errors are neither.
  return (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    (err instanceof TypeError && /fetch failed|network|socket|terminated/i.test(err.message))
  );
}

/** Delay before retry number `retry` (0-based): half fixed, half random ("equal jitter"). */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Told before each wait (for a log line). */
  onRetry?: (info: { what: string; retry: number; delayMs: number; error: unknown }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` until it succeeds, fails for good, or the policy's total wait is spent. */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? defaultSleep;
  const start = now();
  for (let retry = 0; ; retry++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      const asked =
        err instanceof HttpError && err.retryAfterSeconds !== undefined
          ? err.retryAfterSeconds * 1000
          : 0;
      const delayMs = Math.min(
        Math.max(backoffDelay(retry, policy, hooks.random), asked),
        policy.maxDelayMs,
      );
      const waited = now() - start;
      if (waited + delayMs > policy.maxWaitMs) {
        throw new Error(
          `${what}: the API did not answer for ${Math.round(waited / 1000)}s (${retry + 1} tries): ${describe(err)}`,
          { cause: err },
        );
      }
      hooks.onRetry?.({ what, retry, delayMs, error: err });
      await sleep(delayMs);
    }
  }
}

/** One line for an error, including a fetch failure's cause (ECONNREFUSED …). */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail && !err.message.includes(detail) ? `${err.message} (${detail})` : err.message;
}
