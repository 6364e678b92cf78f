// Which captions of one scored chunk a curation round keeps, and which scorer decided.
// METHODS.md §1: the paper rule (threshold with the γ fallback, or a top fraction), and ours:
// the lexical cold start with a guarded handover to the model scorer.
import { gammaFloor, selectByThreshold, topK } from './rule.js';

export type Scorer =
  'threshold' | 'gamma' | 'top-fraction' | 'lexical' | 'lexical+model' | 'lexical+model-capped';

export interface DecideSettings {
  threshold: number;
  minRatio: number;
  bootstrap: 'lexical' | 'none';
  /** The model may keep at most this multiple of the lexical hits while guarded. */
  handoverBound: number;
  topFraction?: number | undefined;
}

export interface ChunkDecision {
  kept: number[];
  scorer: Scorer;
  gammaFired: boolean;
}

/** The paper's model-only rule: top fraction if set, else threshold with the γ fallback. */
export function modelSelection(scores: ArrayLike<number>, s: DecideSettings): ChunkDecision {
  if (s.topFraction !== undefined) {
    return {
      kept: topK(scores, Math.ceil(s.topFraction * scores.length)),
      scorer: 'top-fraction',
      gammaFired: false,
    };
  }
  const { kept, gammaFired } = selectByThreshold(scores, s.threshold, s.minRatio);
  return { kept, scorer: gammaFired ? 'gamma' : 'threshold', gammaFired };
}

/** The cold start's rule for a chunk with enough hits: keep the lexical hits. */
export function lexicalSelection(lexicalHits: readonly boolean[]): ChunkDecision {
  const kept: number[] = [];
  lexicalHits.forEach((hit, i) => hit && kept.push(i));
  return { kept, scorer: 'lexical', gammaFired: false };
}

/**
 * Decide a chunk. `warm` says whether the text tower already ranks captions like the lexical
 * matcher does (see `lexicalAgreement`); while cold, lexical hits decide alone.
 */
export function decideChunk(
  scores: ArrayLike<number>,
  lexicalHits: readonly boolean[],
  warm: boolean,
  s: DecideSettings,
): ChunkDecision {
  if (s.bootstrap === 'none') return modelSelection(scores, s);
  const byLexicon = lexicalSelection(lexicalHits);
  const lexical = byLexicon.kept;
  const floor = gammaFloor(s.minRatio, scores.length);
  if (!warm) {
    if (lexical.length >= floor) return byLexicon;
    // Too few hits to keep data flowing: top up with the model's best, as the γ rule does.
    return { kept: union(lexical, topK(scores, floor)), scorer: 'gamma', gammaFired: true };
  }
  const model = modelSelection(scores, s);
  const cap = Math.floor(s.handoverBound * lexical.length);
  const extra = model.kept.filter((i) => !lexicalHits[i]);
  if (extra.length + lexical.length <= Math.max(cap, floor)) {
    return {
      kept: union(lexical, model.kept),
      scorer: 'lexical+model',
      gammaFired: model.gammaFired,
    };
  }
  // The model wants more than the bound allows: keep its best non-lexical picks up to the bound.
  const room = Math.max(cap, floor) - lexical.length;
  const extraScores = extra.map((i) => scores[i] as number);
  const best = topK(extraScores, Math.max(0, room)).map((k) => extra[k] as number);
  return { kept: union(lexical, best), scorer: 'lexical+model-capped', gammaFired: false };
}

/**
 * How well model scores separate lexical hits from the rest: the AUC (probability that a random
 * hit scores above a random non-hit). NaN when either group is empty.
 */
export function lexicalAgreement(
  scores: ArrayLike<number>,
  lexicalHits: readonly boolean[],
): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let hits = 0;
  let rankSum = 0;
  idx.forEach((i, rank) => {
    if (lexicalHits[i]) {
      hits++;
      rankSum += rank + 1;
    }
  });
  const misses = scores.length - hits;
  if (hits === 0 || misses === 0) return Number.NaN;
  return (rankSum - (hits * (hits + 1)) / 2) / (hits * misses);
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
