/* test_npz.c: the .npz reader on archives written by NumPy 1.24
 * (tests/fixtures/io/gen_io.py: np.savez, np.savez_compressed and broken
 * ones), and the writer: stored and deflated float32/float64 members that
 * read back byte for byte, and the same bytes on every write (fixed times). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "npz.h"
#include "testhelp.h"

static char *slurp (const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* The npy member of NumPy's np.savez for zb = np.linspace(0, 1, 5). */
static void check_zb (const gl_bytes *m) {
  CHECK(m->len > 10 && memcmp(m->data, "\x93NUMPY", 6) == 0);
  if (m->len < 5 * 8) return;
  double v[5];
  memcpy(v, m->data + m->len - 5 * 8, sizeof v);
  CHECK(v[0] == 0 && v[1] == 0.25 && v[2] == 0.5 && v[3] == 0.75 && v[4] == 1);
  CHECK(memmem(m->data, m->len, "'descr': '<f8'", 14) != NULL);
}

static void test_read_numpy (void) {
  const char *files[2] = {"tests/fixtures/io/stored.npz", "tests/fixtures/io/compressed.npz"};
  for (int f = 0; f < 2; f++) {
    size_t len;
    char *buf = slurp(files[f], &len);
    CHECK(buf != NULL);
    if (!buf) continue;
    CHECK(gl_npz_is_zip(buf, len));
    gl_npz_reader *rd = NULL;
    gl_ioerr err;
    CHECK(gl_npz_open(buf, len, &rd, &err) == GL_OK);
    if (rd) {
      CHECK(gl_npz_count(rd) == 3);
      CHECK(strcmp(gl_npz_name(rd, 0), "za.npy") == 0);
      CHECK(strcmp(gl_npz_name(rd, 1), "zb.npy") == 0);
      CHECK(gl_npz_name(rd, 3) == NULL);
      gl_bytes m = {0};
      CHECK(gl_npz_read(rd, 1, 1 << 20, &m, &err) == GL_OK);
      check_zb(&m);
      CHECK(gl_npz_read(rd, 1, 16, &m, &err) == GL_ERANGE);    /* larger than allowed */
      free(m.data);
      gl_npz_close(rd);
    }
    free(buf);
  }
  CHECK(!gl_npz_is_zip("\x93NUMPY", 6));
}

static void test_read_broken (void) {
  size_t len;
  char *buf = slurp("tests/fixtures/io/bad_crc.npz", &len);
  gl_npz_reader *rd = NULL;
  gl_ioerr err;
  CHECK(buf && gl_npz_open(buf, len, &rd, &err) == GL_OK);
  if (rd) {
    gl_bytes m = {0};
    CHECK(gl_npz_read(rd, 0, 1 << 20, &m, &err) == GL_EFORMAT);   /* CRC mismatch or bad deflate data */
    CHECK(err.msg[0] != 0);
    free(m.data);
    gl_npz_close(rd);
  }
  free(buf);
  buf = slurp("tests/fixtures/io/bad_truncated.npz", &len);
  rd = NULL;
  int rc = buf ? gl_npz_open(buf, len, &rd, &err) : GL_EIO;
  CHECK(rc == GL_EFORMAT && rd == NULL && err.msg[0] != 0);
  free(buf);
}

/* Writes x (f64) and y (f32) payloads under two names; returns the file's bytes. */
static char *write_archive (const char *path, int compress, size_t *len) {
  gl_npz_writer *w = NULL;
  gl_ioerr err;
  if (gl_npz_create(path, compress, &w, &err) != GL_OK) return NULL;
  char *a = malloc(8 * 100), *b = malloc(4 * 100);
  for (int i = 0; i < 100; i++) { ((double *)(void *)a)[i] = i * 0.1; ((float *)(void *)b)[i] = (float)i / 3; }
  if (gl_npz_add(w, "x.npy", a, 800, &err) || gl_npz_add(w, "y.npy", b, 400, &err)) {
    gl_npz_discard(w);
    return NULL;
  }
  if (gl_npz_finish(w, &err) != GL_OK) return NULL;
  return slurp(path, len);
}

static void test_write (void) {
  char path[] = "/tmp/geolab_test_npz_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  close(fd);
  for (int compress = 0; compress < 2; compress++) {
    size_t len1 = 0, len2 = 0;
    char *f1 = write_archive(path, compress, &len1);
    char *f2 = write_archive(path, compress, &len2);
    CHECK(f1 && f2 && len1 == len2 && memcmp(f1, f2, len1) == 0);   /* reproducible bytes */
    gl_npz_reader *rd = NULL;
    gl_ioerr err;
    CHECK(f1 && gl_npz_open(f1, len1, &rd, &err) == GL_OK);
    if (rd) {
      CHECK(gl_npz_count(rd) == 2);
      gl_bytes m = {0};
      CHECK(gl_npz_read(rd, 0, 1 << 20, &m, &err) == GL_OK && m.len == 800);
      CHECK(m.len == 800 && ((double *)(void *)m.data)[99] == 99 * 0.1);
      CHECK(gl_npz_read(rd, 1, 1 << 20, &m, &err) == GL_OK && m.len == 400);
      CHECK(m.len == 400 && ((float *)(void *)m.data)[7] == 7.0f / 3);
      free(m.data);
      gl_npz_close(rd);
    }
    if (compress) CHECK(len1 < 1200);   /* deflated below the raw size */
    free(f1);
    free(f2);
  }
  gl_npz_writer *w = NULL;
  gl_ioerr err;
  CHECK(gl_npz_create("/nonexistent-dir/x.npz", 0, &w, &err) != GL_OK || gl_npz_finish(w, &err) != GL_OK);
  unlink(path);
}

int main (void) {
  test_read_numpy();
  test_read_broken();
  test_write();
  return TEST_REPORT();
}
