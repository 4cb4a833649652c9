/* frame_csv.c: read_csv and write_csv of geolab.frame_core. The Lua front
 * (stdlib/frame/frame.lua) checks option names, expands globs, combines date columns
 * and builds the frame; this file turns one file into named columns.
 *
 * frame_core.read_csv(path, o) -> names, columns, kinds
 *   o: normalized options (sep, quotechar, comment, decimal, thousands,
 *   header (0-based record of the names, true = 0, false = none: "0".."n-1"),
 *   skiprows (a count, a list of 0-based line numbers or a function), nrows, na (list), na_cols (name -> list), keep_default_na,
 *   usecols (list of names / 1-based positions, or a function(name)), encoding, dates (list),
 *   dayfirst, dtype (name -> "float64" | "int64" | "bool" | "str"), names;
 *   for tests: fast = false skips the all-numbers path, par_min forces the
 *   parallel paths on small inputs).
 *   Columns are arrays (float64, int64, bool; datetime64 as int64 ns with
 *   kind "datetime") or, for strings, Lua tables with false for missing; the
 *   4th result is the row count.
 * Every problem raises "pd.read_csv: <file>, line L, column 'c': ...". */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include "frame_internal.h"
#include "csv.h"
#include "datetime.h"
#include "gzfile.h"

#define FNAME "pd.read_csv"
#define MAX_FILE ((size_t)1 << 34)

/* Scratch owned by a userdata so an error anywhere frees it (lauxlib UBox). */
typedef struct csv_box {
  gl_bytes text, conv;
  gl_csv tok;
  char *map;        /* an mmap-ed plain file, or NULL */
  size_t maplen;
} csv_box;

static void box_release (csv_box *b) {
  gl_csv_unmap(b->map, b->maplen);
  b->map = NULL;
  gl_bytes_free(&b->text);
  gl_bytes_free(&b->conv);
  gl_csv_free(&b->tok);
}

static int box_gc (lua_State *L) {
  box_release((csv_box *)lua_touserdata(L, 1));
  return 0;
}

static csv_box *push_box (lua_State *L) {
  csv_box *b = (csv_box *)lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  gl_newmetatable(L, "geolab.CsvScratch", NULL, box_gc);
  lua_setmetatable(L, -2);
  return b;
}

static char opt_char (lua_State *L, int o, const char *key, char def) {
  if (!gl_opt_field(L, o, key)) return def;
  if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) { lua_pop(L, 1); return 0; }
  size_t n;
  const char *s = lua_tolstring(L, -1, &n);
  if (!s || n > 1 || (n == 1 && (s[0] == '\n' || s[0] == '\r')))
    gl_error(L, FNAME, "option '%s' must be a single character", key);
  char c = n ? s[0] : 0;
  lua_pop(L, 1);
  return c;
}

/* NA rules collected from a Lua list (strings and numbers) into C arrays
 * allocated as userdata on the stack (freed by the GC). */
typedef struct na_rules {
  gl_csv_na na;
  const char **strs;
  size_t *lens;
  double *nums;
} na_rules;

static void collect_na (lua_State *L, int list, int list2, int use_default, na_rules *r) {
  int n1 = list ? (int)luaL_len(L, list) : 0, n2 = list2 ? (int)luaL_len(L, list2) : 0;
  int n = n1 + n2, ns = 0, nn = 0;
  r->strs = (const char **)lua_newuserdatauv(L, sizeof(char *) * (size_t)(n + 1), 0);
  r->lens = (size_t *)lua_newuserdatauv(L, sizeof(size_t) * (size_t)(n + 1), 0);
  r->nums = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(n + 1), 0);
  for (int k = 0; k < n; k++) {
    lua_geti(L, k < n1 ? list : list2, k < n1 ? k + 1 : k - n1 + 1);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      r->nums[nn++] = lua_tonumber(L, -1);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      double v;
      r->strs[ns] = s;   /* anchored by the options table */
      r->lens[ns++] = len;
      if (gl_parse_f64(s, len, '.', 0, &v)) r->nums[nn++] = v;  /* as pandas: "-999" also by value */
    } else {
      gl_error(L, FNAME, "option 'na_values' must hold strings and numbers, got %s", luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  r->na.use_default = use_default;
  r->na.nstr = ns; r->na.strs = r->strs; r->na.lens = r->lens;
  r->na.nnum = nn; r->na.nums = r->nums;
}

/* Raises the located error for record rec of the file. */
static int loc_error (lua_State *L, const char *label, const gl_csv *t, int64_t rec,
                      const char *colname, const char *fmt, const char *arg) {
  char what[300];
  snprintf(what, sizeof what, fmt, arg);
  if (colname)
    return gl_error(L, FNAME, "%s, line %lld, column '%s': %s", label,
                    (long long)t->rowline[rec], colname, what);
  return gl_error(L, FNAME, "%s, line %lld: %s", label, (long long)t->rowline[rec], what);
}

/* Index of name in the header names table at hidx (1-based, the first one
 * if repeated), or 0. A reverse table name -> index is built on first use and
 * kept in the header table's metatable: a scan per look-up made usecols of
 * 20,000 names on a 100,000-column file take 10 s. The header table is
 * complete and no longer changes when this is called. */
static int find_name (lua_State *L, int hidx, int ncol, const char *name) {
  if (!lua_getmetatable(L, hidx)) {
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, ncol);
    for (int k = ncol; k >= 1; k--) {
      if (lua_geti(L, hidx, k) == LUA_TNUMBER) lua_tostring(L, -1);   /* names={1, 2} */
      if (lua_type(L, -1) != LUA_TSTRING) { lua_pop(L, 1); continue; }
      lua_pushinteger(L, k);
      lua_rawset(L, -3);
    }
    lua_setfield(L, -2, "rev");
    lua_pushvalue(L, -1);
    lua_setmetatable(L, hidx);
  }
  lua_getfield(L, -1, "rev");
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  int k = (int)lua_tointeger(L, -1);   /* 0 when absent */
  lua_pop(L, 3);
  return k;
}

