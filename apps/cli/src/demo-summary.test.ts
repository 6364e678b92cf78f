import type { RunEvent } from '@curio/contracts';
import { describe, expect, it } from 'vitest';
import { summariseCuration } from './demo-summary.js';

const at = '2026-01-01T00:00:00.000Z';
const round = (data: Record<string, unknown>, type = 'curation'): RunEvent => ({
  seq: 1,
  type,
  fromStatus: null,
  toStatus: null,
  message: null,
  data,
  at,
});
const stats = { lexicalHits: 0, warm: false, gammaFired: false };

describe('summariseCuration', () => {
  it('weights the on-target share by each round’s kept count', () => {
    const s = summariseCuration([
      round({
        ...stats,
        step: 0,
        round: 1,
        scanned: 1000,
        kept: 100,
        ratio: 0.1,
        keptOnTarget: 0.9,
      }),
      round({
        ...stats,
        step: 50,
        round: 2,
        scanned: 1000,
        kept: 300,
        ratio: 0.3,
        keptOnTarget: 0.5,
      }),
      round({ step: 5, name: 'not a round' }, 'log'),
    ]);
    // (0.9·100 + 0.5·300) / 400 = 0.6
    expect(s).toMatchObject({ rounds: 2, scanned: 2000, kept: 400, keptOnTarget: 0.6 });
  });

  it('leaves the on-target share out when the pool does not know it, and skips malformed rounds', () => {
    const s = summariseCuration([
      round({ ...stats, step: 0, round: 1, scanned: 10, kept: 4, ratio: 0.4 }),
      round({ step: 'x' }),
    ]);
    expect(s).toEqual({
      rounds: 1,
      scanned: 10,
      kept: 4,
      keptOnTarget: undefined,
      modelAdded: 0,
      firstWarmRound: undefined,
      pairFiltered: 0,
      swappedDropped: undefined,
    });
    expect(summariseCuration([])).toBeUndefined();
  });

  it('adds up what the warm model added and what the pair filter dropped', () => {
    const handover = (added: number) => ({
      probed: 2048,
      ranked: 1536,
      eligible: 40,
      added,
      cap: 10,
      capShare: 0.25,
      nextCapShare: 0.5,
      hitImageMedian: 0.4,
      addedImageMedian: 0.5,
      addedAgreement: 0.3,
      hitAgreementQ1: 0.2,
    });
    const truth = (swappedDropped: number) => ({
      scanned: 50,
      hits: 40,
      added: 5,
      kept: 44,
      swappedHits: 8,
      swappedDropped,
      alignedDropped: 1,
    });
    const filter = (dropped: number) => ({ dropped, floor: 0.1, medianAgreement: 0.4 });
    const base = { ...stats, scanned: 100, kept: 50, ratio: 0.5 };
    const s = summariseCuration([
      round({ ...base, step: 0, round: 1, truth: truth(0) }),
      round({
        ...base,
        step: 50,
        round: 2,
        warm: true,
        handover: handover(7),
        pairFilter: filter(9),
        truth: truth(8),
      }),
      round({
        ...base,
        step: 80,
        round: 3,
        warm: true,
        handover: handover(10),
        pairFilter: filter(3),
        truth: truth(2),
      }),
    ]);
    expect(s).toMatchObject({
      modelAdded: 17,
      firstWarmRound: 2,
      pairFiltered: 12,
      swappedDropped: 10,
    });
  });
});
