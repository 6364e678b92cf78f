// Command-line options shared by the benchmarks.
import type { NativeKernelsOptions } from '../src/index.js';

export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * --threads N (GEMM threads), --gemm builtin|openblas (default: CURIO_GEMM, else OpenBLAS when
 * built with it), --gemm-kernel avx512|avx2|portable (the built-in GEMM's micro-kernel),
 * --blas-core NAME|auto (OpenBLAS kernel family).
 */
export function nativeOptionsFromArgs(): NativeKernelsOptions {
  const options: NativeKernelsOptions = {};
  const gemm = stringArg('gemm');
  if (gemm !== undefined && gemm !== 'builtin' && gemm !== 'openblas')
    throw new Error(`--gemm must be builtin or openblas, got ${gemm}`);
  if (gemm) options.gemm = gemm;
  const kernel = stringArg('gemm-kernel');
  if (kernel !== undefined && !['avx512', 'avx2', 'portable'].includes(kernel))
    throw new Error(`--gemm-kernel must be avx512, avx2 or portable, got ${kernel}`);
  if (kernel) options.gemmKernel = kernel as NativeKernelsOptions['gemmKernel'];
  const threads = numberArg('threads', NaN);
  if (Number.isFinite(threads)) options.threads = threads;
  const core = stringArg('blas-core');
  if (core) options.blasCore = core;
  return options;
}
