/* cluster_hdbscan.c: HDBSCAN* (Campello, Moulavi & Sander 2013; McInnes &
 * Healy's hdbscan library and scikit-learn >= 1.3 follow the same steps).
 *
 * Algorithm note. (1) core distance of each point: the distance to its
 * min_samples-th nearest neighbour, the point itself counted (kd-tree).
 * (2) minimum spanning tree of the mutual reachability distance
 * max(core(a), core(b), |a - b|) by Prim's algorithm on the implicit dense
 * graph: O(n^2) distance evaluations, no n^2 memory, parallel over points.
 * (3) the single-linkage tree from the sorted MST edges. (4) the condensed
 * tree: walking down from the root, a split where both sides have at least
 * min_cluster_size points makes two new clusters; smaller sides are points
 * "falling out" at lambda = 1/distance. (5) stability of a cluster: sum over
 * its points and child clusters of (lambda_out - lambda_birth) * size.
 * (6) excess-of-mass selection bottom-up (or the leaves). Points under a
 * selected cluster get its label; the others are noise (-1). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"

typedef struct edge { double w; int64_t a, b; } edge;

static int cmp_edge (const void *x, const void *y) {
  const edge *p = x, *q = y;
  if (p->w != q->w) return p->w < q->w ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  return (p->a > q->a) - (p->a < q->a);
}

/* condensed tree row: parent cluster, child (point < n, or cluster id), lambda, size */
typedef struct crow { int64_t parent, child; double lambda; int64_t size; } crow;

