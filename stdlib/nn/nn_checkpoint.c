/* nn_checkpoint.c: PyTorch checkpoint files (torch.save's zip format) in
 * geolab.nn_core: ckpt_load and ckpt_save, called by nn_checkpoint.lua.
 *
 * A file is a zip of <archive>/data.pkl (the pickle), <archive>/data/<key>
 * (one raw little-endian storage per key) and <archive>/version. The pickle
 * runs in the safe machine of kernels/nn/pickle.c, which hands back a tree of
 * C values; this file reads the storages the tree names and turns the tree
 * into Lua values. Memory is held by a scratch userdata, so an error at any
 * point frees everything (STYLE 2.9). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lua.h>
#include <lauxlib.h>
#include "gl_array.h"
#include "gzfile.h"
#include "npz.h"
#include "pickle.h"
#include "nn_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "nn_checkpoint.c reads storages as little-endian, the host's order"
#endif

#define CK_SCRATCH_MT "geolab.CkptScratch"
#define CK_MAX_FILE ((size_t)1 << 38)   /* 256 GiB, as np.load */
#define CK_MAX_PICKLE ((size_t)1 << 26) /* 64 MiB: a state dict takes ~150 bytes a tensor */
#define CK_MAX_DEPTH 100                /* nesting of dicts and lists in the pickle */

/* {====================================================== scratch */

typedef struct ck_scratch {
  gl_bytes file, member, pkl;
  gl_npz_reader *rd;
  gl_pk_reader *pk;
  gl_npz_writer *wr;
} ck_scratch;

static void ck_release (ck_scratch *s) {
  gl_bytes_free(&s->file);
  gl_bytes_free(&s->member);
  gl_bytes_free(&s->pkl);
  gl_npz_close(s->rd);
  s->rd = NULL;
  gl_pk_reader_free(s->pk);
  s->pk = NULL;
  gl_npz_discard(s->wr);   /* an unfinished archive is abandoned: the target is untouched */
  s->wr = NULL;
}

static int ck_gc (lua_State *L) {
  ck_release((ck_scratch *)luaL_checkudata(L, 1, CK_SCRATCH_MT));
  return 0;
}

static ck_scratch *push_scratch (lua_State *L) {
  ck_scratch *s = (ck_scratch *)lua_newuserdatauv(L, sizeof *s, 0);
  memset(s, 0, sizeof *s);
  gl_newmetatable(L, CK_SCRATCH_MT, NULL, ck_gc);
  lua_setmetatable(L, -2);
  return s;
}

/* }====================================================== */

/* {====================================================== loading */

/* What a load walks: the stack slots it uses and the names it reports. */
typedef struct ck_load {
  const char *fname, *path;
  const char *prefix;     /* "<archive>/" */
  ck_scratch *s;
  int hooks;              /* table: statedict, dict, list (constructors), None */
  int names;              /* table: zip entry name -> index */
  int storages;           /* table: storage key -> its array */
  int cache;              /* table: tree node (light userdata) -> its Lua value */
} ck_load;

static gl_dtype array_dtype (gl_pk_dtype t) {
  switch (t) {
    case GL_PK_F32: case GL_PK_F16: case GL_PK_BF16: return GL_FLOAT32;
    case GL_PK_F64: return GL_FLOAT64;
    case GL_PK_I64: return GL_INT64;
    case GL_PK_I32: case GL_PK_I16: case GL_PK_I8: return GL_INT32;
    case GL_PK_U8: return GL_UINT8;
    default: return GL_BOOL;
  }
}

