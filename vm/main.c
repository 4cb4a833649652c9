/* main.c: the geolab command line. Parses options, builds the state (all
 * modules, seed, threads), sets `arg`, runs -e/-l and the script in order,
 * then the REPL when asked for or when there is nothing else to do. Kept
 * cheap: readline and the history are touched only when the REPL starts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "host.h"
#include "kernel.h"
#include "gl_alloc.h"
#include "gl_modules.h"
#include "gl_types.h"

static const char *progname = "geolab";

typedef struct opts {
  int has_e, has_i, has_v, has_E, has_W, has_h;
  int script;           /* index of the script in argv, or argc if none */
  lua_Integer seed;
  int threads;          /* 0: all cores */
} opts;

static void print_usage (FILE *f) {
  fprintf(f,
    "usage: %s [options] [script [args]]\n"
    "Available options are:\n"
    "  -e stat        execute string 'stat' (may be repeated)\n"
    "  -i             enter the REPL after running 'script' and -e\n"
    "  -l mod         require library 'mod' into global 'mod' (-l g=mod: into 'g')\n"
    "  -v, --version  show version information\n"
    "  -E             ignore environment variables (LUA_PATH, LUA_CPATH)\n"
    "  -W             turn warnings on\n"
    "  --seed N       seed of the global random generator (default 0)\n"
    "  --threads N    threads for parallel kernels (default: all cores)\n"
    "  -h, --help     show this help and exit\n"
    "  --             stop handling options\n"
    "  -              execute stdin and stop handling options\n"
    "With no script and no -e, %s starts the REPL.\n"
    "Subcommands (first argument; see docs/notebooks.md):\n"
    "  %s report script.lua -o report.html|report.ipynb   run cell by cell, write a report\n"
    "  %s convert notebook.ipynb -o script.lua            notebook <-> script with cells\n"
    "  %s run --manifest m.json script.lua [args]         run, hashing outputs and files\n"
    "                                                     (a notebook.ipynb: its code cells in order)\n"
    "  %s verify m.json [script.lua]                      rerun and compare with a manifest\n"
    "  %s grade sub.lua --data DIR --out DIR [...]        rerun in a sandbox, summarise (docs/grading.md)\n"
    "  %s check sub.lua --tests public.tests.lua          a student's run of the teacher's tests\n"
    "  %s sweep script.lua --grid g.lua --out DIR         one run per grid point, a results table\n"
    "                                                     (--jobs N or --slurm; docs/cluster.md)\n"
    "  %s tiles plan|run|merge ...                        tiled eigenfeatures and DBSCAN of a cloud\n"
    "  %s kernel install [--user|--prefix P]              the Jupyter kernel (docs/jupyter.md)\n",
    progname, progname, progname, progname, progname, progname, progname, progname, progname, progname, progname);
}

void vm_print_version (void) {
  printf("geolab %s (%s)\n", GEOLAB_VERSION, LUA_RELEASE);
  fflush(stdout);
}

static int usage_error (const char *fmt, const char *what) {
  fprintf(stderr, "%s: ", progname);
  fprintf(stderr, fmt, what);
  fputc('\n', stderr);
  print_usage(stderr);
  return 0;
}

/* Integer option value from "--name N" or "--name=N"; advances *i. */
static int opt_value (char **argv, int *i, const char *name, const char **val) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0) return 0;
  if (a[n] == '=') { *val = a + n + 1; return 1; }
  if (a[n] != '\0') return 0;
  *val = argv[++*i];   /* NULL when missing */
  return 1;
}

static int parse_int (const char *s, long long *v) {
  char *end;
  if (s == NULL || *s == '\0') return 0;
  errno = 0;
  *v = strtoll(s, &end, 10);
  return errno == 0 && *end == '\0';
}

/* Scans the options (first pass, like lua.c collectargs). Returns 0 after
 * printing a usage error. -e and -l are run later, in order. */
static int collect_args (char **argv, int argc, opts *o) {
  int i;
  memset(o, 0, sizeof *o);
  o->script = argc;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val;
    long long v;
    if (a[0] != '-') { o->script = i; return 1; }   /* the script */
    if (strcmp(a, "-") == 0) { o->script = i; return 1; }   /* stdin */
    if (strcmp(a, "--") == 0) {
      if (i + 1 < argc) o->script = i + 1;
      return 1;
    }
    if (opt_value(argv, &i, "--seed", &val)) {
      if (!parse_int(val, &v)) return usage_error("--seed needs an integer, got '%s'", val ? val : "");
      o->seed = (lua_Integer)v;
    }
    else if (opt_value(argv, &i, "--threads", &val)) {
      if (!parse_int(val, &v) || v < 1 || v > 4096)
        return usage_error("--threads needs a positive integer, got '%s'", val ? val : "");
      o->threads = (int)v;
    }
    else if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) o->has_v = 1;
    else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) o->has_h = 1;
    else if (strcmp(a, "-i") == 0) o->has_i = 1;
    else if (strcmp(a, "-E") == 0) o->has_E = 1;
    else if (strcmp(a, "-W") == 0) o->has_W = 1;
    else if (strncmp(a, "-e", 2) == 0 || strncmp(a, "-l", 2) == 0) {
      if (a[1] == 'e') o->has_e = 1;
      if (a[2] == '\0' && (++i >= argc || argv[i] == NULL))
        return usage_error("'%s' needs an argument", a);
    }
    else return usage_error("unrecognized option '%s'", a);
  }
  return 1;
}

