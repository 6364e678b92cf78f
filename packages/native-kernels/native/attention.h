// Multi-head scaled dot-product attention straight on the fused qkv projection, forward and
// backward: no head split/merge transposes, no separate softmax or softmax-gradient passes.
// Layout: qkv [B·L, 3·H·dh] with q, k, v in column blocks of H·dh (head h at h·dh within each);
// out and dOut [B·L, H·dh] (heads merged); probs [B·H, L, L]; mask [B, L] additive, per key.
// Work is spread over (batch, head) pairs, each a few small cblas_sgemm calls on strided views.
#pragma once
#include <napi.h>

namespace curio {

// attention(heap, [qkvOffset, maskOffset (-1: none), outOffset, probsOffset, batch, length, heads, headDim, scale])
// S = scale·Q·Kᵀ + mask; P = softmax(S) (kept for the backward); out = P·V.
Napi::Value Attention(const Napi::CallbackInfo& info);

// attentionGrad(heap, [dOutOffset, qkvOffset, probsOffset, dQkvOffset, batch, length, heads, headDim, scale])
// dV = Pᵀ·dO; dS = P ⊙ (dO·Vᵀ − rowsum(P ⊙ dO·Vᵀ)); dQ = scale·dS·K; dK = scale·dSᵀ·Q.
Napi::Value AttentionGrad(const Napi::CallbackInfo& info);

}  // namespace curio
