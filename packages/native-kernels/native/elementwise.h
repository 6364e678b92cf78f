// Elementwise float32 kernels on the wasm heap: unary maps and broadcasting binary ops.
#pragma once
#include <napi.h>

namespace curio {

// Codes mirrored in src/native/op-codes.ts.
enum UnaryOp {
  kAbs, kNeg, kExp, kLog, kSqrt, kRsqrt, kSquare, kReciprocal, kRelu, kRelu6, kSigmoid, kTanh,
  kErf, kSoftplus, kElu, kLeakyRelu, kStep, kLog1p, kExpm1, kUnaryOpCount
};
enum BinaryOp { kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kSquaredDifference, kBinaryOpCount };

// unary(heap, params: [op, xOffset, outOffset, size, alpha])
Napi::Value Unary(const Napi::CallbackInfo& info);

// binary(heap, params: [op, aOffset, bOffset, outOffset, rank, shape[rank], aStrides[rank], bStrides[rank]])
// Strides in elements, 0 on broadcast dims; the last dim should be the longest contiguous run.
Napi::Value Binary(const Napi::CallbackInfo& info);

}  // namespace curio
