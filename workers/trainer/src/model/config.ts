// The architecture of a dual encoder as data: the zod schema every JSON config in
// `configs/` is checked against. Only `factory.ts` reads the JSON files.
import { TokenLearnerSpec, tokenLearnerProblem } from '@curio/contracts';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

const TransformerFields = {
  /** Residual stream width. */
  width: positiveInt,
  /** Number of pre-LN transformer blocks. */
  depth: z.number().int().min(0),
  heads: positiveInt,
  /**
   * Size of each attention head; absent: width / heads. Set by growth (`addHeads` keeps the head
   * size and adds heads, `widen` keeps the attention width), so heads · headDim may differ from
   * the width.
   */
  headDim: positiveInt.optional(),
  /** MLP hidden size as a multiple of the width. */
  mlpRatio: z.number().positive().default(4),
};

/** The run spec's schema: after block `at`, `tokens` learned tokens (see `token-learner.ts`). */
const tokenLearner = TokenLearnerSpec.optional();

interface TowerWithLearner {
  depth: number;
  tokenLearner?: TokenLearnerSpec | undefined;
}

/** A refinement: the tower's token learner fits its depth and the positions it reduces. */
function tokenLearnerFits<C extends TowerWithLearner>(
  tower: 'image' | 'text',
  positions: (c: C) => number,
) {
  return (c: C, ctx: z.RefinementCtx) => {
    const learner = c.tokenLearner;
    const problem =
      learner && tokenLearnerProblem(learner, { depth: c.depth, positions: positions(c) });
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: `${tower}.tokenLearner: ${problem}`,
        path: ['tokenLearner'],
      });
  };
}

const headsDivideWidth = (c: { width: number; heads: number; headDim?: number | undefined }) =>
  c.headDim !== undefined || c.width % c.heads === 0;

export const ImageTowerConfig = z
  .object({
    /** Square input side in pixels (NHWC input). */
    size: positiveInt,
    patch: positiveInt,
    channels: positiveInt.default(3),
    ...TransformerFields,
    /** Class token, or the mean over patch tokens (no class token then). */
    pool: z.enum(['cls', 'mean']).default('cls'),
    /** Token reduction of the patch tokens (the class token passes through); off when absent. */
    tokenLearner,
  })
  .refine((c) => c.size % c.patch === 0, {
    message: 'image.size must be a multiple of image.patch',
    path: ['patch'],
  })
  .refine(headsDivideWidth, {
    message: 'image.width must be a multiple of image.heads (or give image.headDim)',
    path: ['heads'],
  })
  .refine((c) => Number.isInteger(c.width * c.mlpRatio), {
    message: 'image.width·mlpRatio must be an integer',
    path: ['mlpRatio'],
  })
  .superRefine(
    tokenLearnerFits('image', (c: TowerWithLearner & { size: number; patch: number }) =>
      imagePatches(c),
    ),
  );
export type ImageTowerConfig = z.infer<typeof ImageTowerConfig>;

export const TextTowerConfig = z
  .object({
    /** Maximum sequence length (token positions). */
    context: positiveInt,
    /** Embedding rows; token ids must be < vocab. Id 0 is padding. */
    vocab: z.number().int().min(2),
    ...TransformerFields,
    /** Token reduction of the token positions (padding gets no weight); off when absent. */
    tokenLearner,
  })
  .refine(headsDivideWidth, {
    message: 'text.width must be a multiple of text.heads (or give text.headDim)',
    path: ['heads'],
  })
  .refine((c) => Number.isInteger(c.width * c.mlpRatio), {
    message: 'text.width·mlpRatio must be an integer',
    path: ['mlpRatio'],
  })
  .superRefine(tokenLearnerFits('text', (c: TowerWithLearner & { context: number }) => c.context));
export type TextTowerConfig = z.infer<typeof TextTowerConfig>;

