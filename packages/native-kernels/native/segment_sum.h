// UnsortedSegmentSum on the wasm heap (the wasm backend has none; the embedding-gather gradient needs it).
#pragma once
#include <napi.h>

namespace curio {

// segmentSum(heap, params: Float64Array[xOffset, idsOffset, outOffset, numIds, inner, numSegments, isInt32])
// out[numSegments, inner] = 0; out[ids[i]] += x[i] for ids in [0, numSegments); others are dropped.
Napi::Value SegmentSum(const Napi::CallbackInfo& info);

}  // namespace curio
