export type { DispatchHandle, DispatchRequest, Dispatcher } from './dispatcher.js';
export {
  LocalDispatcher,
  type LocalDispatcherOptions,
  type WorkerExit,
} from './local-dispatcher.js';
export {
  ModalDispatcher,
  createSandbox,
  type ModalClientLike,
  type ModalDispatcherOptions,
  type SandboxExit,
  type SandboxLike,
  type SandboxOutput,
} from './modal-dispatcher.js';
export {
  DEFAULT_MODAL_DEVICE,
  MODAL_GPU_TABLE,
  type ModalGpu,
  type TfKernels,
} from './modal-gpus.js';
export {
  buildSandboxSpec,
  gpuFor,
  sandboxName,
  MODAL_GPUS,
  MAX_TIMEOUT_MS,
  sandboxTimeoutMs,
  TIMEOUT_GRACE_MS,
  type ModalSandboxOptions,
  type SandboxSpec,
} from './modal-spec.js';
export { trainerBinPath } from './trainer-bin.js';
