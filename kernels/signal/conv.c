/* conv.c: direct sliding-window kernels (see conv.h). The medfilt window is
 * selected with a quickselect on a scratch copy, so each output costs O(m);
 * the STA/LTA sums are running sums with Kahan compensation, so that long
 * records keep the precision of a direct window sum. */
#include <math.h>
#include <float.h>
#include <string.h>
#include "gl_types.h"
#include "conv.h"

void gl_sig_convolve_full_f64 (int64_t n, const double *x, int64_t m, const double *w, double *y) {
  int64_t ny = n + m - 1;
  for (int64_t k = 0; k < ny; k++) {
    int64_t j0 = k - (n - 1) > 0 ? k - (n - 1) : 0, j1 = k < m - 1 ? k : m - 1;
    double s = 0;
    for (int64_t j = j0; j <= j1; j++) s += w[j] * x[k - j];
    y[k] = s;
  }
}

static double ext (int64_t n, const double *x, int64_t k, int mode, double cval) {
  if (k >= 0 && k < n) return x[k];
  if (mode == GL_BND_CONSTANT) return cval;
  if (mode == GL_BND_NEAREST || n == 1) return x[k < 0 ? 0 : n - 1];
  if (mode == GL_BND_WRAP) { k %= n; if (k < 0) k += n; return x[k]; }
  /* mirror: d c b | a b c d | c b a, period 2(n-1) */
  int64_t p = 2 * (n - 1);
  k %= p; if (k < 0) k += p;
  if (k >= n) k = p - k;
  return x[k];
}

/* Interior outputs are computed CONV_BLOCK at a time: each still sums its m
 * products in the order j = 0..m-1 (the same bits as one at a time), but the
 * block's sums are independent, so the additions overlap instead of waiting
 * for each other (a 101-point savgol window: about 4x faster). */
#define CONV_BLOCK 8
typedef double v2d __attribute__((vector_size(16)));

void gl_sig_convolve1d_f64 (int64_t n, const double *x, int64_t m, const double *w,
                            int mode, double cval, double *y) {
  int64_t h = m / 2;
  for (int64_t i = 0; i < n; i++) {
    if (i - h >= 0 && i + h + CONV_BLOCK - 1 < n) {
      /* pairs of sums in SSE2 registers (GCC's vector extension; packed
       * multiplies and adds round exactly as scalar ones do) */
      v2d s0 = {0, 0}, s1 = {0, 0}, s2 = {0, 0}, s3 = {0, 0};
      for (int64_t j = 0; j < m; j++) {
        const double *xp = x + i + h - j;
        v2d wj = {w[j], w[j]}, a0, a1, a2, a3;
        memcpy(&a0, xp, sizeof a0); memcpy(&a1, xp + 2, sizeof a1);
        memcpy(&a2, xp + 4, sizeof a2); memcpy(&a3, xp + 6, sizeof a3);
        s0 += wj * a0; s1 += wj * a1; s2 += wj * a2; s3 += wj * a3;
      }
      memcpy(y + i, &s0, sizeof s0); memcpy(y + i + 2, &s1, sizeof s1);
      memcpy(y + i + 4, &s2, sizeof s2); memcpy(y + i + 6, &s3, sizeof s3);
      i += CONV_BLOCK - 1;
      continue;
    }
    double s = 0;
    if (i - h >= 0 && i + h < n) for (int64_t j = 0; j < m; j++) s += w[j] * x[i + h - j];
    else for (int64_t j = 0; j < m; j++) s += w[j] * ext(n, x, i + h - j, mode, cval);
    y[i] = s;
  }
}

/* k-th smallest of v[0..m) (reorders v). */
static double select_k (double *v, int64_t m, int64_t k) {
  int64_t lo = 0, hi = m - 1;
  while (lo < hi) {
    double piv = v[lo + (hi - lo) / 2];
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < piv) i++;
      while (v[j] > piv) j--;
      if (i <= j) { double t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k];
  }
  return v[k];
}

void gl_sig_medfilt_f64 (int64_t n, const double *x, int64_t m, double *y, double *scratch) {
  int64_t h = m / 2;
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = 0; j < m; j++) {
      int64_t k = i - h + j;
      scratch[j] = (k >= 0 && k < n) ? x[k] : 0.0;
    }
    y[i] = select_k(scratch, m, h);
  }
}

typedef struct { double s, c; } kahan;
static void kadd (kahan *k, double v) {
  double y = v - k->c, t = k->s + y;
  k->c = (t - k->s) - y;
  k->s = t;
}

void gl_sig_classic_sta_lta_f64 (int64_t n, const double *x, int64_t nsta, int64_t nlta, double *y) {
  kahan sta = {0, 0}, lta = {0, 0};
  for (int64_t i = 0; i < n; i++) {
    double q = x[i] * x[i];
    kadd(&sta, q); kadd(&lta, q);
    if (i >= nsta) kadd(&sta, -(x[i - nsta] * x[i - nsta]));
    if (i >= nlta) kadd(&lta, -(x[i - nlta] * x[i - nlta]));
    if (i < nlta - 1) { y[i] = 0; continue; }
    double s = sta.s / (double)nsta, l = lta.s / (double)nlta;
    if (l < DBL_MIN) l = DBL_MIN;   /* ObsPy's guard against 0/0 */
    y[i] = s / l;
  }
}

void gl_sig_recursive_sta_lta_f64 (int64_t n, const double *x, int64_t nsta, int64_t nlta, double *y) {
  double csta = 1. / (double)nsta, clta = 1. / (double)nlta, sta = 0., lta = DBL_MIN;
  double icsta = 1 - csta, iclta = 1 - clta;
  if (n > 0) y[0] = 0;
  for (int64_t i = 1; i < n; i++) {
    double q = x[i] * x[i];
    sta = csta * q + icsta * sta;
    lta = clta * q + iclta * lta;
    y[i] = sta / lta;
  }
  for (int64_t i = 0; i < nlta && i < n; i++) y[i] = 0;
}

void gl_sig_upfirdn_f64 (int64_t n, const double *x, int64_t nh, const double *h,
                         int64_t up, int64_t down, int64_t ny, double *y) {
  for (int64_t k = 0; k < ny; k++) {
    int64_t t = k * down;              /* position in the upsampled signal */
    int64_t i = t / up, j = t - i * up; /* x[i] meets h[j], then h[j + up] ... */
    double s = 0;
    for (; j < nh && i >= 0; j += up, i--) if (i < n) s += h[j] * x[i];
    y[k] = s;
  }
}
