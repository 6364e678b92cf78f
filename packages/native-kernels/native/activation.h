// Fused activations of tfjs' _FusedMatMul; codes match the wasm backend's FusableActivation enum.
#pragma once
#include <cmath>

namespace curio {

enum Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kPrelu = 3, kLeakyRelu = 4, kSigmoid = 5, kElu = 6 };

inline bool IsKnownActivation(int code) { return code >= kLinear && code <= kElu; }

// `slope` is the leaky-relu alpha or the prelu weight for this element.
inline float Activate(int code, float v, float slope) {
  switch (code) {
    case kRelu:
      return v > 0.f ? v : 0.f;
    case kRelu6:
      return v < 0.f ? 0.f : (v > 6.f ? 6.f : v);
    case kPrelu:
    case kLeakyRelu:
      return v < 0.f ? v * slope : v;
    case kSigmoid:
      return 1.f / (1.f + std::exp(-v));
    case kElu:
      return v >= 0.f ? v : std::expm1(v);
    default:
      return v;
  }
}

}  // namespace curio