/* IEEE half to float, exactly (every half is a float). */
static float half_to_float (uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff, u;
  if (e == 0x1f) u = sign | 0x7f800000u | (m << 13);          /* inf, NaN */
  else if (e) u = sign | ((e + 112) << 23) | (m << 13);       /* normal */
  else if (!m) u = sign;                                      /* zero */
  else {                                                      /* subnormal: normalise */
    e = 113;
    while (!(m & 0x400)) { m <<= 1; e--; }
    u = sign | (e << 23) | ((m & 0x3ff) << 13);
  }
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* Storage bytes (torch's layout) into the array's elements. */
static void convert (gl_pk_dtype t, const char *src, int64_t n, char *dst) {
  size_t es = gl_pk_dtype_size(t);
  switch (t) {
    case GL_PK_F16:
      for (int64_t i = 0; i < n; i++) {
        uint16_t h; memcpy(&h, src + 2 * i, 2);
        ((float *)dst)[i] = half_to_float(h);
      }
      break;
    case GL_PK_BF16:   /* the top half of a float32 */
      for (int64_t i = 0; i < n; i++) {
        uint16_t h; memcpy(&h, src + 2 * i, 2);
        uint32_t u = (uint32_t)h << 16;
        memcpy(dst + 4 * i, &u, 4);
      }
      break;
    case GL_PK_I16:
      for (int64_t i = 0; i < n; i++) { int16_t v; memcpy(&v, src + 2 * i, 2); ((int32_t *)dst)[i] = v; }
      break;
    case GL_PK_I8:
      for (int64_t i = 0; i < n; i++) ((int32_t *)dst)[i] = (int8_t)src[i];
      break;
    case GL_PK_BOOL:   /* geolab's bools are 0 or 1; torch writes those too */
      for (int64_t i = 0; i < n; i++) dst[i] = src[i] != 0;
      break;
    default:
      if (n) memcpy(dst, src, (size_t)n * es);
  }
}

static int entry_index (lua_State *L, ck_load *c, const char *name) {
  lua_getfield(L, c->names, name);
  int i = lua_isnil(L, -1) ? -1 : (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return i;
}

/* Pushes the array holding storage st (read once per key, then shared). */
static void push_storage (lua_State *L, ck_load *c, const gl_pk_storage *st) {
  if (lua_getfield(L, c->storages, st->key) != LUA_TNIL) return;
  lua_pop(L, 1);
  const char *name = lua_pushfstring(L, "%sdata/%s", c->prefix, st->key);
  int i = entry_index(L, c, name);
  if (i < 0) gl_error(L, c->fname, "%s: storage '%s' is missing (no entry %s)", c->path, st->key, name);
  size_t es = gl_pk_dtype_size(st->dtype), want = (size_t)st->numel * es;
  if ((uint64_t)st->numel > CK_MAX_FILE / es)
    gl_error(L, c->fname, "%s: storage '%s' of %lld elements is larger than the file", c->path, st->key,
             (long long)st->numel);
  gl_ioerr e;
  gl_ioerr_clear(&e);
  /* bounded: libzip never gives more than the pickle announced, plus one byte */
  int rc = gl_npz_read(c->s->rd, i, want, &c->s->member, &e);
  if (rc == GL_ERANGE)
    gl_error(L, c->fname, "%s: storage '%s' holds more than the %lld %s elements its pickle says", c->path,
             st->key, (long long)st->numel, gl_pk_dtype_name(st->dtype));
  if (rc == GL_OK && c->s->member.len != want)
    gl_error(L, c->fname, "%s: storage '%s' holds %llu bytes, its pickle says %lld %s elements (%llu bytes)",
             c->path, st->key, (unsigned long long)c->s->member.len, (long long)st->numel,
             gl_pk_dtype_name(st->dtype), (unsigned long long)want);
  if (rc) gl_error(L, c->fname, "%s: %s (%s)", c->path, e.msg[0] ? e.msg : gl_strerror(rc), name);
  int64_t n = st->numel;
  gl_array *a = gl_array_push(L, array_dtype(st->dtype), 1, &n);
  convert(st->dtype, c->s->member.data, n, a->data);
  gl_bytes_free(&c->s->member);
  lua_remove(L, -2);   /* the entry name */
  lua_pushvalue(L, -1);
  lua_setfield(L, c->storages, st->key);
}

static void push_tensor (lua_State *L, ck_load *c, const gl_pk_tensor *t) {
  const gl_pk_storage *st = &t->storage->u.st;
  push_storage(L, c, st);
  int base = lua_gettop(L);
  gl_dtype dt = array_dtype(st->dtype);
  int64_t count = 1;
  for (int d = 0; d < t->ndim; d++) count *= t->size[d];
  if (count == 0) gl_array_push(L, dt, t->ndim, t->size);
  else {
    gl_array *s = gl_array_check(L, base);
    /* a view: tensors that share a storage share memory, as in PyTorch */
    gl_array_push_view(L, base, dt, t->ndim, t->size, t->stride,
                       s->data + (size_t)t->offset * gl_dtype_size(dt));
  }
  lua_remove(L, base);
}

static void push_value (lua_State *L, ck_load *c, const gl_pk_value *v, int depth);

static int is_state_dict (const gl_pk_value *v) {
  if (v->kind != GL_PK_DICT && v->kind != GL_PK_ODICT) return 0;
  if (v->n == 0) return v->kind == GL_PK_ODICT;
  for (int64_t i = 0; i < v->n; i++)
    if (v->items[2 * i]->kind != GL_PK_STR || v->items[2 * i + 1]->kind != GL_PK_TENSOR) return 0;
  return 1;
}

/* Calls hooks[name](table on top) and leaves its result (the same table). */
static void call_hook (lua_State *L, ck_load *c, const char *name, int nargs) {
  lua_getfield(L, c->hooks, name);
  lua_insert(L, -1 - nargs);
  lua_call(L, nargs, 1);
}

static void push_container (lua_State *L, ck_load *c, const gl_pk_value *v, int depth) {
  int sd = is_state_dict(v);
  if (sd) call_hook(L, c, "statedict", 0);
  else lua_createtable(L, v->kind == GL_PK_TUPLE || v->kind == GL_PK_LIST ? (int)v->n : 0,
                       v->kind == GL_PK_DICT || v->kind == GL_PK_ODICT ? (int)v->n : 0);
  /* marked while its items are made: torch never pickles a list or dict that
   * holds itself, and such a table could not even be printed */
  lua_pushlightuserdata(L, (void *)v);
  lua_pushboolean(L, 1);
  lua_settable(L, c->cache);
  int t = lua_gettop(L);
  if (v->kind == GL_PK_TUPLE || v->kind == GL_PK_LIST) {
    for (int64_t i = 0; i < v->n; i++) {
      push_value(L, c, v->items[i], depth + 1);
      lua_seti(L, t, i + 1);
    }
    if (!sd) { lua_pushvalue(L, t); call_hook(L, c, "list", 1); lua_pop(L, 1); }
    goto done;
  }
  for (int64_t i = 0; i < v->n; i++) {
    const gl_pk_value *k = v->items[2 * i];
    if (k->kind == GL_PK_STR) lua_pushlstring(L, k->u.str.s, k->u.str.len);
    else lua_pushinteger(L, (lua_Integer)k->u.i);
    push_value(L, c, v->items[2 * i + 1], depth + 1);
    lua_settable(L, t);   /* through the state dict's __newindex: keeps the order */
  }
  if (!sd) { lua_pushvalue(L, t); call_hook(L, c, "dict", 1); lua_pop(L, 1); }
done:   /* shared (the memo) from now on: met again, it is the same table */
  lua_pushlightuserdata(L, (void *)v);
  lua_pushvalue(L, t);
  lua_settable(L, c->cache);
}

static void push_value (lua_State *L, ck_load *c, const gl_pk_value *v, int depth) {
  if (depth > CK_MAX_DEPTH) gl_error(L, c->fname, "%s: values nested more than %d deep", c->path, CK_MAX_DEPTH);
  luaL_checkstack(L, 8, "nn.load");
  lua_pushlightuserdata(L, (void *)v);
  int met = lua_gettable(L, c->cache);
  if (met == LUA_TBOOLEAN) gl_error(L, c->fname, "%s: the pickle holds a list or dict that contains itself", c->path);
  if (met != LUA_TNIL) return;   /* met before (the memo shares values) */
  lua_pop(L, 1);
  switch (v->kind) {
    case GL_PK_NONE: lua_getfield(L, c->hooks, "None"); return;
    case GL_PK_BOOL_V: lua_pushboolean(L, (int)v->u.i); return;
    case GL_PK_INT: lua_pushinteger(L, (lua_Integer)v->u.i); return;
    case GL_PK_FLOAT: lua_pushnumber(L, v->u.f); return;
    case GL_PK_STR: lua_pushlstring(L, v->u.str.s, v->u.str.len); return;
    case GL_PK_TENSOR:
      push_tensor(L, c, v->u.t);
      lua_pushlightuserdata(L, (void *)v);
      lua_pushvalue(L, -2);
      lua_settable(L, c->cache);
      return;
    case GL_PK_TUPLE: case GL_PK_LIST: case GL_PK_DICT: case GL_PK_ODICT:
      push_container(L, c, v, depth);
      return;
    default:
      gl_error(L, c->fname, "%s: the pickle holds a bare storage or class, not a tensor", c->path);
  }
}

/* Raises the error for a pickle the machine stopped on. */
static int pickle_error (lua_State *L, ck_load *c, int rc, const gl_pk_err *e) {
  switch (rc == GL_ENOMEM ? 0 : e->kind) {
    case GL_PK_EMODEL:
      return gl_error(L, c->fname, "%s holds a pickled model (%s), not a state_dict: save it with "
                      "torch.save(model.state_dict(), path)", c->path, e->msg);
    case GL_PK_EREFUSED:
      return gl_error(L, c->fname, "%s: refusing to load '%s': a checkpoint may only hold tensors", c->path, e->msg);
    case GL_PK_EREFUSED_CALL:
      return gl_error(L, c->fname, "%s: refusing to call %s (pickle byte %lld): a checkpoint may only hold tensors",
                      c->path, e->msg, (long long)e->pos);
    case 0:
      return gl_error(L, c->fname, "%s: not enough memory for its pickle", c->path);
    default:
      return gl_error(L, c->fname, "%s: corrupt checkpoint: %s", c->path, e->msg);
  }
}

/* Finds the archive folder (the first entry's), refuses what is not a state
 * dict file, and fills the name table. Returns the index of data.pkl. */
static int open_archive (lua_State *L, ck_load *c) {
  ck_scratch *s = c->s;
  gl_ioerr e;
  gl_ioerr_clear(&e);
  int rc = gl_npz_open(s->file.data, s->file.len, &s->rd, &e);
  if (rc) gl_error(L, c->fname, "%s: %s", c->path, e.msg[0] ? e.msg : gl_strerror(rc));
  int64_t n = gl_npz_count(s->rd);
  const char *first = n > 0 ? gl_npz_name(s->rd, 0) : NULL;
  const char *slash = first ? strchr(first, '/') : NULL;
  if (!slash || slash == first)
    gl_error(L, c->fname, "%s is a zip file but not a PyTorch checkpoint (no <archive>/data.pkl entry)", c->path);
  c->prefix = lua_pushlstring(L, first, (size_t)(slash - first) + 1);
  lua_replace(L, c->names - 1);   /* kept in the slot reserved below names */
  c->prefix = lua_tostring(L, c->names - 1);
  size_t pl = strlen(c->prefix);
  int pkl = -1, script = 0, big = -1;
  for (int64_t i = 0; i < n; i++) {
    const char *name = gl_npz_name(s->rd, i);
    if (!name) continue;
    lua_pushinteger(L, (lua_Integer)i);
    lua_setfield(L, c->names, name);
    if (strncmp(name, c->prefix, pl) != 0) continue;
    const char *rest = name + pl;
    if (!strcmp(rest, "data.pkl")) pkl = (int)i;
    else if (!strcmp(rest, "constants.pkl") || !strncmp(rest, "code/", 5)) script = 1;
    else if (!strcmp(rest, "byteorder")) big = (int)i;
  }
  if (script)
    gl_error(L, c->fname, "%s is a TorchScript archive (torch.jit.save), not a state_dict: in Python, "
             "torch.save(torch.jit.load(path).state_dict(), path2) writes one", c->path);
  if (pkl < 0)
    gl_error(L, c->fname, "%s is a zip file but not a PyTorch checkpoint (no %sdata.pkl entry)", c->path, c->prefix);
  if (big >= 0) {   /* newer torch says which byte order its storages have */
    rc = gl_npz_read(s->rd, big, 16, &s->member, &e);
    if (rc == GL_OK && s->member.len == 3 && !memcmp(s->member.data, "big", 3))
      gl_error(L, c->fname, "%s holds big-endian storages, which geolab does not read", c->path);
    gl_bytes_free(&s->member);
  }
  return pkl;
}

/* ckpt_load(path, fname, hooks) -> the file's value (a state dict for a state
 * dict file). hooks: {statedict = new, dict = util.dict, list = util.list, None = None}. */
static int ck_load_file (lua_State *L) {
  ck_load c;
  c.path = luaL_checkstring(L, 1);
  c.fname = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  c.hooks = 3;
  lua_pushnil(L);                       /* 4: the prefix string */
  lua_newtable(L); c.names = 5;
  lua_newtable(L); c.storages = 6;
  lua_newtable(L); c.cache = 7;
  c.s = push_scratch(L);                /* 8 */
  gl_ioerr e;
  gl_ioerr_clear(&e);
  int rc = gl_file_read(c.path, CK_MAX_FILE, &c.s->file, &e);
  if (rc == GL_EINTR) return gl_kernel_error(L, c.fname, rc);
  if (rc) return gl_error(L, c.fname, "%s (%s)", e.msg[0] ? e.msg : gl_strerror(rc), c.path);
  if (!gl_npz_is_zip(c.s->file.data, c.s->file.len)) {
    if (c.s->file.len >= 2 && (unsigned char)c.s->file.data[0] == 0x80)
      return gl_error(L, c.fname, "%s is in PyTorch's legacy format (torch.save before 1.6, or "
                      "_use_new_zipfile_serialization=False): in Python, torch.save(torch.load(path), path) "
                      "rewrites it as the zip format", c.path);
    return gl_error(L, c.fname, "%s is not a PyTorch checkpoint (not a zip file)", c.path);
  }
  int pkl = open_archive(L, &c);
  rc = gl_npz_read(c.s->rd, pkl, CK_MAX_PICKLE, &c.s->pkl, &e);
  if (rc == GL_ERANGE) return gl_error(L, c.fname, "%s: data.pkl is over 64 MiB: not a state dict", c.path);
  if (rc) return gl_error(L, c.fname, "%s: %s (data.pkl)", c.path, e.msg[0] ? e.msg : gl_strerror(rc));
  const gl_pk_value *root;
  gl_pk_err pe;
  rc = gl_pk_read(c.s->pkl.data, c.s->pkl.len, &c.s->pk, &root, &pe);
  if (rc) return pickle_error(L, &c, rc, &pe);
  push_value(L, &c, root, 0);
  ck_release(c.s);
  return 1;
}

/* }====================================================== */

/* {====================================================== saving */

typedef struct ck_save {
  const char *fname, *path;
  gl_bytes *pkl;
  int none;        /* stack slot of the None value */
  int tensors;     /* table: list of the arrays written, in key order */
  int64_t ntensors;
} ck_save;

static void save_value (lua_State *L, ck_save *c, int idx, int depth);

static gl_pk_dtype storage_dtype (lua_State *L, ck_save *c, gl_dtype t) {
  switch (t) {
    case GL_FLOAT32: return GL_PK_F32;
    case GL_FLOAT64: return GL_PK_F64;
    case GL_INT64: return GL_PK_I64;
    case GL_INT32: return GL_PK_I32;
    case GL_UINT8: return GL_PK_U8;
    case GL_BOOL: return GL_PK_BOOL;
    default:
      gl_error(L, c->fname, "%s arrays cannot be saved (PyTorch storages: float32, float64, int64, int32, "
               "uint8, bool)", gl_dtype_name(t));
  }
  return GL_PK_F32;
}

static void nomem (lua_State *L, ck_save *c, int rc) {
  if (rc) gl_error(L, c->fname, "not enough memory");
}

/* A node {kind = "odict"|"dict"|"list", keys = {...}, vals = {...}} (built
 * by nn_checkpoint.lua), an array, a number, string, boolean or None. */
static void save_value (lua_State *L, ck_save *c, int idx, int depth) {
  idx = lua_absindex(L, idx);
  if (depth > CK_MAX_DEPTH) gl_error(L, c->fname, "values nested more than %d deep", CK_MAX_DEPTH);
  luaL_checkstack(L, 8, "nn.save");
  gl_array *a;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) nomem(L, c, gl_pkw_int(c->pkl, (int64_t)lua_tointeger(L, idx)));
      else nomem(L, c, gl_pkw_float(c->pkl, lua_tonumber(L, idx)));
      return;
    case LUA_TBOOLEAN: nomem(L, c, gl_pkw_bool(c->pkl, lua_toboolean(L, idx))); return;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      nomem(L, c, gl_pkw_str(c->pkl, s, len));
      return;
    }
    case LUA_TUSERDATA:
      if ((a = gl_array_test(L, idx)) != NULL) {
        gl_pk_dtype t = storage_dtype(L, c, a->dtype);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)c->ntensors);
        a = gl_array_arg_contig(L, idx, -1, c->fname);   /* a copy if it is a strided view */
        lua_pushvalue(L, idx);
        lua_rawseti(L, c->tensors, ++c->ntensors);
        nomem(L, c, gl_pkw_tensor(c->pkl, t, key, a->size, a->ndim, a->shape));
        return;
      }
      if (lua_rawequal(L, idx, c->none)) { nomem(L, c, gl_pkw_none(c->pkl)); return; }
      break;
    case LUA_TTABLE: {
      int top0 = lua_gettop(L);
      if (lua_rawequal(L, idx, c->none)) { nomem(L, c, gl_pkw_none(c->pkl)); return; }
      lua_getfield(L, idx, "kind");
      const char *k = lua_tostring(L, -1);
      int list = k && !strcmp(k, "list"), ordered = k && !strcmp(k, "odict");
      if (!k || (!list && !ordered && strcmp(k, "dict"))) gl_error(L, c->fname, "internal: bad node");
      lua_pop(L, 1);
      lua_getfield(L, idx, "vals");
      int vals = lua_gettop(L);
      lua_Integer n = luaL_len(L, vals);
      if (list) nomem(L, c, gl_pkw_empty_list(c->pkl));
      else nomem(L, c, gl_pkw_dict_begin(c->pkl, ordered));
      if (n > 0) nomem(L, c, gl_pkw_mark(c->pkl));
      if (!list) lua_getfield(L, idx, "keys");
      for (lua_Integer i = 1; i <= n; i++) {
        if (!list) { lua_rawgeti(L, vals + 1, i); save_value(L, c, -1, depth + 1); lua_pop(L, 1); }
        lua_rawgeti(L, vals, i);
        save_value(L, c, -1, depth + 1);
        lua_pop(L, 1);
      }
      if (n > 0) nomem(L, c, list ? gl_pkw_appends(c->pkl) : gl_pkw_setitems(c->pkl));
      lua_settop(L, top0);
      return;
    }
  }
  gl_error(L, c->fname, "cannot save a %s (a checkpoint holds arrays, numbers, strings, booleans, "
           "and tables of them)", luaL_typename(L, idx));
}

