/*
 * Argument handling shared by the training and evaluation kernels (included by gemm-nt.c before
 * them): typed arrays with their element counts, numbers, bounds checks, and TRAIN_CLONES, which
 * compiles a loop for AVX-512, AVX2 and the baseline and picks one at load time.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TRAIN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TRAIN_CLONES
#endif

/* A typed array's data and element count, when it has the expected element type. */
static void *typed_data(napi_env env, napi_value value, napi_typedarray_type want, size_t *length) {
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL) != napi_ok || type != want) return NULL;
  return data ? data : (void *)"";
}

static int get_double(napi_env env, napi_value v, double *out) { return napi_get_value_double(env, v, out) == napi_ok; }

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
