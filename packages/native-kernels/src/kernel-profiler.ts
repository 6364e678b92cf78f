// Times every kernel of a backend by wrapping its kernelFunc (wasm and cpu kernels
// are synchronous, so wall time around the call is the kernel's time).
import type { KernelConfig } from '@tensorflow/tfjs';

import type { TfKernelRegistry } from './kernel-registry.js';

export interface KernelTiming {
  kernel: string;
  calls: number;
  ms: number;
}

export interface KernelProfiler {
  /** Timings since start (or the last reset), slowest first. */
  report(): KernelTiming[];
  reset(): void;
  /** Puts the unwrapped kernels back. */
  stop(): void;
}

type TfWithKernelList = TfKernelRegistry & {
  getKernelsForBackend(backendName: string): KernelConfig[];
};

export function profileKernels(tf: TfWithKernelList, backendName = 'wasm'): KernelProfiler {
  const totals = new Map<string, { calls: number; ms: number }>();
  const wrapped: KernelConfig[] = [];
  for (const config of tf.getKernelsForBackend(backendName)) {
    const name = config.kernelName;
    const inner = config.kernelFunc;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        try {
          return inner(args);
        } finally {
          const entry = totals.get(name) ?? { calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += performance.now() - start;
          totals.set(name, entry);
        }
      },
    });
    wrapped.push(config);
  }
  return {
    report: () =>
      [...totals]
        .map(([kernel, t]) => ({ kernel, calls: t.calls, ms: t.ms }))
        .sort((x, y) => y.ms - x.ms),
    reset: () => totals.clear(),
    stop: () => {
      for (const config of wrapped) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
      wrapped.length = 0;
    },
  };
}
