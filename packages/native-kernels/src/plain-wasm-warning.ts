// The one message every Curio entry (demo, serve, curio-train, a worker) prints at start when
// the native addon cannot load: training then runs on plain wasm, many times slower, and npm
// hides the install step's own line saying why.
import { loadAddon, type AddonLoad } from './addon.js';

/**
 * Training samples/s of the `tiny` preset, plain wasm vs wasm + native kernels (built-in GEMM),
 * measured back to back on a 2-core AMD EPYC with
 * `npm run bench:throughput -- --preset tiny --backends wasm,wasm-native --gemm builtin`.
 */
export const MEASURED_TINY_SAMPLES_PER_S = { plainWasm: 8.7, nativeKernels: 240 };

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
