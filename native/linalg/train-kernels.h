/*
 * Training kernels for TensorFlow.js models on the wasm backend, included by gemm-nt.c:
 *
 *   adam_f32(out, old, m, v, g, alpha, beta1, beta2, epsilon, decay)      lib/training/optimizers.ts
 *   add_rows_f32(indptr, indices, values, src, dst, width, scatter)       lib/models/deep/sparse-input.ts
 *
 * (NeuMF's kernels: neumf-kernels.h; ranking evaluation: eval-kernels.h; implicit ALS:
 * als-kernels.h; the text CNN's and sequence models' pooling and gathers: conv-kernels.h.)
 *
 * Both replace JavaScript loops and give the same bits: every step is computed in double and
 * rounded to float where the JavaScript stores into a Float32Array, in the same order, with
 * floating-point contraction off (an FMA would round once where JavaScript rounds twice). So a
 * run's numbers do not depend on whether the addon is built. GCC compiles each loop for AVX-512,
 * AVX2 and the baseline and picks one at load time (target_clones).
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

/* Adam with decoupled weight decay (AdamW), bias correction folded into alpha: as SlotOptimizer.stepInPlace. */
TRAIN_CLONES static void adam_loop(float *restrict out, const float *restrict old, float *restrict m, float *restrict v, const float *restrict g, long n,
                                   double alpha, double b1, double b2, double eps, double decay) {
  const double c1 = 1 - b1, c2 = 1 - b2;
  for (long i = 0; i < n; i++) {
    const double gi = g[i];
    const double mi = b1 * (double)m[i] + c1 * gi;
    const double vi = b2 * (double)v[i] + c2 * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    const double w = old[i];
    out[i] = (float)(w - ((alpha * mi) / (__builtin_sqrt(vi) + eps) + decay * w));
  }
}

/* The embedding bag's loop over non-zeros (one clone call for all of them, not one per row). */
TRAIN_CLONES static void add_rows_loop(const int32_t *indptr, const int32_t *indices, const float *values, const float *src, float *dst, long rows, long width, int scatter) {
  for (long r = 0; r < rows; r++) {
    for (int32_t p = indptr[r]; p < indptr[r + 1]; p++) {
      const double v = values[p];
      if (v == 0) continue;
      const long row = r * width, column = (long)indices[p] * width;
      float *restrict d = dst + (scatter ? column : row);
      const float *restrict s = src + (scatter ? row : column);
      /* dst row += v · src row; each step in double, as the JavaScript does. */
      for (long j = 0; j < width; j++) d[j] = (float)((double)d[j] + v * (double)s[j]);
    }
  }
}

#pragma GCC pop_options

static napi_value adam_f32(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 10) return throw_error(env, "adam_f32: expected 10 arguments");
  float *a[5];
  size_t len[5];
  for (int i = 0; i < 5; i++)
    if (!(a[i] = typed_data(env, argv[i], napi_float32_array, &len[i]))) return throw_error(env, "adam_f32: out, old, m, v and g must be Float32Arrays");
  for (int i = 1; i < 5; i++)
    if (len[i] != len[0]) return throw_error(env, "adam_f32: arrays of different lengths");
  double s[5];
  for (int i = 0; i < 5; i++)
    if (!get_double(env, argv[5 + i], &s[i])) return throw_error(env, "adam_f32: alpha, beta1, beta2, epsilon and decay must be numbers");
  adam_loop(a[0], a[1], a[2], a[3], a[4], (long)len[0], s[0], s[1], s[2], s[3], s[4]);
  return NULL;
}

/*
 * For each non-zero (row r, column c, value v) of the CSR matrix x: gather (scatter = 0) adds
 * v · src[c] to dst[r] (x · table); scatter adds v · src[r] to dst[c] (xᵀ · dy). Rows of `width`.
 * Zero values are skipped, as dropout leaves them. Every index is checked before anything is written.
 */
static napi_value add_rows_f32(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return throw_error(env, "add_rows_f32: expected 7 arguments");
  size_t nptr, nidx, nval, nsrc, ndst;
  const int32_t *indptr = typed_data(env, argv[0], napi_int32_array, &nptr);
  const int32_t *indices = typed_data(env, argv[1], napi_int32_array, &nidx);
  const float *values = typed_data(env, argv[2], napi_float32_array, &nval);
  const float *src = typed_data(env, argv[3], napi_float32_array, &nsrc);
  float *dst = typed_data(env, argv[4], napi_float32_array, &ndst);
  long width, scatter;
  if (!indptr || !indices || !values || !src || !dst) return throw_error(env, "add_rows_f32: expected Int32Array indptr and indices, Float32Array values, src and dst");
  if (!get_long(env, argv[5], &width) || !get_long(env, argv[6], &scatter) || width < 0) return throw_error(env, "add_rows_f32: width and scatter must be numbers");
  if (nptr < 1 || nval < nidx) return throw_error(env, "add_rows_f32: malformed CSR rows");
  const long rows = (long)nptr - 1;
  /* The rows' side and the columns' side of the operation, in units of rows of `width`. */
  const size_t row_side = scatter ? nsrc : ndst, column_side = scatter ? ndst : nsrc;
  if (width > 0 && (size_t)rows * (size_t)width > row_side) return throw_error(env, "add_rows_f32: fewer rows than indptr has");
  for (long r = 0; r < rows; r++) {
    if (indptr[r] < 0 || indptr[r + 1] < indptr[r] || (size_t)indptr[r + 1] > nidx) return throw_error(env, "add_rows_f32: malformed CSR rows");
  }
  for (size_t p = 0; p < (size_t)indptr[rows]; p++) {
    if (indices[p] < 0 || (size_t)(indices[p] + 1) * (size_t)width > column_side) return throw_error(env, "add_rows_f32: column index out of range");
  }
  add_rows_loop(indptr, indices, values, src, dst, rows, width, scatter != 0);
  return NULL;
}
