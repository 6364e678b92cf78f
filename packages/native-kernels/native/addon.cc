// Entry point of the curio_native_kernels addon: kernels that work in place on the tfjs wasm
// backend's heap, their GEMM OpenBLAS's or the built-in one (sgemm.h).
#include <napi.h>

#include "attention.h"
#include "elementwise.h"
#include "fused.h"
#include "gemm.h"
#include "layout.h"
#include "reduce.h"
#include "segment_sum.h"
#include "sgemm_binding.h"
#include "softmax.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace curio;
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("segmentSum", Napi::Function::New(env, SegmentSum, "segmentSum"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("stridedCopy", Napi::Function::New(env, StridedCopy, "stridedCopy"));
  exports.Set("gather", Napi::Function::New(env, Gather, "gather"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm, "layerNorm"));
  exports.Set("layerNormGrad", Napi::Function::New(env, LayerNormGrad, "layerNormGrad"));
  exports.Set("geluSigmoid", Napi::Function::New(env, GeluSigmoid, "geluSigmoid"));
  exports.Set("geluSigmoidGrad", Napi::Function::New(env, GeluSigmoidGrad, "geluSigmoidGrad"));
  exports.Set("adamw", Napi::Function::New(env, AdamW, "adamw"));
  exports.Set("attention", Napi::Function::New(env, Attention, "attention"));
  exports.Set("attentionGrad", Napi::Function::New(env, AttentionGrad, "attentionGrad"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("useGemm", Napi::Function::New(env, UseGemm, "useGemm"));
  exports.Set("gemmInfo", Napi::Function::New(env, GemmInfo, "gemmInfo"));
  exports.Set("sgemm", Napi::Function::New(env, RawSgemm, "sgemm"));
  return exports;
}

NODE_API_MODULE(curio_native_kernels, Init)
