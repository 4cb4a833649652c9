/* sandbox_paths.c: the file rule of the grading sandbox (geolab grade). A
 * script may read under --data, its own folder and --out, and write only
 * under --out. The rule is one function installed as geolab's path check
 * (kernels/core/gl_path.h), which every geolab reader and writer calls, and
 * which the child's Lua wrappers of io.open, os.remove... call too. Paths are
 * resolved first (realpath: symbolic links and `..`), so neither escapes.
 * A refusal is also written to the refusal log that the grader reads back,
 * so a script that swallows the error with pcall is still reported.
 * Landlock (sandbox_landlock.c) enforces the same folders in the kernel
 * where it can, which also closes the race between this check and the open. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "gl_path.h"

#define SP_MAXROOTS 8
#define SP_MAXLOG 200   /* refusals logged: a loop of them must not fill the disk */

/* Process-wide like the hook itself: set once in the grading child, before
 * the script runs. */
static struct {
  char *read[SP_MAXROOTS], *write[SP_MAXROOTS];
  int nread, nwrite, logfd, nlogged;
} sp = {.logfd = -1};

/* Appends "what path\n" to the refusal log. */
static void sp_log (const char *what, const char *path) {
  if (sp.logfd < 0 || sp.nlogged >= SP_MAXLOG) return;
  char line[PATH_MAX + 64];
  int n = snprintf(line, sizeof line, "%s\t%s\n", what, path);
  if (n > (int)sizeof line - 1) n = (int)sizeof line - 1;
  if (n > 0 && write(sp.logfd, line, (size_t)n) == n) sp.nlogged++;
}

static int under (const char *p, char *const *roots, int n) {
  for (int i = 0; i < n; i++) {
    size_t k = strlen(roots[i]);
    if (strncmp(p, roots[i], k) == 0 && (p[k] == '\0' || p[k] == '/' || (k == 1 && roots[i][0] == '/')))
      return 1;
  }
  return 0;
}

/* The real path of p into out (PATH_MAX bytes): realpath of the longest
 * existing prefix, then the rest, which must hold no `..` (it names nothing
 * yet, so holds no link). 0 when p cannot be resolved. */
static int sp_resolve (const char *p, char *out) {
  char buf[PATH_MAX], *cut;
  if (realpath(p, out) != NULL) return 1;
  if (strlen(p) >= sizeof buf) return 0;
  strcpy(buf, p);
  for (;;) {
    cut = strrchr(buf, '/');
    const char *rest;
    if (cut == NULL) {   /* a relative name with no existing part: the cwd */
      if (realpath(".", out) == NULL) return 0;
      rest = p;
    } else {
      *cut = '\0';
      if (realpath(*buf ? buf : "/", out) == NULL) continue;
      rest = p + (cut - buf) + 1;
    }
    /* the unresolved rest: no ".." component */
    for (const char *q = rest; *q; ) {
      size_t len = strcspn(q, "/");
      if (len == 2 && q[0] == '.' && q[1] == '.') return 0;
      q += len + (q[len] == '/');
    }
    if (strlen(out) + strlen(rest) + 2 > PATH_MAX) return 0;
    if (*rest) { if (strcmp(out, "/") != 0) strcat(out, "/"); strcat(out, rest); }
    return 1;
  }
}

static const char *sp_check (const char *path, int mode) {
  char real[PATH_MAX];
  int ok = sp_resolve(path, real);
  if (mode == GL_PATH_WRITE) {
    if (ok && under(real, sp.write, sp.nwrite)) return NULL;
    sp_log("write", path);
    return "not allowed by the grading sandbox (files are written only under the --out folder)";
  }
  if (ok && (under(real, sp.read, sp.nread) || under(real, sp.write, sp.nwrite))) return NULL;
  sp_log("read", path);
  return "not allowed by the grading sandbox (files are read only under --data, the script's folder and --out)";
}

static void add_roots (lua_State *L, int idx, char **roots, int *n) {
  luaL_checktype(L, idx, LUA_TTABLE);
  for (lua_Integer i = 1; lua_geti(L, idx, i) != LUA_TNIL; i++) {
    char real[PATH_MAX];
    const char *p = luaL_checkstring(L, -1);
    if (*n >= SP_MAXROOTS) luaL_error(L, "grade: too many sandbox folders");
    if (realpath(p, real) == NULL) luaL_error(L, "grade: cannot resolve folder '%s': %s", p, strerror(errno));
    roots[(*n)++] = strdup(real);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* sandbox_paths(readroots, writeroots, logpath): installs the rule. */
static int sp_install (lua_State *L) {
  const char *logpath = luaL_checkstring(L, 3);
  add_roots(L, 1, sp.read, &sp.nread);
  add_roots(L, 2, sp.write, &sp.nwrite);
  sp.logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (sp.logfd < 0) return luaL_error(L, "grade: cannot open %s: %s", logpath, strerror(errno));
  gl_path_set_check(sp_check);
  return 0;
}

/* sandbox_check(path, "r"|"w") -> nil | why (and logs the refusal) */
static int sp_lcheck (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_checkstring(L, 2);
  const char *why = gl_path_denied(path, mode[0] == 'w' ? GL_PATH_WRITE : GL_PATH_READ);
  if (why == NULL) return 0;
  lua_pushstring(L, why);
  return 1;
}

/* sandbox_refuse(what, detail): logs a refused call (os.execute...). */
static int sp_refuse (lua_State *L) {
  sp_log(luaL_checkstring(L, 1), luaL_optstring(L, 2, ""));
  return 0;
}

void vm_sandbox_paths_funcs (lua_State *L) {
  static const luaL_Reg f[] = {{"sandbox_check", sp_lcheck}, {"sandbox_paths", sp_install},
                               {"sandbox_refuse", sp_refuse}, {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
