/* iir_design.c: scipy.signal.iirfilter for Butterworth, Chebyshev I and II
 * and Bessel filters, step by step as scipy 1.10 does it, so that designs
 * agree to the last bits: prototypes (buttap, cheb1ap, cheb2ap, besselap),
 * lp2lp/lp2hp/lp2bp/lp2bs_zpk, bilinear_zpk, then numpy.poly (ba) or zpk2sos (sos).
 *
 * Complex division is NumPy's (Smith's algorithm with a reciprocal), not C's,
 * because NumPy's rounding is the one the fixtures carry. Ordering rules are
 * NumPy's too: stable sorts (lexsort; argsort of these small arrays is an
 * insertion sort), argmin takes the first minimum. */
#include <math.h>
#include <string.h>
#include "gl_types.h"
#include "iir_design.h"

typedef double complex cplx;

/* NumPy's complex division (loops.c.src CDOUBLE_divide). */
static cplx cdiv (cplx a, cplx b) {
  double ar = creal(a), ai = cimag(a), br = creal(b), bi = cimag(b);
  if (fabs(br) >= fabs(bi)) {
    if (br == 0 && bi == 0) return CMPLX(ar / fabs(br), ai / fabs(br));
    double rat = bi / br, scl = 1.0 / (br + bi * rat);
    return CMPLX((ar + ai * rat) * scl, (ai - ar * rat) * scl);
  }
  double rat = br / bi, scl = 1.0 / (bi + br * rat);
  return CMPLX((ar * rat + ai) * scl, (ai * rat - ar) * scl);
}

/* A Python float plus or minus a NumPy complex: the float becomes d+0j, so
 * the imaginary part is 0 + im or 0 - im (C's double + complex keeps a -0
 * imaginary part, and its double - complex turns +0 into -0). */
static cplx radd (double d, cplx z) { return CMPLX(d + creal(z), 0.0 + cimag(z)); }
static cplx rsub (double d, cplx z) { return CMPLX(d - creal(z), 0.0 - cimag(z)); }

static cplx cmul (cplx a, cplx b) {
  return CMPLX(creal(a) * creal(b) - cimag(a) * cimag(b), creal(a) * cimag(b) + cimag(a) * creal(b));
}

/* {===== analog prototypes (scipy buttap, cheb1ap, cheb2ap, besselap) */

static void buttap (int n, cplx *p, double *k) {
  for (int i = 0; i < n; i++) {
    double m = -n + 1 + 2 * i;
    /* 1j*pi*m/(2N) in NumPy: imaginary part (pi*m) times 1/(2N) */
    double y = (M_PI * m) * (1.0 / (2.0 * n));
    p[i] = -cexp(CMPLX(0.0, y));
  }
  *k = 1.0;
}

static void cheb1ap (int n, double rp, cplx *p, double *k) {
  if (n == 0) { *k = pow(10.0, -rp / 20); return; }
  double eps = sqrt(pow(10.0, 0.1 * rp) - 1.0);
  double mu = 1.0 / n * asinh(1 / eps);
  cplx prod = 1.0;
  for (int i = 0; i < n; i++) {
    double m = -n + 1 + 2 * i;
    double theta = M_PI * m / (2.0 * n);
    p[i] = -csinh(CMPLX(mu, theta));
    prod = cmul(prod, -p[i]);
  }
  *k = creal(prod);
  if (n % 2 == 0) *k = *k / sqrt(1 + eps * eps);
}

/* cheb2ap: zeros on the imaginary axis (none at m = 0 for odd n), poles
 * from Butterworth's warped and inverted; each step in NumPy's order:
 * z = -conj(1j / sin(m*pi/(2N))), p = 1 / (sinh(mu) Re p + 1j cosh(mu) Im p),
 * k = Re(prod(-p) / prod(-z)). */
