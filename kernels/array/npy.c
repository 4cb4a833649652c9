/* npy.c: the .npy format: a magic string, a version, a header length, a
 * Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}
 * and the raw elements. The dict is parsed by a small recursive-descent reader
 * of exactly the literals NumPy writes (strings, True/False, tuples of ints);
 * nothing is evaluated. Every length is checked against the buffer before
 * use, so a corrupt file gives GL_EFORMAT, never a read out of bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "npy.h"

static const char npy_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GL_BIG_ENDIAN 1
#else
#define GL_BIG_ENDIAN 0
#endif

int gl_npy_is_npy (const char *buf, size_t len) {
  return len >= 6 && memcmp(buf, npy_magic, 6) == 0;
}

/* {====================================================== dict literal */

typedef struct lex {
  const char *p, *end;
} lex;

static void skip_ws (lex *x) {
  while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r')) x->p++;
}

static int accept (lex *x, char c) {
  skip_ws(x);
  if (x->p < x->end && *x->p == c) { x->p++; return 1; }
  return 0;
}

/* A quoted string ('...' or "..."), no escapes (NumPy never writes any in
 * the keys and descrs we accept). Copies at most cap-1 bytes into out. */
static int read_string (lex *x, char *out, size_t cap) {
  skip_ws(x);
  if (x->p >= x->end || (*x->p != '\'' && *x->p != '"')) return 0;
  char q = *x->p++;
  size_t n = 0;
  while (x->p < x->end && *x->p != q) {
    if (*x->p == '\\') return 0;
    if (n + 1 < cap) out[n++] = *x->p;
    else return 0;  /* longer than anything valid */
    x->p++;
  }
  if (x->p >= x->end) return 0;
  x->p++;
  out[n] = '\0';
  return 1;
}

static int read_word (lex *x, const char *w) {
  size_t n = strlen(w);
  skip_ws(x);
  if ((size_t)(x->end - x->p) >= n && memcmp(x->p, w, n) == 0) { x->p += n; return 1; }
  return 0;
}

/* A non-negative integer (Python 2 files may add 'L'); -1 if absent, -2 on overflow. */
static int64_t read_int (lex *x) {
  skip_ws(x);
  if (x->p >= x->end || *x->p < '0' || *x->p > '9') return -1;
  int64_t v = 0;
  while (x->p < x->end && *x->p >= '0' && *x->p <= '9') {
    int d = *x->p++ - '0';
    if (v > (INT64_MAX - d) / 10) return -2;
    v = v * 10 + d;
  }
  if (x->p < x->end && (*x->p == 'L' || *x->p == 'l')) x->p++;
  return v;
}

static int parse_shape (lex *x, gl_npy_header *h, gl_ioerr *err) {
  h->ndim = 0;
  if (!accept(x, '(')) return gl_ioerr_set(err, GL_EFORMAT, "bad 'shape' in header");
  if (accept(x, ')')) return GL_OK;
  for (;;) {
    int64_t v = read_int(x);
    if (v == -2) return gl_ioerr_set(err, GL_ERANGE, "shape too large");
    if (v < 0) return gl_ioerr_set(err, GL_EFORMAT, "bad 'shape' in header");
    if (h->ndim >= GL_MAXDIMS) return gl_ioerr_set(err, GL_ERANGE, "too many dimensions (max %d)", GL_MAXDIMS);
    h->shape[h->ndim++] = v;
    if (accept(x, ')')) return GL_OK;
    if (!accept(x, ',')) return gl_ioerr_set(err, GL_EFORMAT, "bad 'shape' in header");
    if (accept(x, ')')) return GL_OK;
  }
}

