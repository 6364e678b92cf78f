// Loads the compiled addon (build/Release/curio_native_kernels.node) if it was built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chooseOpenblasCore } from './env.js';

/** The functions the C++ addon exports (see native/addon.cc). */
export interface NativeAddon {
  /** Batched sgemm with bias/activation epilogue; params layout in gemm-params.ts. */
  gemm(
    heap: ArrayBuffer,
    params: Float64Array,
    aBatchOffsets?: Int32Array,
    bBatchOffsets?: Int32Array,
  ): void;
  /** UnsortedSegmentSum; params [xOffset, idsOffset, outOffset, numIds, inner, numSegments, isInt32]. */
  segmentSum(heap: ArrayBuffer, params: Float64Array): void;
  /** params [op, xOffset, outOffset, size, alpha] (ops: op-codes.ts). */
  unary(heap: ArrayBuffer, params: Float64Array): void;
  /** params [op, aOffset, bOffset, outOffset, rank, shape…, aStrides…, bStrides…]. */
  binary(heap: ArrayBuffer, params: Float64Array): void;
  /** params [op, xOffset, outOffset, outer, reduce, inner]. */
  reduce(heap: ArrayBuffer, params: Float64Array): void;
  /** params [elementBytes, srcOffset, dstOffset, rank, shape…, srcStrides…, dstStrides…]. */
  stridedCopy(heap: ArrayBuffer, params: Float64Array): void;
  /** params [elementBytes, xOffset, indicesOffset, outOffset, outer, axisSize, numIndices, inner]; returns bad-index count. */
  gather(heap: ArrayBuffer, params: Float64Array): number;
  /** params [xOffset, outOffset, rows, cols]: softmax over the last dim. */
  softmax(heap: ArrayBuffer, params: Float64Array): void;
  /** Fused kernels (native/fused.h): params are heap byte offsets, then sizes and scalars. */
  layerNorm(heap: ArrayBuffer, params: Float64Array): void;
  layerNormGrad(heap: ArrayBuffer, params: Float64Array): void;
  geluSigmoid(heap: ArrayBuffer, params: Float64Array): void;
  geluSigmoidGrad(heap: ArrayBuffer, params: Float64Array): void;
  adamw(heap: ArrayBuffer, params: Float64Array): void;
  /** Multi-head attention on a fused qkv projection (native/attention.h); absent in addons built before it. */
  attention?(heap: ArrayBuffer, params: Float64Array): void;
  attentionGrad?(heap: ArrayBuffer, params: Float64Array): void;
  /** Sets the GEMM's thread count (both engines) when given; returns the active engine's count. */
  setThreads(threads?: number): number;
  /** Selects the GEMM engine and the built-in GEMM's micro-kernel (default: the best this CPU runs); throws on a choice this build or CPU lacks. */
  useGemm(engine: GemmEngine, kernel?: GemmKernel): void;
  gemmInfo(): GemmInfo;
  /** C = alpha·op(A)·op(B) on plain arrays; params [transA, transB, m, n, k, alpha, lda, ldb, ldc, threads]. */
  sgemm(a: Float32Array, b: Float32Array, c: Float32Array, params: Float64Array): void;
}

export type GemmEngine = 'builtin' | 'openblas';
/** The built-in GEMM's micro-kernels (native/micro_kernels.h). */
export type GemmKernel = 'avx512' | 'avx2' | 'portable';

export interface GemmInfo {
  engine: GemmEngine;
  /** The built-in GEMM's micro-kernel: 'AVX-512', 'AVX2+FMA' or 'portable'. */
  kernel: string;
  builtWithOpenblas: boolean;
  /** OpenBLAS's build config and kernel family ('' when built without OpenBLAS). */
  openblasConfig: string;
  openblasCore: string;
  threads: number;
}

export type AddonLoad =
  { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ADDON_PATH = path.join(packageRoot, 'build', 'Release', 'curio_native_kernels.node');

/** What builds the addon where it is missing (OpenBLAS, libopenblas-dev, is optional). */
const BUILD_HINT =
  'install a C++ toolchain (Debian/Ubuntu: apt-get install g++ make python3), then run npm run build -w @curio/native-kernels';

let cached: AddonLoad | undefined;

export interface AddonOptions {
  /**
   * OpenBLAS kernel family (OPENBLAS_CORETYPE; addons built with OpenBLAS), applied when the
   * addon first loads: a core name such as 'SkylakeX' or 'Haswell', 'auto' (by CPU, ignoring
   * the environment), or unset (respect OPENBLAS_CORETYPE if set, else by CPU).
   */
  blasCore?: string;
}

/** Loads the addon once (later options cannot change OpenBLAS's core); never throws. */
export function loadAddon(options: AddonOptions = {}): AddonLoad {
  if (cached) return cached;
  if (!existsSync(ADDON_PATH)) {
    cached = {
      ok: false,
      reason: `native addon not built (${path.relative(process.cwd(), ADDON_PATH) || ADDON_PATH} missing): ${BUILD_HINT}`,
    };
    return cached;
  }
  try {
    chooseOpenblasCore(options.blasCore); // before OpenBLAS loads with the addon
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    cached = { ok: true, addon, path: ADDON_PATH };
  } catch (error) {
    cached = {
      ok: false,
      reason: `native addon failed to load (${(error as Error).message.split('\n')[0]}): rebuild it with npm run build -w @curio/native-kernels`,
    };
  }
  return cached;
}
