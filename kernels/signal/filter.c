/* filter.c: lfilter, sosfilt, their steady states and filtfilt, with
 * scipy's arithmetic: lfilter is scipy's _linear_filter loop (coefficients
 * divided by a[0] once, direct form II transposed), sosfilt is scipy's
 * _sosfilt loop, lfilter_zi solves (I - A^T) zi = b[1:] - a[1:] b[0] with
 * LAPACK's dgesv as numpy.linalg.solve does. Rows are independent, so they
 * run in parallel with identical results for any thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "gl_types.h"
#include "filter.h"

/* One row: x and y strided (strides in elements, may be negative). */
static void lfilter_row (int64_t n, const double *x, int64_t xs, double *y, int64_t ys,
                         int64_t nc, const double *b, const double *a, double *z) {
  for (int64_t k = 0; k < n; k++) {
    double xn = x[k * xs], yn;
    if (nc > 1) {
      yn = z[0] + b[0] * xn;
      int64_t i = 1;
      for (; i < nc - 1; i++) z[i - 1] = z[i] + xn * b[i] - yn * a[i];
      z[i - 1] = xn * b[i] - yn * a[i];
    } else yn = xn * b[0];
    y[k * ys] = yn;
  }
}

/* scipy's _sosfilt loop for a section count known at compile time
 * (NSEC_MAX at most): inlined with a constant nsec, the section loop unrolls
 * and the state lives in registers instead of memory, where every sample's
 * store and reload sat on the recursion's critical path. Same operations in
 * the same order as the general loop, so the same bits. x and y may be the
 * same line (each sample is read before its output is written). */
#define NSEC_MAX 8
static inline __attribute__((always_inline)) void sosfilt_row_k (int64_t n, const double *x, int64_t xs,
                                  double *y, int64_t ys, const int nsec, const double *sos, double *z) {
  double c[6 * NSEC_MAX], zl[2 * NSEC_MAX];
  for (int i = 0; i < 6 * nsec; i++) c[i] = sos[i];
  for (int i = 0; i < 2 * nsec; i++) zl[i] = z[i];
  for (int64_t k = 0; k < n; k++) {
    double cur = x[k * xs];
#pragma GCC unroll 8
    for (int s = 0; s < nsec; s++) {
      double nw = c[6 * s] * cur + zl[2 * s];
      zl[2 * s] = c[6 * s + 1] * cur - c[6 * s + 4] * nw + zl[2 * s + 1];
      zl[2 * s + 1] = c[6 * s + 2] * cur - c[6 * s + 5] * nw;
      cur = nw;
    }
    y[k * ys] = cur;
  }
  for (int i = 0; i < 2 * nsec; i++) z[i] = zl[i];
}

static void sosfilt_row (int64_t n, const double *x, int64_t xs, double *y, int64_t ys,
                         int64_t nsec, const double *sos, double *z) {
  switch (nsec) {
    case 1: sosfilt_row_k(n, x, xs, y, ys, 1, sos, z); return;
    case 2: sosfilt_row_k(n, x, xs, y, ys, 2, sos, z); return;
    case 3: sosfilt_row_k(n, x, xs, y, ys, 3, sos, z); return;
    case 4: sosfilt_row_k(n, x, xs, y, ys, 4, sos, z); return;
    case 5: sosfilt_row_k(n, x, xs, y, ys, 5, sos, z); return;
    case 6: sosfilt_row_k(n, x, xs, y, ys, 6, sos, z); return;
    case 7: sosfilt_row_k(n, x, xs, y, ys, 7, sos, z); return;
    case 8: sosfilt_row_k(n, x, xs, y, ys, 8, sos, z); return;
    default: break;
  }
  for (int64_t k = 0; k < n; k++) {
    double cur = x[k * xs];
    for (int64_t s = 0; s < nsec; s++) {
      const double *c = sos + 6 * s;
      double *zs = z + 2 * s;
      double nw = c[0] * cur + zs[0];
      zs[0] = c[1] * cur - c[4] * nw + zs[1];
      zs[1] = c[2] * cur - c[5] * nw;
      cur = nw;
    }
    y[k * ys] = cur;
  }
}

/* Divides b and a by a[0] into bn, an (scipy normalises once per call). */
static void normalise (int64_t nc, const double *b, const double *a, double *bn, double *an) {
  double a0 = a[0];
  for (int64_t i = 0; i < nc; i++) { bn[i] = b[i] / a0; an[i] = a[i] / a0; }
}

int gl_sig_lfilter_f64 (int64_t rows, int64_t n, const double *x, double *y,
                        int64_t nc, const double *b, const double *a, double *z) {
  if (nc < 1 || a[0] == 0) return GL_EINVAL;
  double *bn = malloc((size_t)(2 * nc) * sizeof *bn);
  if (!bn) return GL_ENOMEM;
  double *an = bn + nc;
  normalise(nc, b, a, bn, an);
  #pragma omp parallel for num_threads(gl_threads()) if (rows > 1 && rows * n > 65536) schedule(static)
  for (int64_t r = 0; r < rows; r++)
    lfilter_row(n, x + r * n, 1, y + r * n, 1, nc, bn, an, z + r * (nc - 1));
  free(bn);
  return 0;
}

int gl_sig_sosfilt_f64 (int64_t rows, int64_t n, const double *x, double *y,
                        int64_t nsec, const double *sos, double *z) {
  #pragma omp parallel for num_threads(gl_threads()) if (rows > 1 && rows * n > 65536) schedule(static)
  for (int64_t r = 0; r < rows; r++)
    sosfilt_row(n, x + r * n, 1, y + r * n, 1, nsec, sos, z + r * nsec * 2);
  return 0;
}

