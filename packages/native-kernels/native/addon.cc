// Entry point of the curio_native_kernels addon: OpenBLAS-backed kernels that work
// in place on the tfjs wasm backend's heap.
#include <cblas.h>
#include <napi.h>

#include "attention.h"
#include "elementwise.h"
#include "fused.h"
#include "gemm.h"
#include "layout.h"
#include "reduce.h"
#include "segment_sum.h"
#include "softmax.h"

namespace curio {
namespace {

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && info[0].IsNumber()) openblas_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("config", openblas_get_config());
  out.Set("core", openblas_get_corename());
  out.Set("threads", openblas_get_num_threads());
  return out;
}

}  // namespace
}  // namespace curio

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
  exports.Set("blasInfo", Napi::Function::New(env, BlasInfo, "blasInfo"));
  return exports;
}

NODE_API_MODULE(curio_native_kernels, Init)