/* Raises "column 'x' not found (did you mean 'y'?)". */
static int no_column (lua_State *L, const char *label, int hidx, int ncol, const char *name) {
  const char **names = (const char **)lua_newuserdatauv(L, sizeof(char *) * (size_t)(ncol + 1), 0);
  for (int k = 0; k < ncol; k++) {
    lua_geti(L, hidx, k + 1);
    names[k] = lua_tostring(L, -1);
    lua_pop(L, 1);   /* still referenced by the names table */
  }
  names[ncol] = NULL;
  const char *near = gl_nearest_name(name, names);
  if (near) return gl_error(L, FNAME, "%s: column '%s' not found (did you mean '%s'?)", label, name, near);
  return gl_error(L, FNAME, "%s: column '%s' not found", label, name);
}

/* Resolves a column reference (name or 1-based position) at the top of the
 * stack to a 1-based position; pops it. */
static int resolve_col (lua_State *L, const char *label, int hidx, int ncol, const char *what) {
  int k;
  if (lua_type(L, -1) == LUA_TNUMBER) {
    if (!lua_isinteger(L, -1))
      gl_error(L, FNAME, "%s: %s positions must be integers, got %s", label, what, lua_tostring(L, -1));
    k = (int)lua_tointeger(L, -1);
    /* pandas counts columns from 0; a notebook's usecols=[0, 2] must not
     * silently read other columns here */
    if (k == 0)
      gl_error(L, FNAME, "%s: %s position 0: columns count from 1 in geolab (Lua); "
               "pandas' %s=[0, 2] is %s={1, 3} here (or give column names)", label, what, what, what);
    if (k < 1 || k > ncol) gl_error(L, FNAME, "%s: %s position %d out of range (1..%d)", label, what, k, ncol);
  } else {
    const char *name = lua_tostring(L, -1);
    if (!name) gl_error(L, FNAME, "%s: %s must name columns", label, what);
    k = find_name(L, hidx, ncol, name);
    if (!k) no_column(L, label, hidx, ncol, name);
  }
  lua_pop(L, 1);
  return k;
}

static int has_opt (lua_State *L, const char *key) {
  if (!gl_opt_field(L, 2, key)) return 0;
  lua_pop(L, 1);
  return 1;
}

/* Adds d (+1 or -1) to the count of the string at the top of the stack in
 * the table at tidx; pops the string. */
static void count_add (lua_State *L, int tidx, lua_Integer d) {
  lua_pushvalue(L, -1);
  lua_Integer c = (lua_rawget(L, tidx) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0) + d;
  lua_pop(L, 1);
  if (c) lua_pushinteger(L, c); else lua_pushnil(L);
  lua_rawset(L, tidx);
}

/* Count of the string at stack index i in the table at tidx. */
static lua_Integer count_get (lua_State *L, int tidx, int i) {
  lua_pushvalue(L, i);
  lua_Integer c = lua_rawget(L, tidx) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  return c;
}

/* Pushes the table of column names from record rec of t (fields relative to
 * base): empty names become "Unnamed: k", duplicates get .1, .2 as pandas
 * 1.5.3's C parser mangles them (parsers.pyx _get_header): named columns
 * first, then the unnamed ones; a candidate "a.1" that is already a header
 * name is skipped. Its `col in this_header` is a list scan, O(n^2) on a wide
 * file (2,000 repeated names took 26 s); here the header is a multiset in a
 * Lua table, so each look-up is O(1). */
static void push_names (lua_State *L, const char *base, const gl_csv *t, int64_t rec, int ncol) {
  lua_createtable(L, ncol, 0);
  int hidx = lua_gettop(L);
  lua_createtable(L, 0, ncol);   /* name -> occurrences in the current header */
  int inhdr = lua_gettop(L);
  lua_createtable(L, 0, ncol);   /* pandas' counts */
  int counts = lua_gettop(L);
  for (int k = 0; k < ncol; k++) {
    int64_t f = t->rowfirst[rec] + k;
    if (t->flen[f] == 0) lua_pushfstring(L, "Unnamed: %d", k);
    else lua_pushlstring(L, base + t->fstart[f], (size_t)t->flen[f]);
    lua_pushvalue(L, -1);
    count_add(L, inhdr, 1);
    lua_seti(L, hidx, k + 1);
  }
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < ncol; k++) {
      int unnamed = t->flen[t->rowfirst[rec] + k] == 0;
      if (unnamed != pass) continue;
      lua_geti(L, hidx, k + 1);
      int old = lua_gettop(L);
      lua_Integer cur = count_get(L, counts, old);
      if (cur > 0) {
        const char *oldname = lua_tostring(L, old);
        while (cur > 0) {
          lua_pushvalue(L, old);
          lua_pushinteger(L, cur + 1);
          lua_rawset(L, counts);
          lua_settop(L, old);
          lua_pushfstring(L, "%s.%I", oldname, (LUAI_UACINT)cur);
          if (count_get(L, inhdr, -1) > 0) cur++;
          else cur = count_get(L, counts, -1);
        }
        lua_pushvalue(L, old);   /* the header now holds the new name */
        count_add(L, inhdr, -1);
        lua_pushvalue(L, -1);
        count_add(L, inhdr, 1);
        lua_pushvalue(L, -1);
        lua_seti(L, hidx, k + 1);
      }
      lua_pushinteger(L, cur + 1);   /* counts[col] = cur + 1 */
      lua_rawset(L, counts);
      lua_settop(L, old - 1);
    }
  lua_settop(L, hidx);
}

/* {=====  encodings  ===== */

