// The one place this package touches the process environment. OpenBLAS 0.3.21 (Debian 12)
// treats AMD Zen 4/5 as "Zen" and runs its AVX2 Haswell kernels; its AVX-512 SkylakeX
// kernels run those CPUs about 1.5-2x faster. OpenBLAS reads OPENBLAS_CORETYPE when the
// addon loads it, so this must run before the addon is required.
import { readFileSync } from 'node:fs';

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
  return /AuthenticAMD/.test(info) && ['avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512cd'].every((f) => flags.has(f));
}

/** Picks OpenBLAS's kernel family (unless the user set OPENBLAS_CORETYPE); returns the choice. */
export function chooseOpenblasCore(): string | undefined {
  const userChoice = process.env.OPENBLAS_CORETYPE;
  if (userChoice) return userChoice;
  if (process.platform !== 'linux' || process.arch !== 'x64' || !isAvx512Amd()) return undefined;
  process.env.OPENBLAS_CORETYPE = 'SkylakeX';
  return 'SkylakeX';
}
