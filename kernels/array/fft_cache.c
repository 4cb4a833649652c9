/* fft_cache.c: the FFT plans of one lua_State, by (kind, n), shared by np.fft
 * and the signal module (see fft.h). A flat array searched linearly: a few
 * hundred entries cost well under a microsecond to scan, much less than any
 * transform, and nothing here runs off the Lua thread. */
#include <stdlib.h>
#include <fftw3.h>
#include "fft.h"

typedef struct entry {
  gl_fft_plan *plan;
  int kind;
  int64_t n;
  size_t bytes;         /* estimated memory of the plan */
  uint64_t used;        /* clock value of the last use */
} entry;

struct gl_fft_cache {
  entry e[GL_FFT_CACHE_PLANS];
  int count;
  uint64_t clock;
  size_t bytes;
  void *scratch;
  size_t scratch_bytes;
};

gl_fft_cache *gl_fft_cache_new (void) {
  return calloc(1, sizeof(gl_fft_cache));
}

void gl_fft_cache_free (gl_fft_cache *c) {
  if (!c) return;
  for (int i = 0; i < c->count; i++) gl_fft_plan_free(c->e[i].plan);
  fftw_free(c->scratch);
  free(c);
}

int gl_fft_cache_count (const gl_fft_cache *c) { return c->count; }
size_t gl_fft_cache_bytes (const gl_fft_cache *c) { return c->bytes; }

/* The plan's memory, roughly: FFTW's twiddles, about n complex values. */
static size_t plan_bytes (const gl_fft_plan *p) {
  return 16 * (size_t)gl_fft_plan_n(p) + 256;
}

/* Drops the least recently used entry other than `keep`. */
static void evict (gl_fft_cache *c, int keep) {
  int v = -1;
  for (int i = 0; i < c->count; i++)
    if (i != keep && (v < 0 || c->e[i].used < c->e[v].used)) v = i;
  if (v < 0) return;
  gl_fft_plan_free(c->e[v].plan);
  c->bytes -= c->e[v].bytes;
  c->e[v] = c->e[--c->count];
}

const gl_fft_plan *gl_fft_cache_get (gl_fft_cache *c, int kind, int64_t n) {
  c->clock++;
  for (int i = 0; i < c->count; i++)
    if (c->e[i].kind == kind && c->e[i].n == n) { c->e[i].used = c->clock; return c->e[i].plan; }
  gl_fft_plan *p = gl_fft_plan_new(kind, n);
  if (!p) return NULL;
  if (c->count == GL_FFT_CACHE_PLANS) evict(c, -1);
  int at = c->count++;
  c->e[at] = (entry){p, kind, n, plan_bytes(p), c->clock};
  c->bytes += c->e[at].bytes;
  /* over budget: drop old plans, never the new one (nor, being the most
   * recent after it, the caller's other plan unless it is the only one) */
  while (c->bytes > GL_FFT_CACHE_BYTES && c->count > 2) {
    int before = c->count;
    /* the new plan may move when an entry is compacted: find it again */
    for (int i = 0; i < c->count; i++) if (c->e[i].plan == p) { at = i; break; }
    evict(c, at);
    if (c->count == before) break;
  }
  return p;
}

void *gl_fft_cache_scratch (gl_fft_cache *c, size_t bytes) {
  if (bytes > c->scratch_bytes) {
    fftw_free(c->scratch);
    c->scratch = fftw_malloc(bytes);
    c->scratch_bytes = c->scratch ? bytes : 0;
  }
  return c->scratch;
}
