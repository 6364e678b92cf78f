{
  "targets": [
    {
      "target_name": "curio_native_kernels",
      "sources": [
        "native/addon.cc",
        "native/attention.cc",
        "native/elementwise.cc",
        "native/fused.cc",
        "native/gemm.cc",
        "native/layout.cc",
        "native/reduce.cc",
        "native/segment_sum.cc",
        "native/softmax.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!(node scripts/find-openblas.mjs include)"
      ],
      "libraries": ["<!@(node scripts/find-openblas.mjs lib)"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "-march=native", "-fno-math-errno", "-fno-trapping-math", "-std=c++17"]
    }
  ]
}
