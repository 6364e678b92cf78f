// Picks the tfjs backend at trainer start: tfjs-node-gpu, tfjs-node, wasm + Curio's native
// kernels, plain wasm (+ fallback kernels), cpu — the first that starts — or the forced one.
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelsOptions } from '@curio/native-kernels';

import {
  BACKEND_NAMES,
  DISPLAY_NAME,
  START,
  type BackendName,
  type ImportModule,
  type Tf,
} from './candidates.js';

export { BACKEND_NAMES, type BackendName } from './candidates.js';

export interface SelectBackendOptions {
  /** A backend to use instead of the automatic choice (the trainer passes CURIO_TF_BACKEND). */
  forced?: string;
  log: (line: string) => void;
  /** Settings of the native kernels (GEMM engine, threads, OpenBLAS kernels). */
  nativeKernels?: NativeKernelsOptions;
  /** For tests: the tfjs namespace and the module importer. */
  tf?: Tf;
  importModule?: ImportModule;
}

export interface SelectedBackend {
  name: BackendName;
  /** Why this one: "forced", or why each better backend was skipped. */
  reason: string;
  /** Kernels replaced by native ones (wasm-native only). */
  nativeKernels: string[];
}

const defaultImport: ImportModule = (specifier) => import(specifier);

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Starts the forced backend or the best available one; throws if the forced one cannot start. */
export async function selectBackend(options: SelectBackendOptions): Promise<SelectedBackend> {
  const ctx = {
    tf: options.tf ?? tf,
    importModule: options.importModule ?? defaultImport,
    nativeKernelOptions: options.nativeKernels ?? {},
  };
  if (options.forced !== undefined) {
    const forced = options.forced;
    if (!isBackendName(forced)) {
      throw new Error(
        `unknown tfjs backend "${forced}" (expected one of: ${BACKEND_NAMES.join(', ')})`,
      );
    }
    const started = await START[forced](ctx);
    if (!started.ok)
      throw new Error(`tfjs backend "${forced}" was forced but is unavailable: ${started.reason}`);
    options.log(
      `backend: ${DISPLAY_NAME[forced]} (forced)${started.detail ? ` — ${started.detail}` : ''}`,
    );
    return { name: forced, reason: 'forced', nativeKernels: started.nativeKernels };
  }

  const skipped: string[] = [];
  for (const name of BACKEND_NAMES) {
    const started = await START[name](ctx);
    if (!started.ok) {
      skipped.push(started.reason);
      continue;
    }
    const reason = skipped.length > 0 ? skipped.join('; ') : 'best available';
    options.log(
      `backend: ${DISPLAY_NAME[name]} (${reason})${started.detail ? ` — ${started.detail}` : ''}`,
    );
    return { name, reason, nativeKernels: started.nativeKernels };
  }
  throw new Error(`no tfjs backend could start: ${skipped.join('; ')}`);
}
