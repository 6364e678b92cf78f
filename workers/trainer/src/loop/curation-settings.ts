// From the run spec's curation settings to the curator's: the handover's warm signal and cap,
// how long a round trains, and the curator's state from a checkpoint.
import type { CurationSpec } from '@curio/contracts';
import type { DataState } from '../checkpoint/checkpoint.js';
import type { CuratorOptions } from '../curation/curator.js';

export type CitResume = Extract<DataState, { mode: 'cit' }>;

export function handoverSettings(c: CurationSpec): NonNullable<CuratorOptions['handover']> {
  return {
    warm: { bar: c.warmAgreement, smoothing: c.warmSmoothing, hysteresis: c.warmHysteresis },
    cap: { start: c.handoverStart, bound: c.handoverBound },
    quantile: c.handoverQuantile,
  };
}

/** Rounds this short at least, so that a tiny kept set does not curate every few steps. */
const MIN_ROUND_STEPS = 10;

/**
 * Steps a round with `kept` pairs trains for: `maxRepeats` passes over its pairs, at least
 * `MIN_ROUND_STEPS` (or `interval` if that is shorter) and at most `interval`.
 */
export function roundSteps(kept: number, c: CurationSpec, batchSize: number): number {
  const passes = Math.ceil((c.maxRepeats * kept) / batchSize);
  return Math.min(c.interval, Math.max(Math.min(MIN_ROUND_STEPS, c.interval), passes));
}

/** The curator's state kept by a checkpoint (older checkpoints keep only a warm flag). */
export function curatorResume(r: CitResume, c: CurationSpec): CuratorOptions['resume'] {
  const warm = typeof r.warm === 'boolean' ? { warm: r.warm } : r.warm;
  return {
    warm,
    capShare: r.capShare ?? c.handoverStart,
    rounds: r.rounds,
    ...(r.wordScorer ? { wordScorer: r.wordScorer } : {}),
  };
}