enum { ENC_UTF8, ENC_LATIN1, ENC_CP1252 };

/* Python's codec names as pandas passes them on: case, '_' and ' ' do not
 * matter. */
static int encoding_of (const char *name) {
  char b[32];
  size_t n = 0;
  for (; name[n] && n < sizeof b - 1; n++) {
    char c = name[n];
    b[n] = (c == '_' || c == ' ') ? '-' : (char)tolower((unsigned char)c);
  }
  if (name[n]) return -1;
  b[n] = 0;
  static const struct { const char *name; int enc; } names[] = {
    {"utf-8", ENC_UTF8}, {"utf8", ENC_UTF8}, {"u8", ENC_UTF8}, {"utf-8-sig", ENC_UTF8},
    {"latin-1", ENC_LATIN1}, {"latin1", ENC_LATIN1}, {"latin", ENC_LATIN1}, {"l1", ENC_LATIN1},
    {"iso-8859-1", ENC_LATIN1}, {"iso8859-1", ENC_LATIN1}, {"8859", ENC_LATIN1},
    {"cp1252", ENC_CP1252}, {"windows-1252", ENC_CP1252}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(b, names[i].name)) return names[i].enc;
  return -1;
}

/* Options encoding and encoding_errors (pandas' names and defaults). */
static void check_encoding (lua_State *L, int *enc, int *errors) {
  const char *name = gl_opt_string(L, 2, "encoding", "utf-8", FNAME);
  *enc = encoding_of(name);
  if (*enc < 0)
    gl_error(L, FNAME, "unknown encoding '%s' (expected 'utf-8', 'latin-1' or 'cp1252')", name);
  static const char *const modes[] = {"strict", "replace", "ignore", NULL};
  const char *e = gl_opt_string(L, 2, "encoding_errors", "strict", FNAME);
  for (*errors = 0; modes[*errors] && strcmp(modes[*errors], e); (*errors)++) {}
  if (!modes[*errors])
    gl_error(L, FNAME, "option 'encoding_errors' must be 'strict', 'replace' or 'ignore', got '%s'", e);
  if (*errors != GL_DECODE_STRICT && *enc == ENC_UTF8)
    gl_error(L, FNAME, "encoding_errors='%s' is only implemented for cp1252; UTF-8 files must be valid", e);
}

/* Makes *text UTF-8 (converted text lives in box->conv), or raises naming the
 * first byte that cannot be decoded. */
static int decode (lua_State *L, const char *label, char **text, size_t *len, int enc, int errors,
                   csv_box *box) {
  int64_t line, col;
  if (enc == ENC_LATIN1 || enc == ENC_CP1252) {
    size_t bad = 0;
    int rc = enc == ENC_LATIN1 ? gl_latin1_to_utf8(*text, *len, &box->conv)
                               : gl_cp1252_to_utf8(*text, *len, errors, &box->conv, &bad);
    if (rc == GL_EFORMAT) {   /* one byte a character: the column is the offset in the line */
      size_t ls = bad;
      line = 1;
      while (ls > 0 && (*text)[ls - 1] != '\n') ls--;
      for (size_t i = 0; i < ls; i++) line += (*text)[i] == '\n';
      return gl_error(L, FNAME, "%s, line %lld, character %lld (byte offset %lld): byte 0x%02X is not "
                      "defined in cp1252 (pass encoding_errors='replace' or 'ignore')", label, (long long)line,
                      (long long)(bad - ls + 1), (long long)bad, (unsigned char)(*text)[bad]);
    }
    if (rc) return gl_kernel_error(L, FNAME, rc);
    *text = box->conv.data; *len = box->conv.len;
    return 0;
  }
  int64_t bad = gl_utf8_check(*text, *len);
  if (bad >= 0) {
    gl_text_position(*text, (size_t)bad, &line, &col);
    return gl_error(L, FNAME, "%s, line %lld, character %lld: invalid UTF-8 (byte 0x%02X); "
                    "pass encoding='cp1252' or 'latin-1' if the file is not UTF-8", label, (long long)line,
                    (long long)col, (unsigned char)(*text)[bad]);
  }
  return 0;
}
/* } */

/* The all-numbers fast path (kernels/frame/csv_numeric.c). Returns the number of
 * results pushed (4) or 0, with the stack as it was, when the general path
 * must run. */
