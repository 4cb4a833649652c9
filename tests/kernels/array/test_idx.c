/* test_idx.c: IDX reading of every type code, MNIST, and corrupt files. */
#include <stdlib.h>
#include <string.h>
#include "idx.h"
#include "testhelp.h"

#define FIX "tests/fixtures/io/"

static void *load (const char *name, gl_idx_header *h, int *rc, gl_ioerr *e) {
  gl_bytes b = {0};
  void *out = NULL;
  gl_ioerr_clear(e);
  *rc = gl_file_read(name, (size_t)1 << 30, &b, e);
  if (*rc == 0) *rc = gl_idx_parse_header(b.data, b.len, h, e);
  if (*rc == 0) {
    out = malloc((size_t)h->size * gl_dtype_size(h->dtype) + 1);
    *rc = gl_idx_convert(h, b.data, b.len, out, e);
  }
  if (*rc) { free(out); out = NULL; }
  gl_bytes_free(&b);
  return out;
}

int main (void) {
  gl_idx_header h;
  gl_ioerr e;
  int rc;
  const int vals[6] = {1, -2, 3, -4, 5, 100};
  uint8_t *u = load(FIX "u8.idx", &h, &rc, &e);
  CHECK(u && h.dtype == GL_UINT8 && h.ndim == 2 && h.shape[0] == 2 && h.shape[1] == 3 && u[5] == 255);
  free(u);
  int32_t *i = load(FIX "i8.idx", &h, &rc, &e);
  CHECK(i && h.dtype == GL_INT32 && i[1] == -2 && i[5] == 100);
  free(i);
  i = load(FIX "i16.idx", &h, &rc, &e);
  CHECK(i && i[3] == -1200 && i[5] == 30000);
  free(i);
  i = load(FIX "i32.idx", &h, &rc, &e);
  CHECK(i && i[1] == -20000000 && i[5] == 1000000000);
  free(i);
  float *f = load(FIX "f32.idx", &h, &rc, &e);
  CHECK(f && h.dtype == GL_FLOAT32 && f[1] == -0.5f && f[5] == 25.0f);
  free(f);
  const char *f64[] = {FIX "f64.idx", FIX "f64.idx.gz"};
  for (int k = 0; k < 2; k++) {
    double *d = load(f64[k], &h, &rc, &e);
    int ok = d != NULL;
    for (int j = 0; ok && j < 6; j++) ok = d[j] == vals[j] / 3.0;
    CHECK(ok && h.dtype == GL_FLOAT64);
    free(d);
  }
  /* MNIST */
  u = load("data/mnist/t10k-labels-idx1-ubyte.gz", &h, &rc, &e);
  CHECK(u && h.ndim == 1 && h.shape[0] == 10000 && u[0] == 7 && u[1] == 2);
  free(u);
  u = load("data/mnist/t10k-images-idx3-ubyte.gz", &h, &rc, &e);
  CHECK(u && h.ndim == 3 && h.shape[0] == 10000 && h.shape[1] == 28 && h.shape[2] == 28);
  if (u) {
    long s = 0;
    for (int k = 0; k < 784; k++) s += u[k];
    CHECK(s == 18454);   /* NumPy, see expected.lua */
  }
  free(u);
  /* corrupt */
  struct { const char *f; int rc; const char *msg; } bad[] = {
    {FIX "bad_truncated.idx", GL_EFORMAT, "data truncated: shape needs 12 bytes, file has 11"},
    {FIX "bad_code.idx", GL_EFORMAT, "unknown IDX type code 0x07"},
    {FIX "bad_magic.idx", GL_EFORMAT, "not an IDX file"},
    {FIX "bad_huge.idx", GL_ERANGE, "shape too large"},
    {FIX "bad_ndim.idx", GL_EFORMAT, "truncated header"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    void *p = load(bad[k].f, &h, &rc, &e);
    CHECK(p == NULL && rc == bad[k].rc && strstr(e.msg, bad[k].msg));
    if (!strstr(e.msg, bad[k].msg)) fprintf(stderr, "  %s: got '%s'\n", bad[k].f, e.msg);
  }
  return TEST_REPORT();
}
