#include "micro_kernels.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CURIO_X86 1
#endif

namespace curio {
namespace {

// Portable: GCC/Clang vector extensions, 4 floats a vector (SSE2 on x86-64, NEON on aarch64).
// Edge tiles are computed whole and copied out.
typedef float Vec4 __attribute__((vector_size(16), aligned(4)));
constexpr int kPortableMr = 6, kPortableNr = 8;

void KernelPortable(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int rows, int cols,
                    bool accumulate) {
  Vec4 acc[kPortableMr][2] = {};
  for (int64_t p = 0; p < kc; ++p, a += kPortableMr, b += kPortableNr) {
    const Vec4 b0 = *reinterpret_cast<const Vec4*>(b), b1 = *reinterpret_cast<const Vec4*>(b + 4);
#pragma GCC unroll 6
    for (int i = 0; i < kPortableMr; ++i) {
      acc[i][0] += a[i] * b0;
      acc[i][1] += a[i] * b1;
    }
  }
  for (int i = 0; i < rows; ++i) {
    float* row = c + i * ldc;
    if (cols == kPortableNr) {
      Vec4* out = reinterpret_cast<Vec4*>(row);
      out[0] = accumulate ? out[0] + acc[i][0] : acc[i][0];
      out[1] = accumulate ? out[1] + acc[i][1] : acc[i][1];
      continue;
    }
    float tile[kPortableNr];
    *reinterpret_cast<Vec4*>(tile) = acc[i][0];
    *reinterpret_cast<Vec4*>(tile + 4) = acc[i][1];
    for (int j = 0; j < cols; ++j) row[j] = accumulate ? row[j] + tile[j] : tile[j];
  }
}

#ifdef CURIO_X86
// AVX2 + FMA: 6 x 16 tile, 12 ymm accumulators + 2 B vectors + 1 broadcast of the 16 registers;
// NV = 1 for edge tiles at most 8 wide. Partial columns are stored through a lane mask.
constexpr int kAvx2Mr = 6, kAvx2Nr = 16;

__attribute__((target("avx2,fma"))) inline __m256i Avx2Mask(int lanes) {
  const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), index);
}

template <int NV>
__attribute__((target("avx2,fma"))) void TileAvx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                                                   int rows, int cols, bool accumulate) {
  __m256 acc[kAvx2Mr][NV];
#pragma GCC unroll 6
  for (int i = 0; i < kAvx2Mr; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
  for (int64_t p = 0; p < kc; ++p, a += kAvx2Mr, b += kAvx2Nr) {
    __m256 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_load_ps(b + 8 * v);
#pragma GCC unroll 6
    for (int i = 0; i < kAvx2Mr; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(ai, bv[v], acc[i][v]);
    }
  }
  __m256i mask[NV];
  for (int v = 0; v < NV; ++v) mask[v] = Avx2Mask(std::clamp(cols - 8 * v, 0, 8));
  for (int i = 0; i < rows; ++i) {
    float* row = c + i * ldc;
    for (int v = 0; v < NV; ++v) {
      __m256 out = acc[i][v];
      if (accumulate) out = _mm256_add_ps(out, _mm256_maskload_ps(row + 8 * v, mask[v]));
      _mm256_maskstore_ps(row + 8 * v, mask[v], out);
    }
  }
}

__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const float* a, const float* b, float* c,
                                                     int64_t ldc, int rows, int cols, bool accumulate) {
  if (cols > 8) {
    TileAvx2<2>(kc, a, b, c, ldc, rows, cols, accumulate);
  } else {
    TileAvx2<1>(kc, a, b, c, ldc, rows, cols, accumulate);
  }
}

// AVX-512: 12 x 32 tile, 24 zmm accumulators + 2 B vectors + 1 broadcast of the 32 registers.
// Edge tiles compute only the rows (in fours) and 16-wide column vectors they need; partial
// columns are stored through a lane mask.
constexpr int kAvx512Mr = 12, kAvx512Nr = 32;

template <int R, int NV>
__attribute__((target("avx512f"))) void TileAvx512(int64_t kc, const float* a, const float* b, float* c,
                                                    int64_t ldc, int rows, int cols, bool accumulate) {
  __m512 acc[R][NV];
#pragma GCC unroll 12
  for (int i = 0; i < R; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  for (int64_t p = 0; p < kc; ++p, a += kAvx512Mr, b += kAvx512Nr) {
    __m512 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_load_ps(b + 16 * v);
#pragma GCC unroll 12
    for (int i = 0; i < R; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
  }
  __mmask16 mask[NV];
  for (int v = 0; v < NV; ++v) mask[v] = static_cast<__mmask16>((1u << std::clamp(cols - 16 * v, 0, 16)) - 1);
#pragma GCC unroll 12
  for (int i = 0; i < R; ++i) {
    if (i >= rows) break;
    float* row = c + i * ldc;
    for (int v = 0; v < NV; ++v) {
      __m512 out = acc[i][v];
      if (accumulate) out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask[v], row + 16 * v));
      _mm512_mask_storeu_ps(row + 16 * v, mask[v], out);
    }
  }
}

