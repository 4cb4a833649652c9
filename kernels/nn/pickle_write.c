/* pickle_write.c: pickle protocol 2 as torch.save writes a state dict
 * (pickle.h). The opcodes are the ones CPython's pickler picks for the same
 * values, without the memo (BINPUT/BINGET): a pickle without it is as valid,
 * and the same input always gives the same bytes. */
#include <stdio.h>
#include <string.h>
#include "pickle.h"
#include "gzfile.h"

static int put (gl_bytes *o, const void *p, size_t n) { return gl_bytes_append(o, p, n); }
static int op (gl_bytes *o, int c) { unsigned char b = (unsigned char)c; return put(o, &b, 1); }

static int le (gl_bytes *o, uint64_t v, int n) {
  unsigned char b[8];
  for (int i = 0; i < n; i++) b[i] = (unsigned char)(v >> (8 * i));
  return put(o, b, (size_t)n);
}

int gl_pkw_begin (gl_bytes *o) { return put(o, "\x80\x02", 2); }
int gl_pkw_end (gl_bytes *o) { return op(o, '.'); }
int gl_pkw_none (gl_bytes *o) { return op(o, 'N'); }
int gl_pkw_bool (gl_bytes *o, int v) { return op(o, v ? 0x88 : 0x89); }
int gl_pkw_mark (gl_bytes *o) { return op(o, '('); }
int gl_pkw_setitems (gl_bytes *o) { return op(o, 'u'); }
int gl_pkw_appends (gl_bytes *o) { return op(o, 'e'); }
int gl_pkw_empty_list (gl_bytes *o) { return op(o, ']'); }

/* BININT1, BININT2, BININT as CPython chooses them; LONG1 (little-endian
 * two's complement, shortest form) past 32 bits. */
int gl_pkw_int (gl_bytes *o, int64_t v) {
  if (v >= 0 && v < 256) return op(o, 'K') || le(o, (uint64_t)v, 1);
  if (v >= 0 && v < 65536) return op(o, 'M') || le(o, (uint64_t)v, 2);
  if (v >= INT32_MIN && v <= INT32_MAX) return op(o, 'J') || le(o, (uint64_t)v, 4);
  int n = 8;   /* drop bytes that only repeat the sign */
  while (n > 1) {
    int64_t hi = v >> (8 * (n - 1));   /* arithmetic shift (gcc, clang) */
    int sign = (int)((v >> (8 * (n - 2))) & 0x80);
    if ((hi == 0 && !sign) || (hi == -1 && sign)) n--;
    else break;
  }
  return op(o, 0x8a) || op(o, n) || le(o, (uint64_t)v, n);
}

int gl_pkw_float (gl_bytes *o, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  unsigned char b[9] = {'G'};
  for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(u >> (56 - 8 * i));
  return put(o, b, 9);
}

int gl_pkw_str (gl_bytes *o, const char *s, size_t len) {
  if (len > 0xffffffffu) return GL_EINVAL;
  return op(o, 'X') || le(o, len, 4) || put(o, s, len);
}

static const char ODICT[] = "ccollections\nOrderedDict\n";

int gl_pkw_dict_begin (gl_bytes *o, int ordered) {
  if (!ordered) return op(o, '}');
  return put(o, ODICT, sizeof ODICT - 1) || put(o, ")R", 2);   /* OrderedDict() */
}

static int int_tuple (gl_bytes *o, int n, const int64_t *v) {
  if (n == 0) return op(o, ')');
  if (n > 3 && op(o, '(')) return GL_ENOMEM;
  for (int i = 0; i < n; i++) if (gl_pkw_int(o, v[i])) return GL_ENOMEM;
  return op(o, n > 3 ? 't' : 0x84 + n);   /* TUPLE1..3 are 0x85..0x87 */
}

int gl_pkw_tensor (gl_bytes *o, gl_pk_dtype t, const char *key, int64_t numel, int ndim, const int64_t *size) {
  static const char REBUILD[] = "ctorch._utils\n_rebuild_tensor_v2\n";
  int64_t stride[GL_MAXDIMS], s = 1;
  for (int d = ndim - 1; d >= 0; d--) { stride[d] = s; s *= size[d] > 0 ? size[d] : 1; }
  char ty[48];
  int n = snprintf(ty, sizeof ty, "ctorch\n%s\n", gl_pk_storage_name(t));
  if (put(o, REBUILD, sizeof REBUILD - 1) || put(o, "((", 2) ||
      gl_pkw_str(o, "storage", 7) || put(o, ty, (size_t)n) || gl_pkw_str(o, key, strlen(key)) ||
      gl_pkw_str(o, "cpu", 3) || gl_pkw_int(o, numel) || op(o, 't') || op(o, 'Q') ||
      gl_pkw_int(o, 0) || int_tuple(o, ndim, size) || int_tuple(o, ndim, stride) ||
      gl_pkw_bool(o, 0) || gl_pkw_dict_begin(o, 1) ||   /* requires_grad, backward_hooks */
      put(o, "tR", 2))
    return GL_ENOMEM;
  return GL_OK;
}
