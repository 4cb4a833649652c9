/* npsort.h: NumPy 1.24's default argsort (kind="quicksort", an introsort),
 * reproduced step by step for the places where NumPy's result depends on the
 * order it leaves equal keys in: np.histogram with explicit edges and float
 * weights sums a cumulative sum over that order. geolab's own sorts are all
 * stable; this one is not, on purpose. */
#ifndef GL_NPSORT_H
#define GL_NPSORT_H

#include <stdint.h>

/* idx[0..n) receives the 0-based permutation numpy.argsort(v) gives for the
 * float64 keys v[0..n) (NaN last). No allocation; the recursion stack is
 * fixed (NumPy's PYA_QS_STACK). Returns 0. */
int gl_argsort_numpy_f64(int64_t n, const double *v, int64_t *idx);

#endif
