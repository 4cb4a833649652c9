/* grade.c: the process side of geolab grade (issue 16). The parent starts
 * one child per submission (this same program, re-executed), with resource
 * limits set between fork and exec, and kills it when the wall-clock limit
 * passes: nothing the script does in Lua (a coroutine or pcall that swallows
 * an error, a __gc metamethod) can stop that. The child locks itself in
 * (sandbox_lock: Landlock, then seccomp) once its libraries are loaded, and
 * then runs the script. The Lua side is stdlib/report/grade*.lua. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

/* AddressSanitizer and ThreadSanitizer reserve terabytes of address space
 * for their shadow memory: under them RLIMIT_AS would stop the child before
 * main(), so a sanitizer build grades without the address-space limit (and
 * says so in the summary). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GR_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GR_NO_AS_LIMIT 1
#endif
#endif
#ifndef GR_NO_AS_LIMIT
#define GR_NO_AS_LIMIT 0
#endif

static double now_s (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static rlim_t opt_limit (lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  lua_Number v = lua_isnil(L, -1) ? 0 : luaL_checknumber(L, -1);
  lua_pop(L, 1);
  return v > 0 ? (rlim_t)v : RLIM_INFINITY;
}

static void set_limit (int res, rlim_t soft, rlim_t hard) {
  struct rlimit rl = {soft, hard};
  (void)setrlimit(res, &rl);
}

/* In the forked child, before exec: only async-signal-safe calls. */
static void child_exec (char **argv, int logfd, rlim_t cpu, rlim_t mem, rlim_t fsize, rlim_t nproc) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);   /* the grader killed: its children die too */
  if (logfd >= 0) { dup2(logfd, 1); dup2(logfd, 2); }
  int nul = open("/dev/null", O_RDONLY);
  if (nul >= 0) dup2(nul, 0);
  if (cpu != RLIM_INFINITY) set_limit(RLIMIT_CPU, cpu, cpu + 2);
  if (mem != RLIM_INFINITY && !GR_NO_AS_LIMIT) set_limit(RLIMIT_AS, mem, mem);
  if (fsize != RLIM_INFINITY) set_limit(RLIMIT_FSIZE, fsize, fsize);
  if (nproc != RLIM_INFINITY) set_limit(RLIMIT_NPROC, nproc, nproc);
  set_limit(RLIMIT_CORE, 0, 0);
  signal(SIGXFSZ, SIG_IGN);   /* a write past the file-size limit fails (EFBIG) instead */
  execv("/proc/self/exe", argv);
  _exit(127);
}

/* grade_spawn(argv, limits) -> result. limits: timeout (s, wall), cpu (s),
 * memory, fsize (bytes), nproc, log (path for the child's own stdout/stderr).
 * result: {exited = bool, code, signal, timed_out, wall, user, sys, maxrss (KiB)}. */
