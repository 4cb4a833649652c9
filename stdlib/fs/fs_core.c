/* fs_core.c: luaopen_geolab_fs_core, the C half of the fs module
 * (stdlib/fs/fs.lua is the front): the POSIX calls Lua lacks (directory
 * listing, stat, mkdir, rmdir, fnmatch). A thin binding over libc: there is
 * no numerical kernel to separate. Failures return nil and the strerror text,
 * and the front words the error with the public function's name. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>

#include "gl_path.h"

static int push_errno (lua_State *L) {
  int e = errno;
  lua_pushnil(L);
  lua_pushstring(L, strerror(e));
  lua_pushinteger(L, e);
  return 3;
}

/* nil, why, EACCES when the grading sandbox refuses path (gl_path.h) */
static int denied (lua_State *L, const char *path, int mode) {
  const char *why = gl_path_denied(path, mode);
  if (why == NULL) return 0;
  lua_pushnil(L);
  lua_pushstring(L, why);
  lua_pushinteger(L, EACCES);
  return 3;
}

static int cmp_str (const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* listdir(path) -> sorted list of names (no "." and ".."), or nil, message.
 * Sorted by bytes, so that scripts see the same order on every machine. */
static int fs_listdir (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (denied(L, path, GL_PATH_READ)) return 3;
  DIR *d = opendir(path);
  if (!d) return push_errno(L);
  size_t n = 0, cap = 64;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  int ok = names != NULL;
  while (ok && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (n == cap) {
      char **t = realloc(names, 2 * cap * sizeof *names);
      if (!t) { ok = 0; break; }
      names = t; cap *= 2;
    }
    if (!(names[n] = strdup(e->d_name))) { ok = 0; break; }
    n++;
  }
  closedir(d);
  if (ok) qsort(names, n, sizeof *names, cmp_str);
  lua_createtable(L, ok ? (int)n : 0, 0);
  for (size_t i = 0; i < n; i++) {
    if (ok) { lua_pushstring(L, names[i]); lua_rawseti(L, -2, (lua_Integer)i + 1); }
    free(names[i]);
  }
  free(names);
  if (!ok) return luaL_error(L, "fs.listdir: not enough memory");
  return 1;
}

/* stat(path[, follow]) -> kind ("file", "dir", "link", "other"), size, mtime;
 * or nil, message when the path does not exist. */
static int fs_stat (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int follow = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
  if (denied(L, path, GL_PATH_READ)) return 3;
  struct stat st;
  if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) return push_errno(L);
  const char *kind = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir"
                   : S_ISLNK(st.st_mode) ? "link" : "other";
  lua_pushstring(L, kind);
  lua_pushinteger(L, (lua_Integer)st.st_size);
  lua_pushnumber(L, (lua_Number)st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9);
  return 3;
}

static int fs_mkdir (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (denied(L, path, GL_PATH_WRITE)) return 3;
  if (mkdir(path, 0777) != 0) return push_errno(L);
  lua_pushboolean(L, 1);
  return 1;
}

static int fs_rmdir (lua_State *L) {
  if (denied(L, luaL_checkstring(L, 1), GL_PATH_WRITE)) return 3;
  if (rmdir(luaL_checkstring(L, 1)) != 0) return push_errno(L);
  lua_pushboolean(L, 1);
  return 1;
}

static int fs_getcwd (lua_State *L) {
  char buf[4096];
  if (!getcwd(buf, sizeof buf)) return push_errno(L);
  lua_pushstring(L, buf);
  return 1;
}

/* fnmatch(pattern, name): Python's fnmatch rules (no backslash escapes). */
static int fs_fnmatch (lua_State *L) {
  lua_pushboolean(L, fnmatch(luaL_checkstring(L, 1), luaL_checkstring(L, 2), FNM_NOESCAPE) == 0);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"fnmatch", fs_fnmatch}, {"getcwd", fs_getcwd}, {"listdir", fs_listdir},
  {"mkdir", fs_mkdir}, {"rmdir", fs_rmdir}, {"stat", fs_stat},
  {NULL, NULL}
};

int luaopen_geolab_fs_core (lua_State *L) {
  luaL_newlib(L, funcs);
  return 1;
}