static void cheb2ap (int n, double rs, cplx *z, int64_t *nz, cplx *p, double *k) {
  *nz = 0;
  if (n == 0) { *k = 1.0; return; }
  double de = 1.0 / sqrt(pow(10.0, 0.1 * rs) - 1);
  double mu = asinh(1.0 / de) / n;
  for (int m = -n + 1; m < n; m += 2) {
    if (n % 2 && m == 0) continue;
    double s = sin((double)m * M_PI / (2.0 * n));
    cplx q = cdiv(CMPLX(0.0, 1.0), CMPLX(s, 0.0));
    z[(*nz)++] = CMPLX(-creal(q), cimag(q));
  }
  for (int i = 0; i < n; i++) {
    double m = -n + 1 + 2 * i;
    double y = (M_PI * m) * (1.0 / (2.0 * n));
    cplx b = -cexp(CMPLX(0.0, y));
    p[i] = cdiv(1.0, CMPLX(sinh(mu) * creal(b), cosh(mu) * cimag(b)));
  }
  cplx pp = -p[0], pz = 1;
  for (int i = 1; i < n; i++) pp = cmul(pp, -p[i]);
  if (*nz > 0) pz = -z[0];
  for (int64_t i = 1; i < *nz; i++) pz = cmul(pz, -z[i]);
  *k = creal(cdiv(pp, pz));
}

/* Reverse Bessel polynomial theta_n(x)'s roots are those of y_n(x) =
 * sum c_k x^k, c_k = (n+k)! / ((n-k)! k! 2^k), the function scipy's root
 * finder works on (as exp(1/x) K_{n+1/2}(1/x)). Starting points are Campos
 * and Calderon's, in their order, so that the roots come out in scipy's
 * order; Aberth's iteration, then Newton to 1e-15, then conjugates are
 * averaged, as scipy's _bessel_zeros. */
static void ypoly (int n, const double *c, cplx x, cplx *f, cplx *fp) {
  cplx v = c[n], d = 0;
  for (int i = n - 1; i >= 0; i--) { d = d * x + v; v = v * x + c[i]; }
  *f = v; *fp = d;
}

static double npp_polyval (double x, const double *c, int nc) {
  double v = 0;
  for (int i = nc - 1; i >= 0; i--) v = v * x + c[i];
  return v;
}

static int bessel_zeros (int n, cplx *x) {
  if (n < 1 || n > 63) return GL_EINVAL;
  if (n == 1) { x[0] = -1; return 0; }
  double c[64];
  for (int kk = 0; kk <= n; kk++) {
    double v = 1;   /* (n+k)! / ((n-k)! k!) / 2^k, in exact steps while small */
    for (int j = n - kk + 1; j <= n + kk; j++) v *= j;
    for (int j = 2; j <= kk; j++) v /= j;
    c[kk] = ldexp(v, -kk);
  }
  double N = n;
  double s = npp_polyval(N, (const double[]){0, 0, 2, 0, -3, 1}, 6);
  double b3 = npp_polyval(N, (const double[]){16, -8}, 2) / s;
  double b2 = npp_polyval(N, (const double[]){-24, -12, 12}, 3) / s;
  double b1 = npp_polyval(N, (const double[]){8, 24, -12, -2}, 4) / s;
  double b0 = npp_polyval(N, (const double[]){0, -6, 0, 5, -1}, 5) / s;
  double r = npp_polyval(N, (const double[]){0, 0, 2, 1}, 4);
  double a1 = npp_polyval(N, (const double[]){-6, -6}, 2) / r, a2 = 6 / r;
  for (int i = 0; i < n; i++) {
    double kk = i + 1;
    x[i] = CMPLX(npp_polyval(kk, (const double[]){0, a1, a2}, 3),
                 npp_polyval(kk, (const double[]){b0, b1, b2, b3}, 4));
  }
  int conv = 0;
  for (int it = 0; it < 50 && !conv; it++) {
    cplx alpha[64];
    conv = 1;
    for (int i = 0; i < n; i++) {
      cplx f, fp;
      ypoly(n, c, x[i], &f, &fp);
      alpha[i] = -cdiv(f, fp);
      if (!(cabs(alpha[i]) <= 1e-15 * (1 + cabs(x[i])))) conv = 0;
    }
    for (int i = 0; i < n; i++) {
      cplx beta = 0;
      for (int j = 0; j < n; j++) if (j != i) beta += cdiv(1, x[i] - x[j]);
      x[i] += cdiv(alpha[i], 1 + alpha[i] * beta);
      if (!isfinite(creal(x[i])) || !isfinite(cimag(x[i]))) return GL_ESINGULAR;
    }
  }
  /* rounding noise in y_n near a root can keep |alpha| just above the
   * tolerance: the Newton steps below settle the last bits either way */
  for (int i = 0; i < n; i++) {
    for (int it = 0; it < 50; it++) {
      cplx f, fp;
      ypoly(n, c, x[i], &f, &fp);
      if (f == 0 || fp == 0) break;
      cplx nx = x[i] - cdiv(f, fp);
      int done = cabs(nx - x[i]) <= 1e-15;
      x[i] = nx;
      if (done) break;
    }
  }
  cplx y[64];
  for (int i = 0; i < n; i++) y[i] = (x[i] + conj(x[n - 1 - i])) / 2;
  memcpy(x, y, (size_t)n * sizeof *x);
  return 0;
}

