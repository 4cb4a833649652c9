/* gl_mem.c: huge-page backed malloc (see gl_mem.h). */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "gl_mem.h"

/* the whole huge pages of [p, p + n), p on a huge page */
void gl_advise_huge_aligned (void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  size_t whole = n & ~(GL_HUGE_PAGE - 1);
  if (p && whole > 0 && ((uintptr_t)p & (GL_HUGE_PAGE - 1)) == 0)
    madvise(p, whole, MADV_HUGEPAGE);   /* advice only: errors ignored */
#else
  (void)p; (void)n;
#endif
}

void gl_advise_huge (void *p, size_t n) {
  if (!p || n < ((size_t)4 << 20)) return;
  uintptr_t a = (uintptr_t)p, lo = (a + GL_HUGE_PAGE - 1) & ~(uintptr_t)(GL_HUGE_PAGE - 1);
  gl_advise_huge_aligned((void *)lo, n - (lo - a));
}

void *gl_malloc_big (size_t n) {
  void *p = malloc(n);
  gl_advise_huge(p, n);
  return p;
}
