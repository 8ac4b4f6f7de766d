/*
 * reclab_linalg: a native gemm_nt_f32 / gemm_nt_f64 with exactly the arguments and semantics of
 * the WebAssembly kernel (scripts/gen-linalg-wasm.mjs), for lib/models/linalg/native-kernel.ts:
 *
 *   gemm_nt_f32(view, c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower)
 *
 * `view` is any typed array over the workspace's (shared) WebAssembly memory; c, a and b are byte
 * offsets into its buffer, ldc/lda/ldb element strides. For r < rows, q < cols:
 * d = Σ_t A[r][t]·B[q][t], then mode 0: C += d, 1: C −= d, 2: C = −d, 3: C = d, only where
 * q ≤ r + lower when lower ≥ 0.
 *
 * It also exports matmul_f32, TensorFlow.js's BatchMatMul on the wasm heap (either operand
 * transposed, batched, broadcast), for lib/training/native-matmul.ts: matmul-body.h; and the
 * training and evaluation loops (train-kernels.h, neumf-kernels.h, eval-kernels.h, als-kernels.h,
 * conv-kernels.h; their argument handling: kernel-args.h).
 *
 * The instruction set is picked once at load time (AVX-512F, else AVX2+FMA, else baseline), so one
 * build runs on any x86-64; RECLAB_LINALG_ISA=avx2|baseline caps it (for measurements). The
 * module is context-aware (NAPI_MODULE_INIT), as worker threads load it too; each thread (each
 * Node environment) owns its packing scratch.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct gemm_args {
  char *c;
  const char *a, *b;
  long ldc, lda, ldb, rows, cols, k, lower;
  int mode;
};

/* matmul_f32 (matmul-body.h): element strides of A (row, t), B (column, t) and the batch. */
struct mm_args {
  float *c;
  const float *a, *b;
  long batch, rows, cols, k, ars, ats, bqs, bts, sa, sb, sc;
};

/* k-block and columns of B packed at once (a multiple of every NR): 512 KiB of packed B, within L2. */
#define MM_KC 256
#define MM_NCB 512
#define MM_MR_MAX 12

/* ---- kernels, one per (type, ISA); gemm-body.h undefines T, VL, MV, NC and NAME after each ---- */

#define T float
#define VL 4
#define MV 2
#define NC 6
#define NAME gemm_f32_base
#include "gemm-body.h"

#define T double
#define VL 2
#define MV 2
#define NC 6
#define NAME gemm_f64_base
#include "gemm-body.h"

#define VL 4
#define NV 2
#define MR 6
#define NAME matmul_f32_base
#include "matmul-body.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HAVE_X86_VARIANTS 1
#pragma GCC push_options
#pragma GCC target("avx2,fma")
/* 16 ymm registers: 2 × 6 accumulators + 2 row vectors + 1 broadcast. */
#define T float
#define VL 8
#define MV 2
#define NC 6
#define NAME gemm_f32_avx2
#include "gemm-body.h"

#define T double
#define VL 4
#define MV 2
#define NC 6
#define NAME gemm_f64_avx2
#include "gemm-body.h"

/* 6 × 2 accumulators + 2 rows of B + 1 broadcast. */
#define VL 8
#define NV 2
#define MR 6
#define NAME matmul_f32_avx2
#include "matmul-body.h"
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
/* 32 zmm registers: 2 × 12 accumulators + 2 row vectors + broadcasts. */
#define T float
#define VL 16
#define MV 2
#define NC 12
#define NAME gemm_f32_avx512
#include "gemm-body.h"

#define T double
#define VL 8
#define MV 2
#define NC 12
#define NAME gemm_f64_avx512
#include "gemm-body.h"

/* 12 × 2 accumulators + 2 rows of B + broadcasts. */
#define VL 16
#define NV 2
#define MR 12
#define NAME matmul_f32_avx512
#include "matmul-body.h"
#pragma GCC pop_options
#endif

typedef void (*kernel_fn)(const struct gemm_args *, void *pack);
typedef void (*matmul_fn)(const struct mm_args *, float *pack);

struct isa {
  const char *name;
  kernel_fn f32, f64;
  long mr32, mr64; /* tile heights, for the packing scratch */
  matmul_fn mm32;
};

static struct isa pick_isa(void) {
  struct isa base = {"baseline", (kernel_fn)gemm_f32_base, (kernel_fn)gemm_f64_base, 8, 4, matmul_f32_base};
#ifdef HAVE_X86_VARIANTS
  const char *cap = getenv("RECLAB_LINALG_ISA");
  const int allow512 = !cap || strcmp(cap, "avx512") == 0;
  const int allow2 = allow512 || strcmp(cap, "avx2") == 0;
  __builtin_cpu_init();
  if (allow512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) {
    struct isa s = {"avx512", (kernel_fn)gemm_f32_avx512, (kernel_fn)gemm_f64_avx512, 32, 16, matmul_f32_avx512};
    return s;
  }
  if (allow2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    struct isa s = {"avx2", (kernel_fn)gemm_f32_avx2, (kernel_fn)gemm_f64_avx2, 16, 8, matmul_f32_avx2};
    return s;
  }
#endif
  return base;
}

