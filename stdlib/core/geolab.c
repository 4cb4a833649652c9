/* geolab.c: module registry. Preloads the C modules and the embedded Lua
 * fronts, sets the globals, and is also the entry point of geolab.so for a
 * stock lua5.4 (require "geolab" or require "geolab.array"). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include "gl_embedded.h"
#include "gl_modules.h"

int luaopen_geolab_array(lua_State *L);
int luaopen_geolab_frame_core(lua_State *L);    /* stdlib/frame/frame_core.c */
int luaopen_geolab_plot_core(lua_State *L);     /* stdlib/plot/plot_data.c */
int luaopen_geolab_ml_core(lua_State *L);       /* stdlib/ml/ml_core.c */
int luaopen_geolab_spatial_core(lua_State *L);  /* stdlib/spatial/spatial_core.c */
int luaopen_geolab_signal_core(lua_State *L);   /* stdlib/signal/signal_core.c */
int luaopen_geolab_stats_core(lua_State *L);    /* stdlib/stats/stats_core.c */
int luaopen_geolab_fs_core(lua_State *L);       /* stdlib/fs/fs_core.c */
int luaopen_geolab_seis_core(lua_State *L);     /* stdlib/seis/seis_core.c */
int luaopen_geolab_nn_core(lua_State *L);       /* stdlib/nn/nn_core.c */
int luaopen_geolab_report_core(lua_State *L);   /* stdlib/report/report_core.c */

/* C parts of the Lua-fronted modules, preloaded as geolab.NAME_core. Plain
 * externs: a module listed here whose C part is missing fails the link. */
static const struct { const char *name; lua_CFunction open; } cores[] = {
  {"frame", luaopen_geolab_frame_core}, {"plot", luaopen_geolab_plot_core},
  {"ml", luaopen_geolab_ml_core}, {"spatial", luaopen_geolab_spatial_core},
  {"signal", luaopen_geolab_signal_core}, {"stats", luaopen_geolab_stats_core},
  {"fs", luaopen_geolab_fs_core}, {"seis", luaopen_geolab_seis_core},
  {"nn", luaopen_geolab_nn_core}, {"report", luaopen_geolab_report_core}};

/* The source of an embedded module, read after a one-line prefix that makes
 * `error` a local bound to gl_module_error (passed as the chunk's second
 * argument), so that errors raised in module code point at the user's line.
 * The prefix adds no newline: line numbers stay the file's. */
static const char error_prefix[] = "local error do local _, e = ... error = e end ";

typedef struct { const gl_embedded_file *f; int part; } embedded_reader;

static const char *read_embedded (lua_State *L, void *ud, size_t *size) {
  embedded_reader *r = ud;
  (void)L;
  switch (r->part++) {
    case 0: *size = sizeof error_prefix - 1; return error_prefix;
    case 1: *size = r->f->len; return r->f->source;
    default: *size = 0; return NULL;
  }
}

/* Loader of an embedded stdlib/NAME.lua: upvalue 1 is its index in gl_embedded. */
static int load_embedded (lua_State *L) {
  embedded_reader r = {&gl_embedded[lua_tointeger(L, lua_upvalueindex(1))], 0};
  char chunk[128];
  snprintf(chunk, sizeof chunk, "=[geolab.%s]", r.f->name);
  if (lua_load(L, read_embedded, &r, chunk, "t") != LUA_OK) return lua_error(L);
  lua_pushstring(L, lua_tostring(L, 1));  /* module name, as require passes it */
  lua_pushcfunction(L, gl_module_error);
  lua_call(L, 2, 1);
  return 1;
}

/* Globals: module name and its aliases. Only modules that exist are listed
 * (every module is built now), so that the REPL
 * never completes a global that then reads as nil. */
static const struct { const char *module, *global, *alias; } globals[] = {
  {"array", "array", "np"}, {"frame", "frame", "pd"}, {"plot", "plot", "plt"},
  {"ml", "ml", NULL}, {"spatial", "spatial", NULL}, {"stats", "stats", NULL},
  {"signal", "signal", NULL}, {"fs", "fs", NULL},
  {"seis", "seis", NULL}, {"nn", "nn", NULL}, {"optim", "optim", NULL}};

