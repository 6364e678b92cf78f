// Typed access to the tfjs wasm backend's internals that the kernels need: where a
// tensor lives on the wasm heap, how to allocate an output, and the heap itself.
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here (stable across tfjs 4.x). */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function isWasmBackend(backend: unknown): backend is WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  return (
    b != null &&
    typeof b.makeOutput === 'function' &&
    typeof b.typedArrayFromHeap === 'function' &&
    b.wasm?.HEAPU8 instanceof Uint8Array &&
    b.dataIdMap != null
  );
}

export function asWasmBackend(backend: unknown): WasmBackend {
  if (!isWasmBackend(backend)) throw new Error('native-kernels: expected the tfjs wasm backend');
  return backend;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data == null || data.memoryOffset == null)
    throw new Error('native-kernels: tensor is not on the wasm heap');
  return data.memoryOffset;
}

/**
 * The heap's current ArrayBuffer. Take it only after every makeOutput of the kernel:
 * an allocation can grow the heap, which detaches the previous buffer.
 */
export function heapBuffer(backend: WasmBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
