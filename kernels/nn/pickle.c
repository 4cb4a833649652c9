/* pickle.c: a pickle machine for torch.save's state dicts that never calls
 * anything (pickle.h). It sits in kernels/ because it builds plain C values:
 * the binding (stdlib/nn/nn_checkpoint.c) turns the finished tree into Lua
 * values, and the fuzzer drives this file with no Lua at all.
 *
 * The machine follows CPython's Lib/pickle.py (_Unpickler): a value stack,
 * a list of mark positions, a memo. Only the opcodes a state dict (or a dict
 * or list holding some, with numbers and strings) needs are implemented;
 * everything else is an error naming the opcode. Every value lives in one
 * arena freed at once, so an error anywhere leaks nothing. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "pickle.h"

static const struct { const char *storage, *name; size_t size; } dtypes[GL_PK_NDTYPES] = {
  {"FloatStorage", "float32", 4}, {"DoubleStorage", "float64", 8},
  {"HalfStorage", "float16", 2}, {"BFloat16Storage", "bfloat16", 2},
  {"LongStorage", "int64", 8}, {"IntStorage", "int32", 4},
  {"ShortStorage", "int16", 2}, {"CharStorage", "int8", 1},
  {"ByteStorage", "uint8", 1}, {"BoolStorage", "bool", 1},
};

size_t gl_pk_dtype_size (gl_pk_dtype t) { return dtypes[t].size; }
const char *gl_pk_dtype_name (gl_pk_dtype t) { return dtypes[t].name; }
const char *gl_pk_storage_name (gl_pk_dtype t) { return dtypes[t].storage; }

/* The allowlisted callables (u.i of a GL_PK_GLOBAL value); storage types are
 * G_STORAGE + dtype. */
enum { G_ODICT, G_REBUILD_TENSOR, G_REBUILD_PARAM, G_REBUILD_PARAM_STATE, G_STORAGE };

/* {====================================================== arena */

typedef struct block { struct block *next; size_t used, cap; } block;

struct gl_pk_reader {
  block *blocks;
  size_t total;      /* bytes allocated, against the budget below */
  size_t budget;
  const unsigned char *p, *end, *start;
  gl_pk_value **stack;
  int64_t sp, scap;
  int64_t *marks;
  int64_t nmarks, mcap;
  gl_pk_value **memo;
  int64_t memo_cap, memo_max, memo_len;   /* memo_len: entries set (MEMOIZE's next index) */
  gl_pk_err *err;
  int64_t op_pos;
};

#define ALIGN 16

static void *arena (gl_pk_reader *r, size_t n) {
  n = (n + ALIGN - 1) / ALIGN * ALIGN;
  block *b = r->blocks;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    if (r->total + cap > r->budget) return NULL;
    b = malloc(sizeof(block) + ALIGN + cap);
    if (!b) return NULL;
    b->next = r->blocks; b->used = 0; b->cap = cap;
    r->blocks = b;
    r->total += cap;
  }
  char *base = (char *)b + (sizeof(block) + ALIGN - 1) / ALIGN * ALIGN;
  void *out = base + b->used;
  b->used += n;
  return out;
}

void gl_pk_reader_free (gl_pk_reader *r) {
  if (!r) return;
  for (block *b = r->blocks; b;) { block *nx = b->next; free(b); b = nx; }
  free(r->stack); free(r->marks); free(r->memo);
  free(r);
}

/* }====================================================== */

static int fail (gl_pk_reader *r, int kind, const char *fmt, const char *a, const char *b) {
  r->err->kind = kind;
  r->err->pos = r->op_pos;
  snprintf(r->err->msg, sizeof r->err->msg, fmt, a, b);
  return GL_EFORMAT;
}
static int corrupt (gl_pk_reader *r, const char *what) {
  char buf[160];
  snprintf(buf, sizeof buf, "%s (byte %lld)", what, (long long)r->op_pos);
  return fail(r, GL_PK_ECORRUPT, "%s%s", buf, "");
}
#define NOMEM (r->err->kind = GL_PK_ECORRUPT, \
               snprintf(r->err->msg, sizeof r->err->msg, "pickle too large for memory"), GL_ENOMEM)

