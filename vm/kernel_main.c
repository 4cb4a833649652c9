/* kernel_main.c: `geolab kernel -f connection.json`, a Jupyter kernel
 * (messaging protocol 5.3, issue 17), and `geolab kernel install`.
 *
 * Threads: the main thread owns the Lua state and the shell, iopub and
 * stdin sockets; it runs one request at a time. The heartbeat thread echoes
 * on its REP socket, so a frontend sees the kernel alive during a long cell.
 * The control thread answers interrupt_request (by sending SIGINT to the main
 * thread, where vm_docall's handler stops Lua code and C kernels),
 * shutdown_request and kernel_info_request, while the main thread is busy.
 * Both extra threads block SIGINT, so that a signal-mode interrupt from the
 * frontend (a SIGINT to the process) reaches the main thread. Each socket is
 * used by one thread only, as ZeroMQ requires. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lualib.h>
#include <zmq.h>

#include "host.h"
#include "kernel.h"
#include "gl_alloc.h"
#include "gl_modules.h"
#include "gl_types.h"

#define POLL_MS 200

struct kernel {
  kconn conn;
  void *ctx, *shell, *control, *iopub, *stdin_s;
  const kmsg *cur;          /* the shell request being handled (main thread) */
  atomic_int shutdown;      /* set by a shutdown_request */
  pthread_t main_thread;
};

static void klog (const char *fmt, const char *a, const char *b) {
  fprintf(stderr, "geolab kernel: ");
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  fflush(stderr);
}

static void *open_socket (kernel *k, int type, int port, char *err, size_t errlen) {
  char addr[300];
  void *s = zmq_socket(k->ctx, type);
  int linger = 1000;
  if (s == NULL) { snprintf(err, errlen, "zmq_socket: %s", zmq_strerror(errno)); return NULL; }
  zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
  if (strcmp(k->conn.transport, "ipc") == 0)
    snprintf(addr, sizeof addr, "ipc://%s-%d", k->conn.ip, port);
  else
    snprintf(addr, sizeof addr, "%s://%s:%d", k->conn.transport, k->conn.ip, port);
  if (zmq_bind(s, addr) != 0) {
    snprintf(err, errlen, "cannot bind %s: %s", addr, zmq_strerror(errno));
    zmq_close(s);
    return NULL;
  }
  return s;
}

/* {===== heartbeat and control threads */
static void *hb_main (void *p) {
  void *s = p;
  for (;;) {   /* echo until the context is terminated (ETERM) */
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, s, 0) < 0) { zmq_msg_close(&m); if (errno == EINTR) continue; break; }
    zmq_msg_send(&m, s, 0);
    zmq_msg_close(&m);
  }
  zmq_close(s);
  return NULL;
}

static void control_handle (kernel *k, kmsg *m) {
  if (strcmp(m->type, "interrupt_request") == 0) {
    pthread_kill(k->main_thread, SIGINT);
    kmsg_send(k->control, &k->conn, m, 1, "interrupt_reply", json_pack("{s:s}", "status", "ok"));
  } else if (strcmp(m->type, "shutdown_request") == 0) {
    json_t *restart = json_object_get(m->content, "restart");
    kmsg_send(k->control, &k->conn, m, 1, "shutdown_reply",
              json_pack("{s:s, s:b}", "status", "ok", "restart", json_is_true(restart)));
    atomic_store(&k->shutdown, 1);
    pthread_kill(k->main_thread, SIGINT);   /* a running cell stops */
  } else if (strcmp(m->type, "kernel_info_request") == 0) {
    kmsg_send(k->control, &k->conn, m, 1, "kernel_info_reply", kexec_kernel_info());
  } else {
    klog("control: '%s' is not supported, ignored%s", m->type, "");
  }
}

