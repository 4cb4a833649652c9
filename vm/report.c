/* report.c: error messages and short tracebacks for scripts and the REPL.
 * A student needs the message and the few Lua lines that led to it, not the
 * C frames of the interpreter, so the traceback lists Lua frames only. */
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "gl_alloc.h"
#include "gl_array.h"
#include "gl_modules.h"

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

/* The deepest valid level, by exponential then binary search (lauxlib.c
 * lastlevel): lua_getstack walks the call list from the top, so asking for
 * every level in turn would cost O(depth^2), 13 minutes for a stack overflow. */
static int tb_lastlevel (lua_State *L) {
  lua_Debug ar;
  int li = 1, le = 1;
  while (lua_getstack(L, le, &ar)) { li = le; le *= 2; }
  while (li < le) {
    int m = (li + le) / 2;
    if (lua_getstack(L, m, &ar)) li = m + 1;
    else le = m;
  }
  return le - 1;
}

/* Is level a Lua (not C) frame? Fills ar for tb_frame when it is. */
static int tb_lua_frame (lua_State *L, int level, lua_Debug *ar) {
  if (!lua_getstack(L, level, ar)) return 0;
  lua_getinfo(L, "Slnt", ar);
  return *ar->what != 'C';   /* C frames are interpreter internals: noise */
}

/* Pushes "stack traceback:" and the Lua frames from `level`, or "" if none:
 * the TB_HEAD innermost, "...  (N more)" and the TB_TAIL outermost, as
 * luaL_traceback does. Only about TB_SCAN levels are examined at each end, so
 * the cost is O(depth log depth) whatever the depth. */
#define TB_SCAN 64
static void tb_push (lua_State *L, int level) {
  luaL_Buffer b;
  lua_Debug ar;
  int last = tb_lastlevel(L), shown = 0, tail[TB_TAIL], ntail = 0, lv;
  luaL_buffinit(L, &b);
  for (lv = level; lv <= last && shown < TB_HEAD && lv < level + TB_SCAN; lv++) {
    if (!tb_lua_frame(L, lv, &ar)) continue;
    if (shown++ == 0) luaL_addstring(&b, "\nstack traceback:");
    tb_frame(L, &b, &ar);
  }
  int head_end = lv;   /* first level not yet looked at */
  for (int t = last; t >= head_end && ntail < TB_TAIL && t > last - TB_SCAN; t--)
    if (tb_lua_frame(L, t, &ar)) tail[ntail++] = t;
  int tail_start = ntail > 0 ? tail[ntail - 1] : last + 1;
  int gap = tail_start - head_end, nlua = gap, one = 0;
  if (gap > 0 && gap <= TB_SCAN) {   /* a short gap: count its Lua frames exactly */
    nlua = 0;
    for (lv = head_end; lv < tail_start; lv++)
      if (tb_lua_frame(L, lv, &ar)) { nlua++; one = lv; }
  }
  if (nlua == 1) {   /* no point eliding a single frame */
    tb_lua_frame(L, one, &ar);
    if (shown++ == 0) luaL_addstring(&b, "\nstack traceback:");
    tb_frame(L, &b, &ar);
  } else if (nlua > 1) {
    if (shown == 0) luaL_addstring(&b, "\nstack traceback:");
    lua_pushfstring(L, "\n  ...  (%d more)", nlua);
    luaL_addvalue(&b);
  }
  for (int k = ntail - 1; k >= 0; k--) {
    tb_lua_frame(L, tail[k], &ar);
    if (shown++ == 0) luaL_addstring(&b, "\nstack traceback:");
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

/* Pushes "<source>:<line>: " of the innermost user frame from `level`, or "".
 * Frames of geolab's own Lua chunks are passed over, as gl_moderror.c does: a
 * C binding's error (no position) raised under a module's Lua code would
 * otherwise read "[geolab.frame]:62: pd.read_csv: ...". When the user's call
 * was a tail call (`return plt.subplots{...}`) its frame is gone and the
 * next user frame out is the nearest honest position; none gives "". */
static void push_where (lua_State *L, int level) {
  lua_Debug ar;
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0 && !gl_module_source(ar.source)) {
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
    size_t bytes = 0;
    const char *where = status == LUA_ERRMEM ? gl_alloc_failure(L, &bytes) : NULL;
    if (where != NULL) {   /* no message handler ran: say what the allocator saw */
      char sz[32];
      fprintf(stderr, "%s (a request for %s was refused)", msg, gl_format_bytes(sz, sizeof sz, (double)bytes));
      if (*where) fprintf(stderr, "\nstack traceback:%s", where);
      fprintf(stderr, "\n");
    } else fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}
