/* repl.c: the interactive loop. Reads a chunk, continuing with ">> " while it
 * is incomplete; tries it as an expression first ("return <chunk>") so that
 * its values print through tostring; runs it; reports errors; goes on. */
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

/* Compiles the buffer on top, as "return <buffer>;" if that is valid, else as
 * it is. Pushes the function or the error message; the buffer stays. */
static int repl_compile (lua_State *L) {
  size_t len;
  const char *buf = lua_tolstring(L, -1, &len);
  const char *ret = lua_pushfstring(L, "return %s;", buf);
  int status = luaL_loadbuffer(L, ret, strlen(ret), CHUNKNAME);
  lua_remove(L, -2);   /* the "return" text */
  if (status == LUA_OK) return status;
  lua_pop(L, 1);
  return luaL_loadbuffer(L, buf, len, CHUNKNAME);
}

/* Reads and compiles one chunk: leaves the function (LUA_OK) or an error
 * message on top, or returns REPL_EOF / REPL_SKIP (Ctrl-C) with nothing. */
static int repl_load (lua_State *L) {
  char *line;
  int status, r = vm_input_read(PROMPT1, &line);
  if (r == VM_LINE_EOF) return REPL_EOF;
  if (r == VM_LINE_INTR) return REPL_SKIP;
  vm_input_history(line);
  /* "=expr" as in Lua 5.1-5.3's REPL: the '=' is not needed, but allowed */
  lua_pushstring(L, line[0] == '=' ? line + 1 : line);
  free(line);
  for (;;) {
    status = repl_compile(L);
    if (!repl_incomplete(L, status)) break;
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
  lua_remove(L, -2);   /* the buffer */
  return status;
}

/* Prints the values above base through the global print (so __tostring is
 * used); prints nothing when they are all nil. */
static void repl_print (lua_State *L, int base) {
  int i, n = lua_gettop(L) - base, shown = 0;
  for (i = 1; i <= n; i++) shown |= !lua_isnil(L, base + i);
  if (!shown) return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "print");
  lua_insert(L, base + 1);
  vm_report(L, vm_docall(L, n, 0), NULL);
}

void vm_repl (lua_State *L, int banner) {
  int status, base = lua_gettop(L);
  int tty = vm_input_open(L);
  if (banner && tty) {
    vm_print_version();
    fputs("Ctrl-D quits, Ctrl-C interrupts, Tab completes.\n", stdout);
  }
  while ((status = repl_load(L)) != REPL_EOF) {
    if (status == REPL_SKIP) continue;
    if (status == LUA_OK) status = vm_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK) repl_print(L, base);
    else vm_report(L, status, NULL);
    lua_settop(L, base);
    fflush(stdout);
  }
  vm_input_close();
}
