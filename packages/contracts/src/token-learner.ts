// Token reduction (METHODS.md §4, TokenLearner v1.1): a tower's `tokenLearner` option, and the
// preset shapes the run spec checks it against, so the API refuses an impossible option before a
// worker builds the model. The trainer's model config uses the same schema and checks it again
// against the architecture it builds (a checkpoint's or a growth child's).
import { z } from 'zod';

/**
 * After block `at` of the tower (0: before the first block), LayerNorm → MLP (64, GELU) → `tokens`
 * scores per position → softmax over positions; each of the `tokens` outputs is the weighted sum of
 * the input tokens, and every later block runs on them. Text: padding gets no weight.
 */
export const TokenLearnerSpec = z.strictObject({
  at: z.number().int().min(0).max(1_000),
  tokens: z.number().int().min(1).max(100_000),
});
export type TokenLearnerSpec = z.infer<typeof TokenLearnerSpec>;

/** A tower's depth and the positions a token learner reduces (image patches, text context). */
export interface TowerShape {
  depth: number;
  positions: number;
}

/** The presets' towers (`workers/trainer/src/model/configs/*.json`; a trainer test keeps them equal). */
export const PRESET_TOWERS = {
  tiny: { image: { depth: 4, positions: 64 }, text: { depth: 4, positions: 32 } },
  small: { image: { depth: 6, positions: 64 }, text: { depth: 6, positions: 32 } },
  base: { image: { depth: 12, positions: 196 }, text: { depth: 12, positions: 77 } },
} as const satisfies Record<string, Record<'image' | 'text', TowerShape>>;

/** What is wrong with a token learner on a tower of this shape, or undefined. */
export function tokenLearnerProblem(
  learner: TokenLearnerSpec,
  tower: TowerShape,
): string | undefined {
  if (learner.at > tower.depth)
    return `at (${learner.at}) must be at most the tower's depth (${tower.depth})`;
  if (learner.tokens >= tower.positions)
    return `tokens (${learner.tokens}) must be fewer than the ${tower.positions} positions it reduces`;
  return undefined;
}
