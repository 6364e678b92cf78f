// Starts the tfjs wasm backend in Node: non-threaded SIMD binary loaded from the package's dist/.
import { createRequire } from 'node:module';
import path from 'node:path';

/** The parts of the tfjs API needed to start a backend (pass the `tf` namespace). */
export interface TfBackendApi {
  env(): { set(flag: string, value: boolean): void };
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
}

interface WasmBackendModule {
  setWasmPaths(prefix: string): void;
}

let pathsSet = false;

/** Directory (with trailing slash) holding tfjs-backend-wasm's .wasm binaries. */
export function wasmBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

/**
 * Imports @tensorflow/tfjs-backend-wasm (which registers the backend), points it at its
 * binaries, turns threads off (they fail in Node) and makes wasm the active backend.
 * Throws when the backend cannot start.
 */
export async function initWasmBackend(tf: TfBackendApi): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  const mod = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmBackendModule & {
    default?: WasmBackendModule;
  };
  const setWasmPaths = mod.setWasmPaths ?? mod.default?.setWasmPaths;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!pathsSet && setWasmPaths) {
    setWasmPaths(wasmBinaryDir());
    pathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
}
