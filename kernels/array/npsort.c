/* npsort.c: numpy/core/src/npysort/quicksort.cpp aquicksort_ and
 * heapsort.cpp aheapsort_ of NumPy 1.24 for float64 keys (see npsort.h).
 * The partition, the median of three, the insertion sort of 16 elements or fewer
 * and the switch to heapsort at depth 2 * msb(n) are NumPy's, so equal keys
 * end in the same order. */
#include "npsort.h"

#define SMALL_QUICKSORT 15   /* npysort_common.h */
#define QS_STACK 128   /* NumPy's PYA_QS_STACK: 2 * bits of npy_intp */

/* NumPy's DOUBLE_LT: NaN sorts after every number */
static inline int lt (double a, double b) { return a < b || (b != b && a == a); }

#define SWAP(a, b) do { int64_t t_ = (a); (a) = (b); (b) = t_; } while (0)

static void aheapsort (const double *v, int64_t *tosort, int64_t n) {
  int64_t *a = tosort - 1;   /* 1-based heap indexing */
  int64_t i, j, l, tmp;
  for (l = n >> 1; l > 0; --l) {
    tmp = a[l];
    for (i = l, j = l << 1; j <= n;) {
      if (j < n && lt(v[a[j]], v[a[j + 1]])) j += 1;
      if (lt(v[tmp], v[a[j]])) { a[i] = a[j]; i = j; j += j; }
      else break;
    }
    a[i] = tmp;
  }
  for (; n > 1;) {
    tmp = a[n];
    a[n] = a[1];
    n -= 1;
    for (i = 1, j = 2; j <= n;) {
      if (j < n && lt(v[a[j]], v[a[j + 1]])) j++;
      if (lt(v[tmp], v[a[j]])) { a[i] = a[j]; i = j; j += j; }
      else break;
    }
    a[i] = tmp;
  }
}

static int msb (uint64_t n) {
  int depth = 0;
  while (n >>= 1) depth++;
  return depth;
}

int gl_argsort_numpy_f64 (int64_t n, const double *v, int64_t *idx) {
  for (int64_t k = 0; k < n; k++) idx[k] = k;
  if (n < 2) return 0;
  int64_t *pl = idx, *pr = idx + n - 1;
  int64_t *stack[QS_STACK], **sptr = stack;
  int depth[QS_STACK], *psdepth = depth;
  int cdepth = msb((uint64_t)n) * 2;
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, pl, pr - pl + 1);
      goto stack_pop;
    }
    while ((pr - pl) > SMALL_QUICKSORT) {
      int64_t *pm = pl + ((pr - pl) >> 1), *pi, *pj;
      if (lt(v[*pm], v[*pl])) SWAP(*pm, *pl);
      if (lt(v[*pr], v[*pm])) SWAP(*pr, *pm);
      if (lt(v[*pm], v[*pl])) SWAP(*pm, *pl);
      double vp = v[*pm];
      pi = pl;
      pj = pr - 1;
      SWAP(*pm, *pj);
      for (;;) {
        do ++pi; while (lt(v[*pi], vp));
        do --pj; while (lt(vp, v[*pj]));
        if (pi >= pj) break;
        SWAP(*pi, *pj);
      }
      int64_t *pk = pr - 1;
      SWAP(*pi, *pk);
      /* push the larger partition */
      if (pi - pl < pr - pi) { *sptr++ = pi + 1; *sptr++ = pr; pr = pi - 1; }
      else { *sptr++ = pl; *sptr++ = pi - 1; pl = pi + 1; }
      *psdepth++ = --cdepth;
    }
    for (int64_t *pi = pl + 1; pi <= pr; ++pi) {   /* insertion sort */
      int64_t vi = *pi;
      double vp = v[vi];
      int64_t *pj = pi, *pk = pi - 1;
      while (pj > pl && lt(vp, v[*pk])) *pj-- = *pk--;
      *pj = vi;
    }
  stack_pop:
    if (sptr == stack) break;
    pr = *(--sptr);
    pl = *(--sptr);
    cdepth = *(--psdepth);
  }
  return 0;
}
