/* nn_conv_direct.c: direct float32 convolution (forward pass and weight
 * gradient) for layers with few taps (ci kh kw) and few output channels.
 *
 * Why. For the course CNN's Conv2d(1, 3, 3) an im2col + gemm pass writes a
 * 9 x 900 column matrix per image and hands OpenBLAS a product of 3 rows,
 * which it packs and edges at a cost of about 8 us per image for 24k
 * multiply-adds. Here each image is copied once into a zero-padded buffer
 * and each output channel is computed over the whole padded grid (rows of
 * pad_w columns, the last kw - 1 of them outside the output) in blocks of 64
 * positions held in eight AVX registers: per tap, one broadcast weight and
 * eight fused multiply-adds on shifted loads. The valid columns are then
 * copied out with the bias added.
 *
 * Bits. Each output is one fused multiply-add chain over the taps in the
 * gemm's k order (c, i, j), from +0, plus the bias: fixed by the geometry,
 * never by the thread count. OpenBLAS's sgemm gives the same chain only for
 * fewer than 4 output channels; elsewhere its kernels order some sums
 * differently, so layers taken here moved in the last bits when this file
 * came. The weight gradient sums products in float lanes, 256 positions at
 * a time, added in double (see nn_conv_direct.h).
 *
 * The kernels run where the CPU has AVX2 and FMA (checked once at run time);
 * elsewhere nn_conv.c keeps im2col + gemm. Threads as in nn_conv.c: images
 * shared by OpenMP threads, each image's outputs computed by one thread; the
 * weight gradient's batch sums cut into chunks fixed by the batch size. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "gl_types.h"
#include "gl_simd.h"
#include "nn_conv_direct.h"
#include "nn_conv_shared.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GL_DIRECT 1
#define GL_DIRECT_TARGET __attribute__((target("avx2,fma")))
#else
#define GL_DIRECT 0
#define GL_DIRECT_TARGET
#endif

#define BLOCK 64         /* padded-grid positions summed in registers at a time */
#define WBLOCK 256       /* positions summed in float before a double add (weight gradient) */

int gl_nn_conv_direct_applies (const gl_nn_conv_shape *s) {
#if GL_DIRECT
  static atomic_int cpu = -1;      /* checked once; atomic: kernels may be entered from several threads */
  int has = atomic_load_explicit(&cpu, memory_order_relaxed);
  if (has < 0) {
    has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    atomic_store_explicit(&cpu, has, memory_order_relaxed);
  }
  return has && s->groups == 1 && s->sh == 1 && s->sw == 1 && s->dh == 1 && s->dw == 1 &&
         s->ci * s->kh * s->kw <= GL_NN_DIRECT_MAX_K && s->co <= GL_NN_DIRECT_MAX_CO &&
         s->oh > 0 && s->ow > 0 && s->ci > 0;
#else
  (void)s;
  return 0;
#endif
}

/* The padded grid of one image: pad_h rows of pad_w columns per channel, a
 * window's rows and columns from -ph and -pw; its span covers the positions
 * of every output (oh, ow) at oh pad_w + ow, rounded up to whole blocks, and
 * the buffers carry slack so a whole last block reads and writes inside them
 * (zeros, set once). */
typedef struct grid {
  int64_t H, W;          /* padded rows and columns */
  int64_t plane;         /* H W: one padded channel */
  int64_t span;          /* output positions on the grid, whole blocks */
  int64_t padsz;         /* floats of the padded image buffer, slack included */
  int64_t off[GL_NN_DIRECT_MAX_K];   /* tap (c, i, j) in k order: c plane + i W + j */
  int64_t K;
} grid;

static void grid_init (const gl_nn_conv_shape *s, grid *g) {
  int64_t t = 0, last;
  g->H = s->oh + s->kh - 1;
  g->W = s->ow + s->kw - 1;
  g->plane = g->H * g->W;
  last = (s->oh - 1) * g->W + s->ow;
  g->span = (last + BLOCK - 1) / BLOCK * BLOCK;
  g->K = s->ci * s->kh * s->kw;
  for (int64_t c = 0; c < s->ci; c++)
    for (int64_t i = 0; i < s->kh; i++)
      for (int64_t j = 0; j < s->kw; j++) g->off[t++] = c * g->plane + i * g->W + j;
  /* the largest read: the last tap from the span's end */
  g->padsz = g->off[g->K - 1] + g->span;
  if (g->padsz < s->ci * g->plane) g->padsz = s->ci * g->plane;
}

