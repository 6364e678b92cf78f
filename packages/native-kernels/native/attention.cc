#include "attention.h"

#include <cstdint>
#include <vector>

#include "fast_math.h"
#include "heap.h"
#include "row_ops.h"
#include "parallel.h"
#include "sgemm.h"
#include "threads.h"

namespace curio {
namespace {

// Products below this many multiply-adds run on one thread (see gemm.cc); heads that small are
// spread over our threads, larger ones run one after another, each on the GEMM's threads.
constexpr int64_t kSingleThreadProductBelow = 65536 * 4;
struct Geometry {
  int64_t batch = 0, length = 0, heads = 0, headDim = 0;
  int64_t Width() const { return heads * headDim; }
  int64_t Tasks() const { return batch * heads; }
  // Threads over (batch, head) pairs; at 1, one head at a time with each product on ProductThreads().
  int Threads() const {
    const int64_t perHead = length * length * headDim;
    return perHead < kSingleThreadProductBelow ? ThreadsForWork(Tasks() * perHead * 3, kMultiplyAddsPerThread) : 1;
  }
  int ProductThreads() const { return Threads() == 1 ? GemmThreads() : 1; }
};

bool ReadGeometry(Napi::Env env, const double* p, Geometry* g) {
  g->batch = static_cast<int64_t>(p[0]);
  g->length = static_cast<int64_t>(p[1]);
  g->heads = static_cast<int64_t>(p[2]);
  g->headDim = static_cast<int64_t>(p[3]);
  if (g->batch < 0 || g->length < 0 || g->heads <= 0 || g->headDim <= 0) {
    ThrowError(env, "invalid attention geometry");
    return false;
  }
  return true;
}

// Softmax of each row of s [n, n] in place, after adding the per-key mask (or none).
void MaskedSoftmax(float* s, const float* mask, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float* __restrict row = s + i * n;
    if (mask) {
      for (int64_t j = 0; j < n; ++j) row[j] += mask[j];
    }
    const float max = RowMax(row, n);
    float lanes[kRowLanes] = {};
    int64_t j = 0;
    for (; j + kRowLanes <= n; j += kRowLanes) {
      for (int l = 0; l < kRowLanes; ++l) {
        row[j + l] = FastExp(row[j + l] - max);
        lanes[l] += row[j + l];
      }
    }
    float sum = 0.f;
    for (int l = 0; l < kRowLanes; ++l) sum += lanes[l];
    for (; j < n; ++j) {
      row[j] = FastExp(row[j] - max);
      sum += row[j];
    }
    const float inv = 1.0f / sum;
    for (int64_t c = 0; c < n; ++c) row[c] *= inv;
  }
}

}  // namespace

Napi::Value Attention(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 9, &p)) return env.Undefined();
  Geometry g;
  if (!ReadGeometry(env, p + 4, &g)) return env.Undefined();
  const float scale = static_cast<float>(p[8]);
  const int64_t L = g.length, W = g.Width(), dh = g.headDim;
  const float* qkv = HeapSpan<float>(env, heap, p[0], static_cast<double>(g.batch * L * 3 * W));
  const float* mask = nullptr;
  if (qkv && p[1] >= 0) mask = HeapSpan<float>(env, heap, p[1], static_cast<double>(g.batch * L));
  if (!qkv || (p[1] >= 0 && !mask)) return env.Undefined();
  float* out = HeapSpan<float>(env, heap, p[2], static_cast<double>(g.batch * L * W));
  float* probs = out ? HeapSpan<float>(env, heap, p[3], static_cast<double>(g.Tasks() * L * L)) : nullptr;
  if (!probs || L == 0 || g.batch == 0) return env.Undefined();
  const int64_t lq = 3 * W, lo = W, n = L, d = dh;
  const int threads = g.ProductThreads();
  ParallelFor(g.Tasks(), g.Threads(), [&](int64_t first, int64_t last) {
    for (int64_t t = first; t < last; ++t) {
      const int64_t b = t / g.heads, h = t % g.heads;
      const float* q = qkv + b * L * 3 * W + h * dh;
      float* s = probs + t * L * L;
      Sgemm(n, n, d, scale, {q, lq, false}, {q + W, lq, true}, s, n, threads);
      MaskedSoftmax(s, mask ? mask + b * L : nullptr, L);
      Sgemm(n, d, n, 1.f, {s, n, false}, {q + 2 * W, lq, false}, out + b * L * W + h * dh, lo, threads);
    }
  });
  return env.Undefined();
}

Napi::Value AttentionGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 9, &p)) return env.Undefined();
  Geometry g;
  if (!ReadGeometry(env, p + 4, &g)) return env.Undefined();
  const float scale = static_cast<float>(p[8]);
  const int64_t L = g.length, W = g.Width(), dh = g.headDim;
  const float* dOut = HeapSpan<float>(env, heap, p[0], static_cast<double>(g.batch * L * W));
  const float* qkv = dOut ? HeapSpan<float>(env, heap, p[1], static_cast<double>(g.batch * L * 3 * W)) : nullptr;
  const float* probs = qkv ? HeapSpan<float>(env, heap, p[2], static_cast<double>(g.Tasks() * L * L)) : nullptr;
  float* dQkv = probs ? HeapSpan<float>(env, heap, p[3], static_cast<double>(g.batch * L * 3 * W)) : nullptr;
  if (!dQkv || L == 0 || g.batch == 0) return env.Undefined();
  const int64_t lq = 3 * W, lo = W, n = L, d = dh;
  const int threads = g.ProductThreads();
  ParallelFor(g.Tasks(), g.Threads(), [&](int64_t first, int64_t last) {
    std::vector<float> scratch(L * L);
    float* ds = scratch.data();
    for (int64_t t = first; t < last; ++t) {
      const int64_t b = t / g.heads, h = t % g.heads;
      const int64_t rowBase = b * L * 3 * W + h * dh;
      const float* q = qkv + rowBase;
      const float* prob = probs + t * L * L;
      const float* dO = dOut + b * L * W + h * dh;
      float* dq = dQkv + rowBase;
      // dP = dO·Vᵀ; dV = Pᵀ·dO
      Sgemm(n, n, d, 1.f, {dO, lo, false}, {q + 2 * W, lq, true}, ds, n, threads);
      Sgemm(n, d, n, 1.f, {prob, n, true}, {dO, lo, false}, dq + 2 * W, lq, threads);
      // dS = P ⊙ (dP − Σⱼ dP·P), row by row
      for (int64_t i = 0; i < L; ++i) {
        float* __restrict row = ds + i * L;
        const float* __restrict pr = prob + i * L;
        const float dot = RowDot(row, pr, L);
        for (int64_t j = 0; j < L; ++j) row[j] = pr[j] * (row[j] - dot);
      }
      // S = scale·Q·Kᵀ, so dQ = scale·dS·K and dK = scale·dSᵀ·Q
      Sgemm(n, d, n, scale, {ds, n, false}, {q + W, lq, false}, dq, lq, threads);
      Sgemm(n, d, n, scale, {ds, n, true}, {q, lq, false}, dq + W, lq, threads);
    }
  });
  return env.Undefined();
}

}  // namespace curio
