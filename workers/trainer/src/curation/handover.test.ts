import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseAdditions, failed, nextCapShare, provedOut } from './handover.js';
import { nextWarmState, type WarmSettings } from './warm-signal.js';

const cand = (score: number) => ({ item: `c${score}`, score });

describe('the handover guard', () => {
  const hitScores = [0.5, 0.6, 0.7, 0.8, 0.9]; // median 0.7

  it('adds no model pick at or below the median lexical hit', () => {
    const r = chooseAdditions([cand(0.1), cand(0.69), cand(0.7)], hitScores, 100);
    expect(r).toMatchObject({ added: [], bar: 0.7, eligible: 0 });
  });

  it('adds picks above the median, best first, within the cap', () => {
    const r = chooseAdditions([cand(0.71), cand(0.95), cand(0.2), cand(0.8)], hitScores, 2);
    expect(r.added).toEqual(['c0.95', 'c0.8']);
    expect(r.eligible).toBe(3);
    expect(chooseAdditions([cand(0.95)], hitScores, 0).added).toEqual([]);
  });

  it('adds picks above another quantile of the hits when asked', () => {
    const hits = [0.1, 0.2, 0.3, 0.4, 0.5];
    const picks = [0.15, 0.25, 0.35].map((score) => ({ item: score, score }));
    expect(chooseAdditions(picks, hits, 10).added).toEqual([0.35]);
    expect(chooseAdditions(picks, hits, 10, 0.25).added).toEqual([0.35, 0.25]);
  });

  it('adds nothing when no lexical hit was scored', () => {
    expect(chooseAdditions([cand(0.99)], [], 10).added).toEqual([]);
  });

  it('never adds a pick scoring at or below the median hit, whatever the scores and cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { maxLength: 40 }),
        fc.nat(50),
        (hits, picks, cap) => {
          const sorted = [...hits].sort((a, b) => a - b);
          const mid = (sorted.length - 1) / 2;
          const median =
            ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
          const r = chooseAdditions(picks.map(cand), hits, cap);
          expect(r.added.length).toBeLessThanOrEqual(cap);
          for (const item of r.added) expect(Number(item.slice(1))).toBeGreaterThan(median);
        },
      ),
    );
  });
});

describe('the cap on additions', () => {
  const s = { start: 0.25, bound: 2 };
  const hits = [0.3, 0.35, 0.4, 0.45]; // lower quartile 0.3375

  it('doubles when the additions agree with their images as well as the hits do', () => {
    expect(provedOut({ added: [0.34, 0.5], hits })).toBe(true);
    expect(nextCapShare(0.25, { added: [0.34, 0.5], hits }, s)).toBe(0.5);
    expect(nextCapShare(1.5, { added: [0.4], hits }, s)).toBe(2);
  });

  it('halves (to a quarter of the start at least) when they do not', () => {
    expect(nextCapShare(0.5, { added: [0.1, 0.2], hits }, s)).toBe(0.25);
    expect(nextCapShare(0.1, { added: [0.1], hits }, s)).toBe(0.0625);
  });

  it('also doubles when the additions agree better than most rejected pairs do', () => {
    const rejected = [0.0, 0.05, 0.1, 0.2]; // upper quartile 0.125
    expect(provedOut({ added: [0.15, 0.2], hits, rejected })).toBe(true);
    expect(provedOut({ added: [0.1, 0.12], hits, rejected })).toBe(false);
  });

  it("also doubles when most additions are above the pair filter's floor", () => {
    const rejected = [0.0, 0.05, 0.1, 0.2];
    expect(provedOut({ added: [0.06, 0.08, 0.3], hits, rejected, floor: 0.05 })).toBe(true);
    expect(provedOut({ added: [0.0, 0.04, 0.3], hits, rejected, floor: 0.05 })).toBe(false);
  });

  it('holds when the additions agree about as well as the rejected pairs, and halves when worse', () => {
    const rejected = [0.0, 0.05, 0.1, 0.2]; // quartiles 0.0375 and 0.125
    const between = { added: [0.04, 0.1], hits, rejected };
    expect([provedOut(between), failed(between)]).toEqual([false, false]);
    expect(nextCapShare(1, between, s)).toBe(1);
    const junk = { added: [0.0, 0.06], hits, rejected };
    expect(failed(junk)).toBe(true);
    expect(nextCapShare(1, junk, s)).toBe(0.5);
  });

  it('stays without evidence (no additions this round)', () => {
    expect(nextCapShare(0.5, undefined, s)).toBe(0.5);
    expect(nextCapShare(0.5, { added: [], hits }, s)).toBe(0.5);
  });
});

describe('the smoothed warm signal', () => {
  const s: WarmSettings = { bar: 0.8, smoothing: 0.5, hysteresis: 0.05 };
  const run = (agreements: number[]) => {
    let state = { warm: false } as ReturnType<typeof nextWarmState>;
    return agreements.map((a) => (state = nextWarmState(state, a, s)).warm);
  };

  it('turns warm once the smoothed agreement reaches the bar', () => {
    expect(run([0.7, 0.85, 0.9])).toEqual([false, false, true]);
  });

  it('does not flip on one round below the bar, nor on one round above it', () => {
    expect(run([0.9, 0.9, 0.7, 0.9])).toEqual([true, true, true, true]);
    expect(run([0.6, 0.6, 0.95, 0.6])).toEqual([false, false, false, false]);
  });

  it('turns cold when the agreement stays low, and ignores rounds that could not tell', () => {
    expect(run([0.9, 0.6, 0.6])).toEqual([true, true, false]);
    expect(nextWarmState({ warm: true, smoothed: 0.9 }, Number.NaN, s)).toEqual({
      warm: true,
      smoothed: 0.9,
    });
  });
});
