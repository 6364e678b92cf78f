#include "layout.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "heap.h"

namespace curio {
namespace {

constexpr int64_t kTile = 32;

// Copies the last two dims of one outer block, tiled so neither side strides through memory badly.
template <typename T>
void CopyPlane(const T* __restrict src, T* __restrict dst, int64_t rows, int64_t cols, int64_t srcRow, int64_t srcCol,
               int64_t dstRow, int64_t dstCol) {
  if (srcCol == 1 && dstCol == 1) {
    for (int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * dstRow, src + r * srcRow, cols * sizeof(T));
    return;
  }
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const int64_t r1 = std::min(rows, r0 + kTile);
    for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
      const int64_t c1 = std::min(cols, c0 + kTile);
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t c = c0; c < c1; ++c) dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol];
      }
    }
  }
}

template <typename T>
void Copy(const T* src, T* dst, int rank, const double* shape, const double* srcStrides, const double* dstStrides) {
  const int64_t cols = static_cast<int64_t>(shape[rank - 1]);
  const int64_t rows = rank >= 2 ? static_cast<int64_t>(shape[rank - 2]) : 1;
  const int64_t srcCol = static_cast<int64_t>(srcStrides[rank - 1]), dstCol = static_cast<int64_t>(dstStrides[rank - 1]);
  const int64_t srcRow = rank >= 2 ? static_cast<int64_t>(srcStrides[rank - 2]) : 0;
  const int64_t dstRow = rank >= 2 ? static_cast<int64_t>(dstStrides[rank - 2]) : 0;
  const int outerRank = std::max(0, rank - 2);
  int64_t planes = 1;
  for (int d = 0; d < outerRank; ++d) planes *= static_cast<int64_t>(shape[d]);
  std::vector<int64_t> index(outerRank, 0);
  int64_t srcPos = 0, dstPos = 0;
  for (int64_t plane = 0; plane < planes; ++plane) {
    CopyPlane(src + srcPos, dst + dstPos, rows, cols, srcRow, srcCol, dstRow, dstCol);
    for (int d = outerRank - 1; d >= 0; --d) {
      srcPos += static_cast<int64_t>(srcStrides[d]);
      dstPos += static_cast<int64_t>(dstStrides[d]);
      if (++index[d] < static_cast<int64_t>(shape[d])) break;
      srcPos -= index[d] * static_cast<int64_t>(srcStrides[d]);
      dstPos -= index[d] * static_cast<int64_t>(dstStrides[d]);
      index[d] = 0;
    }
  }
}

template <typename T>
int64_t GatherRows(const T* x, const int32_t* indices, T* out, int64_t outer, int64_t axisSize, int64_t numIndices,
                   int64_t inner) {
  int64_t bad = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < numIndices; ++i) {
      T* dst = out + (o * numIndices + i) * inner;
      const int32_t index = indices[i];
      if (index < 0 || index >= axisSize) {
        std::fill(dst, dst + inner, T(0));
        ++bad;
        continue;
      }
      std::memcpy(dst, x + (o * axisSize + index) * inner, inner * sizeof(T));
    }
  }
  return bad;
}

double Span(int rank, const double* shape, const double* strides) {
  double span = 1;
  for (int d = 0; d < rank; ++d) span += (shape[d] - 1) * strides[d];
  return span;
}

}  // namespace

Napi::Value StridedCopy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 4, &p)) return env.Undefined();
  const int bytes = static_cast<int>(p[0]);
  const int rank = static_cast<int>(p[3]);
  if ((bytes != 1 && bytes != 4) || rank < 1 || rank > 16 ||
      info[1].As<Napi::Float64Array>().ElementLength() < static_cast<size_t>(4 + 3 * rank)) {
    ThrowError(env, "invalid strided copy parameters");
    return env.Undefined();
  }
  const double* shape = p + 4;
  const double* srcStrides = shape + rank;
  const double* dstStrides = srcStrides + rank;
  for (int d = 0; d < rank; ++d) {
    if (shape[d] == 0) return env.Undefined();
  }
  const double srcSpan = Span(rank, shape, srcStrides), dstSpan = Span(rank, shape, dstStrides);
  if (bytes == 4) {
    const uint32_t* src = HeapSpan<uint32_t>(env, heap, p[1], srcSpan);
    uint32_t* dst = src ? HeapSpan<uint32_t>(env, heap, p[2], dstSpan) : nullptr;
    if (dst) Copy(src, dst, rank, shape, srcStrides, dstStrides);
  } else {
    const uint8_t* src = HeapSpan<uint8_t>(env, heap, p[1], srcSpan);
    uint8_t* dst = src ? HeapSpan<uint8_t>(env, heap, p[2], dstSpan) : nullptr;
    if (dst) Copy(src, dst, rank, shape, srcStrides, dstStrides);
  }
  return env.Undefined();
}

Napi::Value Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Heap heap;
  const double* p = nullptr;
  if (!ReadHeap(info, 0, &heap) || !ReadParams(info, 1, 8, &p)) return env.Undefined();
  const int bytes = static_cast<int>(p[0]);
  const int64_t outer = static_cast<int64_t>(p[4]), axisSize = static_cast<int64_t>(p[5]);
  const int64_t numIndices = static_cast<int64_t>(p[6]), inner = static_cast<int64_t>(p[7]);
  if ((bytes != 1 && bytes != 4) || outer < 0 || axisSize < 0 || numIndices < 0 || inner < 0) {
    ThrowError(env, "invalid gather parameters");
    return env.Undefined();
  }
  const int32_t* indices = HeapSpan<int32_t>(env, heap, p[2], static_cast<double>(numIndices));
  if (!indices) return env.Undefined();
  const double inSize = static_cast<double>(outer * axisSize * inner), outSize = static_cast<double>(outer * numIndices * inner);
  int64_t bad = 0;
  if (bytes == 4) {
    const uint32_t* x = HeapSpan<uint32_t>(env, heap, p[1], inSize);
    uint32_t* out = x ? HeapSpan<uint32_t>(env, heap, p[3], outSize) : nullptr;
    if (!out) return env.Undefined();
    bad = GatherRows(x, indices, out, outer, axisSize, numIndices, inner);
  } else {
    const uint8_t* x = HeapSpan<uint8_t>(env, heap, p[1], inSize);
    uint8_t* out = x ? HeapSpan<uint8_t>(env, heap, p[3], outSize) : nullptr;
    if (!out) return env.Undefined();
    bad = GatherRows(x, indices, out, outer, axisSize, numIndices, inner);
  }
  return Napi::Number::New(env, static_cast<double>(bad));
}

}  // namespace curio