/* Adds name with a malloc'd copy of buf[0..len) (the writer frees it). */
static void add_entry (lua_State *L, ck_save *c, ck_scratch *s, const char *name, const void *buf, size_t len) {
  /* an empty storage goes as NULL: libzip does not take (nor free) a buffer of 0 bytes */
  char *data = NULL;
  if (len) {
    if (!(data = malloc(len))) gl_error(L, c->fname, "not enough memory");
    memcpy(data, buf, len);
  }
  gl_ioerr e;
  gl_ioerr_clear(&e);
  int rc = gl_npz_add(s->wr, name, data, len, &e);
  if (rc) gl_error(L, c->fname, "%s (%s)", e.msg[0] ? e.msg : gl_strerror(rc), c->path);
}

/* ckpt_save(path, fname, tree, None): writes the tree as torch.save does:
 * archive/data.pkl, archive/data/0..., archive/version, stored, with fixed
 * times, so the same tree gives the same bytes. libzip writes a temporary
 * beside the target and renames it when complete. */
static int ck_save_file (lua_State *L) {
  ck_save c;
  c.path = luaL_checkstring(L, 1);
  c.fname = luaL_checkstring(L, 2);
  lua_settop(L, 4);
  c.none = 4;
  lua_newtable(L); c.tensors = 5;
  c.ntensors = 0;
  ck_scratch *s = push_scratch(L);   /* 6 */
  c.pkl = &s->pkl;
  nomem(L, &c, gl_pkw_begin(c.pkl));
  save_value(L, &c, 3, 0);
  nomem(L, &c, gl_pkw_end(c.pkl));
  struct stat st;   /* libzip would say "Operation not supported" for a folder */
  if (stat(c.path, &st) == 0 && S_ISDIR(st.st_mode))
    gl_error(L, c.fname, "cannot open file for writing: Is a directory (%s)", c.path);
  gl_ioerr e;
  gl_ioerr_clear(&e);
  int rc = gl_npz_create(c.path, 0, &s->wr, &e);
  if (rc) return gl_error(L, c.fname, "%s (%s)", e.msg[0] ? e.msg : gl_strerror(rc), c.path);
  add_entry(L, &c, s, "archive/data.pkl", c.pkl->data, c.pkl->len);
  for (int64_t i = 0; i < c.ntensors; i++) {
    lua_rawgeti(L, c.tensors, i + 1);
    gl_array *a = gl_array_check(L, -1);
    char name[48];
    snprintf(name, sizeof name, "archive/data/%lld", (long long)i);
    add_entry(L, &c, s, name, a->data, (size_t)a->size * gl_dtype_size(a->dtype));
    lua_pop(L, 1);
  }
  add_entry(L, &c, s, "archive/version", "3\n", 2);   /* torch 1.13's file format version */
  gl_npz_writer *w = s->wr;
  s->wr = NULL;
  rc = gl_npz_finish(w, &e);
  if (rc == GL_EINTR) return gl_kernel_error(L, c.fname, rc);
  if (rc) return gl_error(L, c.fname, "%s (%s)", e.msg[0] ? e.msg : gl_strerror(rc), c.path);
  ck_release(s);
  return 0;
}

/* }====================================================== */

void gl_nn_open_checkpoint (lua_State *L) {
  static const luaL_Reg fns[] = {
    {"ckpt_load", ck_load_file},
    {"ckpt_save", ck_save_file},
    {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
