/* ml_mt.h: NumPy's legacy RandomState stream (MT19937) as far as
 * scikit-learn's trees and forests use it, and sklearn's rand_r, so that
 * ml trees and forests given a random_state grow the trees scikit-learn
 * grows with the same random_state. */
#ifndef GL_ML_MT_H
#define GL_ML_MT_H
#include <stdint.h>

/* has_gauss/gauss: the second value of the last polar pair, which NumPy's
 * RandomState keeps in its state (legacy_gauss). */
typedef struct gl_mt19937 { uint32_t key[624]; int pos; int has_gauss; double gauss; } gl_mt19937;

/* RandomState(seed) (init_genrand). */
void gl_mt_seed(gl_mt19937 *s, uint32_t seed);
uint32_t gl_mt_next32(gl_mt19937 *s);
/* RandomState.randint(0, high) for 1 <= high <= 2^32 (masked rejection,
 * as NumPy's legacy generator). */
uint32_t gl_mt_randint(gl_mt19937 *s, uint64_t high);

/* RandomState.random_sample(): 53-bit double in [0, 1). */
double gl_mt_double(gl_mt19937 *s);
/* RandomState.standard_normal(): NumPy's legacy polar method (legacy_gauss),
 * two uniforms per pair, the second value of a pair kept for the next call. */
double gl_mt_gauss(gl_mt19937 *s);
/* RandomState.standard_exponential(): -log(1 - random_sample()). */
double gl_mt_exponential(gl_mt19937 *s);
/* RandomState.shuffle of n elements of size bytes at data (Fisher-Yates from
 * the end, j = random_interval(i)); buf holds one element. */
void gl_mt_shuffle(gl_mt19937 *s, int64_t n, char *data, size_t size, char *buf);

/* sklearn's our_rand_r (xorshift32, _utils.pyx) and helpers. */
#define GL_RAND_R_MAX 0x7FFFFFFFu
uint32_t gl_rand_r(uint32_t *state);
/* low + rand_r % (high - low) */
int64_t gl_rand_int(int64_t low, int64_t high, uint32_t *state);
/* (high - low) * rand_r / RAND_R_MAX + low */
double gl_rand_uniform(double low, double high, uint32_t *state);
#endif
