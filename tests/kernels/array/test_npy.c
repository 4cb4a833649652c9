/* test_npy.c: .npy header parsing/formatting and conversion, against files
 * written by NumPy (tests/fixtures/io, from gen_io.py). */
#include <stdlib.h>
#include <string.h>
#include "npy.h"
#include "testhelp.h"

#define FIX "tests/fixtures/io/"

/* Loads a fixture and converts it; returns the data (caller frees) or NULL. */
static void *load (const char *name, gl_npy_header *h, int *rc) {
  gl_bytes b = {0};
  gl_ioerr e;
  gl_ioerr_clear(&e);
  void *out = NULL;
  *rc = gl_file_read(name, (size_t)1 << 30, &b, &e);
  if (*rc == 0) *rc = gl_npy_parse_header(b.data, b.len, h, &e);
  if (*rc == 0) {
    out = malloc((size_t)h->size * gl_dtype_size(h->dtype) + 1);
    *rc = gl_npy_convert(h, b.data, b.len, out, &e);
  }
  if (*rc) { free(out); out = NULL; fprintf(stderr, "  (%s: %s)\n", name, e.msg); }
  gl_bytes_free(&b);
  return out;
}

static void test_dtypes (void) {
  gl_npy_header h;
  int rc;
  double m23[6] = {1.5, -2.25, 3.0, 4.0, 1e-300, -INFINITY};
  const char *f8[] = {FIX "f8_2x3.npy", FIX "be_f8.npy", FIX "v2.npy", FIX "v3.npy", FIX "f8_2x3.npy.gz"};
  for (int k = 0; k < 5; k++) {
    double *d = load(f8[k], &h, &rc);
    CHECK(rc == 0 && d && h.dtype == GL_FLOAT64 && h.ndim == 2 && h.shape[0] == 2 && h.shape[1] == 3);
    if (d) { CHECK(memcmp(d, m23, sizeof m23) == 0); free(d); }
  }
  float *f = load(FIX "f4_2x3.npy", &h, &rc);
  CHECK(f && h.dtype == GL_FLOAT32 && f[1] == -2.25f && f[5] == -INFINITY);
  free(f);
  f = load(FIX "be_f4.npy", &h, &rc);
  CHECK(f && h.dtype == GL_FLOAT32 && f[0] == 0.5f && f[1] == -1.25f);
  free(f);
  int64_t *l = load(FIX "i8_1d.npy", &h, &rc);
  CHECK(l && h.dtype == GL_INT64 && h.ndim == 1 && h.shape[0] == 5 && l[2] == (INT64_C(1) << 62) && l[1] == -1);
  free(l);
  l = load(FIX "be_i8.npy", &h, &rc);
  CHECK(l && l[0] == 5 && l[1] == -6 && l[2] == (INT64_C(1) << 40));
  free(l);
  int32_t *i = load(FIX "i4_2x2.npy", &h, &rc);
  CHECK(i && h.dtype == GL_INT32 && i[1] == -2 && i[2] == INT32_MAX && i[3] == INT32_MIN);
  free(i);
  i = load(FIX "be_i4.npy", &h, &rc);
  CHECK(i && h.swap && i[1] == -2 && i[2] == INT32_MAX && i[3] == INT32_MIN);
  free(i);
  i = load(FIX "i2.npy", &h, &rc);
  CHECK(i && h.dtype == GL_INT32 && i[0] == -32768 && i[1] == -1 && i[3] == 32767);
  free(i);
  i = load(FIX "u2.npy", &h, &rc);
  CHECK(i && h.dtype == GL_INT32 && i[2] == 65535);
  free(i);
  i = load(FIX "i1.npy", &h, &rc);
  CHECK(i && h.dtype == GL_INT32 && i[0] == -128 && i[2] == 127);
  free(i);
  l = load(FIX "u4.npy", &h, &rc);
  CHECK(l && h.dtype == GL_INT64 && l[1] == 4294967295LL);
  free(l);
  l = load(FIX "u8.npy", &h, &rc);
  CHECK(l && h.dtype == GL_INT64 && l[1] == INT64_MAX);
  free(l);
  uint8_t *u = load(FIX "u1_3.npy", &h, &rc);
  CHECK(u && h.dtype == GL_UINT8 && u[1] == 128 && u[2] == 255);
  free(u);
  u = load(FIX "b1_4.npy", &h, &rc);
  CHECK(u && h.dtype == GL_BOOL && u[0] == 1 && u[1] == 0 && u[3] == 1);
  free(u);
  double *d = load(FIX "scalar.npy", &h, &rc);
  CHECK(d && h.ndim == 0 && h.size == 1 && d[0] == 3.25);
  free(d);
  d = load(FIX "empty.npy", &h, &rc);
  CHECK(d && h.ndim == 2 && h.shape[0] == 0 && h.shape[1] == 3 && h.size == 0);
  free(d);
}