/* Maps the descr to kind/itemsize/byte order and the dtype we convert to. */
static int parse_descr (const char *d, gl_npy_header *h, gl_ioerr *err) {
  char order = d[0];
  const char *t = d + 1;
  if (order != '<' && order != '>' && order != '|' && order != '=') {
    order = '=';  /* "f8" without an order character means native */
    t = d;
  }
  if ((t[0] == 'U' || t[0] == 'S') && t[1] >= '1' && t[1] <= '9') {
    /* fixed-width strings: 'U' counts UCS4 characters, 'S' bytes; they
     * become Lua strings (gl_npy_string), not an array */
    char *end;
    long n = strtol(t + 1, &end, 10);
    if (*end != '\0' || n > (1L << 20)) goto unsupported;
    h->kind = t[0];
    h->itemsize = (int)(t[0] == 'U' ? 4 * n : n);
    h->dtype = GL_UINT8;   /* only sizes the overflow checks */
    if (order == '=') order = GL_BIG_ENDIAN ? '>' : '<';
    h->swap = t[0] == 'U' && (order == '>') != GL_BIG_ENDIAN;
    snprintf(h->descr, sizeof h->descr, "%s", d);
    return GL_OK;
  }
  if (t[0] == '\0' || t[1] < '1' || t[1] > '8' || (t[2] != '\0' && t[3] != '\0'))
    goto unsupported;
  h->kind = t[0];
  h->itemsize = (int)strtol(t + 1, NULL, 10);
  switch (h->kind) {
    case 'f':
      if (h->itemsize == 8) h->dtype = GL_FLOAT64;
      else if (h->itemsize == 4) h->dtype = GL_FLOAT32;
      else goto unsupported;
      break;
    case 'i':
      if (h->itemsize == 8) h->dtype = GL_INT64;
      else if (h->itemsize == 4 || h->itemsize == 2 || h->itemsize == 1) h->dtype = GL_INT32;
      else goto unsupported;
      break;
    case 'u':
      if (h->itemsize == 1) h->dtype = GL_UINT8;
      else if (h->itemsize == 2) h->dtype = GL_INT32;
      else if (h->itemsize == 4 || h->itemsize == 8) h->dtype = GL_INT64;
      else goto unsupported;
      break;
    case 'c':   /* two floats of half the size, real first */
      if (h->itemsize == 16) h->dtype = GL_COMPLEX128;
      else if (h->itemsize == 8) h->dtype = GL_COMPLEX64;
      else goto unsupported;
      break;
    case 'b':
      if (h->itemsize == 1) h->dtype = GL_BOOL;
      else goto unsupported;
      break;
    default:
      goto unsupported;
  }
  if (order == '=') order = GL_BIG_ENDIAN ? '>' : '<';
  h->swap = h->itemsize > 1 && (order == '>') != GL_BIG_ENDIAN;
  if (order == '|' && h->itemsize > 1) goto unsupported;
  snprintf(h->descr, sizeof h->descr, "%s", d);
  return GL_OK;
unsupported:
  if (d[0] != '\0' && d[1] == 'O')   /* NumPy stores these as a pickle */
    return gl_ioerr_set(err, GL_EFORMAT, "object arrays (dtype '%s') are stored as pickles, which geolab "
                        "never loads, even with allow_pickle=true", d);
  return gl_ioerr_set(err, GL_EFORMAT, "unsupported dtype '%s'", d);
}

static int parse_dict (lex *x, gl_npy_header *h, gl_ioerr *err) {
  int have_descr = 0, have_order = 0, have_shape = 0, rc;
  char key[32], val[32];
  if (!accept(x, '{')) return gl_ioerr_set(err, GL_EFORMAT, "header is not a dict");
  while (!accept(x, '}')) {
    if (!read_string(x, key, sizeof key) || !accept(x, ':'))
      return gl_ioerr_set(err, GL_EFORMAT, "corrupt header");
    if (strcmp(key, "descr") == 0) {
      skip_ws(x);
      if (x->p < x->end && *x->p == '[')
        return gl_ioerr_set(err, GL_EFORMAT, "structured dtypes are not supported");
      if (!read_string(x, val, sizeof val)) return gl_ioerr_set(err, GL_EFORMAT, "bad 'descr' in header");
      if ((rc = parse_descr(val, h, err))) return rc;
      have_descr = 1;
    } else if (strcmp(key, "fortran_order") == 0) {
      if (read_word(x, "True")) h->fortran_order = 1;
      else if (read_word(x, "False")) h->fortran_order = 0;
      else return gl_ioerr_set(err, GL_EFORMAT, "bad 'fortran_order' in header");
      have_order = 1;
    } else if (strcmp(key, "shape") == 0) {
      if ((rc = parse_shape(x, h, err))) return rc;
      have_shape = 1;
    } else {
      return gl_ioerr_set(err, GL_EFORMAT, "unexpected key '%s' in header", key);
    }
    if (!accept(x, ',')) {
      if (!accept(x, '}')) return gl_ioerr_set(err, GL_EFORMAT, "corrupt header");
      break;
    }
  }
  if (!have_descr || !have_order || !have_shape)
    return gl_ioerr_set(err, GL_EFORMAT, "header misses '%s'",
                        !have_descr ? "descr" : !have_order ? "fortran_order" : "shape");
  return GL_OK;
}

/* }====================================================== */

