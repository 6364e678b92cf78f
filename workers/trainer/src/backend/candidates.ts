// The tfjs backends the trainer can run on, best first, and how to start each one.
import type * as tfjs from '@tensorflow/tfjs';
import {
  initWasmBackend,
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
  type NativeKernelsOptions,
} from '@curio/native-kernels';

export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm-native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type Tf = typeof tfjs;
export type ImportModule = (specifier: string) => Promise<unknown>;

export type StartResult =
  { ok: true; nativeKernels: string[]; detail?: string } | { ok: false; reason: string };

export interface StartContext {
  tf: Tf;
  importModule: ImportModule;
  nativeKernelOptions: NativeKernelsOptions;
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') &&
    String(e.message).includes(specifier)
  );
}

/** Imports a tfjs-node package (it registers the 'tensorflow' backend) and switches to it. */
async function startTfjsNode(ctx: StartContext, pkg: string, label: string): Promise<StartResult> {
  try {
    await ctx.importModule(pkg);
  } catch (error) {
    if (isModuleNotFound(error, pkg)) return { ok: false, reason: `${label} not installed` };
    return {
      ok: false,
      reason: `${label} failed to load: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  try {
    if (await ctx.tf.setBackend('tensorflow')) return { ok: true, nativeKernels: [] };
  } catch (error) {
    return {
      ok: false,
      reason: `${label} backend failed to start: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  return { ok: false, reason: `${label} loaded but registered no 'tensorflow' backend` };
}

async function startWasm(ctx: StartContext): Promise<StartResult | undefined> {
  try {
    await initWasmBackend(ctx.tf);
    return undefined;
  } catch (error) {
    return { ok: false, reason: `wasm backend failed to start: ${(error as Error).message}` };
  }
}

export const START: Record<BackendName, (ctx: StartContext) => Promise<StartResult>> = {
  'tfjs-node-gpu': (ctx) => startTfjsNode(ctx, '@tensorflow/tfjs-node-gpu', 'tfjs-node-gpu'),
  'tfjs-node': (ctx) => startTfjsNode(ctx, '@tensorflow/tfjs-node', 'tfjs-node'),
  'wasm-native': async (ctx) => {
    const failed = await startWasm(ctx);
    if (failed) return failed;
    const native = registerNativeKernels(ctx.tf, ctx.nativeKernelOptions);
    if (!native.ok) return { ok: false, reason: native.reason };
    return {
      ok: true,
      nativeKernels: native.kernels,
      detail: `${native.gemm}, ${native.threads} threads`,
    };
  },
  wasm: async (ctx) => {
    const failed = await startWasm(ctx);
    if (failed) return failed;
    unregisterWasmKernels(ctx.tf); // plain wasm: drop native kernels a previous selection installed
    return {
      ok: true,
      nativeKernels: [],
      detail: `fallback kernels: ${registerWasmFallbackKernels(ctx.tf).join(', ')}`,
    };
  },
  cpu: async (ctx) =>
    (await ctx.tf.setBackend('cpu'))
      ? { ok: true, nativeKernels: [] }
      : { ok: false, reason: 'cpu backend failed to start' },
};

/** How each backend is named in the log line. */
export const DISPLAY_NAME: Record<BackendName, string> = {
  'tfjs-node-gpu': 'tfjs-node-gpu',
  'tfjs-node': 'tfjs-node',
  'wasm-native': 'wasm + native kernels',
  wasm: 'wasm',
  cpu: 'cpu',
};