static void test_fortran (void) {
  gl_npy_header h;
  int rc;
  double *d = load(FIX "fortran.npy", &h, &rc);
  CHECK(d && h.fortran_order && h.ndim == 3);
  if (d) {
    int ok = 1;
    for (int k = 0; k < 24; k++) ok &= d[k] == k;   /* arange(24).reshape(2,3,4) in C order */
    CHECK(ok);
  }
  free(d);
  int32_t *i = load(FIX "fortran_i4.npy", &h, &rc);
  CHECK(i && i[0] == 0 && i[1] == 1 && i[2] == 2 && i[3] == 3 && i[5] == 5);
  free(i);
}

static void test_errors (void) {
  struct { const char *f; int rc; const char *msg; } cases[] = {
    {FIX "bad_truncated.npy", GL_EFORMAT, "data truncated"},
    {FIX "bad_header_short.npy", GL_EFORMAT, "truncated header"},
    {FIX "bad_magic.npy", GL_EFORMAT, "not a .npy file"},
    {FIX "bad_version.npy", GL_EFORMAT, "unsupported format version 7.0"},
    {FIX "bad_shape_overflow.npy", GL_ERANGE, "shape too large"},
    {FIX "bad_shape_lie.npy", GL_EFORMAT, "data truncated: shape needs 8000000 bytes"},
    {FIX "bad_descr.npy", GL_EFORMAT, "unsupported dtype '<f2'"},
    {FIX "bad_dict.npy", GL_EFORMAT, "bad 'fortran_order'"},
    {FIX "bad_hlen.npy", GL_EFORMAT, "truncated header"},
    {FIX "bad_structured.npy", GL_EFORMAT, "structured dtypes"},
    {FIX "object.npy", GL_EFORMAT, "object arrays (dtype '|O') are stored as pickles"},
    {FIX "bad_gz.npy.gz", GL_EFORMAT, "truncated gzip data"},
    {FIX "missing.npy", GL_EIO, "No such file"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    gl_bytes b = {0};
    gl_npy_header h;
    gl_ioerr e;
    gl_ioerr_clear(&e);
    int rc = gl_file_read(cases[k].f, (size_t)1 << 30, &b, &e);
    if (rc == 0) rc = gl_npy_parse_header(b.data, b.len, &h, &e);
    CHECK(rc == cases[k].rc);
    CHECK(strstr(e.msg, cases[k].msg) != NULL);
    if (!strstr(e.msg, cases[k].msg)) fprintf(stderr, "  %s: got '%s'\n", cases[k].f, e.msg);
    gl_bytes_free(&b);
  }
  /* uint64 above INT64_MAX parses, then fails conversion */
  gl_npy_header h;
  int rc;
  void *p = load(FIX "u8_big.npy", &h, &rc);
  CHECK(p == NULL && rc == GL_ERANGE);
}

/* Our headers are byte-identical to NumPy's. */
static void test_format (void) {
  struct { const char *f; gl_dtype t; int nd; int64_t shape[2]; } cases[] = {
    {FIX "ref_f8.npy", GL_FLOAT64, 2, {2, 3}}, {FIX "ref_i4.npy", GL_INT32, 2, {3, 4}},
    {FIX "ref_u1.npy", GL_UINT8, 1, {3, 0}}, {FIX "ref_b1.npy", GL_BOOL, 2, {1, 2}},
    {FIX "ref_i8.npy", GL_INT64, 1, {2, 0}}, {FIX "ref_f4.npy", GL_FLOAT32, 1, {3, 0}},
    {FIX "ref_0d.npy", GL_FLOAT64, 0, {0, 0}}, {FIX "ref_big.npy", GL_FLOAT64, 2, {123456789, 0}},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    gl_bytes b = {0};
    gl_ioerr e;
    char hdr[GL_NPY_HEADER_MAX];
    CHECK(gl_file_read(cases[k].f, 1 << 20, &b, &e) == 0);
    int64_t n = gl_npy_format_header(hdr, cases[k].t, 0, cases[k].nd, cases[k].shape);
    CHECK(n > 0 && n % 64 == 0 && (size_t)n <= b.len && memcmp(hdr, b.data, (size_t)n) == 0);
    gl_npy_header h;
    CHECK(gl_npy_parse_header(b.data, b.len, &h, &e) == 0 && h.data_offset == (size_t)n);
    gl_bytes_free(&b);
  }
  char hdr[GL_NPY_HEADER_MAX];
  int64_t sh[GL_MAXDIMS];
  for (int k = 0; k < GL_MAXDIMS; k++) sh[k] = INT64_MAX;
  CHECK(gl_npy_format_header(hdr, GL_FLOAT64, 0, GL_MAXDIMS, sh) > 0);
  CHECK(gl_npy_format_header(hdr, GL_FLOAT64, 0, GL_MAXDIMS + 1, sh) == GL_EINVAL);
}

int main (void) {
  test_dtypes();
  test_fortran();
  test_errors();
  test_format();
  return TEST_REPORT();
}
