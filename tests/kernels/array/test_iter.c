/* test_iter.c: the broadcasting iterator: NumPy's broadcast rules and error
 * text, axis merging, stride-0 broadcast axes, negative strides, every
 * element visited exactly once, and the same result for 1 and 2 threads
 * (f32 and f64 operands, contiguous and strided). */
#include <stdint.h>
#include <string.h>
#include "iter.h"
#include "testhelp.h"

static void test_broadcast_shapes (void) {
  int64_t a[2] = {2, 3}, b[1] = {3}, c[2] = {2, 1}, d[3] = {4, 1, 3}, e[1] = {4}, z[2] = {0, 3};
  int nd, ndims[3];
  int64_t out[GL_MAXDIMS];
  const int64_t *sh[3];
  ndims[0] = 2; ndims[1] = 1; sh[0] = a; sh[1] = b;
  CHECK(gl_broadcast_shapes(2, ndims, sh, &nd, out) == GL_OK && nd == 2 && out[0] == 2 && out[1] == 3);
  ndims[0] = 2; ndims[1] = 3; sh[0] = c; sh[1] = d;      /* (2,1) and (4,1,3) -> (4,2,3) */
  CHECK(gl_broadcast_shapes(2, ndims, sh, &nd, out) == GL_OK && nd == 3 && out[0] == 4 && out[1] == 2 && out[2] == 3);
  ndims[0] = 2; ndims[1] = 1; ndims[2] = 1; sh[0] = z; sh[1] = b; sh[2] = b;   /* zero-length axes broadcast too */
  CHECK(gl_broadcast_shapes(3, ndims, sh, &nd, out) == GL_OK && nd == 2 && out[0] == 0 && out[1] == 3);
  ndims[0] = 2; ndims[1] = 1; sh[0] = a; sh[1] = e;
  CHECK(gl_broadcast_shapes(2, ndims, sh, &nd, out) == GL_ESHAPE);
  char msg[200];
  gl_broadcast_error(msg, sizeof msg, 2, ndims, sh);
  CHECK(strcmp(msg, "operands could not be broadcast together with shapes (2,3) (4,)") == 0);
  gl_broadcast_error(msg, 20, 2, ndims, sh);             /* truncated, still terminated */
  CHECK(strlen(msg) == 19);
}

static void test_shape_helpers (void) {
  int64_t shape[3] = {2, 3, 4}, st[3];
  CHECK(gl_shape_size(3, shape) == 24);
  CHECK(gl_shape_size(0, shape) == 1);
  gl_contiguous_strides(3, shape, st);
  CHECK(st[0] == 12 && st[1] == 4 && st[2] == 1);
  CHECK(gl_is_contiguous(3, shape, st));
  int64_t tr[3] = {1, 2, 6};
  CHECK(!gl_is_contiguous(3, shape, tr));
  int64_t one[3] = {2, 1, 4}, st1[3] = {4, 99, 1};   /* the stride of a length-1 axis does not matter */
  CHECK(gl_is_contiguous(3, one, st1));
}

/* A loop that adds operand 1 and 2 (double) into operand 0, counting calls. */
typedef struct { int64_t calls, elems; } count_ctx;
static void add_f64 (int64_t n, char *const *p, const int64_t *s, void *ctx) {
  count_ctx *c = ctx;
  if (c) { c->calls++; c->elems += n; }
  for (int64_t i = 0; i < n; i++)
    *(double *)(p[0] + i * s[0]) = *(const double *)(p[1] + i * s[1]) + *(const double *)(p[2] + i * s[2]);
}
static void add_f32 (int64_t n, char *const *p, const int64_t *s, void *ctx) {
  (void)ctx;
  for (int64_t i = 0; i < n; i++)
    *(float *)(p[0] + i * s[0]) = *(const float *)(p[1] + i * s[1]) + *(const float *)(p[2] + i * s[2]);
}

