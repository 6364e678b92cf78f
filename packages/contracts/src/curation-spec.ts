// CiT's settings (METHODS.md §1): the run spec's `curation`, with what each does; the README's
// table says when to change them.
import { z } from 'zod';
import { boundedInt, fraction, MAX_BATCH, positiveInt, stepCount } from './bounds.js';

/** Stored configs from before the handover only added: `agreement` is what `adds` replaced. */
const legacyHandover = (v: unknown) => (v === 'agreement' ? 'adds' : v);
/** Stored configs from before the pair filter followed evidence: a share > 0 turns it on. */
const legacyPairFilter = (v: unknown) => (typeof v === 'number' ? (v > 0 ? 'outliers' : 'off') : v);

/**
 * CiT's settings (METHODS.md §1, and the README's table of what each does and when to change it).
 * The defaults are one set, used by the CLI, the demo and `npm run bench:cit`.
 */
export const CurationSpec = z.strictObject({
  /** cit: curate during training; offline: once with the initial model; none: whole pool. */
  mode: z.enum(['cit', 'offline', 'none']).default('cit'),
  /** Keep captions whose max cosine to any metadata entry exceeds t (the paper's rule). */
  threshold: z.number().min(-1).max(1).default(0.55),
  /** γ: if fewer than this fraction of a chunk passes, keep the top ⌈γ·chunk⌉ instead. */
  minRatio: fraction.default(0.01),
  /** Training steps per curation round at most (a round is shorter when its kept set is small). */
  interval: stepCount.default(50),
  /**
   * Passes over a round's kept set before the next round curates anew (ours): a round lasts
   * min(interval, ⌈maxRepeats · kept / batchSize⌉) steps, so a small kept set is not memorised.
   */
  maxRepeats: z.number().min(0.1).max(1000).default(2),
  /** Captions scored per chunk; defaults to 2·batchSize. */
  chunkSize: boundedInt(1, 16 * MAX_BATCH).optional(),
  /**
   * Cold start: `lexical` metadata matching decides while the text tower is cold (a pretrained
   * tower, `textTowerTrained`, is measured in the first round and adds from then on if it agrees);
   * `none` is the paper's rule: the text tower's threshold and γ from the first round.
   */
  bootstrap: z.enum(['lexical', 'none']).default('lexical'),
  /**
   * After a lexical cold start, what the model's own picks do once it is warm: `adds` keeps every
   * lexical hit and adds pairs whose images the model scores above the round's lexical hits (their
   * `handoverQuantile`), within a cap that grows as its picks prove out; `never` lets the lexical matcher decide
   * every round.
   */
  handover: z.preprocess(legacyHandover, z.enum(['adds', 'never'])).default('adds'),
  /**
   * The model is warm once its scores rank lexical hits above the rest this well (AUC, smoothed
   * over rounds); it turns cold again only below the bar less `warmHysteresis`.
   */
  warmAgreement: z.number().min(0.5).max(0.99).default(0.8),
  /** Weight of the newest round in the smoothed agreement (1: no smoothing). */
  warmSmoothing: z.number().gt(0).max(1).default(0.5),
  warmHysteresis: z.number().min(0).max(0.5).default(0.05),
  /** The model's additions start capped at this multiple of the round's lexical hits… */
  handoverStart: z.number().min(0).max(100).default(0.25),
  /** …and the cap doubles each round its picks agree with their images as well as the hits do, up to this. */
  handoverBound: z.number().min(0).max(1000).default(2),
  /**
   * The bar an addition's image score must pass: this quantile of the round's lexical hits' image
   * scores (ours; 0.5 is the median). Below the median because the hits hold swapped captions and
   * class words used in other senses, whose images score low.
   */
  handoverQuantile: z.number().min(0).max(1).default(0.4),
  /**
   * While the model adds: rejected pairs a round samples to check by their images (ours). Those
   * whose image scores above the hits' bar join the additions, within the cap: how the
   * model finds on-target pairs whose captions it cannot read yet (words the lexical matcher and
   * the text tower have never seen), and so learns those words. 0: captions alone decide.
   */
  imageProbe: boundedInt(0, 1_000_000).default(3072),
  /** Keep the best q of each round in addition to (or instead of) the threshold. */
  keep: z.object({ topFraction: fraction.optional() }).default({}),
  /**
   * Share of each CiT training batch drawn at random from the pairs a round rejected (ours): the
   * towers then see off-target captions as negatives. 0 is the paper's behaviour.
   */
  explore: fraction.default(0),
  /**
   * From the second round on, `outliers` fits the round's image-caption agreement with two
   * Gaussians and drops the pairs of a separate low mode (swapped captions, class names used as
   * proper nouns); a round without one is kept whole. `off` keeps every pair.
   */
  pairFilter: z.preprocess(legacyPairFilter, z.enum(['outliers', 'off'])).default('outliers'),
  /** How far apart (in the upper mode's standard deviations) the modes must be to drop the low one. */
  pairFilterSeparation: z.number().positive().max(100).default(2),
  /**
   * What measures a pair's image-caption agreement (the pair filter's and the handover's
   * evidence): the dual encoder's cosine, or the match logit of the model's joint module
   * (`model.joint`, which it needs).
   */
  pairScore: z.enum(['cosine', 'joint']).default('cosine'),
  /** Pool pairs a round scans at most (bounds the round's time; the pool if smaller). */
  maxScanPerRound: positiveInt.default(50_000),
});
export type CurationSpec = z.infer<typeof CurationSpec>;
