export { registerNativeKernels, registerWasmFallbackKernels, unregisterWasmKernels } from './register.js';
export type { NativeKernelsOptions, NativeKernelsResult } from './register.js';
export type { TfKernelRegistry } from './kernel-registry.js';
export { loadAddon, ADDON_PATH } from './addon.js';
export type { AddonLoad, NativeAddon } from './addon.js';
export { initWasmBackend } from './wasm-init.js';
