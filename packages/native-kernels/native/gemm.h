// Batched sgemm on the wasm heap with _FusedMatMul's bias + activation epilogue.
#pragma once
#include <napi.h>

namespace curio {

// Layout of the Float64Array passed to gemm(); mirrored in src/native/gemm-params.ts.
enum GemmParam {
  kBatch, kM, kN, kK, kTransA, kTransB,
  kAOffset, kBOffset, kCOffset,          // byte offsets into the heap
  kAStride, kBStride,                    // elements between consecutive batch matrices (0 = broadcast)
  kActivation, kLeakyAlpha,
  kBiasOffset, kBiasStrideBatch, kBiasStrideRow, kBiasStrideCol,      // bias offset < 0: none
  kPreluOffset, kPreluStrideBatch, kPreluStrideRow, kPreluStrideCol,  // prelu offset < 0: none
  kGemmParamCount
};

// gemm(heap: ArrayBuffer, params: Float64Array, aBatchOffsets?: Int32Array, bBatchOffsets?: Int32Array)
// Batch offsets (in elements, one per output batch) replace the strides for general broadcasting.
Napi::Value Gemm(const Napi::CallbackInfo& info);

}  // namespace curio