/**
 * Shared blocks (GrowCLIP, placement ours): one stack of transformer blocks whose weights both
 * towers run on their own token sequence after their own blocks, before pooling. Images and texts
 * still embed independently. Their width is the towers' (which must then be equal).
 */
export const SharedBlocksConfig = z.object({
  depth: z.number().int().min(0),
  heads: positiveInt,
  headDim: positiveInt.optional(),
  mlpRatio: z.number().positive().default(4),
});
export type SharedBlocksConfig = z.infer<typeof SharedBlocksConfig>;

/**
 * Joint reduction (METHODS.md §4, ours): a pair's image and text token sequences, concatenated,
 * go `stages` times through a token learner to `tokens` tokens and one transformer block of the
 * image tower's shape, into a pair match score (see `joint.ts`). The towers' width must be equal.
 */
export const JointConfig = z.object({
  tokens: positiveInt,
  stages: positiveInt,
});
export type JointConfig = z.infer<typeof JointConfig>;

export const ModelConfig = z
  .object({
    name: z.string().min(1),
    /** Shared embedding size d of both projections. */
    embedDim: positiveInt,
    image: ImageTowerConfig,
    text: TextTowerConfig,
    shared: SharedBlocksConfig.optional(),
    joint: JointConfig.optional(),
    /** Layer-norm epsilon. */
    lnEps: z.number().positive().default(1e-5),
  })
  .refine((c) => !c.shared || c.image.width === c.text.width, {
    message: 'shared blocks need image.width = text.width',
    path: ['shared'],
  })
  .refine((c) => !c.shared || headsDivideWidth({ ...c.shared, width: c.image.width }), {
    message: "shared.heads must divide the towers' width (or give shared.headDim)",
    path: ['shared', 'heads'],
  })
  .refine((c) => !c.joint || c.image.width === c.text.width, {
    message: 'the joint sequence needs image.width = text.width',
    path: ['joint'],
  })
  .refine((c) => !c.joint || c.joint.tokens < reducedImageTokens(c.image), {
    message: 'joint.tokens must be fewer than the image tokens the joint sequence starts with',
    path: ['joint', 'tokens'],
  });
export type ModelConfig = z.infer<typeof ModelConfig>;
export type ModelConfigInput = z.input<typeof ModelConfig>;

/** Number of patches of an image. */
export function imagePatches(image: { size: number; patch: number }): number {
  return (image.size / image.patch) ** 2;
}

/**
 * Number of tokens the image tower's first blocks run on (patches, plus the class token if
 * pooled by it).
 */
export function imageTokens(image: ImageTowerConfig): number {
  const n = imagePatches(image);
  return image.pool === 'cls' ? n + 1 : n;
}

/** Tokens after the image tower's token learner: its tokens, plus the class token if any. */
export function reducedImageTokens(image: ImageTowerConfig): number {
  if (!image.tokenLearner) return imageTokens(image);
  return image.pool === 'cls' ? image.tokenLearner.tokens + 1 : image.tokenLearner.tokens;
}

/** Text positions the tower ends with at full context: its token learner's tokens, or the context. */
export function reducedTextTokens(text: TextTowerConfig): number {
  return text.tokenLearner?.tokens ?? text.context;
}

/** The joint module's blocks: one per stage, of the image tower's shape. */
export function jointBlockShape(config: ModelConfig, joint: JointConfig): BlockShape {
  const { width, heads, headDim, mlpRatio } = config.image;
  return { width, depth: joint.stages, heads, headDim, mlpRatio };
}

/** The shape of a stack of transformer blocks, as FLOP and parameter counts read it. */
export interface BlockShape {
  width: number;
  depth: number;
  heads: number;
  headDim?: number | undefined;
  mlpRatio: number;
}

/** The attention width heads · headDim of a stack of blocks (the width unless headDim is set). */
export function attentionWidth(t: Pick<BlockShape, 'width' | 'heads' | 'headDim'>) {
  return t.heads * (t.headDim ?? t.width / t.heads);
}
