// How many threads a kernel should spread over: at most OpenBLAS's thread count, and no
// more than the work pays for (each std::thread costs tens of microseconds to start).
// Memory-bound kernels (plain elementwise, copies) stay single-threaded: measured slower.
#pragma once
#include <cblas.h>

#include <algorithm>
#include <cstdint>

namespace curio {

// One thread per this many units of work (floats for softmax, multiply-adds for gemm).
constexpr int64_t kElementsPerThread = 1 << 17;
constexpr int64_t kMultiplyAddsPerThread = 1 << 23;

inline int ThreadsForWork(int64_t work, int64_t workPerThread) {
  const int64_t wanted = std::max<int64_t>(1, work / workPerThread);
  return static_cast<int>(std::min<int64_t>(wanted, std::max(1, openblas_get_num_threads())));
}

inline int ThreadsFor(int64_t elements) { return ThreadsForWork(elements, kElementsPerThread); }

// Runs OpenBLAS on one thread while in scope (call from the JS thread only, not inside ParallelFor).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() : saved_(openblas_get_num_threads()) {
    if (saved_ > 1) openblas_set_num_threads(1);
  }
  ~SingleThreadedBlas() {
    if (saved_ > 1) openblas_set_num_threads(saved_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int saved_;
};

}  // namespace curio
