/* run.c: protected calls that Ctrl-C can interrupt, and the SIGINT handlers.
 *
 * While code runs, SIGINT sets the kernels' interrupt flag (C loops poll
 * gl_interrupted() and return GL_EINTR, which the binding raises as
 * "interrupted!") and a Lua hook that raises "interrupted!" at the next Lua
 * instruction, as lua.c's laction/lstop do. A third Ctrl-C during one call
 * restores the default action, so code stuck in C that never polls the flag
 * can still be killed. While waiting for input, SIGINT is only recorded. */
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "host.h"
#include "gl_types.h"

/* A signal handler gets no user data, so the state it stops must be a static,
 * as lua.c's globalL is. Only the host's main state runs here. */
static lua_State *volatile run_L = NULL;
static volatile sig_atomic_t run_nsig = 0;
static volatile sig_atomic_t prompt_sig = 0;
static pthread_t run_thread;   /* the thread running Lua */

/* SIGINT may land on an idle OpenMP worker; the handlers must run on the Lua
 * thread (lua_sethook is only safe there, and it is the one waiting in
 * select/read at the prompt), so a worker passes the signal on. */
static int on_other_thread (int sig) {
  if (pthread_equal(pthread_self(), run_thread)) return 0;
  gl_interrupt_set(1);
  pthread_kill(run_thread, sig);
  return 1;
}

static void run_stop (lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_where(L, 0);   /* where the code was stopped */
  lua_pushliteral(L, "interrupted!");
  lua_concat(L, 2);
  lua_error(L);
}

static void run_action (int sig) {
  int flag = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  if (on_other_thread(sig)) return;
  gl_interrupt_set(1);
  if (++run_nsig >= 3) {   /* not stopping: let the user kill it */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  lua_sethook(run_L, run_stop, flag, 1);   /* safe in a handler (lua.c) */
}

static void prompt_action (int sig) {
  if (on_other_thread(sig)) return;
  prompt_sig = 1;
}

/* No SA_RESTART: a blocking read or select at the prompt must return EINTR. */
static void set_sigint (void (*h)(int), struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, old);
}

void vm_sigint_prompt (void) {
  run_thread = pthread_self();
  set_sigint(prompt_action, NULL);
}

int vm_prompt_interrupted (void) {
  int was = prompt_sig;
  prompt_sig = 0;
  return was;
}

int vm_docall (lua_State *L, int narg, int nres) {
  struct sigaction old;
  int status;
  int base = lua_gettop(L) - narg;   /* function index */
  lua_pushcfunction(L, vm_msghandler);
  lua_insert(L, base);
  run_L = L;
  run_thread = pthread_self();
  run_nsig = 0;
  gl_interrupt_set(0);
  set_sigint(run_action, &old);
  status = lua_pcall(L, narg, nres, base);
  sigaction(SIGINT, &old, NULL);
  /* a Ctrl-C that came after the code ended must not stop the next call */
  lua_sethook(L, NULL, 0, 0);
  gl_interrupt_set(0);
  lua_remove(L, base);
  return status;
}

/* docall(f, ...) -> true, results... | false, message with traceback. f runs
 * on a thread of its own, so the traceback shows the cell's frames only, not
 * the report engine's (or the kernel's). */
int vm_lua_docall (lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_insert(L, 1);   /* keeps the thread alive while it runs */
  lua_xmove(L, co, n);
  int status = vm_docall(co, n - 1, LUA_MULTRET);
  if (status == LUA_OK) {
    int nres = lua_gettop(co);
    luaL_checkstack(L, nres + 1, "too many results");
    lua_pushboolean(L, 1);
    lua_xmove(co, L, nres);
    return nres + 1;
  }
  lua_pushboolean(L, 0);
  lua_xmove(co, L, 1);
  return 2;
}
