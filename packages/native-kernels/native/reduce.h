// Reductions (sum, mean, max, min, prod) over one contiguous block of axes, viewed as
// x[outer, reduce, inner] -> out[outer, inner]; the TS side collapses the axes.
#pragma once
#include <napi.h>

namespace curio {

enum ReduceOp { kSum, kMean, kMax, kMin, kProd, kReduceOpCount };

// reduce(heap, params: [op, xOffset, outOffset, outer, reduce, inner])
Napi::Value Reduce(const Napi::CallbackInfo& info);

}  // namespace curio
