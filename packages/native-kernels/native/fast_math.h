// Branch-free float approximations (Cephes-style, ~1 ulp for exp) that GCC vectorizes
// inside loops, unlike libm calls. Used by the elementwise and softmax kernels.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace curio {

inline float BitsToFloat(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// e^x, clamped to the normal float range (e^-87.3 ≈ 1e-38 stands in for 0).
inline float FastExp(float x) {
  x = x < -87.3f ? -87.3f : (x > 88.3f ? 88.3f : x);
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * BitsToFloat((static_cast<int32_t>(n) + 127) << 23);
}

// tanh: odd polynomial near 0 (Cephes tanhf), 1 - 2/(e^{2|x|}+1) elsewhere.
inline float FastTanh(float x) {
  const float ax = std::fabs(x);
  const float s = x * x;
  const float small = ((((-5.70498872745e-3f * s + 2.06390887954e-2f) * s - 5.37397155531e-2f) * s +
                        1.33314422036e-1f) * s - 3.33332819422e-1f) * s * x + x;
  const float large = 1.0f - 2.0f / (FastExp(2.0f * ax) + 1.0f);
  return ax < 0.625f ? small : std::copysign(large, x);
}

inline float FastSigmoid(float x) { return 1.0f / (1.0f + FastExp(-x)); }

// erf: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the formula tfjs' cpu backend uses.
inline float FastErf(float x) {
  const float ax = std::fabs(x);
  const float t = 1.0f / (1.0f + 0.3275911f * ax);
  const float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  return std::copysign(1.0f - poly * FastExp(-ax * ax), x);
}

}  // namespace curio
