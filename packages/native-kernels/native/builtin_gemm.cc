#include "builtin_gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "parallel.h"

namespace curio {
namespace {

// Block sizes (GotoBLAS / BLIS loop order): a kKc x nr panel of B stays in L1/L2 while the
// micro-kernel walks a kMc x kKc block of A held in L2; B is packed kKc x kNc at a time.
// kMc and kNc are multiples of every kernel's MR and NR. kKc 512 rather than 256: one pass over
// C instead of two for the K = 512 products of an MLP's backward (measured +25% on 8320x128x512).
constexpr int64_t kKc = 512;
constexpr int64_t kMc = 192;
constexpr int64_t kNc = 3072;
// Products up to this many multiply-adds skip packing when the kernel can (packing costs as
// much as the multiply-adds of an attention head's 65x65x32 product).
constexpr int64_t kDirectProductMax = 96 * 96 * 96;
// Below this many multiply-adds per thread, another thread costs more than it saves.
constexpr int64_t kMultiplyAddsPerExtraThread = 1 << 22;

const MicroKernelSpec* BestKernel() {
  for (GemmIsa isa : {GemmIsa::kAvx512, GemmIsa::kAvx2Fma}) {
    if (CpuSupports(isa) && MicroKernelFor(isa)) return MicroKernelFor(isa);
  }
  return MicroKernelFor(GemmIsa::kPortable);
}

const MicroKernelSpec* g_kernel = BestKernel();

// A 64-byte aligned float buffer per thread, grown on demand (packed panels).
class PackBuffer {
 public:
  float* Reserve(int64_t count) {
    if (count > capacity_) {
      capacity_ = (count + 15) / 16 * 16;
      data_.reset(static_cast<float*>(std::aligned_alloc(64, capacity_ * sizeof(float))));
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t capacity_ = 0;
};

// op(A) rows [row0, row0 + mc) x depth [p0, p0 + kc), times alpha, as mr-wide panels (kc x mr
// each, zero-padded): panel element (p, i) at out[panel * kc * mr + p * mr + i].
void PackA(const GemmOperand& a, int64_t row0, int64_t p0, int64_t mc, int64_t kc, int mr, float alpha, float* out) {
  for (int64_t ir = 0; ir < mc; ir += mr, out += kc * mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - ir);
    if (rows < mr) std::fill(out, out + kc * mr, 0.f);
    if (a.trans) {  // element (i, p) at data[p * ld + i]: contiguous along i
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = a.data + (p0 + p) * a.ld + row0 + ir;
        for (int64_t i = 0; i < rows; ++i) out[p * mr + i] = alpha * src[i];
      }
    } else {  // element (i, p) at data[i * ld + p]: contiguous along p
      for (int64_t i = 0; i < rows; ++i) {
        const float* src = a.data + (row0 + ir + i) * a.ld + p0;
        for (int64_t p = 0; p < kc; ++p) out[p * mr + i] = alpha * src[p];
      }
    }
  }
}

// op(B) depth [p0, p0 + kc) x columns [col0, col0 + nc) as nr-wide panels (kc x nr, zero-padded).
void PackB(const GemmOperand& b, int64_t p0, int64_t col0, int64_t kc, int64_t nc, int nr, float* out) {
  for (int64_t jr = 0; jr < nc; jr += nr, out += kc * nr) {
    const int64_t cols = std::min<int64_t>(nr, nc - jr);
    if (cols < nr) std::fill(out, out + kc * nr, 0.f);
    if (b.trans) {  // element (p, j) at data[j * ld + p]
      for (int64_t j = 0; j < cols; ++j) {
        const float* src = b.data + (col0 + jr + j) * b.ld + p0;
        for (int64_t p = 0; p < kc; ++p) out[p * nr + j] = src[p];
      }
    } else {  // element (p, j) at data[p * ld + j]
      for (int64_t p = 0; p < kc; ++p) {
        std::memcpy(out + p * nr, b.data + (p0 + p) * b.ld + col0 + jr, cols * sizeof(float));
      }
    }
  }
}

// C[mc x nc] (+)= packed A block x packed B block, tile by tile (the kernel clips edge tiles).
void MultiplyBlocks(const MicroKernelSpec& ks, int64_t mc, int64_t nc, int64_t kc, const float* ap,
                    const float* bp, float* c, int64_t ldc, bool accumulate) {
  for (int64_t jr = 0; jr < nc; jr += ks.nr) {
    const int cols = static_cast<int>(std::min<int64_t>(ks.nr, nc - jr));
    for (int64_t ir = 0; ir < mc; ir += ks.mr) {
      const int rows = static_cast<int>(std::min<int64_t>(ks.mr, mc - ir));
      ks.kernel(kc, ap + ir * kc, bp + jr * kc, c + ir * ldc + jr, ldc, rows, cols, accumulate);
    }
  }
}

// A small product without packing A (the direct kernel reads any layout); B is read in place,
// or transposed into a scratch copy first when op(B) = Bᵀ (the kernel needs B's rows contiguous).
void SgemmDirect(const MicroKernelSpec& ks, int64_t m, int64_t n, int64_t k, float alpha, const GemmOperand& a,
                 const GemmOperand& b, float* c, int64_t ldc) {
  static thread_local PackBuffer bBuffer;
  const float* bRows = b.data;
  int64_t ldb = b.ld;
  if (b.trans) {
    float* t = bBuffer.Reserve(k * n);
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t p = 0; p < k; ++p) t[p * n + j] = b.data[j * b.ld + p];
    }
    bRows = t;
    ldb = n;
  }
  const int64_t aRow = a.trans ? 1 : a.ld, aDepth = a.trans ? a.ld : 1;
  for (int64_t jr = 0; jr < n; jr += ks.nr) {
    const int cols = static_cast<int>(std::min<int64_t>(ks.nr, n - jr));
    for (int64_t ir = 0; ir < m; ir += ks.mr) {
      const int rows = static_cast<int>(std::min<int64_t>(ks.mr, m - ir));
      ks.direct(k, a.data + ir * aRow, aRow, aDepth, bRows + jr, ldb, c + ir * ldc + jr, ldc, rows, cols, alpha);
    }
  }
}

