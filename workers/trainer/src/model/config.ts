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
  /** MLP hidden size as a multiple of the width. */
  mlpRatio: z.number().positive().default(4),
};

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
  .refine((c) => c.width % c.heads === 0, {
    message: 'image.width must be a multiple of image.heads',
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
  .refine((c) => c.width % c.heads === 0, {
    message: 'text.width must be a multiple of text.heads',
    path: ['heads'],
  })
  .refine((c) => Number.isInteger(c.width * c.mlpRatio), {
    message: 'text.width·mlpRatio must be an integer',
    path: ['mlpRatio'],
  });
export type TextTowerConfig = z.infer<typeof TextTowerConfig>;

export const ModelConfig = z.object({
  name: z.string().min(1),
  /** Shared embedding size d of both projections. */
  embedDim: positiveInt,
  image: ImageTowerConfig,
  text: TextTowerConfig,
  /** Layer-norm epsilon. */
  lnEps: z.number().positive().default(1e-5),
});
export type ModelConfig = z.infer<typeof ModelConfig>;
export type ModelConfigInput = z.input<typeof ModelConfig>;

/** Number of tokens the image tower runs on (patches, plus the class token if pooled by it). */
export function imageTokens(image: ImageTowerConfig): number {
  const n = (image.size / image.patch) ** 2;
  return image.pool === 'cls' ? n + 1 : n;
}
