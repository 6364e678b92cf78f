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
