/* fft.c: FFTW3 plans, one transform on any buffers (gl_fft_exec, for the
 * signal module's kernels) and the line loop of np.fft (see fft.h for the
 * rules: FFTW_ESTIMATE plans, double precision, independent lines). */
#include "gl_complex.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <fftw3.h>
#include "fft.h"

#ifdef _OPENMP
#include <omp.h>
#endif

struct gl_fft_plan {
  int kind;
  int64_t n;            /* transform length */
  int64_t nin, nout;    /* elements per input / output line */
  fftw_plan plan;
};

static void plan_destroy (gl_fft_plan *p) {
  if (p->plan) fftw_destroy_plan(p->plan);
  free(p);
}

/* The FFTW plan of p's kind and length (0 when FFTW cannot plan). */
static int plan_fftw (gl_fft_plan *p) {
  int64_t n = p->n;
  /* planning buffers: FFTW_ESTIMATE never writes them, but the plan is tied
   * to their alignment, so execution uses fftw_malloc'd buffers as well */
  fftw_complex *a = fftw_malloc(sizeof(fftw_complex) * (size_t)(n + 1));
  fftw_complex *b = fftw_malloc(sizeof(fftw_complex) * (size_t)(n + 1));
  if (a && b) {
    /* r2c keeps its input, so that it can read a contiguous line in place */
    int flags = FFTW_ESTIMATE | (p->kind == GL_FFT_R2C ? FFTW_PRESERVE_INPUT : FFTW_DESTROY_INPUT);
    switch (p->kind) {
      case GL_FFT_FORWARD: p->plan = fftw_plan_dft_1d((int)n, a, b, FFTW_FORWARD, flags); break;
      case GL_FFT_BACKWARD: p->plan = fftw_plan_dft_1d((int)n, a, b, FFTW_BACKWARD, flags); break;
      case GL_FFT_R2C: p->plan = fftw_plan_dft_r2c_1d((int)n, (double *)a, b, flags); break;
      default: p->plan = fftw_plan_dft_c2r_1d((int)n, a, (double *)b, flags); break;
    }
  }
  fftw_free(a);
  fftw_free(b);
  return p->plan != NULL;
}

gl_fft_plan *gl_fft_plan_new (int kind, int64_t n) {
  if (n < 1 || n > (int64_t)1 << 40 || n > 2147483647) return NULL;
  gl_fft_plan *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->kind = kind;
  p->n = n;
  p->nin = kind == GL_FFT_C2R ? n / 2 + 1 : n;
  p->nout = kind == GL_FFT_R2C ? n / 2 + 1 : n;
  if (!plan_fftw(p)) { plan_destroy(p); return NULL; }
  return p;
}

void gl_fft_plan_free (gl_fft_plan *p) {
  if (p) plan_destroy(p);
}

int gl_fft_plan_kind (const gl_fft_plan *p) { return p->kind; }
int64_t gl_fft_plan_n (const gl_fft_plan *p) { return p->n; }

/* n complex values' bytes, rounded up to 64 so that what follows stays aligned */
static size_t line_bytes (int64_t n) { return (sizeof(fftw_complex) * (size_t)n + 63) / 64 * 64; }

size_t gl_fft_scratch_bytes (const gl_fft_plan *p) {
  return 2 * line_bytes(p->n + 2);   /* aligned copies of in and out */
}

void gl_fft_exec (const gl_fft_plan *p, const void *in, void *out, void *scratch) {
  size_t isz = p->kind == GL_FFT_R2C ? sizeof(double) : sizeof(fftw_complex);
  size_t osz = p->kind == GL_FFT_C2R ? sizeof(double) : sizeof(fftw_complex);
  fftw_complex *bi = (fftw_complex *)in, *bo = out;
  fftw_complex *si = scratch, *so = (fftw_complex *)((char *)scratch + line_bytes(p->n + 2));
  /* a plan runs on buffers aligned as its planning buffers were */
  int ai = fftw_alignment_of((double *)in) == 0, ao = fftw_alignment_of((double *)out) == 0;
  if (!ai) { memcpy(si, in, isz * (size_t)p->nin); bi = si; }
  if (!ao) bo = so;
  if (p->kind == GL_FFT_C2R) {   /* see one_line: DC and Nyquist are real (C2R may overwrite in) */
    ((double *)bi)[1] = 0;
    if (p->n % 2 == 0) ((double *)bi)[2 * (p->n / 2) + 1] = 0;
  }
  switch (p->kind) {
    case GL_FFT_R2C: fftw_execute_dft_r2c(p->plan, (double *)bi, bo); break;
    case GL_FFT_C2R: fftw_execute_dft_c2r(p->plan, bi, (double *)bo); break;
    default: fftw_execute_dft(p->plan, bi, bo); break;
  }
  if (!ao) memcpy(out, bo, osz * (size_t)p->nout);
}

/* A thread's scratch line, fftw_malloc'd on first use (NULL if out of memory). */
static fftw_complex *scratch (fftw_complex **b, int64_t n) {
  if (!*b) *b = fftw_malloc(sizeof(fftw_complex) * (size_t)(n + 1));
  return *b;
}