static int read_numeric (lua_State *L, const char *label, char *text, size_t len, int64_t line0,
                         const gl_csv_opts *o, csv_box *box, int keep_default) {
  int top0 = lua_gettop(L);
  size_t h, e;
  int64_t hline = line0;
  gl_ioerr err;
  gl_ioerr_clear(&err);
  if (!gl_csv_first_line(text, len, o, &h, &e, &hline)) return 0;   /* the header */
  size_t dstart = e < len ? e + 1 : len;
  gl_csv_opts o1 = *o;
  o1.nthreads = 1;
  if (gl_csv_tokenize(text + h, e - h, hline, &o1, &box->tok, &err) || box->tok.nrows != 1) {
    gl_csv_free(&box->tok);
    return 0;
  }
  int nc = box->tok.rownf[0];
  push_names(L, text + h, &box->tok, 0, nc);
  int nidx = lua_gettop(L);
  gl_csv_free(&box->tok);
  gl_csv_plan *plan = (gl_csv_plan *)lua_newuserdatauv(L, sizeof(gl_csv_plan), 0);
  int64_t cap = gl_csv_numeric_plan(text + dstart, len - dstart, o, plan);
  double **cp = (double **)lua_newuserdatauv(L, sizeof(double *) * (size_t)nc, 0);
  unsigned char *notint = (unsigned char *)lua_newuserdatauv(L, (size_t)nc, 0);
  int64_t *nna = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)nc, 0);
  lua_createtable(L, nc, 0);
  int arrs = lua_gettop(L);
  for (int j = 0; j < nc; j++) {
    gl_array *a = gl_array_push1(L, GL_FLOAT64, cap);
    cp[j] = (double *)a->data;
    lua_rawseti(L, arrs, j + 1);
  }
  int has_na = gl_opt_field(L, 2, "na");
  na_rules global;
  collect_na(L, has_na ? lua_gettop(L) : 0, 0, keep_default, &global);
  int64_t nr = 0;
  int rc = gl_csv_numeric_run(text + dstart, plan, o, &global.na, nc, cp, notint, nna, &nr);
  if (rc == GL_EINTR || rc == GL_ENOMEM) return gl_kernel_error(L, FNAME, rc);
  if (rc) { lua_settop(L, top0); return 0; }
  (void)label;
  lua_createtable(L, nc, 0);
  int ocols = lua_gettop(L);
  lua_createtable(L, nc, 0);
  int okinds = lua_gettop(L);
  for (int j = 0; j < nc; j++) {
    lua_rawgeti(L, arrs, j + 1);
    int isint = nr > 0 && !notint[j] && nna[j] == 0;
    if (isint) {   /* converted in place: the int64 column is a view of the same buffer */
      char *buf = (char *)cp[j];
      for (int64_t i = 0; i < nr; i++) {
        int64_t v = (int64_t)cp[j][i];
        memcpy(buf + i * (int64_t)sizeof v, &v, sizeof v);
      }
      int64_t stride = 1;
      gl_array_push_view(L, -1, GL_INT64, 1, &nr, &stride, buf);
    } else {
      int64_t stride = 1;
      gl_array_push_view(L, -1, GL_FLOAT64, 1, &nr, &stride, (char *)cp[j]);
    }
    lua_rawseti(L, ocols, j + 1);
    lua_pop(L, 1);
    lua_pushstring(L, isint ? "int" : "float");
    lua_rawseti(L, okinds, j + 1);
  }
  lua_pushvalue(L, nidx);
  lua_pushvalue(L, ocols);
  lua_pushvalue(L, okinds);
  lua_pushinteger(L, nr);
  return 4;
}

/* {=====  options  ===== */

/* One read's options, as frame.lua normalized them (see the top of the file),
 * checked and read once, before any work. */
typedef struct csv_read {
  const char *path, *label;  /* the file, and its name in messages */
  gl_csv_opts o;             /* o.sep is 0 until the text is sniffed */
  lua_Integer header;        /* 0-based record holding the names; -1: none */
  lua_Integer skiprows;      /* leading physical lines to skip */
  int skipidx;               /* stack index of a list / function of lines to skip, or 0 */
  lua_Integer nrows;         /* data records to read; -1: all */
  int keep_default;          /* pandas' default NA strings too */
  int enc, enc_errors;       /* ENC_*, GL_DECODE_* */
  int fast;                  /* the all-numbers path may run (tests turn it off) */
  int simple;                /* no option that the all-numbers path cannot honour */
} csv_read;

static void read_sep (lua_State *L, csv_read *r) {
  size_t n;
  const char *s;
  if (!gl_opt_field(L, 2, "sep")) return;   /* sniffed from the text later */
  s = lua_tolstring(L, -1, &n);
  if (!s || n != 1) {
    if (s && n == 2 && s[0] == '\\' && s[1] == 't') r->o.sep = '\t';
    else gl_error(L, FNAME, "option 'sep' must be a single character");
  } else r->o.sep = s[0];
  lua_pop(L, 1);
  if (r->o.sep == r->o.quote || r->o.sep == '\n' || r->o.sep == '\r' || (r->o.comment && r->o.sep == r->o.comment))
    gl_error(L, FNAME, "option 'sep' must differ from quotechar, comment and line ends");
}

/* Fills r from the options table at 2; a skiprows list or function stays on
 * the stack (r->skipidx). */
static void read_options (lua_State *L, csv_read *r, const char *path, const char *label) {
  memset(r, 0, sizeof *r);
  r->path = path; r->label = label;
  r->o.quote = opt_char(L, 2, "quotechar", '"');
  r->o.comment = opt_char(L, 2, "comment", 0);
  r->o.decimal = opt_char(L, 2, "decimal", '.');
  r->o.thousands = opt_char(L, 2, "thousands", 0);
  r->o.dayfirst = gl_opt_boolean(L, 2, "dayfirst", 0, FNAME);
  r->o.nthreads = gl_threads();
  r->o.par_min = gl_opt_integer(L, 2, "par_min", 0, FNAME);   /* tests: force the parallel paths */
  if (gl_opt_field(L, 2, "header")) {   /* true = 0 */
    if (lua_type(L, -1) == LUA_TBOOLEAN) r->header = lua_toboolean(L, -1) ? 0 : -1;
    else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0) r->header = lua_tointeger(L, -1);
    else gl_error(L, FNAME, "%s: option 'header' must be a row number (0-based), nil or false", label);
    lua_pop(L, 1);
  }
  if (gl_opt_field(L, 2, "skiprows")) {
    if (lua_istable(L, -1) || lua_isfunction(L, -1)) r->skipidx = lua_gettop(L);
    else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0) { r->skiprows = lua_tointeger(L, -1); lua_pop(L, 1); }
    else gl_error(L, FNAME, "%s: option 'skiprows' must be a line count, a list of line numbers "
                  "(0-based) or a function, got %s", label, luaL_typename(L, -1));
  }
  r->nrows = gl_opt_integer(L, 2, "nrows", -1, FNAME);
  r->keep_default = gl_opt_boolean(L, 2, "keep_default_na", 1, FNAME);
  check_encoding(L, &r->enc, &r->enc_errors);
  read_sep(L, r);
  r->fast = gl_opt_boolean(L, 2, "fast", 1, FNAME);
  r->simple = r->header == 0 && r->nrows < 0 && !has_opt(L, "names") && !has_opt(L, "dates") &&
              !has_opt(L, "dtype") && !has_opt(L, "na_cols") && !has_opt(L, "usecols");
}
/* } */