/* scipy's optimize.newton without a derivative (the secant method, x0 = 1.5,
 * tol 1.48e-8) on |k / prod(jw - p)| - 1/sqrt(2): Bessel's 'mag' norm. */
static double norm_gain (int n, const cplx *p, double k, double w) {
  cplx prod = 1;
  for (int i = 0; i < n; i++) prod = cmul(prod, CMPLX(0.0, w) - p[i]);
  return cabs(cdiv(k, prod)) - 1 / sqrt(2.0);
}

static double norm_factor (int n, const cplx *p, double k) {
  double p0 = 1.5, p1 = 1.5 * (1 + 1e-4);
  p1 += (p1 >= 0 ? 1e-4 : -1e-4);
  double q0 = norm_gain(n, p, k, p0), q1 = norm_gain(n, p, k, p1);
  if (fabs(q1) < fabs(q0)) { double t = p0; p0 = p1; p1 = t; t = q0; q0 = q1; q1 = t; }
  for (int it = 0; it < 50; it++) {
    double pn;
    if (q1 == q0) return (p1 + p0) / 2.0;
    if (fabs(q1) > fabs(q0)) pn = (-q0 / q1 * p1 + p0) / (1 - q0 / q1);
    else pn = (-q1 / q0 * p0 + p1) / (1 - q1 / q0);
    if (fabs(pn - p1) <= 1.48e-8) return pn;
    p0 = p1; q0 = q1; p1 = pn; q1 = norm_gain(n, p, k, p1);
  }
  return p1;
}

static int besselap (int n, int norm, cplx *p, double *k) {
  if (n == 0) { *k = 1; return 0; }
  int rc = bessel_zeros(n, p);
  if (rc) return rc;
  for (int i = 0; i < n; i++) p[i] = cdiv(1, p[i]);
  double a_last = 1;   /* (2n)! / (n! 2^n) */
  for (int j = n + 1; j <= 2 * n; j++) a_last *= j;
  a_last = ldexp(a_last, -n);
  if (norm == GL_BESSEL_PHASE) {
    double f = pow(10.0, -log10(a_last) / n);
    for (int i = 0; i < n; i++) p[i] = cmul(p[i], f);
    *k = 1;
  } else {
    *k = a_last;
    if (norm == GL_BESSEL_MAG) {
      double nf = norm_factor(n, p, *k);
      for (int i = 0; i < n; i++) p[i] = cdiv(p[i], nf);
      *k = pow(nf, -n) * a_last;
    }
  }
  return 0;
}

/* }===== */

/* {===== frequency transforms (scipy lp2*_zpk, bilinear_zpk) */

static cplx cprod_neg (int64_t n, const cplx *v) {
  cplx r = 1;
  for (int64_t i = 0; i < n; i++) r = cmul(r, -v[i]);
  return r;
}

