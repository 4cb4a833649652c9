/* stats.h: counting kernels: histograms, bincount, nonzero positions. */
#ifndef GL_STATS_H
#define GL_STATS_H

#include "gl_types.h"

/* The nbins + 1 edges of equal bins over [lo, hi], as np.linspace computes
 * them (i * step + lo, the last edge exactly hi). */
void gl_hist_edges(int64_t nbins, double lo, double hi, double *edges);

/* Histogram of x[0..n) over bins [e_i, e_i+1), the last bin closed. Values
 * outside [e_0, e_nbins] and NaN are not counted. uniform says the edges came
 * from gl_hist_edges: the bin is then computed, with NumPy's corrections, not
 * searched. Without weights (w NULL) counts[nbins] receives counts; with
 * weights wsum[nbins] receives their sums (in input order). */
int gl_histogram_f64(int64_t n, const double *x, const double *w, int64_t nbins,
                     const double *edges, int uniform, int64_t *counts, double *wsum);

/* counts[v] (or wsum[v] += w[k]) for every value v = x[k]; values must be in
 * [0, nout) (the binding checks); outputs zeroed here. */
int gl_bincount(int64_t n, const int64_t *x, const double *w, int64_t nout,
                int64_t *counts, double *wsum);

/* The flat positions of the nonzero bytes of x[0..n) into pos (NULL: only
 * count); returns how many. */
int64_t gl_nonzero_u8(int64_t n, const gl_bool *x, int64_t *pos);

#endif