template <int R, int NV>
__attribute__((target("avx512f"))) void DirectTileAvx512(int64_t kc, const float* a, int64_t aRow, int64_t aDepth,
                                                          const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                                                          int cols, float alpha) {
  __mmask16 mask[NV];
  for (int v = 0; v < NV; ++v) mask[v] = static_cast<__mmask16>((1u << std::clamp(cols - 16 * v, 0, 16)) - 1);
  __m512 acc[R][NV];
#pragma GCC unroll 12
  for (int i = 0; i < R; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  for (int64_t p = 0; p < kc; ++p, a += aDepth, b += ldb) {
    __m512 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_maskz_loadu_ps(mask[v], b + 16 * v);
#pragma GCC unroll 12
    for (int i = 0; i < R; ++i) {
      const __m512 ai = _mm512_set1_ps(i < rows ? a[i * aRow] : 0.f);
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
  }
  const __m512 scale = _mm512_set1_ps(alpha);
#pragma GCC unroll 12
  for (int i = 0; i < R; ++i) {
    if (i >= rows) break;
    for (int v = 0; v < NV; ++v) _mm512_mask_storeu_ps(c + i * ldc + 16 * v, mask[v], _mm512_mul_ps(acc[i][v], scale));
  }
}

template <int NV>
__attribute__((target("avx512f"))) void DirectRowsAvx512(int64_t kc, const float* a, int64_t aRow, int64_t aDepth,
                                                          const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                                                          int cols, float alpha) {
  if (rows > 8) {
    DirectTileAvx512<12, NV>(kc, a, aRow, aDepth, b, ldb, c, ldc, rows, cols, alpha);
  } else if (rows > 4) {
    DirectTileAvx512<8, NV>(kc, a, aRow, aDepth, b, ldb, c, ldc, rows, cols, alpha);
  } else {
    DirectTileAvx512<4, NV>(kc, a, aRow, aDepth, b, ldb, c, ldc, rows, cols, alpha);
  }
}

__attribute__((target("avx512f"))) void DirectAvx512(int64_t kc, const float* a, int64_t aRow, int64_t aDepth,
                                                      const float* b, int64_t ldb, float* c, int64_t ldc, int rows,
                                                      int cols, float alpha) {
  if (cols > 16) {
    DirectRowsAvx512<2>(kc, a, aRow, aDepth, b, ldb, c, ldc, rows, cols, alpha);
  } else {
    DirectRowsAvx512<1>(kc, a, aRow, aDepth, b, ldb, c, ldc, rows, cols, alpha);
  }
}

template <int NV>
__attribute__((target("avx512f"))) void RowsAvx512(int64_t kc, const float* a, const float* b, float* c,
                                                    int64_t ldc, int rows, int cols, bool accumulate) {
  if (rows > 8) {
    TileAvx512<12, NV>(kc, a, b, c, ldc, rows, cols, accumulate);
  } else if (rows > 4) {
    TileAvx512<8, NV>(kc, a, b, c, ldc, rows, cols, accumulate);
  } else {
    TileAvx512<4, NV>(kc, a, b, c, ldc, rows, cols, accumulate);
  }
}

__attribute__((target("avx512f"))) void KernelAvx512(int64_t kc, const float* a, const float* b, float* c,
                                                      int64_t ldc, int rows, int cols, bool accumulate) {
  if (cols > 16) {
    RowsAvx512<2>(kc, a, b, c, ldc, rows, cols, accumulate);
  } else {
    RowsAvx512<1>(kc, a, b, c, ldc, rows, cols, accumulate);
  }
}
#endif

const MicroKernelSpec kPortable{GemmIsa::kPortable, "portable", kPortableMr, kPortableNr, KernelPortable, nullptr};
#ifdef CURIO_X86
const MicroKernelSpec kAvx2{GemmIsa::kAvx2Fma, "AVX2+FMA", kAvx2Mr, kAvx2Nr, KernelAvx2, nullptr};
const MicroKernelSpec kAvx512{GemmIsa::kAvx512, "AVX-512", kAvx512Mr, kAvx512Nr, KernelAvx512, DirectAvx512};
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
