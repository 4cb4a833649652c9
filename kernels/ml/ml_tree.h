/* ml_tree.h: CART decision trees (scikit-learn's DepthFirstTreeBuilder with
 * BestSplitter/RandomSplitter) stored as flat arrays, and forests of them.
 *
 * Layout (after sklearn's Tree): node j has children left[j], right[j] (-1
 * for a leaf), the split feature[j] (0-based, -1 at a leaf) and threshold[j]
 * (go left when x[feature] <= threshold), impurity[j], n_node_samples[j]
 * (distinct training rows), wn[j] (their total weight) and nv values at
 * value[j*nv ..]: weighted class counts for a classifier (nv = n_classes),
 * the mean target for a regressor (nv = 1). Node 0 is the root; nodes are
 * numbered in depth-first order, left child first, as sklearn does.
 *
 * X is float32 (like sklearn's trees, which convert X to float32, so that
 * thresholds and predictions match it), column-major for fitting (feature f
 * of row i at Xc[f*n + i]) and row-major for prediction. */
#ifndef GL_ML_TREE_H
#define GL_ML_TREE_H

#include "gl_types.h"

typedef struct gl_ml_tree {
  int64_t n_nodes, cap, nv;
  int64_t *left, *right, *feature, *n_node_samples;
  double *threshold, *impurity, *wn, *value;
} gl_ml_tree;

enum { GL_TREE_GINI = 0, GL_TREE_ENTROPY = 1, GL_TREE_MSE = 2 };

typedef struct gl_ml_tree_opts {
  int criterion;              /* GL_TREE_* */
  int random_splitter;        /* 0: best split, 1: random thresholds (ExtraTrees) */
  int64_t n_classes;          /* classifiers; 1 for regression */
  int64_t max_depth;          /* < 0: unlimited */
  int64_t min_samples_split;  /* >= 2 */
  int64_t min_samples_leaf;   /* >= 1 */
  int64_t max_features;       /* 1..p */
  double min_impurity_decrease;
} gl_ml_tree_opts;

/* Releases the arrays of t (the struct itself is the caller's). */
void gl_ml_tree_free(gl_ml_tree *t);
/* Allocates t for nn nodes with nv values each (used when loading a tree). */
int gl_ml_tree_alloc(gl_ml_tree *t, int64_t nn, int64_t nv);

/* Grows a tree on n rows, p features: Xc column-major float32; y the class
 * codes 0..n_classes-1 (as doubles) or the regression targets; sw the row
 * weights (NULL: all 1; rows of weight 0 are left out, as a bootstrap does).
 * t must be zeroed; on success it holds the tree (caller frees with
 * gl_ml_tree_free). rng is sklearn's rand_r state (the splitter's seed,
 * see ml_mt.h). importances (p, may be NULL) receives the weighted impurity
 * decreases divided by the root weight. Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_ml_tree_fit(gl_ml_tree *t, int64_t n, int64_t p, const float *Xc, const double *y,
                   const double *sw, const gl_ml_tree_opts *o, uint32_t *rng, double *importances);

/* Leaf index of each of the n rows of X (row-major float32, n x p). */
void gl_ml_tree_apply(const gl_ml_tree *t, int64_t n, int64_t p, const float *X, int64_t *leaf);

/* Forest: ntrees trees fitted in parallel (OpenMP over trees). Tree k uses
 * only seeds[k] (as sklearn: bootstrap rows RandomState(seed).randint(0, n,
 * m), splitter seed RandomState(seed).randint(0, RAND_R_MAX)), so results do
 * not depend on the thread count. bootstrap: the drawn rows give the weights. oob (n x nv, zeroed, may be NULL) accumulates each tree's leaf
 * probabilities (classifier) or predictions (regressor) for the rows it did
 * not see, oob_n (n) counts them. imp (ntrees x p) receives each tree's
 * normalised importances. trees must be zeroed. nthreads 0: gl_threads(), < 0: all processors. */
int gl_ml_forest_fit(int64_t ntrees, gl_ml_tree *trees, int64_t n, int64_t p, const float *Xc,
                     const double *y, const double *sw, const gl_ml_tree_opts *o, const uint32_t *seeds,
                     int bootstrap, int64_t max_samples, double *oob, int64_t *oob_n, double *imp,
                     int nthreads);

/* Mean over the trees of each row's leaf output (row-major X, n x p): class
 * probabilities (n x nv) for classifiers (normalised leaf counts), values
 * (n) for regressors. OpenMP over rows; each row sums trees in order. */
int gl_ml_forest_predict(int64_t ntrees, const gl_ml_tree *const *trees, int64_t n, int64_t p,
                         const float *X, int classify, double *out);

#endif
