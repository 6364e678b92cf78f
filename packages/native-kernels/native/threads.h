// How many threads a compute-bound kernel over `elements` floats should use: one below
// ~256K elements (thread start-up would dominate), else OpenBLAS's thread count.
// Memory-bound kernels (plain elementwise, copies) stay single-threaded: measured slower.
#pragma once
#include <cblas.h>

#include <cstdint>

namespace curio {

constexpr int64_t kParallelMinElements = 1 << 18;

inline int ThreadsFor(int64_t elements) {
  return elements < kParallelMinElements ? 1 : openblas_get_num_threads();
}

}  // namespace curio
