// UnsortedSegmentSum for the wasm backend, which has none (so tf.gather's gradient,
// i.e. every embedding lookup, fails there). A pure-JS version working on heap views,
// and a native one when the addon is built.
import type { KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { asWasmBackend, heapBuffer, heapOffset, sizeOf, type WasmBackend } from '../wasm-heap.js';

interface SegmentSumJob {
  backend: WasmBackend;
  x: TensorInfo;
  segmentIds: TensorInfo;
  out: TensorInfo;
  numIds: number;
  inner: number;
  numSegments: number;
}

/** Allocates the output and describes the job; out = [numSegments, ...x.shape after the ids' dims]. */
function prepare(args: Parameters<KernelFunc>[0]): SegmentSumJob {
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  const backend = asWasmBackend(args.backend);
  if (x.dtype !== 'float32' && x.dtype !== 'int32')
    throw new Error(`UnsortedSegmentSum: unsupported dtype ${x.dtype}`);
  if (segmentIds.dtype !== 'int32') throw new Error('UnsortedSegmentSum: segmentIds must be int32');
  const numIds = sizeOf(segmentIds.shape);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  return { backend, x, segmentIds, out, numIds, inner: sizeOf(innerShape), numSegments };
}

export const jsUnsortedSegmentSum: KernelFunc = (args) => {
  const job = prepare(args);
  const { backend, numIds, inner, numSegments } = job;
  // Views only after makeOutput (prepare): the allocation may have grown the heap.
  const x = backend.typedArrayFromHeap(job.x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(job.segmentIds) as Int32Array;
  const out = backend.typedArrayFromHeap(job.out) as Float32Array | Int32Array;
  out.fill(0);
  for (let i = 0; i < numIds; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= numSegments) continue;
    const dst = id * inner;
    const src = i * inner;
    for (let j = 0; j < inner; j++) out[dst + j]! += x[src + j]!;
  }
  return job.out;
};

export function nativeUnsortedSegmentSum(addon: NativeAddon): KernelFunc {
  return (args) => {
    const job = prepare(args);
    const { backend } = job;
    const params = Float64Array.of(
      heapOffset(backend, job.x),
      heapOffset(backend, job.segmentIds),
      heapOffset(backend, job.out),
      job.numIds,
      job.inner,
      job.numSegments,
      job.x.dtype === 'int32' ? 1 : 0,
    );
    if (sizeOf(job.out.shape) > 0) addon.segmentSum(heapBuffer(backend), params);
    return job.out;
  };
}
