/* test_interrupt.c: Ctrl-C (the interrupt flag) reaches long kernels: the
 * broadcasting iterator that every elementwise operation runs through, and
 * sort/unique and whole-array copies (astype, copy), stop with GL_EINTR
 * early; with the flag clear they finish. Assignments (gl_cast_copy) are not
 * interrupted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cast.h"
#include "elementwise.h"
#include "iter.h"
#include "sort.h"
#include "testhelp.h"

#define N ((int64_t)1 << 20)

static int64_t seen;
static void count_loop (int64_t n, char *const *p, const int64_t *s, void *ctx) {
  (void)p; (void)s; (void)ctx;
  seen += n;
}

/* a + b over N float64 through the iterator (one thread: grain 0) */
static int add (double *a, double *b, double *c, gl_loop_fn fn) {
  gl_iter it;
  int nd[3] = {1, 1, 1};
  int64_t shape[1] = {N}, st[1] = {1};
  const int64_t *sh[3] = {shape, shape, shape}, *sts[3] = {st, st, st};
  size_t isz[3] = {8, 8, 8};
  if (gl_iter_init(&it, 1, shape, 3, nd, sh, sts, isz)) return -100;
  char *base[3] = {(char *)c, (char *)a, (char *)b};
  return gl_iter_run(&it, base, fn, NULL, 0);
}

static void test_elementwise (void) {
  double *a = malloc(N * sizeof(double)), *b = malloc(N * sizeof(double)), *c = malloc(N * sizeof(double));
  for (int64_t i = 0; i < N; i++) { a[i] = (double)i; b[i] = 1.0; c[i] = -1.0; }
  gl_loop_fn addf = gl_binary_loop(GL_OP_ADD, GL_FLOAT64);
  gl_interrupt_set(1);
  CHECK(add(a, b, c, addf) == GL_EINTR);
  CHECK(c[0] == 1.0 && c[N - 1] == -1.0);   /* stopped after the first piece */
  seen = 0;
  CHECK(add(a, b, c, count_loop) == GL_EINTR);
  CHECK(seen == 65536);
  gl_interrupt_set(0);
  CHECK(add(a, b, c, addf) == GL_OK);
  CHECK(c[0] == 1.0 && c[N - 1] == (double)N);
  seen = 0;
  CHECK(add(a, b, c, count_loop) == GL_OK);
  CHECK(seen == N);
  /* a broadcast of many short rows polls too: (N/16, 16) + (16,) */
  gl_iter it;
  int nd[2] = {2, 1};
  int64_t shape[2] = {N / 16, 16}, st[2] = {16, 1}, sh1[1] = {16}, st1[1] = {1};
  const int64_t *sh[2] = {shape, sh1}, *sts[2] = {st, st1};
  size_t isz[2] = {8, 8};
  CHECK(gl_iter_init(&it, 2, shape, 2, nd, sh, sts, isz) == GL_OK);
  char *base[2] = {(char *)c, (char *)b};
  gl_interrupt_set(1);
  seen = 0;
  CHECK(gl_iter_run(&it, base, count_loop, NULL, 0) == GL_EINTR);
  CHECK(seen == 65536);
  gl_interrupt_set(0);
  free(a); free(b); free(c);
}

static void test_sort (void) {
  double *x = malloc(N * sizeof(double)), *v = malloc(N * sizeof(double));
  int64_t *p = malloc(N * sizeof(int64_t)), nu;
  uint64_t r = 88172645463325252u;
  for (int64_t i = 0; i < N; i++) {
    r ^= r << 13; r ^= r >> 7; r ^= r << 17;
    x[i] = (double)(r >> 11);
  }
  gl_lines g = {1, N, 1, 0, 1, 0};
  gl_interrupt_set(1);
  CHECK(gl_sort_f64(&g, x, v, p) == GL_EINTR);
  CHECK(gl_unique_f64(N, x, v, NULL, NULL, NULL, &nu) == GL_EINTR);
  gl_interrupt_set(0);
  CHECK(gl_sort_f64(&g, x, v, p) == GL_OK);
  int sorted = 1;
  for (int64_t i = 1; i < N; i++) if (v[i - 1] > v[i]) sorted = 0;
  CHECK(sorted);
  free(x); free(v); free(p);
}

/* float64 -> float32 copy of N elements, polled and not */
static void test_cast (void) {
  double *a = malloc(N * sizeof(double));
  float *f = malloc(N * sizeof(float));
  int64_t shape[1] = {N}, sd[1] = {1};
  for (int64_t i = 0; i < N; i++) { a[i] = (double)i; f[i] = -1.0f; }
  gl_interrupt_set(1);
  CHECK(gl_cast_copy_poll(GL_FLOAT32, 1, shape, sd, (char *)f, GL_FLOAT64, 1, shape, sd, (const char *)a) == GL_EINTR);
  CHECK(f[1] == 1.0f && f[N - 1] == -1.0f);   /* stopped after the first piece */
  CHECK(gl_cast_copy(GL_FLOAT32, 1, shape, sd, (char *)f, GL_FLOAT64, 1, shape, sd, (const char *)a) == GL_OK);
  CHECK(f[N - 1] == (float)(N - 1));
  gl_interrupt_set(0);
  f[N - 1] = -1.0f;
  CHECK(gl_cast_copy_poll(GL_FLOAT32, 1, shape, sd, (char *)f, GL_FLOAT64, 1, shape, sd, (const char *)a) == GL_OK);
  CHECK(f[N - 1] == (float)(N - 1));
  free(a); free(f);
}

int main (void) {
  test_elementwise();
  test_cast();
  test_sort();
  return TEST_REPORT();
}
