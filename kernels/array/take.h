/* take.h: gathering and scattering along one axis of a contiguous block. */
#ifndef GL_TAKE_H
#define GL_TAKE_H
#include "gl_types.h"

/* src is contiguous with shape (outer, n, inner) of itemsize bytes; dst gets
 * shape (outer, nidx, inner) with dst[o, j, :] = src[o, idx[j], :].
 * idx holds 0-based positions already checked to lie in [0, n). */
void gl_take(size_t itemsize, int64_t outer, int64_t n, int64_t inner,
             const char *src, const int64_t *idx, int64_t nidx, char *dst);

/* The inverse: dst[o, idx[j], :] = src[o, j, :] (later j win on duplicates). */
void gl_put(size_t itemsize, int64_t outer, int64_t n, int64_t inner,
            const char *src, const int64_t *idx, int64_t nidx, char *dst);

/* Copies the blocks of `inner` items whose mask byte is set, in order;
 * returns how many blocks were copied. */
int64_t gl_compress(size_t itemsize, int64_t nmask, int64_t inner,
                    const char *src, const unsigned char *mask, char *dst);

/* The inverse: block k of src goes to the k-th set mask position of dst;
 * src_blocks == 1 broadcasts one block to every set position. */
void gl_expand(size_t itemsize, int64_t nmask, int64_t inner, const char *src,
               int64_t src_blocks, const unsigned char *mask, char *dst);

#endif
