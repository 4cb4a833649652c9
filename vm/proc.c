/* proc.c: run a program and capture what it prints (the subcommands' host
 * table: host.run, host.self_exe). geolab.slurm drives sbatch, squeue and
 * scontrol through it: an argv array found on PATH (execvp), never a shell
 * line, so no value needs quoting. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

static double pr_now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Pushes the concatenation of the strings t[1..n] (t at index t). */
static void pr_concat (lua_State *L, int t, int n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    lua_rawgeti(L, t, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
}

/* run(argv [, {timeout = s}]) -> code, stdout, stderr | nil, message.
 * argv[1] is looked up on PATH; stdin is /dev/null. code is the exit status,
 * or 128 + n when signal n ended it (a timeout kills it: SIGKILL, 137).
 * nil, message when the program cannot be started (not found, not
 * executable). Output is kept whole: meant for commands that print a little. */
static int pr_run (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  double timeout = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_getfield(L, 2, "timeout");
    timeout = luaL_optnumber(L, -1, 0);
    lua_pop(L, 1);
  }
  int argc = (int)luaL_len(L, 1);
  luaL_argcheck(L, argc >= 1 && argc < 4096, 1, "1 to 4095 arguments expected");
  char **argv = lua_newuserdatauv(L, sizeof(char *) * (size_t)(argc + 1), 0);
  for (int i = 0; i < argc; i++) {
    lua_geti(L, 1, i + 1);
    luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 1, "argv must hold strings");
    argv[i] = (char *)lua_tostring(L, -1);   /* kept alive by the table */
    lua_pop(L, 1);
  }
  argv[argc] = NULL;
  lua_newtable(L);   /* what it prints, in pieces: [base] stdout, [base + 1] stderr */
  lua_newtable(L);
  int base = lua_gettop(L) - 1, npiece[2] = {0, 0};
  int p_out[2], p_err[2], p_exec[2];
  if (pipe2(p_out, O_CLOEXEC) < 0) return luaL_error(L, "host.run: pipe: %s", strerror(errno));
  if (pipe2(p_err, O_CLOEXEC) < 0) {
    int e = errno;
    close(p_out[0]); close(p_out[1]);
    return luaL_error(L, "host.run: pipe: %s", strerror(e));
  }
  if (pipe2(p_exec, O_CLOEXEC) < 0) {
    int e = errno;
    close(p_out[0]); close(p_out[1]); close(p_err[0]); close(p_err[1]);
    return luaL_error(L, "host.run: pipe: %s", strerror(e));
  }
  fflush(stdout); fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {   /* only async-signal-safe calls from here to exec */
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) dup2(nul, 0);
    dup2(p_out[1], 1);
    dup2(p_err[1], 2);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], argv);
    int e = errno;
    ssize_t w = write(p_exec[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  int fork_errno = errno;
  close(p_out[1]); close(p_err[1]); close(p_exec[1]);
  if (pid < 0) {
    close(p_out[0]); close(p_err[0]); close(p_exec[0]);
    return luaL_error(L, "host.run: cannot start '%s': %s", argv[0], strerror(fork_errno));
  }
  int exec_errno = 0;
  ssize_t got = read(p_exec[0], &exec_errno, sizeof exec_errno);   /* EOF at a successful exec */
  close(p_exec[0]);
  if (got == (ssize_t)sizeof exec_errno) {
    close(p_out[0]); close(p_err[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    luaL_pushfail(L);
    lua_pushfstring(L, "cannot run '%s': %s", argv[0], strerror(exec_errno));
    return 2;
  }
  /* Reading both pipes as they fill: a child that writes much to stderr
   * never blocks while we wait on stdout. (An out-of-memory error while
   * pushing a piece would leak these two descriptors; nothing else can
   * raise here.) */
  struct pollfd fds[2] = {{p_out[0], POLLIN, 0}, {p_err[0], POLLIN, 0}};
  int open_fds = 2, killed = 0;
  double t0 = pr_now();
  while (open_fds > 0) {
    int r = poll(fds, 2, 100);
    if (r < 0 && errno != EINTR) break;
    for (int k = 0; k < 2 && r > 0; k++) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char tmp[4096];
      ssize_t n = read(fds[k].fd, tmp, sizeof tmp);
      if (n > 0) {
        lua_pushlstring(L, tmp, (size_t)n);
        lua_rawseti(L, base + k, ++npiece[k]);
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[k].fd);
        fds[k].fd = -1;
        open_fds--;
      }
    }
    if (!killed && timeout > 0 && pr_now() - t0 > timeout) {
      kill(pid, SIGKILL);
      killed = 1;
    }
  }
  for (int k = 0; k < 2; k++) if (fds[k].fd >= 0) close(fds[k].fd);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  lua_pushinteger(L, code);
  pr_concat(L, base, npiece[0]);
  pr_concat(L, base + 1, npiece[1]);
  return 3;
}

/* self_exe() -> the absolute path of this program (what a batch system
 * must start on another node: argv[0] may be a bare name found on PATH) */
static int pr_self_exe (lua_State *L) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n < 0) return luaL_error(L, "host.self_exe: /proc/self/exe: %s", strerror(errno));
  lua_pushlstring(L, buf, (size_t)n);
  return 1;
}

void vm_proc_funcs (lua_State *L) {
  static const luaL_Reg f[] = {{"run", pr_run}, {"self_exe", pr_self_exe}, {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
