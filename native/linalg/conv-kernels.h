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
