/* peaks.c: scipy.signal's peak loops (scipy/signal/_peak_finding_utils.pyx),
 * statement for statement. The distance rule visits peaks by height; its
 * order is a stable merge sort, so equal heights go by position (scipy's
 * argsort leaves that order unspecified). */
#include <math.h>
#include <stdlib.h>
#include "gl_types.h"
#include "peaks.h"

int64_t gl_sig_local_maxima_f64 (int64_t n, const double *x, int64_t *mid, int64_t *left, int64_t *right) {
  int64_t m = 0, i = 1, imax = n - 1;
  while (i < imax) {
    if (x[i - 1] < x[i]) {
      int64_t ahead = i + 1;
      while (ahead < imax && x[ahead] == x[i]) ahead++;
      if (x[ahead] < x[i]) {
        left[m] = i; right[m] = ahead - 1;
        mid[m] = (left[m] + right[m]) / 2;
        m++;
        i = ahead;
      }
    }
    i++;
  }
  return m;
}

/* stable merge sort of idx by x[peaks[idx]] ascending */
static void msort (int64_t *a, int64_t *tmp, int64_t n, const int64_t *peaks, const double *x) {
  if (n < 2) return;
  int64_t h = n / 2;
  msort(a, tmp, h, peaks, x);
  msort(a + h, tmp, n - h, peaks, x);
  int64_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = (x[peaks[a[j]]] < x[peaks[a[i]]]) ? a[j++] : a[i++];
  while (i < h) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  for (k = 0; k < n; k++) a[k] = tmp[k];
}

int gl_sig_peak_distance_f64 (int64_t m, const int64_t *peaks, const double *x, double distance,
                              unsigned char *keep, int64_t *order) {
  int64_t d = (int64_t)ceil(distance);
  int64_t *tmp = malloc((size_t)(m > 0 ? m : 1) * sizeof *tmp);
  if (!tmp) return GL_ENOMEM;
  for (int64_t i = 0; i < m; i++) { order[i] = i; keep[i] = 1; }
  msort(order, tmp, m, peaks, x);
  free(tmp);
  for (int64_t r = m - 1; r >= 0; r--) {
    int64_t j = order[r];
    if (!keep[j]) continue;
    for (int64_t k = j - 1; k >= 0 && peaks[j] - peaks[k] < d; k--) keep[k] = 0;
    for (int64_t k = j + 1; k < m && peaks[k] - peaks[j] < d; k++) keep[k] = 0;
  }
  return 0;
}

int gl_sig_prominences_f64 (int64_t n, const double *x, int64_t m, const int64_t *peaks, int64_t wlen,
                            double *prom, int64_t *lb, int64_t *rb) {
  for (int64_t k = 0; k < m; k++) {
    int64_t peak = peaks[k], imin = 0, imax = n - 1;
    if (peak < imin || peak > imax) return GL_ERANGE;
    if (wlen >= 2) {
      if (peak - wlen / 2 > imin) imin = peak - wlen / 2;
      if (peak + wlen / 2 < imax) imax = peak + wlen / 2;
    }
    double xp = x[peak], lmin = xp, rmin = xp;
    int64_t i = peak;
    lb[k] = peak;
    while (imin <= i && x[i] <= xp) {
      if (x[i] < lmin) { lmin = x[i]; lb[k] = i; }
      i--;
    }
    i = peak;
    rb[k] = peak;
    while (i <= imax && x[i] <= xp) {
      if (x[i] < rmin) { rmin = x[i]; rb[k] = i; }
      i++;
    }
    prom[k] = xp - (lmin > rmin ? lmin : rmin);
  }
  return 0;
}

int gl_sig_widths_f64 (int64_t n, const double *x, int64_t m, const int64_t *peaks, double rel,
                       const double *prom, const int64_t *lb, const int64_t *rb,
                       double *w, double *wh, double *lip, double *rip) {
  for (int64_t p = 0; p < m; p++) {
    int64_t imin = lb[p], imax = rb[p], peak = peaks[p];
    if (!(0 <= imin && imin <= peak && peak <= imax && imax < n)) return GL_EINVAL;
    double h = x[peak] - prom[p] * rel;
    wh[p] = h;
    int64_t i = peak;
    while (imin < i && h < x[i]) i--;
    double l = (double)i;
    if (x[i] < h) l += (h - x[i]) / (x[i + 1] - x[i]);
    i = peak;
    while (i < imax && h < x[i]) i++;
    double r = (double)i;
    if (x[i] < h) r -= (h - x[i]) / (x[i - 1] - x[i]);
    w[p] = r - l;
    lip[p] = l; rip[p] = r;
  }
  return 0;
}
