// Public entry points: install Curio's kernels into the tfjs wasm backend.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

import {
  loadAddon,
  type AddonOptions,
  type GemmEngine,
  type GemmKernel,
  type NativeAddon,
} from './addon.js';
import { gemmFromEnvironment } from './env.js';
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
  | {
      ok: true;
      kernels: string[];
      /** The GEMM in use, as printed: "built-in GEMM, AVX-512" or "OpenBLAS 0.3.21 (SkylakeX kernels)". */
      gemm: string;
      gemmEngine: GemmEngine;
      threads: number;
    }
  | { ok: false; reason: string };

export interface NativeKernelsOptions extends AddonOptions {
  /** GEMM threads (default: the core count, or OpenBLAS's own choice). */
  threads?: number;
  /** The GEMM engine (default: CURIO_GEMM, else OpenBLAS when the addon was built with it). */
  gemm?: GemmEngine;
  /** The built-in GEMM's micro-kernel (default: the best this CPU runs); for tests and benchmarks. */
  gemmKernel?: GemmKernel;
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

/** Selects the GEMM engine the options (or CURIO_GEMM) ask for; throws when this build lacks it. */
function useGemm(addon: NativeAddon, options: NativeKernelsOptions): string {
  const engine =
    options.gemm ??
    gemmFromEnvironment() ??
    (addon.gemmInfo().builtWithOpenblas ? 'openblas' : 'builtin');
  addon.useGemm(engine, options.gemmKernel);
  const info = addon.gemmInfo();
  if (info.engine === 'builtin') return `built-in GEMM, ${info.kernel}`;
  const version = info.openblasConfig.split(' ').slice(0, 2).join(' ');
  return `${version} (${info.openblasCore} kernels)`;
}

/**
 * Installs the fallback kernels, then replaces wasm kernels with C++ ones working in place
 * on the wasm heap, their GEMM OpenBLAS's or the built-in one (each falls back to the stock
 * kernel for cases it does not cover). When the addon is not built it says why; throws only
 * when the GEMM asked for (options.gemm, CURIO_GEMM) is not in this build.
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
  const gemm = useGemm(addon, options);
  if (options.threads !== undefined) addon.setThreads(options.threads);
  registerWasmFallbackKernels(tf);
  const kernels = [
    ...NATIVE_KERNELS,
    ...(addon.attention && addon.attentionGrad ? ATTENTION_BUILDERS : []),
  ];
  for (const [name, build] of kernels)
    installWasmKernel(tf, name, (original) => build(addon, original));
  const info = addon.gemmInfo();
  return {
    ok: true,
    kernels: kernels.map(([name]) => name),
    gemm,
    gemmEngine: info.engine,
    threads: info.threads,
  };
}

/** Restores the stock wasm kernels (drops both native and fallback kernels). */
export function unregisterWasmKernels(tf: TfKernelRegistry): string[] {
  return restoreWasmKernels(tf);
}