static void test_merge_and_broadcast (void) {
  /* contiguous (2,3,4) + (2,3,4): merged into one axis of 24, one call */
  double a[24], b[24], o[24];
  for (int i = 0; i < 24; i++) { a[i] = i; b[i] = 100 * i; }
  int64_t shape[3] = {2, 3, 4}, st[3] = {12, 4, 1};
  int nd[3] = {3, 3, 3};
  const int64_t *sh[3] = {shape, shape, shape}, *sts[3] = {st, st, st};
  size_t isz[3] = {8, 8, 8};
  gl_iter it;
  CHECK(gl_iter_init(&it, 3, shape, 3, nd, sh, sts, isz) == GL_OK);
  CHECK(it.ndim == 1 && it.shape[0] == 24 && it.size == 24 && it.bstrides[1][0] == 8);
  count_ctx c = {0, 0};
  char *base[3] = {(char *)o, (char *)a, (char *)b};
  gl_iter_run(&it, base, add_f64, &c, 0);
  CHECK(c.calls == 1 && c.elems == 24);
  int ok = 1;
  for (int i = 0; i < 24; i++) ok &= o[i] == 101.0 * i;
  CHECK(ok);
  /* (2,3,4) + a (3,1) operand read backwards: broadcast axes get stride 0 */
  double col[3] = {10, 20, 30};
  int64_t cshape[2] = {3, 1}, cst[2] = {-1, 1};
  nd[2] = 2; sh[2] = cshape; sts[2] = cst;
  CHECK(gl_iter_init(&it, 3, shape, 3, nd, sh, sts, isz) == GL_OK);
  CHECK(it.ndim >= 2);
  c.calls = c.elems = 0;
  char *base2[3] = {(char *)o, (char *)a, (char *)(col + 2)};
  gl_iter_run(&it, base2, add_f64, &c, 0);
  CHECK(c.elems == 24);
  ok = 1;
  for (int i = 0; i < 24; i++) ok &= o[i] == i + col[2 - (i / 4) % 3];
  CHECK(ok);
  /* a shape that does not broadcast */
  int64_t bad[1] = {3};
  nd[2] = 1; sh[2] = bad; sts[2] = st + 2;
  CHECK(gl_iter_init(&it, 3, shape, 3, nd, sh, sts, isz) == GL_ESHAPE);
  /* empty: nothing is called */
  int64_t zshape[2] = {0, 5}, zst[2] = {5, 1};
  int znd[3] = {2, 2, 2};
  const int64_t *zsh[3] = {zshape, zshape, zshape}, *zsts[3] = {zst, zst, zst};
  CHECK(gl_iter_init(&it, 2, zshape, 3, znd, zsh, zsts, isz) == GL_OK && it.size == 0);
  c.calls = 0;
  gl_iter_run(&it, base, add_f64, &c, 0);
  CHECK(c.calls == 0);
  /* a 0-d iteration is one element */
  double s1 = 1.5, s2 = 2.25, so = 0;
  CHECK(gl_iter_init(&it, 0, NULL, 3, (int[]){0, 0, 0}, (const int64_t *[]){NULL, NULL, NULL},
                     (const int64_t *[]){NULL, NULL, NULL}, isz) == GL_OK);
  char *b0[3] = {(char *)&so, (char *)&s1, (char *)&s2};
  gl_iter_run(&it, b0, add_f64, NULL, 0);
  CHECK(so == 3.75);
}

/* The result is the same whether the work is split over threads or not:
 * a transposed float32 (300, 700) view plus a broadcast row, and one long
 * float64 row (split inside the row). */
static void test_threads (void) {
  enum { R = 300, C = 700 };
  static float src[C * R], row[C], o1[R * C], o2[R * C];
  for (int i = 0; i < R * C; i++) src[i] = (float)((i * 7919) % 1000) / 7.0f;
  for (int j = 0; j < C; j++) row[j] = (float)j * 0.5f;
  int64_t shape[2] = {R, C}, ost[2] = {C, 1}, tst[2] = {1, R}, rshape[1] = {C}, rst[1] = {1};
  int nd[3] = {2, 2, 1};
  const int64_t *sh[3] = {shape, shape, rshape}, *sts[3] = {ost, tst, rst};
  size_t isz[3] = {4, 4, 4};
  gl_iter it;
  CHECK(gl_iter_init(&it, 2, shape, 3, nd, sh, sts, isz) == GL_OK);
  gl_set_threads(1);
  char *b1[3] = {(char *)o1, (char *)src, (char *)row};
  gl_iter_run(&it, b1, add_f32, NULL, 1);
  gl_set_threads(2);
  char *b2[3] = {(char *)o2, (char *)src, (char *)row};
  gl_iter_run(&it, b2, add_f32, NULL, 1);
  CHECK(memcmp(o1, o2, sizeof o1) == 0);
  CHECK(o1[5 * C + 9] == src[9 * R + 5] + row[9]);
  enum { L = 100003 };
  static double x[L], y[L], z1[L], z2[L];
  for (int i = 0; i < L; i++) { x[i] = i * 0.25; y[i] = -i; }
  int64_t lshape[1] = {L}, lst[1] = {1};
  int lnd[3] = {1, 1, 1};
  const int64_t *lsh[3] = {lshape, lshape, lshape}, *lsts[3] = {lst, lst, lst};
  size_t l8[3] = {8, 8, 8};
  CHECK(gl_iter_init(&it, 1, lshape, 3, lnd, lsh, lsts, l8) == GL_OK);
  gl_set_threads(1);
  gl_iter_run(&it, (char *[]){(char *)z1, (char *)x, (char *)y}, add_f64, NULL, 1000);
  gl_set_threads(2);
  gl_iter_run(&it, (char *[]){(char *)z2, (char *)x, (char *)y}, add_f64, NULL, 1000);
  CHECK(memcmp(z1, z2, sizeof z1) == 0);
  CHECK(z1[L - 1] == (L - 1) * 0.25 - (L - 1));
}

int main (void) {
  test_broadcast_shapes();
  test_shape_helpers();
  test_merge_and_broadcast();
  test_threads();
  return TEST_REPORT();
}
