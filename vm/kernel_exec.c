/* kernel_exec.c: the host functions that the Lua side of the kernel
 * (stdlib/report/report_kernel.lua) runs cells with: publish on iopub, ask
 * the frontend for input, the protected call with Ctrl-C, the REPL's
 * completion and value display, and JSON encoding. The execution logic
 * itself (capturing output, figures, results, errors) is Lua, shared with
 * the report engine (stdlib/report/report.lua). */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "host.h"
#include "kernel.h"

#define LANGUAGE_VERSION LUA_VERSION_MAJOR "." LUA_VERSION_MINOR

static kernel *get_kernel (lua_State *L) {
  return (kernel *)lua_touserdata(L, lua_upvalueindex(1));
}

/* publish(msg_type, content): an iopub message, parent the current request. */
static int kx_publish (lua_State *L) {
  const char *type = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  json_t *c = kjson_from_lua(L, 2);
  lua_pushboolean(L, kernel_publish(get_kernel(L), type, c) == 0);
  return 1;
}

/* input(prompt, password) -> the line the user typed (without newline). */
static int kx_input (lua_State *L) {
  const char *prompt = luaL_optstring(L, 1, "");
  int password = lua_toboolean(L, 2);
  char err[200];
  char *line = kernel_input(get_kernel(L), prompt, password, err, sizeof err);
  if (line == NULL) return luaL_error(L, "%s", err);
  lua_pushstring(L, line);
  free(line);
  return 1;
}

/* uuid() -> a random UUID (display ids) */
static int kx_uuid (lua_State *L) {
  char u[40];
  kernel_uuid(u);
  lua_pushstring(L, u);
  return 1;
}

/* json(value [, indent]) -> string */
static int kx_json (lua_State *L) {
  int indent = (int)luaL_optinteger(L, 2, 0);
  json_t *j = kjson_from_lua(L, 1);
  char *s = json_dumps(j, JSON_ENCODE_ANY | (indent > 0 ? JSON_INDENT(indent) : JSON_COMPACT));
  json_decref(j);
  if (s == NULL) return luaL_error(L, "json: cannot encode this value");
  lua_pushstring(L, s);
  free(s);
  return 1;
}

void kexec_push_json (lua_State *L) {
  lua_pushcfunction(L, kx_json);
}

json_t *kexec_kernel_info (void) {
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:[{s:s, s:s}]}",
    "status", "ok", "protocol_version", KERNEL_PROTOCOL, "implementation", "geolab",
    "implementation_version", GEOLAB_VERSION,
    "banner", "geolab " GEOLAB_VERSION " (" LUA_RELEASE "): NumPy, pandas, matplotlib, scikit-learn "
              "and PyTorch in Lua. help() lists the modules.",
    "language_info", "name", "lua", "version", LANGUAGE_VERSION, "mimetype", "text/x-lua",
    "file_extension", ".lua", "pygments_lexer", "lua", "codemirror_mode", "lua",
    "help_links", "text", "Lua 5.4 manual", "url", "https://www.lua.org/manual/5.4/");
}

void kexec_open (lua_State *L, kernel *k) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.report_kernel");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "new");
  lua_createtable(L, 0, 8);
  lua_pushlightuserdata(L, k);
  lua_pushcclosure(L, kx_publish, 1);
  lua_setfield(L, -2, "publish");
  lua_pushlightuserdata(L, k);
  lua_pushcclosure(L, kx_input, 1);
  lua_setfield(L, -2, "input");
  lua_pushcfunction(L, vm_lua_docall);
  lua_setfield(L, -2, "docall");
  lua_pushcfunction(L, vm_complete_find);
  lua_setfield(L, -2, "complete");
  lua_pushcfunction(L, vm_complete_line);
  lua_setfield(L, -2, "complete_line");
  vm_push_show(L);
  lua_setfield(L, -2, "show");
  lua_pushcfunction(L, kx_json);
  lua_setfield(L, -2, "json");
  lua_pushcfunction(L, kx_uuid);
  lua_setfield(L, -2, "uuid");
  kjson_array_mt(L);
  lua_setfield(L, -2, "array_mt");
  lua_pushliteral(L, GEOLAB_VERSION);
  lua_setfield(L, -2, "version");
  lua_call(L, 1, 1);   /* K.new(host) -> handler */
  lua_remove(L, -2);
}
