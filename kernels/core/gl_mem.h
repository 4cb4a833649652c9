/* gl_mem.h: large scratch and result buffers backed by huge pages. */
#ifndef GL_MEM_H
#define GL_MEM_H
#include <stddef.h>

/* malloc(n), and for n >= 4 MiB a request for transparent huge pages over
 * the 2 MiB-aligned part (as NumPy does for its arrays): first touch of a
 * fresh buffer then costs one fault per 2 MiB instead of per 4 KiB, which
 * on a loaded VM was a third of a kd-tree build. Freed with free(). */
void *gl_malloc_big(size_t n);
/* The same huge-page request for a buffer allocated elsewhere (p, n bytes). */
void gl_advise_huge(void *p, size_t n);

/* For a buffer whose start the caller aligned to GL_HUGE_PAGE: the same
 * request for every whole huge page in [p, p + n), from 2 MiB on (a buffer
 * of 2 to 4 MiB gets none from gl_advise_huge when malloc places it off a
 * 2 MiB boundary). */
#define GL_HUGE_PAGE ((size_t)2 << 20)
void gl_advise_huge_aligned(void *p, size_t n);

#endif