/* {=====  bytes  ===== */

/* Empties the lines that skiprows (a list of 0-based line numbers, or a
 * function of one) names. */
static void drop_listed_lines (lua_State *L, const csv_read *r, char *text, size_t *len) {
  int64_t nlines = gl_csv_count_lines(text, *len);
  char *skip = (char *)lua_newuserdatauv(L, (size_t)nlines, 0);
  memset(skip, 0, (size_t)nlines);
  if (lua_istable(L, r->skipidx)) {
    lua_Integer n = luaL_len(L, r->skipidx);
    for (lua_Integer k = 1; k <= n; k++) {
      lua_geti(L, r->skipidx, k);
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0) {
        const char *tn = luaL_typename(L, -1);
        gl_error(L, FNAME, "%s: skiprows entries must be line numbers (integers >= 0), got %s '%s'",
                 r->label, tn, luaL_tolstring(L, -1, NULL));
      }
      lua_Integer ln = lua_tointeger(L, -1);
      if (ln < nlines) skip[ln] = 1;
      lua_pop(L, 1);
    }
  } else {
    for (int64_t k = 0; k < nlines; k++) {
      lua_pushvalue(L, r->skipidx);
      lua_pushinteger(L, k);
      lua_call(L, 1, 1);
      skip[k] = (char)lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  }
  *len = gl_csv_drop_lines(text, *len, skip, nlines);
  lua_pop(L, 1);   /* the flags */
}

/* The file as UTF-8 text without BOM, after skiprows: mapped (a plain file)
 * or read (gzip) into box. *line0 gets the number of lines skipped. */
static void read_text (lua_State *L, const csv_read *r, csv_box *box, char **text, size_t *len,
                       int64_t *line0) {
  int rc = 0;
  gl_ioerr err;
  gl_ioerr_clear(&err);
  *text = NULL;
  if (gl_csv_map(r->path, MAX_FILE, &box->map, &box->maplen)) { *text = box->map; *len = box->maplen; }
  else rc = gl_file_read(r->path, MAX_FILE, &box->text, &err);
  if (rc == GL_EINTR) gl_kernel_error(L, FNAME, rc);
  if (rc == GL_EIO) {
    const char *m = err.msg;
    if (!strncmp(m, "cannot open file: ", 18)) m += 18;
    gl_error(L, FNAME, "cannot open '%s': %s", r->label, m);
  }
  if (rc) gl_error(L, FNAME, "%s: %s", r->label, err.msg[0] ? err.msg : gl_strerror(rc));
  if (!*text) { *text = box->text.data; *len = box->text.len; }
  if (*len >= 3 && !memcmp(*text, "\xEF\xBB\xBF", 3)) { *text += 3; *len -= 3; }
  decode(L, r->label, text, len, r->enc, r->enc_errors, box);
  int64_t nul = gl_nul_line(*text, *len);
  if (nul) gl_error(L, FNAME, "%s: line %lld contains a NUL byte (binary file?)", r->label, (long long)nul);
  if (r->skipidx) drop_listed_lines(L, r, *text, len);
  *line0 = gl_csv_skip_lines(text, len, r->skiprows);
}
/* } */

/* {=====  records and names  ===== */

/* Tokenizes the text into box->tok, or raises with the file's line. */
static gl_csv *tokenize (lua_State *L, const csv_read *r, csv_box *box, char *text, size_t len,
                         int64_t line0) {
  gl_ioerr err;
  gl_ioerr_clear(&err);
  int rc = gl_csv_tokenize(text, len, line0, &r->o, &box->tok, &err);
  if (rc == GL_EINTR || rc == GL_ENOMEM) gl_kernel_error(L, FNAME, rc);
  if (rc && err.line) gl_error(L, FNAME, "%s, line %lld: %s", r->label, (long long)err.line, err.msg);
  if (rc) gl_kernel_error(L, FNAME, rc);
  return &box->tok;
}

/* Pushes the table of column names (from names=, the header record, or
 * "0".."n-1" without a header, as pandas labels them) and returns its index;
 * *ncol gets the number of columns, *row0 the first data record. */
static int push_header (lua_State *L, const csv_read *r, const gl_csv *t, const char *text, int *ncol,
                        int64_t *row0) {
  lua_newtable(L);
  int hidx = lua_gettop(L);
  *row0 = 0;
  if (r->header > 0 && r->header >= t->nrows)
    gl_error(L, FNAME, "%s: header=%d but the file has only %d row%s (after skiprows)",
             r->label, (int)r->header, (int)t->nrows, t->nrows == 1 ? "" : "s");
  if (gl_opt_field(L, 2, "names")) {
    int nn = (int)luaL_len(L, -1);
    for (int k = 1; k <= nn; k++) {
      lua_geti(L, -1, k);
      lua_seti(L, hidx, k);
    }
    lua_pop(L, 1);
    *ncol = nn;
    if (r->header >= 0) *row0 = r->header + 1;   /* the header row is replaced */
  } else if (r->header >= 0) {
    if (t->nrows == 0) gl_error(L, FNAME, "%s: no columns to parse from file", r->label);
    *ncol = t->rownf[r->header];
    push_names(L, text, t, r->header, *ncol);
    lua_replace(L, hidx);
    *row0 = r->header + 1;
  } else {
    *ncol = t->nrows ? t->rownf[0] : 0;
    for (int k = 1; k <= *ncol; k++) { lua_pushfstring(L, "%d", k - 1); lua_seti(L, hidx, k); }
  }
  return hidx;
}

/* Positions (1-based) of the columns to read, in file order as pandas
 * (usecols= names, positions or a function(name); or all), in a userdata
 * left on the stack; *nuse their count. */
