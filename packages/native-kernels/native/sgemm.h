// The one single-precision GEMM every kernel calls: OpenBLAS's cblas_sgemm when the addon was
// built with OpenBLAS (CURIO_WITH_OPENBLAS) and it is selected, Curio's built-in GEMM otherwise.
#pragma once
#include <cstdint>
#include <string>

#include "builtin_gemm.h"

namespace curio {

enum class GemmEngine { kBuiltin, kOpenblas };

// C[m x n] (row stride ldc) = alpha * op(A) * op(B). The built-in GEMM uses at most `threads`
// threads; OpenBLAS picks its own (limit it with SingleThreadedGemm).
void Sgemm(int64_t m, int64_t n, int64_t k, float alpha, GemmOperand a, GemmOperand b, float* c, int64_t ldc,
           int threads);

bool BuiltWithOpenblas();
GemmEngine ActiveGemm();
// Selects the engine and the built-in GEMM's micro-kernel ("avx512", "avx2", "portable", or ""
// for the best this CPU runs); returns an error message, empty on success.
std::string SelectGemm(GemmEngine engine, const std::string& isa);

// Threads of the active engine (the built-in GEMM defaults to the hardware's thread count).
int GemmThreads();
void SetGemmThreads(int threads);

// OpenBLAS's build config and kernel family ("" without OpenBLAS).
std::string OpenblasConfig();
std::string OpenblasCore();

// Runs OpenBLAS on one thread while in scope (call from the JS thread only, not inside ParallelFor).
class SingleThreadedGemm {
 public:
  SingleThreadedGemm();
  ~SingleThreadedGemm();
  SingleThreadedGemm(const SingleThreadedGemm&) = delete;
  SingleThreadedGemm& operator=(const SingleThreadedGemm&) = delete;

 private:
  int saved_ = 0;
};

}  // namespace curio
