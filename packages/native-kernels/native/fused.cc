#include "fused.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "fast_math.h"
#include "heap.h"
#include "row_ops.h"

namespace curio {
namespace {

float RowSquaredDeviation(const float* __restrict x, float mean, int64_t n) {
  float lanes[kRowLanes] = {};
  int64_t i = 0;
  for (; i + kRowLanes <= n; i += kRowLanes) {
    for (int l = 0; l < kRowLanes; ++l) lanes[l] += (x[i + l] - mean) * (x[i + l] - mean);
  }
  float sum = 0.f;
  for (int l = 0; l < kRowLanes; ++l) sum += lanes[l];
  for (; i < n; ++i) sum += (x[i] - mean) * (x[i] - mean);
  return sum;
}

}  // namespace

Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 9, &p)) return env.Undefined();
  const int64_t rows = static_cast<int64_t>(p[6]), cols = static_cast<int64_t>(p[7]);
  const float eps = static_cast<float>(p[8]);
  const double size = static_cast<double>(rows * cols);
  const float* x = HeapSpan<float>(env, heap, p[0], size);
  const float* gamma = x ? HeapSpan<float>(env, heap, p[1], cols) : nullptr;
  const float* beta = gamma ? HeapSpan<float>(env, heap, p[2], cols) : nullptr;
  float* y = beta ? HeapSpan<float>(env, heap, p[3], size) : nullptr;
  float* xhat = y ? HeapSpan<float>(env, heap, p[4], size) : nullptr;
  float* rstd = xhat ? HeapSpan<float>(env, heap, p[5], rows) : nullptr;
  if (!rstd || cols == 0) return env.Undefined();
  const float invCols = 1.0f / static_cast<float>(cols);
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict row = x + r * cols;
    float* __restrict yr = y + r * cols;
    float* __restrict hr = xhat + r * cols;
    const float mean = RowSum(row, cols) * invCols;
    const float rs = 1.0f / std::sqrt(RowSquaredDeviation(row, mean, cols) * invCols + eps);
    rstd[r] = rs;
    for (int64_t c = 0; c < cols; ++c) {
      const float h = (row[c] - mean) * rs;
      hr[c] = h;
      yr[c] = h * gamma[c] + beta[c];
    }
  }
  return env.Undefined();
}

Napi::Value LayerNormGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 9, &p)) return env.Undefined();
  const int64_t rows = static_cast<int64_t>(p[7]), cols = static_cast<int64_t>(p[8]);
  const double size = static_cast<double>(rows * cols);
  const float* dy = HeapSpan<float>(env, heap, p[0], size);
  const float* xhat = dy ? HeapSpan<float>(env, heap, p[1], size) : nullptr;
  const float* rstd = xhat ? HeapSpan<float>(env, heap, p[2], rows) : nullptr;
  const float* gamma = rstd ? HeapSpan<float>(env, heap, p[3], cols) : nullptr;
  float* dx = gamma ? HeapSpan<float>(env, heap, p[4], size) : nullptr;
  float* dgamma = dx ? HeapSpan<float>(env, heap, p[5], cols) : nullptr;
  float* dbeta = dgamma ? HeapSpan<float>(env, heap, p[6], cols) : nullptr;
  if (!dbeta || cols == 0) return env.Undefined();
  std::vector<float> dxhat(cols);
  std::fill(dgamma, dgamma + cols, 0.f);
  std::fill(dbeta, dbeta + cols, 0.f);
  const float invCols = 1.0f / static_cast<float>(cols);
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict dyr = dy + r * cols;
    const float* __restrict hr = xhat + r * cols;
    float* __restrict dxr = dx + r * cols;
    float* __restrict d = dxhat.data();
    for (int64_t c = 0; c < cols; ++c) {
      d[c] = dyr[c] * gamma[c];
      dgamma[c] += dyr[c] * hr[c];
      dbeta[c] += dyr[c];
    }
    const float meanD = RowSum(d, cols) * invCols;
    const float meanDX = RowDot(d, hr, cols) * invCols;
    const float rs = rstd[r];
    for (int64_t c = 0; c < cols; ++c) dxr[c] = (d[c] - meanD - hr[c] * meanDX) * rs;
  }
  return env.Undefined();
}

Napi::Value GeluSigmoid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 4, &p)) return env.Undefined();
  const float* x = HeapSpan<float>(env, heap, p[0], p[2]);
  float* y = x ? HeapSpan<float>(env, heap, p[1], p[2]) : nullptr;
  if (!y) return env.Undefined();
  const int64_t n = static_cast<int64_t>(p[2]);
  const float k = static_cast<float>(p[3]);
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] * FastSigmoid(k * x[i]);
  return env.Undefined();
}

Napi::Value GeluSigmoidGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 5, &p)) return env.Undefined();
  const float* dy = HeapSpan<float>(env, heap, p[0], p[3]);
  const float* x = dy ? HeapSpan<float>(env, heap, p[1], p[3]) : nullptr;
  float* dx = x ? HeapSpan<float>(env, heap, p[2], p[3]) : nullptr;
  if (!dx) return env.Undefined();
  const int64_t n = static_cast<int64_t>(p[3]);
  const float k = static_cast<float>(p[4]);
  for (int64_t i = 0; i < n; ++i) {
    const float s = FastSigmoid(k * x[i]);
    dx[i] = dy[i] * s * (1.0f + k * x[i] * (1.0f - s));
  }
  return env.Undefined();
}

Napi::Value AdamW(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 16, &p)) return env.Undefined();
  const double n = p[7];
  const float* param = HeapSpan<float>(env, heap, p[0], n);
  const float* g = param ? HeapSpan<float>(env, heap, p[1], n) : nullptr;
  const float* m = g ? HeapSpan<float>(env, heap, p[2], n) : nullptr;
  const float* v = m ? HeapSpan<float>(env, heap, p[3], n) : nullptr;
  float* pOut = v ? HeapSpan<float>(env, heap, p[4], n) : nullptr;
  float* mOut = pOut ? HeapSpan<float>(env, heap, p[5], n) : nullptr;
  float* vOut = mOut ? HeapSpan<float>(env, heap, p[6], n) : nullptr;
  if (!vOut) return env.Undefined();
  const float b1 = static_cast<float>(p[8]), c1 = static_cast<float>(p[9]);
  const float b2 = static_cast<float>(p[10]), c2 = static_cast<float>(p[11]);
  const float invSqrtBc2 = static_cast<float>(p[12]), eps = static_cast<float>(p[13]);
  const float stepSize = static_cast<float>(p[14]), keep = static_cast<float>(p[15]);
  for (int64_t i = 0, count = static_cast<int64_t>(n); i < count; ++i) {
    const float mi = m[i] * b1 + g[i] * c1;
    const float vi = v[i] * b2 + g[i] * g[i] * c2;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = param[i] * keep - mi / (std::sqrt(vi) * invSqrtBc2 + eps) * stepSize;
  }
  return env.Undefined();
}

}  // namespace curio