static int *select_columns (lua_State *L, const csv_read *r, int hidx, int ncol, int *nuse) {
  int *use = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)(ncol + 1), 0);
  int has_usecols = gl_opt_field(L, 2, "usecols");
  *nuse = 0;
  if (has_usecols && lua_type(L, -1) == LUA_TFUNCTION) {   /* pandas' usecols=lambda name: ... */
    for (int k = 1; k <= ncol; k++) {
      lua_pushvalue(L, -1);
      lua_geti(L, hidx, k);
      lua_call(L, 1, 1);
      if (lua_toboolean(L, -1)) use[(*nuse)++] = k;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  } else if (has_usecols) {
    if (lua_type(L, -1) != LUA_TTABLE)
      gl_error(L, FNAME, "%s: usecols must be a list of column names or 1-based positions, or a function(name)", r->label);
    int nu = (int)luaL_len(L, -1);
    char *seen = (char *)lua_newuserdatauv(L, (size_t)ncol + 1, 0);
    memset(seen, 0, (size_t)ncol + 1);
    for (int k = 1; k <= nu; k++) {
      lua_geti(L, -2, k);
      seen[resolve_col(L, r->label, hidx, ncol, "usecols")] = 1;
    }
    for (int k = 1; k <= ncol; k++) if (seen[k]) use[(*nuse)++] = k;
    lua_pop(L, 2);
  } else {
    for (int k = 1; k <= ncol; k++) use[(*nuse)++] = k;
  }
  return use;
}

/* Flags (by 1-based position) of the parse_dates columns, left on the stack. */
static char *date_columns (lua_State *L, const csv_read *r, int hidx, int ncol) {
  char *isdate = (char *)lua_newuserdatauv(L, (size_t)ncol + 1, 0);
  memset(isdate, 0, (size_t)ncol + 1);
  if (gl_opt_field(L, 2, "dates")) {
    int nd = (int)luaL_len(L, -1);
    for (int k = 1; k <= nd; k++) {
      lua_geti(L, -1, k);
      isdate[resolve_col(L, r->label, hidx, ncol, "parse_dates")] = 1;
    }
    lua_pop(L, 1);
  }
  return isdate;
}

/* Every column named by the by-column tables (na_cols, dtype) must exist. */
static void check_named (lua_State *L, const csv_read *r, int hidx, int ncol, int tb, const char *what) {
  if (!tb) return;
  lua_pushnil(L);
  while (lua_next(L, tb)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    resolve_col(L, r->label, hidx, ncol, what);
  }
}
/* } */

/* {=====  columns  ===== */

/* What converting one column needs. */
typedef struct csv_column {
  const csv_read *r;
  const gl_csv *t;
  const gl_csv_cols *cols;
  int c;               /* 0-based position in the file */
  const char *name;
  const gl_csv_na *na;
} csv_column;

/* The kind that column k converts to, with dtype= naming it (checked) or
 * inferred. An inferred float column is converted by the inference itself:
 * then its array is pushed and GL_CSV_NA returned. */
static int column_kind (lua_State *L, const csv_column *k, int isdate, const char *forced) {
  int kind;
  int64_t nna = 0;
  if (isdate) return GL_CSV_DATETIME;
  if (forced) {
    kind = gl_csv_kind_of_dtype(forced);
    if (kind < 0)
      gl_error(L, FNAME, "dtype '%s' for column '%s' not supported "
               "(float64, int64, bool, str, datetime64[ns])", forced, k->name);
    if (kind == GL_CSV_INT || kind == GL_CSV_BOOL) {   /* pandas refuses missing values there */
      int inferred;
      gl_csv_infer(k->cols, k->c, k->na, &k->r->o, &inferred, &nna, NULL);
      if (nna > 0) gl_error(L, FNAME, "%s: column '%s' has missing values, cannot be %s",
                            k->r->label, k->name, forced);
    }
    return kind;
  }
  /* one pass infers and converts to float64; other kinds convert again */
  gl_array *fa = gl_array_push1(L, GL_FLOAT64, k->cols->nrows);
  gl_csv_infer(k->cols, k->c, k->na, &k->r->o, &kind, &nna, (double *)fa->data);
  if ((kind == GL_CSV_INT || kind == GL_CSV_BOOL) && nna > 0) kind = GL_CSV_FLOAT;   /* 1/0/NaN */
  if (kind == GL_CSV_NA || kind == GL_CSV_FLOAT) return GL_CSV_NA;
  lua_pop(L, 1);
  return kind;
}

/* Pushes column k as a table of strings (false where missing). */
static void push_strings (lua_State *L, const csv_column *k) {
  int64_t n = k->cols->nrows;
  lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
  for (int64_t r = 0; r < n; r++) {
    size_t fl;
    const char *fs = gl_csv_field(k->cols, r, k->c, &fl);
    if (gl_csv_isna(k->cols, r, k->c, k->na, &k->r->o)) lua_pushboolean(L, 0);
    else lua_pushlstring(L, fs, fl);
    lua_rawseti(L, -2, r + 1);
  }
}

/* Pushes column k converted to kind (csv_kinds.c's table) and returns the
 * kind's name; a field that does not convert raises with its line. */
static const char *push_column (lua_State *L, const csv_column *k, int kind) {
  const gl_csv_kind_info *info;
  gl_array *a;
  int64_t bad = -1;
  if (kind == GL_CSV_NA) return "float";   /* converted while inferring */
  if (kind == GL_CSV_STRING) { push_strings(L, k); return "string"; }
  info = gl_csv_kind_info_of(kind);
  a = gl_array_push1(L, (gl_dtype)info->dtype, k->cols->nrows);
  if (gl_csv_convert(kind, k->cols, k->c, k->na, &k->r->o, a->data, &bad)) {
    size_t fl;
    const char *fs = gl_csv_field(k->cols, bad, k->c, &fl);
    lua_pushlstring(L, fs, fl);
    loc_error(L, k->r->label, k->t, k->cols->row0 + bad, k->name, info->fail, lua_tostring(L, -1));
  }
  return info->name;
}

