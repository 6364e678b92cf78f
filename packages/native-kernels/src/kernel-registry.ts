// Swaps tfjs wasm kernels for Curio's while keeping each original's setupFunc (the
// wasm backend's own kernels depend on it) and remembering the originals to restore.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

/** The kernel-registry part of the tfjs API (pass the `tf` namespace). */
export interface TfKernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

const BACKEND = 'wasm';
/** Original kernel per replaced name (null: the wasm backend had none). */
const originals = new Map<string, KernelConfig | null>();

/** The stock kernel under `name`, even when ours is installed. */
export function originalKernel(tf: TfKernelRegistry, name: string): KernelConfig | undefined {
  if (originals.has(name)) return originals.get(name) ?? undefined;
  return tf.getKernel(name, BACKEND);
}

/** Installs the kernel built from the original (or from nothing) under `name` for wasm. */
export function installWasmKernel(
  tf: TfKernelRegistry,
  name: string,
  build: (original: KernelConfig | undefined) => KernelFunc,
): void {
  const current = tf.getKernel(name, BACKEND);
  const original = originalKernel(tf, name);
  if (!originals.has(name)) originals.set(name, current ?? null);
  const kernelFunc = build(original);
  if (current) tf.unregisterKernel(name, BACKEND);
  const config: KernelConfig = { kernelName: name, backendName: BACKEND, kernelFunc };
  if (original?.setupFunc) config.setupFunc = original.setupFunc;
  tf.registerKernel(config);
}

/** Puts every original kernel back; returns the restored names. */
export function restoreWasmKernels(tf: TfKernelRegistry): string[] {
  const names = [...originals.keys()];
  for (const [name, original] of originals) {
    if (tf.getKernel(name, BACKEND)) tf.unregisterKernel(name, BACKEND);
    if (original) tf.registerKernel(original);
  }
  originals.clear();
  return names;
}
