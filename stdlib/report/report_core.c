/* report_core.c: the C helpers of geolab report/run --manifest (issue 16):
 * capture of what a cell writes on stdout/stderr, SHA-256 of strings and
 * files, clocks, and the list of files written since a time. The engine is
 * Lua (report.lua); these are the few things Lua cannot do. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>

#include "gl_path.h"
#include "gl_types.h"
#include "sha256.h"

/* {===== capture: fd 1 and 2 go to temporary files while a cell runs.
 * At the descriptor level, so that print, io.write, io.stdout:write and any C
 * code are all caught, in order. The saved descriptors live in a userdata
 * (no C statics: several states may capture, one at a time per process). */
typedef struct capture { int saved[2]; FILE *tmp[2]; int on; } capture;

/* An anonymous memory file where the kernel has them: no file in /tmp, which
 * the grading sandbox does not let a script reach; a tmpfile() otherwise. */
static FILE *capture_file (void) {
#ifdef MFD_CLOEXEC
  int fd = memfd_create("geolab-capture", MFD_CLOEXEC);
  if (fd >= 0) {
    FILE *f = fdopen(fd, "w+b");
    if (f != NULL) return f;
    close(fd);
  }
#endif
  return tmpfile();
}

static capture *get_capture (lua_State *L) {
  return (capture *)lua_touserdata(L, lua_upvalueindex(1));
}

static void restore (capture *c) {
  fflush(stdout); fflush(stderr);
  for (int i = 0; i < 2; i++) {
    if (c->saved[i] >= 0) { dup2(c->saved[i], i + 1); close(c->saved[i]); c->saved[i] = -1; }
  }
  c->on = 0;
}

/* capture_begin(): from now on fd 1 and 2 write to fresh temporary files. */
static int rc_capture_begin (lua_State *L) {
  capture *c = get_capture(L);
  if (c->on) return luaL_error(L, "report: output capture already on");
  fflush(stdout); fflush(stderr);
  for (int i = 0; i < 2; i++) {
    c->tmp[i] = capture_file();
    c->saved[i] = dup(i + 1);
    if (c->tmp[i] == NULL || c->saved[i] < 0 || dup2(fileno(c->tmp[i]), i + 1) < 0) {
      int e = errno;
      c->on = 1;
      restore(c);
      for (int k = 0; k < 2; k++) if (c->tmp[k]) { fclose(c->tmp[k]); c->tmp[k] = NULL; }
      return luaL_error(L, "report: cannot capture output (%s)", strerror(e));
    }
  }
  c->on = 1;
  return 0;
}

/* Pushes at most max bytes of f from its start, and the full size. */
static void push_file (lua_State *L, FILE *f, long max) {
  luaL_Buffer b;
  long size;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  rewind(f);
  if (size < 0) size = 0;
  long n = size < max ? size : max;
  char *p = luaL_buffinitsize(L, &b, (size_t)n);
  size_t got = n > 0 ? fread(p, 1, (size_t)n, f) : 0;
  luaL_pushresultsize(&b, got);
  lua_pushinteger(L, size);
}

/* capture_end(max) -> out, outsize, err, errsize: what was written since
 * capture_begin (at most max bytes each), and the real sizes. */
static int rc_capture_end (lua_State *L) {
  capture *c = get_capture(L);
  long max = (long)luaL_optinteger(L, 1, 1 << 24);
  if (!c->on) return luaL_error(L, "report: output capture is not on");
  restore(c);
  for (int i = 0; i < 2; i++) {
    push_file(L, c->tmp[i], max);
    fclose(c->tmp[i]);
    c->tmp[i] = NULL;
  }
  return 4;
}

static int rc_capture_gc (lua_State *L) {
  capture *c = (capture *)lua_touserdata(L, 1);
  if (c->on) restore(c);
  for (int i = 0; i < 2; i++) if (c->tmp[i]) { fclose(c->tmp[i]); c->tmp[i] = NULL; }
  return 0;
}
/* =====} */

/* sha256(s) -> 64 hex digits */
static int rc_sha256 (lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  char hex[65];
  gl_sha256_hex(s, n, hex);
  lua_pushstring(L, hex);
  return 1;
}