/* The value of by-column table tb for column c: by name, else by position. */
static int by_column (lua_State *L, int tb, const char *cname, int c) {
  lua_getfield(L, tb, cname);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_geti(L, tb, c + 1); }
  return !lua_isnil(L, -1);
}
/* } */

static int fc_read_csv (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  const char *label = gl_opt_string(L, 2, "label", path, FNAME);
  csv_box *box = push_box(L);   /* stack 3 */
  csv_read r;
  char *text;
  size_t len;
  int64_t line0, row0;
  int ncol, nuse;
  read_options(L, &r, path, label);
  read_text(L, &r, box, &text, &len, &line0);
  if (!r.o.sep) r.o.sep = gl_csv_sniff(text, len < 65536 ? len : 65536, r.o.quote, r.o.comment);
  if (r.simple && r.fast && !(r.o.quote && memchr(text, r.o.quote, len))) {
    /* the mapping is unmodified unless lines were dropped from it */
    r.o.release = box->map && text >= box->map && text < box->map + box->maplen && !r.skipidx;
    int nres = read_numeric(L, label, text, len, line0, &r.o, box, r.keep_default);
    if (nres) { box_release(box); return nres; }
  }
  gl_csv *t = tokenize(L, &r, box, text, len, line0);
  int hidx = push_header(L, &r, t, text, &ncol, &row0);
  int64_t ndata = t->nrows - row0;
  if (ndata < 0) ndata = 0;
  if (r.nrows >= 0 && r.nrows < ndata) ndata = r.nrows;
  int64_t badrow = gl_csv_check_width(t, row0, ndata, ncol);
  if (badrow >= 0) {
    char msg[120];
    snprintf(msg, sizeof msg, "expected %d fields, saw %lld", ncol, (long long)t->rownf[badrow]);
    return loc_error(L, label, t, badrow, NULL, "%s", msg);
  }
  int *use = select_columns(L, &r, hidx, ncol, &nuse);
  char *isdate = date_columns(L, &r, hidx, ncol);
  int na_list = gl_opt_field(L, 2, "na") ? lua_gettop(L) : 0;
  int nacols = gl_opt_field(L, 2, "na_cols") ? lua_gettop(L) : 0;
  int dtypes = gl_opt_field(L, 2, "dtype") ? lua_gettop(L) : 0;
  check_named(L, &r, hidx, ncol, nacols, "na_values");
  check_named(L, &r, hidx, ncol, dtypes, "dtype");
  na_rules global;
  collect_na(L, na_list, 0, r.keep_default, &global);

  lua_createtable(L, nuse, 0);  /* names */
  int onames = lua_gettop(L);
  lua_createtable(L, nuse, 0);  /* columns */
  int ocols = lua_gettop(L);
  lua_createtable(L, nuse, 0);  /* kinds */
  int okinds = lua_gettop(L);
  gl_csv_cols cols = {t, text, row0, ndata, ncol};
  for (int u = 0; u < nuse; u++) {
    int c = use[u] - 1, top = lua_gettop(L);
    na_rules colna = global;
    const char *forced = NULL;
    lua_geti(L, hidx, c + 1);
    lua_seti(L, onames, u + 1);
    lua_geti(L, hidx, c + 1);
    const char *cname = lua_tostring(L, -1);   /* anchored in the names table */
    lua_pop(L, 1);
    if (nacols && by_column(L, nacols, cname, c)) collect_na(L, na_list, lua_gettop(L), r.keep_default, &colna);
    if (dtypes && by_column(L, dtypes, cname, c)) forced = lua_tostring(L, -1);
    csv_column k = {&r, t, &cols, c, cname, &colna.na};
    const char *kname = push_column(L, &k, column_kind(L, &k, isdate[c + 1], forced));
    lua_seti(L, ocols, u + 1);
    lua_pushstring(L, kname);
    lua_seti(L, okinds, u + 1);
    lua_settop(L, top);
  }
  /* the columns are copies: the text and the tokens go now, not at the next
     GC cycle (the collector does not see their size, reading several files
     piled them up) */
  box_release(box);
  lua_pushinteger(L, ndata);
  return 4;
}

/* {=====================================================================
 * Writing
 * ====================================================================== */

/* Shortest "%.*g" that reads back to the same double (Python's repr). */
static int fmt_double (char *buf, double v) {
  if (isnan(v)) return 0;
  if (isinf(v)) return sprintf(buf, v > 0 ? "inf" : "-inf");
  for (int p = 1; p <= 17; p++) {
    int n = snprintf(buf, 32, "%.*g", p, v);
    if (strtod(buf, NULL) == v) {
      /* Python writes integral floats with ".0" */
      if (!strpbrk(buf, ".eEn")) { buf[n++] = '.'; buf[n++] = '0'; buf[n] = 0; }
      return n;
    }
  }
  return snprintf(buf, 32, "%.17g", v);
}

static void add_quoted (luaL_Buffer *b, const char *s, size_t n, char sep) {
  int need = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r') { need = 1; break; }
  if (!need) { luaL_addlstring(b, s, n); return; }
  luaL_addchar(b, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') luaL_addchar(b, '"');
    luaL_addchar(b, s[i]);
  }
  luaL_addchar(b, '"');
}

/* write_csv(path, names, columns, kinds, sep, na_rep): columns as read_csv
 * gives them (arrays; string tables; datetime int64). */
