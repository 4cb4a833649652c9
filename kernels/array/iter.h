/* iter.h: broadcasting and strided iteration in one place (after NumPy's nditer).
 * Operands are described by shape + element strides; the iterator right-aligns
 * them against the output shape, gives broadcast axes stride 0, merges axes that
 * are contiguous for every operand, then calls a 1-D inner loop. */
#ifndef GL_ITER_H
#define GL_ITER_H

#include "gl_types.h"

#define GL_ITER_MAXOP 4

typedef struct gl_iter {
  int ndim;                                  /* >= 1 after init */
  int nop;
  int poll;                                  /* poll gl_interrupted() (init: 1) */
  int64_t size;                              /* total number of elements */
  int64_t shape[GL_MAXDIMS];
  int64_t bstrides[GL_ITER_MAXOP][GL_MAXDIMS];  /* byte strides per operand */
} gl_iter;

/* Inner loop: n elements, one pointer and one byte stride per operand. */
typedef void (*gl_loop_fn)(int64_t n, char *const *ptrs, const int64_t *bstrides, void *ctx);

/* The broadcast shape of nop shapes into out_shape (GL_MAXDIMS long).
 * Returns GL_ESHAPE if they cannot be broadcast together. */
int gl_broadcast_shapes(int nop, const int *ndims, const int64_t *const *shapes,
                        int *out_ndim, int64_t *out_shape);

/* Formats "operands could not be broadcast together with shapes (2,3) (4,)". */
void gl_broadcast_error(char *buf, size_t len, int nop, const int *ndims,
                        const int64_t *const *shapes);

/* Sets up iteration over (ndim, shape). Operand k has op_ndim[k] <= ndim axes,
 * its shape must broadcast to shape, strides are in elements of op_itemsize[k]. */
int gl_iter_init(gl_iter *it, int ndim, const int64_t *shape, int nop,
                 const int *op_ndim, const int64_t *const *op_shape,
                 const int64_t *const *op_strides, const size_t *op_itemsize);

/* Runs fn over every element. Splits the work over OpenMP threads when the
 * iteration has at least `grain` elements (0: never). fn must write only to
 * elements it is given, so the result does not depend on the split. Polls
 * gl_interrupted() between pieces of 65536 elements (unless it->poll is 0):
 * returns GL_OK, or GL_EINTR (Ctrl-C) with the output partly written. */
int gl_iter_run(const gl_iter *it, char *const *base, gl_loop_fn fn, void *ctx, int64_t grain);

/* Shape helpers. */
int64_t gl_shape_size(int ndim, const int64_t *shape);
void gl_contiguous_strides(int ndim, const int64_t *shape, int64_t *strides);
int gl_is_contiguous(int ndim, const int64_t *shape, const int64_t *strides);

#endif