static void preload (lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_geolab_array);
  lua_setfield(L, -2, "geolab.array");
  for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++) {
    lua_pushfstring(L, "geolab.%s_core", cores[i].name);
    lua_pushcfunction(L, cores[i].open);
    lua_settable(L, -3);
  }
  for (int i = 0; gl_embedded[i].name; i++) {
    lua_pushfstring(L, "geolab.%s", gl_embedded[i].name);
    lua_pushinteger(L, i);
    lua_pushcclosure(L, load_embedded, 1);
    lua_settable(L, -3);
  }
  lua_pop(L, 1);
}

/* Makes the module on top of the stack strict (util.strict): a missing
 * field is an error naming the module as users write it (np, pd, plt). */
static void make_strict (lua_State *L, const char *name) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.util");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "strict");
  lua_pushvalue(L, -3);
  lua_pushstring(L, name);
  lua_call(L, 2, 0);
  lua_pop(L, 1);
}

/* Sets the globals of module i: require "geolab.NAME", then the global and
 * its alias. Leaves the module on the stack. */
static void set_module_globals (lua_State *L, size_t i) {
  lua_getglobal(L, "require");
  lua_pushfstring(L, "geolab.%s", globals[i].module);
  lua_call(L, 1, 1);
  make_strict(L, globals[i].alias ? globals[i].alias : globals[i].global);
  lua_pushglobaltable(L);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, globals[i].global);
  if (globals[i].alias) {
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, globals[i].alias);
  }
  lua_pop(L, 1);
}

/* __index of the global table: loads a module the first time its global is
 * read. Modules other than np cost ~13 ms to load, which would otherwise be
 * paid by every `geolab -e` and script that never uses them. */
static int lazy_global (lua_State *L) {
  const char *k = lua_tostring(L, 2);
  if (k == NULL) return 0;
  for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
    if (strcmp(k, globals[i].global) == 0 || (globals[i].alias && strcmp(k, globals[i].alias) == 0)) {
      set_module_globals(L, i);
      return 1;
    }
  }
  return 0;
}

/* np is set now; the other modules on first use. The global table's
 * metatable lists the lazy names in __lazy so that the REPL can complete them. */
static void set_globals (lua_State *L) {
  lua_pushglobaltable(L);
  lua_newtable(L);                      /* metatable of _G */
  lua_newtable(L);                      /* __lazy */
  for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
    if (strcmp(globals[i].module, "array") == 0) {
      set_module_globals(L, i);
      lua_pop(L, 1);
      continue;
    }
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, globals[i].global);
    if (globals[i].alias) { lua_pushboolean(L, 1); lua_setfield(L, -2, globals[i].alias); }
  }
  lua_setfield(L, -2, "__lazy");
  lua_pushcfunction(L, lazy_global);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

/* os.perf_counter(): monotonic wall-clock seconds, for timing (os.clock is
 * CPU time summed over threads, which misleads for threaded kernels). */
static int os_perf_counter (lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec * 1e-9);
  return 1;
}

/* help(x): the manual entry of x (stdlib/core/help.lua), loaded on first use. */
static int gl_help (lua_State *L) {
  int n = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.help");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "help");
  lua_insert(L, 1);
  lua_pop(L, 1);
  lua_call(L, n, 0);
  return 0;
}

void gl_open_libs (lua_State *L) {
  luaL_openlibs(L);
  lua_getglobal(L, "os");
  lua_pushcfunction(L, os_perf_counter);
  lua_setfield(L, -2, "perf_counter");
  lua_pop(L, 1);
  preload(L);
  set_globals(L);
  /* None: the value of a parameter that is unset (Python's None), so that
   * ml.RandomForestClassifier{max_depth = None} reads as in Python. */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.util");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "None");
  lua_setglobal(L, "None");
  lua_pop(L, 1);
  lua_pushcfunction(L, gl_help);
  lua_setglobal(L, "help");
}

/* require "geolab" from a stock lua5.4: preload everything, return a table
 * of the modules (and set no globals). */
int luaopen_geolab (lua_State *L) {
  preload(L);
  lua_newtable(L);
  for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
    lua_getglobal(L, "require");
    lua_pushfstring(L, "geolab.%s", globals[i].module);
    lua_call(L, 1, 1);
    lua_setfield(L, -2, globals[i].module);
  }
  return 1;
}
