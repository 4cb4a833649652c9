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
#ifdef __GLIBC__
#include <malloc.h>
#endif
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
    if (ptr && osize >= BIG) give_back(c, ptr, osize);
    else free(ptr);
    return NULL;
  }
  if (ptr == NULL && nsize >= BIG) {
    void *p = take_cached(c, nsize);
    if (p) return p;
  }
  void *p = realloc(ptr, nsize);
  if (p == NULL) note_failure(c, nsize);
  return p;
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

/* glibc's malloc serves blocks from 128 KiB up with mmap, and gives the
 * top of the heap back to the kernel once 128 KiB of it is free; both
 * thresholds rise only as mapped blocks are freed. A training step frees
 * and asks again for the same few dozen buffers of 100 KiB to a few MiB
 * (activations, gradients, im2col scratch): with the defaults they came
 * back as fresh pages, faulted in and zeroed by the kernel, and the course
 * CNN's epoch took 660,000 page faults and 2.3 s instead of 22,000 and
 * 1.2 s once each batch's garbage was collected (nn_data.lua). Blocks
 * below 4 MiB now come from the heap, and up to 8 MiB of free heap top is
 * kept; larger blocks are mapped as before (and those of 1 MiB and more
 * are recycled by the cache above). Peak memory of the bench's cases moved
 * by under 1 MB (bench/memory.lua); 32 MiB for both held 9 MB more in the
 * kd-tree case. */
static void tune_malloc (void) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
}

lua_State *gl_newstate (void) {
  tune_malloc();
  block_cache *c = (block_cache *)calloc(1, sizeof *c);
  if (!c) return NULL;
  lua_State *L = lua_newstate(cache_alloc, c);
  if (!L) { free(c); return NULL; }
  c->L = L;
  lua_atpanic(L, panic);
  /* Generational collection: a minor cycle each time the heap grows by 5%,
   * a major one when it has grown by 50% since the last major. The heap here
   * is mostly array buffers: a dataset that stays alive (old, not traversed
   * by minor cycles) and many short-lived temporaries. Lua's default
   * incremental pacing (pause 200; 150 before) let dead temporaries pile up
   * to 50-100% of the live data before a cycle freed them: tens of MB that
   * went cold in the caches, were given back to the kernel by free() and
   * faulted in again (clear_page was 5% of a feature-extraction loop over
   * 8192-sample windows; 17,000 page faults in 3,000 windows, against 5,800
   * here, most of them loading the data). With 5% the temporaries are reused
   * while still in cache: that loop takes 10% less CPU, and the course CNN's
   * epoch peaks at 264 MB instead of 356 (bench/volcano_features.notes). */
  lua_gc(L, LUA_GCGEN, 5, 50);
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
