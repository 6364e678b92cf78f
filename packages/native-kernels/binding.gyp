{
  "variables": {
    "openblas_include": "<!(node scripts/find-openblas.mjs include)",
    "march": "<!(node -p \"process.env.CURIO_NATIVE_MARCH || 'native'\")"
  },
  "targets": [
    {
      "target_name": "curio_native_kernels",
      "sources": [
        "native/addon.cc",
        "native/attention.cc",
        "native/builtin_gemm.cc",
        "native/elementwise.cc",
        "native/fused.cc",
        "native/gemm.cc",
        "native/layout.cc",
        "native/micro_kernels.cc",
        "native/reduce.cc",
        "native/segment_sum.cc",
        "native/sgemm.cc",
        "native/sgemm_binding.cc",
        "native/softmax.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "conditions": [
        [
          "openblas_include!=''",
          {
            "include_dirs": ["<(openblas_include)"],
            "libraries": ["<!@(node scripts/find-openblas.mjs lib)"],
            "defines": ["CURIO_WITH_OPENBLAS"]
          }
        ]
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "-march=<(march)", "-fno-math-errno", "-fno-trapping-math", "-std=c++17"]
    }
  ]
}
