/* idx.h: the IDX format of MNIST (LeCun): two zero bytes, a type code, the
 * number of dimensions, big-endian uint32 sizes, then big-endian elements.
 * Parse the header, allocate, then convert. No Lua. */
#ifndef GL_IDX_H
#define GL_IDX_H

#include "gl_types.h"
#include "gzfile.h"

typedef struct gl_idx_header {
  int code;                    /* 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64 */
  int itemsize;
  int ndim;
  int64_t shape[GL_MAXDIMS];
  int64_t size;
  gl_dtype dtype;              /* u8 -> uint8, i8/i16/i32 -> int32, f32, f64 */
  size_t data_offset;
} gl_idx_header;

/* Validates the header and that the data block is long enough. GL_EFORMAT or
 * GL_ERANGE with err->msg. */
int gl_idx_parse_header(const char *buf, size_t len, gl_idx_header *h, gl_ioerr *err);

/* Converts the h->size big-endian elements into out (h->dtype, C order). */
int gl_idx_convert(const gl_idx_header *h, const char *buf, size_t len, void *out, gl_ioerr *err);

#endif
