// The one place this package touches the process environment: CURIO_GEMM, and OPENBLAS_CORETYPE.
// OpenBLAS 0.3.21 (Debian 12)
// treats AMD Zen 4/5 as "Zen" and runs its AVX2 Haswell kernels; its AVX-512 SkylakeX
// kernels run sgemm on those CPUs 2-4x faster. OpenBLAS reads OPENBLAS_CORETYPE when the
// addon loads it, so this must run before the addon is required.
import { readFileSync } from 'node:fs';

import type { GemmEngine } from './addon.js';

/** CURIO_GEMM=builtin|openblas forces a GEMM engine; unset: OpenBLAS when built with it. */
export function gemmFromEnvironment(): GemmEngine | undefined {
  const value = process.env.CURIO_GEMM;
  if (value === undefined || value === '') return undefined;
  if (value === 'builtin' || value === 'openblas') return value;
  throw new Error(`CURIO_GEMM must be builtin or openblas, got "${value}"`);
}

function cpuInfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** True for AMD CPUs with the AVX-512 subsets SkylakeX kernels use. */
export function isAvx512Amd(info = cpuInfo()): boolean {
  const flags = new Set(/^flags\s*:(.*)$/m.exec(info)?.[1]?.trim().split(/\s+/) ?? []);
  return (
    /AuthenticAMD/.test(info) &&
    ['avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512cd'].every((f) => flags.has(f))
  );
}

/**
 * Sets OPENBLAS_CORETYPE for the addon's OpenBLAS and returns the choice. `requested`: a
 * core name to force, 'auto' to pick by CPU whatever the environment says, or undefined
 * to respect an OPENBLAS_CORETYPE already set (and pick by CPU otherwise).
 */
export function chooseOpenblasCore(requested?: string): string | undefined {
  if (requested && requested !== 'auto') {
    process.env.OPENBLAS_CORETYPE = requested;
    return requested;
  }
  const fromEnvironment = process.env.OPENBLAS_CORETYPE;
  if (!requested && fromEnvironment) return fromEnvironment;
  if (process.platform !== 'linux' || process.arch !== 'x64' || !isAvx512Amd()) {
    delete process.env.OPENBLAS_CORETYPE; // let OpenBLAS detect the CPU
    return undefined;
  }
  process.env.OPENBLAS_CORETYPE = 'SkylakeX';
  return 'SkylakeX';
}
