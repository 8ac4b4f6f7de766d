/*
 * Training kernels for TensorFlow.js models on the wasm backend, included by gemm-nt.c:
 *
 *   adam_f32(out, old, m, v, g, alpha, beta1, beta2, epsilon, decay)      lib/training/optimizers.ts
 *   add_rows_f32(indptr, indices, values, src, dst, width, scatter)       lib/models/deep/sparse-input.ts
 *
 * Both replace JavaScript loops and give the same bits: every step is computed in double and
 * rounded to float where the JavaScript stores into a Float32Array, in the same order, with
 * floating-point contraction off (an FMA would round once where JavaScript rounds twice). So a
 * run's numbers do not depend on whether the addon is built. GCC compiles each loop for AVX-512,
 * AVX2 and the baseline and picks one at load time (target_clones).
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TRAIN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TRAIN_CLONES
#endif

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

/* A typed array's data and element count, when it has the expected element type. */
static void *typed_data(napi_env env, napi_value value, napi_typedarray_type want, size_t *length) {
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL) != napi_ok || type != want) return NULL;
  return data ? data : (void *)"";
}

static int get_double(napi_env env, napi_value v, double *out) { return napi_get_value_double(env, v, out) == napi_ok; }

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

/*
 * NeuMF's per-pair kernels (lib/models/deep/neumf-kernels.ts), each the same bits as its
 * JavaScript: sums in double in the JavaScript's order, relu as (v + |v|) / 2, relu′ from the
 * stored activation's sign bit. Arguments are typed arrays and counts; every index is checked
 * against its table before anything is written.
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

static inline double relu_d(double v) { return (v + __builtin_fabs(v)) * 0.5; }

TRAIN_CLONES static void gather_add_relu_rows(const float *restrict ur, const int32_t *restrict users, const float *restrict ir, const int32_t *restrict items,
                                              const float *restrict bias, long w, long n, float *restrict h) {
  for (long p = 0; p < n; p++) {
    const float *u = ur + (long)users[p] * w, *i = ir + (long)items[p] * w;
    float *o = h + p * w;
    for (long j = 0; j < w; j++) o[j] = (float)relu_d(((double)u[j] + (double)i[j]) + (double)bias[j]);
  }
}

TRAIN_CLONES static void user_by_items_rows(const float *restrict ur, const int32_t *restrict batch, long nb, const float *restrict ir, long ni,
                                            const float *restrict bias, long w, float *restrict h, double *restrict base) {
  for (long b = 0; b < nb; b++) {
    const float *u = ur + (long)batch[b] * w;
    for (long j = 0; j < w; j++) base[j] = (double)u[j] + (double)bias[j];
    float *o = h + b * ni * w;
    for (long r = 0; r < ni * w; r += w, o += w)
      for (long j = 0; j < w; j++) o[j] = (float)relu_d(base[j] + (double)ir[r + j]);
  }
}

/* A sum per pair, in order: not vectorised across j (that would reorder it), so no clones. */
static void bias_relu_dot_rows(const float *restrict z, const float *restrict bias, const float *restrict m, long w, long n, float *restrict out) {
  for (long p = 0; p < n; p++) {
    const float *zp = z + p * w;
    double sum = 0;
    for (long j = 0; j < w; j++) sum += relu_d((double)zp[j] + (double)bias[j]) * (double)m[j];
    out[p] = (float)sum;
  }
}

TRAIN_CLONES static void bias_relu_rows(float *restrict z, const float *restrict bias, long w, long n) {
  for (long p = 0; p < n; p++)
    for (long j = 0; j < w; j++) z[p * w + j] = (float)relu_d((double)z[p * w + j] + (double)bias[j]);
}

/* d ← d ⊙ relu′(h); dBias += column sums; with tables, also scatter-add d's rows at users[p] and items[p]. */
TRAIN_CLONES static void relu_backward_rows(float *restrict d, const float *restrict h, long w, long n, float *restrict dbias, const int32_t *restrict users,
                                            const int32_t *restrict items, float *restrict du, float *restrict di) {
  const int32_t *bits = (const int32_t *)h;
  for (long p = 0; p < n; p++) {
    float *dp = d + p * w;
    const int32_t *bp = bits + p * w;
    if (users) {
      float *u = du + (long)users[p] * w, *i = di + (long)items[p] * w;
      for (long j = 0; j < w; j++) {
        const double g = (double)dp[j] * (double)(bp[j] > 0);
        u[j] = (float)((double)u[j] + g);
        i[j] = (float)((double)i[j] + g);
        dbias[j] = (float)((double)dbias[j] + g);
      }
    } else {
      for (long j = 0; j < w; j++) {
        const float g = (float)((double)dp[j] * (double)(bp[j] > 0));
        dp[j] = g;
        dbias[j] = (float)((double)dbias[j] + (double)g);
      }
    }
  }
}

