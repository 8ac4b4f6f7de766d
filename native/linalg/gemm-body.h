/*
 * One gemm_nt variant, included once per (element type, instruction set) by gemm-nt.c with
 *   T     element type (float or double)
 *   VL    lanes per vector (vector_size = VL * sizeof(T))
 *   MV    vectors of rows per tile (tile height MR = MV * VL rows)
 *   NC    columns per tile (one broadcast operand and MV accumulators each)
 *   NAME  function name
 * defined (this file undefines them at its end), inside a `#pragma GCC target` region so the generic vector code below is compiled for
 * that instruction set (FMA contraction comes from -ffp-contract=fast).
 *
 * C = A·Bᵀ with both operands row-major means each entry is a dot product along contiguous k.
 * Rather than reduce vectors horizontally, A's rows are packed transposed (k-major, MR wide) so a
 * vector holds one t for MR consecutive rows; each of the NC columns broadcasts B[q][t] straight
 * from B's row. Every entry is then one accumulator lane summed over t = 0, 1, …, k−1 in order:
 * its rounding depends only on its own operands and k (not on the tile, call split or thread).
 * The tile is transposed on the way out by scalar stores, which apply mode and mask.
 */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VEC CAT(NAME, _vec)
#define MR (MV * VL)

typedef T VEC __attribute__((vector_size(VL * sizeof(T))));

static void NAME(const struct gemm_args *g, void *packv) {
  T *pack = (T *)packv;
  const T *a = (const T *)g->a, *b = (const T *)g->b;
  T *c = (T *)g->c;
  const long lda = g->lda, ldb = g->ldb, ldc = g->ldc, k = g->k, rows = g->rows, cols = g->cols, lower = g->lower;
  const int mode = g->mode;
  for (long r0 = 0; r0 < rows; r0 += MR) {
    const long rn = rows - r0 < MR ? rows - r0 : MR;
    /* Columns this row tile touches: all, or q ≤ (last row) + lower under the mask. */
    long qEnd = cols;
    if (lower >= 0 && r0 + rn - 1 + lower + 1 < qEnd) qEnd = r0 + rn - 1 + lower + 1;
    if (qEnd <= 0) continue;
    /* pack[t·MR + i] = A[r0 + i][t]; rows past the edge are zero (computed, never stored). */
    for (long i = 0; i < MR; i++) {
      if (i < rn) {
        const T *src = a + (r0 + i) * lda;
        for (long t = 0; t < k; t++) pack[t * MR + i] = src[t];
      } else {
        for (long t = 0; t < k; t++) pack[t * MR + i] = 0;
      }
    }
    for (long q0 = 0; q0 < qEnd; q0 += NC) {
      const long qn = qEnd - q0 < NC ? qEnd - q0 : NC;
      /* Columns past the edge repeat the last valid one (never read out of bounds) and are not stored. */
      const T *bq[NC];
      for (int j = 0; j < NC; j++) bq[j] = b + (q0 + (j < qn ? j : qn - 1)) * ldb;
      VEC acc[NC][MV];
      for (int j = 0; j < NC; j++)
        for (int v = 0; v < MV; v++) acc[j][v] = (VEC){0};
      const T *p = pack;
      for (long t = 0; t < k; t++, p += MR) {
        VEC x[MV];
        for (int v = 0; v < MV; v++) __builtin_memcpy(&x[v], p + v * VL, sizeof(VEC));
        for (int j = 0; j < NC; j++) {
          const T y = bq[j][t];
          for (int v = 0; v < MV; v++) acc[j][v] += x[v] * y;
        }
      }
      T out[NC][MR];
      __builtin_memcpy(out, acc, sizeof(out));
      for (long i = 0; i < rn; i++) {
        const long r = r0 + i;
        T *crow = c + r * ldc + q0;
        long jn = qn;
        if (lower >= 0 && r + lower + 1 - q0 < jn) jn = r + lower + 1 - q0;
        switch (mode) {
          case 0: for (long j = 0; j < jn; j++) crow[j] += out[j][i]; break;
          case 1: for (long j = 0; j < jn; j++) crow[j] -= out[j][i]; break;
          case 2: for (long j = 0; j < jn; j++) crow[j] = -out[j][i]; break;
          case 3: for (long j = 0; j < jn; j++) crow[j] = out[j][i]; break;
          default: break;
        }
      }
    }
  }
}

#undef VEC
#undef MR
#undef CAT
#undef CAT_
/* The parameters too: each instantiation defines all five afresh. */
#undef T
#undef VL
#undef MV
#undef NC
#undef NAME
