/* resample.h: time binning, grouped reductions, gap interpolation and index
 * matching for the frame module (pandas resample/groupby/interpolate/reindex
 * semantics). Times are int64 ns (NaT = INT64_MIN). No Lua here. */
#ifndef GL_RESAMPLE_H
#define GL_RESAMPLE_H

#include <stdint.h>

/* Calendar rule kinds. */
enum { GL_RULE_TICK = 0,  /* fixed step, bins from midnight of the first day, label left */
       GL_RULE_MONTH,     /* month ends (pandas "M"), label = last day */
       GL_RULE_MONTH_START,  /* "MS", label = first day */
       GL_RULE_WEEK,      /* weeks ending on Sunday ("W" = "W-SUN"), label = the Sunday */
       GL_RULE_YEAR,      /* year ends ("A"/"Y"), label = Dec 31 */
       GL_RULE_YEAR_START /* "AS"/"YS" */ };

/* Bin of every time: codes[i] in 0..*nbins-1 (-1 for NaT); bin b has label
 * labels[b] when labels is not NULL (call once with NULL to learn *nbins,
 * then with room for *nbins labels). Returns 0, or GL_EINVAL (bad rule). */
int gl_resample_bins(int64_t n, const int64_t *ts, int kind, int64_t mult, int64_t step_ns,
                     int64_t *codes, int64_t *labels, int64_t *nbins);

/* Grouped reductions of vals over codes (0..ngroups-1, -1 skipped); NaN
 * values are skipped as pandas does. How: see GL_AGG_*. out has ngroups
 * entries; for GL_AGG_COUNT/SIZE it holds counts as doubles. scratch needs
 * n + 2*ngroups + 1 int64 for MEDIAN (NULL otherwise). Sums use Kahan
 * compensation, in row order, so results do not depend on threads. */
enum { GL_AGG_MEAN = 0, GL_AGG_SUM, GL_AGG_MIN, GL_AGG_MAX, GL_AGG_FIRST, GL_AGG_LAST,
       GL_AGG_COUNT, GL_AGG_MEDIAN, GL_AGG_STD, GL_AGG_VAR, GL_AGG_SIZE, GL_AGG_PROD };
int gl_group_reduce_f64(int64_t n, const int64_t *codes, const double *vals, int64_t ngroups,
                        int how, int64_t ddof, double *out, int64_t *scratch);

/* Fills NaN runs of y by interpolation (pandas Series.interpolate):
 * linear in position (x == NULL) or in x; "nearest" when nearest != 0.
 * Leading NaNs stay; trailing NaNs take the last valid value (linear) as
 * pandas does; limit > 0 fills at most `limit` values at the start of each
 * run. out may be y. */
int gl_interpolate_f64(int64_t n, const double *x, const double *y, int nearest,
                       int64_t limit, double *out);

/* For each target time the position (0-based) in the sorted-ascending source
 * src, or -1: method 0 exact, 1 pad (last src <= t), 2 backfill, 3 nearest
 * (ties to the later one, as pandas); tol >= 0 discards matches farther than
 * tol. src must be ascending (GL_EINVAL otherwise) except for exact. */
int gl_index_match_i64(int64_t nsrc, const int64_t *src, int64_t ntgt, const int64_t *tgt,
                       int method, int64_t tol, int64_t *out);

/* Stable ascending order of keys (NaT/INT64_MIN first unless nat_last);
 * order gets 0-based positions. scratch: n int64. */
int gl_argsort_i64(int64_t n, const int64_t *keys, int64_t *order, int64_t *scratch);
/* Stable order of doubles, NaN last. */
int gl_argsort_f64(int64_t n, const double *keys, int descending, int64_t *order, int64_t *scratch);

#endif
