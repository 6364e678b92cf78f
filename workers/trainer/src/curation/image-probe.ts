// Which rejected pairs a warm round checks by their images: a uniform quarter (so the evidence
// keeps coming from everywhere), and the rest the word scorer ranks likeliest to be on target.
// An untrained scorer ranks nothing: the whole probe is then uniform.
import type { CaptionSample } from '@curio/webdataset';
import type { Rng } from '@curio/random';
import type { WordScorer } from './word-scorer.js';

export interface ProbeChoice {
  uniform: CaptionSample[];
  ranked: CaptionSample[];
}

/** Share of the probe drawn uniformly once the word scorer is trained. */
export const UNIFORM_SHARE = 0.25;

export function chooseProbe(
  others: readonly CaptionSample[],
  scorer: WordScorer,
  size: number,
  rng: Rng,
): ProbeChoice {
  const order = rng.shuffle(others.map((_, i) => i));
  const nUniform = scorer.trained ? Math.ceil(UNIFORM_SHARE * size) : size;
  const uniformIdx = order.slice(0, nUniform);
  const ranked = scorer.trained
    ? order
        .slice(nUniform)
        .map((i) => ({ i, z: scorer.score((others[i] as CaptionSample).caption) }))
        .sort((a, b) => b.z - a.z || a.i - b.i)
        .slice(0, size - nUniform)
        .map((r) => others[r.i] as CaptionSample)
    : [];
  return { uniform: uniformIdx.map((i) => others[i] as CaptionSample), ranked };
}