/* sha256_file(path) -> hex, size; or nil, message */
static int rc_sha256_file (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  static const char digits[] = "0123456789abcdef";
  const char *why = gl_path_denied(path, GL_PATH_READ);
  if (why != NULL) { lua_pushnil(L); lua_pushfstring(L, "%s: %s", path, why); return 2; }
  FILE *f = fopen(path, "rb");
  if (f == NULL) return luaL_fileresult(L, 0, path);
  gl_sha256 c;
  unsigned char buf[65536], d[32];
  size_t n;
  lua_Integer size = 0;
  gl_sha256_init(&c);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) { gl_sha256_update(&c, buf, n); size += (lua_Integer)n; }
  int bad = ferror(f);
  fclose(f);
  if (bad) return luaL_fileresult(L, 0, path);
  gl_sha256_final(&c, d);
  char hex[65];
  for (int i = 0; i < 32; i++) { hex[2 * i] = digits[d[i] >> 4]; hex[2 * i + 1] = digits[d[i] & 15]; }
  hex[64] = '\0';
  lua_pushstring(L, hex);
  lua_pushinteger(L, size);
  return 2;
}

/* clock() -> seconds of a monotonic clock (cell timings) */
static int rc_clock (lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + ts.tv_nsec * 1e-9);
  return 1;
}

/* now() -> seconds and nanoseconds of the coarse real-time clock: the clock
 * file times come from, so a file written after now() is never older. */
static int rc_now (lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  lua_pushinteger(L, (lua_Integer)ts.tv_sec);
  lua_pushinteger(L, (lua_Integer)ts.tv_nsec);
  return 2;
}

/* {===== written_since: regular files under a folder modified at or after a
 * time. Hidden entries and build folders (holding CMakeCache.txt) are
 * skipped: they are not a script's results. At most WS_MAX files are looked at. */
#define WS_MAX 200000
typedef struct { lua_State *L; time_t s; long ns; int n, seen; } walkstate;

static void ws_dir (walkstate *w, const char *dir, const char *rel, int depth) {
  char path[4096], sub[4096];
  snprintf(path, sizeof path, "%s/CMakeCache.txt", dir);
  if (depth > 32 || access(path, F_OK) == 0) return;
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && w->seen < WS_MAX) {
    struct stat st;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    if (lstat(path, &st) != 0) continue;
    w->seen++;
    if (S_ISDIR(st.st_mode)) ws_dir(w, path, sub, depth + 1);
    else if (S_ISREG(st.st_mode) &&
             (st.st_mtim.tv_sec > w->s || (st.st_mtim.tv_sec == w->s && st.st_mtim.tv_nsec >= w->ns))) {
      lua_pushstring(w->L, sub);
      lua_rawseti(w->L, -2, ++w->n);
    }
  }
  closedir(d);
}

/* written_since(dir, sec, nsec) -> list of paths relative to dir (unsorted) */
static int rc_written_since (lua_State *L) {
  const char *dir = luaL_checkstring(L, 1);
  walkstate w = {L, (time_t)luaL_checkinteger(L, 2), (long)luaL_checkinteger(L, 3), 0, 0};
  lua_newtable(L);
  ws_dir(&w, dir, "", 0);
  return 1;
}
/* =====} */

/* threads() -> the thread count kernels use */
static int rc_threads (lua_State *L) {
  lua_pushinteger(L, gl_threads());
  return 1;
}

/* set_threads(n) */
static int rc_set_threads (lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 1 && n <= 4096, 1, "thread count must be in 1..4096");
  gl_set_threads((int)n);
  return 0;
}

static const luaL_Reg funcs[] = {
  {"capture_begin", rc_capture_begin}, {"capture_end", rc_capture_end},
  {"clock", rc_clock}, {"now", rc_now}, {"set_threads", rc_set_threads},
  {"sha256", rc_sha256}, {"sha256_file", rc_sha256_file}, {"threads", rc_threads},
  {"written_since", rc_written_since}, {NULL, NULL}};

int luaopen_geolab_report_core (lua_State *L) {
  luaL_newlibtable(L, funcs);
  capture *c = (capture *)lua_newuserdatauv(L, sizeof *c, 0);
  c->saved[0] = c->saved[1] = -1;
  c->tmp[0] = c->tmp[1] = NULL;
  c->on = 0;
  lua_newtable(L);
  lua_pushcfunction(L, rc_capture_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  luaL_setfuncs(L, funcs, 1);
  return 1;
}
