// The one message every Curio entry (demo, serve, curio-train, a worker) prints at start when
// the native addon cannot load: training then runs on plain wasm, many times slower, and npm
// hides the install step's own line saying why.
import { loadAddon, type AddonLoad } from './addon.js';

/**
 * Training samples/s of the `tiny` preset (batch 128), plain wasm vs wasm + native kernels
 * (built-in GEMM), best of 2 interleaved rounds on a shared 2-core AMD EPYC (load 2-4), with
 * `npm run bench:throughput -- --preset tiny --backends wasm,wasm-native --gemm both --repeat 2 --steps 4`
 * (2026-11-30; plain wasm is single-threaded: 5.4 s of CPU per step against 1.0 s).
 */
export const MEASURED_TINY_SAMPLES_PER_S = { plainWasm: 21.5, nativeKernels: 112.3 };

/** The warning, or undefined when the native kernels are available. */
export function plainWasmWarning(load: AddonLoad = loadAddon()): string | undefined {
  if (load.ok) return undefined;
  const { plainWasm, nativeKernels } = MEASURED_TINY_SAMPLES_PER_S;
  const slower = Math.round(nativeKernels / plainWasm);
  return (
    `SLOW: training runs on plain wasm, about ${slower}x slower than with Curio's native kernels ` +
    `(tiny model: ${plainWasm} instead of ${nativeKernels} samples/s): ${load.reason}`
  );
}