/* One thread's scratch: the padded image (zeros set once) followed by span
 * floats of per-channel work (sums, or an output gradient on the grid);
 * NULL, with err set, when memory is short. Freed with free(). */
static float *grid_scratch (const grid *g, atomic_int *err) {
  float *pad = calloc((size_t)(g->padsz + g->span), sizeof(float));
  if (pad == NULL) atomic_store(err, GL_ENOMEM);
  return pad;
}

/* The image's values into the padded grid (the zeros around them stay). */
static void fill_padded (const gl_nn_conv_shape *s, const grid *g, const float *img, float *pad) {
  int64_t lo = s->pw, hi = s->pw + s->w;   /* grid columns holding image columns 0 .. w-1 */
  if (hi > g->W) hi = g->W;                /* columns no window reads */
  for (int64_t c = 0; c < s->ci; c++)
    for (int64_t ih = 0; ih < s->h; ih++) {
      int64_t r = ih + s->ph;
      if (r >= g->H) break;                /* rows no window reads */
      if (lo < hi)
        memcpy(pad + c * g->plane + r * g->W + lo, img + (c * s->h + ih) * s->w,
               (size_t)(hi - lo) * sizeof(float));
    }
}

#if GL_DIRECT
/* acc[q] for q < span: the chain over the taps of w[t] * pad[off[t] + q]. */
GL_DIRECT_TARGET static void plane_forward (const grid *g, const float *pad, const float *w, float *acc) {
  for (int64_t q = 0; q < g->span; q += BLOCK) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int64_t t = 0; t < g->K; t++) {
      const float *x = pad + g->off[t] + q;
      __m256 wv = _mm256_broadcast_ss(w + t);
      a0 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x), a0);
      a1 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 8), a1);
      a2 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 16), a2);
      a3 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 24), a3);
      a4 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 32), a4);
      a5 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 40), a5);
      a6 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 48), a6);
      a7 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 56), a7);
    }
    _mm256_storeu_ps(acc + q, a0); _mm256_storeu_ps(acc + q + 8, a1);
    _mm256_storeu_ps(acc + q + 16, a2); _mm256_storeu_ps(acc + q + 24, a3);
    _mm256_storeu_ps(acc + q + 32, a4); _mm256_storeu_ps(acc + q + 40, a5);
    _mm256_storeu_ps(acc + q + 48, a6); _mm256_storeu_ps(acc + q + 56, a7);
  }
}

/* The output plane y (oh, ow) from the grid's sums acc, + bc when has_b. */
GL_DIRECT_TARGET static void plane_out (const gl_nn_conv_shape *s, const grid *g, const float *restrict acc,
                                        int has_b, float bc, float *restrict y) {
  for (int64_t oh = 0; oh < s->oh; oh++) {
    const float *restrict a = acc + oh * g->W;
    float *restrict yr = y + oh * s->ow;
    if (has_b) {
      GL_SIMD
      for (int64_t q = 0; q < s->ow; q++) yr[q] = a[q] + bc;
    } else {
      memcpy(yr, a, (size_t)s->ow * sizeof(float));
    }
  }
}

/* sum over q < span of gp[q] * x[q], gp zero outside the outputs: four float
 * lanes of 8 over WBLOCK positions, folded in a fixed order and added into
 * double lanes, then summed in a fixed order. */
GL_DIRECT_TARGET static double plane_dot (const float *gp, const float *x, int64_t span) {
  __m256d d0 = _mm256_setzero_pd(), d1 = d0;
  for (int64_t q0 = 0; q0 < span; q0 += WBLOCK) {
    int64_t q1 = q0 + WBLOCK < span ? q0 + WBLOCK : span;   /* span: whole BLOCKs of 64 */
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int64_t q = q0; q < q1; q += 32) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(gp + q), _mm256_loadu_ps(x + q), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(gp + q + 8), _mm256_loadu_ps(x + q + 8), a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(gp + q + 16), _mm256_loadu_ps(x + q + 16), a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(gp + q + 24), _mm256_loadu_ps(x + q + 24), a3);
    }
    __m256 a = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    d0 = _mm256_add_pd(d0, _mm256_cvtps_pd(_mm256_castps256_ps128(a)));
    d1 = _mm256_add_pd(d1, _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1)));
  }
  double l[8];
  _mm256_storeu_pd(l, d0);
  _mm256_storeu_pd(l + 4, d1);
  return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}
