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
  type SandboxLike,
} from './modal-dispatcher.js';
export {
  buildSandboxSpec,
  gpuFor,
  sandboxName,
  MODAL_GPUS,
  MAX_TIMEOUT_MS,
  type ModalSandboxOptions,
  type SandboxSpec,
} from './modal-spec.js';
export { trainerBinPath } from './trainer-bin.js';