static void *control_main (void *p) {
  kernel *k = p;
  while (!atomic_load(&k->shutdown)) {
    zmq_pollitem_t it = {k->control, 0, ZMQ_POLLIN, 0};
    int r = zmq_poll(&it, 1, POLL_MS);
    if (r < 0 && errno == ETERM) break;
    if (r <= 0) continue;
    kmsg m;
    char err[200];
    int rc;
    while (!atomic_load(&k->shutdown) && (rc = kmsg_recv(k->control, &k->conn, &m, err, sizeof err)) != 1) {
      if (rc < 0) { klog("control: message rejected: %s%s", err, ""); continue; }
      control_handle(k, &m);
      kmsg_free(&m);
    }
  }
  return NULL;
}
/* =====} */

/* {===== used by kernel_exec.c */
int kernel_publish (kernel *k, const char *msg_type, json_t *content) {
  return kmsg_send(k->iopub, &k->conn, k->cur, 0, msg_type, content);
}

char *kernel_input (kernel *k, const char *prompt, int password, char *err, size_t errlen) {
  if (k->cur == NULL || !json_is_true(json_object_get(k->cur->content, "allow_stdin"))) {
    snprintf(err, errlen, "io.read: this frontend does not accept input (allow_stdin is false)");
    return NULL;
  }
  if (kmsg_send(k->stdin_s, &k->conn, k->cur, 1, "input_request",
                json_pack("{s:s, s:b}", "prompt", prompt, "password", password)) != 0) {
    snprintf(err, errlen, "io.read: cannot send the input request: %s", zmq_strerror(errno));
    return NULL;
  }
  for (;;) {
    zmq_pollitem_t it = {k->stdin_s, 0, ZMQ_POLLIN, 0};
    int r = zmq_poll(&it, 1, POLL_MS);
    if (gl_interrupted() || atomic_load(&k->shutdown)) {
      snprintf(err, errlen, "interrupted!");
      return NULL;
    }
    if (r <= 0) continue;
    kmsg m;
    char why[200];
    int rc = kmsg_recv(k->stdin_s, &k->conn, &m, why, sizeof why);
    if (rc < 0) klog("stdin: message rejected: %s%s", why, "");
    if (rc != 0) continue;
    const char *v = json_string_value(json_object_get(m.content, "value"));
    char *line = strcmp(m.type, "input_reply") == 0 && v ? strdup(v) : NULL;
    kmsg_free(&m);
    if (line != NULL) return line;
  }
}
/* =====} */

