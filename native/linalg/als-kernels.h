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
