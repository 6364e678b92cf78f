// The GEMM engine as seen from JS: which GEMM runs (useGemm, gemmInfo), its threads
// (setThreads), and the raw product on typed arrays (sgemm: tests and benchmarks).
#pragma once
#include <napi.h>

namespace curio {

// useGemm(engine: 'builtin' | 'openblas', kernel?: 'avx512' | 'avx2' | 'portable' (default: the best
// this CPU runs)); throws on a choice this build or CPU lacks.
Napi::Value UseGemm(const Napi::CallbackInfo& info);
// gemmInfo(): { engine, kernel, builtWithOpenblas, openblasConfig, openblasCore, threads }
Napi::Value GemmInfo(const Napi::CallbackInfo& info);
// setThreads(threads?): sets the GEMM threads when given; returns the current count.
Napi::Value SetThreads(const Napi::CallbackInfo& info);
// sgemm(a, b, c: Float32Array, params: Float64Array [transA, transB, m, n, k, alpha, lda, ldb, ldc, threads])
Napi::Value RawSgemm(const Napi::CallbackInfo& info);

}  // namespace curio
