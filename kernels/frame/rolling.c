/* rolling.c: moving windows and correlation matrices for the frame module.
 * Sums and moments are recomputed from scratch per window for min/max/
 * median, and updated by adding and removing values for sum/mean/var (with
 * Welford's update), as pandas' roll_* functions do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rolling.h"
#include "resample.h"
#include "gl_types.h"

static int cmpd (const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int gl_rolling_f64 (int64_t n, const double *x, const int64_t *ts, int64_t window,
                    int64_t min_periods, int how, int64_t ddof, double *out, double *scratch) {
  int64_t lo = 0;
  double sum = 0, mean = 0, m2 = 0;
  int64_t cnt = 0;
  if (window <= 0) return GL_EINVAL;
  for (int64_t i = 0; i < n; i++) {
    /* medians and extremes cost a window per row: Ctrl-C is polled */
    if ((i & 4095) == 4095 && gl_interrupted()) return GL_EINTR;
    /* add x[i] */
    if (!isnan(x[i])) {
      cnt++;
      sum += x[i];
      double d = x[i] - mean;
      mean += d / (double)cnt;
      m2 += d * (x[i] - mean);
    }
    /* drop rows that left the window */
    int64_t newlo = ts ? lo : (i - window + 1 > 0 ? i - window + 1 : 0);
    if (ts) while (newlo < i && ts[newlo] <= ts[i] - window) newlo++;
    for (; lo < newlo; lo++) {
      if (isnan(x[lo])) continue;
      cnt--;
      sum -= x[lo];
      if (cnt == 0) { mean = 0; m2 = 0; sum = 0; }
      else {
        double d = x[lo] - mean;
        mean -= d / (double)cnt;
        m2 -= d * (x[lo] - mean);
      }
    }
    if (how == GL_ROLL_COUNT) {
      /* pandas 1.5 holds min_periods against the rows in the window, NaN or
         not: [5, NaN, NaN] with min_periods=2 counts 1 */
      out[i] = i - lo + 1 >= min_periods ? (double)cnt : NAN;
      continue;
    }
    if (cnt < min_periods || cnt == 0) { out[i] = NAN; continue; }
    switch (how) {
      case GL_ROLL_SUM: out[i] = sum; break;
      case GL_ROLL_MEAN: out[i] = sum / (double)cnt; break;
      case GL_ROLL_COUNT: out[i] = (double)cnt; break;
      case GL_ROLL_VAR: case GL_ROLL_STD: {
        double v = cnt > ddof ? (m2 < 0 ? 0 : m2) / (double)(cnt - ddof) : NAN;
        out[i] = how == GL_ROLL_STD ? sqrt(v) : v;
        break;
      }
      default: {
        int64_t m = 0;
        for (int64_t j = lo; j <= i; j++) if (!isnan(x[j])) scratch[m++] = x[j];
        if (how == GL_ROLL_MIN || how == GL_ROLL_MAX) {
          double r = scratch[0];
          for (int64_t j = 1; j < m; j++)
            if (how == GL_ROLL_MIN ? scratch[j] < r : scratch[j] > r) r = scratch[j];
          out[i] = r;
        } else {
          qsort(scratch, (size_t)m, sizeof(double), cmpd);
          out[i] = m % 2 ? scratch[m / 2] : (scratch[m / 2 - 1] + scratch[m / 2]) / 2;
        }
      }
    }
  }
  return 0;
}

void gl_rank_avg_f64 (int64_t n, const double *x, double *r, int64_t *order, int64_t *scratch) {
  gl_argsort_f64(n, x, 0, order, scratch);
  int64_t i = 0;
  while (i < n) {
    if (isnan(x[order[i]])) { r[order[i]] = NAN; i++; continue; }
    int64_t j = i;
    while (j + 1 < n && x[order[j + 1]] == x[order[i]]) j++;
    double avg = (double)(i + j) / 2 + 1;
    for (int64_t k = i; k <= j; k++) r[order[k]] = avg;
    i = j + 1;
  }
}

int gl_corr_f64 (int64_t n, int64_t k, const double *const *cols, int method,
                 int64_t min_periods, double *out, double *scratch, int64_t *iscratch) {
  double *a = scratch, *b = scratch + n, *ra = scratch + 2 * n, *rb = scratch + 3 * n;
  for (int64_t p = 0; p < k; p++)
    for (int64_t q = p; q < k; q++) {
      int64_t m = 0;
      for (int64_t i = 0; i < n; i++)
        if (!isnan(cols[p][i]) && !isnan(cols[q][i])) { a[m] = cols[p][i]; b[m] = cols[q][i]; m++; }
      double r = NAN;
      if (m >= min_periods && m >= 1) {
        const double *x = a, *y = b;
        if (method == 1) {
          gl_rank_avg_f64(m, a, ra, iscratch, (int64_t *)rb);
          /* rb was scratch for ranking a; rank b into rb via a copy of b in a */
          memcpy(a, b, sizeof(double) * (size_t)m);
          int64_t *tmp = (int64_t *)malloc(sizeof(int64_t) * (size_t)(m + 1));
          if (!tmp) return GL_ENOMEM;
          gl_rank_avg_f64(m, a, rb, iscratch, tmp);
          free(tmp);
          x = ra; y = rb;
        }
        double mx = 0, my = 0;
        for (int64_t i = 0; i < m; i++) { mx += x[i]; my += y[i]; }
        mx /= (double)m; my /= (double)m;
        double sxy = 0, sxx = 0, syy = 0;
        for (int64_t i = 0; i < m; i++) {
          double dx = x[i] - mx, dy = y[i] - my;
          sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        if (method == 2) r = m > 1 ? sxy / (double)(m - 1) : NAN;
        else {
          double den = sqrt(sxx * syy);
          r = den > 0 ? sxy / den : NAN;
          if (r > 1) r = 1;
          if (r < -1) r = -1;
        }
      }
      out[p * k + q] = out[q * k + p] = r;
    }
  return 0;
}