int gl_sig_lfilter_zi_f64 (int64_t nc, const double *b, const double *a, double *zi) {
  if (nc < 2) return 0;
  int64_t m = nc - 1;
  double *buf = malloc((size_t)(m * m + 2 * nc) * sizeof *buf);
  lapack_int *piv = malloc((size_t)m * sizeof *piv);
  if (!buf || !piv) { free(buf); free(piv); return GL_ENOMEM; }
  double *M = buf + 2 * nc, *bn = buf, *an = buf + nc;
  if (a[0] != 1.0) normalise(nc, b, a, bn, an);
  else { memcpy(bn, b, (size_t)nc * sizeof *bn); memcpy(an, a, (size_t)nc * sizeof *an); }
  /* I - companion(a)^T: column 0 holds 1 + a[1] on the diagonal, a[i+1]
   * below it; -1 on the superdiagonal */
  memset(M, 0, (size_t)(m * m) * sizeof *M);
  for (int64_t i = 0; i < m; i++) {
    M[i * m + i] = 1.0;
    M[i * m + 0] = (i == 0 ? 1.0 : 0.0) - (-an[i + 1] / 1.0);
    if (i + 1 < m) M[i * m + i + 1] = 0.0 - 1.0;
    zi[i] = bn[i + 1] - an[i + 1] * bn[0];
  }
  lapack_int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)m, 1, M, (lapack_int)m, piv, zi, 1);
  free(buf); free(piv);
  return info == 0 ? 0 : GL_ESINGULAR;
}

int gl_sig_sosfilt_zi_f64 (int64_t nsec, const double *sos, double *zi) {
  double scale = 1.0;
  for (int64_t s = 0; s < nsec; s++) {
    const double *c = sos + 6 * s;
    int rc = gl_sig_lfilter_zi_f64(3, c, c + 3, zi + 2 * s);
    if (rc) return rc;
    zi[2 * s] *= scale; zi[2 * s + 1] *= scale;
    scale *= ((c[0] + c[1]) + c[2]) / ((c[3] + c[4]) + c[5]);
  }
  return 0;
}

/* scipy's odd_ext / even_ext / const_ext of one row: the edge samples before
 * it (L, in order) and after it (R). */
static void extend (int64_t n, const double *x, int pad, int64_t edge, double *L, double *R) {
  for (int64_t i = 0; i < edge; i++) {
    double l = x[edge - i], r = x[n - 2 - i];   /* left_ext[i], right_ext[i] */
    if (pad == GL_PAD_ODD) { l = 2 * x[0] - l; r = 2 * x[n - 1] - r; }
    else if (pad == GL_PAD_CONSTANT) { l = x[0]; r = x[n - 1]; }
    L[i] = l;
    R[i] = r;
  }
}

/* Filters len samples from x to y (strides xs, ys; may be the same line)
 * with state z: sections or b/a. */
typedef struct { int64_t nsec, nc; const double *sos, *b, *a; } filt;
static void run (const filt *f, int64_t len, const double *x, int64_t xs, double *y, int64_t ys, double *z) {
  if (f->sos) sosfilt_row(len, x, xs, y, ys, f->nsec, f->sos, z);
  else lfilter_row(len, x, xs, y, ys, f->nc, f->b, f->a, z);
}

int gl_sig_filtfilt_f64 (int64_t rows, int64_t n, const double *x, double *y,
                         int pad, int64_t edge, int64_t nc, const double *b, const double *a,
                         int64_t nsec, const double *sos) {
  int64_t ns = sos ? 2 * nsec : nc - 1;
  double *co = malloc((size_t)(2 * nc + 2 * ns + 1) * sizeof *co);
  if (!co) return GL_ENOMEM;
  double *bn = co, *an = co + nc, *zi = co + 2 * nc;
  int rc = sos ? gl_sig_sosfilt_zi_f64(nsec, sos, zi) : gl_sig_lfilter_zi_f64(nc, b, a, zi);
  if (!sos && !rc) normalise(nc, b, a, bn, an);
  if (rc) { free(co); return rc; }
  /* The extended signal is L, x, R. Forward: L and R in place, x into y;
   * backward: R, then y in place. The backward outputs over L would be cut
   * off, so they are not computed; no copy of the signal is made. */
  filt f = {nsec, nc, sos, bn, an};
  int err = 0;
  #pragma omp parallel num_threads(gl_threads()) if (rows > 1 && rows * n > 65536)
  {
    double *ext = malloc((size_t)(2 * edge + ns + 1) * sizeof *ext);
    if (!ext) {
      #pragma omp atomic write
      err = 1;
    }
    #pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      if (!ext) continue;
      double *L = ext, *R = ext + edge, *z = ext + 2 * edge, *yr = y + r * n;
      const double *xr = x + r * n;
      extend(n, xr, pad, edge, L, R);
      double x0 = edge ? L[0] : xr[0];
      for (int64_t i = 0; i < ns; i++) z[i] = zi[i] * x0;
      run(&f, edge, L, 1, L, 1, z);
      run(&f, n, xr, 1, yr, 1, z);
      run(&f, edge, R, 1, R, 1, z);
      double y0 = edge ? R[edge - 1] : yr[n - 1];
      for (int64_t i = 0; i < ns; i++) z[i] = zi[i] * y0;
      run(&f, edge, R + edge - 1, -1, R + edge - 1, -1, z);
      run(&f, n, yr + n - 1, -1, yr + n - 1, -1, z);
    }
    free(ext);
  }
  free(co);
  return err ? GL_ENOMEM : 0;
}
