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

/*
 * One sum per pair, each in the JavaScript's order. A lone pair's sum is a chain of dependent
 * double adds (latency-bound: ~4 cycles an element); PAIR_BLOCK pairs side by side are independent
 * chains the core overlaps and the compiler may vectorise across, with every pair's order intact.
 */
enum { PAIR_BLOCK = 8 };

TRAIN_CLONES static void bias_relu_dot_rows(const float *restrict z, const float *restrict bias, const float *restrict m, long w, long n, float *restrict out) {
  long p = 0;
  for (; p + PAIR_BLOCK <= n; p += PAIR_BLOCK) {
    const float *zb = z + p * w;
    double sum[PAIR_BLOCK] = {0};
    for (long j = 0; j < w; j++) {
      const double bj = bias[j], mj = m[j];
      for (int q = 0; q < PAIR_BLOCK; q++) sum[q] += relu_d((double)zb[q * w + j] + bj) * mj;
    }
    for (int q = 0; q < PAIR_BLOCK; q++) out[p + q] = (float)sum[q];
  }
  for (; p < n; p++) {
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

/* Dropout (lib/models/deep/neumf-kernels.ts): xorshift32 words, the same stream as the JavaScript; returns the state after the last word. */
static uint32_t xorshift_fill(uint32_t *restrict words, long count, uint32_t s) {
  for (long k = 0; k < count; k++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    words[k] = s;
  }
  return s;
}

/* x[k] ·= multiplier[bytes[k]]: one float product each, as the JavaScript's (exact in double, then rounded). */
TRAIN_CLONES static void mask_rows(float *restrict x, const uint8_t *restrict bytes, const float *restrict multiplier, long size) {
  for (long k = 0; k < size; k++) x[k] *= multiplier[bytes[k]];
}

TRAIN_CLONES static void scale_rows(float *restrict x, float s, long size) {
  for (long k = 0; k < size; k++) x[k] *= s;
}

#pragma GCC pop_options

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

/* xorshift_fill_u32(words, state) → the state after filling words (a uint32 as a number) */
static napi_value xorshift_fill_u32(napi_env env, napi_callback_info info) {
  ARGS(2) ARG_ARRAY(uint32_t, words, 0, napi_uint32_array)
  double state;
  if (!get_double(env, argv[1], &state) || state < 0 || state > 4294967295.0) return throw_error(env, "neumf kernel: argument 1 (state) must be a uint32");
  napi_value result;
  napi_create_uint32(env, xorshift_fill(words, (long)words_len, (uint32_t)state), &result);
  return result;
}

/* mask_in_place_f32(x, bytes, multiplier): x[k] ·= multiplier[bytes[k]] over x */
static napi_value mask_in_place_f32(napi_env env, napi_callback_info info) {
  ARGS(3) ARG_ARRAY(float, x, 0, napi_float32_array) ARG_ARRAY(const uint8_t, bytes, 1, napi_uint8_array) ARG_ARRAY(const float, multiplier, 2, napi_float32_array)
  NEED(bytes_len >= x_len && multiplier_len >= 256)
  mask_rows(x, bytes, multiplier, (long)x_len);
  return NULL;
}

/* scale_in_place_f32(x, s): x[k] ·= s (s rounded to float, as a Float32Array stores it) */
static napi_value scale_in_place_f32(napi_env env, napi_callback_info info) {
  ARGS(2) ARG_ARRAY(float, x, 0, napi_float32_array)
  double s;
  if (!get_double(env, argv[1], &s)) return throw_error(env, "neumf kernel: argument 1 (s) must be a number");
  scale_rows(x, (float)s, (long)x_len);
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