/* Per-environment (per-thread) state: the chosen kernels and the packing scratch of each. */
struct state {
  struct isa isa;
  void *pack;
  size_t cap;
  float *mmpack; /* matmul_f32's, fixed size, allocated on first use */
};

static void free_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct state *s = data;
  free(s->pack);
  free(s->mmpack);
  free(s);
}

static napi_value throw_error(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

static int get_long(napi_env env, napi_value v, long *out) {
  int64_t x;
  if (napi_get_value_int64(env, v, &x) != napi_ok) return 0;
  *out = (long)x;
  return 1;
}

/* Last byte (exclusive) an operand of n rows × len elements at stride ld touches, or -1 when empty. */
static long long extent(long off, long n, long len, long ld, long s) {
  if (n <= 0 || len <= 0) return -1;
  return off + ((long long)(n - 1) * ld + len) * s;
}

static napi_value gemm(napi_env env, napi_callback_info info, int f64) {
  size_t argc = 12;
  napi_value argv[12];
  struct state *st;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st) != napi_ok || argc < 12) return throw_error(env, "gemm_nt: expected 12 arguments");
  void *data;
  size_t length, bytes;
  napi_typedarray_type ttype;
  if (napi_get_typedarray_info(env, argv[0], &ttype, &length, &data, NULL, NULL) != napi_ok || !data)
    return throw_error(env, "gemm_nt: the first argument must be a typed array over the memory");
  switch (ttype) {
    case napi_float32_array: case napi_int32_array: case napi_uint32_array: bytes = length * 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: bytes = length * 8; break;
    case napi_int16_array: case napi_uint16_array: bytes = length * 2; break;
    default: bytes = length; break;
  }
  long v[11];
  for (int i = 0; i < 11; i++)
    if (!get_long(env, argv[i + 1], &v[i])) return throw_error(env, "gemm_nt: arguments must be numbers");
  struct gemm_args g;
  const long s = f64 ? 8 : 4;
  const long c = v[0], a = v[2], b = v[4];
  g.ldc = v[1], g.lda = v[3], g.ldb = v[5], g.rows = v[6], g.cols = v[7], g.k = v[8], g.mode = (int)v[9], g.lower = v[10];
  if (g.rows <= 0 || g.cols <= 0) return NULL;
  if (g.k < 0 || c < 0 || a < 0 || b < 0 || g.ldc < 0 || g.lda < 0 || g.ldb < 0 || c % s || a % s || b % s)
    return throw_error(env, "gemm_nt: negative or misaligned argument");
  /* Every access stays inside the view (the wasm kernel traps instead; this must not corrupt memory). */
  if (extent(c, g.rows, g.cols, g.ldc, s) > (long long)bytes || extent(a, g.rows, g.k, g.lda, s) > (long long)bytes ||
      extent(b, g.cols, g.k, g.ldb, s) > (long long)bytes)
    return throw_error(env, "gemm_nt: operand out of bounds");
  g.c = (char *)data + c;
  g.a = (const char *)data + a;
  g.b = (const char *)data + b;
  const size_t need = (size_t)(f64 ? st->isa.mr64 : st->isa.mr32) * (size_t)(g.k > 0 ? g.k : 1) * (size_t)s;
  if (need > st->cap) {
    free(st->pack);
    st->pack = aligned_alloc(64, (need + 63) & ~(size_t)63);
    st->cap = st->pack ? need : 0;
    if (!st->pack) return throw_error(env, "gemm_nt: out of memory");
  }
  (f64 ? st->isa.f64 : st->isa.f32)(&g, st->pack);
  return NULL;
}

/* Largest element index (inclusive) an operand touches: base + Σ (extent − 1) · stride, or -1 when empty. */
static long long last_index(long n0, long s0, long n1, long s1, long n2, long s2) {
  if (n0 <= 0 || n1 <= 0 || n2 <= 0) return -1;
  return (long long)(n0 - 1) * s0 + (long long)(n1 - 1) * s1 + (long long)(n2 - 1) * s2;
}

/*
 * matmul_f32(view, c, a, b, batch, rows, cols, k, ars, ats, bqs, bts, sa, sb, sc): for p < batch,
 * r < rows, q < cols, C[p·sc + r·cols + q] = Σ_{t<k} A[p·sa + r·ars + t·ats] · B[p·sb + q·bqs + t·bts],
 * with c, a, b byte offsets into view's buffer and every stride in elements (matmul-body.h).
 */
