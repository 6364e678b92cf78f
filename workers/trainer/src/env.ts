// The trainer's environment, read once and checked. Nothing else reads process.env.
import { z } from 'zod';

const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

const Env = z.object({
  /** Force a tfjs backend instead of the automatic choice. */
  CURIO_TF_BACKEND: z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm-native', 'wasm', 'cpu']).optional(),
  /** Worker mode: the API's base URL, the run this worker serves and its run-scoped token. */
  CURIO_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CURIO_RUN_ID: z.string().min(1).optional(),
  CURIO_RUN_TOKEN: z.string().min(1).optional(),
  /** Worker mode: the device kind the run was dispatched to (a price-table key, e.g. `nvidia-h100`). */
  CURIO_DEVICE: z.string().min(1).optional(),
  /** Worker mode: how long to keep retrying while the API is away, in seconds (default 600). */
  CURIO_API_RETRY_SECONDS: z.coerce.number().positive().optional(),
});
export type TrainerEnv = z.infer<typeof Env>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): TrainerEnv {
  const keys = Object.keys(Env.shape) as (keyof TrainerEnv)[];
  const parsed = Env.safeParse(Object.fromEntries(keys.map((k) => [k, optional(source[k])])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
