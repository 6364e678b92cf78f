// Curio-only multi-head attention kernels on the fused qkv projection (native/attention.h),
// run through tf.engine().runKernel by fused-ops.ts. float32 only.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { asWasmBackend, heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';

export const ATTENTION_KERNELS = {
  attention: 'CurioAttention',
  attentionGrad: 'CurioAttentionGrad',
} as const;

export interface AttentionGeometry {
  batch: number;
  length: number;
  heads: number;
  /** Multiplies Q·Kᵀ (usually 1/√headDim). */
  scale: number;
}

function geometry(attrs: unknown, qkv: TensorInfo): [number, number, number, number, number] {
  const { batch, length, heads, scale } = attrs as AttentionGeometry;
  const [rows, cols] = qkv.shape as [number, number];
  if (qkv.shape.length !== 2 || rows !== batch * length || cols % (3 * heads) !== 0) {
    throw new Error(
      `native-kernels: attention expects qkv [batch·length, 3·width], got [${qkv.shape.join(', ')}] for batch ${batch}, length ${length}, heads ${heads}`,
    );
  }
  return [batch, length, heads, cols / (3 * heads), scale];
}

function float32(...tensors: TensorInfo[]): void {
  for (const t of tensors)
    if (t.dtype !== 'float32')
      throw new Error(`native-kernels: attention takes float32, got ${t.dtype}`);
}

/** [qkv, mask?] → [out [B·L, W], probs [B·H, L, L]]; mask: additive per key, B·L values. */
export function attentionKernel(addon: NativeAddon): KernelFunc {
  const run = addon.attention!.bind(addon);
  return ({ inputs, backend: b, attrs }) => {
    const { qkv, mask } = inputs as { qkv: TensorInfo; mask?: TensorInfo };
    float32(qkv, ...(mask ? [mask] : []));
    const [batch, length, heads, headDim, scale] = geometry(attrs, qkv);
    if (mask && sizeOf(mask.shape) !== batch * length)
      throw new Error(
        `native-kernels: attention mask needs ${batch * length} values, got [${mask.shape.join(', ')}]`,
      );
    const backend = asWasmBackend(b);
    const out = backend.makeOutput([batch * length, heads * headDim], 'float32');
    const probs = backend.makeOutput([batch * heads, length, length], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    run(
      heapBuffer(backend),
      Float64Array.of(
        o(qkv),
        mask ? o(mask) : -1,
        o(out),
        o(probs),
        batch,
        length,
        heads,
        headDim,
        scale,
      ),
    );
    return [out, probs];
  };
}

/** [dy, qkv, probs] → dQkv [B·L, 3W]. */
export function attentionGradKernel(addon: NativeAddon): KernelFunc {
  const run = addon.attentionGrad!.bind(addon);
  return ({ inputs, backend: b, attrs }) => {
    const { dy, qkv, probs } = inputs as Record<string, TensorInfo>;
    float32(dy!, qkv!, probs!);
    const [batch, length, heads, headDim, scale] = geometry(attrs, qkv!);
    if (
      sizeOf(dy!.shape) !== batch * length * heads * headDim ||
      sizeOf(probs!.shape) !== batch * heads * length * length
    ) {
      throw new Error('native-kernels: attention gradient inputs do not match the geometry');
    }
    const backend = asWasmBackend(b);
    const dQkv = backend.makeOutput(qkv!.shape, 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    run(
      heapBuffer(backend),
      Float64Array.of(o(dy!), o(qkv!), o(probs!), o(dQkv), batch, length, heads, headDim, scale),
    );
    return dQkv;
  };
}
