// Curio's own single-precision GEMM, used when the addon is built without OpenBLAS (or when
// CURIO_GEMM=builtin): GotoBLAS-style cache blocking, A and B packed into panels, and a
// register-blocked micro-kernel picked at run time for the CPU (micro_kernels.h).
#pragma once
#include <cstdint>

#include "micro_kernels.h"

namespace curio {

// One operand of a row-major product: op(X) is X, or Xᵀ when `trans`; `ld` is X's row stride.
struct GemmOperand {
  const float* data;
  int64_t ld;
  bool trans;
};

// C[m x n] (row stride ldc) = alpha * op(A)[m x k] * op(B)[k x n], on up to `threads` threads.
void BuiltinSgemm(int64_t m, int64_t n, int64_t k, float alpha, GemmOperand a, GemmOperand b, float* c,
                  int64_t ldc, int threads);

// The micro-kernel in use: the best this CPU supports unless SetBuiltinIsa chose another.
const MicroKernelSpec& BuiltinKernel();

// Uses `isa` from now on; false (and no change) when this CPU or build lacks it.
bool SetBuiltinIsa(GemmIsa isa);
// Back to the best micro-kernel this CPU supports.
void UseBestBuiltinKernel();

}  // namespace curio
