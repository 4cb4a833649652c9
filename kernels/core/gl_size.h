/* gl_size.h: checked products of shapes and byte sizes.
 *
 * Every element count or byte size computed from a shape goes through these,
 * so that an impossible size is refused before it wraps around (issue 12:
 * broadcast_to({2^32, 2^32}) had size 0 and summed to 0.0). The rule is
 * NumPy's (PyArray_NewFromDescr): the product of the non-zero dimensions times
 * the element size must fit in a ptrdiff_t, even when another dimension is 0. */
#ifndef GL_SIZE_H
#define GL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Largest byte size of one array: a little below PTRDIFF_MAX, so that the
 * alignment padding of a buffer cannot overflow either. */
#define GL_MAX_BYTES ((int64_t)(PTRDIFF_MAX - 4096))

/* Most bins of one histogram (np.histogram, np.histogram_bin_edges, plt.hist,
 * df:hist, pd.cut; docs/dev/guarantees.md). Ten million bins already cost
 * 160 MB of edges and counts and far more bars than any figure has pixels;
 * a typo such as bins=1e9 would otherwise run for minutes and fill memory. */
#define GL_MAX_BINS 10000000

/* a*b into *out; returns 1 (and leaves *out undefined) on int64 overflow. */
static inline int gl_mul_overflow (int64_t a, int64_t b, int64_t *out) {
  return __builtin_mul_overflow(a, b, out);
}

/* a+b into *out; returns 1 on int64 overflow. */
static inline int gl_add_overflow (int64_t a, int64_t b, int64_t *out) {
  return __builtin_add_overflow(a, b, out);
}

/* Element count of shape[0..ndim) (all >= 0) into *n, and its size in bytes
 * for elements of `elsize` bytes into *bytes (either may be NULL).
 * Returns 0, or -1 when the count overflows int64_t, or -2 when the bytes
 * exceed GL_MAX_BYTES. */
static inline int gl_shape_bytes (int ndim, const int64_t *shape, int64_t elsize,
                                  int64_t *n, int64_t *bytes) {
  int64_t nz = 1, b;   /* product of the non-zero dimensions */
  int zero = 0;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 0) { zero = 1; continue; }
    if (gl_mul_overflow(nz, shape[i], &nz)) return -1;
  }
  if (gl_mul_overflow(nz, elsize, &b) || b > GL_MAX_BYTES) return -2;
  if (n) *n = zero ? 0 : nz;
  if (bytes) *bytes = zero ? 0 : b;
  return 0;
}

#endif
