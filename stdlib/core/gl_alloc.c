/* gl_alloc.c: a Lua allocator that recycles large blocks.
 *
 * Array buffers are Lua userdata, so the GC frees them and counts their size.
 * Each fresh large block is a new mmap whose pages the kernel must fault in
 * and zero on first touch: for a*b+c on 10^7 doubles that costs as much as the
 * arithmetic. Keeping a handful of freed large blocks and handing them back
 * for requests of about the same size removes that cost (NumPy gets the same
 * effect from its temporary elision and hugepage hints). The cache is per
 * lua_State, bounded in count and bytes, and released by gl_closestate. */
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "gl_alloc.h"

#define BIG ((size_t)1 << 20)       /* blocks below this go straight to realloc */
#define NSLOTS 32
#define MAX_CACHED ((size_t)1 << 30)

typedef struct block_cache {
  void *ptr[NSLOTS];
  size_t size[NSLOTS];
  int n;
  size_t bytes;
  lua_State *L;          /* the main thread, once lua_newstate returned */
  size_t big_live;       /* bytes in blocks of BIG or more now handed out */
  size_t small_new;      /* bytes of requests below BIG since the last gl_alloc_collect_small */
  size_t small_due;      /* small_new that calls for a collection */
  size_t failed;         /* size of the last refused request, 0 if none */
  char where[640];       /* the Lua frames that were running then */
} block_cache;

/* Notes where a refused request came from. Lua raises LUA_ERRMEM without
 * calling the message handler, and the stack is gone by the time the error
 * is reported; so the innermost frames are written down here, with
 * lua_getstack/lua_getinfo("Sl"), which read the call list and allocate
 * nothing. Only the first levels are looked at: lua_getstack is O(level). */
static void note_failure (block_cache *c, size_t nsize) {
  lua_Debug ar;
  size_t len = 0;
  int shown = 0;
  c->failed = nsize;
  c->where[0] = '\0';
  if (c->L == NULL) return;
  for (int level = 0; level < 40 && shown < 5 && lua_getstack(c->L, level, &ar); level++) {
    if (!lua_getinfo(c->L, "Sl", &ar) || *ar.what == 'C') continue;
    char fn[80];
    if (*ar.what == 'm') snprintf(fn, sizeof fn, "main chunk");
    else snprintf(fn, sizeof fn, "function <%s:%d>", ar.short_src, ar.linedefined);
    int k = snprintf(c->where + len, sizeof c->where - len, "\n  %s:%d: in %s",
                     ar.short_src, ar.currentline, fn);
    if (k < 0 || (size_t)k >= sizeof c->where - len) break;
    len += (size_t)k;
    shown++;
  }
}

static void *take_cached (block_cache *c, size_t nsize) {
  int best = -1;
  for (int i = 0; i < c->n; i++)  /* the smallest block that fits within 25% */
    if (c->size[i] >= nsize && c->size[i] - nsize <= nsize / 4 &&
        (best < 0 || c->size[i] < c->size[best])) best = i;
  if (best < 0) return NULL;
  void *p = c->ptr[best];
  c->bytes -= c->size[best];
  c->n--;
  c->ptr[best] = c->ptr[c->n];
  c->size[best] = c->size[c->n];
  return p;
}

static void give_back (block_cache *c, void *ptr, size_t size) {
  if (c->bytes + size > MAX_CACHED) { free(ptr); return; }
  if (c->n == NSLOTS) {  /* evict the oldest */
    c->bytes -= c->size[0];
    free(c->ptr[0]);
    memmove(c->ptr, c->ptr + 1, sizeof(void *) * (NSLOTS - 1));
    memmove(c->size, c->size + 1, sizeof(size_t) * (NSLOTS - 1));
    c->n--;
  }
  c->ptr[c->n] = ptr;
  c->size[c->n] = size;
  c->n++;
  c->bytes += size;
}

