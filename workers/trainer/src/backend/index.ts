export { selectBackend, isBackendName, BACKEND_NAMES } from './select-backend.js';
export type { BackendName, SelectBackendOptions, SelectedBackend } from './select-backend.js';
export { plainWasmWarning } from '@curio/native-kernels/plain-wasm-warning';
