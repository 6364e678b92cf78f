// Register-blocked micro-kernels of the built-in GEMM, one per instruction set. Each computes
// one MR x NR tile of C from a packed A panel (kc x MR, column by column) and a packed B panel
// (kc x NR, row by row): C = acc, or C += acc when `accumulate`. Each is compiled for its own
// instruction set with __attribute__((target)), so one build runs on any CPU of its family.
#pragma once
#include <cstdint>

namespace curio {

enum class GemmIsa { kPortable, kAvx2Fma, kAvx512 };

using MicroKernel = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate);

struct MicroKernelSpec {
  GemmIsa isa;
  const char* name;  // as printed: "AVX-512", "AVX2+FMA", "portable"
  int mr, nr;        // tile rows (A panel width) and columns (B panel width)
  MicroKernel kernel;
};

// The kernel for `isa` (the portable one exists on every target; the x86 ones only on x86-64).
const MicroKernelSpec* MicroKernelFor(GemmIsa isa);

// True when this CPU runs `isa` (checked with __builtin_cpu_supports).
bool CpuSupports(GemmIsa isa);

}  // namespace curio