/* The lua_Alloc contract (lauxlib.c l_alloc). A cached block handed out for
 * a smaller request is later returned with that smaller size: the slack is
 * only forgotten, never misused. */
static void *cache_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  block_cache *c = (block_cache *)ud;
  if (nsize == 0) {
    if (ptr && osize >= BIG) { c->big_live -= osize; give_back(c, ptr, osize); }
    else free(ptr);
    return NULL;
  }
  if (ptr == NULL && nsize >= BIG) {
    void *p = take_cached(c, nsize);
    if (p) { c->big_live += nsize; return p; }
  }
  void *p = realloc(ptr, nsize);
  if (p == NULL) { note_failure(c, nsize); return NULL; }
  if (ptr && osize >= BIG) c->big_live -= osize;
  if (nsize >= BIG) c->big_live += nsize;
  else if (ptr == NULL) c->small_new += nsize;
  return p;
}

/* Lua starts a cycle when the heap has grown by half of what the last one
 * left alive, large array buffers included. With a dataset of D bytes alive
 * (Fashion-MNIST as float32: 188 MB), D / 2 of small dead arrays (a training
 * step's activations and gradients, a few KB each) pile up first: the first
 * such cycle's worth is fresh memory the kernel faults in and zeroes page by
 * page (19,000 faults, 10% of a one-epoch MLP run). Here the small garbage
 * is collected on its own clock: once the requests below BIG since the last
 * time reach max(8 MB, the small heap then alive), a full collection, whose
 * cost follows the small heap (the large buffers are single objects). So a
 * program's small allocations are paced as by a pause of 200 on its small
 * heap alone, and a training loop keeps reusing the same few MB. */
#define SMALL_DUE_MIN ((size_t)8 << 20)
void gl_alloc_collect_small (lua_State *L) {
  void *ud;
  if (lua_getallocf(L, &ud) != cache_alloc) return;
  block_cache *c = (block_cache *)ud;
  if (c->small_new < (c->small_due > SMALL_DUE_MIN ? c->small_due : SMALL_DUE_MIN)) return;
  c->small_new = 0;
  if (!lua_gc(L, LUA_GCISRUNNING)) return;   /* collectgarbage("stop") holds */
  lua_gc(L, LUA_GCCOLLECT);
  size_t total = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
  c->small_due = total > c->big_live ? total - c->big_live : 0;
  c->small_new = 0;
}

const char *gl_alloc_failure (lua_State *L, size_t *bytes) {
  void *ud;
  if (lua_getallocf(L, &ud) != cache_alloc) return NULL;
  block_cache *c = (block_cache *)ud;
  if (c->failed == 0) return NULL;
  *bytes = c->failed;
  c->failed = 0;
  return c->where;
}

static int panic (lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  lua_writestringerror("PANIC: unprotected error in call to Lua API (%s)\n", msg ? msg : "?");
  return 0;
}

lua_State *gl_newstate (void) {
  block_cache *c = (block_cache *)calloc(1, sizeof *c);
  if (!c) return NULL;
  lua_State *L = lua_newstate(cache_alloc, c);
  if (!L) { free(c); return NULL; }
  c->L = L;
  lua_atpanic(L, panic);
  /* A GC cycle starts when the heap reaches 1.5 times what the last one left
   * alive, not Lua's default 2 times: the heap here is mostly array buffers,
   * so with a dataset of D bytes alive the default let up to D bytes of dead
   * temporaries pile up (a CNN epoch on Fashion-MNIST peaked at 474 MB instead
   * of 354). The objects are few and large, so the extra cycles cost little. */
  lua_gc(L, LUA_GCINC, 150, 0, 0);
  return L;
}

void gl_closestate (lua_State *L) {
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  lua_close(L);
  if (f == cache_alloc) {
    block_cache *c = (block_cache *)ud;
    for (int i = 0; i < c->n; i++) free(c->ptr[i]);
    free(c);
  }
}
