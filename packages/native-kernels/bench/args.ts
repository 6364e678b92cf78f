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

/** --threads N (OpenBLAS threads), --blas-core NAME|auto (OpenBLAS kernel family). */
export function nativeOptionsFromArgs(): NativeKernelsOptions {
  const options: NativeKernelsOptions = {};
  const threads = numberArg('threads', NaN);
  if (Number.isFinite(threads)) options.threads = threads;
  const core = stringArg('blas-core');
  if (core) options.blasCore = core;
  return options;
}