int gl_npy_parse_header_only (const char *buf, size_t len, gl_npy_header *h, gl_ioerr *err) {
  const unsigned char *u = (const unsigned char *)buf;
  size_t hlen, start;
  memset(h, 0, sizeof *h);
  if (!gl_npy_is_npy(buf, len)) return gl_ioerr_set(err, GL_EFORMAT, "not a .npy file");
  if (len < 10) return gl_ioerr_set(err, GL_EFORMAT, "truncated header");
  h->major = u[6];
  h->minor = u[7];
  if (h->major == 1) {
    hlen = (size_t)u[8] | (size_t)u[9] << 8;
    start = 10;
  } else if (h->major == 2 || h->major == 3) {
    if (len < 12) return gl_ioerr_set(err, GL_EFORMAT, "truncated header");
    hlen = (size_t)u[8] | (size_t)u[9] << 8 | (size_t)u[10] << 16 | (size_t)u[11] << 24;
    start = 12;
  } else {
    return gl_ioerr_set(err, GL_EFORMAT, "unsupported format version %d.%d", h->major, h->minor);
  }
  if (hlen > len - start) return gl_ioerr_set(err, GL_EFORMAT, "truncated header");
  lex x = {buf + start, buf + start + hlen};
  int rc = parse_dict(&x, h, err);
  if (rc) return rc;
  skip_ws(&x);
  if (x.p != x.end) return gl_ioerr_set(err, GL_EFORMAT, "corrupt header");
  h->data_offset = start + hlen;

  /* m, the product with zero dimensions counted as 1, is the largest stride:
   * it must fit too, even when a zero makes the size 0 (NumPy refuses such
   * shapes as "array is too big"); n <= m, so n cannot overflow after it */
  int64_t n = 1, m = 1;
  for (int k = 0; k < h->ndim; k++) {
    if (__builtin_mul_overflow(m, h->shape[k] ? h->shape[k] : 1, &m))
      return gl_ioerr_set(err, GL_ERANGE, "shape too large");
    n *= h->shape[k];
  }
  int64_t nbytes;
  if (__builtin_mul_overflow(m, (int64_t)h->itemsize, &nbytes) ||
      __builtin_mul_overflow(m, (int64_t)gl_dtype_size(h->dtype), &nbytes))
    return gl_ioerr_set(err, GL_ERANGE, "shape too large");
  h->size = n;
  if (__builtin_add_overflow(nbytes, (int64_t)h->data_offset, &nbytes))
    return gl_ioerr_set(err, GL_ERANGE, "shape too large");
  return GL_OK;
}

int gl_npy_parse_header (const char *buf, size_t len, gl_npy_header *h, gl_ioerr *err) {
  int rc = gl_npy_parse_header_only(buf, len, h, err);
  if (rc) return rc;
  int64_t n = h->size;
  if ((uint64_t)(n * h->itemsize) > (uint64_t)(len - h->data_offset))
    return gl_ioerr_set(err, GL_EFORMAT, "data truncated: shape needs %lld bytes, file has %llu",
                        (long long)(n * h->itemsize), (unsigned long long)(len - h->data_offset));
  return GL_OK;
}

size_t gl_npy_total_bytes (const gl_npy_header *h) {
  return h->data_offset + (size_t)h->size * (size_t)h->itemsize;
}

/* {====================================================== conversion */

/* Loads element i (itemsize bytes at p) as unsigned bits in our byte order. */
static uint64_t load_bits (const unsigned char *p, int size, int swap) {
  uint64_t v = 0;
  if (!swap) {
    memcpy((char *)&v + (GL_BIG_ENDIAN ? 8 - size : 0), p, (size_t)size);
  } else {
    unsigned char tmp[8];
    for (int k = 0; k < size; k++) tmp[k] = p[size - 1 - k];
    memcpy((char *)&v + (GL_BIG_ENDIAN ? 8 - size : 0), tmp, (size_t)size);
  }
  return v;
}

