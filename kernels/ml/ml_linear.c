/* ml_linear.c: elastic-net coordinate descent (see ml_linear.h). The update
 * order, the stopping rule and the duality gap follow scikit-learn 1.2's
 * linear_model/_cd_fast.pyx, so that results agree to rounding. */
#include <math.h>
#include <stdlib.h>
#include "ml_linear.h"

static double dot (int64_t n, const double *a, const double *b) {
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

int gl_ml_enet_cd_f64 (int64_t n, int64_t p, const double *X, const double *y, double *w,
                       double alpha, double beta, int64_t max_iter, double tol, int positive,
                       double *R, double *gap_out, int64_t *iter_out) {
  double *norm = (double *)malloc((size_t)(p > 0 ? p : 1) * sizeof(double));
  double gap = tol + 1.0, d_w_tol = tol;
  int64_t it = 0;
  if (!norm) return GL_ENOMEM;
  for (int64_t f = 0; f < p; f++) norm[f] = dot(n, X + f * n, X + f * n);
  for (int64_t i = 0; i < n; i++) R[i] = y[i];
  for (int64_t f = 0; f < p; f++) if (w[f] != 0.0)
    for (int64_t i = 0; i < n; i++) R[i] -= w[f] * X[f * n + i];
  tol *= dot(n, y, y);
  for (it = 0; it < max_iter; it++) {
    double w_max = 0.0, d_w_max = 0.0;
    if (gl_interrupted()) { free(norm); return GL_EINTR; }
    for (int64_t f = 0; f < p; f++) {
      const double *xf = X + f * n;
      if (norm[f] == 0.0) continue;
      double w_old = w[f];
      if (w_old != 0.0) for (int64_t i = 0; i < n; i++) R[i] += w_old * xf[i];
      double tmp = dot(n, xf, R);
      if (positive && tmp < 0) w[f] = 0.0;
      else w[f] = (tmp >= 0 ? 1.0 : -1.0) * fmax(fabs(tmp) - alpha, 0.0) / (norm[f] + beta);
      if (tmp == 0.0) w[f] = 0.0;
      if (w[f] != 0.0) for (int64_t i = 0; i < n; i++) R[i] -= w[f] * xf[i];
      d_w_max = fmax(d_w_max, fabs(w[f] - w_old));
      w_max = fmax(w_max, fabs(w[f]));
    }
    if (w_max == 0.0 || d_w_max / w_max < d_w_tol || it == max_iter - 1) {
      double dual = 0.0, rn2 = dot(n, R, R), wn2 = dot(p, w, w), l1 = 0.0, cst;
      for (int64_t f = 0; f < p; f++) {
        double xta = dot(n, X + f * n, R) - beta * w[f];
        if (positive) { if (xta > dual) dual = xta; }
        else if (fabs(xta) > dual) dual = fabs(xta);
        l1 += fabs(w[f]);
      }
      if (dual > alpha) { cst = alpha / dual; gap = 0.5 * (rn2 + rn2 * cst * cst); }
      else { cst = 1.0; gap = rn2; }
      gap += alpha * l1 - cst * dot(n, R, y) + 0.5 * beta * (1 + cst * cst) * wn2;
      if (gap < tol) { it++; break; }
    }
  }
  free(norm);
  *gap_out = gap;
  *iter_out = it > max_iter ? max_iter : it;
  return 0;
}