int gl_hdbscan_f64 (const gl_kdtree *t, int64_t min_cluster_size, int64_t min_samples,
                    int leaf_selection, int allow_single, int64_t *labels, double *prob) {
  int64_t n = t->n, d = t->d;
  if (min_samples > n || min_cluster_size < 2) return GL_EINVAL;
  double *X = malloc((size_t)(n * d) * sizeof *X), *core = malloc((size_t)n * sizeof *core);
  double *best = malloc((size_t)n * sizeof *best), *kd = malloc((size_t)min_samples * sizeof *kd);
  int64_t *from = malloc((size_t)n * sizeof *from), *ki = malloc((size_t)min_samples * sizeof *ki);
  char *intree = calloc((size_t)n, 1);
  edge *E = malloc((size_t)(n > 1 ? n - 1 : 1) * sizeof *E);
  int64_t *uf = malloc((size_t)(2 * n) * sizeof *uf), *comp = malloc((size_t)(2 * n) * sizeof *comp);
  int64_t *left = malloc((size_t)(2 * n) * sizeof *left), *right = malloc((size_t)(2 * n) * sizeof *right);
  int64_t *size = malloc((size_t)(2 * n) * sizeof *size);
  double *dist = malloc((size_t)(2 * n) * sizeof *dist);
  int64_t *relabel = malloc((size_t)(2 * n) * sizeof *relabel), *stack = malloc((size_t)(2 * n) * sizeof *stack);
  crow *rows = malloc((size_t)(2 * n) * sizeof *rows);
  int64_t *pt_cluster = malloc((size_t)n * sizeof *pt_cluster);
  double *pt_lambda = malloc((size_t)n * sizeof *pt_lambda);
  int rc = GL_OK;
  int64_t *cl_parent = NULL, *sel_label = NULL; double *birth = NULL, *stab = NULL, *maxlam = NULL;
  char *selected = NULL, *ignore = NULL;
  if (!X || !core || !best || !kd || !from || !ki || !intree || !E || !uf || !comp || !left || !right ||
      !size || !dist || !relabel || !stack || !rows || !pt_cluster || !pt_lambda) { rc = GL_ENOMEM; goto done; }
  for (int64_t i = 0; i < n; i++) memcpy(X + t->idx[i] * d, t->pts + i * d, (size_t)d * sizeof(double));
  /* (1) core distances */
  for (int64_t i = 0; i < n; i++) {
    gl_kdtree_knn1(t, X + i * d, min_samples, INFINITY, kd, ki);
    core[i] = sqrt(kd[min_samples - 1]);
  }
  /* (2) Prim on mutual reachability */
  for (int64_t i = 0; i < n; i++) { best[i] = INFINITY; from[i] = -1; }
  int64_t cur = 0;
  intree[0] = 1;
  for (int64_t step = 0; step < n - 1; step++) {
    if ((step & 255) == 0 && gl_interrupted()) { rc = GL_EINTR; goto done; }
    const double *xc = X + cur * d;
    double cc = core[cur];
    int64_t nx = -1;
#ifdef _OPENMP
#pragma omp parallel num_threads(gl_threads()) if (n > 4000)
#endif
    {
      int64_t lnx = -1;   /* this thread's nearest outside point: (best, index) smallest */
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (int64_t j = 0; j < n; j++) {
        if (intree[j]) continue;
        double s = 0;
        for (int64_t k = 0; k < d; k++) { double v = xc[k] - X[j * d + k]; s += v * v; }
        double m = sqrt(s);
        if (cc > m) m = cc;
        if (core[j] > m) m = core[j];
        if (m < best[j]) { best[j] = m; from[j] = cur; }
        if (lnx < 0 || best[j] < best[lnx]) lnx = j;
      }
#ifdef _OPENMP
#pragma omp critical
#endif
      if (lnx >= 0 && (nx < 0 || best[lnx] < best[nx] || (best[lnx] == best[nx] && lnx < nx))) nx = lnx;
    }
    E[step].w = best[nx]; E[step].a = from[nx]; E[step].b = nx;
    intree[nx] = 1;
    cur = nx;
  }
  qsort(E, (size_t)(n - 1), sizeof *E, cmp_edge);
  /* (3) single linkage: node n+i merges the components of edge i */
  for (int64_t i = 0; i < 2 * n; i++) { uf[i] = i; size[i] = 1; left[i] = right[i] = -1; dist[i] = 0; }
  for (int64_t i = 0; i < n; i++) comp[i] = i;
  for (int64_t i = 0; i < n - 1; i++) {
    int64_t a = E[i].a, b = E[i].b;
    while (uf[a] != a) a = uf[a] = uf[uf[a]];
    while (uf[b] != b) b = uf[b] = uf[uf[b]];
    int64_t node = n + i;
    left[node] = comp[a]; right[node] = comp[b];
    dist[node] = E[i].w;
    size[node] = size[comp[a]] + size[comp[b]];
    uf[b] = a; comp[a] = node;
  }
  /* (4) condensed tree: clusters numbered 0.. (root 0) */
  int64_t root = 2 * n - 2, ncl = 1, nrows = 0;
  if (n == 1) root = 0;
  ignore = calloc((size_t)(2 * n), 1);
  if (!ignore) { rc = GL_ENOMEM; goto done; }
  relabel[root] = 0;
  int64_t head = 0, tail = 0;
  stack[tail++] = root;                 /* used as a FIFO: breadth-first */
  while (head < tail) {
    int64_t node = stack[head++];
    if (ignore[node] || node < n) continue;
    int64_t l = left[node], r = right[node];
    double lam = dist[node] > 0 ? 1.0 / dist[node] : INFINITY;
    int64_t ls = size[l], rs = size[r];
    int64_t par = relabel[node];
    int bigl = ls >= min_cluster_size, bigr = rs >= min_cluster_size;
    int64_t sides[2] = {l, r};
    int big[2] = {bigl, bigr};
    for (int s = 0; s < 2; s++) {
      int64_t c = sides[s];
      if (bigl && bigr) {
        relabel[c] = ncl;
        rows[nrows++] = (crow){par, -(ncl + 1), lam, size[c]};   /* cluster child: stored as -(id+1) */
        ncl++;
        stack[tail++] = c;
      } else if (big[s]) {
        relabel[c] = par;
        stack[tail++] = c;
      } else {
        /* every point under c falls out of par at lam */
        int64_t sp = 0;
        int64_t *dfs = malloc((size_t)size[c] * 2 * sizeof *dfs + sizeof *dfs);
        if (!dfs) { rc = GL_ENOMEM; goto done; }
        dfs[sp++] = c;
        while (sp > 0) {
          int64_t v = dfs[--sp];
          if (v < n) { rows[nrows++] = (crow){par, v, lam, 1}; continue; }
          ignore[v] = 1;
          dfs[sp++] = left[v]; dfs[sp++] = right[v];
        }
        free(dfs);
      }
    }
  }
  /* (5) stability */
  birth = calloc((size_t)ncl, sizeof *birth); stab = calloc((size_t)ncl, sizeof *stab);
  cl_parent = malloc((size_t)ncl * sizeof *cl_parent); selected = calloc((size_t)ncl, 1);
  sel_label = malloc((size_t)ncl * sizeof *sel_label); maxlam = calloc((size_t)ncl, sizeof *maxlam);
  if (!birth || !stab || !cl_parent || !selected || !sel_label || !maxlam) { rc = GL_ENOMEM; goto done; }
  cl_parent[0] = -1;
  for (int64_t i = 0; i < nrows; i++)
    if (rows[i].child < 0) { int64_t c = -rows[i].child - 1; birth[c] = rows[i].lambda; cl_parent[c] = rows[i].parent; }
  for (int64_t i = 0; i < nrows; i++) {
    double lam = rows[i].lambda;
    if (isinf(lam)) lam = 0;   /* duplicates at distance 0: no finite lambda; count as born-and-dead */
    stab[rows[i].parent] += (lam - birth[rows[i].parent]) * (double)rows[i].size;
  }
  /* (6) selection: children have larger ids than their parent (breadth-first numbering) */
  int64_t first = allow_single ? 0 : 1;
  if (leaf_selection) {
    char *has_child = calloc((size_t)ncl, 1);
    if (!has_child) { rc = GL_ENOMEM; goto done; }
    for (int64_t c = 1; c < ncl; c++) has_child[cl_parent[c]] = 1;
    for (int64_t c = first; c < ncl; c++) selected[c] = !has_child[c];
    if (ncl == 1 && allow_single) selected[0] = 1;
    free(has_child);
  } else {
    double *sub = calloc((size_t)ncl, sizeof *sub);
    if (!sub) { rc = GL_ENOMEM; goto done; }
    for (int64_t c = ncl - 1; c >= first; c--) {
      int has = 0;
      for (int64_t k = c + 1; k < ncl; k++) if (cl_parent[k] == c) { has = 1; break; }
      if (has && sub[c] > stab[c]) { selected[c] = 0; stab[c] = sub[c]; }
      else {
        selected[c] = 1;
        for (int64_t k = c + 1; k < ncl; k++) {   /* unselect descendants */
          int64_t p = cl_parent[k];
          while (p > c) p = cl_parent[p];
          if (p == c) selected[k] = 0;
        }
      }
      if (c > 0) sub[cl_parent[c]] += stab[c];
    }
    free(sub);
  }
  int64_t next = 0;
  for (int64_t c = 0; c < ncl; c++) sel_label[c] = selected[c] ? next++ : -1;
  /* labels: the selected ancestor of the cluster a point falls out of */
  for (int64_t i = 0; i < n; i++) { pt_cluster[i] = -1; pt_lambda[i] = 0; }
  for (int64_t i = 0; i < nrows; i++)
    if (rows[i].child >= 0) { pt_cluster[rows[i].child] = rows[i].parent; pt_lambda[rows[i].child] = rows[i].lambda; }
  /* a cluster's death: the largest lambda among its own rows (points leaving
     it, children splitting off), as the hdbscan library's max_lambdas */
  for (int64_t i = 0; i < nrows; i++)
    if (rows[i].lambda > maxlam[rows[i].parent]) maxlam[rows[i].parent] = rows[i].lambda;
  for (int64_t i = 0; i < n; i++) {
    int64_t c = pt_cluster[i];
    while (c >= 0 && !selected[c]) c = cl_parent[c];
    labels[i] = c >= 0 ? sel_label[c] : -1;
    pt_cluster[i] = c;
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t c = pt_cluster[i];
    if (!prob) break;
    if (c < 0) prob[i] = 0;
    else if (isinf(pt_lambda[i]) || maxlam[c] == 0 || isinf(maxlam[c])) prob[i] = 1;
    else prob[i] = (pt_lambda[i] < maxlam[c] ? pt_lambda[i] : maxlam[c]) / maxlam[c];
  }
done:
  free(X); free(core); free(best); free(kd); free(from); free(ki); free(intree); free(E); free(uf); free(comp);
  free(left); free(right); free(size); free(dist); free(relabel); free(stack); free(rows); free(pt_cluster);
  free(pt_lambda); free(cl_parent); free(sel_label); free(birth); free(stab); free(maxlam); free(selected); free(ignore);
  return rc;
}
