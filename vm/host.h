/* host.h: what the parts of the geolab host (the files in vm/) share. */
#ifndef GL_HOST_H
#define GL_HOST_H

#include <lua.h>
#include <lauxlib.h>

#ifndef GEOLAB_VERSION
#define GEOLAB_VERSION "0.0.0"
#endif

/* ---- report.c: error messages and short tracebacks ---- */
/* Message handler for lua_pcall: turns the error object into its message plus a
 * short traceback of Lua frames. */
int vm_msghandler (lua_State *L);
/* If status is an error, prints the message on top of the stack to stderr
 * (after flushing stdout), preceded by "prefix: " when prefix is not NULL, and
 * pops it. Returns status. */
int vm_report (lua_State *L, int status, const char *prefix);

/* ---- run.c: protected calls that Ctrl-C can interrupt ---- */
/* Calls the function below the narg arguments on top of the stack, with
 * vm_msghandler and the SIGINT handler that stops Lua code and kernels. */
int vm_docall (lua_State *L, int narg, int nres);
/* Lua-callable docall(f, ...) -> true, results... | false, message with
 * traceback: f runs through vm_docall on a thread of its own. */
int vm_lua_docall (lua_State *L);
/* Installs the SIGINT handler used while waiting for input (it only records
 * the signal), and tests-and-clears that record. */
void vm_sigint_prompt (void);
int vm_prompt_interrupted (void);

/* ---- input.c: reading REPL lines ---- */
enum { VM_LINE_OK, VM_LINE_EOF, VM_LINE_INTR };
/* Chooses readline (stdin and stdout are terminals) or plain stdio, loads the
 * history. Returns 1 when readline is used. */
int vm_input_open (lua_State *L);
/* Reads one line (without its newline) into *line, which the caller frees. */
int vm_input_read (const char *prompt, char **line);
/* Adds a line to the history and appends it to ~/.geolab_history. */
void vm_input_history (const char *line);
void vm_input_close (void);

/* ---- complete.c: tab completion of globals, fields and methods ---- */
void vm_complete_init (lua_State *L);
/* Lua-callable: text -> set of completions {["np.linspace"] = true, ...}. */
int vm_complete_find (lua_State *L);
/* Lua-callable: line (the text before the cursor) -> set of completions,
 * the 0-based byte offset where the text they replace starts. Inside a
 * string: a frame's column names after `df["`, else file names; outside:
 * as vm_complete_find for the name before the cursor (the Jupyter kernel). */
int vm_complete_line (lua_State *L);

/* ---- repl.c: the interactive loop ---- */
/* Runs the REPL on stdin until end of input; banner prints the version first. */
void vm_repl (lua_State *L, int banner);
/* Pushes show(...) -> the text the REPL prints for these values. */
void vm_push_show (lua_State *L);

/* ---- subcmd.c: geolab report|convert|run|verify ---- */
/* Is arg the name of a subcommand? */
int vm_subcommand_name (const char *arg);
/* Runs the subcommand argv[1] with its arguments; returns the exit status. */
int vm_subcommand (int argc, char **argv);

/* ---- grade.c, sandbox_*.c: geolab grade (child process, limits, sandbox) ---- */
/* Adds grade_spawn, grade_start, grade_poll, grade_kill, sleep, sandbox_lock,
 * exit_now, sandbox_paths, sandbox_check and
 * sandbox_refuse to the table on top of the stack (the subcommands' host table). */
void vm_grade_funcs (lua_State *L);
void vm_sandbox_paths_funcs (lua_State *L);
/* Each fills status (n bytes) with "active ..." or "unavailable (why)" and
 * returns 1 when the layer is on. read and write are NULL-terminated lists. */
int vm_landlock_apply (const char *const *read, const char *const *write, char *status, size_t n);
int vm_seccomp_apply (char *status, size_t n);

/* ---- proc.c: run a program, capture its output ---- */
/* Adds run(argv [, {timeout}]) -> code, stdout, stderr | nil, message and
 * self_exe() to the table on top of the stack (the subcommands' host table). */
void vm_proc_funcs (lua_State *L);

/* ---- main.c ---- */
/* Prints "geolab <version> (Lua <version>)" on stdout. */
void vm_print_version (void);

#endif
