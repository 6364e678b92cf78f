// How much each pool source weighs when a batch's source is drawn. `proportional` (ZeroVL): ∝ its
// size. `adaptive` (ours, METHODS.md §4): every `interval` steps, from each source's held-out loss,
//   Δₖ = (L̃ₖ(before) − L̃ₖ(now)) / L̃ₖ(before)  the relative fall since the last update,
//                                             L̃ = min(L, ln N) (chance: see `improvements`),
//   Δ̄ₖ ← s·Δₖ + (1 − s)·Δ̄ₖ                    its running mean (s: `smoothing`),
//   wₖ = (1 − ε)·softmax(η·Δ̄)ₖ + ε/K, the softmax over the sources the model has learned
//                                      anything of (`learnedSources`), the others at ε/K,
// so a source the model still learns from gains weight, one whose loss stopped falling loses it,
// one noisy update does not swing the weights, and none drops below ε/K (the floor). The floor is a mixture, as in EXP3's exploration term,
// rather than a clip: the weights sum to 1 by construction, every source keeps ε/K exactly at
// worst, and the weights stay smooth in Δ, so no renormalising loop is needed.

export interface AdaptiveRule {
  /** η: how sharply the weights follow the improvements. */
  eta: number;
  /** ε in (0, 1]: the share spread evenly over the sources. */
  floor: number;
}

/** Where the adaptive weights stood: what a checkpoint keeps to resume them exactly. */
export interface SourceWeightsState {
  /** The weights in force, per source name. */
  weights: Record<string, number>;
  /** Each source's held-out loss at the last update (the baseline of the next Δ). */
  heldOutLoss: Record<string, number>;
  /** Each source's running mean Δ̄ (absent before the first update by the rule). */
  trend?: Record<string, number>;
  /** The step (steps done) of the last update. */
  updatedAt: number;
}

/** Weights ∝ size, summing to 1. */
export function proportionalWeights(sizes: readonly number[]): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('source weights: every source is empty');
  return sizes.map((s) => s / total);
}

/**
 * Δₖ: the relative fall of each source's held-out loss from `before` to `now`, each loss capped
 * at `chance`, ln N for chunks of N pairs. A model whose scores say nothing about which caption
 * goes with which image has an expected contrastive loss of at least ln N (Jensen: the matching
 * pair's softmax share averages 1/N), so above it a falling loss is lost confidence, not learning:
 * a noise source's loss falls towards chance as training on it blurs the model, which uncapped
 * would read as improvement and hand it more batches.
 */
export function improvements(
  before: readonly number[],
  now: readonly number[],
  chance = Number.POSITIVE_INFINITY,
): number[] {
  if (before.length !== now.length)
    throw new Error(`source weights: ${before.length} losses before, ${now.length} now`);
  if (!(chance > 0)) throw new Error(`source weights: chance loss must be > 0, got ${chance}`);
  return now.map((l, k) => {
    const b = before[k] as number;
    if (!Number.isFinite(b) || !Number.isFinite(l) || b <= 0)
      throw new Error(`source weights: held-out loss of source ${k} is ${b} then ${l}`);
    const capped = Math.min(b, chance);
    return (capped - Math.min(l, chance)) / capped;
  });
}

/** The contrastive loss of a model that knows nothing, on chunks of `pairs` pairs: ln N. */
export const chanceLoss = (pairs: number): number => Math.log(pairs);

/** Δ̄ ← s·Δ + (1 − s)·Δ̄; the first update's Δ̄ is its Δ. */
export function smoothedImprovements(
  previous: readonly number[] | undefined,
  deltas: readonly number[],
  smoothing: number,
): number[] {
  if (!(smoothing > 0 && smoothing <= 1))
    throw new Error(`source weights: smoothing must be in (0, 1], got ${smoothing}`);
  if (!previous) return [...deltas];
  if (previous.length !== deltas.length)
    throw new Error(`source weights: ${previous.length} running means, ${deltas.length} Δ`);
  return deltas.map((d, k) => smoothing * d + (1 - smoothing) * (previous[k] as number));
}

/**
 * Which sources the model has learned anything of: held-out loss below chance by more than
 * `margin` (a fraction of chance). A source still at chance, pure noise among them, has a capped
 * Δ of 0 for ever, which would beat a learned source whose Δ̄ drifts just below 0 once it
 * plateaus and hand the noise the batches; so it keeps only the floor until its loss falls below
 * chance. While no source is below chance (the first updates), every source counts.
 */
export function learnedSources(
  losses: readonly number[],
  chance: number,
  margin: number,
): boolean[] {
  if (!(margin >= 0 && margin < 1))
    throw new Error(`source weights: chance margin must be in [0, 1), got ${margin}`);
  const learned = losses.map((l) => l < chance * (1 - margin));
  return learned.some(Boolean) ? learned : losses.map(() => true);
}

/** w = (1 − ε)·softmax(η·Δ) + ε/K, the softmax over the `counted` sources (default: all). */
export function adaptiveWeights(
  deltas: readonly number[],
  rule: AdaptiveRule,
  counted: readonly boolean[] = deltas.map(() => true),
): number[] {
  const { eta, floor } = rule;
  if (!(eta >= 0)) throw new Error(`source weights: eta must be ≥ 0, got ${eta}`);
  if (!(floor > 0 && floor <= 1))
    throw new Error(`source weights: floor must be in (0, 1], got ${floor}`);
  const k = deltas.length;
  if (k === 0) throw new Error('source weights: no sources');
  if (counted.length !== k || !counted.some(Boolean))
    throw new Error(`source weights: ${k} sources need a mask of ${k} with one counted`);
  const top = Math.max(...deltas.filter((_, i) => counted[i]).map((d) => eta * d));
  const exp = deltas.map((d, i) => (counted[i] ? Math.exp(eta * d - top) : 0));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => (1 - floor) * (e / sum) + floor / k);
}

/** The lowest weight the rule gives a source: ε/K. */
export function weightFloor(rule: AdaptiveRule, sources: number): number {
  return rule.floor / sources;
}
