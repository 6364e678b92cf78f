#include "gemm.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "activation.h"
#include "heap.h"
#include "parallel.h"
#include "sgemm.h"
#include "threads.h"

namespace curio {
namespace {

// OpenBLAS's interface/gemm.c goes single-threaded below SMP_THRESHOLD_MIN (65536) x
// GEMM_MULTITHREAD_THRESHOLD (4) multiply-adds; below that, both GEMMs run a product on one thread.
constexpr int64_t kSingleThreadProductBelow = 65536 * 4;

struct Broadcast {  // a per-element operand of the epilogue (bias or prelu weights)
  const float* data = nullptr;
  int64_t strideBatch = 0, strideRow = 0, strideCol = 0;
};

// Per-batch element offsets of one operand: explicit (Int32Array) or batch * stride.
struct BatchOffsets {
  const int32_t* explicitOffsets = nullptr;
  int64_t stride = 0;
  int64_t At(int64_t b) const { return explicitOffsets ? explicitOffsets[b] : b * stride; }
  int64_t Max(int64_t batch) const {
    if (!explicitOffsets) return batch > 0 ? (batch - 1) * stride : 0;
    int64_t best = 0;
    for (int64_t b = 0; b < batch; ++b) best = std::max<int64_t>(best, explicitOffsets[b]);
    return best;
  }
};

bool ReadBatchOffsets(const Napi::CallbackInfo& info, size_t index, int64_t batch, double stride, BatchOffsets* out) {
  out->stride = static_cast<int64_t>(stride);
  if (info.Length() <= index || info[index].IsUndefined() || info[index].IsNull()) return true;
  if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      static_cast<int64_t>(info[index].As<Napi::Int32Array>().ElementLength()) != batch) {
    ThrowError(info.Env(), "batch offsets must be an Int32Array with one entry per output batch");
    return false;
  }
  out->explicitOffsets = info[index].As<Napi::Int32Array>().Data();
  for (int64_t b = 0; b < batch; ++b) {
    if (out->explicitOffsets[b] < 0) {
      ThrowError(info.Env(), "negative batch offset");
      return false;
    }
  }
  return true;
}

bool ReadBroadcast(Napi::Env env, const Heap& heap, const double* p, int first, int64_t batch, int64_t m, int64_t n,
                   Broadcast* out) {
  if (p[first] < 0) return true;
  out->strideBatch = static_cast<int64_t>(p[first + 1]);
  out->strideRow = static_cast<int64_t>(p[first + 2]);
  out->strideCol = static_cast<int64_t>(p[first + 3]);
  const double span = (batch - 1) * out->strideBatch + (m - 1) * out->strideRow + (n - 1) * out->strideCol + 1;
  out->data = HeapSpan<float>(env, heap, p[first], span);
  return out->data != nullptr;
}

void ApplyEpilogue(float* c, int64_t b, int64_t m, int64_t n, const Broadcast& bias, const Broadcast& prelu,
                   int activation, float leakyAlpha) {
  if (!bias.data && activation == kLinear) return;
  for (int64_t i = 0; i < m; ++i) {
    float* row = c + i * n;
    const float* biasRow = bias.data ? bias.data + b * bias.strideBatch + i * bias.strideRow : nullptr;
    const float* preluRow = prelu.data ? prelu.data + b * prelu.strideBatch + i * prelu.strideRow : nullptr;
    if (biasRow) {
      for (int64_t j = 0; j < n; ++j) row[j] += biasRow[j * bias.strideCol];
    }
    if (activation == kLinear) continue;
    for (int64_t j = 0; j < n; ++j) {
      const float slope = preluRow ? preluRow[j * prelu.strideCol] : leakyAlpha;
      row[j] = Activate(activation, row[j], slope);
    }
  }
}

}  // namespace

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, kGemmParamCount, &p)) return env.Undefined();

  const int64_t batch = static_cast<int64_t>(p[kBatch]);
  const int64_t m = static_cast<int64_t>(p[kM]), n = static_cast<int64_t>(p[kN]), k = static_cast<int64_t>(p[kK]);
  const bool transA = p[kTransA] != 0, transB = p[kTransB] != 0;
  const int activation = static_cast<int>(p[kActivation]);
  if (batch < 0 || m < 0 || n < 0 || k < 0 || !IsKnownActivation(activation)) {
    ThrowError(env, "invalid gemm parameters");
    return env.Undefined();
  }
  if (batch == 0 || m == 0 || n == 0) return env.Undefined();

  BatchOffsets aOffsets, bOffsets;
  if (!ReadBatchOffsets(info, 2, batch, p[kAStride], &aOffsets) ||
      !ReadBatchOffsets(info, 3, batch, p[kBStride], &bOffsets)) {
    return env.Undefined();
  }
  const float* a = HeapSpan<float>(env, heap, p[kAOffset], static_cast<double>(aOffsets.Max(batch) + m * k));
  const float* bm = a ? HeapSpan<float>(env, heap, p[kBOffset], static_cast<double>(bOffsets.Max(batch) + k * n)) : nullptr;
  float* c = bm ? HeapSpan<float>(env, heap, p[kCOffset], static_cast<double>(batch * m * n)) : nullptr;
  if (!c) return env.Undefined();
  Broadcast bias, prelu;
  if (!ReadBroadcast(env, heap, p, kBiasOffset, batch, m, n, &bias) ||
      !ReadBroadcast(env, heap, p, kPreluOffset, batch, m, n, &prelu)) {
    return env.Undefined();
  }

  const GemmOperand aBase{a, transA ? m : k, transA}, bBase{bm, transB ? k : n, transB};
  const float leakyAlpha = static_cast<float>(p[kLeakyAlpha]);
  auto run = [&](int64_t first, int64_t last, int threads) {
    for (int64_t b = first; b < last; ++b) {
      float* cb = c + b * m * n;
      GemmOperand ab = aBase, bb = bBase;
      ab.data += aOffsets.At(b);
      bb.data += bOffsets.At(b);
      Sgemm(m, n, k, 1.f, ab, bb, cb, n, threads);
      ApplyEpilogue(cb, b, m, n, bias, prelu, activation, leakyAlpha);
    }
  };
  const int64_t work = batch * m * n * k;
  if (m * n * k < kSingleThreadProductBelow) {
    // Products this small run on one thread each, so spread the batch over threads instead.
    ParallelFor(batch, ThreadsForWork(work, kMultiplyAddsPerThread),
                [&](int64_t first, int64_t last) { run(first, last, 1); });
  } else if (work < kMultiplyAddsPerThread) {
    // Above OpenBLAS's threshold but still well under a millisecond of work: waking its idle
    // threads costs more than that on a loaded machine (measured 1-7 ms for 128x128x128).
    SingleThreadedGemm oneThread;
    run(0, batch, 1);
  } else {
    run(0, batch, GemmThreads());
  }
  return env.Undefined();
}

}  // namespace curio
