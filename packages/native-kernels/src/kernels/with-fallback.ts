// Wraps a native kernel so every case it declines (undefined) runs the stock wasm kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import { isWasmBackend, type WasmBackend } from '../wasm-heap.js';

export type KernelArgs = Parameters<KernelFunc>[0];
export type NativeAttempt = (
  args: KernelArgs,
  backend: WasmBackend,
) => TensorInfo | TensorInfo[] | undefined;

export function withStockFallback(
  name: string,
  original: KernelConfig | undefined,
  attempt: NativeAttempt,
): KernelFunc {
  return (args) => {
    const result = isWasmBackend(args.backend) ? attempt(args, args.backend) : undefined;
    if (result !== undefined) return result;
    if (!original)
      throw new Error(
        `native-kernels: ${name} case not supported and no stock kernel to fall back on`,
      );
    return original.kernelFunc(args);
  };
}
