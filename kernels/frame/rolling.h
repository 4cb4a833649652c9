/* rolling.h: moving-window statistics (pandas Series.rolling) over a count
 * window or a time window, and pairwise-complete correlation/covariance
 * (DataFrame.corr/cov). NaN is skipped; a window with fewer than min_periods
 * valid values gives NaN. No Lua here. */
#ifndef GL_ROLLING_H
#define GL_ROLLING_H

#include <stdint.h>

enum { GL_ROLL_MEAN = 0, GL_ROLL_SUM, GL_ROLL_STD, GL_ROLL_VAR, GL_ROLL_MIN, GL_ROLL_MAX,
       GL_ROLL_MEDIAN, GL_ROLL_COUNT };

/* Window of row i: rows (i-window, i] when ts == NULL; rows j <= i with
 * ts[j] > ts[i] - window otherwise (ts ascending). scratch: 2*n doubles. */
int gl_rolling_f64(int64_t n, const double *x, const int64_t *ts, int64_t window,
                   int64_t min_periods, int how, int64_t ddof, double *out, double *scratch);

/* Correlation (method 0 Pearson, 1 Spearman) or covariance (method 2, ddof 1)
 * of every pair of the k columns cols[0..k) (each n long), over the rows
 * where both are valid; out is k*k. scratch: 4*n doubles + n int64. */
int gl_corr_f64(int64_t n, int64_t k, const double *const *cols, int method,
                int64_t min_periods, double *out, double *scratch, int64_t *iscratch);

/* Average ranks (1-based, ties averaged) of x[0..n) into r; NaN -> NaN. */
void gl_rank_avg_f64(int64_t n, const double *x, double *r, int64_t *order, int64_t *scratch);

#endif