// The whole product on the calling thread.
void SgemmOneThread(const MicroKernelSpec& ks, int64_t m, int64_t n, int64_t k, float alpha, const GemmOperand& a,
                    const GemmOperand& b, float* c, int64_t ldc) {
  static thread_local PackBuffer aBuffer, bBuffer;
  const int64_t ncMax = std::min<int64_t>(kNc, (n + ks.nr - 1) / ks.nr * ks.nr);
  const int64_t mcMax = std::min<int64_t>(kMc, (m + ks.mr - 1) / ks.mr * ks.mr);
  float* bp = bBuffer.Reserve(std::min<int64_t>(kKc, k) * ncMax);
  float* ap = aBuffer.Reserve(std::min<int64_t>(kKc, k) * mcMax);
  for (int64_t jc = 0; jc < n; jc += kNc) {
    const int64_t nc = std::min(kNc, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      PackB(b, pc, jc, kc, nc, ks.nr, bp);
      for (int64_t ic = 0; ic < m; ic += kMc) {
        const int64_t mc = std::min(kMc, m - ic);
        PackA(a, ic, pc, mc, kc, ks.mr, alpha, ap);
        MultiplyBlocks(ks, mc, nc, kc, ap, bp, c + ic * ldc + jc, ldc, pc > 0);
      }
    }
  }
}

GemmOperand RowsFrom(GemmOperand x, int64_t row0) {  // op(X) starting at row row0
  x.data += x.trans ? row0 : row0 * x.ld;
  return x;
}

GemmOperand ColumnsFrom(GemmOperand x, int64_t col0) {  // op(X) starting at column col0
  x.data += x.trans ? col0 * x.ld : col0;
  return x;
}

}  // namespace

const MicroKernelSpec& BuiltinKernel() { return *g_kernel; }

void UseBestBuiltinKernel() { g_kernel = BestKernel(); }

bool SetBuiltinIsa(GemmIsa isa) {
  if (!CpuSupports(isa) || !MicroKernelFor(isa)) return false;
  g_kernel = MicroKernelFor(isa);
  return true;
}

void BuiltinSgemm(int64_t m, int64_t n, int64_t k, float alpha, GemmOperand a, GemmOperand b, float* c,
                  int64_t ldc, int threads) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.f);
    return;
  }
  const MicroKernelSpec& ks = *g_kernel;
  if (ks.direct && m * n * k <= kDirectProductMax && k <= kKc) {
    SgemmDirect(ks, m, n, k, alpha, a, b, c, ldc);
    return;
  }
  threads = static_cast<int>(std::clamp<int64_t>(m * n * k / kMultiplyAddsPerExtraThread, 1, std::max(1, threads)));
  // Each thread takes a stripe of C (whole tiles) and packs what it needs; the longer side is split.
  const bool splitRows = m >= n;
  const int64_t tile = splitRows ? ks.mr : ks.nr;
  const int64_t tiles = ((splitRows ? m : n) + tile - 1) / tile;
  ParallelFor(tiles, threads, [&](int64_t first, int64_t last) {
    const int64_t begin = first * tile, end = std::min(last * tile, splitRows ? m : n);
    if (splitRows) {
      SgemmOneThread(ks, end - begin, n, k, alpha, RowsFrom(a, begin), b, c + begin * ldc, ldc);
    } else {
      SgemmOneThread(ks, m, end - begin, k, alpha, a, ColumnsFrom(b, begin), c + begin, ldc);
    }
  });
}

}  // namespace curio