/* One line: gather (zero-padded), execute, scatter (scaled). A contiguous
 * line is read in place by r2c (which preserves its input) and written in
 * place by every kind, when its alignment is the plan's: a line of 2^20
 * points then costs no copy and no scratch pages. Returns GL_ENOMEM if
 * scratch is needed and cannot be had. */
static int one_line (const gl_fft_plan *p, int64_t inner, const char *in, int64_t n_in,
                     char *out, double scale, fftw_complex **pbi, fftw_complex **pbo) {
  int64_t m = n_in < p->nin ? n_in : p->nin;
  int direct_in = p->kind == GL_FFT_R2C && inner == 1 && m == p->nin && fftw_alignment_of((double *)in) == 0;
  int direct_out = inner == 1 && fftw_alignment_of((double *)out) == 0;
  fftw_complex *bi = NULL, *bo = NULL;
  if (!direct_in && !(bi = scratch(pbi, p->n))) return GL_ENOMEM;
  if (!direct_out && !(bo = scratch(pbo, p->n))) return GL_ENOMEM;
  if (direct_in) {
    bi = (fftw_complex *)in;
  } else if (p->kind == GL_FFT_R2C) {
    const double *x = (const double *)in;
    double *r = (double *)bi;
    for (int64_t k = 0; k < m; k++) r[k] = x[k * inner];
    for (int64_t k = m; k < p->nin; k++) r[k] = 0;
  } else {
    const double *x = (const double *)in;
    double *r = (double *)bi;
    for (int64_t k = 0; k < m; k++) { r[2 * k] = x[2 * k * inner]; r[2 * k + 1] = x[2 * k * inner + 1]; }
    for (int64_t k = m; k < p->nin; k++) { r[2 * k] = 0; r[2 * k + 1] = 0; }
    if (p->kind == GL_FFT_C2R) {
      /* a Hermitian line's DC (and, for even n, Nyquist) term is real: pocketfft
       * reads only their real parts. FFTW's c2r codelets ignore the imaginary
       * parts too (tests/array/array_fft.lua checks it), but the manual does
       * not promise it for every algorithm, so they are cleared. */
      r[1] = 0;
      if (p->n % 2 == 0) r[2 * (p->n / 2) + 1] = 0;
    }
  }
  if (direct_out) bo = (fftw_complex *)out;
  switch (p->kind) {
    case GL_FFT_R2C: fftw_execute_dft_r2c(p->plan, (double *)bi, bo); break;
    case GL_FFT_C2R: fftw_execute_dft_c2r(p->plan, bi, (double *)bo); break;
    default: fftw_execute_dft(p->plan, bi, bo); break;
  }
  int64_t nv = p->kind == GL_FFT_C2R ? p->nout : 2 * p->nout;   /* doubles per output line */
  if (direct_out) {
    if (scale != 1.0) { double *y = (double *)out; for (int64_t k = 0; k < nv; k++) y[k] *= scale; }
  } else if (p->kind == GL_FFT_C2R) {
    const double *r = (const double *)bo;
    double *y = (double *)out;
    for (int64_t k = 0; k < p->nout; k++) y[k * inner] = r[k] * scale;
  } else {
    const double *r = (const double *)bo;
    double *y = (double *)out;
    for (int64_t k = 0; k < p->nout; k++) {
      y[2 * k * inner] = r[2 * k] * scale;
      y[2 * k * inner + 1] = r[2 * k + 1] * scale;
    }
  }
  return GL_OK;
}

int gl_fft_lines (const gl_fft_plan *p, int64_t outer, int64_t inner,
                  const void *in, int64_t n_in, void *out, double scale) {
  size_t isz = p->kind == GL_FFT_R2C ? sizeof(double) : sizeof(fftw_complex);
  size_t osz = p->kind == GL_FFT_C2R ? sizeof(double) : sizeof(fftw_complex);
  int64_t nlines = outer * inner;
  atomic_int err = 0;
  if (nlines == 0) return GL_OK;
  /* threads only when there are many lines with real work in each */
  int nth = (nlines >= 4 && (double)nlines * (double)p->n >= 65536.0) ? gl_threads() : 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(nth) if (nth > 1)
#endif
  {
    fftw_complex *bi = NULL, *bo = NULL;   /* scratch lines, made when a line needs them */
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t l = 0; l < nlines; l++) {
      if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
      if ((l & 63) == 0 && gl_interrupted()) { atomic_store(&err, GL_EINTR); continue; }
      int64_t o = l / inner, i = l % inner;
      const char *src = (const char *)in + (size_t)(o * n_in * inner + i) * isz;
      char *dst = (char *)out + (size_t)(o * p->nout * inner + i) * osz;
      int rc = one_line(p, inner, src, n_in, dst, scale, &bi, &bo);
      if (rc) atomic_store(&err, rc);
    }
    fftw_free(bi);
    fftw_free(bo);
  }
  (void)nth;
  return atomic_load(&err);
}
