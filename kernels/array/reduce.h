/* reduce.h: reductions and scans along one axis of a strided block.
 *
 * Every kernel here sees its input as a 3-axis block of `outer` x `n` x
 * `inner` elements with element strides (so, sn, si) and works along the
 * middle axis. An N-d reduction over a run of axes maps onto this by merging
 * the axes before the run (outer), the run (n) and the axes after it (inner);
 * the binding copies the array when they do not merge. Outputs are
 * contiguous: outer x inner for a reduction, outer x n x inner for a scan.
 *
 * Sums (sum, mean, var, std and their nan-variants) are NumPy's pairwise
 * summation: blocks of at most 128 terms summed with 8 accumulators, blocks
 * combined by halving at multiples of 8 (umath/loops_utils.h.src). Every
 * output follows that one recursion whatever the memory layout or the thread
 * count, so results are bit-identical for any gl_threads(); a float64 line
 * of up to 8192 terms sums to NumPy's result bit for bit (NumPy adds longer
 * lines in 8192-term buffers, one after the other). float32 input is summed in
 * double (NumPy sums float32 pairwise in float32); results come out as double
 * and the binding rounds them to float32.
 *
 * Products and scans (cumsum, cumprod) run in order in the input's own type,
 * like NumPy. Positions (argmin, argmax) are 0-based here; the binding adds 1.
 * All kernels return 0, GL_ENOMEM (scratch allocation) or GL_EINTR. */
#ifndef GL_REDUCE_H
#define GL_REDUCE_H

#include "gl_types.h"

typedef struct gl_lines {
  int64_t outer, n, inner;   /* block sizes; the middle axis is reduced */
  int64_t so, sn, si;        /* element strides of the three axes */
} gl_lines;

/* Scan operations for gl_scan_*. The nan-forms treat NaN as 0 (sum) or 1 (prod). */
enum { GL_CUMSUM = 0, GL_CUMPROD, GL_NANCUMSUM, GL_NANCUMPROD };

/* out[outer*inner] = sum along n; skipnan treats NaN as 0 (nansum). */
int gl_reduce_sum_f64(const gl_lines *g, const double *x, double *out, int skipnan);
int gl_reduce_sum_f32(const gl_lines *g, const float *x, double *out, int skipnan);
/* Mean; skipnan divides by the count of non-NaN terms (NaN for none). */
int gl_reduce_mean_f64(const gl_lines *g, const double *x, double *out, int skipnan);
int gl_reduce_mean_f32(const gl_lines *g, const float *x, double *out, int skipnan);
/* Variance by NumPy's two passes (mean, then sum of squared deviations),
 * divided by max(count - ddof, 0) (skipnan: NaN when count - ddof <= 0);
 * take_sqrt gives the standard deviation. */
int gl_reduce_var_f64(const gl_lines *g, const double *x, double *out, double ddof,
                      int skipnan, int take_sqrt);
int gl_reduce_var_f32(const gl_lines *g, const float *x, double *out, double ddof,
                      int skipnan, int take_sqrt);
/* Count of non-NaN terms, as exact doubles. */
int gl_reduce_notnan_f64(const gl_lines *g, const double *x, double *out);
int gl_reduce_notnan_f32(const gl_lines *g, const float *x, double *out);

/* Product in order; skipnan treats NaN as 1 (nanprod). */
int gl_reduce_prod_f64(const gl_lines *g, const double *x, double *out, int skipnan);
int gl_reduce_prod_f32(const gl_lines *g, const float *x, float *out, int skipnan);
int gl_reduce_prod_i64(const gl_lines *g, const int64_t *x, int64_t *out);
/* Complex product in order (reduce_complex.c); strides count complex elements. */
int gl_reduce_prod_c128(const gl_lines *g, const gl_c128 *x, gl_c128 *out);
/* Integer sum, wrapping on overflow like NumPy. */
int gl_reduce_sum_i64(const gl_lines *g, const int64_t *x, int64_t *out);

/* Minimum (want_max 0) or maximum and/or its first position (val or pos may
 * be NULL). NaN propagates: the first NaN wins. skipnan ignores NaN; an
 * all-NaN line gives NaN and position -1. n must be > 0. */
int gl_reduce_minmax_f64(const gl_lines *g, const double *x, double *val, int64_t *pos,
                         int want_max, int skipnan);
int gl_reduce_minmax_f32(const gl_lines *g, const float *x, float *val, int64_t *pos,
                         int want_max, int skipnan);
int gl_reduce_minmax_i64(const gl_lines *g, const int64_t *x, int64_t *val, int64_t *pos,
                         int want_max);

/* Count of nonzero bytes (bool arrays): any = count > 0, all = count == n. */
int gl_reduce_count_u8(const gl_lines *g, const gl_bool *x, int64_t *out);

/* Cumulative sum/product along n (op: GL_CUMSUM...); out is outer x n x inner. */
int gl_scan_f64(const gl_lines *g, const double *x, double *out, int op);
int gl_scan_f32(const gl_lines *g, const float *x, float *out, int op);
int gl_scan_i64(const gl_lines *g, const int64_t *x, int64_t *out, int op);

/* Quantiles of each line (NaN-free values selected in a copy; O(n) average).
 * q[nq] in [0, 1]; out is nq x outer x inner. method: GL_Q_*; GL_Q_MEDIAN
 * ignores q and averages the two middle values like np.median. A line with a
 * NaN gives NaN unless skipnan, which drops NaNs (all-NaN: NaN). */
enum { GL_Q_LINEAR = 0, GL_Q_LOWER, GL_Q_HIGHER, GL_Q_NEAREST, GL_Q_MIDPOINT, GL_Q_MEDIAN };
int gl_reduce_quantile_f64(const gl_lines *g, const double *x, int64_t nq, const double *q,
                           double *out, int method, int skipnan);
int gl_reduce_quantile_f32(const gl_lines *g, const float *x, int64_t nq, const double *q,
                           double *out, int method, int skipnan);

/* First difference along n: out is outer x (n-1) x inner, n >= 1. */
int gl_diff_f64(const gl_lines *g, const double *x, double *out);
int gl_diff_f32(const gl_lines *g, const float *x, float *out);
int gl_diff_i64(const gl_lines *g, const int64_t *x, int64_t *out);

/* The task driver the kernels above share, for kernels elsewhere that work on
 * lines: fn runs once per (outer index o, inner indices i0 .. i0+w-1), in
 * parallel when the block is large. Returns GL_EINTR if interrupted. */
typedef void (*gl_lines_fn)(const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx);
int gl_lines_run(const gl_lines *g, gl_lines_fn fn, void *ctx);

#endif
