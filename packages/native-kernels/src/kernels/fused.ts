// Curio-only kernels (no tfjs equivalent) for the trainer's hottest elementwise chains, run
// through tf.engine().runKernel by fused-ops.ts. float32 only; inputs as produced by the trainer.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { asWasmBackend, heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';

export const FUSED_KERNELS = {
  layerNorm: 'CurioLayerNorm',
  layerNormGrad: 'CurioLayerNormGrad',
  geluSigmoid: 'CurioGeluSigmoid',
  geluSigmoidGrad: 'CurioGeluSigmoidGrad',
  adamw: 'CurioAdamW',
} as const;

function float32(...tensors: TensorInfo[]): void {
  for (const t of tensors)
    if (t.dtype !== 'float32')
      throw new Error(`native-kernels: fused kernels take float32, got ${t.dtype}`);
}

/** [x, gamma, beta] → [y, xhat, rstd]; normalises over the last axis; rstd has shape [...rows, 1]. */
export function layerNormKernel(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
    float32(x!, gamma!, beta!);
    const backend = asWasmBackend(b);
    const cols = x!.shape[x!.shape.length - 1] ?? 1;
    const rows = sizeOf(x!.shape) / cols;
    const y = backend.makeOutput(x!.shape, 'float32');
    const xhat = backend.makeOutput(x!.shape, 'float32');
    const rstd = backend.makeOutput([...x!.shape.slice(0, -1), 1], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    const eps = Number((attrs as { eps?: number }).eps ?? 1e-5);
    addon.layerNorm(
      heapBuffer(backend),
      Float64Array.of(o(x!), o(gamma!), o(beta!), o(y), o(xhat), o(rstd), rows, cols, eps),
    );
    return [y, xhat, rstd];
  };
}

/** [dy, xhat, rstd, gamma] → [dx, dgamma, dbeta]. */
export function layerNormGradKernel(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend: b }) => {
    const { dy, xhat, rstd, gamma } = inputs as Record<string, TensorInfo>;
    float32(dy!, xhat!, rstd!, gamma!);
    const backend = asWasmBackend(b);
    const cols = dy!.shape[dy!.shape.length - 1] ?? 1;
    const rows = sizeOf(dy!.shape) / cols;
    const dx = backend.makeOutput(dy!.shape, 'float32');
    const dgamma = backend.makeOutput([cols], 'float32');
    const dbeta = backend.makeOutput([cols], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.layerNormGrad(
      heapBuffer(backend),
      Float64Array.of(
        o(dy!),
        o(xhat!),
        o(rstd!),
        o(gamma!),
        o(dx),
        o(dgamma),
        o(dbeta),
        rows,
        cols,
      ),
    );
    return [dx, dgamma, dbeta];
  };
}

/** [x] → y = x·σ(kx). */
export function geluSigmoidKernel(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const { x } = inputs as Record<string, TensorInfo>;
    float32(x!);
    const backend = asWasmBackend(b);
    const y = backend.makeOutput(x!.shape, 'float32');
    const k = Number((attrs as { k?: number }).k ?? 1.702);
    addon.geluSigmoid(
      heapBuffer(backend),
      Float64Array.of(heapOffset(backend, x!), heapOffset(backend, y), sizeOf(x!.shape), k),
    );
    return y;
  };
}

/** [dy, x] → dx = dy·σ(kx)·(1 + kx·(1 − σ(kx))). */
export function geluSigmoidGradKernel(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const { dy, x } = inputs as Record<string, TensorInfo>;
    float32(dy!, x!);
    const backend = asWasmBackend(b);
    const dx = backend.makeOutput(x!.shape, 'float32');
    const k = Number((attrs as { k?: number }).k ?? 1.702);
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.geluSigmoidGrad(
      heapBuffer(backend),
      Float64Array.of(o(dy!), o(x!), o(dx), sizeOf(x!.shape), k),
    );
    return dx;
  };
}

export interface AdamWCoefficients {
  b1: number;
  c1: number;
  b2: number;
  c2: number;
  invSqrtBc2: number;
  eps: number;
  stepSize: number;
  keep: number;
}

/** [param, grad, m, v] → [param', m', v'] (formula in native/fused.h). */
export function adamwKernel(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const { param, grad, m, v } = inputs as Record<string, TensorInfo>;
    float32(param!, grad!, m!, v!);
    const backend = asWasmBackend(b);
    const outs = [param!, m!, v!].map((t) => backend.makeOutput(t.shape, 'float32'));
    const c = attrs as unknown as AdamWCoefficients;
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.adamw(
      heapBuffer(backend),
      Float64Array.of(
        o(param!),
        o(grad!),
        o(m!),
        o(v!),
        o(outs[0]!),
        o(outs[1]!),
        o(outs[2]!),
        sizeOf(param!.shape),
        c.b1,
        c.c1,
        c.b2,
        c.c2,
        c.invSqrtBc2,
        c.eps,
        c.stepSize,
        c.keep,
      ),
    );
    return outs;
  };
}
