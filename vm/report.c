/* report.c: error messages and short tracebacks for scripts and the REPL.
 * A student needs the message and the few Lua lines that led to it, not the
 * C frames of the interpreter, so the traceback lists Lua frames only. */
#include <stdio.h>
#include <string.h>

#include "host.h"

#define TB_HEAD 5   /* innermost frames shown */
#define TB_TAIL 2   /* outermost frames shown when some are skipped */

/* Appends one line describing the Lua frame `ar`. */
static void tb_frame (lua_State *L, luaL_Buffer *b, lua_Debug *ar) {
  if (ar->currentline > 0)
    lua_pushfstring(L, "\n  %s:%d: in ", ar->short_src, ar->currentline);
  else
    lua_pushfstring(L, "\n  %s: in ", ar->short_src);
  luaL_addvalue(b);
  if (*ar->what == 'm')
    luaL_addstring(b, "main chunk");
  else if (ar->name != NULL && strcmp(ar->namewhat, "method") == 0)
    lua_pushfstring(L, "method '%s'", ar->name), luaL_addvalue(b);
  else if (ar->name != NULL && *ar->namewhat != '\0')
    lua_pushfstring(L, "function '%s'", ar->name), luaL_addvalue(b);
  else
    lua_pushfstring(L, "function <%s:%d>", ar->short_src, ar->linedefined),
    luaL_addvalue(b);
}

/* Counts the Lua (not C) frames from `level` outwards. */
static int tb_count (lua_State *L, int level) {
  lua_Debug ar;
  int n = 0;
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "S", &ar);
    if (*ar.what != 'C') n++;
  }
  return n;
}

/* Pushes "stack traceback:" and the Lua frames from `level`, or "" if none. */
static void tb_push (lua_State *L, int level) {
  luaL_Buffer b;
  lua_Debug ar;
  int total = tb_count(L, level), i = 0;
  luaL_buffinit(L, &b);
  if (total > 0) luaL_addstring(&b, "\nstack traceback:");
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Slnt", &ar);
    if (*ar.what == 'C') continue;   /* interpreter internals: noise */
    i++;
    if (total > TB_HEAD + TB_TAIL + 1 && i > TB_HEAD && i <= total - TB_TAIL) {
      if (i == TB_HEAD + 1) {
        lua_pushfstring(L, "\n  ...  (%d more)", total - TB_HEAD - TB_TAIL);
        luaL_addvalue(&b);
      }
      continue;
    }
    tb_frame(L, &b, &ar);
  }
  luaL_pushresult(&b);
}

/* Does the first line of msg hold a position "<source>:<line>:"? */
static int has_position (const char *msg) {
  const char *p;
  for (p = msg; *p != '\0' && *p != '\n'; p++) {
    if (*p == ':' && p[1] >= '0' && p[1] <= '9') {
      const char *q = p + 1;
      while (*q >= '0' && *q <= '9') q++;
      if (*q == ':') return 1;
    }
  }
  return 0;
}

/* Pushes "<source>:<line>: " of the innermost Lua frame from `level`, or "". */
static void push_where (lua_State *L, int level) {
  lua_Debug ar;
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

int vm_msghandler (lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {  /* not a string: use __tostring if it gives one */
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  /* errors raised by C functions often carry no position: add the Lua
   * line that called them, so every message reads file:line: message */
  if (has_position(msg)) lua_pushliteral(L, "");
  else push_where(L, 1);   /* level 0 is this handler */
  lua_pushstring(L, msg);
  tb_push(L, 1);
  lua_concat(L, 3);
  return 1;
}

int vm_report (lua_State *L, int status, const char *prefix) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
    fflush(stdout);   /* keep what was printed before the error above it */
    if (prefix != NULL) fprintf(stderr, "%s: ", prefix);
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}