static int fc_write_csv (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  const char *seps = luaL_optstring(L, 5, ",");
  size_t nalen;
  const char *narep = luaL_optlstring(L, 6, "", &nalen);
  char sep = seps[0];
  int ncol = (int)luaL_len(L, 2);
  int64_t nrows = 0;
  int base = lua_gettop(L);
  for (int k = 1; k <= ncol; k++) {   /* columns at base+k, kinds checked */
    lua_geti(L, 3, k);
    gl_array *a = gl_array_test(L, -1);
    int64_t n = a ? a->size : (int64_t)luaL_len(L, -1);
    if (k == 1) nrows = n;
    else if (n != nrows) return gl_error(L, "DataFrame.to_csv", "columns have different lengths");
    if (a && !gl_array_is_contiguous(a)) { gl_array_push_copy(L, a, a->dtype); lua_replace(L, -2); }
  }
  int *isdt = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)(ncol + 1), 0);
  int *digs = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)(ncol + 1), 0);
  for (int k = 1; k <= ncol; k++) {
    lua_geti(L, 4, k);
    isdt[k] = !strcmp(luaL_checkstring(L, -1), "datetime");
    lua_pop(L, 1);
    if (isdt[k]) {
      gl_array *a = gl_array_check(L, base + k);
      digs[k] = gl_dt_column_digits(a->size, (const int64_t *)a->data);
      if (digs[k] < 0) digs[k] = -1;
    }
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int k = 1; k <= ncol; k++) {
    size_t n;
    lua_geti(L, 2, k);
    const char *s = lua_tolstring(L, -1, &n);
    lua_pop(L, 1);   /* the buffer may sit on the stack: keep it on top */
    if (k > 1) luaL_addchar(&b, sep);
    add_quoted(&b, s, n, sep);
  }
  luaL_addchar(&b, '\n');
  char num[64];
  for (int64_t r = 0; r < nrows; r++) {
    if ((r & 0xffff) == 0xffff && gl_interrupted()) return gl_kernel_error(L, "DataFrame.to_csv", GL_EINTR);
    for (int k = 1; k <= ncol; k++) {
      if (k > 1) luaL_addchar(&b, sep);
      gl_array *a = gl_array_test(L, base + k);
      if (isdt[k]) {
        int64_t v = ((const int64_t *)a->data)[r];
        if (v == GL_NAT) luaL_addlstring(&b, narep, nalen);
        else luaL_addlstring(&b, num, (size_t)gl_dt_format(v, digs[k], num));
      } else if (a) {
        switch (a->dtype) {
          case GL_FLOAT64: case GL_FLOAT32: {
            double v = gl_array_getd(a, r);
            int n = fmt_double(num, v);
            if (n == 0) luaL_addlstring(&b, narep, nalen);
            else luaL_addlstring(&b, num, (size_t)n);
            break;
          }
          case GL_BOOL:
            luaL_addstring(&b, gl_array_getd(a, r) != 0 ? "True" : "False");
            break;
          default:
            luaL_addlstring(&b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)gl_array_getd(a, r)));
        }
      } else {
        lua_geti(L, base + k, r + 1);
        size_t n;
        if (lua_type(L, -1) == LUA_TSTRING) {
          const char *s = lua_tolstring(L, -1, &n);
          lua_pop(L, 1);
          add_quoted(&b, s, n, sep);
        } else if (lua_toboolean(L, -1) || lua_type(L, -1) == LUA_TNUMBER) {
          const char *s = luaL_tolstring(L, -1, &n);
          snprintf(num, sizeof num, "%s", s);   /* copy: the string is unanchored after pop */
          lua_pop(L, 2);
          add_quoted(&b, num, strlen(num), sep);
        } else {
          lua_pop(L, 1);
          luaL_addlstring(&b, narep, nalen);
        }
      }
    }
    luaL_addchar(&b, '\n');
  }
  luaL_pushresult(&b);
  size_t n;
  const char *out = lua_tolstring(L, -1, &n);
  gl_ioerr err;
  gl_ioerr_clear(&err);
  int rc = gl_file_write(path, out, n, gl_path_endswith(path, ".gz"), &err);
  if (rc == GL_EINTR) return gl_kernel_error(L, "DataFrame.to_csv", rc);
  if (rc) return gl_error(L, "DataFrame.to_csv", "cannot write '%s': %s", path, err.msg);
  return 0;
}

/* parse_number(s) -> number or nil: the reader's number syntax. */
static int fc_parse_number (lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  double v;
  int64_t i;
  if (gl_parse_i64(s, n, 0, &i)) lua_pushinteger(L, i);
  else if (gl_parse_f64(s, n, '.', 0, &v)) lua_pushnumber(L, v);
  else lua_pushnil(L);
  return 1;
}

/* glob(pattern) -> sorted list of matching paths (possibly empty). The
 * glob_t lives in a userdata whose __gc frees it: pushing a path may raise. */
static int glob_gc (lua_State *L) {
  glob_t *g = (glob_t *)lua_touserdata(L, 1);
  globfree(g);
  memset(g, 0, sizeof *g);
  return 0;
}

static int fc_glob (lua_State *L) {
  const char *pat = luaL_checkstring(L, 1);
  glob_t *g = (glob_t *)lua_newuserdatauv(L, sizeof *g, 0);
  memset(g, 0, sizeof *g);
  gl_newmetatable(L, "geolab.Glob", NULL, glob_gc);
  lua_setmetatable(L, -2);
  int rc = glob(pat, 0, NULL, g);
  lua_newtable(L);
  if (rc == 0)
    for (size_t i = 0; i < g->gl_pathc; i++) {
      lua_pushstring(L, g->gl_pathv[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  return 1;
}

void gl_frame_open_csv (lua_State *L) {
  static const luaL_Reg fns[] = {
    {"glob", fc_glob},
    {"parse_number", fc_parse_number},
    {"read_csv", fc_read_csv},
    {"write_csv", fc_write_csv},
    {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
