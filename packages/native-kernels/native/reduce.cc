#include "reduce.h"

#include <cstdint>
#include <limits>

#include "heap.h"

namespace curio {
namespace {

// Apply() is branch-free so loops vectorize; NaN is tracked apart (IsNaN) and wins at the end.
struct SumOp {
  static constexpr bool kTracksNaN = false;
  static float Init() { return 0.f; }
  static float Apply(float acc, float v) { return acc + v; }
};
struct ProdOp {
  static constexpr bool kTracksNaN = false;
  static float Init() { return 1.f; }
  static float Apply(float acc, float v) { return acc * v; }
};
struct MaxOp {
  static constexpr bool kTracksNaN = true;
  static float Init() { return -std::numeric_limits<float>::infinity(); }
  static float Apply(float acc, float v) { return v > acc ? v : acc; }
};
struct MinOp {
  static constexpr bool kTracksNaN = true;
  static float Init() { return std::numeric_limits<float>::infinity(); }
  static float Apply(float acc, float v) { return v < acc ? v : acc; }
};

// One contiguous row: 16 independent lanes so the loop vectorizes without -ffast-math.
template <typename Op>
float ReduceRow(const float* __restrict x, int64_t n) {
  constexpr int kLanes = 16;
  float lanes[kLanes];
  int32_t nan[kLanes] = {};
  for (int l = 0; l < kLanes; ++l) lanes[l] = Op::Init();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      lanes[l] = Op::Apply(lanes[l], x[i + l]);
      if (Op::kTracksNaN) nan[l] |= x[i + l] != x[i + l];
    }
  }
  float acc = Op::Init();
  bool anyNaN = false;
  for (int l = 0; l < kLanes; ++l) {
    acc = Op::Apply(acc, lanes[l]);
    anyNaN |= nan[l] != 0;
  }
  for (; i < n; ++i) {
    acc = Op::Apply(acc, x[i]);
    anyNaN |= x[i] != x[i];
  }
  return Op::kTracksNaN && anyNaN ? std::numeric_limits<float>::quiet_NaN() : acc;
}

template <typename Op>
void ReduceBlock(const float* x, float* out, int64_t outer, int64_t reduce, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    const float* block = x + o * reduce * inner;
    float* __restrict dst = out + o * inner;
    if (inner == 1) {
      dst[0] = ReduceRow<Op>(block, reduce);
      continue;
    }
    for (int64_t j = 0; j < inner; ++j) dst[j] = Op::Init();
    for (int64_t r = 0; r < reduce; ++r) {
      const float* __restrict row = block + r * inner;
      for (int64_t j = 0; j < inner; ++j) dst[j] = Op::Apply(dst[j], row[j]);
    }
    if (!Op::kTracksNaN) continue;
    for (int64_t r = 0; r < reduce; ++r) {  // NaN anywhere in a column makes the result NaN
      const float* row = block + r * inner;
      for (int64_t j = 0; j < inner; ++j) dst[j] = row[j] != row[j] ? row[j] : dst[j];
    }
  }
}

}  // namespace

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 6, &p)) return env.Undefined();
  const int op = static_cast<int>(p[0]);
  const int64_t outer = static_cast<int64_t>(p[3]), reduce = static_cast<int64_t>(p[4]), inner = static_cast<int64_t>(p[5]);
  if (op < 0 || op >= kReduceOpCount || outer < 0 || reduce < 0 || inner < 0) {
    ThrowError(env, "invalid reduce parameters");
    return env.Undefined();
  }
  const float* x = HeapSpan<float>(env, heap, p[1], static_cast<double>(outer * reduce * inner));
  float* out = x ? HeapSpan<float>(env, heap, p[2], static_cast<double>(outer * inner)) : nullptr;
  if (!out) return env.Undefined();
  switch (op) {
    case kSum: ReduceBlock<SumOp>(x, out, outer, reduce, inner); break;
    case kMean: {
      ReduceBlock<SumOp>(x, out, outer, reduce, inner);
      const float scale = 1.0f / static_cast<float>(reduce);
      for (int64_t i = 0; i < outer * inner; ++i) out[i] *= scale;
      break;
    }
    case kMax: ReduceBlock<MaxOp>(x, out, outer, reduce, inner); break;
    case kMin: ReduceBlock<MinOp>(x, out, outer, reduce, inner); break;
    case kProd: ReduceBlock<ProdOp>(x, out, outer, reduce, inner); break;
  }
  return env.Undefined();
}

}  // namespace curio
