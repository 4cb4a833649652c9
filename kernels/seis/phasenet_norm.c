/* phasenet_norm.c: PhaseNet's normalize_long in one pass over the record.
 * Written out rather than composed of array operations: composed, it held a
 * dozen full-length float64 temporaries (2 GB peak and 7 s of CPU for one
 * day at 100 Hz); here the window statistics are one pass and the
 * interpolation and scaling a second, with no temporary. */
#include <math.h>
#include "gl_types.h"
#include "phasenet_norm.h"

/* Sample i of channel c, reflected past the end: x[L-1+k] is x[L-1-k]. */
static double at (const double *x, ptrdiff_t L, ptrdiff_t rs, ptrdiff_t cs, ptrdiff_t i, int c) {
  if (i >= L) i = 2 * (L - 1) - i;
  return x[i * rs + c * cs];
}

/* Mean and population std of the window [a, a + 3000) of channel c (two
 * passes: the mean, then the squared deviations from it). */
static void window_stats (const double *x, ptrdiff_t L, ptrdiff_t rs, ptrdiff_t cs, ptrdiff_t a, int c,
                          double *mean, double *std) {
  double s = 0;
  for (ptrdiff_t i = a; i < a + GL_PN_WINDOW; i++) s += at(x, L, rs, cs, i, c);
  double m = s / GL_PN_WINDOW, ss = 0;
  for (ptrdiff_t i = a; i < a + GL_PN_WINDOW; i++) {
    double d = at(x, L, rs, cs, i, c) - m;
    ss += d * d;
  }
  *mean = m;
  *std = sqrt(ss / GL_PN_WINDOW);
}

int gl_phasenet_normalize (const double *x, ptrdiff_t L, ptrdiff_t rs, ptrdiff_t cs, float *out,
                           double *mv, double *sv) {
  if (L <= GL_PN_HOP) return -1;
  ptrdiff_t K = (L + GL_PN_HOP - 1) / GL_PN_HOP;    /* nodes at 0, 1500, ... (< L); node K is at L */
  /* node j (1 .. K-1) holds the window starting at (j - 1) * 1500, centred on it */
  #pragma omp parallel for num_threads(gl_threads()) if (L > 100000) schedule(static)
  for (ptrdiff_t j = 1; j < K; j++)
    for (int c = 0; c < 3; c++)
      window_stats(x, L, rs, cs, (j - 1) * GL_PN_HOP, c, &mv[j * 3 + c], &sv[j * 3 + c]);
  for (int c = 0; c < 3; c++) {
    mv[c] = mv[3 + c];               sv[c] = sv[3 + c];
    mv[K * 3 + c] = mv[(K - 1) * 3 + c]; sv[K * 3 + c] = sv[(K - 1) * 3 + c];
  }
  int live = 0;
  for (int c = 0; c < 3; c++) {
    int any = 0;
    for (ptrdiff_t j = 0; j < K; j++) any |= sv[j * 3 + c] != 0;
    live += any;
  }
  double f = (live > 0 && live < 3) ? 3.0 / live : 1.0;
  /* np.interp between nodes j and j + 1: slope * (t - t_j) + y_j */
  #pragma omp parallel for num_threads(gl_threads()) if (L > 100000) schedule(static)
  for (ptrdiff_t j = 0; j < K; j++) {
    ptrdiff_t t0 = j * GL_PN_HOP, t1 = j + 1 < K ? t0 + GL_PN_HOP : L;
    for (int c = 0; c < 3; c++) {
      double m0 = mv[j * 3 + c], m1 = mv[(j + 1) * 3 + c];
      double s0 = sv[j * 3 + c], s1 = sv[(j + 1) * 3 + c];
      double dt = (double)(t1 - t0);
      double mslope = (m1 - m0) / dt, sslope = (s1 - s0) / dt;
      for (ptrdiff_t t = t0; t < t1; t++) {
        double u = (double)(t - t0);
        double m = mslope * u + m0, s = sslope * u + s0;
        if (s == 0) s = 1;
        out[t * 3 + c] = (float)((x[t * rs + c * cs] - m) / s * f);
      }
    }
  }
  return 0;
}