int gl_iir_zpk (int ftype, int btype, int order, double rp, int norm, const double *wn,
                cplx *z, int64_t *nz, cplx *p, int64_t *np, double *k) {
  int64_t nzz = 0, npp = order;
  int rc = 0;
  if (ftype == GL_IIR_BUTTER) buttap(order, p, k);
  else if (ftype == GL_IIR_CHEBY1) cheb1ap(order, rp, p, k);
  else if (ftype == GL_IIR_CHEBY2) cheb2ap(order, rp, z, &nzz, p, k);
  else rc = besselap(order, norm, p, k);
  if (rc) return rc;
  if (ftype == GL_IIR_CHEBY1 && order == 0) npp = 0;
  double fs = 2.0, warped[2];
  for (int i = 0; i < (btype >= GL_BT_BANDPASS ? 2 : 1); i++)
    warped[i] = 2 * fs * tan(M_PI * wn[i] / fs);
  int64_t degree = npp - nzz;
  if (btype == GL_BT_LOWPASS) {
    double wo = warped[0];
    for (int64_t i = 0; i < nzz; i++) z[i] = cmul(z[i], wo);
    for (int64_t i = 0; i < npp; i++) p[i] = cmul(p[i], wo);
    *k = *k * pow(wo, (double)degree);
  } else if (btype == GL_BT_HIGHPASS) {
    double wo = warped[0];
    cplx kz = cprod_neg(nzz, z), kp = cprod_neg(npp, p);
    for (int64_t i = 0; i < nzz; i++) z[i] = cdiv(wo, z[i]);
    for (int64_t i = 0; i < npp; i++) p[i] = cdiv(wo, p[i]);
    for (int64_t i = 0; i < degree; i++) z[nzz++] = 0;
    *k = *k * creal(cdiv(kz, kp));
  } else {
    double bw = warped[1] - warped[0], wo = sqrt(warped[0] * warped[1]);
    cplx tmp[2 * 64 + 2];
    if (btype == GL_BT_BANDPASS) {
      for (int w = 0; w < 2; w++) {   /* zeros, then poles */
        cplx *v = w ? p : z;
        int64_t n = w ? npp : nzz;
        for (int64_t i = 0; i < n; i++) {
          cplx pl = cdiv(cmul(v[i], bw), 2);   /* NumPy divides by 2+0j: a -0 imaginary part becomes +0 */
          cplx s = csqrt(cmul(pl, pl) - wo * wo);
          tmp[i] = pl + s; tmp[n + i] = pl - s;
        }
        memcpy(v, tmp, (size_t)(2 * n) * sizeof *v);
      }
      npp *= 2; nzz *= 2;
      for (int64_t i = 0; i < degree; i++) z[nzz++] = 0;
      *k = *k * pow(bw, (double)degree);
    } else {
      cplx kz = cprod_neg(nzz, z), kp = cprod_neg(npp, p);
      for (int w = 0; w < 2; w++) {
        cplx *v = w ? p : z;
        int64_t n = w ? npp : nzz;
        for (int64_t i = 0; i < n; i++) {
          cplx ph = cdiv(bw / 2, v[i]);
          cplx s = csqrt(cmul(ph, ph) - wo * wo);
          tmp[i] = ph + s; tmp[n + i] = ph - s;
        }
        memcpy(v, tmp, (size_t)(2 * n) * sizeof *v);
      }
      npp *= 2; nzz *= 2;
      for (int64_t i = 0; i < degree; i++) z[nzz++] = CMPLX(0.0, wo);
      for (int64_t i = 0; i < degree; i++) z[nzz++] = CMPLX(0.0, -wo);
      *k = *k * creal(cdiv(kz, kp));
    }
  }
  /* bilinear_zpk */
  double fs2 = 2.0 * fs;
  degree = npp - nzz;
  cplx pz = 1, pp = 1;
  for (int64_t i = 0; i < nzz; i++) pz = cmul(pz, rsub(fs2, z[i]));
  for (int64_t i = 0; i < npp; i++) pp = cmul(pp, rsub(fs2, p[i]));
  for (int64_t i = 0; i < nzz; i++) z[i] = cdiv(radd(fs2, z[i]), rsub(fs2, z[i]));
  for (int64_t i = 0; i < npp; i++) p[i] = cdiv(radd(fs2, p[i]), rsub(fs2, p[i]));
  for (int64_t i = 0; i < degree; i++) z[nzz++] = -1;
  *k = *k * creal(cdiv(pz, pp));
  *nz = nzz; *np = npp;
  return 0;
}

