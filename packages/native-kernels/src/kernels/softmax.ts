// Softmax over the last axis (the only axis tfjs' softmax op allows).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

export function nativeSoftmax(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('Softmax', original, (args, backend) => {
    const { logits } = args.inputs as { logits: TensorInfo };
    const { dim } = (args.attrs ?? {}) as { dim?: number };
    const rank = logits.shape.length;
    const axis = dim === undefined || dim === -1 ? rank - 1 : dim;
    if (logits.dtype !== 'float32' || rank === 0 || axis !== rank - 1) return undefined;
    const out = backend.makeOutput(logits.shape, 'float32');
    const cols = logits.shape[rank - 1]!;
    const size = sizeOf(logits.shape);
    if (size > 0) {
      addon.softmax(
        heapBuffer(backend),
        Float64Array.of(heapOffset(backend, logits), heapOffset(backend, out), size / cols, cols),
      );
    }
    return out;
  });
}
