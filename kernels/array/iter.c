/* iter.c: broadcasting, axis merging and the threaded strided loop driver. */
#include <stdio.h>
#include <string.h>
#include "iter.h"

#ifdef _OPENMP
#include <omp.h>
#endif

int64_t gl_shape_size (int ndim, const int64_t *shape) {
  int64_t n = 1;
  for (int i = 0; i < ndim; i++) n *= shape[i];
  return n;
}

void gl_contiguous_strides (int ndim, const int64_t *shape, int64_t *strides) {
  int64_t s = 1;
  for (int i = ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] > 0 ? shape[i] : 1;
  }
}

int gl_is_contiguous (int ndim, const int64_t *shape, const int64_t *strides) {
  int64_t s = 1;
  for (int i = ndim - 1; i >= 0; i--) {
    if (shape[i] == 0) return 1;
    if (shape[i] != 1 && strides[i] != s) return 0;
    s *= shape[i];
  }
  return 1;
}

int gl_broadcast_shapes (int nop, const int *ndims, const int64_t *const *shapes,
                         int *out_ndim, int64_t *out_shape) {
  int nd = 0;
  for (int k = 0; k < nop; k++) if (ndims[k] > nd) nd = ndims[k];
  if (nd > GL_MAXDIMS) return GL_ESHAPE;
  for (int i = 0; i < nd; i++) {
    int64_t d = 1;
    for (int k = 0; k < nop; k++) {
      int j = ndims[k] - nd + i;
      if (j < 0) continue;
      int64_t e = shapes[k][j];
      if (e == d || e == 1) continue;
      if (d == 1) d = e;
      else return GL_ESHAPE;
    }
    out_shape[i] = d;
  }
  *out_ndim = nd;
  return GL_OK;
}

static void format_shape (char *buf, size_t len, int ndim, const int64_t *shape) {
  size_t n = 0;
  n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "(");
  for (int i = 0; i < ndim; i++)
    n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%lld",
                          i ? "," : "", (long long)shape[i]);
  snprintf(buf + n, n < len ? len - n : 0, ndim == 1 ? ",)" : ")");
}

void gl_broadcast_error (char *buf, size_t len, int nop, const int *ndims,
                         const int64_t *const *shapes) {
  size_t n = (size_t)snprintf(buf, len, "operands could not be broadcast together with shapes");
  for (int k = 0; k < nop && n < len; k++) {
    char s[256];
    format_shape(s, sizeof s, ndims[k], shapes[k]);
    n += (size_t)snprintf(buf + n, len - n, " %s", s);
  }
}

int gl_iter_init (gl_iter *it, int ndim, const int64_t *shape, int nop,
                  const int *op_ndim, const int64_t *const *op_shape,
                  const int64_t *const *op_strides, const size_t *op_itemsize) {
  if (nop > GL_ITER_MAXOP || ndim > GL_MAXDIMS) return GL_EINVAL;
  int64_t sh[GL_MAXDIMS], st[GL_ITER_MAXOP][GL_MAXDIMS];
  it->nop = nop;
  it->poll = 1;
  it->size = gl_shape_size(ndim, shape);
  for (int i = 0; i < ndim; i++) {
    sh[i] = shape[i];
    for (int k = 0; k < nop; k++) {
      int j = op_ndim[k] - ndim + i;
      if (j < 0 || op_shape[k][j] == 1) st[k][i] = 0;
      else if (op_shape[k][j] != shape[i]) return GL_ESHAPE;
      else st[k][i] = op_strides[k][j] * (int64_t)op_itemsize[k];
    }
  }
  /* Drop length-1 axes, then merge axis i into i+1 when every operand steps
   * through it as one longer run. */
  int n = 0;
  for (int i = 0; i < ndim; i++) {
    if (sh[i] == 1) continue;
    if (n > 0) {
      int merge = 1;
      for (int k = 0; k < nop; k++)
        if (st[k][n - 1] != st[k][i] * sh[i]) { merge = 0; break; }
      if (merge) {
        sh[n - 1] *= sh[i];
        for (int k = 0; k < nop; k++) st[k][n - 1] = st[k][i];
        continue;
      }
    }
    sh[n] = sh[i];
    for (int k = 0; k < nop; k++) st[k][n] = st[k][i];
    n++;
  }
  if (n == 0) {  /* a scalar iteration */
    sh[0] = 1;
    for (int k = 0; k < nop; k++) st[k][0] = 0;
    n = 1;
  }
  it->ndim = n;
  memcpy(it->shape, sh, sizeof(int64_t) * (size_t)n);
  for (int k = 0; k < nop; k++) memcpy(it->bstrides[k], st[k], sizeof(int64_t) * (size_t)n);
  return GL_OK;
}

/* Ctrl-C: every elementwise operation, cast and copy runs through here, so
 * one poll per piece of GL_ITER_PIECE elements reaches all of them. A long
 * row is cut into pieces; the loops see shorter runs, never other values. */