/* }===== */

/* {===== zpk -> ba, zpk -> sos */

void gl_iir_poly (int64_t n, const cplx *r, double k, double *c) {
  cplx a[2 * 64 + 3];
  a[0] = 1;
  /* numpy.convolve(a, [1, -r]): each output is a dot product whose sum
   * starts at +0, so a -0 product comes out +0 as in NumPy (scipy prints
   * [1, -1, 0.] for the section of zeros {0, 1}, not -0.) */
  const cplx zero = CMPLX(0.0, 0.0);
  for (int64_t i = 0; i < n; i++) {
    a[i + 1] = zero + cmul(a[i], -r[i]);
    for (int64_t j = i; j >= 1; j--) a[j] = (zero + cmul(a[j - 1], -r[i])) + a[j];
  }
  for (int64_t i = 0; i <= n; i++) c[i] = k * creal(a[i]);
}

static int isreal (cplx v) { return cimag(v) == 0; }

static void delete_at (int64_t *n, cplx *v, int64_t i) {
  memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
  (*n)--;
}

/* scipy's _cplxreal: v becomes [one of each pair (positive imaginary part,
 * averaged with its conjugate)..., the real values...]; *n shrinks. */
static int cplxreal (int64_t *n, cplx *v) {
  int64_t m = *n;
  if (m == 0) return 0;
  double tol = 100 * 2.220446049250313e-16;
  for (int64_t i = 1; i < m; i++) {   /* lexsort by (real, |imag|), stable */
    cplx t = v[i];
    int64_t j = i;
    while (j > 0 && (creal(v[j - 1]) > creal(t) ||
                     (creal(v[j - 1]) == creal(t) && fabs(cimag(v[j - 1])) > fabs(cimag(t))))) {
      v[j] = v[j - 1]; j--;
    }
    v[j] = t;
  }
  cplx zr[2 * 64 + 2], zp[2 * 64 + 2], zn[2 * 64 + 2];
  int64_t nr = 0, npos = 0, nneg = 0;
  for (int64_t i = 0; i < m; i++) {
    if (fabs(cimag(v[i])) <= tol * cabs(v[i])) zr[nr++] = creal(v[i]);
    else if (cimag(v[i]) > 0) zp[npos++] = v[i];
    else zn[nneg++] = v[i];
  }
  if (npos != nneg) return GL_EINVAL;
  /* runs of the same real part are sorted by |imag| */
  int64_t i = 0;
  while (i < npos) {
    int64_t j = i;
    while (j + 1 < npos && creal(zp[j + 1]) - creal(zp[j]) <= tol * cabs(zp[j])) j++;
    for (int pass = 0; pass < 2; pass++) {
      cplx *ch = pass ? zn + i : zp + i;
      for (int64_t a = 1; a <= j - i; a++) {
        cplx t = ch[a];
        int64_t b = a;
        while (b > 0 && fabs(cimag(ch[b - 1])) > fabs(cimag(t))) { ch[b] = ch[b - 1]; b--; }
        ch[b] = t;
      }
    }
    i = j + 1;
  }
  for (i = 0; i < npos; i++)
    if (cabs(zp[i] - conj(zn[i])) > tol * cabs(zn[i])) return GL_EINVAL;
  int64_t o = 0;
  for (i = 0; i < npos; i++) v[o++] = (zp[i] + conj(zn[i])) / 2;
  for (i = 0; i < nr; i++) v[o++] = zr[i];
  *n = o;
  return 0;
}

/* numpy argsort(|fro - to|) then the first of the wanted kind (0 any, 1 real,
 * 2 complex); -1 if none. */
static int64_t nearest (int64_t n, const cplx *fro, cplx to, int which) {
  int64_t best = -1;
  double bd = 0;
  for (int64_t i = 0; i < n; i++) {
    if ((which == 1 && !isreal(fro[i])) || (which == 2 && isreal(fro[i]))) continue;
    double d = cabs(fro[i] - to);
    if (best < 0 || d < bd) { best = i; bd = d; }
  }
  return best;
}

