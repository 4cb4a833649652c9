/* fuzz_common.h: runs one input through one reader kernel exactly as the
 * bindings do (parse header, allocate, convert), for the libFuzzer targets
 * and the seeded mutation driver alike. Inputs come as (data, size) with no
 * terminator; each reader copies them into a gl_bytes first, as gl_file_read
 * would have produced. */
#ifndef GL_FUZZ_COMMON_H
#define GL_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>
#include "gzfile.h"
#include "idx.h"
#include "npy.h"
#include "npz.h"
#include "textio.h"

enum { FUZZ_NPY, FUZZ_NPZ, FUZZ_IDX, FUZZ_TEXT, FUZZ_GZ, FUZZ_NREADERS };
static const char *const fuzz_reader_names[FUZZ_NREADERS] = {"npy", "npz", "idx", "text", "gz"};

#define FUZZ_MAX_OUT ((size_t)64 << 20)   /* skip converting absurdly large (but valid) claims */

static void fuzz_npy_bytes (const char *buf, size_t len) {
  gl_npy_header h;
  gl_ioerr e;
  if (gl_npy_parse_header(buf, len, &h, &e)) return;
  size_t n = (size_t)h.size * gl_dtype_size(h.dtype);
  if (n > FUZZ_MAX_OUT) return;
  void *out = malloc(n ? n : 1);
  if (!out) return;
  gl_npy_convert(&h, buf, len, out, &e);
  free(out);
}

static void fuzz_idx_bytes (const char *buf, size_t len) {
  gl_idx_header h;
  gl_ioerr e;
  if (gl_idx_parse_header(buf, len, &h, &e)) return;
  size_t n = (size_t)h.size * gl_dtype_size(h.dtype);
  if (n > FUZZ_MAX_OUT) return;
  void *out = malloc(n ? n : 1);
  if (!out) return;
  gl_idx_convert(&h, buf, len, out, &e);
  free(out);
}

static void fuzz_npz_bytes (const char *buf, size_t len) {
  gl_npz_reader *rd;
  gl_ioerr e;
  gl_bytes m = {0};
  if (gl_npz_open(buf, len, &rd, &e)) return;
  int64_t n = gl_npz_count(rd);
  for (int64_t i = 0; i < n && i < 64; i++) {
    (void)gl_npz_name(rd, i);
    if (gl_npz_read(rd, i, FUZZ_MAX_OUT, &m, &e) == 0) fuzz_npy_bytes(m.data, m.len);
  }
  gl_bytes_free(&m);
  gl_npz_close(rd);
}

static void fuzz_text_bytes (const char *buf, size_t len) {
  static const int64_t cols[3] = {0, -1, 2};
  gl_text_opts o;
  gl_bytes out = {0};
  gl_ioerr e;
  int64_t r, c;
  memset(&o, 0, sizeof o);
  o.ncomments = 1;
  o.comments[0] = "#";
  o.max_rows = -1;
  o.dtype = GL_FLOAT64;
  gl_text_parse(buf, len, &o, &out, &r, &c, &e);
  o.delimiter = ',';
  o.usecols = cols;
  o.nusecols = 3;
  o.comments[1] = "//";
  o.ncomments = 2;
  o.skiprows = 1;
  gl_text_parse(buf, len, &o, &out, &r, &c, &e);
  o.delimiter = '\t';
  o.usecols = NULL;
  o.dtype = GL_INT32;
  o.max_rows = 3;
  gl_text_parse(buf, len, &o, &out, &r, &c, &e);
  o.dtype = GL_UINT8;
  o.delimiter = 0;
  gl_text_parse(buf, len, &o, &out, &r, &c, &e);
  double v;
  gl_text_parse_double(buf, len < 80 ? len : 80, &v);
  /* the input as a savetxt format string (the first line) */
  const char *nl = memchr(buf, '\n', len);
  size_t fl = nl ? (size_t)(nl - buf) : len;
  if (fl < 200 && !memchr(buf, '\0', fl)) {
    char fmt[201];
    memcpy(fmt, buf, fl);
    fmt[fl] = '\0';
    const char *f1[1] = {fmt};
    double vals[6] = {1.5, -2, 1e300, 0, -1e-300, 7};
    int64_t iv[6] = {1, -2, INT64_MAX, INT64_MIN, 0, 7};
    out.len = 0;
    gl_text_format(2, 3, GL_FLOAT64, vals, f1, 1, ",", "\n", &out, &e);
    out.len = 0;
    gl_text_format(3, 2, GL_INT64, iv, f1, 1, " ", "\r\n", &out, &e);
  }
  gl_bytes_free(&out);
}

static void fuzz_gz_bytes (const char *buf, size_t len) {
  gl_bytes out = {0};
  gl_ioerr e;
  if (gl_gunzip(buf, len, FUZZ_MAX_OUT, &out, &e) == 0) fuzz_npy_bytes(out.data, out.len);
  gl_bytes_free(&out);
}

/* Runs data through reader r. */
static void fuzz_run (int r, const unsigned char *data, size_t size) {
  gl_bytes b = {0};
  if (gl_bytes_append(&b, data, size)) return;   /* adds the NUL the readers rely on */
  switch (r) {
    case FUZZ_NPY: fuzz_npy_bytes(b.data, b.len); break;
    case FUZZ_NPZ: fuzz_npz_bytes(b.data, b.len); break;
    case FUZZ_IDX: fuzz_idx_bytes(b.data, b.len); break;
    case FUZZ_TEXT: fuzz_text_bytes(b.data, b.len); break;
    case FUZZ_GZ: fuzz_gz_bytes(b.data, b.len); break;
  }
  gl_bytes_free(&b);
}

#endif
