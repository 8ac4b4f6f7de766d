{
  "targets": [
    {
      "target_name": "reclab_linalg",
      "sources": ["gemm-nt.c"],
      # No -march: gemm-nt.c compiles AVX-512 and AVX2 variants under #pragma GCC target and picks
      # one at load time, so the binary runs on any x86-64 (or any other CPU, baseline only).
      "cflags_c": ["-std=gnu11", "-O3", "-ffp-contract=fast", "-fno-math-errno"],
      "xcode_settings": { "OTHER_CFLAGS": ["-std=gnu11", "-O3", "-ffp-contract=fast"] }
    }
  ]
}
