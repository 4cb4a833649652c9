/* repl.c: the interactive loop. Reads a chunk, continuing with ">> " while it
 * is incomplete; tries it as an expression first ("return <chunk>") so that
 * its values print through tostring; runs it; reports errors; goes on. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define PROMPT1 "> "
#define PROMPT2 ">> "
#define CHUNKNAME "=stdin"
#define EOFMARK "<eof>"

enum { REPL_EOF = -1, REPL_SKIP = -2 };

/* Is the syntax error on top an unfinished chunk? If so pops it (lua.c). */
static int repl_incomplete (lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    size_t mlen = sizeof(EOFMARK) - 1;
    if (len >= mlen && strcmp(msg + len - mlen, EOFMARK) == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

/* The values of an expression typed at the prompt, passed through. */
static int repl_values (lua_State *L) { return lua_gettop(L); }

/* Compiles the buffer on top: as an expression if "return <buffer>;" is
 * valid, else as it is. Pushes the function, and for an expression the
 * argument it expects (*nargs = 1), or the error message; the buffer stays.
 * An expression runs as "return (...)(<buffer>)", not "return <buffer>": a
 * call typed at the prompt must not be a tail call, whose frame Lua drops,
 * or an error it raises, `fig:subplots{nrow=2}`, could not be put at
 * "stdin:1:" and the traceback would lose the line typed. (...) is
 * repl_values, which returns every value of the expression. */
static int repl_compile (lua_State *L, int *nargs) {
  size_t len;
  const char *buf = lua_tolstring(L, -1, &len);
  const char *ret = lua_pushfstring(L, "return %s;", buf);
  int status = luaL_loadbuffer(L, ret, strlen(ret), CHUNKNAME);
  lua_remove(L, -2);   /* the "return" text */
  *nargs = 0;
  if (status == LUA_OK) {
    lua_pop(L, 1);
    /* the newline ends a trailing "-- comment" before the closing parenthesis */
    ret = lua_pushfstring(L, "return (...)(%s\n);", buf);
    status = luaL_loadbuffer(L, ret, strlen(ret), CHUNKNAME);
    lua_remove(L, -2);
    if (status == LUA_OK) {
      lua_pushcfunction(L, repl_values);
      *nargs = 1;
      return status;
    }
  }
  lua_pop(L, 1);
  return luaL_loadbuffer(L, buf, len, CHUNKNAME);
}

/* If the buffer on top ends in a method name without its call, `df:groupby`,
 * pushes a message saying so and returns 1: Lua would wait for the arguments
 * on the next line, and a Python user would wait for the value. */
static int repl_missing_call (lua_State *L) {
  size_t len;
  const char *buf = lua_tolstring(L, -1, &len);
  size_t e = len, i;
  while (e > 0 && (buf[e - 1] == ' ' || buf[e - 1] == '\t' || buf[e - 1] == '\n')) e--;
  i = e;
  while (i > 0 && (isalnum((unsigned char)buf[i - 1]) || buf[i - 1] == '_')) i--;
  if (i == e || i < 2 || buf[i - 1] != ':' || isdigit((unsigned char)buf[i])) return 0;
  char c = buf[i - 2];
  if (!(isalnum((unsigned char)c) || c == '_' || c == ']' || c == ')')) return 0;
  size_t s = i - 1;   /* the object: back over names, dots and brackets */
  while (s > 0 && (isalnum((unsigned char)buf[s - 1]) || strchr("_.[]\"'", buf[s - 1]))) s--;
  const char *obj = lua_pushlstring(L, buf + s, e - s);
  lua_pushfstring(L, "method call needs parentheses: %s(...)", obj);
  lua_replace(L, -3);   /* the message takes the buffer's place */
  lua_pop(L, 1);
  return 1;
}

/* "?name" asks for help: the chunk becomes help("name"). */
static int repl_help_line (lua_State *L, const char *line) {
  while (*line == ' ') line++;
  if (line[0] != '?') return 0;
  line++;
  while (*line == ' ') line++;
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\n')) n--;
  lua_getglobal(L, "string");
  lua_getfield(L, -1, "format");
  lua_pushliteral(L, "help(%q)");
  lua_pushlstring(L, line, n);
  lua_call(L, 2, 1);
  lua_remove(L, -2);
  return 1;
}

/* Reads and compiles one chunk: leaves the function and its *nargs
 * arguments (LUA_OK) or an error message on top, or returns REPL_EOF /
 * REPL_SKIP (Ctrl-C) with nothing. */
static int repl_load (lua_State *L, int *nargs) {
  char *line;
  int status, r = vm_input_read(PROMPT1, &line);
  if (r == VM_LINE_EOF) return REPL_EOF;
  if (r == VM_LINE_INTR) return REPL_SKIP;
  vm_input_history(line);
  /* "=expr" as in Lua 5.1-5.3's REPL: the '=' is not needed, but allowed */
  if (!repl_help_line(L, line)) lua_pushstring(L, line[0] == '=' ? line + 1 : line);
  free(line);
  for (;;) {
    status = repl_compile(L, nargs);
    if (!repl_incomplete(L, status)) break;
    if (repl_missing_call(L)) return LUA_ERRSYNTAX;   /* the message replaced the buffer */
    r = vm_input_read(PROMPT2, &line);
    if (r != VM_LINE_OK) {   /* Ctrl-C or end of input drops the chunk */
      lua_pop(L, 1);
      return r == VM_LINE_EOF ? REPL_EOF : REPL_SKIP;
    }
    vm_input_history(line);
    lua_pushliteral(L, "\n");
    lua_pushstring(L, line);
    free(line);
    lua_concat(L, 3);
  }
  lua_remove(L, -2 - *nargs);   /* the buffer */
  return status;
}

/* How the REPL shows a value: plain tables (no __tostring) as a short
 * constructor, `{2, 3}` or `{a = 1, b = "x"}`, so that `a.shape` reads like
 * Python's `(2, 3)`; everything else through tostring. */
static const char repl_show_src[] =
  "local function show(v, depth)\n"
  "  if type(v) == 'string' then return depth > 0 and string.format('%q', v) or v end\n"
  "  local mt = getmetatable(v)\n"
  "  if type(v) ~= 'table' or (mt and mt.__tostring) then return tostring(v) end\n"
  "  if depth >= 3 then return '{...}' end\n"
  "  local parts, n = {}, #v\n"
  "  for i = 1, math.min(n, 100) do parts[#parts + 1] = show(v[i], depth + 1) end\n"
  "  if n > 100 then parts[#parts + 1] = '...' end\n"
  "  local keys = {}\n"
  "  for k in pairs(v) do\n"
  "    if not (math.type(k) == 'integer' and k >= 1 and k <= n) then keys[#keys + 1] = k end\n"
  "  end\n"
  "  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
  "  for i, k in ipairs(keys) do\n"
  "    if i > 50 then parts[#parts + 1] = '...'; break end\n"
  "    local key = (type(k) == 'string' and k:match('^[%a_][%w_]*$')) and k or ('[' .. show(k, 1) .. ']')\n"
  "    parts[#parts + 1] = key .. ' = ' .. show(v[k], depth + 1)\n"
  "  end\n"
  "  return '{' .. table.concat(parts, ', ') .. '}'\n"
  "end\n"
  "local function text(...)\n"
  "  local out = table.pack(...)\n"
  "  for i = 1, out.n do out[i] = show(out[i], 0) end\n"
  "  return table.concat(out, '\\t', 1, out.n)\n"
  "end\n"
  "return function(...) print(text(...)) end, text\n";

/* Prints the values above base (see repl_show_src); prints nothing when
 * they are all nil. */
static void repl_print (lua_State *L, int base) {
  int i, n = lua_gettop(L) - base, shown = 0;
  for (i = 1; i <= n; i++) shown |= !lua_isnil(L, base + i);
  if (!shown) return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  if (luaL_loadbuffer(L, repl_show_src, sizeof repl_show_src - 1, "=repl") != LUA_OK) {
    lua_pop(L, 1);
    lua_getglobal(L, "print");
  } else {
    lua_call(L, 0, 1);
  }
  lua_insert(L, base + 1);
  vm_report(L, vm_docall(L, n, 0), NULL);
}

void vm_push_show (lua_State *L) {
  if (luaL_loadbuffer(L, repl_show_src, sizeof repl_show_src - 1, "=repl") != LUA_OK) lua_error(L);
  lua_call(L, 0, 2);
  lua_remove(L, -2);
}

void vm_repl (lua_State *L, int banner) {
  int status, nargs, base = lua_gettop(L);
  int tty = vm_input_open(L);
  if (banner && tty) {
    vm_print_version();
    fputs("Ctrl-D quits, Ctrl-C interrupts, Tab completes.\n", stdout);
  }
  while ((status = repl_load(L, &nargs)) != REPL_EOF) {
    if (status == REPL_SKIP) continue;
    if (status == LUA_OK) status = vm_docall(L, nargs, LUA_MULTRET);
    if (status == LUA_OK) repl_print(L, base);
    else vm_report(L, status, NULL);
    lua_settop(L, base);
    fflush(stdout);
  }
  vm_input_close();
}
