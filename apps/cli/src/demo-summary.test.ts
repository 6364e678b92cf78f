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
    expect(s).toEqual({ rounds: 2, scanned: 2000, kept: 400, keptOnTarget: 0.6 });
  });

  it('leaves the on-target share out when the pool does not know it, and skips malformed rounds', () => {
    const s = summariseCuration([
      round({ ...stats, step: 0, round: 1, scanned: 10, kept: 4, ratio: 0.4 }),
      round({ step: 'x' }),
    ]);
    expect(s).toEqual({ rounds: 1, scanned: 10, kept: 4, keptOnTarget: undefined });
    expect(summariseCuration([])).toBeUndefined();
  });
});
