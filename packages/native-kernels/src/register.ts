// Public entry points: install Curio's kernels into the tfjs wasm backend.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

import { loadAddon, type AddonOptions, type NativeAddon } from './addon.js';
import { installWasmKernel, restoreWasmKernels, type TfKernelRegistry } from './kernel-registry.js';
import { nativeBatchMatMul } from './kernels/batch-mat-mul.js';
import { nativeBinary, nativeUnary } from './kernels/elementwise.js';
import { ATTENTION_KERNELS, attentionGradKernel, attentionKernel } from './kernels/attention.js';
import {
  FUSED_KERNELS,
  adamwKernel,
  geluSigmoidGradKernel,
  geluSigmoidKernel,
  layerNormGradKernel,
  layerNormKernel,
} from './kernels/fused.js';
import { nativeFusedMatMul } from './kernels/fused-mat-mul.js';
import { sharedIdentity } from './kernels/identity.js';
import {
  nativeConcat,
  nativeGatherV2,
  nativePadV2,
  nativeSlice,
  nativeSplitV,
  nativeTranspose,
} from './kernels/layout.js';
import { nativeReduce } from './kernels/reduce.js';
import { nativeSoftmax } from './kernels/softmax.js';
import { jsUnsortedSegmentSum, nativeUnsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
import {
  BINARY_OPS,
  REDUCE_OPS,
  UNARY_OPS,
  type BinaryKernelName,
  type ReduceKernelName,
  type UnaryKernelName,
} from './op-codes.js';

export type NativeKernelsResult =
  { ok: true; kernels: string[]; blas: string; threads: number } | { ok: false; reason: string };

export interface NativeKernelsOptions extends AddonOptions {
  /** OpenBLAS threads (default: OpenBLAS's own choice, usually the core count). */
  threads?: number;
}

type KernelBuilder = (addon: NativeAddon, original: KernelConfig | undefined) => KernelFunc;

/** Every native kernel, by tfjs kernel name (the order is the install order). */
const NATIVE_KERNELS: [string, KernelBuilder][] = [
  ['BatchMatMul', nativeBatchMatMul],
  ['_FusedMatMul', nativeFusedMatMul],
  ['UnsortedSegmentSum', (addon) => nativeUnsortedSegmentSum(addon)],
  ['Softmax', nativeSoftmax],
  ['Transpose', nativeTranspose],
  ['Slice', nativeSlice],
  ['SplitV', nativeSplitV],
  ['Concat', nativeConcat],
  ['GatherV2', nativeGatherV2],
  ['PadV2', nativePadV2],
  [FUSED_KERNELS.layerNorm, layerNormKernel],
  [FUSED_KERNELS.layerNormGrad, layerNormGradKernel],
  [FUSED_KERNELS.geluSigmoid, geluSigmoidKernel],
  [FUSED_KERNELS.geluSigmoidGrad, geluSigmoidGradKernel],
  [FUSED_KERNELS.adamw, adamwKernel],
  ...Object.keys(UNARY_OPS).map((name): [string, KernelBuilder] => [
    name,
    (a, o) => nativeUnary(a, name as UnaryKernelName, o),
  ]),
  ...Object.keys(BINARY_OPS).map((name): [string, KernelBuilder] => [
    name,
    (a, o) => nativeBinary(a, name as BinaryKernelName, o),
  ]),
  ...Object.keys(REDUCE_OPS).map((name): [string, KernelBuilder] => [
    name,
    (a, o) => nativeReduce(a, name as ReduceKernelName, o),
  ]),
];

/** Only in addons built with native/attention.cc. */
const ATTENTION_BUILDERS: [string, KernelBuilder][] = [
  [ATTENTION_KERNELS.attention, attentionKernel],
  [ATTENTION_KERNELS.attentionGrad, attentionGradKernel],
];

function wasmBackendMissing(tf: TfKernelRegistry): string | undefined {
  return tf.getKernel('BatchMatMul', 'wasm')
    ? undefined
    : 'the tfjs wasm backend is not loaded (import @tensorflow/tfjs-backend-wasm first)';
}

/**
 * Pure-JS kernels for what the wasm backend lacks or does slowly: UnsortedSegmentSum
 * (tf.gather's gradient fails without it) and a copy-free Identity. Works without the
 * addon; returns the installed kernel names.
 */
export function registerWasmFallbackKernels(tf: TfKernelRegistry): string[] {
  if (wasmBackendMissing(tf)) return [];
  installWasmKernel(tf, 'UnsortedSegmentSum', () => jsUnsortedSegmentSum);
  installWasmKernel(tf, 'Identity', sharedIdentity);
  return ['UnsortedSegmentSum', 'Identity'];
}

/**
 * Installs the fallback kernels, then replaces wasm kernels with OpenBLAS / C++ ones
 * working in place on the wasm heap (each falls back to the stock kernel for cases it
 * does not cover). Never throws: when the addon is not built it says why.
 */
export function registerNativeKernels(
  tf: TfKernelRegistry,
  options: NativeKernelsOptions = {},
): NativeKernelsResult {
  const missing = wasmBackendMissing(tf);
  if (missing) return { ok: false, reason: missing };
  const load = loadAddon(options);
  if (!load.ok) return load;
  const { addon } = load;
  if (options.threads !== undefined) addon.setThreads(options.threads);
  registerWasmFallbackKernels(tf);
  const kernels = [
    ...NATIVE_KERNELS,
    ...(addon.attention && addon.attentionGrad ? ATTENTION_BUILDERS : []),
  ];
  for (const [name, build] of kernels)
    installWasmKernel(tf, name, (original) => build(addon, original));
  const info = addon.blasInfo();
  const version = info.config.split(' ').slice(0, 2).join(' ');
  return {
    ok: true,
    kernels: kernels.map(([name]) => name),
    blas: `${version} (${info.core} kernels)`,
    threads: info.threads,
  };
}

/** Restores the stock wasm kernels (drops both native and fallback kernels). */
export function unregisterWasmKernels(tf: TfKernelRegistry): string[] {
  return restoreWasmKernels(tf);
}