/* The head's per-pair sums, in order: GMF logit Σ p·q·g, MLP logit Σ h·m, Σ p² + q² (not vectorised: reordering). */
static void head_dots(const int32_t *users, const int32_t *items, const float *gu, const float *gi, const float *go, const float *h, const float *mo, long f, long n,
                      double *gmf, double *mlp, double *norms) {
  for (long p = 0; p < n; p++) {
    const float *pu = gu + (long)users[p] * f, *qi = gi + (long)items[p] * f, *hp = h + p * f;
    double a = 0, b = 0, c = 0;
    for (long j = 0; j < f; j++) {
      a += ((double)pu[j] * (double)qi[j]) * (double)go[j];
      b += (double)hp[j] * (double)mo[j];
      c += (double)pu[j] * (double)pu[j] + (double)qi[j] * (double)qi[j];
    }
    gmf[p] = a, mlp[p] = b, norms[p] = c;
  }
}

/* The head's gradients from the per-pair logit gradients dg (GMF) and dm (MLP): accumulated into the tables and output weights, written to dH. */
static void head_grads(const int32_t *users, const int32_t *items, const float *gu, const float *gi, const float *go, const float *h, const float *mo, long f, long n,
                       const double *dg, const double *dm, double reg2, float *dh, float *dgu, float *dgi, float *dgo, float *dmo) {
  for (long p = 0; p < n; p++) {
    const long a = (long)users[p] * f, b = (long)items[p] * f, o = p * f;
    const double g = dg[p], m = dm[p];
    for (long j = 0; j < f; j++) {
      const double pu = gu[a + j], qi = gi[b + j], gj = go[j];
      dgu[a + j] = (float)((double)dgu[a + j] + ((g * qi) * gj + reg2 * pu));
      dgi[b + j] = (float)((double)dgi[b + j] + ((g * pu) * gj + reg2 * qi));
      dgo[j] = (float)((double)dgo[j] + (g * pu) * qi);
      dmo[j] = (float)((double)dmo[j] + m * (double)h[o + j]);
      dh[o + j] = (float)(m * (double)mo[j]);
    }
  }
}

/* Σ_r counts[r]·‖row r‖² (returned × scale) and grad += 2·scale·counts[r]·row, rows of d. */
static double counted_rows(const float *table, const int32_t *counts, long rows, long d, double scale, float *grad) {
  double total = 0;
  for (long r = 0; r < rows; r++) {
    const int32_t c = counts[r];
    if (c == 0) continue;
    const float *row = table + r * d;
    float *g = grad + r * d;
    double sq = 0;
    for (long j = 0; j < d; j++) {
      const double v = row[j];
      sq += v * v;
      g[j] = (float)((double)g[j] + ((2 * scale) * (double)c) * v);
    }
    total += (double)c * sq;
  }
  return scale * total;
}

#pragma GCC pop_options

