#include "sgemm_binding.h"

#include <cstdint>

#include "heap.h"
#include "sgemm.h"

namespace curio {
namespace {

// The Float32Array argument `index`, when it holds a rows x cols matrix with row stride ld.
float* MatrixArgument(const Napi::CallbackInfo& info, size_t index, int64_t rows, int64_t cols, int64_t ld) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    ThrowError(info.Env(), "sgemm: a, b and c must be Float32Arrays");
    return nullptr;
  }
  Napi::Float32Array array = info[index].As<Napi::Float32Array>();
  const int64_t needed = rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
  if (ld < cols || needed > static_cast<int64_t>(array.ElementLength())) {
    ThrowError(info.Env(), "sgemm: a matrix does not fit its array (or its leading dimension is too small)");
    return nullptr;
  }
  return array.Data();
}

}  // namespace

Napi::Value UseGemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string engine = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  const std::string kernel = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (engine != "builtin" && engine != "openblas") {
    ThrowError(env, "useGemm: engine must be 'builtin' or 'openblas'");
    return env.Undefined();
  }
  const std::string error = SelectGemm(engine == "openblas" ? GemmEngine::kOpenblas : GemmEngine::kBuiltin, kernel);
  if (!error.empty()) ThrowError(env, error.c_str());
  return env.Undefined();
}

Napi::Value GemmInfo(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("engine", ActiveGemm() == GemmEngine::kOpenblas ? "openblas" : "builtin");
  out.Set("kernel", BuiltinKernel().name);
  out.Set("builtWithOpenblas", BuiltWithOpenblas());
  out.Set("openblasConfig", OpenblasConfig());
  out.Set("openblasCore", OpenblasCore());
  out.Set("threads", GemmThreads());
  return out;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && info[0].IsNumber()) SetGemmThreads(info[0].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), GemmThreads());
}

Napi::Value RawSgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double* p = nullptr;
  if (!ReadParams(info, 3, 10, &p)) return env.Undefined();
  const bool transA = p[0] != 0, transB = p[1] != 0;
  const int64_t m = static_cast<int64_t>(p[2]), n = static_cast<int64_t>(p[3]), k = static_cast<int64_t>(p[4]);
  const int64_t lda = static_cast<int64_t>(p[6]), ldb = static_cast<int64_t>(p[7]), ldc = static_cast<int64_t>(p[8]);
  if (m < 0 || n < 0 || k < 0 || lda < 1 || ldb < 1 || ldc < 1 || p[9] < 1) {
    ThrowError(env, "sgemm: invalid sizes");
    return env.Undefined();
  }
  const float* a = MatrixArgument(info, 0, transA ? k : m, transA ? m : k, lda);
  const float* b = a ? MatrixArgument(info, 1, transB ? n : k, transB ? k : n, ldb) : nullptr;
  float* c = b ? MatrixArgument(info, 2, m, n, ldc) : nullptr;
  if (!c) return env.Undefined();
  Sgemm(m, n, k, static_cast<float>(p[5]), {a, lda, transA}, {b, ldb, transB}, c, ldc, static_cast<int>(p[9]));
  return env.Undefined();
}

}  // namespace curio