static gl_pk_value *new_value (gl_pk_reader *r, gl_pk_kind k) {
  gl_pk_value *v = arena(r, sizeof *v);
  if (v) { memset(v, 0, sizeof *v); v->kind = k; }
  return v;
}

/* Room for `extra` more items in v (tuple, list, dict). */
static int grow_items (gl_pk_reader *r, gl_pk_value *v, int64_t extra) {
  int64_t need = v->n * (v->kind == GL_PK_DICT || v->kind == GL_PK_ODICT ? 2 : 1) + extra;
  if (need <= v->cap) return GL_OK;
  int64_t cap = v->cap ? v->cap : 4;
  while (cap < need) cap *= 2;
  gl_pk_value **items = arena(r, (size_t)cap * sizeof *items);
  if (!items) return GL_ENOMEM;
  if (v->n) memcpy(items, v->items, (size_t)v->cap * sizeof *items);
  v->items = items;
  v->cap = cap;
  return GL_OK;
}

static int push (gl_pk_reader *r, gl_pk_value *v) {
  if (!v) return NOMEM;
  if (r->sp == r->scap) {
    int64_t cap = r->scap ? r->scap * 2 : 64;
    gl_pk_value **s = realloc(r->stack, (size_t)cap * sizeof *s);
    if (!s) return NOMEM;
    r->stack = s; r->scap = cap;
  }
  r->stack[r->sp++] = v;
  return GL_OK;
}

static gl_pk_value *pop (gl_pk_reader *r) {
  /* a value under the current mark belongs to an outer frame */
  int64_t floor = r->nmarks ? r->marks[r->nmarks - 1] : 0;
  return r->sp > floor ? r->stack[--r->sp] : NULL;
}

static gl_pk_value *top (gl_pk_reader *r) {
  int64_t floor = r->nmarks ? r->marks[r->nmarks - 1] : 0;
  return r->sp > floor ? r->stack[r->sp - 1] : NULL;
}

/* Pops to the last mark: the items are r->stack[*from .. r->sp). */
static int pop_mark (gl_pk_reader *r, int64_t *from) {
  if (!r->nmarks) return corrupt(r, "no MARK before this opcode");
  *from = r->marks[--r->nmarks];
  return GL_OK;
}

static int need (gl_pk_reader *r, size_t n) {
  return (size_t)(r->end - r->p) >= n ? GL_OK : corrupt(r, "truncated pickle");
}