/* {===== the main loop */
static void shell_handle (kernel *k, lua_State *L, int handler, kmsg *m) {
  k->cur = m;
  kernel_publish(k, "status", json_pack("{s:s}", "execution_state", "busy"));
  size_t tl = strlen(m->type);
  char reply[128];
  if (tl > 8 && strcmp(m->type + tl - 8, "_request") == 0 && tl < sizeof reply)
    snprintf(reply, sizeof reply, "%.*s_reply", (int)(tl - 8), m->type);
  else reply[0] = '\0';
  if (strcmp(m->type, "kernel_info_request") == 0) {
    kmsg_send(k->shell, &k->conn, m, 1, reply, kexec_kernel_info());
  } else if (strcmp(m->type, "shutdown_request") == 0) {
    json_t *restart = json_object_get(m->content, "restart");
    kmsg_send(k->shell, &k->conn, m, 1, reply, json_pack("{s:s, s:b}", "status", "ok", "restart", json_is_true(restart)));
    atomic_store(&k->shutdown, 1);
  } else {
    int top = lua_gettop(L);
    lua_pushcfunction(L, vm_msghandler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, handler);
    lua_pushstring(L, m->type);
    kjson_push(L, m->content);
    kjson_push(L, m->header);
    if (lua_pcall(L, 3, 1, top + 1) != LUA_OK) {
      klog("%s failed: %s", m->type, lua_tostring(L, -1));
      if (reply[0]) {
        kmsg_send(k->shell, &k->conn, m, 1, reply,
                  json_pack("{s:s, s:s, s:s, s:[]}", "status", "error", "ename", "KernelError",
                            "evalue", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", "traceback"));
      }
    } else if (lua_istable(L, -1) && reply[0]) {
      kmsg_send(k->shell, &k->conn, m, 1, reply, kjson_from_lua(L, -1));
    } else if (!lua_istable(L, -1)) {
      klog("'%s' is not supported, ignored%s", m->type, "");
    }
    lua_settop(L, top);
  }
  kernel_publish(k, "status", json_pack("{s:s}", "execution_state", "idle"));
  k->cur = NULL;
}

static int kernel_loop (lua_State *L) {
  kernel *k = lua_touserdata(L, 1);
  lua_settop(L, 0);
  luaL_checkversion(L);
  lua_gc(L, LUA_GCSTOP);
  gl_open_libs(L);
  lua_gc(L, LUA_GCRESTART);
  kexec_open(L, k);
  int handler = luaL_ref(L, LUA_REGISTRYINDEX);
  kernel_publish(k, "status", json_pack("{s:s}", "execution_state", "starting"));
  vm_sigint_prompt();   /* idle: a SIGINT is only recorded */
  /* jupyter_client names its pid in JPY_PARENT_PID, as for ipykernel: when
   * that process dies the kernel exits too, instead of living on orphaned */
  const char *jpy = getenv("JPY_PARENT_PID");
  pid_t parent = jpy != NULL && atol(jpy) == (long)getppid() ? getppid() : 0;
  while (!atomic_load(&k->shutdown)) {
    zmq_pollitem_t it = {k->shell, 0, ZMQ_POLLIN, 0};
    int r = zmq_poll(&it, 1, POLL_MS);
    if (parent != 0 && getppid() != parent) {   /* the frontend that started us died: no orphan kernels */
      klog("the parent process is gone, exiting%s%s", "", "");
      break;
    }
    vm_prompt_interrupted();   /* an interrupt while idle does nothing */
    if (r < 0 && errno != EINTR) { klog("shell: %s%s", zmq_strerror(errno), ""); break; }
    if (r <= 0) continue;
    kmsg m;
    char err[200];
    int rc;
    while (!atomic_load(&k->shutdown) && (rc = kmsg_recv(k->shell, &k->conn, &m, err, sizeof err)) != 1) {
      if (rc < 0) { klog("shell: message rejected: %s%s", err, ""); continue; }
      shell_handle(k, L, handler, &m);
      kmsg_free(&m);
      vm_sigint_prompt();
      vm_prompt_interrupted();
    }
  }
  return 0;
}

static int kernel_run (const char *path) {
  kernel *k = calloc(1, sizeof *k);
  char err[400];
  pthread_t hb_t, ctl_t;
  int code = EXIT_FAILURE, threads = 0;
  void *hb = NULL;
  if (k == NULL) { fprintf(stderr, "geolab kernel: out of memory\n"); return code; }
  if (kconn_read(path, &k->conn, err, sizeof err) != 0) {
    fprintf(stderr, "geolab kernel: %s\n", err);
    free(k);
    return code;
  }
  k->main_thread = pthread_self();
  k->ctx = zmq_ctx_new();
  if (!(k->shell = open_socket(k, ZMQ_ROUTER, k->conn.shell_port, err, sizeof err)) ||
      !(k->control = open_socket(k, ZMQ_ROUTER, k->conn.control_port, err, sizeof err)) ||
      !(k->iopub = open_socket(k, ZMQ_PUB, k->conn.iopub_port, err, sizeof err)) ||
      !(k->stdin_s = open_socket(k, ZMQ_ROUTER, k->conn.stdin_port, err, sizeof err)) ||
      !(hb = open_socket(k, ZMQ_REP, k->conn.hb_port, err, sizeof err))) {
    fprintf(stderr, "geolab kernel: %s\n", err);
    goto done;
  }
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  if (pthread_create(&hb_t, NULL, hb_main, hb) == 0) { threads |= 1; hb = NULL; }
  if (pthread_create(&ctl_t, NULL, control_main, k) == 0) threads |= 2;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (threads != 3) { fprintf(stderr, "geolab kernel: cannot start its threads\n"); atomic_store(&k->shutdown, 1); goto done; }
  lua_State *L = gl_newstate();
  if (L == NULL) { fprintf(stderr, "geolab kernel: cannot create state: not enough memory\n"); atomic_store(&k->shutdown, 1); goto done; }
  lua_pushcfunction(L, kernel_loop);
  lua_pushlightuserdata(L, k);
  int status = vm_docall(L, 1, 0);
  code = status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
  vm_report(L, status, "geolab kernel");
  gl_closestate(L);
  atomic_store(&k->shutdown, 1);
done:
  if (threads & 2) pthread_join(ctl_t, NULL);
  if (hb) zmq_close(hb);
  if (k->shell) zmq_close(k->shell);
  if (k->control) zmq_close(k->control);
  if (k->iopub) zmq_close(k->iopub);
  if (k->stdin_s) zmq_close(k->stdin_s);
  zmq_ctx_shutdown(k->ctx);   /* the heartbeat thread's recv returns ETERM */
  if (threads & 1) pthread_join(hb_t, NULL);
  zmq_ctx_term(k->ctx);
  free(k);
  return code;
}
/* =====} */

/* {===== geolab kernel install: the kernelspec, written by the Lua side */
static const char usage[] =
  "usage: geolab kernel -f connection.json      run as a Jupyter kernel (Jupyter starts it)\n"
  "       geolab kernel install [--user | --prefix P] [--name N]\n"
  "                                             write the kernelspec (docs/jupyter.md)\n";

static int install_main (lua_State *L) {
  const char *exe = lua_touserdata(L, 1);
  int argc = (int)lua_tointeger(L, 2);
  char **argv = lua_touserdata(L, 3);
  lua_settop(L, 0);
  gl_open_libs(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.report_kernel");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "install");
  lua_pushstring(L, exe);
  lua_createtable(L, argc, 0);
  for (int i = 3; i < argc; i++) { lua_pushstring(L, argv[i]); lua_rawseti(L, -2, i - 2); }
  kexec_push_json(L);
  lua_call(L, 3, 2);   /* true | nil, message */
  return 2;
}

static int kernel_install (int argc, char **argv) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) { fprintf(stderr, "geolab kernel install: cannot find the geolab program\n"); return EXIT_FAILURE; }
  exe[n] = '\0';
  lua_State *L = gl_newstate();
  if (L == NULL) { fprintf(stderr, "geolab kernel install: not enough memory\n"); return EXIT_FAILURE; }
  lua_pushcfunction(L, install_main);
  lua_pushlightuserdata(L, exe);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  int status = vm_docall(L, 3, 2);
  int code = status == LUA_OK && lua_toboolean(L, -2) ? EXIT_SUCCESS : EXIT_FAILURE;
  if (status == LUA_OK && code != EXIT_SUCCESS)
    fprintf(stderr, "geolab kernel install: %s\n", lua_tostring(L, -1) ? lua_tostring(L, -1) : "failed");
  vm_report(L, status, "geolab kernel install");
  gl_closestate(L);
  return code;
}
/* =====} */

int vm_kernel (int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[2], "install") == 0) return kernel_install(argc, argv);
  if (argc == 4 && strcmp(argv[2], "-f") == 0) return kernel_run(argv[3]);
  if (argc == 3 && strncmp(argv[2], "--f=", 4) == 0) return kernel_run(argv[2] + 4);
  if (argc == 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
    fputs(usage, stdout);
    return EXIT_SUCCESS;
  }
  fputs(usage, stderr);
  return EXIT_FAILURE;
}
