import { describe, expect, it } from 'vitest';
import { AuthThrottle } from './throttle.js';

describe('AuthThrottle', () => {
  it('refuses an address after its failures, until its window ends', () => {
    let now = 0;
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 1_000, maxClients: 10 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs('a')).toBe(0);
      t.fail('a');
      now += 100;
    }
    expect(t.retryAfterMs('a')).toBe(700);
    expect(t.retryAfterMs('b')).toBe(0);
    now = 1_000;
    expect(t.retryAfterMs('a')).toBe(0);
    t.fail('a');
    expect(t.retryAfterMs('a')).toBe(0);
  });

  it('holds at most maxClients addresses, dropping ended windows, then the oldest', () => {
    let now = 0;
    const t = new AuthThrottle({ maxFailures: 1, windowMs: 1_000, maxClients: 2 }, () => now);
    t.fail('old');
    now = 500;
    t.fail('mid');
    t.fail('new'); // over the cap: the oldest goes
    expect(t.retryAfterMs('old')).toBe(0);
    expect(t.retryAfterMs('mid')).toBe(1_000);
    expect(t.retryAfterMs('new')).toBe(1_000);
    now = 1_600;
    t.fail('late'); // over the cap again: mid and new have ended
    expect(t.retryAfterMs('late')).toBe(1_000);
    expect(t.retryAfterMs('mid')).toBe(0);
  });
});
