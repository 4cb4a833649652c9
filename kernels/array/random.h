/* random.h: the xoshiro256** generator and the distributions of np.random.
 *
 * Generator: xoshiro256** (Blackman & Vigna 2018), 256 bits of state, period
 * 2^256 - 1, seeded from a 64-bit seed through splitmix64 (so seeds 0, 1, 2...
 * give unrelated streams). The state is a plain struct owned by the caller
 * (the binding keeps it in a userdata): no globals, so several lua_States do
 * not share a stream.
 *
 * Every fill is sequential, element 0 first, so a stream never depends on the
 * thread count. Parameters are given as pointer + element increment (inc 0 for
 * a scalar broadcast over all n draws); they are all validated before the
 * first draw, and a bad one returns GL_EINVAL with the stream untouched.
 * Fills poll gl_interrupted() every 2^20 draws (GL_EINTR). */
#ifndef GL_RANDOM_H
#define GL_RANDOM_H

#include "gl_types.h"

typedef struct gl_rng { uint64_t s[4]; } gl_rng;

void gl_random_seed(gl_rng *r, uint64_t seed);
uint64_t gl_random_next(gl_rng *r);
/* Uniform double in [0, 1) with 53 random bits; float in [0, 1) with 24. */
double gl_random_double(gl_rng *r);
float gl_random_float(gl_rng *r);
/* Uniform integer in [0, max] (inclusive), unbiased (Lemire 2019). */
uint64_t gl_random_interval(gl_rng *r, uint64_t max);
/* One standard normal draw (Box-Muller, the sine half discarded). */
double gl_random_gauss(gl_rng *r);

/* ---- float fills (f32 and f64, body in random.inc) ---- */
/* low + (high - low) * U[0, 1) */
int gl_random_uniform_f64(gl_rng *r, int64_t n, double *out,
                          const double *low, int64_t low_inc, const double *high, int64_t high_inc);
int gl_random_uniform_f32(gl_rng *r, int64_t n, float *out,
                          const double *low, int64_t low_inc, const double *high, int64_t high_inc);
/* loc + scale * N(0, 1); scale >= 0. Box-Muller: draws come in pairs
 * (cosine then sine), an odd last pair drops its sine. */
int gl_random_normal_f64(gl_rng *r, int64_t n, double *out,
                         const double *loc, int64_t loc_inc, const double *scale, int64_t scale_inc);
int gl_random_normal_f32(gl_rng *r, int64_t n, float *out,
                         const double *loc, int64_t loc_inc, const double *scale, int64_t scale_inc);
/* scale * Exp(1); scale >= 0. */
int gl_random_exponential_f64(gl_rng *r, int64_t n, double *out, const double *scale, int64_t scale_inc);
int gl_random_exponential_f32(gl_rng *r, int64_t n, float *out, const double *scale, int64_t scale_inc);
/* Gamma(shape, scale) by Marsaglia & Tsang (2000); shape >= 0, scale >= 0. */
int gl_random_gamma_f64(gl_rng *r, int64_t n, double *out,
                        const double *shape, int64_t shape_inc, const double *scale, int64_t scale_inc);
int gl_random_gamma_f32(gl_rng *r, int64_t n, float *out,
                        const double *shape, int64_t shape_inc, const double *scale, int64_t scale_inc);
/* Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b); a, b > 0. */
int gl_random_beta_f64(gl_rng *r, int64_t n, double *out,
                       const double *a, int64_t a_inc, const double *b, int64_t b_inc);
int gl_random_beta_f32(gl_rng *r, int64_t n, float *out,
                       const double *a, int64_t a_inc, const double *b, int64_t b_inc);

/* ---- integer fills (int64) ---- */
/* Uniform integers in [low, high] inclusive (high >= low). */
int gl_random_integers_i64(gl_rng *r, int64_t n, int64_t *out, int64_t low, int64_t high);
/* Poisson(lam), lam >= 0: multiplication method below 10, else PTRS
 * (Hormann 1993), as NumPy. */
int gl_random_poisson_i64(gl_rng *r, int64_t n, int64_t *out, const double *lam, int64_t lam_inc);
/* Binomial(ntrials, p), ntrials >= 0, 0 <= p <= 1: inversion when
 * ntrials*min(p,1-p) < 10, else BTRS (Hormann 1993). */
int gl_random_binomial_i64(gl_rng *r, int64_t n, int64_t *out,
                           const int64_t *ntrials, int64_t nt_inc, const double *p, int64_t p_inc);

/* out = a random permutation of first, first+1, ..., first+n-1 (Fisher-Yates). */
int gl_random_permutation_i64(gl_rng *r, int64_t n, int64_t *out, int64_t first);
/* k draws from {0..n-1}: with replacement using the cumulative weights cdf
 * (length n, last > 0; NULL for uniform); without replacement k <= n,
 * uniformly (partial Fisher-Yates over scratch idx of length n) or by weights
 * (sequential draws renormalising the remaining weights p, length n, which
 * is modified). out holds 0-based positions. */
int gl_random_choice_i64(gl_rng *r, int64_t n, int64_t k, int64_t *out, int replace,
                         double *p, int64_t *idx);

/* Shuffles n sub-blocks in place (Fisher-Yates): block i starts at
 * base + i*stride0 (bytes) and is the strided sub-array (ndim, shape, byte
 * strides) of itemsize-byte elements. */
int gl_random_shuffle(gl_rng *r, int64_t n, char *base, int64_t stride0, int ndim,
                      const int64_t *shape, const int64_t *strides, size_t itemsize);

#endif