#define GL_ITER_PIECE ((int64_t)1 << 16)

/* Calls fn on n elements from p (byte strides s), piece by piece; 1 if interrupted. */
static int run_pieces (int nop, int poll, int64_t n, char *const *p, const int64_t *s, gl_loop_fn fn,
                       void *ctx) {
  char *q[GL_ITER_MAXOP];
  for (int64_t off = 0; off < n; off += GL_ITER_PIECE) {
    int64_t m = n - off < GL_ITER_PIECE ? n - off : GL_ITER_PIECE;
    for (int k = 0; k < nop; k++) q[k] = p[k] + off * s[k];
    fn(m, q, s, ctx);
    if (m == GL_ITER_PIECE && poll && gl_interrupted()) return 1;
  }
  return 0;
}

/* Runs rows [r0, r1) of the outer index space (all axes but the last);
 * returns 1 if interrupted. Short rows poll once per GL_ITER_PIECE elements. */
static int run_rows (const gl_iter *it, char *const *base, gl_loop_fn fn, void *ctx,
                     int64_t r0, int64_t r1) {
  int nd = it->ndim, nop = it->nop;
  int64_t idx[GL_MAXDIMS];
  char *p[GL_ITER_MAXOP];
  int64_t inner[GL_ITER_MAXOP], n = it->shape[nd - 1], done = 0;
  for (int k = 0; k < nop; k++) inner[k] = it->bstrides[k][nd - 1];
  int64_t r = r0;
  for (int i = nd - 2; i >= 0; i--) { idx[i] = r % it->shape[i]; r /= it->shape[i]; }
  for (int k = 0; k < nop; k++) {
    p[k] = base[k];
    for (int i = 0; i < nd - 1; i++) p[k] += idx[i] * it->bstrides[k][i];
  }
  for (int64_t row = r0; row < r1; row++) {
    if (n > GL_ITER_PIECE) { if (run_pieces(nop, it->poll, n, p, inner, fn, ctx)) return 1; }
    else {
      fn(n, p, inner, ctx);
      if ((done += n) >= GL_ITER_PIECE) { done = 0; if (it->poll && gl_interrupted()) return 1; }
    }
    for (int i = nd - 2; i >= 0; i--) {
      for (int k = 0; k < nop; k++) p[k] += it->bstrides[k][i];
      if (++idx[i] < it->shape[i]) break;
      for (int k = 0; k < nop; k++) p[k] -= it->bstrides[k][i] * it->shape[i];
      idx[i] = 0;
    }
  }
  return 0;
}

int gl_iter_run (const gl_iter *it, char *const *base, gl_loop_fn fn, void *ctx, int64_t grain) {
  if (it->size == 0) return GL_OK;
  int nd = it->ndim, nop = it->nop, stop = 0;
  int64_t n = it->shape[nd - 1];
  int64_t rows = it->size / n;
  int nt = gl_threads();
  if (grain <= 0 || it->size < grain || nt < 2)
    return run_rows(it, base, fn, ctx, 0, rows) ? GL_EINTR : GL_OK;
  if (rows < nt) {
    /* Few long rows (typically one merged contiguous axis): split each row. */
    for (int64_t row = 0; row < rows && !stop; row++) {
      char *p[GL_ITER_MAXOP];
      int64_t r = row;
      for (int k = 0; k < nop; k++) p[k] = base[k];
      for (int i = nd - 2; i >= 0; i--) {
        int64_t ix = r % it->shape[i];
        r /= it->shape[i];
        for (int k = 0; k < nop; k++) p[k] += ix * it->bstrides[k][i];
      }
      int64_t chunk = (n + nt - 1) / nt;
      #pragma omp parallel for num_threads(nt) schedule(static)
      for (int t = 0; t < nt; t++) {
        int64_t a = (int64_t)t * chunk, b = a + chunk < n ? a + chunk : n;
        if (a >= b) continue;
        char *q[GL_ITER_MAXOP];
        int64_t s[GL_ITER_MAXOP];
        for (int k = 0; k < nop; k++) {
          s[k] = it->bstrides[k][nd - 1];
          q[k] = p[k] + a * s[k];
        }
        if (run_pieces(nop, it->poll, b - a, q, s, fn, ctx)) {
          #pragma omp atomic write
          stop = 1;
        }
      }
    }
    return stop ? GL_EINTR : GL_OK;
  }
  int64_t chunk = (rows + nt - 1) / nt;
  #pragma omp parallel for num_threads(nt) schedule(static)
  for (int t = 0; t < nt; t++) {
    int64_t a = (int64_t)t * chunk, b = a + chunk < rows ? a + chunk : rows;
    if (a < b && run_rows(it, base, fn, ctx, a, b)) {
      #pragma omp atomic write
      stop = 1;
    }
  }
  return stop ? GL_EINTR : GL_OK;
}
