// Data movement on the wasm heap: N-d strided copies (Transpose, Slice, SplitV, Concat)
// and row gathers (GatherV2).
#pragma once
#include <napi.h>

namespace curio {

// stridedCopy(heap, params: [elementBytes, srcOffset, dstOffset, rank, shape[rank], srcStrides[rank], dstStrides[rank]])
// Strides in elements; elementBytes is 1 or 4.
Napi::Value StridedCopy(const Napi::CallbackInfo& info);

// gather(heap, params: [elementBytes, xOffset, indicesOffset, outOffset, outer, axisSize, numIndices, inner])
// out[o, i, :] = x[o, indices[i], :]; returns how many indices were out of range (their rows are zeroed).
Napi::Value Gather(const Napi::CallbackInfo& info);

}  // namespace curio