static int gr_spawn (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  int argc = (int)luaL_len(L, 1);
  luaL_argcheck(L, argc >= 1 && argc < 256, 1, "1 to 255 arguments expected");
  char **argv = lua_newuserdatauv(L, sizeof(char *) * (size_t)(argc + 1), 0);
  for (int i = 0; i < argc; i++) {
    lua_geti(L, 1, i + 1);
    argv[i] = (char *)luaL_checkstring(L, -1);   /* kept alive by the table */
    lua_pop(L, 1);
  }
  argv[argc] = NULL;
  lua_getfield(L, 2, "timeout");
  double timeout = luaL_optnumber(L, -1, 0);
  lua_getfield(L, 2, "log");
  const char *logpath = luaL_optstring(L, -1, NULL);
  lua_pop(L, 2);
  rlim_t cpu = opt_limit(L, 2, "cpu"), mem = opt_limit(L, 2, "memory");
  rlim_t fsize = opt_limit(L, 2, "fsize"), nproc = opt_limit(L, 2, "nproc");
  int logfd = -1;
  if (logpath != NULL) {
    logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) return luaL_error(L, "grade: cannot open %s: %s", logpath, strerror(errno));
  }
  fflush(stdout); fflush(stderr);
  double t0 = now_s();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    if (logfd >= 0) close(logfd);
    return luaL_error(L, "grade: cannot start the grading process: %s", strerror(e));
  }
  if (pid == 0) child_exec(argv, logfd, cpu, mem, fsize, nproc);
  if (logfd >= 0) close(logfd);
  int st = 0, timed_out = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  for (;;) {
    pid_t r = wait4(pid, &st, WNOHANG, &ru);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (!timed_out && timeout > 0 && now_s() - t0 > timeout) {
      timed_out = 1;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    struct timespec d = {0, 10 * 1000 * 1000};   /* 10 ms */
    nanosleep(&d, NULL);
  }
  double wall = now_s() - t0;
  lua_createtable(L, 0, 8);
  lua_pushboolean(L, WIFEXITED(st));
  lua_setfield(L, -2, "exited");
  if (WIFEXITED(st)) lua_pushinteger(L, WEXITSTATUS(st)), lua_setfield(L, -2, "code");
  if (WIFSIGNALED(st)) {
    lua_pushinteger(L, WTERMSIG(st)), lua_setfield(L, -2, "signal");
    lua_pushstring(L, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
    lua_setfield(L, -2, "signame");
  }
  lua_pushboolean(L, timed_out);
  lua_setfield(L, -2, "timed_out");
  lua_pushnumber(L, wall);
  lua_setfield(L, -2, "wall");
  lua_pushnumber(L, (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6);
  lua_setfield(L, -2, "user");
  lua_pushnumber(L, (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6);
  lua_setfield(L, -2, "sys");
  lua_pushinteger(L, (lua_Integer)ru.ru_maxrss);
  lua_setfield(L, -2, "maxrss");
  return 1;
}

/* {===== batch: graders started side by side (geolab grade --batch) */

/* grade_start(argv, log) -> pid: starts argv (this program re-executed)
 * with stdout and stderr to the log file, in a process group of its own. */
static int gr_start (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *logpath = luaL_checkstring(L, 2);
  int argc = (int)luaL_len(L, 1);
  luaL_argcheck(L, argc >= 1 && argc < 256, 1, "1 to 255 arguments expected");
  char **argv = lua_newuserdatauv(L, sizeof(char *) * (size_t)(argc + 1), 0);
  for (int i = 0; i < argc; i++) {
    lua_geti(L, 1, i + 1);
    argv[i] = (char *)luaL_checkstring(L, -1);
    lua_pop(L, 1);
  }
  argv[argc] = NULL;
  int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (logfd < 0) return luaL_error(L, "grade: cannot open %s: %s", logpath, strerror(errno));
  fflush(stdout); fflush(stderr);
  pid_t pid = fork();
  if (pid == 0)
    child_exec(argv, logfd, RLIM_INFINITY, RLIM_INFINITY, RLIM_INFINITY, RLIM_INFINITY);
  int e = errno;
  close(logfd);
  if (pid < 0) return luaL_error(L, "grade: cannot start a grader: %s", strerror(e));
  lua_pushinteger(L, pid);
  return 1;
}

/* grade_poll(pid) -> nil while it runs, else its exit code (signal: 128 + n) */
static int gr_poll (lua_State *L) {
  pid_t pid = (pid_t)luaL_checkinteger(L, 1);
  int st;
  pid_t r = waitpid(pid, &st, WNOHANG);
  if (r == 0) return 0;
  if (r < 0) lua_pushinteger(L, 255);
  else lua_pushinteger(L, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return 1;
}

/* grade_kill(pid): kills a grader and its process group */
static int gr_kill (lua_State *L) {
  pid_t pid = (pid_t)luaL_checkinteger(L, 1);
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  return 0;
}

/* sleep(seconds) */
static int gr_sleep (lua_State *L) {
  double s = luaL_checknumber(L, 1);
  struct timespec d = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&d, NULL);
  return 0;
}
/* =====} */

static void push_strings (lua_State *L, int t, const char *k, const char **out, int max) {
  int n = 0;
  lua_getfield(L, t, k);
  if (lua_istable(L, -1))
    for (lua_Integer i = 1; n < max - 1 && lua_geti(L, -1, i) != LUA_TNIL; i++) {
      out[n++] = luaL_checkstring(L, -1);   /* stays referenced by the table */
      lua_pop(L, 1);
    }
  out[n] = NULL;
  lua_pop(L, 2);
}

/* sandbox_lock{read = {...}, write = {...}} -> {landlock = status, seccomp = status}:
 * locks the calling process in. Irreversible. */
static int gr_lock (lua_State *L) {
  const char *rd[16], *wr[16];
  char ll[160], sc[160];
  luaL_checktype(L, 1, LUA_TTABLE);
  push_strings(L, 1, "read", rd, 16);
  push_strings(L, 1, "write", wr, 16);
  vm_landlock_apply(rd, wr, ll, sizeof ll);
  vm_seccomp_apply(sc, sizeof sc);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, ll);
  lua_setfield(L, -2, "landlock");
  lua_pushstring(L, sc);
  lua_setfield(L, -2, "seccomp");
  return 1;
}

/* Leaves at once, without closing the Lua state: no __gc metamethod of the
 * script runs after its results are written. */
static int gr_exit_now (lua_State *L) {
  int code = (int)luaL_optinteger(L, 1, 0);
  fflush(stdout); fflush(stderr);
  _exit(code);
  return 0;
}

void vm_grade_funcs (lua_State *L) {
  static const luaL_Reg f[] = {{"exit_now", gr_exit_now}, {"grade_kill", gr_kill}, {"grade_poll", gr_poll},
                               {"grade_spawn", gr_spawn}, {"grade_start", gr_start}, {"sandbox_lock", gr_lock},
                               {"sleep", gr_sleep}, {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
  vm_sandbox_paths_funcs(L);
  lua_pushboolean(L, !GR_NO_AS_LIMIT);
  lua_setfield(L, -2, "address_limit");
}
