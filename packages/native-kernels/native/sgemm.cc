#include "sgemm.h"

#include <algorithm>
#include <thread>

#ifdef CURIO_WITH_OPENBLAS
#include <cblas.h>
#endif

namespace curio {
namespace {

#ifdef CURIO_WITH_OPENBLAS
GemmEngine g_engine = GemmEngine::kOpenblas;
#else
GemmEngine g_engine = GemmEngine::kBuiltin;
#endif
int g_builtinThreads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

}  // namespace

bool BuiltWithOpenblas() {
#ifdef CURIO_WITH_OPENBLAS
  return true;
#else
  return false;
#endif
}

GemmEngine ActiveGemm() { return g_engine; }

std::string SelectGemm(GemmEngine engine, const std::string& isa) {
  if (engine == GemmEngine::kOpenblas && !BuiltWithOpenblas()) {
    return "CURIO_GEMM=openblas, but this addon was built without OpenBLAS (apt-get install libopenblas-dev, "
           "then npm run build -w @curio/native-kernels)";
  }
  if (isa.empty()) {
    UseBestBuiltinKernel();
  } else {
    if (isa != "avx512" && isa != "avx2" && isa != "portable") {
      return "unknown GEMM kernel \"" + isa + "\" (expected avx512, avx2 or portable)";
    }
    const GemmIsa wanted = isa == "avx512" ? GemmIsa::kAvx512 : isa == "avx2" ? GemmIsa::kAvx2Fma : GemmIsa::kPortable;
    if (!SetBuiltinIsa(wanted)) return "this CPU (or build) cannot run the " + isa + " GEMM kernel";
  }
  g_engine = engine;
  return "";
}

void Sgemm(int64_t m, int64_t n, int64_t k, float alpha, GemmOperand a, GemmOperand b, float* c, int64_t ldc,
           int threads) {
#ifdef CURIO_WITH_OPENBLAS
  if (g_engine == GemmEngine::kOpenblas) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {  // OpenBLAS leaves C alone when k is 0
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.f);
      return;
    }
    cblas_sgemm(CblasRowMajor, a.trans ? CblasTrans : CblasNoTrans, b.trans ? CblasTrans : CblasNoTrans,
                static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a.data, static_cast<int>(a.ld),
                b.data, static_cast<int>(b.ld), 0.f, c, static_cast<int>(ldc));
    return;
  }
#endif
  BuiltinSgemm(m, n, k, alpha, a, b, c, ldc, threads);
}

int GemmThreads() {
#ifdef CURIO_WITH_OPENBLAS
  if (g_engine == GemmEngine::kOpenblas) return std::max(1, openblas_get_num_threads());
#endif
  return g_builtinThreads;
}

void SetGemmThreads(int threads) {
  threads = std::max(1, threads);
  g_builtinThreads = threads;
#ifdef CURIO_WITH_OPENBLAS
  openblas_set_num_threads(threads);
#endif
}

std::string OpenblasConfig() {
#ifdef CURIO_WITH_OPENBLAS
  return openblas_get_config();
#else
  return "";
#endif
}

std::string OpenblasCore() {
#ifdef CURIO_WITH_OPENBLAS
  return openblas_get_corename();
#else
  return "";
#endif
}

SingleThreadedGemm::SingleThreadedGemm() {
#ifdef CURIO_WITH_OPENBLAS
  if (g_engine != GemmEngine::kOpenblas) return;
  saved_ = openblas_get_num_threads();
  if (saved_ > 1) openblas_set_num_threads(1);
#endif
}

SingleThreadedGemm::~SingleThreadedGemm() {
#ifdef CURIO_WITH_OPENBLAS
  if (saved_ > 1) openblas_set_num_threads(saved_);
#endif
}

}  // namespace curio
