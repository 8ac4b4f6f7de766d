/*
 * One batched float32 matmul variant, included once per instruction set by gemm-nt.c with
 *   VL    float lanes per vector
 *   NV    vectors per tile row (tile width NR = NV * VL columns of C)
 *   MR    rows per tile (one broadcast of A and NV accumulators each)
 *   NAME  function name
 * defined (this file undefines them at its end), inside a `#pragma GCC target` region.
 *
 * For every batch element p: C[p·sc + r·cols + q] = Σ_t A[p·sa + r·ars + t·ats] · B[p·sb + q·bqs + t·bts]
 * (element strides, so either operand may be transposed and a batch stride of 0 broadcasts).
 * C is row-major, so the vector lanes run along its rows: B is packed in k-blocks of KC into
 * panels of NR columns ([t][NR], zero past the last column), A in tiles of MR rows ([t][MR],
 * zero past the last row), and each tile of C is MR × NV accumulators. Every entry of C is one
 * accumulator lane summed over t = 0, 1, …, k−1 in order — across k-blocks too, as a tile of the
 * next block starts from the float32 value the previous block stored — so its rounding depends
 * only on its own operands and k (the same order as gemm_nt): not on the shapes, the tiling or
 * the thread.
 */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VEC CAT(NAME, _vec)
#define TILE CAT(NAME, _tile)
#define PACK CAT(NAME, _pack)
#define NR (NV * VL)

typedef float VEC __attribute__((vector_size(VL * sizeof(float))));

/* dst[t·w + j] = src[j·ls + t·ts] for j < n, t < kc; zero for n ≤ j < w. */
static void PACK(float *restrict dst, long w, long n, long kc, const float *restrict src, long ls, long ts) {
  if (ls == 1) {
    for (long t = 0; t < kc; t++, dst += w) {
      const float *s = src + t * ts;
      long j = 0;
      for (; j < n; j++) dst[j] = s[j];
      for (; j < w; j++) dst[j] = 0;
    }
    return;
  }
  for (long j = 0; j < w; j++) {
    if (j < n) {
      const float *s = src + j * ls;
      for (long t = 0; t < kc; t++) dst[t * w + j] = s[t * ts];
    } else {
      for (long t = 0; t < kc; t++) dst[t * w + j] = 0;
    }
  }
}

/* C (MR × NR at row stride ldc) = (first ? 0 : C) + Ap · Bp over kc steps. */
static inline void TILE(const float *restrict ap, const float *restrict bp, long kc, float *restrict c, long ldc, int first) {
  VEC acc[MR][NV];
  if (first) {
    for (int i = 0; i < MR; i++)
      for (int v = 0; v < NV; v++) acc[i][v] = (VEC){0};
  } else {
    for (int i = 0; i < MR; i++)
      for (int v = 0; v < NV; v++) __builtin_memcpy(&acc[i][v], c + i * ldc + v * VL, sizeof(VEC));
  }
  for (long t = 0; t < kc; t++, ap += MR, bp += NR) {
    VEC y[NV];
    for (int v = 0; v < NV; v++) __builtin_memcpy(&y[v], bp + v * VL, sizeof(VEC));
    for (int i = 0; i < MR; i++) {
      const float x = ap[i];
      for (int v = 0; v < NV; v++) acc[i][v] += x * y[v];
    }
  }
  for (int i = 0; i < MR; i++)
    for (int v = 0; v < NV; v++) __builtin_memcpy(c + i * ldc + v * VL, &acc[i][v], sizeof(VEC));
}

/* pack: MM_KC · MR floats for A, then MM_KC · MM_NCB floats for B (64-byte aligned). */
static void NAME(const struct mm_args *g, float *pack) {
  const long rows = g->rows, cols = g->cols, k = g->k;
  float *const apack = pack;
  float *const bpack = pack + MM_KC * MR;
  float tmp[MR * NR] = {0};
  for (long p = 0; p < g->batch; p++) {
    const float *const a = g->a + p * g->sa, *const b = g->b + p * g->sb;
    float *const c = g->c + p * g->sc;
    if (k == 0) {
      for (long i = 0; i < rows * cols; i++) c[i] = 0;
      continue;
    }
    for (long pc = 0; pc < k; pc += MM_KC) {
      const long kc = k - pc < MM_KC ? k - pc : MM_KC;
      const int first = pc == 0;
      for (long jc = 0; jc < cols; jc += MM_NCB) {
        const long nc = cols - jc < MM_NCB ? cols - jc : MM_NCB;
        /* bpack[panel][t][j] = B[q = jc + panel·NR + j][t = pc + t]; zero past the last column. */
        for (long q0 = 0; q0 < nc; q0 += NR) {
          const long qn = nc - q0 < NR ? nc - q0 : NR;
          PACK(bpack + q0 * kc, NR, qn, kc, b + (jc + q0) * g->bqs + pc * g->bts, g->bqs, g->bts);
        }
        for (long r0 = 0; r0 < rows; r0 += MR) {
          const long rn = rows - r0 < MR ? rows - r0 : MR;
          /* apack[t][i] = A[r0 + i][pc + t]; zero past the last row. */
          PACK(apack, MR, rn, kc, a + r0 * g->ars + pc * g->ats, g->ars, g->ats);
          for (long q0 = 0; q0 < nc; q0 += NR) {
            const long qn = nc - q0 < NR ? nc - q0 : NR;
            float *ct = c + r0 * cols + jc + q0;
            if (rn == MR && qn == NR) {
              TILE(apack, bpack + q0 * kc, kc, ct, cols, first);
              continue;
            }
            /* An edge tile goes through tmp: only the rn × qn entries of C are read and written. */
            if (!first)
              for (long i = 0; i < rn; i++)
                for (long j = 0; j < qn; j++) tmp[i * NR + j] = ct[i * cols + j];
            TILE(apack, bpack + q0 * kc, kc, tmp, NR, first);
            for (long i = 0; i < rn; i++)
              for (long j = 0; j < qn; j++) ct[i * cols + j] = tmp[i * NR + j];
          }
        }
      }
    }
  }
}

#undef VEC
#undef TILE
#undef PACK
#undef NR
#undef CAT
#undef CAT_
#undef VL
#undef NV
#undef MR
#undef NAME
