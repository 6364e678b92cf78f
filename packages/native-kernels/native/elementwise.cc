#include "elementwise.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "fast_math.h"
#include "heap.h"

namespace curio {
namespace {

template <typename F>
void Map(const float* __restrict x, float* __restrict out, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

void RunUnary(int op, const float* x, float* out, int64_t n, float alpha) {
  switch (op) {
    case kAbs: return Map(x, out, n, [](float v) { return std::fabs(v); });
    case kNeg: return Map(x, out, n, [](float v) { return -v; });
    case kExp: return Map(x, out, n, [](float v) { return FastExp(v); });
    case kLog: return Map(x, out, n, [](float v) { return std::log(v); });
    case kSqrt: return Map(x, out, n, [](float v) { return std::sqrt(v); });
    case kRsqrt: return Map(x, out, n, [](float v) { return 1.0f / std::sqrt(v); });
    case kSquare: return Map(x, out, n, [](float v) { return v * v; });
    case kReciprocal: return Map(x, out, n, [](float v) { return 1.0f / v; });
    case kRelu: return Map(x, out, n, [](float v) { return v < 0.f ? 0.f : v; });
    case kRelu6: return Map(x, out, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); });
    case kSigmoid: return Map(x, out, n, [](float v) { return FastSigmoid(v); });
    case kTanh: return Map(x, out, n, [](float v) { return FastTanh(v); });
    case kErf: return Map(x, out, n, [](float v) { return FastErf(v); });
    case kSoftplus:  // log(1 + e^x), = x once e^x swamps the 1 in float
      return Map(x, out, n, [](float v) { return v > 15.f ? v : std::log1p(FastExp(v)); });
    case kElu: return Map(x, out, n, [](float v) { return v >= 0.f ? v : FastExp(v) - 1.0f; });
    case kLeakyRelu: return Map(x, out, n, [alpha](float v) { return v >= 0.f ? v : alpha * v; });
    case kStep: return Map(x, out, n, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); });
    case kLog1p: return Map(x, out, n, [](float v) { return std::log1p(v); });
    case kExpm1: return Map(x, out, n, [](float v) { return std::expm1(v); });
    default: return;
  }
}

template <typename F>
void BinaryRow(const float* __restrict a, int64_t sa, const float* __restrict b, int64_t sb, float* __restrict out,
               int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i * sa], b[i * sb]);
  }
}

// Pow with a constant exponent: the common integer / half powers avoid std::pow.
bool PowByConstant(const float* a, int64_t sa, float e, float* out, int64_t n) {
  if (sa != 1) return false;
  if (e == 2.f) Map(a, out, n, [](float v) { return v * v; });
  else if (e == 3.f) Map(a, out, n, [](float v) { return v * v * v; });
  else if (e == 1.f) Map(a, out, n, [](float v) { return v; });
  else if (e == 0.5f) Map(a, out, n, [](float v) { return std::sqrt(v); });
  else if (e == -1.f) Map(a, out, n, [](float v) { return 1.f / v; });
  else if (e == 0.f) Map(a, out, n, [](float) { return 1.f; });
  else return false;
  return true;
}

void RunBinaryRow(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n) {
  switch (op) {
    case kAdd: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x + y; });
    case kSub: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x - y; });
    case kMul: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x * y; });
    case kDiv: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x / y; });
    case kPow:
      if (sb == 0 && PowByConstant(a, sa, b[0], out, n)) return;
      return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return std::pow(x, y); });
    case kMaximum: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x > y || x != x ? x : y; });
    case kMinimum: return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return x < y || x != x ? x : y; });
    case kSquaredDifference:
      return BinaryRow(a, sa, b, sb, out, n, [](float x, float y) { return (x - y) * (x - y); });
    default: return;
  }
}

}  // namespace

Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 5, &p)) return env.Undefined();
  const int op = static_cast<int>(p[0]);
  if (op < 0 || op >= kUnaryOpCount) {
    ThrowError(env, "unknown unary op");
    return env.Undefined();
  }
  const float* x = HeapSpan<float>(env, heap, p[1], p[3]);
  float* out = x ? HeapSpan<float>(env, heap, p[2], p[3]) : nullptr;
  // Single-threaded on purpose: these loops are memory-bound, and a second thread measured
  // slower (thread start-up, shared cores).
  if (out) RunUnary(op, x, out, static_cast<int64_t>(p[3]), static_cast<float>(p[4]));
  return env.Undefined();
}

Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 5, &p)) return env.Undefined();
  const int op = static_cast<int>(p[0]);
  const int rank = static_cast<int>(p[4]);
  if (op < 0 || op >= kBinaryOpCount || rank < 1 || rank > 16 ||
      info[1].As<Napi::Float64Array>().ElementLength() < static_cast<size_t>(5 + 3 * rank)) {
    ThrowError(env, "invalid binary op parameters");
    return env.Undefined();
  }
  const double* shape = p + 5;
  const double* aStrides = shape + rank;
  const double* bStrides = aStrides + rank;
  double size = 1, aSpan = 1, bSpan = 1;
  for (int d = 0; d < rank; ++d) {
    size *= shape[d];
    aSpan += (shape[d] - 1) * aStrides[d];
    bSpan += (shape[d] - 1) * bStrides[d];
  }
  if (size == 0) return env.Undefined();
  const float* a = HeapSpan<float>(env, heap, p[1], aSpan);
  const float* b = a ? HeapSpan<float>(env, heap, p[2], bSpan) : nullptr;
  float* out = b ? HeapSpan<float>(env, heap, p[3], size) : nullptr;
  if (!out) return env.Undefined();

  const int64_t n = static_cast<int64_t>(shape[rank - 1]);
  const int64_t sa = static_cast<int64_t>(aStrides[rank - 1]), sb = static_cast<int64_t>(bStrides[rank - 1]);
  std::vector<int64_t> index(rank, 0);
  int64_t aPos = 0, bPos = 0;
  for (int64_t row = 0, rows = static_cast<int64_t>(size) / n; row < rows; ++row) {
    RunBinaryRow(op, a + aPos, sa, b + bPos, sb, out + row * n, n);
    for (int d = rank - 2; d >= 0; --d) {  // odometer over the outer dims
      aPos += static_cast<int64_t>(aStrides[d]);
      bPos += static_cast<int64_t>(bStrides[d]);
      if (++index[d] < static_cast<int64_t>(shape[d])) break;
      aPos -= index[d] * static_cast<int64_t>(aStrides[d]);
      bPos -= index[d] * static_cast<int64_t>(bStrides[d]);
      index[d] = 0;
    }
  }
  return env.Undefined();
}

}  // namespace curio
