/* kernel.h: what the parts of `geolab kernel` (vm/kernel_*.c, issue 17)
 * share. The kernel speaks the Jupyter messaging protocol 5.3 over ZeroMQ:
 * kernel_msg.c has the wire format and the HMAC-SHA256 signatures,
 * kernel_json.c converts between jansson values and Lua values,
 * kernel_exec.c gives the Lua side (stdlib/report/report_kernel.lua) its
 * host functions, kernel_main.c owns the sockets, the threads and the loop. */
#ifndef GL_KERNEL_H
#define GL_KERNEL_H

#include <stddef.h>
#include <jansson.h>
#include <lua.h>

#define KERNEL_PROTOCOL "5.3"
#define KERNEL_MAX_IDS 16

/* The connection file, as Jupyter writes it. */
typedef struct kconn {
  char transport[16], ip[256], scheme[32];
  unsigned char key[512];
  size_t keylen;
  int shell_port, control_port, iopub_port, stdin_port, hb_port;
  char session[40];   /* this kernel's session id (a UUID) */
} kconn;

/* A received message: the routing identities, then the four JSON dicts
 * (owned by the message; kmsg_free releases them) and the msg_type. */
typedef struct kmsg {
  void *ids[KERNEL_MAX_IDS];
  size_t idlen[KERNEL_MAX_IDS];
  int nids;
  json_t *header, *parent, *metadata, *content;
  const char *type;   /* points into header */
} kmsg;

/* ---- kernel_msg.c ---- */
/* Reads the connection file; on failure writes a message into err, returns -1. */
int kconn_read (const char *path, kconn *c, char *err, size_t errlen);
/* A random (version 4) UUID, 36 characters and a NUL. */
void kernel_uuid (char out[40]);
/* Receives one multipart message on sock (non-blocking: returns 1 when none
 * is waiting). 0: a valid, correctly signed message in *m (kmsg_free it);
 * -1: a message that was rejected, with the reason in err (the parts were
 * consumed, nothing is kept). */
int kmsg_recv (void *sock, const kconn *c, kmsg *m, char *err, size_t errlen);
void kmsg_free (kmsg *m);
/* Sends msg_type with content (the reference is stolen) on sock, signed.
 * parent (may be NULL) gives the parent header and, when route is set, the
 * identities to send to (ROUTER sockets); on PUB sockets the topic is the
 * msg_type. Returns 0, or -1 when zmq refused. */
int kmsg_send (void *sock, const kconn *c, const kmsg *parent, int route,
               const char *msg_type, json_t *content);

/* ---- kernel_json.c ---- */
/* The Lua value at idx as JSON (a new reference, never NULL): tables with
 * keys 1..n (or marked by kjson_array's metatable) are arrays, other tables
 * objects; nil and NaN are null; strings that are not UTF-8 get U+FFFD. */
json_t *kjson_from_lua (lua_State *L, int idx);
/* Pushes j as a Lua value (null: nil; arrays get the array metatable). */
void kjson_push (lua_State *L, const json_t *j);
/* Pushes the metatable that marks a Lua table as a JSON array. */
void kjson_array_mt (lua_State *L);

/* ---- kernel_exec.c ---- */
typedef struct kernel kernel;   /* kernel_main.c */
/* Builds the Lua side in L: requires geolab.report_kernel and leaves its
 * handler function on top of the stack. */
void kexec_open (lua_State *L, kernel *k);
/* Pushes json(value [, indent]) -> string, jansson's encoding of a Lua value. */
void kexec_push_json (lua_State *L);
/* The kernel_info_reply content (shell and control). */
json_t *kexec_kernel_info (void);

/* ---- kernel_main.c (used by kernel_exec.c) ---- */
/* Publishes msg_type/content on iopub with the current request as parent. */
int kernel_publish (kernel *k, const char *msg_type, json_t *content);
/* Asks the frontend for one line of input (stdin channel). Returns a
 * malloc'd string, or NULL with an error in err: no stdin allowed, or the
 * wait was interrupted (SIGINT). */
char *kernel_input (kernel *k, const char *prompt, int password, char *err, size_t errlen);

/* ---- vm/kernel_main.c entry ---- */
int vm_kernel (int argc, char **argv);

#endif
