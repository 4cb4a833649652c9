/* pickle.h: the part of Python's pickle that torch.save writes for state
 * dicts, read into a tree of C values and written from one. No Lua.
 *
 * Reading never calls anything: a GLOBAL may only name one of the allowlisted
 * callables (collections.OrderedDict, torch._utils._rebuild_tensor_v2,
 * _rebuild_parameter, _rebuild_parameter_with_state, torch.<T>Storage), and
 * REDUCE on one of them builds the value it stands for (a dict, a tensor
 * description). Any other name stops the machine at its GLOBAL, before a
 * REDUCE could use it. Tensors come out as descriptions (storage key and
 * dtype, offset, sizes, strides); the caller reads the storages from the zip. */
#ifndef GL_PICKLE_H
#define GL_PICKLE_H

#include <stddef.h>
#include <stdint.h>
#include "gl_types.h"

/* The storage types torch writes (torch.<name>Storage). */
typedef enum gl_pk_dtype {
  GL_PK_F32, GL_PK_F64, GL_PK_F16, GL_PK_BF16, GL_PK_I64, GL_PK_I32, GL_PK_I16,
  GL_PK_I8, GL_PK_U8, GL_PK_BOOL, GL_PK_NDTYPES
} gl_pk_dtype;

size_t gl_pk_dtype_size(gl_pk_dtype t);
const char *gl_pk_dtype_name(gl_pk_dtype t);          /* "float32", ... */
const char *gl_pk_storage_name(gl_pk_dtype t);        /* "FloatStorage", ... */

typedef enum gl_pk_kind {
  GL_PK_NONE, GL_PK_BOOL_V, GL_PK_INT, GL_PK_FLOAT, GL_PK_STR, GL_PK_TUPLE, GL_PK_LIST,
  GL_PK_DICT,      /* a plain dict */
  GL_PK_ODICT,     /* collections.OrderedDict */
  GL_PK_TENSOR,
  GL_PK_STORAGE,   /* a storage (only inside a tensor in a finished tree) */
  GL_PK_GLOBAL     /* an allowlisted callable (never in a finished tree's data) */
} gl_pk_kind;

typedef struct gl_pk_value gl_pk_value;

typedef struct gl_pk_storage {
  gl_pk_dtype dtype;
  const char *key;       /* the zip entry is <archive>/data/<key> */
  int64_t numel;         /* elements */
} gl_pk_storage;

typedef struct gl_pk_tensor {
  const gl_pk_value *storage;   /* kind GL_PK_STORAGE */
  int64_t offset;               /* in elements */
  int ndim;
  int64_t size[GL_MAXDIMS];
  int64_t stride[GL_MAXDIMS];   /* in elements, >= 0 */
} gl_pk_tensor;

struct gl_pk_value {
  gl_pk_kind kind;
  int64_t n;              /* TUPLE/LIST: items; DICT/ODICT: pairs (items holds 2n) */
  int64_t cap;            /* room in items */
  gl_pk_value **items;    /* DICT/ODICT: key, value, key, value... */
  union {
    int64_t i;            /* INT, BOOL_V (0/1), GLOBAL (which one) */
    double f;
    struct { const char *s; size_t len; } str;
    gl_pk_storage st;
    gl_pk_tensor *t;      /* TENSOR */
  } u;
};

/* Why reading stopped (err->kind), so the caller can word its message. */
enum {
  GL_PK_ECORRUPT = 1,   /* malformed or unsupported pickle: msg says what */
  GL_PK_EREFUSED,       /* a GLOBAL outside the allowlist: msg is "module.name" */
  GL_PK_EMODEL,         /* a GLOBAL naming a model class: msg is "module.Class" */
  GL_PK_EREFUSED_CALL   /* REDUCE on something not allowlisted as callable: msg says what */
};

typedef struct gl_pk_err {
  int kind;
  int64_t pos;          /* byte offset of the opcode that failed */
  char msg[200];
} gl_pk_err;

typedef struct gl_pk_reader gl_pk_reader;

/* Runs the pickle in buf[0..len) (buf must outlive the reader). On success
 * *root is the value STOP returned, owned by *rd (free both with
 * gl_pk_reader_free). Returns GL_OK, GL_EFORMAT (err filled in) or GL_ENOMEM.
 * Memory stays within a small multiple of len. *rd is set even on failure. */
int gl_pk_read(const char *buf, size_t len, gl_pk_reader **rd, const gl_pk_value **root, gl_pk_err *err);
void gl_pk_reader_free(gl_pk_reader *rd);

/* ---- writing: protocol 2, as torch.save lays out a state dict ----
 * The caller drives the writer in pickle order; out grows as needed (the
 * caller owns it: gl_bytes from gzfile.h). Returns GL_OK or GL_ENOMEM. */
struct gl_bytes;
int gl_pkw_begin(struct gl_bytes *out);                      /* PROTO 2 */
int gl_pkw_end(struct gl_bytes *out);                        /* STOP */
int gl_pkw_none(struct gl_bytes *out);
int gl_pkw_bool(struct gl_bytes *out, int v);
int gl_pkw_int(struct gl_bytes *out, int64_t v);
int gl_pkw_float(struct gl_bytes *out, double v);
int gl_pkw_str(struct gl_bytes *out, const char *s, size_t len);
/* A dict: begin (ordered: an OrderedDict, else a plain dict), then key,
 * value pairs written between item_mark and items_end (n pairs). */
int gl_pkw_dict_begin(struct gl_bytes *out, int ordered);
int gl_pkw_mark(struct gl_bytes *out);
int gl_pkw_setitems(struct gl_bytes *out);
int gl_pkw_appends(struct gl_bytes *out);
int gl_pkw_empty_list(struct gl_bytes *out);
/* A tensor of a contiguous storage: _rebuild_tensor_v2((storage, type, key,
 * "cpu", numel), 0, size, C-order stride, False, OrderedDict()). */
int gl_pkw_tensor(struct gl_bytes *out, gl_pk_dtype t, const char *key, int64_t numel,
                  int ndim, const int64_t *size);

#endif
