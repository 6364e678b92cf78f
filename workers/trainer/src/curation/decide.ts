// Which captions of one scored chunk a curation round keeps, and which scorer decided.
// METHODS.md §1: the paper rule (threshold with the γ fallback, or a top fraction), and ours:
// the lexical cold start.
import { gammaFloor, selectByThreshold, topK } from './rule.js';

export type Scorer = 'threshold' | 'gamma' | 'top-fraction' | 'lexical';

export interface DecideSettings {
  threshold: number;
  minRatio: number;
  bootstrap: 'lexical' | 'none';
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
 * Decide a chunk: the paper's rule without a cold start; else the lexical hits, topped up with
 * the model's best when too few hit (as the γ rule does). The model's additions beyond the hits
 * are decided per round (see `handover.ts`), not here.
 */
export function decideChunk(
  scores: ArrayLike<number>,
  lexicalHits: readonly boolean[],
  s: DecideSettings,
): ChunkDecision {
  if (s.bootstrap === 'none') return modelSelection(scores, s);
  const byLexicon = lexicalSelection(lexicalHits);
  const floor = gammaFloor(s.minRatio, scores.length);
  if (byLexicon.kept.length >= floor) return byLexicon;
  return { kept: union(byLexicon.kept, topK(scores, floor)), scorer: 'gamma', gammaFired: true };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
