/* idx.c: IDX reading (the MNIST container). Sizes are checked against the
 * buffer before any element is touched. */
#include <string.h>
#include "idx.h"

static uint32_t be32 (const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int gl_idx_parse_header (const char *buf, size_t len, gl_idx_header *h, gl_ioerr *err) {
  const unsigned char *u = (const unsigned char *)buf;
  memset(h, 0, sizeof *h);
  if (len < 4 || u[0] != 0 || u[1] != 0) return gl_ioerr_set(err, GL_EFORMAT, "not an IDX file (bad magic)");
  h->code = u[2];
  switch (h->code) {
    case 0x08: h->itemsize = 1; h->dtype = GL_UINT8; break;
    case 0x09: h->itemsize = 1; h->dtype = GL_INT32; break;
    case 0x0B: h->itemsize = 2; h->dtype = GL_INT32; break;
    case 0x0C: h->itemsize = 4; h->dtype = GL_INT32; break;
    case 0x0D: h->itemsize = 4; h->dtype = GL_FLOAT32; break;
    case 0x0E: h->itemsize = 8; h->dtype = GL_FLOAT64; break;
    default: return gl_ioerr_set(err, GL_EFORMAT, "unknown IDX type code 0x%02X", h->code);
  }
  h->ndim = u[3];
  if (h->ndim > GL_MAXDIMS) return gl_ioerr_set(err, GL_ERANGE, "too many dimensions (%d, max %d)", h->ndim, GL_MAXDIMS);
  h->data_offset = 4 + 4 * (size_t)h->ndim;
  if (len < h->data_offset) return gl_ioerr_set(err, GL_EFORMAT, "truncated header");
  /* m, the product with zero dimensions counted as 1, is the largest stride:
   * it must fit too, even when a zero makes the size 0 (NumPy refuses such
   * shapes as "array is too big"); n <= m, so n cannot overflow after it */
  int64_t n = 1, m = 1;
  for (int k = 0; k < h->ndim; k++) {
    h->shape[k] = be32(u + 4 + 4 * k);
    if (__builtin_mul_overflow(m, h->shape[k] ? h->shape[k] : 1, &m)) return gl_ioerr_set(err, GL_ERANGE, "shape too large");
    n *= h->shape[k];
  }
  int64_t nbytes;
  if (__builtin_mul_overflow(m, (int64_t)8, &nbytes)) return gl_ioerr_set(err, GL_ERANGE, "shape too large");
  h->size = n;
  if ((uint64_t)(n * h->itemsize) > (uint64_t)(len - h->data_offset))
    return gl_ioerr_set(err, GL_EFORMAT, "data truncated: shape needs %lld bytes, file has %llu",
                        (long long)(n * h->itemsize), (unsigned long long)(len - h->data_offset));
  return GL_OK;
}

int gl_idx_convert (const gl_idx_header *h, const char *buf, size_t len, void *out, gl_ioerr *err) {
  const unsigned char *p = (const unsigned char *)buf + h->data_offset;
  int64_t n = h->size;
  if (h->data_offset > len || (uint64_t)n * (uint64_t)h->itemsize > len - h->data_offset)
    return gl_ioerr_set(err, GL_EFORMAT, "data truncated");
  switch (h->code) {
    case 0x08: if (n) memcpy(out, p, (size_t)n); break;
    case 0x09: for (int64_t i = 0; i < n; i++) ((int32_t *)out)[i] = (int8_t)p[i]; break;
    case 0x0B:
      for (int64_t i = 0; i < n; i++) ((int32_t *)out)[i] = (int16_t)(uint16_t)(p[2 * i] << 8 | p[2 * i + 1]);
      break;
    case 0x0C: for (int64_t i = 0; i < n; i++) ((int32_t *)out)[i] = (int32_t)be32(p + 4 * i); break;
    case 0x0D:
      for (int64_t i = 0; i < n; i++) { uint32_t w = be32(p + 4 * i); memcpy((float *)out + i, &w, 4); }
      break;
    case 0x0E:
      for (int64_t i = 0; i < n; i++) {
        uint64_t w = (uint64_t)be32(p + 8 * i) << 32 | be32(p + 8 * i + 4);
        memcpy((double *)out + i, &w, 8);
      }
      break;
    default: return gl_ioerr_set(err, GL_EINVAL, "bad IDX type code");
  }
  return GL_OK;
}
