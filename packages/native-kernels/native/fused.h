// Fused kernels for the trainer's hottest elementwise chains: layer norm (forward and
// backward), GELU by the sigmoid approximation x·σ(kx) (forward and backward) and the AdamW
// update. One pass over memory instead of 3-14 tfjs kernels each.
#pragma once
#include <napi.h>

namespace curio {

// layerNorm(heap, [xOffset, gammaOffset, betaOffset, yOffset, xhatOffset, rstdOffset, rows, cols, eps])
// xhat = (x - mean)·rstd, rstd = 1/sqrt(var + eps) per row, y = xhat·gamma + beta.
Napi::Value LayerNorm(const Napi::CallbackInfo& info);

// layerNormGrad(heap, [dyOffset, xhatOffset, rstdOffset, gammaOffset, dxOffset, dgammaOffset, dbetaOffset, rows, cols])
// dxhat = dy·gamma; dx = (dxhat - mean(dxhat) - xhat·mean(dxhat·xhat))·rstd;
// dgamma = Σrows dy·xhat; dbeta = Σrows dy.
Napi::Value LayerNormGrad(const Napi::CallbackInfo& info);

// geluSigmoid(heap, [xOffset, yOffset, size, k]): y = x·σ(kx).
Napi::Value GeluSigmoid(const Napi::CallbackInfo& info);

// geluSigmoidGrad(heap, [dyOffset, xOffset, dxOffset, size, k]): dx = dy·σ(kx)·(1 + kx·(1 − σ(kx))).
Napi::Value GeluSigmoidGrad(const Napi::CallbackInfo& info);

// adamw(heap, [pOffset, gOffset, mOffset, vOffset, pOutOffset, mOutOffset, vOutOffset, size,
//              b1, c1, b2, c2, invSqrtBc2, eps, stepSize, keep])
// m' = b1·m + c1·g; v' = b2·v + c2·g²; p' = keep·p − stepSize·m' / (sqrt(v')·invSqrtBc2 + eps).
Napi::Value AdamW(const Napi::CallbackInfo& info);

}  // namespace curio
