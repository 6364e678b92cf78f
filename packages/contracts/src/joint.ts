// Joint reduction (METHODS.md §4, ours: the paper's module, K and placement were not available):
// the run spec's `model.joint` option. The image and text token sequences of a pair are
// concatenated and reduced together, `stages` times (token learner to `tokens` tokens → one
// transformer block), into a compact joint representation scored as a match logit. It serves pair
// scoring (CiT's pair filter, re-ranking); the dual-encoder embeddings stay independent.
import { z } from 'zod';

export const JointSpec = z.strictObject({
  /** K: the tokens each stage's token learner reduces the joint sequence to. */
  tokens: z.number().int().min(1).max(1_000).default(8),
  /** Reduce → block stages. */
  stages: z.number().int().min(1).max(16).default(2),
  /** Weight of the pair-matching loss (binary cross-entropy) added to the contrastive loss. */
  lossWeight: z.number().min(0).max(100).default(1),
  /**
   * Each pair's two negatives (its image with another caption, its caption with another image):
   * drawn at random from the batch, or the hardest by the contrastive similarities. Random by
   * default: where a batch holds several pairs of one class in other words, the hardest "negative"
   * is a match (measured: trainer README, "Joint reduction").
   */
  negatives: z.enum(['random', 'hard']).default('random'),
});
export type JointSpec = z.infer<typeof JointSpec>;

/** Presets whose towers differ in width: the joint sequence needs one width (base: 768 and 512). */
export const PRESETS_WITHOUT_JOINT: readonly string[] = ['base'];

/** What of a run spec the joint module's checks read (run-spec.ts passes the whole spec). */
interface JointUse {
  model: { joint?: JointSpec | undefined };
  curation: { pairScore: 'cosine' | 'joint' };
  training: { subBatch?: number | undefined; mixup: { enabled: boolean } };
  growth?: unknown;
}

/**
 * Why the spec cannot use the joint module, if it cannot: its matching loss runs on the whole
 * batch, unmixed, of a model the spec builds.
 */
export function jointSpecProblem(spec: JointUse): string | undefined {
  if (!spec.model.joint)
    return spec.curation.pairScore === 'joint'
      ? 'curation.pairScore joint needs model.joint'
      : undefined;
  const why = spec.training.subBatch
    ? 'training.subBatch (DGA caches only the embeddings, not the token sequences)'
    : spec.training.mixup.enabled
      ? 'training.mixup (a mixed pair has no match label)'
      : spec.growth
        ? "growth (a growth run keeps growth.parent's architecture)"
        : undefined;
  return why && `model.joint cannot be used with ${why}`;
}
