// Reductions over one contiguous float row, shared by the softmax, fused and attention kernels.
// kRowLanes independent partial results let the compiler vectorize without -ffast-math.
#pragma once

#include <cstdint>

namespace curio {

constexpr int kRowLanes = 16;

inline float RowMax(const float* __restrict x, int64_t n) {
  float lanes[kRowLanes];
  for (int l = 0; l < kRowLanes; ++l) lanes[l] = x[0];
  int64_t i = 0;
  for (; i + kRowLanes <= n; i += kRowLanes) {
    for (int l = 0; l < kRowLanes; ++l) lanes[l] = x[i + l] > lanes[l] ? x[i + l] : lanes[l];
  }
  float max = x[0];
  for (int l = 0; l < kRowLanes; ++l) max = lanes[l] > max ? lanes[l] : max;
  for (; i < n; ++i) max = x[i] > max ? x[i] : max;
  return max;
}

inline float RowSum(const float* __restrict x, int64_t n) {
  float lanes[kRowLanes] = {};
  int64_t i = 0;
  for (; i + kRowLanes <= n; i += kRowLanes) {
    for (int l = 0; l < kRowLanes; ++l) lanes[l] += x[i + l];
  }
  float sum = 0.f;
  for (int l = 0; l < kRowLanes; ++l) sum += lanes[l];
  for (; i < n; ++i) sum += x[i];
  return sum;
}

inline float RowDot(const float* __restrict a, const float* __restrict b, int64_t n) {
  float lanes[kRowLanes] = {};
  int64_t i = 0;
  for (; i + kRowLanes <= n; i += kRowLanes) {
    for (int l = 0; l < kRowLanes; ++l) lanes[l] += a[i + l] * b[i + l];
  }
  float sum = 0.f;
  for (int l = 0; l < kRowLanes; ++l) sum += lanes[l];
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace curio
