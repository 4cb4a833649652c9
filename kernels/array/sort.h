/* sort.h: sorting, searching and uniqueness along lines of a strided block.
 *
 * The order is NumPy's: ascending with NaN last. Every sort here is a stable
 * merge sort, so equal keys keep their input order and argsort's result is
 * the same on every run and thread count (NumPy's default quicksort is not
 * stable; its kind="stable" is). Float values sorted without positions take a
 * radix sort instead when that gives the same bits (sort.c). Positions are 0-based; the binding adds 1.
 * Blocks are described by gl_lines (reduce.h); sorted outputs are contiguous
 * outer x n x inner. Kernels return 0, GL_ENOMEM or GL_EINTR. */
#ifndef GL_SORT_H
#define GL_SORT_H

#include "reduce.h"

/* Sorts each line: values into out and/or source positions into pos (either
 * may be NULL). */
int gl_sort_f64(const gl_lines *g, const double *x, double *out, int64_t *pos);
int gl_sort_f32(const gl_lines *g, const float *x, float *out, int64_t *pos);
int gl_sort_i64(const gl_lines *g, const int64_t *x, int64_t *out, int64_t *pos);
/* Complex values in NumPy's lexicographic order (sort_complex.c). */
int gl_sort_c128(const gl_lines *g, const gl_c128 *x, gl_c128 *out, int64_t *pos);

/* For each v[k] (k < m, contiguous), the insertion point into the sorted a
 * (n elements, stride sa): the count of a[i] < v (right: a[i] <= v). */
int gl_searchsorted_f64(int64_t n, int64_t sa, const double *a, int64_t m, const double *v,
                        int64_t *out, int right);
int gl_searchsorted_f32(int64_t n, int64_t sa, const float *a, int64_t m, const float *v,
                        int64_t *out, int right);
int gl_searchsorted_i64(int64_t n, int64_t sa, const int64_t *a, int64_t m, const int64_t *v,
                        int64_t *out, int right);

/* The sorted distinct values of x[0..n) (contiguous) into vals[*nuniq], all
 * NaNs counting as one value (NumPy's equal_nan). Optional outputs (NULL to
 * skip): first[u] the first position of vals[u] in x, inverse[i] the index
 * in vals of x[i], counts[u] its number of occurrences. Arrays are n long. */
int gl_unique_f64(int64_t n, const double *x, double *vals, int64_t *first, int64_t *inverse,
                  int64_t *counts, int64_t *nuniq);
int gl_unique_f32(int64_t n, const float *x, float *vals, int64_t *first, int64_t *inverse,
                  int64_t *counts, int64_t *nuniq);
int gl_unique_i64(int64_t n, const int64_t *x, int64_t *vals, int64_t *first, int64_t *inverse,
                  int64_t *counts, int64_t *nuniq);

/* out[k] = whether v[k] occurs in sorted[0..n) (NaN never does, as NumPy);
 * invert negates. */
int gl_isin_f64(int64_t m, const double *v, int64_t n, const double *sorted, gl_bool *out, int invert);
int gl_isin_f32(int64_t m, const float *v, int64_t n, const float *sorted, gl_bool *out, int invert);
int gl_isin_i64(int64_t m, const int64_t *v, int64_t n, const int64_t *sorted, gl_bool *out, int invert);

#endif
