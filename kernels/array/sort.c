/* sort.c: sorting, searching and uniqueness (see sort.h). The body is
 * sort.inc, included for float, double and int64_t: unlike the float-only
 * kernels, sorting must keep every dtype exact, and the one comparison that
 * differs (NaN last) is GL_ISNAN, constant 0 for integers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sort.h"

#define GL_SORT_RUN 32                       /* insertion-sorted run length */
#define GL_SORT_PAR_MIN ((int64_t)1 << 16)   /* searches below this: one thread */
#define GL_SORT_POLL ((int64_t)1 << 16)      /* Ctrl-C polled once per this many elements */

#define GL_RADIX_MIN 256                     /* value sorts from this length: radix */
#define GL_RADIX_MAX ((int64_t)1 << 22)      /* ... to this one (it does not poll) */

/* {===== radix sort of float values
 * Sorting values only (no positions), a least-significant-digit radix sort
 * on the bits of each float, made order-preserving (negatives: all bits
 * flipped; others: the sign bit set), costs a few passes over the data where
 * the merge sort makes log2(n) passes of unpredictable branches (3x faster
 * on 10^6 doubles). It is stable, so it gives the merge sort's result bit
 * for bit, except that it orders by bits: -0.0 before 0.0, and NaNs by
 * payload, where the merge sort keeps such equal values in their input
 * order. A line holding a NaN or a -0.0 therefore goes to the merge sort,
 * and every other line gets the same bits either way. Byte passes in which
 * every key has the same digit are skipped. Returns 0 (v untouched) when the
 * line must be merge-sorted. */

#define RADIX_BODY(UT, NB)                                                        \
  for (int64_t i = 0; i < n; i++) {                                               \
    if (v[i] != v[i] || (v[i] == 0 && signbit(v[i]))) return 0;                   \
  }                                                                               \
  UT *k = (UT *)v, *t = (UT *)tv;                                                 \
  const UT top = (UT)1 << (8 * NB - 1);                                           \
  uint32_t cnt[NB][256];                                                          \
  memset(cnt, 0, sizeof cnt);                                                     \
  for (int64_t i = 0; i < n; i++) {                                               \
    UT b;                                                                         \
    memcpy(&b, &v[i], sizeof b);                                                  \
    b = (b & top) ? ~b : (b | top);                                               \
    k[i] = b;                                                                     \
    _Pragma("GCC unroll 8")                                                       \
    for (int d = 0; d < NB; d++) cnt[d][(b >> (8 * d)) & 255]++;                  \
  }                                                                               \
  for (int d = 0; d < NB; d++) {                                                  \
    if (cnt[d][(k[0] >> (8 * d)) & 255] == (uint32_t)n) continue;                 \
    uint32_t off[256], sum = 0;                                                   \
    for (int b = 0; b < 256; b++) { off[b] = sum; sum += cnt[d][b]; }             \
    for (int64_t i = 0; i < n; i++) t[off[(k[i] >> (8 * d)) & 255]++] = k[i];     \
    UT *sw = k; k = t; t = sw;                                                    \
  }                                                                               \
  for (int64_t i = 0; i < n; i++) {                                               \
    UT b = k[i];                                                                  \
    b = (b & top) ? (b & ~top) : ~b;                                              \
    memcpy(&out[i], &b, sizeof b);                                                \
  }                                                                               \
  return 1;

/* v: n values, tv: n more of scratch; the sorted values go to out (which
 * may be v). n < 2^32. */
static int radix_f64 (double *v, int64_t n, double *tv, double *out) { RADIX_BODY(uint64_t, 8) }
static int radix_f32 (float *v, int64_t n, float *tv, float *out) { RADIX_BODY(uint32_t, 4) }
#undef RADIX_BODY
/* }===== */

#define GL_RADIX 1
#define GL_T float
#define GL_FN(x) x##_f32
#define GL_ISNAN(x) isnan(x)
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_ISNAN(x) isnan(x)
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN

#undef GL_RADIX
#define GL_T int64_t
#define GL_FN(x) x##_i64
#define GL_ISNAN(x) 0
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN
