/* complete.c: tab completion of globals, table fields and methods.
 *
 * The word before the cursor, like `np.random.no` or `a:res`, is split at its
 * last '.' or ':'; the part before is resolved from the globals with raw reads
 * (never running __index functions: completion must not run user code), and
 * the names after it are the string keys of that value, of the tables its
 * metatable's __index chain leads to, and, for a userdata or table whose __index is a
 * function (like arrays), the keys of its metatable field __methods and the
 * names listed in __fields (after '.'), and a frame's column names that are
 * Lua names (`df.` completes `df.depth`, as pandas' attribute access). Inside
 * a string, file names are completed instead, or a frame's columns after
 * `df["`. The REPL (readline) and the Jupyter kernel (vm_complete_line)
 * share these rules. */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdio.h>
#include <dirent.h>
#include <sys/stat.h>

#include <readline/readline.h>

#include "host.h"

#define CMP_DEPTH 8   /* __index links followed */

/* readline's completion hooks take no user data. */
static lua_State *cmp_L = NULL;
static char **cmp_list = NULL;
static int cmp_n = 0, cmp_i = 0;

static const char *const cmp_keywords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
  "true", "until", "while", NULL
};

static int cmp_isname (const char *s, size_t len) {
  size_t i;
  if (len == 0 || isdigit((unsigned char)s[0])) return 0;
  for (i = 0; i < len; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '_') return 0;
  return 1;
}

/* Pushes the table __index of the value at idx leads to, or returns 0. */
static int cmp_index_table (lua_State *L, int idx, const char *field) {
  if (!lua_getmetatable(L, idx)) return 0;
  lua_pushstring(L, field);
  lua_rawget(L, -2);
  lua_remove(L, -2);
  if (lua_istable(L, -1)) return 1;
  lua_pop(L, 1);
  return 0;
}

/* Replaces the value on top by its field `name` (nil if none), looking in
 * tables and, through raw reads, in their __index tables. */
static void cmp_field (lua_State *L, const char *name, size_t len) {
  int depth;
  for (depth = 0; depth < CMP_DEPTH; depth++) {
    if (lua_istable(L, -1)) {
      lua_pushlstring(L, name, len);
      lua_rawget(L, -2);
      if (!lua_isnil(L, -1)) { lua_remove(L, -2); return; }
      lua_pop(L, 1);
    }
    if (!cmp_index_table(L, -1, "__index") &&
        !(cmp_index_table(L, -1, "__methods")))
      break;
    lua_remove(L, -2);
  }
  lua_pop(L, 1);
  lua_pushnil(L);
}

/* Adds to the result table (at res) prefix..key for each string key of the
 * table on top that starts with `part`; only functions when `methods`. */
static void cmp_keys (lua_State *L, int res, const char *prefix,
                      const char *part, int methods) {
  size_t plen = strlen(part);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      size_t klen;
      const char *k = lua_tolstring(L, -2, &klen);
      int ok = cmp_isname(k, klen) && strncmp(k, part, plen) == 0 &&
               (part[0] == '_' || k[0] != '_');   /* hide private fields and metamethods */
      if (ok && methods && lua_type(L, -1) != LUA_TFUNCTION) {   /* callable? */
        ok = luaL_getmetafield(L, -1, "__call") != LUA_TNIL;
        if (ok) lua_pop(L, 1);
      }
      if (ok) {
        lua_pushfstring(L, "%s%s", prefix, k);
        lua_pushboolean(L, 1);
        lua_rawset(L, res);
      }
    }
    lua_pop(L, 1);
  }
}

/* Adds prefix..name for each name listed (as keys or as string values) in
 * the table on top that starts with `part` (the __fields of a userdata). */
static void cmp_listed (lua_State *L, int res, const char *prefix, const char *part) {
  size_t plen = strlen(part);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    int i = lua_type(L, -1) == LUA_TSTRING ? -1 : -2;
    size_t len;
    const char *k = lua_type(L, i) == LUA_TSTRING ? lua_tolstring(L, i, &len) : NULL;
    if (k != NULL && cmp_isname(k, len) && strncmp(k, part, plen) == 0 &&
        (part[0] == '_' || k[0] != '_')) {
      lua_pushfstring(L, "%s%s", prefix, k);
      lua_pushboolean(L, 1);
      lua_rawset(L, res);
    }
    lua_pop(L, 1);
  }
}

/* Is the value at idx a frame (its metatable named geolab.DataFrame, read raw)? */
static int cmp_is_frame (lua_State *L, int idx) {
  int frame = 0;
  if (lua_istable(L, idx) && lua_getmetatable(L, idx)) {
    lua_pushliteral(L, "__name");
    lua_rawget(L, -2);
    frame = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "geolab.DataFrame") == 0;
    lua_pop(L, 2);
  }
  return frame;
}

/* Adds prefix..name for the columns of the frame on top whose names are
 * Lua names starting with part (`df.de` -> `df.depth`). */
static void cmp_frame_columns (lua_State *L, int res, const char *prefix, const char *part) {
  if (!cmp_is_frame(L, -1)) return;
  lua_pushliteral(L, "_names");
  if (lua_rawget(L, -2) == LUA_TTABLE) cmp_listed(L, res, prefix, part);
  lua_pop(L, 1);
}

/* Collects the candidates of the value on top (and its __index chain). */
static void cmp_collect (lua_State *L, int res, const char *prefix,
                         const char *part, int methods) {
  int depth;
  for (depth = 0; depth < CMP_DEPTH; depth++) {
    if (lua_istable(L, -1)) cmp_keys(L, res, prefix, part, methods);
    if (cmp_index_table(L, -1, "__methods")) {
      cmp_keys(L, res, prefix, part, methods);
      lua_pop(L, 1);
    }
    if (!methods && cmp_index_table(L, -1, "__fields")) {
      cmp_listed(L, res, prefix, part);
      lua_pop(L, 1);
    }
    if (!cmp_index_table(L, -1, "__index")) break;
    lua_remove(L, -2);
  }
  lua_pop(L, 1);
}

/* Returns the result table at res from cmp_find. */
static int cmp_done (lua_State *L, int res) {
  lua_settop(L, res);
  return 1;
}

/* Globals that load on first use (stdlib/core/geolab.c) are listed in the global
 * table's metatable field __lazy: offer their names, and load the one being
 * completed into (our own module code, so running it is safe). */
static void cmp_lazy (lua_State *L, int res, const char *text) {
  const char *dot = strpbrk(text, ".:");
  size_t n = dot ? (size_t)(dot - text) : strlen(text);
  if (!lua_getmetatable(L, -1)) return;
  if (lua_getfield(L, -1, "__lazy") == LUA_TTABLE) {
    if (dot) {
      lua_pushlstring(L, text, n);
      if (lua_rawget(L, -2) != LUA_TNIL) {
        lua_pushlstring(L, text, n);
        lua_gettable(L, -5);             /* _G[name]: loads the module */
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    } else {
      cmp_listed(L, res, "", text);
    }
  }
  lua_pop(L, 2);
}

/* Lua-callable: text -> set of completions {["np.linspace"] = true, ...}. */
int vm_complete_find (lua_State *L) {
  const char *text = luaL_checkstring(L, 1);
  const char *sep = strpbrk(text, ".:"), *last = NULL, *p;
  int res;
  lua_newtable(L);
  res = lua_gettop(L);
  for (p = sep; p != NULL; p = strpbrk(p + 1, ".:")) last = p;
  lua_pushglobaltable(L);
  cmp_lazy(L, res, text);
  if (last == NULL) {   /* a global or a keyword */
    const char *const *kw;
    size_t n = strlen(text);
    for (kw = cmp_keywords; *kw != NULL; kw++)
      if (strncmp(*kw, text, n) == 0) {
        lua_pushboolean(L, 1);
        lua_setfield(L, res, *kw);
      }
    cmp_collect(L, res, "", text, 0);
    return cmp_done(L, res);
  }
  p = strchr(text, ':');
  if (p != NULL && p != last) return cmp_done(L, res);   /* a ':' must be the last separator */
  for (p = text; p < last; ) {   /* walk a.b.c */
    const char *dot = memchr(p, '.', (size_t)(last - p));
    const char *end = dot != NULL ? dot : last;
    if (!cmp_isname(p, (size_t)(end - p))) return cmp_done(L, res);
    cmp_field(L, p, (size_t)(end - p));
    if (lua_isnil(L, -1)) return cmp_done(L, res);
    p = end + 1;
  }
  lua_pushlstring(L, text, (size_t)(last - text + 1));
  lua_insert(L, -2);   /* keep the value on top */
  if (*last == '.') cmp_frame_columns(L, res, lua_tostring(L, -2), last + 1);
  cmp_collect(L, res, lua_tostring(L, -2), last + 1, *last == ':');
  return cmp_done(L, res);
}

/* {===== completion of a line (the Jupyter kernel's complete_request) */
#define CMP_MAX_FILES 1000

/* The level of a long bracket [==[ at s[i], or -1. */
static int cmp_long_bracket (const char *s, size_t n, size_t i) {
  size_t j = i + 1;
  if (i >= n || s[i] != '[') return -1;
  while (j < n && s[j] == '=') j++;
  return j < n && s[j] == '[' ? (int)(j - i - 1) : -1;
}

/* The offset after the long string or comment opened at s[i] (level lvl),
 * or n when it is not closed. */
static size_t cmp_skip_long (const char *s, size_t n, size_t i, int lvl) {
  for (i += (size_t)lvl + 2; i < n; i++) {
    if (s[i] != ']') continue;
    size_t j = i + 1;
    while (j < n && s[j] == '=') j++;
    if (j < n && s[j] == ']' && (int)(j - i - 1) == lvl) return j + 1;
  }
  return n;
}

/* When the end of s is inside a short string literal: the offset just after
 * its opening quote; else -1 (code, a comment or a long string). */
static long cmp_open_string (const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      size_t start = ++i;
      while (i < n && s[i] != c && s[i] != '\n') i += s[i] == '\\' ? 2 : 1;
      if (i >= n) return (long)start;
      i++;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      int lvl = cmp_long_bracket(s, n, i + 2);
      if (lvl >= 0) i = cmp_skip_long(s, n, i + 2, lvl);
      else while (i < n && s[i] != '\n') i++;
    } else if (c == '[' && cmp_long_bracket(s, n, i) >= 0) {
      i = cmp_skip_long(s, n, i, cmp_long_bracket(s, n, i));
    } else i++;
  }
  return -1;
}

/* Pushes the value the name path expr (`df`, `t.data`) holds, read raw, or nil. */
static void cmp_path_value (lua_State *L, const char *expr, size_t len) {
  const char *p = expr, *end = expr + len;
  lua_pushglobaltable(L);
  while (p < end) {
    const char *dot = memchr(p, '.', (size_t)(end - p));
    const char *e = dot != NULL ? dot : end;
    if (!cmp_isname(p, (size_t)(e - p))) { lua_pop(L, 1); lua_pushnil(L); return; }
    cmp_field(L, p, (size_t)(e - p));
    if (lua_isnil(L, -1)) return;
    p = e + 1;
  }
}

/* Inside `df["` (quote at s[q]): adds the frame's column names that start
 * with text and returns 1; 0 when the string is not a frame's subscript. */
static int cmp_subscript_columns (lua_State *L, int res, const char *s, size_t q, const char *text) {
  if (q < 2 || s[q - 1] != '[') return 0;
  size_t e = q - 1, b = e;
  while (b > 0 && (isalnum((unsigned char)s[b - 1]) || s[b - 1] == '_' || s[b - 1] == '.')) b--;
  if (b == e) return 0;
  cmp_path_value(L, s + b, e - b);
  int frame = cmp_is_frame(L, -1);
  if (frame) {
    size_t tl = strlen(text);
    lua_pushliteral(L, "_names");
    if (lua_rawget(L, -2) == LUA_TTABLE) {
      lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
      for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, i) == LUA_TSTRING && strncmp(lua_tostring(L, -1), text, tl) == 0) {
          lua_pushboolean(L, 1);
          lua_rawset(L, res);
        } else lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return frame;
}

/* Adds the files whose path starts with text (relative to the current
 * folder, or absolute), folders with a '/' after them; dot files only when
 * the name typed starts with a dot. */
static void cmp_files (lua_State *L, int res, const char *text) {
  const char *slash = strrchr(text, '/');
  const char *base = slash != NULL ? slash + 1 : text;
  size_t dlen = slash != NULL ? (size_t)(slash - text) + 1 : 0, blen = strlen(base);
  char dir[4096], path[8192];
  if (dlen >= sizeof dir) return;
  if (dlen == 0) strcpy(dir, ".");
  else { memcpy(dir, text, dlen); dir[dlen] = '\0'; }
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  int count = 0;
  while ((e = readdir(d)) != NULL && count < CMP_MAX_FILES) {
    const char *nm = e->d_name;
    if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0) continue;
    if (strncmp(nm, base, blen) != 0 || (nm[0] == '.' && base[0] != '.')) continue;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, nm);
    int isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    lua_pushlstring(L, text, dlen);   /* what was typed up to its last '/', then the entry */
    lua_pushfstring(L, "%s%s", nm, isdir ? "/" : "");
    lua_concat(L, 2);
    lua_pushboolean(L, 1);
    lua_rawset(L, res);
    count++;
  }
  closedir(d);
}

int vm_complete_line (lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  long q = cmp_open_string(s, n);
  if (q >= 0) {   /* inside a string: columns of df["..., else files */
    lua_settop(L, 1);
    lua_newtable(L);
    const char *text = s + q;
    if (strlen(text) != n - (size_t)q) { lua_pushinteger(L, (lua_Integer)n); return 2; }   /* a NUL */
    if (!cmp_subscript_columns(L, 2, s, (size_t)q - 1, text)) cmp_files(L, 2, text);
    lua_pushinteger(L, q);
    return 2;
  }
  size_t b = n;   /* the name before the cursor: np.random.no, df:gr */
  while (b > 0 && (isalnum((unsigned char)s[b - 1]) || s[b - 1] == '_' || s[b - 1] == '.' || s[b - 1] == ':')) b--;
  lua_settop(L, 1);   /* keeps s alive */
  lua_pushcfunction(L, vm_complete_find);
  lua_pushlstring(L, s + b, n - b);
  lua_call(L, 1, 1);
  lua_pushinteger(L, (lua_Integer)b);
  return 2;
}
/* =====} */

static void cmp_clear (void) {
  while (cmp_i < cmp_n) free(cmp_list[cmp_i++]);
  free(cmp_list);
  cmp_list = NULL;
  cmp_n = cmp_i = 0;
}

/* Fills cmp_list from cmp_find, run protected so that nothing can escape
 * into readline. */
static void cmp_fill (const char *text) {
  lua_State *L = cmp_L;
  int top = lua_gettop(L);
  cmp_clear();
  lua_pushcfunction(L, vm_complete_find);
  lua_pushstring(L, text);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) { n++; lua_pop(L, 1); }
    cmp_list = malloc(sizeof(char *) * (size_t)(n + 1));
    if (cmp_list != NULL) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        char *s = strdup(lua_tostring(L, -2));
        if (s != NULL) cmp_list[cmp_n++] = s;
        lua_pop(L, 1);
      }
    }
  }
  lua_settop(L, top);
}

/* readline generator: state 0 starts a new completion; readline frees what
 * it is given. */
static char *cmp_next (const char *text, int state) {
  if (state == 0) cmp_fill(text);
  if (cmp_i < cmp_n) {
    char *s = cmp_list[cmp_i];
    cmp_list[cmp_i++] = NULL;
    return s;
  }
  return NULL;
}

/* Lua-callable: expr -> the column names of the frame that the name path
 * expr (`df`, `t.data`) holds, read raw so that no user code runs. */
static int cmp_columns (lua_State *L) {
  size_t len;
  const char *expr = luaL_checklstring(L, 1, &len);
  lua_newtable(L);
  cmp_path_value(L, expr, len);
  if (cmp_is_frame(L, -1)) {
    lua_pushliteral(L, "_names");
    if (lua_rawget(L, -2) == LUA_TTABLE) {
      lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
      for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_rawseti(L, 2, i);
      }
    }
  }
  lua_settop(L, 2);
  return 1;
}

/* Inside `df["` (or `df['`): the frame's column names that start with text,
 * or NULL when the string is not a frame's subscript. */
static char **cmp_column_matches (const char *text, int start) {
  int q = start - 1;   /* the opening quote */
  if (q < 1 || (rl_line_buffer[q] != '"' && rl_line_buffer[q] != '\'') || rl_line_buffer[q - 1] != '[')
    return NULL;
  int e = q - 1, b = e;
  while (b > 0 && (isalnum((unsigned char)rl_line_buffer[b - 1]) || rl_line_buffer[b - 1] == '_' ||
                   rl_line_buffer[b - 1] == '.')) b--;
  if (b == e) return NULL;
  lua_State *L = cmp_L;
  int top = lua_gettop(L);
  char **m = NULL;
  lua_pushcfunction(L, cmp_columns);
  lua_pushlstring(L, rl_line_buffer + b, (size_t)(e - b));
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    lua_Integer n = luaL_len(L, -1), k = 0;
    size_t tl = strlen(text);
    m = calloc((size_t)n + 2, sizeof(char *));
    for (lua_Integer i = 1; m != NULL && i <= n; i++) {
      lua_geti(L, -1, i);
      const char *c = lua_tostring(L, -1);
      if (c != NULL && strncmp(c, text, tl) == 0) m[++k] = strdup(c);
      lua_pop(L, 1);
    }
    if (m != NULL && k == 0) { free(m); m = NULL; }
    else if (m != NULL && k == 1) { m[0] = m[1]; m[1] = NULL; }
    else if (m != NULL) {   /* m[0]: the common prefix of the matches */
      size_t l = strlen(m[1]);
      for (lua_Integer i = 2; i <= k; i++) {
        size_t j = 0;
        while (j < l && m[i][j] == m[1][j]) j++;
        l = j;
      }
      m[0] = strndup(m[1], l);
    }
  }
  lua_settop(L, top);
  if (m != NULL) {   /* the user closes the string: df["alpha"] */
    rl_attempted_completion_over = 1;
    rl_completion_suppress_quote = 1;
    rl_completion_append_character = '\0';
  }
  return m;
}

/* readline's word breaks for this completion: an absolute path typed outside
 * a string (`dofile(/usr/sh`) is one word, slashes and dashes included. */
static char *cmp_word_breaks (void) {
  static char path_breaks[] = " \t\n\"'`><=;|&{}()[],+*%^~#";
  int b = rl_point;
  while (b > 0 && !strchr(" \t\n(,=\"'", rl_line_buffer[b - 1])) b--;
  return rl_line_buffer[b] == '/' ? path_breaks : NULL;
}

static char **cmp_attempt (const char *text, int start, int end) {
  (void)end;
  if (rl_completion_quote_character != 0) {   /* inside a string: columns or file names */
    char **cols = cmp_column_matches(text, start);
    if (cols != NULL) return cols;
    return rl_completion_matches(text, rl_filename_completion_function);
  }
  if (text[0] == '/')   /* an absolute path */
    return rl_completion_matches(text, rl_filename_completion_function);
  rl_attempted_completion_over = 1;   /* never fall back to file names */
  rl_completion_append_character = '\0';
  return rl_completion_matches(text, cmp_next);
}

void vm_complete_init (lua_State *L) {
  cmp_L = L;
  rl_attempted_completion_function = cmp_attempt;
  /* '.' and ':' are not breaks, so the whole `np.random.no` is one word */
  rl_basic_word_break_characters = " \t\n\"'`><=;|&{}()[],+-*/%^~#";
  rl_completer_word_break_characters = rl_basic_word_break_characters;
  rl_completion_word_break_hook = cmp_word_breaks;
  rl_completer_quote_characters = "\"'";
}
