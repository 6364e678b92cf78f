import { describe, expect, it } from 'vitest';
import { backoffDelay, HttpError, isRetryable, withRetry } from './retry.js';

const policy = { maxWaitMs: 10_000, baseDelayMs: 100, maxDelayMs: 1000 };

/** A clock that only moves when the retry loop sleeps. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    hooks: {
      now: () => t,
      sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)),
      random: () => 0.5,
    },
  };
}

describe('retrying', () => {
  it('backs off exponentially with jitter, up to the cap', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(600);
    expect(backoffDelay(20, policy, () => 1)).toBe(1000);
  });

  it('classifies failures: network errors, timeouts, 408, 429 and 5xx are transient', () => {
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
    for (const s of [408, 429, 500, 502, 503])
      expect(isRetryable(new HttpError('x', s))).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413, 422])
      expect(isRetryable(new HttpError('x', s))).toBe(false);
    expect(isRetryable(new Error('refusing to send an invalid body'))).toBe(false);
  });

  it('retries transient failures until one succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withRetry(
      'GET x',
      async () => (++calls < 4 ? Promise.reject(new HttpError('503', 503)) : 'ok'),
      policy,
      clock.hooks,
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([75, 150, 300]);
  });

  it('honours Retry-After, within the delay cap', async () => {
    const clock = fakeClock();
    let calls = 0;
    await withRetry(
      'GET x',
      async () => (++calls === 1 ? Promise.reject(new HttpError('429', 429, 0.8)) : 'ok'),
      policy,
      clock.hooks,
    );
    expect(clock.sleeps).toEqual([800]);
  });

  it('gives up once the total wait is spent, naming the call and the last error', async () => {
    const clock = fakeClock();
    const down = () =>
      Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    await expect(
      withRetry('POST metrics', down, { ...policy, maxWaitMs: 3000 }, clock.hooks),
    ).rejects.toThrow(
      /^POST metrics: the API did not answer for \ds \(\d+ tries\): fetch failed \(ECONNREFUSED\)$/,
    );
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
  });

  it('does not retry a final answer', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetry(
        'POST x',
        async () => (calls++, Promise.reject(new HttpError('400 bad', 400))),
        policy,
        clock.hooks,
      ),
    ).rejects.toThrow('400 bad');
    expect(calls).toBe(1);
  });
});
