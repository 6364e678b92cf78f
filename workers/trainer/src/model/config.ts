// The architecture of a dual encoder as data: the zod schema every JSON config in
// `configs/` is checked against. Only `factory.ts` reads the JSON files.
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
  });
export type ImageTowerConfig = z.infer<typeof ImageTowerConfig>;

export const TextTowerConfig = z
  .object({
    /** Maximum sequence length (token positions). */
    context: positiveInt,
    /** Embedding rows; token ids must be < vocab. Id 0 is padding. */
    vocab: z.number().int().min(2),
    ...TransformerFields,
  })
  .refine(headsDivideWidth, {
    message: 'text.width must be a multiple of text.heads (or give text.headDim)',
    path: ['heads'],
  })
  .refine((c) => Number.isInteger(c.width * c.mlpRatio), {
    message: 'text.width·mlpRatio must be an integer',
    path: ['mlpRatio'],
  });
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

export const ModelConfig = z
  .object({
    name: z.string().min(1),
    /** Shared embedding size d of both projections. */
    embedDim: positiveInt,
    image: ImageTowerConfig,
    text: TextTowerConfig,
    shared: SharedBlocksConfig.optional(),
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
  });
export type ModelConfig = z.infer<typeof ModelConfig>;
export type ModelConfigInput = z.input<typeof ModelConfig>;

/** Number of tokens the image tower runs on (patches, plus the class token if pooled by it). */
export function imageTokens(image: ImageTowerConfig): number {
  const n = (image.size / image.patch) ** 2;
  return image.pool === 'cls' ? n + 1 : n;
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
