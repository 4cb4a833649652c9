/* test_gzfile.c: whole-file reads with and without gzip, limits, writes. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "gzfile.h"
#include "gl_types.h"
#include "testhelp.h"

#define FIX "tests/fixtures/io/"

int main (void) {
  gl_bytes a = {0}, b = {0};
  gl_ioerr e;
  CHECK(gl_file_read(FIX "simple.txt", 1 << 20, &a, &e) == 0 && a.data[a.len] == '\0');
  CHECK(gl_file_read(FIX "simple.txt.gz", 1 << 20, &b, &e) == 0);
  CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0 && b.data[b.len] == '\0');
  CHECK(gl_file_read(FIX "simple.txt", 10, &a, &e) == GL_ERANGE);
  CHECK(gl_file_read(FIX "xyz1000.xyz.gz", 100, &a, &e) == GL_ERANGE && strstr(e.msg, "too large"));
  CHECK(gl_file_read(FIX "nope.txt", 1 << 20, &a, &e) == GL_EIO && strstr(e.msg, "No such file"));
  CHECK(gl_file_read(FIX, 1 << 20, &a, &e) == GL_EIO);
  CHECK(gl_file_read(FIX "bad_gz.npy.gz", 1 << 20, &a, &e) == GL_EFORMAT);
  /* corrupt deflate data */
  CHECK(gl_file_read(FIX "simple.txt.gz", 1 << 20, &a, &e) == 0);
  gl_bytes raw = {0};
  FILE *fp = fopen(FIX "simple.txt.gz", "rb");
  char tmp[4096];
  size_t n = fread(tmp, 1, sizeof tmp, fp);
  fclose(fp);
  tmp[15] ^= 0x55;
  int rc = gl_gunzip(tmp, n, 1 << 20, &raw, &e);
  CHECK(rc == GL_EFORMAT);   /* bad deflate data or CRC mismatch */
  /* two concatenated members */
  tmp[15] ^= 0x55;
  char two[8192];
  memcpy(two, tmp, n);
  memcpy(two + n, tmp, n);
  CHECK(gl_gunzip(two, 2 * n, 1 << 20, &raw, &e) == 0 && raw.len == 2 * a.len);
  /* writes, plain and gzip, read back identically */
  /* per-process names: suites of several checkouts may run at once */
  char p1[64], p2[72];
  snprintf(p1, sizeof p1, "/tmp/gl_test_gzfile.%ld.txt", (long)getpid());
  snprintf(p2, sizeof p2, "%s.gz", p1);
  CHECK(gl_file_write(p1, a.data, a.len, 0, &e) == 0);
  CHECK(gl_file_write(p2, a.data, a.len, 1, &e) == 0);
  CHECK(gl_file_read(p1, 1 << 20, &b, &e) == 0 && b.len == a.len && memcmp(a.data, b.data, a.len) == 0);
  CHECK(gl_file_read(p2, 1 << 20, &b, &e) == 0 && b.len == a.len && memcmp(a.data, b.data, a.len) == 0);
  CHECK(gl_file_write("/nonexistent/dir/x", "a", 1, 0, &e) == GL_EIO);
  CHECK(gl_path_endswith("a/b.NPZ", ".npz") && !gl_path_endswith("z", ".npz"));
  remove(p1);
  remove(p2);
  gl_bytes_free(&a);
  gl_bytes_free(&b);
  gl_bytes_free(&raw);
  return TEST_REPORT();
}
