/* test_io_interrupt.c: Ctrl-C (the interrupt flag) stops the readers' long
 * steps with GL_EINTR: reading a file, inflating gzip data, and converting a
 * .npy data block into an array; with the flag clear they finish. */
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "gzfile.h"
#include "npy.h"
#include "testhelp.h"

#define N ((int64_t)1 << 21)   /* 16 MiB of float64: several polling pieces */

int main (void) {
  gl_ioerr e;
  gl_bytes b = {0}, c = {0};
  double *x = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double));
  for (int64_t i = 0; i < N; i++) x[i] = (double)i;
  char hdr[GL_NPY_HEADER_MAX];
  int64_t shape[1] = {N};
  int64_t hl = gl_npy_format_header(hdr, GL_FLOAT64, 0, 1, shape);
  CHECK(hl > 0);
  gl_bytes_append(&b, hdr, (size_t)hl);
  gl_bytes_append(&b, x, N * sizeof(double));
  /* per-process names: suites of several checkouts may run at once */
  char p[64], pz[72];
  snprintf(p, sizeof p, "/tmp/gl_test_io_interrupt.%ld.npy", (long)getpid());
  snprintf(pz, sizeof pz, "%s.gz", p);
  CHECK(gl_file_write(p, b.data, b.len, 0, &e) == 0);
  CHECK(gl_file_write(pz, b.data, b.len, 1, &e) == 0);

  gl_interrupt_set(1);
  CHECK(gl_file_read(p, (size_t)1 << 30, &c, &e) == GL_EINTR);
  CHECK(gl_file_read(pz, (size_t)1 << 30, &c, &e) == GL_EINTR);
  gl_npy_header h;
  CHECK(gl_npy_parse_header(b.data, b.len, &h, &e) == 0);
  memset(y, 0, N * sizeof(double));
  CHECK(gl_npy_convert(&h, b.data, b.len, y, &e) == GL_EINTR);
  CHECK(y[N - 1] == 0.0);   /* stopped before the end */
  gl_interrupt_set(0);

  CHECK(gl_file_read(p, (size_t)1 << 30, &c, &e) == 0 && c.len == b.len && memcmp(c.data, b.data, b.len) == 0);
  CHECK(gl_file_read(pz, (size_t)1 << 30, &c, &e) == 0 && c.len == b.len && memcmp(c.data, b.data, b.len) == 0);
  CHECK(gl_npy_convert(&h, b.data, b.len, y, &e) == 0 && y[N - 1] == (double)(N - 1));
  remove(p);
  remove(pz);
  gl_bytes_free(&b);
  gl_bytes_free(&c);
  free(x);
  free(y);
  return TEST_REPORT();
}
