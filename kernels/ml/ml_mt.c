/* ml_mt.c: MT19937 (Matsumoto & Nishimura 1998) with NumPy's legacy
 * seeding and bounded integers, and scikit-learn's rand_r (see ml_mt.h). */
#include <math.h>
#include <string.h>
#include "ml_mt.h"

#define MT_N 624
#define MT_M 397

void gl_mt_seed (gl_mt19937 *s, uint32_t seed) {
  for (int i = 0; i < MT_N; i++) {
    s->key[i] = seed;
    seed = (uint32_t)(1812433253u * (seed ^ (seed >> 30)) + (uint32_t)i + 1u);
  }
  s->pos = MT_N;
  s->has_gauss = 0;
  s->gauss = 0.0;
}

static void mt_gen (gl_mt19937 *s) {
  uint32_t y;
  int i;
  for (i = 0; i < MT_N - MT_M; i++) {
    y = (s->key[i] & 0x80000000u) | (s->key[i + 1] & 0x7fffffffu);
    s->key[i] = s->key[i + MT_M] ^ (y >> 1) ^ (-(y & 1u) & 0x9908b0dfu);
  }
  for (; i < MT_N - 1; i++) {
    y = (s->key[i] & 0x80000000u) | (s->key[i + 1] & 0x7fffffffu);
    s->key[i] = s->key[i + (MT_M - MT_N)] ^ (y >> 1) ^ (-(y & 1u) & 0x9908b0dfu);
  }
  y = (s->key[MT_N - 1] & 0x80000000u) | (s->key[0] & 0x7fffffffu);
  s->key[MT_N - 1] = s->key[MT_M - 1] ^ (y >> 1) ^ (-(y & 1u) & 0x9908b0dfu);
  s->pos = 0;
}

uint32_t gl_mt_next32 (gl_mt19937 *s) {
  if (s->pos == MT_N) mt_gen(s);
  uint32_t y = s->key[s->pos++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= (y >> 18);
  return y;
}

uint32_t gl_mt_randint (gl_mt19937 *s, uint64_t high) {
  uint64_t rng = high - 1, mask = rng;
  uint32_t v;
  if (rng == 0) return 0;
  if (rng == 0xFFFFFFFFu) return gl_mt_next32(s);
  mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
  while ((v = gl_mt_next32(s) & (uint32_t)mask) > rng) ;
  return v;
}

double gl_mt_double (gl_mt19937 *s) {
  uint32_t a = gl_mt_next32(s) >> 5, b = gl_mt_next32(s) >> 6;
  return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

double gl_mt_gauss (gl_mt19937 *s) {
  if (s->has_gauss) {
    s->has_gauss = 0;
    return s->gauss;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * gl_mt_double(s) - 1.0;
    x2 = 2.0 * gl_mt_double(s) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = sqrt(-2.0 * log(r2) / r2);
  s->gauss = f * x1;
  s->has_gauss = 1;
  return f * x2;
}

double gl_mt_exponential (gl_mt19937 *s) {
  return -log(1.0 - gl_mt_double(s));
}

void gl_mt_shuffle (gl_mt19937 *s, int64_t n, char *data, size_t size, char *buf) {
  for (int64_t i = n - 1; i >= 1; i--) {
    int64_t j = (int64_t)gl_mt_randint(s, (uint64_t)i + 1);
    memcpy(buf, data + j * size, size);
    memcpy(data + j * size, data + i * size, size);
    memcpy(data + i * size, buf, size);
  }
}

uint32_t gl_rand_r (uint32_t *state) {
  if (*state == 0) *state = 1;
  *state ^= (uint32_t)(*state << 13);
  *state ^= (uint32_t)(*state >> 17);
  *state ^= (uint32_t)(*state << 5);
  return *state % ((uint32_t)GL_RAND_R_MAX + 1u);
}

int64_t gl_rand_int (int64_t low, int64_t high, uint32_t *state) {
  return low + (int64_t)(gl_rand_r(state) % (uint32_t)(high - low));
}

double gl_rand_uniform (double low, double high, uint32_t *state) {
  return ((high - low) * (double)gl_rand_r(state) / (double)GL_RAND_R_MAX) + low;
}
