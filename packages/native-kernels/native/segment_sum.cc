#include "segment_sum.h"

#include <algorithm>
#include <cstdint>

#include "heap.h"

namespace curio {
namespace {

template <typename T>
void Accumulate(const T* x, const int32_t* ids, T* out, int64_t numIds, int64_t inner, int64_t numSegments) {
  std::fill(out, out + numSegments * inner, T(0));
  for (int64_t i = 0; i < numIds; ++i) {
    const int32_t id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    T* dst = out + static_cast<int64_t>(id) * inner;
    const T* src = x + i * inner;
    for (int64_t j = 0; j < inner; ++j) dst[j] += src[j];
  }
}

}  // namespace

Napi::Value SegmentSum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 7, &p)) return env.Undefined();
  const int64_t numIds = static_cast<int64_t>(p[3]), inner = static_cast<int64_t>(p[4]);
  const int64_t numSegments = static_cast<int64_t>(p[5]);
  const bool isInt32 = p[6] != 0;
  const int32_t* ids = HeapSpan<int32_t>(env, heap, p[1], static_cast<double>(numIds));
  if (!ids) return env.Undefined();
  if (isInt32) {
    const int32_t* x = HeapSpan<int32_t>(env, heap, p[0], static_cast<double>(numIds * inner));
    int32_t* out = x ? HeapSpan<int32_t>(env, heap, p[2], static_cast<double>(numSegments * inner)) : nullptr;
    if (out) Accumulate(x, ids, out, numIds, inner, numSegments);
  } else {
    const float* x = HeapSpan<float>(env, heap, p[0], static_cast<double>(numIds * inner));
    float* out = x ? HeapSpan<float>(env, heap, p[2], static_cast<double>(numSegments * inner)) : nullptr;
    if (out) Accumulate(x, ids, out, numIds, inner, numSegments);
  }
  return env.Undefined();
}

}  // namespace curio
