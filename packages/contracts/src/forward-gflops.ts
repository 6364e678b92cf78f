// Forward GFLOPs per sample of each tower (METHODS.md §4: every model config reports its cost),
// computed by the trainer from the architecture, token reduction included. Checkpoints carry it
// in their architecture record; the API serves it with each checkpoint and run.
import { z } from 'zod';

export const ForwardGflops = z.object({
  /** One image through the image tower (patch embedding to projection). */
  image: z.number().min(0),
  /** One text through the text tower (at the full context length). */
  text: z.number().min(0),
});
export type ForwardGflops = z.infer<typeof ForwardGflops>;