/* Reads argument i as a typed array of the given type (NULL and an exception on anything else). */
#define ARG_ARRAY(T, name, i, type)                                                                                   \
  size_t name##_len;                                                                                                  \
  T *name = typed_data(env, argv[i], type, &name##_len);                                                              \
  if (!name) return throw_error(env, "train kernel: argument " #i " (" #name ") has the wrong type");
#define ARG_LONG(name, i)                                                                                             \
  long name;                                                                                                          \
  if (!get_long(env, argv[i], &name) || name < 0) return throw_error(env, "train kernel: argument " #i " (" #name ") must be a count");
#define ARGS(count)                                                                                                   \
  size_t argc = count;                                                                                                \
  napi_value argv[count];                                                                                             \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < count) return throw_error(env, "train kernel: expected " #count " arguments");
#define NEED(cond) \
  if (!(cond)) return throw_error(env, "train kernel: out of bounds (" #cond ")");

/* Every index in ids[0..n) is a row of a table of `len` floats with rows of w. */
static int rows_in(const int32_t *ids, long n, size_t len, long w) {
  for (long p = 0; p < n; p++)
    if (ids[p] < 0 || (size_t)(ids[p] + 1) * (size_t)w > len) return 0;
  return 1;
}

/* gather_add_relu_f32(userRows, users, itemRows, items, bias, w, n, h) */
static napi_value gather_add_relu_f32(napi_env env, napi_callback_info info) {
  ARGS(8) ARG_ARRAY(const float, ur, 0, napi_float32_array) ARG_ARRAY(const int32_t, users, 1, napi_int32_array) ARG_ARRAY(const float, ir, 2, napi_float32_array)
  ARG_ARRAY(const int32_t, items, 3, napi_int32_array) ARG_ARRAY(const float, bias, 4, napi_float32_array) ARG_LONG(w, 5) ARG_LONG(n, 6) ARG_ARRAY(float, h, 7, napi_float32_array)
  NEED(users_len >= (size_t)n && items_len >= (size_t)n && bias_len >= (size_t)w && h_len >= (size_t)(n * w))
  NEED(rows_in(users, n, ur_len, w) && rows_in(items, n, ir_len, w))
  gather_add_relu_rows(ur, users, ir, items, bias, w, n, h);
  return NULL;
}

/* user_by_items_relu_f32(userRows, batchUsers, itemRows, numItems, bias, w, h) */
static napi_value user_by_items_relu_f32(napi_env env, napi_callback_info info) {
  ARGS(7) ARG_ARRAY(const float, ur, 0, napi_float32_array) ARG_ARRAY(const int32_t, batch, 1, napi_int32_array) ARG_ARRAY(const float, ir, 2, napi_float32_array)
  ARG_LONG(ni, 3) ARG_ARRAY(const float, bias, 4, napi_float32_array) ARG_LONG(w, 5) ARG_ARRAY(float, h, 6, napi_float32_array)
  const long nb = (long)batch_len;
  NEED(ir_len >= (size_t)(ni * w) && bias_len >= (size_t)w && h_len >= (size_t)(nb * ni * w) && rows_in(batch, nb, ur_len, w))
  double *base = malloc((size_t)(w > 0 ? w : 1) * sizeof(double));
  if (!base) return throw_error(env, "neumf kernel: out of memory");
  user_by_items_rows(ur, batch, nb, ir, ni, bias, w, h, base);
  free(base);
  return NULL;
}

/* bias_relu_dot_f32(z, bias, m, w, n, out) */
static napi_value bias_relu_dot_f32(napi_env env, napi_callback_info info) {
  ARGS(6) ARG_ARRAY(const float, z, 0, napi_float32_array) ARG_ARRAY(const float, bias, 1, napi_float32_array) ARG_ARRAY(const float, m, 2, napi_float32_array)
  ARG_LONG(w, 3) ARG_LONG(n, 4) ARG_ARRAY(float, out, 5, napi_float32_array)
  NEED(z_len >= (size_t)(n * w) && bias_len >= (size_t)w && m_len >= (size_t)w && out_len >= (size_t)n)
  bias_relu_dot_rows(z, bias, m, w, n, out);
  return NULL;
}

/* bias_relu_f32(z, bias, w, n): in place */
static napi_value bias_relu_f32(napi_env env, napi_callback_info info) {
  ARGS(4) ARG_ARRAY(float, z, 0, napi_float32_array) ARG_ARRAY(const float, bias, 1, napi_float32_array) ARG_LONG(w, 2) ARG_LONG(n, 3)
  NEED(z_len >= (size_t)(n * w) && bias_len >= (size_t)w)
  bias_relu_rows(z, bias, w, n);
  return NULL;
}

/* relu_backward_f32(d, h, w, n, dBias): d in place */
static napi_value relu_backward_f32(napi_env env, napi_callback_info info) {
  ARGS(5) ARG_ARRAY(float, d, 0, napi_float32_array) ARG_ARRAY(const float, h, 1, napi_float32_array) ARG_LONG(w, 2) ARG_LONG(n, 3) ARG_ARRAY(float, dbias, 4, napi_float32_array)
  NEED(d_len >= (size_t)(n * w) && h_len >= (size_t)(n * w) && dbias_len >= (size_t)w)
  relu_backward_rows(d, h, w, n, dbias, NULL, NULL, NULL, NULL);
  return NULL;
}

/* gather_add_relu_backward_f32(d, h, users, items, w, n, dUserRows, dItemRows, dBias) */
static napi_value gather_add_relu_backward_f32(napi_env env, napi_callback_info info) {
  ARGS(9) ARG_ARRAY(float, d, 0, napi_float32_array) ARG_ARRAY(const float, h, 1, napi_float32_array) ARG_ARRAY(const int32_t, users, 2, napi_int32_array)
  ARG_ARRAY(const int32_t, items, 3, napi_int32_array) ARG_LONG(w, 4) ARG_LONG(n, 5) ARG_ARRAY(float, du, 6, napi_float32_array) ARG_ARRAY(float, di, 7, napi_float32_array)
  ARG_ARRAY(float, dbias, 8, napi_float32_array)
  NEED(d_len >= (size_t)(n * w) && h_len >= (size_t)(n * w) && users_len >= (size_t)n && items_len >= (size_t)n && dbias_len >= (size_t)w)
  NEED(rows_in(users, n, du_len, w) && rows_in(items, n, di_len, w))
  relu_backward_rows(d, h, w, n, dbias, users, items, du, di);
  return NULL;
}


/* neumf_head_dots_f32(users, items, gmfUser, gmfItem, gmfOut, h, mlpOut, f, n, gmf, mlp, norms): the last three Float64Arrays */
static napi_value neumf_head_dots_f32(napi_env env, napi_callback_info info) {
  ARGS(12) ARG_ARRAY(const int32_t, users, 0, napi_int32_array) ARG_ARRAY(const int32_t, items, 1, napi_int32_array) ARG_ARRAY(const float, gu, 2, napi_float32_array)
  ARG_ARRAY(const float, gi, 3, napi_float32_array) ARG_ARRAY(const float, go, 4, napi_float32_array) ARG_ARRAY(const float, h, 5, napi_float32_array)
  ARG_ARRAY(const float, mo, 6, napi_float32_array) ARG_LONG(f, 7) ARG_LONG(n, 8) ARG_ARRAY(double, gmf, 9, napi_float64_array) ARG_ARRAY(double, mlp, 10, napi_float64_array)
  ARG_ARRAY(double, norms, 11, napi_float64_array)
  NEED(users_len >= (size_t)n && items_len >= (size_t)n && go_len >= (size_t)f && mo_len >= (size_t)f && h_len >= (size_t)(n * f))
  NEED(gmf_len >= (size_t)n && mlp_len >= (size_t)n && norms_len >= (size_t)n && rows_in(users, n, gu_len, f) && rows_in(items, n, gi_len, f))
  head_dots(users, items, gu, gi, go, h, mo, f, n, gmf, mlp, norms);
  return NULL;
}

/* neumf_head_grads_f32(users, items, gmfUser, gmfItem, gmfOut, h, mlpOut, f, n, dGmf, dMlp, reg2, dH, dGmfUser, dGmfItem, dGmfOut, dMlpOut) */
static napi_value neumf_head_grads_f32(napi_env env, napi_callback_info info) {
  ARGS(17) ARG_ARRAY(const int32_t, users, 0, napi_int32_array) ARG_ARRAY(const int32_t, items, 1, napi_int32_array) ARG_ARRAY(const float, gu, 2, napi_float32_array)
  ARG_ARRAY(const float, gi, 3, napi_float32_array) ARG_ARRAY(const float, go, 4, napi_float32_array) ARG_ARRAY(const float, h, 5, napi_float32_array)
  ARG_ARRAY(const float, mo, 6, napi_float32_array) ARG_LONG(f, 7) ARG_LONG(n, 8) ARG_ARRAY(const double, dg, 9, napi_float64_array)
  ARG_ARRAY(const double, dm, 10, napi_float64_array) double reg2;
  if (!get_double(env, argv[11], &reg2)) return throw_error(env, "neumf kernel: argument 11 (reg2) must be a number");
  ARG_ARRAY(float, dh, 12, napi_float32_array) ARG_ARRAY(float, dgu, 13, napi_float32_array) ARG_ARRAY(float, dgi, 14, napi_float32_array)
  ARG_ARRAY(float, dgo, 15, napi_float32_array) ARG_ARRAY(float, dmo, 16, napi_float32_array)
  NEED(users_len >= (size_t)n && items_len >= (size_t)n && go_len >= (size_t)f && mo_len >= (size_t)f && h_len >= (size_t)(n * f) && dh_len >= (size_t)(n * f))
  NEED(dg_len >= (size_t)n && dm_len >= (size_t)n && dgo_len >= (size_t)f && dmo_len >= (size_t)f && dgu_len >= gu_len && dgi_len >= gi_len)
  NEED(rows_in(users, n, gu_len, f) && rows_in(items, n, gi_len, f))
  head_grads(users, items, gu, gi, go, h, mo, f, n, dg, dm, reg2, dh, dgu, dgi, dgo, dmo);
  return NULL;
}

/* counted_row_penalty_f32(table, counts, d, scale, grad) → scale · Σ counts[r]·‖row r‖² */
static napi_value counted_row_penalty_f32(napi_env env, napi_callback_info info) {
  ARGS(5) ARG_ARRAY(const float, table, 0, napi_float32_array) ARG_ARRAY(const int32_t, counts, 1, napi_int32_array) ARG_LONG(d, 2)
  double scale;
  if (!get_double(env, argv[3], &scale)) return throw_error(env, "neumf kernel: argument 3 (scale) must be a number");
  ARG_ARRAY(float, grad, 4, napi_float32_array)
  NEED(table_len >= counts_len * (size_t)d && grad_len >= counts_len * (size_t)d)
  napi_value result;
  napi_create_double(env, counted_rows(table, counts, (long)counts_len, d, scale, grad), &result);
  return result;
}


/*
 * Evaluation kernels (lib/metrics/top-k.ts, lib/metrics/beyond.ts), with the JavaScript's results:
 *
 *   top_k_f32(scores, offset, length, k, out) → count
 *   auc_f32(scores, offset, length, positives) → AUC (NaN without a positive or a negative)
 *
 * Top-K is unique under its order (higher score, then lower item; −∞ and NaN never selected),
 * so any exact selection gives the JavaScript's list. AUC sums integers and halves in double,
 * exactly, so its value is the JavaScript's too.
 */
static inline int rank_worse(float sa, int32_t ia, float sb, int32_t ib) { return sa < sb || (sa == sb && ia > ib); }

static long top_k_rows(const float *s, long length, long k, int32_t *out, float *hs, int32_t *hi) {
  long size = 0, item = 0;
  for (; item < length && size < k; item++) {
    const float v = s[item];
    if (v == -__builtin_inff() || v != v) continue;
    long at = size++;
    while (at > 0) { /* sift up */
      const long parent = (at - 1) >> 1;
      if (!rank_worse(v, (int32_t)item, hs[parent], hi[parent])) break;
      hs[at] = hs[parent], hi[at] = hi[parent], at = parent;
    }
    hs[at] = v, hi[at] = (int32_t)item;
  }
  float root = size > 0 ? hs[0] : __builtin_inff();
  for (; item < length; item++) {
    const float v = s[item];
    if (!(v > root)) continue; /* an equal score ranks below the root (higher item); −∞ and NaN never enter */
    long at = 0;
    for (;;) { /* sift down the new root */
      const long left = 2 * at + 1;
      if (left >= size) break;
      long child = left;
      if (left + 1 < size && rank_worse(hs[left + 1], hi[left + 1], hs[left], hi[left])) child = left + 1;
      if (!rank_worse(hs[child], hi[child], v, (int32_t)item)) break;
      hs[at] = hs[child], hi[at] = hi[child], at = child;
    }
    hs[at] = v, hi[at] = (int32_t)item;
    root = hs[0];
  }
  /* Pop the worst to the back: out is best first. */
  const long count = size;
  while (size > 0) {
    out[size - 1] = hi[0];
    const float v = hs[--size];
    const int32_t it = hi[size];
    long at = 0;
    for (;;) {
      const long left = 2 * at + 1;
      if (left >= size) break;
      long child = left;
      if (left + 1 < size && rank_worse(hs[left + 1], hi[left + 1], hs[left], hi[left])) child = left + 1;
      if (!rank_worse(hs[child], hi[child], v, it)) break;
      hs[at] = hs[child], hi[at] = hi[child], at = child;
    }
    if (size > 0) hs[at] = v, hi[at] = it;
  }
  return count;
}

static int cmp_int32(const void *a, const void *b) { const int32_t x = *(const int32_t *)a, y = *(const int32_t *)b; return (x > y) - (x < y); }

static int cmp_double(const void *a, const void *b) { const double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

/* Up to this many positives, one counting pass each beats a binary search per item. */
#define AUC_PASSES_MAX 48

/* #{x : s_x < v} and #{x : s_x = v} over a row: compare-and-count, vectorised (no branches). */
TRAIN_CLONES static void count_below(const float *restrict s, long length, float v, long *less, long *equal) {
  long a = 0, b = 0;
  for (long x = 0; x < length; x++) {
    a += s[x] < v;
    b += s[x] == v;
  }
  *less = a, *equal = b;
}

/*
 * A = Σ_p Σ_{x unmasked} ([s_p > s_x] + ½[s_p = s_x]) as the JavaScript defines it, summed per
 * positive instead of per item: a positive's count of lower and equal scores is one vectorised
 * pass (−∞ items, below every positive, are taken back out; NaN compares false). Every term is
 * a multiple of ½, so the double sums are exact and equal the JavaScript's.
 */
static double auc_row(const float *s, long length, int32_t *items, long np, double *sorted) {
  qsort(items, (size_t)np, sizeof *items, cmp_int32);
  long n = 0;
  for (long j = 0; j < np; j++) {
    const float v = s[items[j]];
    if ((j == 0 || items[j] != items[j - 1]) && v != -__builtin_inff() && v == v) sorted[n++] = v;
  }
  long minus_inf = 0, nan = 0;
  for (long x = 0; x < length; x++) minus_inf += s[x] == -__builtin_inff(), nan += s[x] != s[x];
  const long unmasked = length - minus_inf - nan, negatives = unmasked - n;
  if (n == 0 || negatives == 0) return __builtin_nan("");
  double pairs = 0;
  if (n <= AUC_PASSES_MAX) {
    for (long p = 0; p < n; p++) {
      long less, equal;
      count_below(s, length, (float)sorted[p], &less, &equal);
      pairs += (double)(less - minus_inf) + (double)equal / 2;
    }
  } else {
    /* Many positives: per item, the positives above it by binary search over their sorted scores. */
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    for (long x = 0; x < length; x++) {
      const double v = s[x];
      if (v == -__builtin_inf() || v != v) continue;
      long lo = 0, hi = n;
      while (lo < hi) {
        const long mid = (lo + hi) >> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      long equal = 0;
      while (lo + equal < n && sorted[lo + equal] == v) equal++;
      pairs += (double)(n - lo) - (double)equal / 2;
    }
  }
  return (pairs - ((double)n * (double)n) / 2) / ((double)n * (double)negatives);
}

/* Scores row [offset, offset + length) of a Float32Array, checked against its length. */
static const float *score_row(napi_env env, napi_value *argv, long *length) {
  size_t n;
  const float *s = typed_data(env, argv[0], napi_float32_array, &n);
  long offset;
  if (!s || !get_long(env, argv[1], &offset) || !get_long(env, argv[2], length) || offset < 0 || *length < 0 || (size_t)(offset + *length) > n) return NULL;
  return s + offset;
}

static napi_value top_k_f32(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) return throw_error(env, "top_k_f32: expected 5 arguments");
  long length, k;
  size_t nout;
  const float *s = score_row(env, argv, &length);
  int32_t *out = typed_data(env, argv[4], napi_int32_array, &nout);
  if (!s || !get_long(env, argv[3], &k) || !out) return throw_error(env, "top_k_f32: expected scores, offset, length, k and an Int32Array out, within bounds");
  if (k <= 0) k = 0;
  const long room = k < length ? k : length;
  if ((size_t)room > nout) return throw_error(env, "top_k_f32: out is shorter than min(k, length)");
  float hs_stack[64];
  int32_t hi_stack[64];
  float *hs = room <= 64 ? hs_stack : malloc((size_t)room * sizeof *hs);
  int32_t *hi = room <= 64 ? hi_stack : malloc((size_t)room * sizeof *hi);
  if (!hs || !hi) return throw_error(env, "top_k_f32: out of memory");
  const long count = top_k_rows(s, length, room, out, hs, hi);
  if (room > 64) free(hs), free(hi);
  napi_value result;
  napi_create_int64(env, count, &result);
  return result;
}

static napi_value auc_f32(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) return throw_error(env, "auc_f32: expected 4 arguments");
  long length;
  size_t np;
  const float *s = score_row(env, argv, &length);
  const int32_t *positives = typed_data(env, argv[3], napi_int32_array, &np);
  if (!s || !positives) return throw_error(env, "auc_f32: expected scores, offset, length and Int32Array positives, within bounds");
  for (size_t j = 0; j < np; j++)
    if (positives[j] < 0 || positives[j] >= length) return throw_error(env, "auc_f32: a positive item is outside the row");
  int32_t *items = malloc((np > 0 ? np : 1) * sizeof *items);
  double *sorted = malloc((np > 0 ? np : 1) * sizeof *sorted);
  if (!items || !sorted) return free(items), free(sorted), throw_error(env, "auc_f32: out of memory");
  memcpy(items, positives, np * sizeof *items);
  const double value = auc_row(s, length, items, (long)np, sorted);
  free(items), free(sorted);
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

/*
 * One half-sweep of implicit ALS by warm-started conjugate gradient (lib/models/als.ts
 * solveImplicitRows), with its bits: every sum in double, in the JavaScript's order, contraction
 * off. Used by WMF-ALS and ConvMF.
 *
 *   solve_implicit_rows_f32(target, fixed, indptr, indices, values, numRows, dim, reg, alpha, cgSteps, prior | null) → objective
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

static void gram_times(const double *gram, const double *v, double *out, long f, double reg) {
  for (long a = 0; a < f; a++) {
    double s = reg * v[a];
    for (long b = 0; b < f; b++) s += gram[a * f + b] * v[b];
    out[a] = s;
  }
}

static double solve_implicit(float *target, const float *fixed, long num_fixed, const int32_t *indptr, const int32_t *indices, const float *values, long num_rows, long f,
                             double reg, double alpha, long cg_steps, const float *prior, double *gram, double *x, double *r, double *p, double *ap) {
  for (long i = 0; i < f * f; i++) gram[i] = 0;
  for (long j = 0; j < num_fixed; j++) {
    const float *y = fixed + j * f;
    for (long a = 0; a < f; a++) {
      const double ya = y[a];
      if (ya == 0) continue;
      for (long b = 0; b <= a; b++) gram[a * f + b] += ya * (double)y[b];
    }
  }
  for (long a = 0; a < f; a++)
    for (long b = 0; b < a; b++) gram[b * f + a] = gram[a * f + b];
  double objective = 0;
  for (long row = 0; row < num_rows; row++) {
    const long start = indptr[row], end = indptr[row + 1], t0 = row * f;
    if (start == end && !prior) {
      for (long a = 0; a < f; a++) target[t0 + a] = 0;
      continue;
    }
    for (long a = 0; a < f; a++) x[a] = target[t0 + a];
    gram_times(gram, x, r, f, reg);
    for (long a = 0; a < f; a++) r[a] = (prior ? reg * (double)prior[t0 + a] : 0) - r[a];
    for (long q = start; q < end; q++) {
      const float *y = fixed + (long)indices[q] * f;
      const double w = alpha * (double)values[q];
      double xy = 0;
      for (long a = 0; a < f; a++) xy += (double)y[a] * x[a];
      const double coef = 1 + w - w * xy;
      for (long a = 0; a < f; a++) r[a] += coef * (double)y[a];
    }
    double rsold = 0;
    for (long a = 0; a < f; a++) p[a] = r[a], rsold += r[a] * r[a];
    for (long step = 0; step < cg_steps && rsold > 1e-20; step++) {
      gram_times(gram, p, ap, f, reg);
      for (long q = start; q < end; q++) {
        const float *y = fixed + (long)indices[q] * f;
        const double w = alpha * (double)values[q];
        double yp = 0;
        for (long a = 0; a < f; a++) yp += (double)y[a] * p[a];
        const double coef = w * yp;
        for (long a = 0; a < f; a++) ap[a] += coef * (double)y[a];
      }
      double pap = 0;
      for (long a = 0; a < f; a++) pap += p[a] * ap[a];
      if (!(pap > 0)) break;
      const double step_size = rsold / pap;
      double rsnew = 0;
      for (long a = 0; a < f; a++) {
        x[a] += step_size * p[a];
        r[a] -= step_size * ap[a];
        rsnew += r[a] * r[a];
      }
      const double beta = rsnew / rsold;
      for (long a = 0; a < f; a++) p[a] = r[a] + beta * p[a];
      rsold = rsnew;
    }
    for (long a = 0; a < f; a++) target[t0 + a] = (float)x[a];
    /* The row's objective: xᵀGx, corrected on the observed pairs, plus the penalty. */
    double all = 0;
    for (long a = 0; a < f; a++) {
      double s = 0;
      for (long b = 0; b < f; b++) s += gram[a * f + b] * x[b];
      all += x[a] * s;
    }
    for (long q = start; q < end; q++) {
      const float *y = fixed + (long)indices[q] * f;
      double xy = 0;
      for (long a = 0; a < f; a++) xy += (double)y[a] * x[a];
      const double miss = 1 - xy;
      all += (1 + alpha * (double)values[q]) * (miss * miss) - xy * xy;
    }
    double penalty = 0;
    for (long a = 0; a < f; a++) {
      const double d = x[a] - (prior ? (double)prior[t0 + a] : 0);
      penalty += d * d;
    }
    objective += all + reg * penalty;
  }
  return objective;
}

#pragma GCC pop_options

static napi_value solve_implicit_rows_f32(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 11) return throw_error(env, "solve_implicit_rows_f32: expected 11 arguments");
  size_t nt, nf, nptr, nidx, nval, nprior = 0;
  float *target = typed_data(env, argv[0], napi_float32_array, &nt);
  const float *fixed = typed_data(env, argv[1], napi_float32_array, &nf);
  const int32_t *indptr = typed_data(env, argv[2], napi_int32_array, &nptr);
  const int32_t *indices = typed_data(env, argv[3], napi_int32_array, &nidx);
  const float *values = typed_data(env, argv[4], napi_float32_array, &nval);
  long rows, f, steps;
  double reg, alpha;
  napi_valuetype prior_type;
  napi_typeof(env, argv[10], &prior_type);
  const float *prior = prior_type == napi_null || prior_type == napi_undefined ? NULL : typed_data(env, argv[10], napi_float32_array, &nprior);
  if (!target || !fixed || !indptr || !indices || !values || (prior_type != napi_null && prior_type != napi_undefined && !prior))
    return throw_error(env, "solve_implicit_rows_f32: expected Float32Array target and fixed, Int32Array indptr and indices, Float32Array values and prior (or null)");
  if (!get_long(env, argv[5], &rows) || !get_long(env, argv[6], &f) || !get_double(env, argv[7], &reg) || !get_double(env, argv[8], &alpha) || !get_long(env, argv[9], &steps) || rows < 0 || f <= 0)
    return throw_error(env, "solve_implicit_rows_f32: numRows, dim, regularization, alpha and cgSteps must be numbers");
  const long num_fixed = (long)(nf / (size_t)f);
  if (nt < (size_t)(rows * f) || nptr < (size_t)rows + 1 || (prior && nprior < (size_t)(rows * f))) return throw_error(env, "solve_implicit_rows_f32: arrays shorter than numRows × dim");
  for (long r = 0; r < rows; r++)
    if (indptr[r] < 0 || indptr[r + 1] < indptr[r] || (size_t)indptr[r + 1] > nidx || (size_t)indptr[r + 1] > nval) return throw_error(env, "solve_implicit_rows_f32: malformed CSR rows");
  for (long q = 0; q < (rows > 0 ? indptr[rows] : 0); q++)
    if (indices[q] < 0 || indices[q] >= num_fixed) return throw_error(env, "solve_implicit_rows_f32: column index out of range");
  double *work = malloc(((size_t)f * (size_t)f + 4 * (size_t)f) * sizeof(double));
  if (!work) return throw_error(env, "solve_implicit_rows_f32: out of memory");
  const double objective = solve_implicit(target, fixed, num_fixed, indptr, indices, values, rows, f, reg, alpha, steps, prior, work, work + f * f, work + f * f + f, work + f * f + 2 * f, work + f * f + 3 * f);
  free(work);
  napi_value result;
  napi_create_double(env, objective, &result);
  return result;
}

/*
 * Max over time of the ReLU (lib/models/sequential/conv-ops.ts reluMaxOverTime): for x [b·T, F],
 * out[i, f] = max(out[i, f], x[i·T + t, f]) over t, first maximum kept, with its flat index in
 * arg (out starts at 0, the ReLU's floor; arg at −1). Selects only: the JavaScript's values.
 *
 *   relu_max_over_time_f32(x, b, T, F, out, arg)
 */
TRAIN_CLONES static void max_over_time(const float *restrict x, long b, long T, long F, float *restrict out, int32_t *restrict arg) {
  for (long i = 0; i < b; i++) {
    float *o = out + i * F;
    int32_t *a = arg + i * F;
    for (long t = 0; t < T; t++) {
      const long row = (i * T + t) * F;
      for (long f = 0; f < F; f++) {
        const float v = x[row + f];
        const int larger = v > o[f];
        o[f] = larger ? v : o[f];
        a[f] = larger ? (int32_t)(row + f) : a[f];
      }
    }
  }
}

static napi_value relu_max_over_time_f32(napi_env env, napi_callback_info info) {
  ARGS(6) ARG_ARRAY(const float, x, 0, napi_float32_array) ARG_LONG(b, 1) ARG_LONG(T, 2) ARG_LONG(F, 3) ARG_ARRAY(float, out, 4, napi_float32_array)
  ARG_ARRAY(int32_t, arg, 5, napi_int32_array)
  NEED(x_len >= (size_t)(b * T * F) && out_len >= (size_t)(b * F) && arg_len >= (size_t)(b * F) && b * T * F <= INT32_MAX)
  max_over_time(x, b, T, F, out, arg);
  return NULL;
}

/*
 * The gradient of a row gather (lib/models/sequential/tf-helpers.ts gatherRows): acc[indices[i]]
 * += g[i] for every i whose index is not `padding`, rows of d, each sum in double as the
 * JavaScript's. Every index is checked before anything is written.
 *
 *   scatter_rows_f32(indices, padding, g, acc, d)
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
TRAIN_CLONES static void scatter_rows(const int32_t *indices, long n, int32_t padding, const float *g, float *acc, long d) {
  for (long i = 0; i < n; i++) {
    if (indices[i] == padding) continue;
    float *restrict a = acc + (long)indices[i] * d;
    const float *restrict s = g + i * d;
    for (long j = 0; j < d; j++) a[j] = (float)((double)a[j] + (double)s[j]);
  }
}
#pragma GCC pop_options

static napi_value scatter_rows_f32(napi_env env, napi_callback_info info) {
  ARGS(5) ARG_ARRAY(const int32_t, indices, 0, napi_int32_array) ARG_ARRAY(const float, g, 2, napi_float32_array) ARG_ARRAY(float, acc, 3, napi_float32_array)
  ARG_LONG(d, 4) long padding;
  if (!get_long(env, argv[1], &padding)) return throw_error(env, "train kernel: argument 1 (padding) must be a number");
  NEED(g_len >= indices_len * (size_t)d)
  for (size_t i = 0; i < indices_len; i++)
    NEED(indices[i] == padding || (indices[i] >= 0 && (size_t)(indices[i] + 1) * (size_t)d <= acc_len))
  scatter_rows(indices, (long)indices_len, (int32_t)padding, g, acc, d);
  return NULL;
}

#undef ARG_ARRAY
#undef ARG_LONG
#undef ARGS
#undef NEED
