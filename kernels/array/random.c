/* random.c: xoshiro256** and the distributions of np.random (float bodies in
 * random.inc, included for float32 and float64). See random.h for the
 * algorithms and the determinism contract. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "random.h"

#define GL_POLL_MASK (((int64_t)1 << 20) - 1)   /* poll Ctrl-C every 2^20 draws */

static uint64_t rotl (uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64 (uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void gl_random_seed (gl_rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

uint64_t gl_random_next (gl_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double gl_random_double (gl_rng *r) { return (double)(gl_random_next(r) >> 11) * 0x1.0p-53; }
float gl_random_float (gl_rng *r) { return (float)(gl_random_next(r) >> 40) * 0x1.0p-24f; }

/* Lemire's nearly divisionless method: the high word of x * range is uniform
 * once the low word is outside the biased zone [0, 2^64 mod range). */
uint64_t gl_random_interval (gl_rng *r, uint64_t max) {
  uint64_t range, x;
  unsigned __int128 m;
  uint64_t lo;
  if (max == UINT64_MAX) return gl_random_next(r);
  range = max + 1;
  x = gl_random_next(r);
  m = (unsigned __int128)x * range;
  lo = (uint64_t)m;
  if (lo < range) {
    uint64_t t = (0 - range) % range;
    while (lo < t) {
      x = gl_random_next(r);
      m = (unsigned __int128)x * range;
      lo = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

/* Box-Muller with u1 in (0, 1] so that log(u1) is finite. */
static void gauss_pair (gl_rng *r, double *z0, double *z1) {
  double u1 = 1.0 - gl_random_double(r), u2 = gl_random_double(r);
  double rad = sqrt(-2.0 * log(u1)), th = 2.0 * M_PI * u2;
  *z0 = rad * cos(th);
  if (z1) *z1 = rad * sin(th);
}

double gl_random_gauss (gl_rng *r) { double z; gauss_pair(r, &z, NULL); return z; }

/* Marsaglia & Tsang for shape >= 1; shape < 1 boosts to shape + 1 and
 * multiplies by U^(1/shape). */
static double std_gamma (gl_rng *r, double shape) {
  double boost = 1.0, d, c;
  if (shape == 0) return 0;
  if (shape < 1) {
    boost = pow(1.0 - gl_random_double(r), 1.0 / shape);
    shape += 1;
  }
  d = shape - 1.0 / 3.0; c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x, v, u;
    do { x = gl_random_gauss(r); v = 1.0 + c * x; } while (v <= 0);
    v = v * v * v;
    u = gl_random_double(r);
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return boost * d * v;
    if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return boost * d * v;
  }
}

/* {=====  float fills  ===== */
#define GL_T float
#define GL_FN(x) x##_f32
#define GL_UNIFORM01(r) ((double)gl_random_float(r))
#include "random.inc"
#undef GL_T
#undef GL_FN
#undef GL_UNIFORM01

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_UNIFORM01(r) gl_random_double(r)
#include "random.inc"
#undef GL_T
#undef GL_FN
#undef GL_UNIFORM01
/* } */

/* {=====  integer fills  ===== */

int gl_random_integers_i64 (gl_rng *r, int64_t n, int64_t *out, int64_t low, int64_t high) {
  uint64_t span = (uint64_t)high - (uint64_t)low;
  if (high < low) return GL_EINVAL;
  for (int64_t i = 0; i < n; i++) {
    if ((i & GL_POLL_MASK) == GL_POLL_MASK && gl_interrupted()) return GL_EINTR;
    out[i] = (int64_t)((uint64_t)low + gl_random_interval(r, span));
  }
  return GL_OK;
}

static int64_t poisson_mult (gl_rng *r, double lam) {
  double enlam = exp(-lam), prod = 1.0;
  int64_t x = 0;
  for (;;) {
    prod *= gl_random_double(r);
    if (prod > enlam) x++;
    else return x;
  }
}

/* PTRS: transformed rejection with squeeze (Hormann 1993), as in NumPy. */
static int64_t poisson_ptrs (gl_rng *r, double lam) {
  double slam = sqrt(lam), loglam = log(lam);
  double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    double u = gl_random_double(r) - 0.5, v = gl_random_double(r);
    double us = 0.5 - fabs(u);
    int64_t k = (int64_t)floor((2 * a / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + (double)k * loglam - lgamma((double)k + 1))
      return k;
  }
}

int gl_random_poisson_i64 (gl_rng *r, int64_t n, int64_t *out, const double *lam, int64_t lam_inc) {
  for (int64_t i = 0; i < n; i++)
    if (!(lam[i * lam_inc] >= 0) || lam[i * lam_inc] > 1e18) return GL_EINVAL;
  for (int64_t i = 0; i < n; i++) {
    double l = lam[i * lam_inc];
    if ((i & GL_POLL_MASK) == GL_POLL_MASK && gl_interrupted()) return GL_EINTR;
    out[i] = l == 0 ? 0 : l < 10 ? poisson_mult(r, l) : poisson_ptrs(r, l);
  }
  return GL_OK;
}

/* Inversion by the recurrence P(x+1) = P(x) (a/(x+1) - s), for small n*p. */
static int64_t binomial_inversion (gl_rng *r, int64_t n, double p) {
  double q = 1 - p, s = p / q, a = (double)(n + 1) * s, r0 = pow(q, (double)n);
  for (;;) {
    double pr = r0, u = gl_random_double(r);
    int64_t x = 0;
    while (u > pr) {
      u -= pr; x++;
      if (x > n) break;
      pr *= a / (double)x - s;
    }
    if (x <= n) return x;
  }
}

/* BTRS: transformed rejection (Hormann 1993), for n*p >= 10 and p <= 0.5. */
static int64_t binomial_btrs (gl_rng *r, int64_t n, double p) {
  double q = 1 - p, spq = sqrt((double)n * p * q);
  double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p;
  double c = (double)n * p + 0.5, vr = 0.92 - 4.2 / b;
  double alpha = (2.83 + 5.1 / b) * spq, lpq = log(p / q);
  double m = floor((double)(n + 1) * p);
  double h = lgamma(m + 1) + lgamma((double)n - m + 1);
  for (;;) {
    double u = gl_random_double(r) - 0.5, v = gl_random_double(r);
    double us = 0.5 - fabs(u), k = floor((2 * a / us + b) * u + c);
    if (k < 0 || k > (double)n) continue;
    if (us >= 0.07 && v <= vr) return (int64_t)k;
    v = log(v * alpha / (a / (us * us) + b));
    if (v <= h - lgamma(k + 1) - lgamma((double)n - k + 1) + (k - m) * lpq) return (int64_t)k;
  }
}

int gl_random_binomial_i64 (gl_rng *r, int64_t n, int64_t *out,
                            const int64_t *ntrials, int64_t nt_inc, const double *p, int64_t p_inc) {
  for (int64_t i = 0; i < n; i++)
    if (ntrials[i * nt_inc] < 0 || !(p[i * p_inc] >= 0 && p[i * p_inc] <= 1)) return GL_EINVAL;
  for (int64_t i = 0; i < n; i++) {
    int64_t nt = ntrials[i * nt_inc], x;
    double pp = p[i * p_inc], pm = pp <= 0.5 ? pp : 1 - pp;
    if ((i & GL_POLL_MASK) == GL_POLL_MASK && gl_interrupted()) return GL_EINTR;
    if (nt == 0 || pm == 0) x = 0;
    else if ((double)nt * pm < 10) x = binomial_inversion(r, nt, pm);
    else x = binomial_btrs(r, nt, pm);
    out[i] = pp <= 0.5 ? x : nt - x;
  }
  return GL_OK;
}

int gl_random_permutation_i64 (gl_rng *r, int64_t n, int64_t *out, int64_t first) {
  for (int64_t i = 0; i < n; i++) out[i] = first + i;
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)gl_random_interval(r, (uint64_t)i), t = out[i];
    out[i] = out[j]; out[j] = t;
  }
  return GL_OK;
}

int gl_random_choice_i64 (gl_rng *r, int64_t n, int64_t k, int64_t *out, int replace,
                          double *p, int64_t *idx) {
  if (k > 0 && n <= 0) return GL_EINVAL;
  if (replace) {
    double total = p ? p[n - 1] : 0;
    if (p && !(total > 0)) return GL_EINVAL;
    for (int64_t i = 0; i < k; i++) {
      if (p == NULL) { out[i] = (int64_t)gl_random_interval(r, (uint64_t)(n - 1)); continue; }
      double u = gl_random_double(r) * total;
      int64_t lo = 0, hi = n - 1;     /* first position with cdf > u */
      while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (p[mid] > u) hi = mid; else lo = mid + 1;
      }
      out[i] = lo;
    }
    return GL_OK;
  }
  if (k > n) return GL_EINVAL;
  if (p == NULL) {               /* partial Fisher-Yates: the first k of a shuffle */
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    for (int64_t i = 0; i < k; i++) {
      int64_t j = i + (int64_t)gl_random_interval(r, (uint64_t)(n - 1 - i)), t = idx[i];
      idx[i] = idx[j]; idx[j] = t;
      out[i] = idx[i];
    }
    return GL_OK;
  }
  {
    int64_t nz = 0;
    for (int64_t i = 0; i < n; i++) nz += p[i] > 0;
    if (nz < k) return GL_EINVAL;
  }
  for (int64_t i = 0; i < k; i++) {
    double total = 0, u, acc = 0;
    int64_t j, last = 0;
    for (j = 0; j < n; j++) total += p[j];
    u = gl_random_double(r) * total;
    for (j = 0; j < n; j++) {
      if (p[j] <= 0) continue;
      last = j;
      acc += p[j];
      if (acc > u) break;
    }
    if (j == n) j = last;          /* rounding: u fell past the final sum */
    out[i] = j;
    p[j] = 0;
  }
  return GL_OK;
}

/* Swaps two strided sub-blocks element by element. */
static void swap_blocks (char *x, char *y, int ndim, const int64_t *shape,
                         const int64_t *strides, size_t itemsize) {
  char tmp[16];
  if (ndim == 0) {
    memcpy(tmp, x, itemsize); memcpy(x, y, itemsize); memcpy(y, tmp, itemsize);
    return;
  }
  for (int64_t i = 0; i < shape[0]; i++)
    swap_blocks(x + i * strides[0], y + i * strides[0], ndim - 1, shape + 1, strides + 1, itemsize);
}

int gl_random_shuffle (gl_rng *r, int64_t n, char *base, int64_t stride0, int ndim,
                       const int64_t *shape, const int64_t *strides, size_t itemsize) {
  if (itemsize > 16) return GL_EINVAL;
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)gl_random_interval(r, (uint64_t)i);
    if (j != i) swap_blocks(base + i * stride0, base + j * stride0, ndim, shape, strides, itemsize);
  }
  return GL_OK;
}
/* } */
