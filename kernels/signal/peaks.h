/* peaks.h: scipy.signal's peak finding loops (_local_maxima_1d,
 * _select_by_peak_distance, _peak_prominences, _peak_widths) in C. Positions
 * are 0-based here; the binding adds 1. */
#ifndef GL_SIGNAL_PEAKS_H
#define GL_SIGNAL_PEAKS_H
#include <stdint.h>

/* Local maxima of x (n), plateaus included: middle, left and right edge of
 * each (arrays of at least n / 2 + 1). Returns the count. */
int64_t gl_sig_local_maxima_f64(int64_t n, const double *x, int64_t *mid, int64_t *left, int64_t *right);

/* keep[i] = 0 for peaks closer than distance (ceil'ed) to a higher one,
 * highest first; equal heights: the later peak first. order: m scratch. */
int gl_sig_peak_distance_f64(int64_t m, const int64_t *peaks, const double *x, double distance,
                             unsigned char *keep, int64_t *order);

/* Prominences and bases (wlen < 2: no window). Returns 0 or GL_ERANGE for a
 * peak outside x. */
int gl_sig_prominences_f64(int64_t n, const double *x, int64_t m, const int64_t *peaks, int64_t wlen,
                           double *prom, int64_t *lb, int64_t *rb);

/* Widths at prominence * rel_height below each peak. Returns 0 or GL_EINVAL
 * for inconsistent prominence data. */
int gl_sig_widths_f64(int64_t n, const double *x, int64_t m, const int64_t *peaks, double rel,
                      const double *prom, const int64_t *lb, const int64_t *rb,
                      double *w, double *wh, double *lip, double *rip);

#endif
