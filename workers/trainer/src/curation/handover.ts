// The handover that only adds (ours, METHODS.md §1 cold start): once the model is warm, the
// lexical hits stay and the model may add pairs the words missed, but only those whose evidence
// beats the lexical hits of the same round (a quantile of their scores), best first, within a cap. The cap is a share of
// the round's hits that doubles each round the additions' captions agree with their images as
// well as the hits' do (their median image-caption agreement at least the hits' lower quartile,
// or above the pair filter's floor) or better than most rejected pairs' do, halves when they agree
// worse than most rejected pairs do, and holds in between.
import { median, quantile } from './stats.js';

export interface Candidate<T> {
  item: T;
  score: number;
}

export interface Additions<T> {
  added: T[];
  /** The score of the round's lexical hits additions pass (their median by default). */
  bar: number;
  /** Candidates above the bar, before the cap. */
  eligible: number;
}

/**
 * The model's additions: candidates scoring above the `q` quantile of the hits' scores (the median
 * by default), best first, at most `cap`.
 */
export function chooseAdditions<T>(
  candidates: readonly Candidate<T>[],
  hitScores: ArrayLike<number>,
  cap: number,
  q = 0.5,
): Additions<T> {
  const bar = quantile(hitScores, q);
  if (!Number.isFinite(bar)) return { added: [], bar, eligible: 0 };
  const above = candidates.filter((c) => c.score > bar).sort((a, b) => b.score - a.score);
  return {
    added: above.slice(0, Math.max(0, Math.floor(cap))).map((c) => c.item),
    bar,
    eligible: above.length,
  };
}

export interface CapSettings {
  /** The share the cap starts at (and never falls below a quarter of). */
  start: number;
  /** The share it grows to at most. */
  bound: number;
}

/**
 * A round's evidence on its additions and its lexical hits: image-caption agreement (`added`,
 * `hits`: what proves the additions out) and image scores (what let them in).
 */
export interface AdditionEvidence {
  added: ArrayLike<number>;
  hits: ArrayLike<number>;
  /** Image-caption agreement of a uniform sample of the round's rejected pairs. */
  rejected?: ArrayLike<number>;
  /** The pair filter's floor this round (absent when the filter found no low mode or is off). */
  floor?: number;
  addedImage?: ArrayLike<number>;
}

/**
 * Whether the additions' captions agree with their images as well as the hits' lower quartile, or
 * better than three quarters of the rejected pairs' do, or well enough that the pair filter would
 * keep most of them (their median above its floor): a caption whose words the text tower is only
 * learning (a paraphrase the images let in) passes the later tests first.
 */
export function provedOut(e: AdditionEvidence): boolean {
  const m = median(e.added);
  return (
    m >= quantile(e.hits, 0.25) ||
    (e.rejected !== undefined && m >= quantile(e.rejected, 0.75)) ||
    (e.floor !== undefined && m >= e.floor)
  );
}

/**
 * Whether the additions' captions agree with their images worse than three quarters of the
 * rejected pairs' do: what the images let in looks worse than the pool at large.
 */
export function failed(e: AdditionEvidence): boolean {
  return e.rejected !== undefined && median(e.added) < quantile(e.rejected, 0.25);
}

/**
 * The cap share for the next round: unchanged without evidence, doubled when the additions proved
 * out, halved when they failed, and unchanged in between (a paraphrase whose words the text tower
 * is still learning agrees about as well as the pool at large, if not yet as well as the hits).
 */
export function nextCapShare(
  share: number,
  e: AdditionEvidence | undefined,
  s: CapSettings,
): number {
  if (!e || e.added.length === 0 || e.hits.length === 0) return share;
  if (provedOut(e)) return Math.min(s.bound, Math.max(s.start, 2 * share));
  if (failed(e) || e.rejected === undefined) return Math.max(s.start / 4, share / 2);
  return share;
}
