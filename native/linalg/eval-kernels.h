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

/* Places (v, it) at position `at` of a min-heap of `size` (worst at the root), moving it down. */
static void heap_sift_down(float *hs, int32_t *hi, long size, long at, float v, int32_t it) {
  for (;;) {
    const long left = 2 * at + 1;
    if (left >= size) break;
    long child = left;
    if (left + 1 < size && rank_worse(hs[left + 1], hi[left + 1], hs[left], hi[left])) child = left + 1;
    if (!rank_worse(hs[child], hi[child], v, it)) break;
    hs[at] = hs[child], hi[at] = hi[child], at = child;
  }
  hs[at] = v, hi[at] = it;
}

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
    heap_sift_down(hs, hi, size, 0, v, (int32_t)item);
    root = hs[0];
  }
  /* Pop the worst to the back: out is best first. */
  const long count = size;
  while (size > 0) {
    out[size - 1] = hi[0];
    size--;
    if (size > 0) heap_sift_down(hs, hi, size, 0, hs[size], hi[size]);
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
