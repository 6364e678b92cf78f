// Register-blocked micro-kernels of the built-in GEMM, one per instruction set. Each computes
// the top-left rows x cols (at most MR x NR) of one tile of C from a packed A panel (kc x MR,
// column by column) and a packed B panel (kc x NR, row by row): C = acc, or C += acc when
// `accumulate`; nothing outside rows x cols is read or written. Each is compiled for its own
// instruction set with __attribute__((target)), so one build runs on any CPU of its family.
#pragma once
#include <cstdint>

namespace curio {

enum class GemmIsa { kPortable, kAvx2Fma, kAvx512 };

using MicroKernel = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int rows, int cols,
                             bool accumulate);

// For small products, no packing: the top-left rows x cols of C = alpha * A·B over all of kc,
// A's element (i, p) at a[i * aRow + p * aDepth] (any layout), B's row p at b + p * ldb.
using DirectKernel = void (*)(int64_t kc, const float* a, int64_t aRow, int64_t aDepth, const float* b, int64_t ldb,
                              float* c, int64_t ldc, int rows, int cols, float alpha);

struct MicroKernelSpec {
  GemmIsa isa;
  const char* name;  // as printed: "AVX-512", "AVX2+FMA", "portable"
  int mr, nr;        // tile rows (A panel width) and columns (B panel width)
  MicroKernel kernel;
  DirectKernel direct;  // nullptr: small products are packed too
};

// The kernel for `isa` (the portable one exists on every target; the x86 ones only on x86-64).
const MicroKernelSpec* MicroKernelFor(GemmIsa isa);

// True when this CPU runs `isa` (checked with __builtin_cpu_supports).
bool CpuSupports(GemmIsa isa);

}  // namespace curio
