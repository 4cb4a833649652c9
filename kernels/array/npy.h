/* npy.h: NumPy's .npy format (versions 1.0, 2.0, 3.0): header parsing and
 * formatting, and conversion of the data block into geolab dtypes. No Lua.
 *
 * Reading is in two steps so the caller can allocate the output between them:
 * gl_npy_parse_header checks everything (magic, header dict, dtype, shape
 * overflow, that the data block is long enough), then gl_npy_convert copies
 * the elements into a C-ordered buffer of h->dtype. */
#ifndef GL_NPY_H
#define GL_NPY_H

#include "gl_types.h"
#include "gzfile.h"

typedef struct gl_npy_header {
  int major, minor;            /* format version */
  char kind;                   /* 'f', 'i', 'u', 'b', 'c'; 'U', 'S' strings */
  int itemsize;                /* bytes per stored element */
  int swap;                    /* 1: stored byte order differs from ours */
  int fortran_order;
  int ndim;
  int64_t shape[GL_MAXDIMS];
  int64_t size;                /* product of shape */
  gl_dtype dtype;              /* what the data is converted to */
  size_t data_offset;          /* where the data block starts in the file */
  char descr[32];              /* as written, e.g. "<f8" */
} gl_npy_header;

/* 1 if buf starts with the .npy magic "\x93NUMPY". */
int gl_npy_is_npy(const char *buf, size_t len);

/* Parses and validates the header of buf[0..len). 0, or GL_EFORMAT (corrupt,
 * unsupported dtype, data shorter than the shape says) / GL_ERANGE (shape
 * overflows, too many dimensions) with err->msg. */
int gl_npy_parse_header(const char *buf, size_t len, gl_npy_header *h, gl_ioerr *err);
/* The same without the check that the data block is all there: buf may be
 * only the first bytes of the file, enough to hold the header. */
int gl_npy_parse_header_only(const char *buf, size_t len, gl_npy_header *h, gl_ioerr *err);
/* Bytes of the whole .npy the header declares (header + data); it fits in a
 * size_t after a successful parse. */
size_t gl_npy_total_bytes(const gl_npy_header *h);

/* Converts the h->size elements at buf + h->data_offset into out (C order,
 * h->dtype, h->size * gl_dtype_size(h->dtype) bytes): byte swapping, widening
 * (int16/uint16 -> int32, uint32/uint64 -> int64), Fortran to C order.
 * GL_ERANGE (with err->msg) if a uint64 does not fit in int64; GL_EINTR on
 * Ctrl-C (polled every 2^18 elements: filling a large array takes seconds). */
int gl_npy_convert(const gl_npy_header *h, const char *buf, size_t len, void *out, gl_ioerr *err);

/* 1 if the header describes fixed-width strings ('U' UCS4, 'S' bytes):
 * read them element by element with gl_npy_string, not gl_npy_convert. */
#define gl_npy_is_string(h) ((h)->kind == 'U' || (h)->kind == 'S')
/* Element i (C order, Fortran-ordered files included) of a string array as
 * UTF-8 into out, which holds at least h->itemsize bytes ('U': 4 bytes per
 * character is UTF-8's worst case), its length in *outlen. Trailing NULs are
 * dropped as NumPy does. GL_EFORMAT for a truncated block or a code point
 * that is not a character. */
int gl_npy_string(const gl_npy_header *h, const char *buf, size_t len, int64_t i, char *out,
                  size_t *outlen, gl_ioerr *err);

/* The descr NumPy writes for a dtype in this machine's byte order ("<f8", "|u1"...). */
const char *gl_npy_descr(gl_dtype t);

/* Formats a version 1.0 header (magic, version, length, dict padded with
 * spaces to a multiple of 64 bytes and ended by '\n', like NumPy) into out,
 * which must hold GL_NPY_HEADER_MAX bytes. Returns its length, or GL_ERANGE
 * if it would not fit in a 1.0 header. */
#define GL_NPY_HEADER_MAX 1024
int64_t gl_npy_format_header(char *out, gl_dtype t, int fortran_order, int ndim, const int64_t *shape);

#endif