static int64_t idx_worst (int64_t n, const cplx *p, int real_only) {
  int64_t best = -1;
  double bd = 0;
  for (int64_t i = 0; i < n; i++) {
    if (real_only && !isreal(p[i])) continue;
    double d = fabs(1 - cabs(p[i]));
    if (best < 0 || d < bd) { best = i; bd = d; }
  }
  return best;
}

static int64_t count_real (int64_t n, const cplx *v) {
  int64_t c = 0;
  for (int64_t i = 0; i < n; i++) c += isreal(v[i]);
  return c;
}

/* _single_zpksos: row = [poly(z) right-aligned in 3, poly(p) right-aligned in 3] */
static void single (double *row, int nz, const cplx *z, int np, const cplx *p) {
  double b[3], a[3];
  gl_iir_poly(nz, z, 1.0, b);
  gl_iir_poly(np, p, 1.0, a);
  for (int i = 0; i < 6; i++) row[i] = 0;
  for (int i = 0; i <= nz; i++) row[3 - (nz + 1) + i] = b[i];
  for (int i = 0; i <= np; i++) row[6 - (np + 1) + i] = a[i];
}

int64_t gl_iir_nsections (int64_t nz, int64_t np) {
  if (nz == 0 && np == 0) return 1;
  return ((nz > np ? nz : np) + 1) / 2;
}

int gl_iir_zpk2sos (int64_t nz, cplx *z, int64_t np, cplx *p, double k, int64_t nsec, double *sos) {
  if (nz == 0 && np == 0) {
    double row[6] = {k, 0, 0, 1, 0, 0};
    memcpy(sos, row, sizeof row);
    return 0;
  }
  while (np < nz) p[np++] = 0;
  while (nz < np) z[nz++] = 0;
  if (np % 2 == 1) { p[np++] = 0; z[nz++] = 0; }
  if (cplxreal(&nz, z) || cplxreal(&np, p)) return GL_EINVAL;
  for (int64_t si = nsec - 1; si >= 0; si--) {
    double *row = sos + 6 * si;
    int64_t i1 = idx_worst(np, p, 0);
    cplx p1 = p[i1];
    delete_at(&np, p, i1);
    if (isreal(p1) && count_real(np, p) == 0) {
      int64_t zi = nearest(nz, z, p1, 1);
      if (zi < 0) return GL_EINVAL;
      cplx zz[2] = {z[zi], 0}, pp[2] = {p1, 0};
      delete_at(&nz, z, zi);
      single(row, 2, zz, 2, pp);
    } else if (np + 1 == nz && !isreal(p1) && count_real(np, p) == 1 && count_real(nz, z) == 1) {
      int64_t zi = nearest(nz, z, p1, 2);
      if (zi < 0) return GL_EINVAL;
      cplx zz[2] = {z[zi], conj(z[zi])}, pp[2] = {p1, conj(p1)};
      delete_at(&nz, z, zi);
      single(row, 2, zz, 2, pp);
    } else {
      cplx p2;
      if (isreal(p1)) {
        int64_t i2 = idx_worst(np, p, 1);
        p2 = p[i2];
        delete_at(&np, p, i2);
      } else p2 = conj(p1);
      cplx pp[2] = {p1, p2};
      if (nz > 0) {
        int64_t zi = nearest(nz, z, p1, 0);
        cplx z1 = z[zi];
        delete_at(&nz, z, zi);
        if (!isreal(z1)) {
          cplx zz[2] = {z1, conj(z1)};
          single(row, 2, zz, 2, pp);
        } else if (nz > 0) {
          int64_t z2i = nearest(nz, z, p1, 1);
          if (z2i < 0) return GL_EINVAL;
          cplx zz[2] = {z1, z[z2i]};
          delete_at(&nz, z, z2i);
          single(row, 2, zz, 2, pp);
        } else single(row, 1, &z1, 2, pp);
      } else single(row, 0, NULL, 2, pp);
    }
  }
  for (int i = 0; i < 3; i++) sos[i] *= k;
  return 0;
}

/* }===== */
