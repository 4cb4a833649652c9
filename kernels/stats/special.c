/* special.c: special functions for stats (see special.h). Written here rather
 * than taken from a library: Debian's candidates (GSL, Boost) would add a
 * dependency for four functions; the algorithms are the textbook ones scipy's
 * cephes and Boost also use, and tests hold them to scipy to 1e-12. */
#include <float.h>
#include <math.h>
#include "special.h"

#define SQRT1_2 0.70710678118654752440

/* cephes' ndtr: erf near 0 (where erfc loses digits to the 1 - ...), erfc
 * elsewhere, so both tails keep their relative precision. */
double gl_ndtr (double x) {
  if (isnan(x)) return NAN;
  double t = x * SQRT1_2, z = fabs(t);
  if (z < SQRT1_2) return 0.5 + 0.5 * erf(t);
  double y = 0.5 * erfc(z);
  return t > 0 ? 1.0 - y : y;
}

/* Acklam's rational approximation (relative error 1.2e-9), then one Halley
 * step on erfc, which brings it to full double precision. The upper half is
 * the mirror of the lower, so that 1 - p is computed exactly (p >= 0.5). */
static double ndtri_lower (double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    double q = sqrt(-2 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  /* Halley: e = Phi(x) - p, with Phi(x) = erfc(-x/sqrt2)/2 (x <= 0 here). */
  for (int it = 0; it < 2; it++) {
    double e = 0.5 * erfc(-x * SQRT1_2) - p;
    double u = e * sqrt(2 * M_PI) * exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

double gl_ndtri (double p) {
  if (isnan(p) || p < 0 || p > 1) return NAN;
  if (p == 0) return -INFINITY;
  if (p == 1) return INFINITY;
  if (p == 0.5) return 0.0;
  return p < 0.5 ? ndtri_lower(p) : -ndtri_lower(1.0 - p);
}

/* Continued fraction of I_x(a, b) (modified Lentz), valid for
 * x < (a + 1) / (a + b + 2); the caller swaps to the other tail otherwise. */
static double betacf (double a, double b, double x) {
  const double tiny = 1e-300, eps = DBL_EPSILON / 2;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 100000; m++) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1) <= eps) break;
  }
  return h;
}

double gl_betainc (double a, double b, double x) {
  if (isnan(a) || isnan(b) || isnan(x) || a <= 0 || b <= 0 || x < 0 || x > 1) return NAN;
  if (x == 0) return 0;
  if (x == 1) return 1;
  double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return exp(lbt) * betacf(a, b, x) / a;
  return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

/* P(T <= t) = 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t > 0, mirrored for t < 0. */
double gl_stdtr (double df, double t) {
  if (isnan(df) || isnan(t) || df <= 0) return NAN;
  if (isinf(t)) return t > 0 ? 1.0 : 0.0;
  double x = df / (df + t * t);
  double tail = 0.5 * gl_betainc(0.5 * df, 0.5, x);
  return t < 0 ? tail : 1 - tail;
}

/* lgamma through a function of our own, so that bindings can take its address
 * (lgamma may be a macro or builtin). */
double gl_gammaln (double x) { return lgamma(x); }
