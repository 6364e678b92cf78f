// The trainer's environment, read once and checked. Nothing else reads process.env.
import { z } from 'zod';

const Env = z.object({
  /** Force a tfjs backend instead of the automatic choice. */
  CURIO_TF_BACKEND: z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm-native', 'wasm', 'cpu']).optional(),
});
export type TrainerEnv = z.infer<typeof Env>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): TrainerEnv {
  const parsed = Env.safeParse({ CURIO_TF_BACKEND: source.CURIO_TF_BACKEND || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