static uint64_t le (const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static gl_pk_value *new_str (gl_pk_reader *r, const unsigned char *s, size_t len) {
  gl_pk_value *v = new_value(r, GL_PK_STR);
  if (!v) return NULL;
  char *c = arena(r, len + 1);
  if (!c) return NULL;
  memcpy(c, s, len);
  c[len] = '\0';
  v->u.str.s = c;
  v->u.str.len = len;
  return v;
}

static gl_pk_value *new_tuple (gl_pk_reader *r, gl_pk_value **items, int64_t n) {
  gl_pk_value *v = new_value(r, GL_PK_TUPLE);
  if (!v || grow_items(r, v, n)) return NULL;
  if (n) memcpy(v->items, items, (size_t)n * sizeof *items);
  v->n = n;
  return v;
}

/* {====================================================== globals */

/* A GLOBAL (or STACK_GLOBAL) names module.name: the allowlisted ones become
 * GL_PK_GLOBAL values; a model class and anything else stop the machine. */
static int global (gl_pk_reader *r, const char *mod, const char *name) {
  int which = -1;
  if (!strcmp(mod, "collections") && !strcmp(name, "OrderedDict")) which = G_ODICT;
  else if (!strcmp(mod, "torch._utils")) {
    if (!strcmp(name, "_rebuild_tensor_v2")) which = G_REBUILD_TENSOR;
    else if (!strcmp(name, "_rebuild_parameter")) which = G_REBUILD_PARAM;
    else if (!strcmp(name, "_rebuild_parameter_with_state")) which = G_REBUILD_PARAM_STATE;
  } else if (!strcmp(mod, "torch")) {
    for (int t = 0; t < GL_PK_NDTYPES; t++)
      if (!strcmp(name, dtypes[t].storage)) which = G_STORAGE + t;
  }
  if (which < 0) {
    int model = !strcmp(mod, "__main__") || !strncmp(mod, "torch.nn.modules", 16);
    char full[190];
    snprintf(full, sizeof full, "%.90s.%.90s", mod, name);
    return fail(r, model ? GL_PK_EMODEL : GL_PK_EREFUSED, "%s%s", full, "");
  }
  gl_pk_value *v = new_value(r, GL_PK_GLOBAL);
  if (!v) return NOMEM;
  v->u.i = which;
  return push(r, v);
}

/* A line "text\n" of GLOBAL/INST into buf (at most 100 bytes, printable). */
static int line (gl_pk_reader *r, char *buf) {
  const unsigned char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  if (!nl) return corrupt(r, "truncated pickle");
  size_t n = (size_t)(nl - r->p);
  if (n == 0 || n > 100) return corrupt(r, "bad GLOBAL name");
  for (size_t i = 0; i < n; i++)
    if (r->p[i] < 0x20 || r->p[i] > 0x7e) return corrupt(r, "bad GLOBAL name");
  memcpy(buf, r->p, n);
  buf[n] = '\0';
  r->p = nl + 1;
  return GL_OK;
}

/* }====================================================== */

/* {====================================================== calls */

static int is_int (const gl_pk_value *v) { return v && v->kind == GL_PK_INT; }

/* A tuple of at most GL_MAXDIMS ints into out; -1 if it is not one. */
static int int_tuple (const gl_pk_value *v, int64_t *out) {
  if (!v || v->kind != GL_PK_TUPLE || v->n > GL_MAXDIMS) return -1;
  for (int64_t i = 0; i < v->n; i++) {
    if (!is_int(v->items[i])) return -1;
    out[i] = v->items[i]->u.i;
  }
  return (int)v->n;
}

/* _rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
 * backward_hooks[, metadata]): checks that the view lies inside its storage. */
static int rebuild_tensor (gl_pk_reader *r, const gl_pk_value *args) {
  if (args->n != 6 && args->n != 7) return corrupt(r, "_rebuild_tensor_v2 takes 6 or 7 arguments");
  const gl_pk_value *st = args->items[0];
  if (st->kind != GL_PK_STORAGE) return corrupt(r, "_rebuild_tensor_v2 needs a storage");
  if (!is_int(args->items[1]) || args->items[1]->u.i < 0) return corrupt(r, "bad tensor offset");
  if (args->items[2]->kind == GL_PK_TUPLE && args->items[2]->n > GL_MAXDIMS)
    return corrupt(r, "tensor with more than 16 dimensions (geolab's limit)");
  gl_pk_value *v = new_value(r, GL_PK_TENSOR);
  gl_pk_tensor *t = v ? arena(r, sizeof *t) : NULL;
  if (!t) return NOMEM;
  v->u.t = t;
  t->storage = st;
  t->offset = args->items[1]->u.i;
  int nd = int_tuple(args->items[2], t->size);
  if (nd < 0 || int_tuple(args->items[3], t->stride) != nd) return corrupt(r, "bad tensor size or stride");
  t->ndim = nd;
  /* the last element reached: offset + sum (size - 1) * stride < numel */
  int64_t numel = st->u.st.numel, last = t->offset, count = 1;
  for (int d = 0; d < nd; d++) {
    if (t->size[d] < 0 || t->stride[d] < 0) return corrupt(r, "negative tensor size or stride");
    if (t->size[d] == 0) count = 0;
  }
  if (count == 0) {
    if (t->offset > numel) return corrupt(r, "tensor offset past its storage");
  } else {
    for (int d = 0; d < nd; d++) {
      int64_t step;
      if (__builtin_mul_overflow(t->size[d] - 1, t->stride[d], &step) ||
          __builtin_add_overflow(last, step, &last)) return corrupt(r, "tensor outside its storage");
    }
    if (last >= numel) return corrupt(r, "tensor outside its storage");
  }
  return push(r, v);
}

/* REDUCE: callable(args) for the allowlisted callables only. */
static int reduce (gl_pk_reader *r) {
  gl_pk_value *args = pop(r), *fn = pop(r);
  if (!args || !fn) return corrupt(r, "stack underflow");
  if (fn->kind != GL_PK_GLOBAL || fn->u.i >= G_STORAGE) {
    /* only the rebuild functions and OrderedDict are ever called; a storage
     * type is a class torch never calls through REDUCE */
    r->err->kind = GL_PK_EREFUSED_CALL;
    r->err->pos = r->op_pos;
    snprintf(r->err->msg, sizeof r->err->msg, "%s",
             fn->kind != GL_PK_GLOBAL ? "a value that is not a function"
             : gl_pk_storage_name((gl_pk_dtype)(fn->u.i - G_STORAGE)));
    return GL_EFORMAT;
  }
  if (args->kind != GL_PK_TUPLE) return corrupt(r, "REDUCE arguments are not a tuple");
  switch (fn->u.i) {
    case G_ODICT:
      if (args->n != 0) return corrupt(r, "OrderedDict with arguments");
      return push(r, new_value(r, GL_PK_ODICT));
    case G_REBUILD_TENSOR:
      return rebuild_tensor(r, args);
    case G_REBUILD_PARAM:
    case G_REBUILD_PARAM_STATE:
      if (args->n != (fn->u.i == G_REBUILD_PARAM ? 3 : 4) || args->items[0]->kind != GL_PK_TENSOR)
        return corrupt(r, "bad _rebuild_parameter arguments");
      return push(r, args->items[0]);   /* a parameter is its tensor here */
  }
  return corrupt(r, "unknown callable");
}

/* BINPERSID: ('storage', torch.<T>Storage, key, location, numel). */
static int persid (gl_pk_reader *r) {
  gl_pk_value *pid = pop(r);
  if (!pid) return corrupt(r, "stack underflow");
  if (pid->kind != GL_PK_TUPLE || pid->n != 5 || pid->items[0]->kind != GL_PK_STR ||
      strcmp(pid->items[0]->u.str.s, "storage") != 0)
    return corrupt(r, "unsupported persistent id (not a storage)");
  const gl_pk_value *ty = pid->items[1], *key = pid->items[2], *n = pid->items[4];
  if (ty->kind != GL_PK_GLOBAL || ty->u.i < G_STORAGE || key->kind != GL_PK_STR ||
      pid->items[3]->kind != GL_PK_STR || !is_int(n) || n->u.i < 0)
    return corrupt(r, "bad storage record");
  /* the key names a zip entry: digits and letters only (torch writes 0, 1, ...) */
  if (key->u.str.len == 0 || key->u.str.len > 64) return corrupt(r, "bad storage key");
  for (size_t i = 0; i < key->u.str.len; i++) {
    char c = key->u.str.s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
      return corrupt(r, "bad storage key");
  }
  gl_pk_dtype t = (gl_pk_dtype)(ty->u.i - G_STORAGE);
  if ((uint64_t)n->u.i > (uint64_t)INT64_MAX / dtypes[t].size) return corrupt(r, "storage too large");
  gl_pk_value *v = new_value(r, GL_PK_STORAGE);
  if (!v) return NOMEM;
  v->u.st.dtype = t;
  v->u.st.key = key->u.str.s;
  v->u.st.numel = n->u.i;
  return push(r, v);
}

/* }====================================================== */

static int memo_put (gl_pk_reader *r, uint64_t idx) {
  gl_pk_value *v = top(r);
  if (!v) return corrupt(r, "stack underflow");
  /* pickle writes indices 0, 1, 2...: one past the pickle's length is plenty */
  if (idx >= (uint64_t)r->memo_max) return corrupt(r, "memo index too large");
  if ((int64_t)idx >= r->memo_cap) {
    int64_t cap = r->memo_cap ? r->memo_cap : 64;
    while (cap <= (int64_t)idx) cap *= 2;
    gl_pk_value **m = realloc(r->memo, (size_t)cap * sizeof *m);
    if (!m) return NOMEM;
    memset(m + r->memo_cap, 0, (size_t)(cap - r->memo_cap) * sizeof *m);
    r->memo = m; r->memo_cap = cap;
  }
  if (!r->memo[idx]) r->memo_len++;
  r->memo[idx] = v;
  return GL_OK;
}

static int memo_get (gl_pk_reader *r, uint64_t idx) {
  if (idx >= (uint64_t)r->memo_cap || !r->memo[idx]) return corrupt(r, "memo entry missing");
  return push(r, r->memo[idx]);
}

/* SETITEM(S) / APPEND(S): the target under the items, items from..sp. */
static int add_items (gl_pk_reader *r, int64_t from, int dict) {
  int64_t n = r->sp - from;
  int64_t floor = r->nmarks ? r->marks[r->nmarks - 1] : 0;
  if (from - 1 < floor) return corrupt(r, "stack underflow");
  gl_pk_value *target = r->stack[from - 1];
  if (dict) {
    if (target->kind != GL_PK_DICT && target->kind != GL_PK_ODICT) return corrupt(r, "SETITEMS on a non-dict");
    if (n % 2) return corrupt(r, "odd number of SETITEMS values");
    for (int64_t i = from; i < r->sp; i += 2) {
      int k = r->stack[i]->kind;
      if (k != GL_PK_STR && k != GL_PK_INT) return corrupt(r, "dict key is not a string or an integer");
    }
  } else if (target->kind != GL_PK_LIST) return corrupt(r, "APPENDS on a non-list");
  if (n == 0) return GL_OK;   /* an empty MARK ... SETITEMS: nothing to add (items may be NULL) */
  if (grow_items(r, target, n)) return NOMEM;
  memcpy(target->items + (dict ? 2 * target->n : target->n), r->stack + from, (size_t)n * sizeof *r->stack);
  target->n += dict ? n / 2 : n;
  r->sp = from;
  return GL_OK;
}

static int step (gl_pk_reader *r, int op, int *stop) {
  const unsigned char *p;
  gl_pk_value *v, *a, *b;
  int64_t from;
  char mod[104], name[104];
  switch (op) {
    case 0x80:                                      /* PROTO */
      if (need(r, 1)) return GL_EFORMAT;
      if (*r->p < 2 || *r->p > 5) return corrupt(r, "unsupported pickle protocol");
      r->p++;
      return GL_OK;
    case 0x95:                                      /* FRAME (protocol 4): a length only */
      if (need(r, 8)) return GL_EFORMAT;
      r->p += 8;
      return GL_OK;
    case '.': *stop = 1; return GL_OK;              /* STOP */
    case '(':                                       /* MARK */
      if (r->nmarks == r->mcap) {
        int64_t cap = r->mcap ? r->mcap * 2 : 16;
        int64_t *m = realloc(r->marks, (size_t)cap * sizeof *m);
        if (!m) return NOMEM;
        r->marks = m; r->mcap = cap;
      }
      r->marks[r->nmarks++] = r->sp;
      return GL_OK;
    case '0': return pop(r) ? GL_OK : corrupt(r, "stack underflow");          /* POP */
    case '1': return pop_mark(r, &from) ? GL_EFORMAT : (r->sp = from, GL_OK); /* POP_MARK */
    case '2': v = top(r); return v ? push(r, v) : corrupt(r, "stack underflow"); /* DUP */
    case 'N': return push(r, new_value(r, GL_PK_NONE));
    case 0x88: case 0x89:                           /* NEWTRUE, NEWFALSE */
      v = new_value(r, GL_PK_BOOL_V);
      if (v) v->u.i = op == 0x88;
      return push(r, v);
    case 'J': case 'K': case 'M': {                 /* BININT, BININT1, BININT2 */
      int n = op == 'J' ? 4 : op == 'K' ? 1 : 2;
      if (need(r, (size_t)n)) return GL_EFORMAT;
      uint64_t u = le(r->p, n);
      r->p += n;
      v = new_value(r, GL_PK_INT);
      if (v) v->u.i = op == 'J' ? (int64_t)(int32_t)(uint32_t)u : (int64_t)u;
      return push(r, v);
    }
    case 0x8a: case 0x8b: {                         /* LONG1, LONG4: little-endian two's complement */
      size_t n;
      if (op == 0x8a) { if (need(r, 1)) return GL_EFORMAT; n = *r->p++; }
      else { if (need(r, 4)) return GL_EFORMAT; n = (size_t)le(r->p, 4); r->p += 4; }
      if (n > 8) return corrupt(r, "integer larger than 64 bits");
      if (need(r, n)) return GL_EFORMAT;
      uint64_t u = n ? le(r->p, (int)n) : 0;
      if (n && n < 8 && (r->p[n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);  /* sign-extend */
      r->p += n;
      v = new_value(r, GL_PK_INT);
      if (v) v->u.i = (int64_t)u;
      return push(r, v);
    }
    case 'G': {                                     /* BINFLOAT: big-endian double */
      if (need(r, 8)) return GL_EFORMAT;
      uint64_t u = 0;
      for (int i = 0; i < 8; i++) u = u << 8 | r->p[i];
      r->p += 8;
      v = new_value(r, GL_PK_FLOAT);
      if (v) memcpy(&v->u.f, &u, 8);
      return push(r, v);
    }
    case 'X': case 0x8c: case 0x8d: case 'T': case 'U': case 'B': case 'C': case 0x8e: {
      /* BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, BINSTRING, SHORT_BINSTRING,
       * BINBYTES, SHORT_BINBYTES, BINBYTES8 */
      int w = (op == 'X' || op == 'T' || op == 'B') ? 4 : (op == 0x8d || op == 0x8e) ? 8 : 1;
      if (need(r, (size_t)w)) return GL_EFORMAT;
      uint64_t n = le(r->p, w);
      r->p += w;
      if (op == 'T' && n > 0x7fffffff) return corrupt(r, "negative string length");
      if (n > (uint64_t)(r->end - r->p)) return corrupt(r, "truncated pickle");
      p = r->p;
      r->p += n;
      return push(r, new_str(r, p, (size_t)n));
    }
    case 'c':                                       /* GLOBAL */
      if (line(r, mod) || line(r, name)) return GL_EFORMAT;
      return global(r, mod, name);
    case 0x93:                                      /* STACK_GLOBAL */
      b = pop(r); a = pop(r);
      if (!a || !b || a->kind != GL_PK_STR || b->kind != GL_PK_STR ||
          a->u.str.len > 100 || b->u.str.len > 100)
        return corrupt(r, "bad STACK_GLOBAL");
      return global(r, a->u.str.s, b->u.str.s);
    case 'i':                                       /* INST: refused by name first */
      if (line(r, mod) || line(r, name) || global(r, mod, name)) return GL_EFORMAT;
      return corrupt(r, "unsupported pickle opcode INST");
    case 'R': return reduce(r);
    case 'Q': return persid(r);                     /* BINPERSID */
    case 'b':                                       /* BUILD: only a dict's attributes (_metadata), dropped */
      a = pop(r); b = top(r);
      if (!a || !b) return corrupt(r, "stack underflow");
      if (b->kind != GL_PK_ODICT && b->kind != GL_PK_DICT) return corrupt(r, "BUILD on a value that is not a dict");
      return GL_OK;
    case ')': return push(r, new_tuple(r, NULL, 0)); /* EMPTY_TUPLE */
    case 0x85: case 0x86: case 0x87: {              /* TUPLE1, TUPLE2, TUPLE3 */
      int n = op - 0x84;
      int64_t floor = r->nmarks ? r->marks[r->nmarks - 1] : 0;
      if (r->sp - floor < n) return corrupt(r, "stack underflow");
      v = new_tuple(r, r->stack + r->sp - n, n);
      r->sp -= n;
      return push(r, v);
    }
    case 't':                                       /* TUPLE */
      if (pop_mark(r, &from)) return GL_EFORMAT;
      v = new_tuple(r, r->stack + from, r->sp - from);
      r->sp = from;
      return push(r, v);
    case ']': return push(r, new_value(r, GL_PK_LIST));   /* EMPTY_LIST */
    case '}': return push(r, new_value(r, GL_PK_DICT));   /* EMPTY_DICT */
    case 'l': case 'd':                             /* LIST, DICT: from the marked items */
      if (pop_mark(r, &from)) return GL_EFORMAT;
      v = new_value(r, op == 'l' ? GL_PK_LIST : GL_PK_DICT);
      if (!v || push(r, v)) return NOMEM;
      /* move the new container under its items, then add them */
      memmove(r->stack + from + 1, r->stack + from, (size_t)(r->sp - 1 - from) * sizeof *r->stack);
      r->stack[from] = v;
      return add_items(r, from + 1, op == 'd');
    case 'a':                                       /* APPEND */
      return add_items(r, r->sp - 1, 0);
    case 'e': case 'u':                             /* APPENDS, SETITEMS */
      if (pop_mark(r, &from)) return GL_EFORMAT;
      return add_items(r, from, op == 'u');
    case 's':                                       /* SETITEM */
      return add_items(r, r->sp - 2, 1);
    case 'q': case 'r':                             /* BINPUT, LONG_BINPUT */
      if (need(r, op == 'q' ? 1 : 4)) return GL_EFORMAT;
      from = (int64_t)le(r->p, op == 'q' ? 1 : 4);
      r->p += op == 'q' ? 1 : 4;
      return memo_put(r, (uint64_t)from);
    case 0x94:                                      /* MEMOIZE */
      return memo_put(r, (uint64_t)r->memo_len);
    case 'h': case 'j':                             /* BINGET, LONG_BINGET */
      if (need(r, op == 'h' ? 1 : 4)) return GL_EFORMAT;
      from = (int64_t)le(r->p, op == 'h' ? 1 : 4);
      r->p += op == 'h' ? 1 : 4;
      return memo_get(r, (uint64_t)from);
  }
  char what[64];
  snprintf(what, sizeof what, "unsupported pickle opcode 0x%02x", op);
  return corrupt(r, what);
}

int gl_pk_read (const char *buf, size_t len, gl_pk_reader **rdp, const gl_pk_value **root, gl_pk_err *err) {
  *root = NULL;
  err->kind = 0; err->pos = 0; err->msg[0] = '\0';
  gl_pk_reader *r = calloc(1, sizeof *r);
  *rdp = r;
  if (!r) return GL_ENOMEM;
  r->start = r->p = (const unsigned char *)buf;
  r->end = r->p + len;
  r->err = err;
  /* never NULL: "stack + from" of an empty stack must be a valid pointer */
  r->scap = 64;
  if (!(r->stack = malloc((size_t)r->scap * sizeof *r->stack))) return GL_ENOMEM;
  r->memo_max = (int64_t)len + 1;
  /* every opcode makes at most one value of ~64 bytes plus its bytes; the
   * budget keeps a hostile pickle within a bounded multiple of its size */
  r->budget = 48 * len + (1u << 20);
  int stop = 0, rc = GL_OK;
  while (!stop) {
    if (r->p >= r->end) return corrupt(r, "truncated pickle (no STOP)");
    r->op_pos = r->p - r->start;
    int op = *r->p++;
    if ((rc = step(r, op, &stop)) != GL_OK) return rc == GL_ENOMEM ? NOMEM : rc;
  }
  gl_pk_value *v = pop(r);
  if (!v) return corrupt(r, "stack empty at STOP");
  if (v->kind == GL_PK_GLOBAL || v->kind == GL_PK_STORAGE) return corrupt(r, "pickle holds a bare class or storage");
  *root = v;
  return GL_OK;
}