/* arg[0] is the script, arg[1..] its arguments, interpreter options below 0. */
static void create_arg_table (lua_State *L, char **argv, int argc, int script) {
  int i;
  if (script == argc) script = 0;   /* no script: the program name is arg[0] */
  lua_createtable(L, argc - script - 1 > 0 ? argc - script - 1 : 0, script + 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int run_chunk (lua_State *L, int status) {
  if (status == LUA_OK) status = vm_docall(L, 0, 0);
  return vm_report(L, status, NULL) == LUA_OK;
}

/* -l mod or -l g=mod: g = require "mod" (g defaults to the last part of mod). */
static int run_library (lua_State *L, const char *spec) {
  const char *eq = strchr(spec, '='), *mod = eq ? eq + 1 : spec, *dot;
  int status;
  lua_getglobal(L, "require");
  lua_pushstring(L, mod);
  status = vm_docall(L, 1, 1);
  if (status != LUA_OK) return vm_report(L, status, NULL) == LUA_OK;
  if (eq != NULL) lua_pushlstring(L, spec, (size_t)(eq - spec));
  else if ((dot = strrchr(mod, '.')) != NULL) lua_pushstring(L, dot + 1);
  else lua_pushstring(L, mod);
  lua_insert(L, -2);
  lua_setglobal(L, lua_tostring(L, -2));
  lua_pop(L, 1);
  return 1;
}

/* Runs -e and -l in command-line order (the options were checked already). */
static int run_args (lua_State *L, char **argv, int upto) {
  int i;
  for (i = 1; i < upto; i++) {
    const char *a = argv[i], *val;
    if (strcmp(a, "--seed") == 0 || strcmp(a, "--threads") == 0) { i++; continue; }
    if (a[0] != '-' || (a[1] != 'e' && a[1] != 'l')) continue;
    val = a[2] != '\0' ? a + 2 : argv[++i];
    if (a[1] == 'e') {
      if (!run_chunk(L, luaL_loadbuffer(L, val, strlen(val), "=(command line)")))
        return 0;
    }
    else if (!run_library(L, val)) return 0;
  }
  return 1;
}

/* Runs the script at argv[script] ("-": stdin) with arg[1..] as `...`. */
static int run_script (lua_State *L, char **argv, int argc, int script) {
  const char *fname = argv[script];
  int i, status;
  if (strcmp(fname, "-") == 0 && strcmp(argv[script - 1], "--") != 0) fname = NULL;
  status = luaL_loadfile(L, fname);
  if (status == LUA_ERRFILE) return vm_report(L, status, progname) == LUA_OK;
  if (status != LUA_OK) return vm_report(L, status, NULL) == LUA_OK;
  luaL_checkstack(L, argc - script, "too many arguments to script");
  for (i = script + 1; i < argc; i++) lua_pushstring(L, argv[i]);
  status = vm_docall(L, argc - script - 1, 0);
  return vm_report(L, status, NULL) == LUA_OK;
}

/* np.random.seed(seed), when the random module is there. */
static int set_seed (lua_State *L, lua_Integer seed) {
  int status = LUA_OK;
  if (lua_getglobal(L, "np") == LUA_TTABLE &&
      lua_getfield(L, -1, "random") == LUA_TTABLE &&
      lua_getfield(L, -1, "seed") == LUA_TFUNCTION) {
    lua_pushinteger(L, seed);
    status = vm_report(L, vm_docall(L, 1, 0), progname);
  }
  lua_settop(L, 0);
  return status == LUA_OK;
}

/* Everything that may raise runs here, protected (lua.c pmain). */
static int pmain (lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  const opts *o = (const opts *)lua_touserdata(L, 3);
  int ok;
  lua_settop(L, 0);
  luaL_checkversion(L);
  if (o->has_E) {   /* the package library reads this when it opens */
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  if (o->threads > 0) gl_set_threads(o->threads);
  lua_gc(L, LUA_GCSTOP);   /* faster start-up, as in lua.c */
  gl_open_libs(L);
  lua_gc(L, LUA_GCRESTART);
  create_arg_table(L, argv, argc, o->script);
  if (!set_seed(L, o->seed)) return 0;
  if (o->has_W) lua_warning(L, "@on", 0);
  if (o->has_v) vm_print_version();
  ok = run_args(L, argv, o->script);
  if (ok && o->script < argc) ok = run_script(L, argv, argc, o->script);
  if (o->has_i || (o->script == argc && !o->has_e && !o->has_v))
    vm_repl(L, !o->has_v);   /* after a failed script too: to inspect it */
  if (!ok) return 0;
  lua_pushboolean(L, 1);
  return 1;
}

int main (int argc, char **argv) {
  lua_State *L;
  opts o;
  int status, ok;
  if (argc > 1 && strcmp(argv[1], "kernel") == 0) return vm_kernel(argc, argv);
  if (argc > 1 && vm_subcommand_name(argv[1])) return vm_subcommand(argc, argv);
  if (!collect_args(argv, argc, &o)) return EXIT_FAILURE;
  if (o.has_h) { print_usage(stdout); return EXIT_SUCCESS; }
  L = gl_newstate();  /* recycles large array buffers (stdlib/core/gl_alloc.c) */
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create state: not enough memory\n", progname);
    return EXIT_FAILURE;
  }
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  lua_pushlightuserdata(L, &o);
  status = lua_pcall(L, 3, 1, 0);
  ok = lua_toboolean(L, -1);
  vm_report(L, status, progname);
  gl_closestate(L);
  return (ok && status == LUA_OK) ? EXIT_SUCCESS : EXIT_FAILURE;
}
