// The trainer's entry to the fused kernels: available only while the active backend is wasm
// with the native kernels installed; callers keep their composed-op path for every other case.
import type * as tfjs from '@tensorflow/tfjs';

import { ATTENTION_KERNELS, type AttentionGeometry } from './kernels/attention.js';
import { FUSED_KERNELS, type AdamWCoefficients } from './kernels/fused.js';

export type { AttentionGeometry } from './kernels/attention.js';
export type { AdamWCoefficients } from './kernels/fused.js';

type Tensor = tfjs.Tensor;
type Tf = Pick<typeof tfjs, 'engine' | 'getBackend' | 'getKernel'>;

export interface FusedOps {
  /** Layer norm over the last axis: y, and xhat = (x − mean)·rstd and rstd ([..., 1]) for the backward. */
  layerNorm(
    x: Tensor,
    gamma: Tensor,
    beta: Tensor,
    eps: number,
  ): { y: Tensor; xhat: Tensor; rstd: Tensor };
  /** Gradients of layerNorm from its saved xhat and rstd. */
  layerNormGrad(
    dy: Tensor,
    xhat: Tensor,
    rstd: Tensor,
    gamma: Tensor,
  ): { dx: Tensor; dgamma: Tensor; dbeta: Tensor };
  /** GELU by the sigmoid approximation x·σ(kx) (k = 1.702). */
  geluSigmoid(x: Tensor, k?: number): Tensor;
  /** Its gradient, recomputing σ(kx) from x. */
  geluSigmoidGrad(dy: Tensor, x: Tensor, k?: number): Tensor;
  /** One AdamW update of a parameter and its moments (coefficients: native/fused.h). */
  adamw(
    param: Tensor,
    grad: Tensor,
    m: Tensor,
    v: Tensor,
    c: AdamWCoefficients,
  ): { param: Tensor; m: Tensor; v: Tensor };
  /**
   * Multi-head attention on a fused projection qkv [B·L, 3W] (q, k, v column blocks, heads of
   * W/H within each): out [B·L, W] with heads merged, and probs [B·H, L, L] for the backward.
   * mask: additive per key, B·L values (e.g. [B, 1, 1, L]), or null. Absent in older addons.
   */
  attention?(
    qkv: Tensor,
    mask: Tensor | null,
    g: AttentionGeometry,
  ): { out: Tensor; probs: Tensor };
  /** ∂L/∂qkv [B·L, 3W] from ∂L/∂out, qkv and the saved probs. */
  attentionGrad?(dOut: Tensor, qkv: Tensor, probs: Tensor, g: AttentionGeometry): Tensor;
}

/** The fused ops, or undefined when the active backend cannot run them (not wasm, or no addon). */
export function getFusedOps(tf: Tf): FusedOps | undefined {
  const backend = tf.getBackend();
  if (
    backend !== 'wasm' ||
    !Object.values(FUSED_KERNELS).every((name) => tf.getKernel(name, backend))
  )
    return undefined;
  const run = (name: string, inputs: Record<string, Tensor>, attrs: object = {}) =>
    tf.engine().runKernel(name, inputs as never, attrs as never) as Tensor | Tensor[];
  const attention = Object.values(ATTENTION_KERNELS).every((name) => tf.getKernel(name, backend));
  return {
    ...(attention
      ? {
          attention: (qkv: Tensor, mask: Tensor | null, g: AttentionGeometry) => {
            const [out, probs] = run(ATTENTION_KERNELS.attention, mask ? { qkv, mask } : { qkv }, {
              ...g,
            }) as Tensor[];
            return { out: out!, probs: probs! };
          },
          attentionGrad: (dy: Tensor, qkv: Tensor, probs: Tensor, g: AttentionGeometry) =>
            run(ATTENTION_KERNELS.attentionGrad, { dy, qkv, probs }, { ...g }) as Tensor,
        }
      : {}),
    layerNorm: (x, gamma, beta, eps) => {
      const [y, xhat, rstd] = run(FUSED_KERNELS.layerNorm, { x, gamma, beta }, { eps }) as Tensor[];
      return { y: y!, xhat: xhat!, rstd: rstd! };
    },
    layerNormGrad: (dy, xhat, rstd, gamma) => {
      const [dx, dgamma, dbeta] = run(FUSED_KERNELS.layerNormGrad, {
        dy,
        xhat,
        rstd,
        gamma,
      }) as Tensor[];
      return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
    },
    geluSigmoid: (x, k = 1.702) => run(FUSED_KERNELS.geluSigmoid, { x }, { k }) as Tensor,
    geluSigmoidGrad: (dy, x, k = 1.702) =>
      run(FUSED_KERNELS.geluSigmoidGrad, { dy, x }, { k }) as Tensor,
    adamw: (param, grad, m, v, c) => {
      const [p, mNew, vNew] = run(FUSED_KERNELS.adamw, { param, grad, m, v }, { ...c }) as Tensor[];
      return { param: p!, m: mNew!, v: vNew! };
    },
  };
}
