// Softmax over the last dim of x[rows, cols] on the wasm heap.
#pragma once
#include <napi.h>

namespace curio {

// softmax(heap, params: [xOffset, outOffset, rows, cols])
Napi::Value Softmax(const Napi::CallbackInfo& info);

}  // namespace curio
