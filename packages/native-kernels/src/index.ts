export {
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
} from './register.js';
export type { NativeKernelsOptions, NativeKernelsResult } from './register.js';
export type { TfKernelRegistry } from './kernel-registry.js';
export { initWasmBackend, wasmBinaryDir } from './wasm-init.js';
export type { TfBackendApi } from './wasm-init.js';
export { loadAddon, ADDON_PATH } from './addon.js';
export type {
  AddonLoad,
  AddonOptions,
  GemmEngine,
  GemmInfo,
  GemmKernel,
  NativeAddon,
} from './addon.js';
export { profileKernels } from './kernel-profiler.js';
export type { KernelProfiler, KernelTiming } from './kernel-profiler.js';
export { benchmarkMatMul } from './matmul-benchmark.js';
export type { BenchmarkOptions, MatMulShape, MatMulTiming } from './matmul-benchmark.js';
export { getFusedOps } from './fused-ops.js';
export type { AdamWCoefficients, AttentionGeometry, FusedOps } from './fused-ops.js';
