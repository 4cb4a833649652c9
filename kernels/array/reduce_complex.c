/* reduce_complex.c: the complex product along a line (np.prod of complex
 * arrays), in order and with NumPy's four-multiplication product. Complex
 * sums and means need no kernel of their own: the binding reads a complex
 * array as a float array with a last axis of 2 (real, imaginary) and sums it
 * pairwise with the float kernels. */
#include "reduce.h"

typedef struct cctx { const double *x; double *out; } cctx;

static void prod_c128_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  cctx *c = ctx;
  for (int64_t i = 0; i < w; i++) {
    const double *x = c->x + 2 * (o * g->so + (i0 + i) * g->si);
    double re = 1, im = 0;
    for (int64_t j = 0; j < g->n; j++, x += 2 * g->sn) {
      double r = re * x[0] - im * x[1];
      im = re * x[1] + im * x[0];
      re = r;
    }
    c->out[2 * (o * g->inner + i0 + i)] = re;
    c->out[2 * (o * g->inner + i0 + i) + 1] = im;
  }
}

int gl_reduce_prod_c128 (const gl_lines *g, const gl_c128 *x, gl_c128 *out) {
  cctx c = {(const double *)x, (double *)out};
  return gl_lines_run(g, prod_c128_task, &c);
}