static napi_value matmul_f32(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  struct state *st;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st) != napi_ok || argc < 15) return throw_error(env, "matmul_f32: expected 15 arguments");
  void *data;
  size_t length;
  napi_typedarray_type ttype;
  if (napi_get_typedarray_info(env, argv[0], &ttype, &length, &data, NULL, NULL) != napi_ok || !data || ttype != napi_uint8_array)
    return throw_error(env, "matmul_f32: the first argument must be a Uint8Array over the memory");
  long v[14];
  for (int i = 0; i < 14; i++)
    if (!get_long(env, argv[i + 1], &v[i])) return throw_error(env, "matmul_f32: arguments must be numbers");
  const long c = v[0], a = v[1], b = v[2];
  struct mm_args g = {NULL, NULL, NULL, v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  if (g.batch <= 0 || g.rows <= 0 || g.cols <= 0) return NULL;
  if (g.k < 0 || c < 0 || a < 0 || b < 0 || c % 4 || a % 4 || b % 4 || g.ars < 0 || g.ats < 0 || g.bqs < 0 || g.bts < 0 || g.sa < 0 || g.sb < 0 || g.sc < 0)
    return throw_error(env, "matmul_f32: negative or misaligned argument");
  const long long elements = (long long)(length / 4);
  if (c / 4 + last_index(g.batch, g.sc, g.rows, g.cols, g.cols, 1) >= elements || a / 4 + last_index(g.batch, g.sa, g.rows, g.ars, g.k, g.ats) >= elements ||
      b / 4 + last_index(g.batch, g.sb, g.cols, g.bqs, g.k, g.bts) >= elements)
    return throw_error(env, "matmul_f32: operand out of bounds");
  g.c = (float *)((char *)data + c);
  g.a = (const float *)((const char *)data + a);
  g.b = (const float *)((const char *)data + b);
  if (!st->mmpack) {
    st->mmpack = aligned_alloc(64, (size_t)MM_KC * (MM_MR_MAX + MM_NCB) * sizeof(float));
    if (!st->mmpack) return throw_error(env, "matmul_f32: out of memory");
  }
  st->isa.mm32(&g, st->mmpack);
  return NULL;
}

#include "kernel-args.h"
#include "train-kernels.h"
#include "neumf-kernels.h"
#include "eval-kernels.h"
#include "als-kernels.h"
#include "conv-kernels.h"

static napi_value gemm_f32(napi_env env, napi_callback_info info) { return gemm(env, info, 0); }
static napi_value gemm_f64(napi_env env, napi_callback_info info) { return gemm(env, info, 1); }

NAPI_MODULE_INIT() {
  struct state *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  st->isa = pick_isa();
  if (napi_set_instance_data(env, st, free_state, NULL) != napi_ok) {
    free(st);
    return NULL;
  }
  napi_value f32, f64, mm32, adam, rows, isa, fn;
  napi_create_function(env, "gemm_nt_f32", NAPI_AUTO_LENGTH, gemm_f32, st, &f32);
  napi_create_function(env, "gemm_nt_f64", NAPI_AUTO_LENGTH, gemm_f64, st, &f64);
  napi_create_function(env, "matmul_f32", NAPI_AUTO_LENGTH, matmul_f32, st, &mm32);
  napi_create_function(env, "adam_f32", NAPI_AUTO_LENGTH, adam_f32, NULL, &adam);
  napi_create_function(env, "add_rows_f32", NAPI_AUTO_LENGTH, add_rows_f32, NULL, &rows);
  napi_create_string_utf8(env, st->isa.name, NAPI_AUTO_LENGTH, &isa);
  napi_set_named_property(env, exports, "gemm_nt_f32", f32);
  napi_set_named_property(env, exports, "gemm_nt_f64", f64);
  napi_set_named_property(env, exports, "matmul_f32", mm32);
  napi_set_named_property(env, exports, "adam_f32", adam);
  napi_set_named_property(env, exports, "add_rows_f32", rows);
  napi_set_named_property(env, exports, "isa", isa);
  static const struct { const char *name; napi_callback cb; } neumf[] = {
      {"gather_add_relu_f32", gather_add_relu_f32},   {"user_by_items_relu_f32", user_by_items_relu_f32},
      {"bias_relu_dot_f32", bias_relu_dot_f32},       {"bias_relu_f32", bias_relu_f32},
      {"relu_backward_f32", relu_backward_f32},       {"gather_add_relu_backward_f32", gather_add_relu_backward_f32},
      {"neumf_head_dots_f32", neumf_head_dots_f32},   {"neumf_head_grads_f32", neumf_head_grads_f32},
      {"counted_row_penalty_f32", counted_row_penalty_f32}, {"top_k_f32", top_k_f32}, {"auc_f32", auc_f32},
      {"solve_implicit_rows_f32", solve_implicit_rows_f32}, {"relu_max_over_time_f32", relu_max_over_time_f32},
      {"scatter_rows_f32", scatter_rows_f32},
      {"xorshift_fill_u32", xorshift_fill_u32},         {"mask_in_place_f32", mask_in_place_f32},
      {"scale_in_place_f32", scale_in_place_f32},
  };
  for (size_t i = 0; i < sizeof neumf / sizeof neumf[0]; i++) {
    napi_create_function(env, neumf[i].name, NAPI_AUTO_LENGTH, neumf[i].cb, NULL, &fn);
    napi_set_named_property(env, exports, neumf[i].name, fn);
  }
  return exports;
}