#endif

int gl_nn_conv_direct_forward_f32 (const gl_nn_conv_shape *s, const float *img, const float *w,
                                   const float *b, float *out) {
#if GL_DIRECT
  grid g;
  int64_t P = s->oh * s->ow;
  atomic_int err = GL_OK;
  grid_init(s, &g);
  int nt = gl_nn_conv_threads(s->n, (double)s->n * s->co * g.K * P);
#ifdef _OPENMP
#pragma omp parallel num_threads(nt) if (nt > 1)
#endif
  {
    float *pad = grid_scratch(&g, &err), *acc = pad ? pad + g.padsz : NULL;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (int64_t n = 0; n < s->n; n++) {
      if (atomic_load(&err) != GL_OK) continue;
      if (gl_interrupted()) { atomic_store(&err, GL_EINTR); continue; }
      fill_padded(s, &g, img + n * s->ci * s->h * s->w, pad);
      for (int64_t c = 0; c < s->co; c++) {
        plane_forward(&g, pad, w + c * g.K, acc);
        plane_out(s, &g, acc, b != NULL, b ? b[c] : 0.0f, out + (n * s->co + c) * P);
      }
    }
    free(pad);
  }
  (void)nt;
  return atomic_load(&err);
#else
  (void)s; (void)img; (void)w; (void)b; (void)out;
  return GL_EINVAL;
#endif
}

int gl_nn_conv_direct_backward_weight_f32 (const gl_nn_conv_shape *s, const float *img, const float *gout,
                                           float *gw) {
#if GL_DIRECT
  grid g;
  int64_t P = s->oh * s->ow, nch = gl_nn_conv_chunks(s->n), wsize;
  atomic_int err = GL_OK;
  double *part;
  grid_init(s, &g);
  wsize = s->co * g.K;
  part = calloc((size_t)(nch * wsize), sizeof(double));
  if (part == NULL) return GL_ENOMEM;
  int nt = gl_nn_conv_threads(nch, (double)s->n * s->co * g.K * P);
#ifdef _OPENMP
#pragma omp parallel num_threads(nt) if (nt > 1)
#endif
  {
    /* the padded image, then the output gradient of one channel on the grid
     * (zeros in the columns outside the output) */
    float *pad = grid_scratch(&g, &err), *gp = pad ? pad + g.padsz : NULL;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (int64_t k = 0; k < nch; k++) {
      double *acc = part + k * wsize;
      for (int64_t n = k * s->n / nch; n < (k + 1) * s->n / nch; n++) {
        if (atomic_load(&err) != GL_OK) break;
        if (gl_interrupted()) { atomic_store(&err, GL_EINTR); break; }
        fill_padded(s, &g, img + n * s->ci * s->h * s->w, pad);
        for (int64_t c = 0; c < s->co; c++) {
          const float *gy = gout + (n * s->co + c) * P;
          for (int64_t oh = 0; oh < s->oh; oh++) memcpy(gp + oh * g.W, gy + oh * s->ow, (size_t)s->ow * sizeof(float));
          for (int64_t t = 0; t < g.K; t++) acc[c * g.K + t] += plane_dot(gp, pad + g.off[t], g.span);
        }
      }
    }
    free(pad);
  }
  (void)nt;
  if (atomic_load(&err) == GL_OK)
    for (int64_t i = 0; i < wsize; i++) {
      double v = part[i];
      for (int64_t k = 1; k < nch; k++) v += part[k * wsize + i];
      gw[i] = (float)v;
    }
  free(part);
  return atomic_load(&err);
#else
  (void)s; (void)img; (void)gout; (void)gw;
  return GL_EINVAL;
#endif
}
