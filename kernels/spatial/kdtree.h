/* kdtree.h: a k-d tree stored as flat arrays (after scipy's cKDTree and
 * scikit-learn's _binary_tree), for nearest-neighbour and radius queries in
 * any dimension with the Euclidean distance. Other kernels (eigenfeatures,
 * DBSCAN, k-NN graphs) use the tree through this header.
 *
 * Layout: the points are copied in tree order into `pts` (n x d, row-major);
 * `idx[i]` is the original (0-based) row of tree position i. Node j covers tree
 * positions [start[j], end[j]) and owns a tight bounding box lo/hi (d each,
 * in `box`, 2*d per node: lo then hi). Internal nodes have children
 * left[j], right[j] (-1 for a leaf). Node 0 is the root.
 *
 * Results never depend on the tree's shape: k-NN results are ordered by
 * (distance, index) and radius results by index, so they equal a brute-force
 * search's with the same tie rule. */
#ifndef GL_KDTREE_H
#define GL_KDTREE_H

#include "gl_types.h"

typedef struct gl_kdtree {
  int64_t n, d, leafsize, nnodes;
  double *pts;        /* n*d, tree order */
  int64_t *idx;       /* n: original row of each tree position */
  int64_t *start, *end, *left, *right;  /* nnodes each */
  double *box;        /* nnodes*2*d */
} gl_kdtree;

/* Squared distance from x to the bounding box of node (0 inside it): the
 * pruning test of every tree search, here so that kernels share one copy. */
static inline double gl_kdtree_box_dist2 (const gl_kdtree *t, int64_t node, const double *x) {
  int64_t d = t->d;
  const double *lo = t->box + node * 2 * d, *hi = lo + d;
  double s = 0;
  for (int64_t k = 0; k < d; k++) {
    double v = 0;
    if (x[k] < lo[k]) v = lo[k] - x[k];
    else if (x[k] > hi[k]) v = x[k] - hi[k];
    s += v * v;
  }
  return s;
}

/* A growable buffer of int64 (or of pairs of doubles/ints): the caller owns
 * `data` and frees it with free(); kernels may realloc it. */
typedef struct gl_i64buf { int64_t *data; int64_t len, cap; } gl_i64buf;
int gl_i64buf_push(gl_i64buf *b, int64_t v);

/* Upper bound on the node count for n points and a leaf size. */
int64_t gl_kdtree_max_nodes(int64_t n, int64_t leafsize);

/* Builds the tree over data (n x d, row strides rs/cs in elements). The caller
 * allocates every array of t for n, d and gl_kdtree_max_nodes(n, leafsize)
 * nodes and sets t->n, t->d, t->leafsize. Returns GL_EINVAL on NaN/inf. */
int gl_kdtree_build(gl_kdtree *t, const double *data, int64_t rs, int64_t cs);

/* k nearest neighbours of the m query points q (m x d, contiguous): distances
 * into dist (m x k) and 0-based original indices into ind (m x k), nearest
 * first, ties by index. Only points at distance <= dmax count (others give
 * dist inf and index -1). OpenMP over queries. k <= n. */
int gl_kdtree_knn(const gl_kdtree *t, int64_t m, const double *q, int64_t k,
                  double dmax, double *dist, int64_t *ind);

/* Points within distance r (<= r) of each of the m queries q (m x d): CSR
 * output, offsets (m+1, caller-allocated) and the 0-based indices, sorted
 * ascending within each query, appended to out. r is per query when rstride
 * is 1, shared when 0. count_only: only offsets are filled. exclude_self_lt:
 * when >= 0 keep only indices j > i for query i (query_pairs). */
int gl_kdtree_radius(const gl_kdtree *t, int64_t m, const double *q,
                     const double *r, int64_t rstride, int64_t *offsets,
                     gl_i64buf *out, int count_only, int pairs_mode);

/* Same with flags (GL_KD_COUNT: offsets only; GL_KD_UNSORTED: indices in
 * tree order, not sorted) and a limit on the total number of indices
 * (0: none); past it, GL_ERANGE (out then holds garbage). q == NULL queries
 * the tree's own n points (m is ignored; results by original row). */
enum { GL_KD_COUNT = 1, GL_KD_UNSORTED = 2 };
int gl_kdtree_radius_ex(const gl_kdtree *t, int64_t m, const double *q,
                        const double *r, int64_t rstride, int64_t *offsets,
                        gl_i64buf *out, int flags, int pairs_mode, int64_t limit);

/* Single-query radius search used from inside other kernels' parallel loops:
 * appends 0-based indices (unsorted, tree order) to buf and returns the count,
 * or a negative GL_E* code. */
int64_t gl_kdtree_ball1(const gl_kdtree *t, const double *x, double r, gl_i64buf *buf);

/* Same, appending tree positions (rows of t->pts) instead. */
int64_t gl_kdtree_ball1_pos(const gl_kdtree *t, const double *x, double r, gl_i64buf *buf);

/* An order of the m queries q (m x d) following the tree (grouped by the
 * leaf each falls in): processing queries in it keeps the tree in cache. */
int gl_kdtree_order(const gl_kdtree *t, int64_t m, const double *q, int64_t *perm);

/* Single-query k-NN (for kernels): squared distances and indices, sorted. */
void gl_kdtree_knn1(const gl_kdtree *t, const double *x, int64_t k, double dmax2,
                    double *d2, int64_t *ind);

#endif
