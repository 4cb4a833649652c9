/* cluster.h: clustering kernels (k-means, DBSCAN, silhouette) on row-major
 * float64 data X (n x d, contiguous). Labels are 0-based here; the bindings
 * shift them. Every reduction runs in fixed blocks of rows combined in block
 * order, so results are identical for any thread count. */
#ifndef GL_CLUSTER_H
#define GL_CLUSTER_H

#include "gl_types.h"
#include "kdtree.h"
#include "random.h"

/* Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's
 * n_local_trials candidates per step) on the rows of X minus shift (d values;
 * NULL for none: scikit-learn centres X first, for precision, and this
 * spares the centred copy): k centred rows copied into centers (k x d),
 * their row numbers into idx (may be NULL). */
int gl_kmeans_pp_f64(int64_t n, int64_t d, const double *X, const double *shift, int64_t k,
                     int64_t n_local_trials, gl_rng *rng, double *centers, int64_t *idx);

/* Lloyd (elkan = 0) or Elkan (elkan = 1) iterations from the given centers
 * (updated in place), as scikit-learn's _kmeans_single_*: stop when the labels
 * do not change or the squared centre shift is <= tol; then labels, inertia,
 * iteration count. Empty clusters take the points farthest from their centres.
 * The rows clustered are those of X minus shift (NULL for none), as for
 * gl_kmeans_pp_f64; centers are in those centred coordinates. */
int gl_kmeans_fit_f64(int64_t n, int64_t d, const double *X, const double *shift, int64_t k, double *centers,
                      int64_t max_iter, double tol, int elkan, int64_t *labels,
                      double *inertia, int64_t *n_iter);

/* Nearest centre of each row (ties: lowest centre), and its squared
 * distance (dist2 may be NULL); sum of those into *inertia (may be NULL). */
int gl_kmeans_assign_f64(int64_t n, int64_t d, const double *X, int64_t k, const double *centers,
                         int64_t *labels, double *dist2, double *inertia);

/* DBSCAN (Ester et al. 1996) with scikit-learn's labelling: neighbourhoods
 * include the point (distance <= eps), a point with >= min_samples
 * neighbours is core, clusters are numbered in order of their lowest core
 * point, and a border point joins the lowest-numbered cluster among its core
 * neighbours; noise is -1. core (n) receives 0/1. Tree built on X. */
int gl_dbscan_f64(const gl_kdtree *t, double eps, int64_t min_samples, int64_t *labels, uint8_t *core);

/* Silhouette values s (n) for labels in 0..nl-1 (Euclidean distances). */
int gl_silhouette_f64(int64_t n, int64_t d, const double *X, const int64_t *labels, int64_t nl, double *s);

/* Hierarchical clustering of the n rows of X: method 0 single, 1 complete,
 * 2 average, 3 ward. Z (n-1 x 4) receives scipy's linkage matrix: the two
 * clusters merged (0-based; n+i is the cluster made by row i), the
 * distance, the size. */
int gl_linkage_f64(int64_t n, int64_t d, const double *X, int method, double *Z);

/* Gaussian kernel density: out[j] = sum_i w[i] exp(-|(p_j - x_i) L|^2 / 2) / norm
 * for data (n x d), points (m x d), L (d x d) with L L^T the inverse
 * covariance. d <= 64. */
int gl_kde_eval_f64(int64_t d, int64_t n, const double *data, const double *w,
                    int64_t m, const double *pts, const double *L, double norm, double *out);

/* Exact t-SNE: X (n x d) -> Y (n x dims, holding the initial embedding on
 * entry). kl_out: final KL divergence, iters_out: sklearn's n_iter_, the 0-based
 * index of the last iteration run (tsne_schedule.h). */
int gl_tsne_exact_f64(int64_t n, int64_t d, const double *X, int64_t dims, double perplexity,
                      double early_exaggeration, double learning_rate, int64_t n_iter,
                      int64_t n_iter_without_progress, double min_grad_norm, double *Y,
                      double *kl_out, int64_t *iters_out);

/* HDBSCAN* on the points of tree t: labels 0.. (-1 noise), membership
 * probabilities prob (may be NULL). leaf_selection: 0 excess of mass, 1 leaf. */
int gl_hdbscan_f64(const gl_kdtree *t, int64_t min_cluster_size, int64_t min_samples,
                   int leaf_selection, int allow_single, int64_t *labels, double *prob);

/* Barnes-Hut t-SNE into 2-D on the points of tree t: Y (n x 2) holds the
 * initial embedding on entry. angle: the Barnes-Hut opening angle. */
int gl_tsne_bh_f64(const gl_kdtree *t, double perplexity, double early_exaggeration,
                   double learning_rate, int64_t n_iter, int64_t n_iter_without_progress,
                   double min_grad_norm, double angle, double *Y, double *kl_out, int64_t *iters_out);

/* Tiled DBSCAN (cluster_dbscan_tiles.c). Indices and rows count from base.
 * gl_dbscan_tile: one tile of nt points (gid: their global rows, ascending),
 * m of them its own (own: their positions in the tile, ascending), with the
 * own points' neighbour lists in CSR form (off: m + 1 offsets into nb, nb:
 * tile positions) and core flags: root[k] gets the global row of the lowest
 * row of own point k's component of own core points (base - 1 if k is not
 * core); src/dst get the edges leaving the tile's components (own core ->
 * halo neighbour; component root -> own non-core neighbour, once each).
 * gl_dbscan_tiles_merge: every tile's own points (idx, core flags, roots:
 * np of them) and edges (ne) -> labels of the n rows (clusters numbered
 * 1, 2, ... by their lowest core row, -1 noise; a border point takes the
 * smallest label among its core neighbours) and core flags. GL_EINVAL for
 * indices out of range. */
int gl_dbscan_tile(int64_t base, int64_t m, const int64_t *own, int64_t nt, const int64_t *gid,
                   const int64_t *off, const int64_t *nb, const uint8_t *iscore,
                   int64_t *root, gl_i64buf *src, gl_i64buf *dst);
int gl_dbscan_tiles_merge(int64_t base, int64_t n, int64_t np, const int64_t *idx, const uint8_t *core_in,
                          const int64_t *root_in, int64_t ne, const int64_t *src, const int64_t *dst,
                          int64_t *labels, uint8_t *core, int64_t *nclusters);

#endif
