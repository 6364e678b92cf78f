// Access to the tfjs wasm backend's heap (a WebAssembly.Memory ArrayBuffer) from C++.
// Offsets are byte offsets into that buffer; every range is bounds-checked so a
// wrong offset raises a JS error instead of corrupting memory.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace curio {

struct Heap {
  uint8_t* base = nullptr;
  size_t size = 0;
};

inline void ThrowError(Napi::Env env, const char* message) {
  Napi::Error::New(env, message).ThrowAsJavaScriptException();
}

// Reads argument `index` as the heap ArrayBuffer. Throws (returns false) otherwise.
inline bool ReadHeap(const Napi::CallbackInfo& info, size_t index, Heap* heap) {
  if (info.Length() <= index || !info[index].IsArrayBuffer()) {
    ThrowError(info.Env(), "expected the wasm heap ArrayBuffer");
    return false;
  }
  Napi::ArrayBuffer buffer = info[index].As<Napi::ArrayBuffer>();
  heap->base = static_cast<uint8_t*>(buffer.Data());
  heap->size = buffer.ByteLength();
  return true;
}

// Reads argument `index` as a Float64Array of numeric parameters.
inline bool ReadParams(const Napi::CallbackInfo& info, size_t index, size_t minLength, const double** params) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      info[index].As<Napi::Float64Array>().ElementLength() < minLength) {
    ThrowError(info.Env(), "expected a Float64Array of kernel parameters");
    return false;
  }
  *params = info[index].As<Napi::Float64Array>().Data();
  return true;
}

// Returns a typed pointer to `count` elements at `byteOffset`, or nullptr (and throws) when out of range.
template <typename T>
T* HeapSpan(Napi::Env env, const Heap& heap, double byteOffset, double count) {
  if (byteOffset < 0 || count < 0 || byteOffset + count * sizeof(T) > static_cast<double>(heap.size) ||
      static_cast<uint64_t>(byteOffset) % alignof(T) != 0) {
    ThrowError(env, "tensor range outside the wasm heap (or misaligned)");
    return nullptr;
  }
  return reinterpret_cast<T*>(heap.base + static_cast<size_t>(byteOffset));
}

}  // namespace curio
