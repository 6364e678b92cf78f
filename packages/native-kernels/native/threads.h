// How many threads a kernel should spread over: at most the GEMM's thread count, and no
// more than the work pays for (each std::thread costs tens of microseconds to start).
// Memory-bound kernels (plain elementwise, copies) stay single-threaded: measured slower.
#pragma once
#include <algorithm>
#include <cstdint>

#include "sgemm.h"

namespace curio {

// One thread per this many units of work (floats for softmax, multiply-adds for gemm).
constexpr int64_t kElementsPerThread = 1 << 17;
constexpr int64_t kMultiplyAddsPerThread = 1 << 23;

inline int ThreadsForWork(int64_t work, int64_t workPerThread) {
  const int64_t wanted = std::max<int64_t>(1, work / workPerThread);
  return static_cast<int>(std::min<int64_t>(wanted, GemmThreads()));
}

inline int ThreadsFor(int64_t elements) { return ThreadsForWork(elements, kElementsPerThread); }

}  // namespace curio
