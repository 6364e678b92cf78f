#include "micro_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CURIO_X86 1
#endif

namespace curio {
namespace {

// Portable: GCC/Clang vector extensions, 4 floats a vector (SSE2 on x86-64, NEON on aarch64).
typedef float Vec4 __attribute__((vector_size(16), aligned(4)));
constexpr int kPortableMr = 6, kPortableNr = 8;

void KernelPortable(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  Vec4 acc[kPortableMr][2] = {};
  for (int64_t p = 0; p < kc; ++p, a += kPortableMr, b += kPortableNr) {
    const Vec4 b0 = *reinterpret_cast<const Vec4*>(b), b1 = *reinterpret_cast<const Vec4*>(b + 4);
#pragma GCC unroll 6
    for (int i = 0; i < kPortableMr; ++i) {
      acc[i][0] += a[i] * b0;
      acc[i][1] += a[i] * b1;
    }
  }
  for (int i = 0; i < kPortableMr; ++i) {
    Vec4* row = reinterpret_cast<Vec4*>(c + i * ldc);
    if (accumulate) {
      row[0] += acc[i][0];
      row[1] += acc[i][1];
    } else {
      row[0] = acc[i][0];
      row[1] = acc[i][1];
    }
  }
}

#ifdef CURIO_X86
// AVX2 + FMA: 6 x 16 tile, 12 ymm accumulators + 2 B vectors + 1 broadcast of the 16 registers.
constexpr int kAvx2Mr = 6, kAvx2Nr = 16;

__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const float* a, const float* b, float* c,
                                                     int64_t ldc, bool accumulate) {
  __m256 acc[kAvx2Mr][2];
#pragma GCC unroll 6
  for (int i = 0; i < kAvx2Mr; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int64_t p = 0; p < kc; ++p, a += kAvx2Mr, b += kAvx2Nr) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < kAvx2Mr; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 6
  for (int i = 0; i < kAvx2Mr; ++i) {
    float* row = c + i * ldc;
    if (accumulate) {
      acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(row));
      acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(row + 8));
    }
    _mm256_storeu_ps(row, acc[i][0]);
    _mm256_storeu_ps(row + 8, acc[i][1]);
  }
}

// AVX-512: 12 x 32 tile, 24 zmm accumulators + 2 B vectors + 1 broadcast of the 32 registers.
constexpr int kAvx512Mr = 12, kAvx512Nr = 32;

__attribute__((target("avx512f"))) void KernelAvx512(int64_t kc, const float* a, const float* b, float* c,
                                                      int64_t ldc, bool accumulate) {
  __m512 acc[kAvx512Mr][2];
#pragma GCC unroll 12
  for (int i = 0; i < kAvx512Mr; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p, a += kAvx512Mr, b += kAvx512Nr) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 12
    for (int i = 0; i < kAvx512Mr; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 12
  for (int i = 0; i < kAvx512Mr; ++i) {
    float* row = c + i * ldc;
    if (accumulate) {
      acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(row));
      acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[i][0]);
    _mm512_storeu_ps(row + 16, acc[i][1]);
  }
}
#endif

const MicroKernelSpec kPortable{GemmIsa::kPortable, "portable", kPortableMr, kPortableNr, KernelPortable};
#ifdef CURIO_X86
const MicroKernelSpec kAvx2{GemmIsa::kAvx2Fma, "AVX2+FMA", kAvx2Mr, kAvx2Nr, KernelAvx2};
const MicroKernelSpec kAvx512{GemmIsa::kAvx512, "AVX-512", kAvx512Mr, kAvx512Nr, KernelAvx512};
#endif

}  // namespace

const MicroKernelSpec* MicroKernelFor(GemmIsa isa) {
#ifdef CURIO_X86
  if (isa == GemmIsa::kAvx512) return &kAvx512;
  if (isa == GemmIsa::kAvx2Fma) return &kAvx2;
#endif
  return isa == GemmIsa::kPortable ? &kPortable : nullptr;
}

bool CpuSupports(GemmIsa isa) {
  switch (isa) {
    case GemmIsa::kPortable:
      return true;
#ifdef CURIO_X86
    case GemmIsa::kAvx2Fma:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case GemmIsa::kAvx512:
      return __builtin_cpu_supports("avx512f");
#endif
    default:
      return false;
  }
}

}  // namespace curio