/* Converts stored element src (already at position) into out[i]. */
static int put_elem (const gl_npy_header *h, const unsigned char *src, char *out, int64_t i, gl_ioerr *err) {
  if (h->kind == 'c') {   /* each part is byte-swapped on its own */
    int half = h->itemsize / 2;
    for (int k = 0; k < 2; k++) {
      uint64_t w = load_bits(src + k * half, half, h->swap);
      if (half == 8) memcpy(out + (size_t)i * 16 + (size_t)k * 8, &w, 8);
      else { uint32_t w4 = (uint32_t)w; memcpy(out + (size_t)i * 8 + (size_t)k * 4, &w4, 4); }
    }
    return GL_OK;
  }
  uint64_t b = load_bits(src, h->itemsize, h->swap);
  switch (h->dtype) {
    case GL_FLOAT64: { double v; memcpy(&v, &b, 8); ((double *)out)[i] = v; break; }
    case GL_FLOAT32: { uint32_t w = (uint32_t)b; float v; memcpy(&v, &w, 4); ((float *)out)[i] = v; break; }
    case GL_UINT8: ((uint8_t *)out)[i] = (uint8_t)b; break;
    case GL_BOOL: ((uint8_t *)out)[i] = b != 0; break;
    case GL_INT32:
      if (h->kind == 'u') ((int32_t *)out)[i] = (int32_t)(uint16_t)b;
      else if (h->itemsize == 1) ((int32_t *)out)[i] = (int8_t)(uint8_t)b;
      else if (h->itemsize == 2) ((int32_t *)out)[i] = (int16_t)(uint16_t)b;
      else ((int32_t *)out)[i] = (int32_t)(uint32_t)b;
      break;
    case GL_INT64:
      if (h->kind == 'u' && h->itemsize == 4) ((int64_t *)out)[i] = (int64_t)(uint32_t)b;
      else if (h->kind == 'u' && b > (uint64_t)INT64_MAX)
        return gl_ioerr_set(err, GL_ERANGE, "uint64 value %llu does not fit in int64", (unsigned long long)b);
      else ((int64_t *)out)[i] = (int64_t)b;
      break;
    default: return gl_ioerr_set(err, GL_EINVAL, "bad dtype");
  }
  return GL_OK;
}

#define NPY_POLL ((int64_t)1 << 18)   /* elements between Ctrl-C polls */

int gl_npy_convert (const gl_npy_header *h, const char *buf, size_t len, void *out, gl_ioerr *err) {
  const unsigned char *data = (const unsigned char *)buf + h->data_offset;
  int64_t n = h->size;
  size_t isz = (size_t)h->itemsize;
  if (gl_npy_is_string(h)) return gl_ioerr_set(err, GL_EINVAL, "string arrays are not numbers");
  if (h->data_offset > len || (uint64_t)n * isz > len - h->data_offset)
    return gl_ioerr_set(err, GL_EFORMAT, "data truncated");
  int direct = !h->swap && h->itemsize == (int)gl_dtype_size(h->dtype) && h->dtype != GL_BOOL &&
               !(h->kind == 'u' && h->itemsize == 8);
  if (!h->fortran_order || h->ndim < 2) {
    /* in pieces that poll Ctrl-C: filling fresh pages of a large array can
     * take seconds */
    for (int64_t i0 = 0; i0 < n; i0 += NPY_POLL) {
      int64_t i1 = n - i0 < NPY_POLL ? n : i0 + NPY_POLL;
      if (i0 > 0 && gl_interrupted()) return gl_ioerr_set(err, GL_EINTR, "interrupted");
      if (direct) {
        memcpy((char *)out + (size_t)i0 * isz, data + (size_t)i0 * isz, (size_t)(i1 - i0) * isz);
        continue;
      }
      for (int64_t i = i0; i < i1; i++) {
        int rc = put_elem(h, data + (size_t)i * isz, out, i, err);
        if (rc) return rc;
      }
    }
    return GL_OK;
  }
  /* Fortran order: walk the output in C order with an odometer over the index,
   * reading from the column-major position. */
  int64_t fstride[GL_MAXDIMS], idx[GL_MAXDIMS] = {0}, src = 0;
  fstride[0] = 1;
  for (int k = 1; k < h->ndim; k++) fstride[k] = fstride[k - 1] * h->shape[k - 1];
  for (int64_t i = 0; i < n; i++) {
    if ((i & (NPY_POLL - 1)) == NPY_POLL - 1 && gl_interrupted()) return gl_ioerr_set(err, GL_EINTR, "interrupted");
    int rc = put_elem(h, data + (size_t)src * isz, out, i, err);
    if (rc) return rc;
    for (int k = h->ndim - 1; k >= 0; k--) {
      if (++idx[k] < h->shape[k]) { src += fstride[k]; break; }
      src -= fstride[k] * (idx[k] - 1);
      idx[k] = 0;
    }
  }
  return GL_OK;
}

/* }====================================================== */

const char *gl_npy_descr (gl_dtype t) {
  static const char *const le[GL_NDTYPES] = {"|b1", "|u1", "<i4", "<i8", "<f4", "<f8", "<c8", "<c16"};
  static const char *const be[GL_NDTYPES] = {"|b1", "|u1", ">i4", ">i8", ">f4", ">f8", ">c8", ">c16"};
  return (unsigned)t < GL_NDTYPES ? (GL_BIG_ENDIAN ? be : le)[t] : NULL;
}

int64_t gl_npy_format_header (char *out, gl_dtype t, int fortran_order, int ndim, const int64_t *shape) {
  char dict[GL_NPY_HEADER_MAX];
  size_t n = 0;
  const char *descr = gl_npy_descr(t);
  if (!descr || ndim < 0 || ndim > GL_MAXDIMS) return GL_EINVAL;
  n += (size_t)snprintf(dict + n, sizeof dict - n, "{'descr': '%s', 'fortran_order': %s, 'shape': (",
                        descr, fortran_order ? "True" : "False");
  for (int k = 0; k < ndim; k++)
    n += (size_t)snprintf(dict + n, sizeof dict - n, k ? ", %lld" : "%lld", (long long)shape[k]);
  n += (size_t)snprintf(dict + n, sizeof dict - n, "%s), }", ndim == 1 ? "," : "");
  if (ndim > 0) {
    /* NumPy leaves room to grow the first (C) or last (Fortran) axis in place */
    char num[24];
    int d = snprintf(num, sizeof num, "%lld", (long long)shape[fortran_order ? ndim - 1 : 0]);
    for (int k = d; k < 21; k++) dict[n++] = ' ';
  }
  size_t hlen = n + 1;                    /* with the '\n' */
  size_t pad = 64 - (10 + hlen) % 64;     /* NumPy pads even when aligned */
  size_t total = 10 + hlen + pad;
  if (total > GL_NPY_HEADER_MAX || hlen + pad > 65535) return GL_ERANGE;
  memcpy(out, npy_magic, 6);
  out[6] = 1;
  out[7] = 0;
  out[8] = (char)((hlen + pad) & 0xff);
  out[9] = (char)((hlen + pad) >> 8);
  memcpy(out + 10, dict, n);
  memset(out + 10 + n, ' ', pad);
  out[10 + n + pad] = '\n';
  return (int64_t)total;
}

/* {====================================================== strings */

/* Position in the file of element i (C order) of an n-d array. */
static int64_t file_index (const gl_npy_header *h, int64_t i) {
  if (!h->fortran_order || h->ndim < 2) return i;
  int64_t src = 0, fstride = 1;
  int64_t idx[GL_MAXDIMS];
  for (int k = h->ndim - 1; k >= 0; k--) { idx[k] = i % h->shape[k]; i /= h->shape[k]; }
  for (int k = 0; k < h->ndim; k++) { src += idx[k] * fstride; fstride *= h->shape[k]; }
  return src;
}

static size_t put_utf8 (char *out, uint32_t c) {
  if (c < 0x80) { out[0] = (char)c; return 1; }
  if (c < 0x800) { out[0] = (char)(0xC0 | c >> 6); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12); out[1] = (char)(0x80 | (c >> 6 & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F)); return 3;
  }
  out[0] = (char)(0xF0 | c >> 18); out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F)); return 4;
}

int gl_npy_string (const gl_npy_header *h, const char *buf, size_t len, int64_t i, char *out,
                   size_t *outlen, gl_ioerr *err) {
  size_t isz = (size_t)h->itemsize;
  if (h->data_offset > len || (uint64_t)h->size * isz > len - h->data_offset)
    return gl_ioerr_set(err, GL_EFORMAT, "data truncated");
  const unsigned char *p = (const unsigned char *)buf + h->data_offset + (size_t)file_index(h, i) * isz;
  size_t n = 0;
  if (h->kind == 'S') {   /* NumPy drops trailing NULs, keeps inner ones */
    n = isz;
    while (n > 0 && p[n - 1] == 0) n--;
    memcpy(out, p, n);
  } else {
    size_t nc = isz / 4;
    while (nc > 0 && load_bits(p + 4 * (nc - 1), 4, h->swap) == 0) nc--;
    for (size_t k = 0; k < nc; k++) {
      uint32_t c = (uint32_t)load_bits(p + 4 * k, 4, h->swap);
      if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return gl_ioerr_set(err, GL_EFORMAT, "invalid character U+%X in a '%s' string", (unsigned)c, h->descr);
      n += put_utf8(out + n, c);
    }
  }
  *outlen = n;
  return GL_OK;
}

/* }====================================================== */
