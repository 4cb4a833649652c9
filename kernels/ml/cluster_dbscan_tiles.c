/* cluster_dbscan_tiles.c: the two array passes of tiled DBSCAN
 * (stdlib/spatial/spatial_tiles.lua): one tile's own components and the
 * edges that leave them, then the merge of every tile's output into the
 * labels of the whole cloud. Plain arrays, not Lua tables: a tile can hold
 * millions of points and tens of millions of neighbour pairs.
 *
 * Rows are global (original) row numbers; every index given here counts
 * from `base` (1 for Lua's), and so do the rows written. A component is
 * rooted at its lowest row (union keeps the smaller root), which is what
 * lets the merge number clusters by their lowest core row in one pass. */
#include <stdlib.h>
#include "cluster.h"

static int64_t find (int64_t *par, int64_t a) {
  while (par[a] != a) { par[a] = par[par[a]]; a = par[a]; }
  return a;
}

static void unite (int64_t *par, int64_t a, int64_t b) {
  a = find(par, a); b = find(par, b);
  if (a < b) par[b] = a; else if (b < a) par[a] = b;
}

int gl_dbscan_tile (int64_t base, int64_t m, const int64_t *own, int64_t nt, const int64_t *gid,
                    const int64_t *off, const int64_t *nb, const uint8_t *iscore,
                    int64_t *root, gl_i64buf *src, gl_i64buf *dst) {
  int64_t *own_of = malloc((size_t)(nt > 0 ? nt : 1) * sizeof *own_of);
  int64_t *par = malloc((size_t)(m > 0 ? m : 1) * sizeof *par);
  int64_t *seen = malloc((size_t)(m > 0 ? m : 1) * sizeof *seen);
  int rc = GL_OK;
  if (!own_of || !par || !seen) { rc = GL_ENOMEM; goto done; }
  for (int64_t j = 0; j < nt; j++) own_of[j] = -1;
  for (int64_t k = 0; k < m; k++) {
    int64_t p = own[k] - base;
    if (p < 0 || p >= nt) { rc = GL_EINVAL; goto done; }
    own_of[p] = k;
    par[k] = k;
    seen[k] = -1;
  }
  for (int64_t k = 0; k < m; k++) {
    if (off[k + 1] < off[k]) { rc = GL_EINVAL; goto done; }
    for (int64_t j = off[k] - base; j < off[k + 1] - base; j++) {
      int64_t p = nb[j] - base;
      if (p < 0 || p >= nt) { rc = GL_EINVAL; goto done; }
    }
  }
  /* components of the tile's own core points; own rows ascend, so the
     lowest k of a component is its lowest row */
  for (int64_t k = 0; k < m; k++) {
    if (!iscore[k]) continue;
    for (int64_t j = off[k] - base; j < off[k + 1] - base; j++) {
      int64_t k2 = own_of[nb[j] - base];
      if (k2 >= 0 && iscore[k2]) unite(par, k, k2);
    }
  }
  for (int64_t k = 0; k < m; k++) root[k] = iscore[k] ? gid[own[k] - base] : base - 1;
  for (int64_t k = 0; k < m; k++) if (iscore[k]) root[k] = gid[own[find(par, k)] - base];
  /* the edges out of the tile's components: from an own core point to a
     halo neighbour (joined in the merge if that one is core in its tile),
     and from the root of each own component reaching an own non-core
     point to that point (a border candidate), once per component */
  for (int64_t k = 0; k < m && rc == GL_OK; k++) {
    int64_t me = gid[own[k] - base];
    for (int64_t j = off[k] - base; j < off[k + 1] - base && rc == GL_OK; j++) {
      int64_t p = nb[j] - base, k2 = own_of[p];
      if (iscore[k]) {
        if (k2 < 0 && (gl_i64buf_push(src, me) || gl_i64buf_push(dst, gid[p]))) rc = GL_ENOMEM;
      } else if (k2 >= 0 && iscore[k2]) {
        int64_t r = find(par, k2);
        if (seen[r] == k) continue;
        seen[r] = k;
        if (gl_i64buf_push(src, root[k2]) || gl_i64buf_push(dst, me)) rc = GL_ENOMEM;
      }
    }
  }
done:
  free(own_of); free(par); free(seen);
  return rc;
}

int gl_dbscan_tiles_merge (int64_t base, int64_t n, int64_t np, const int64_t *idx, const uint8_t *core_in,
                           const int64_t *root_in, int64_t ne, const int64_t *src, const int64_t *dst,
                           int64_t *labels, uint8_t *core, int64_t *nclusters) {
  int64_t *par = malloc((size_t)(n > 0 ? n : 1) * sizeof *par);
  if (!par) return GL_ENOMEM;
  for (int64_t p = 0; p < n; p++) { par[p] = p; core[p] = 0; }
  for (int64_t k = 0; k < np; k++) {
    int64_t p = idx[k] - base, r = root_in[k] - base;
    if (p < 0 || p >= n || (core_in[k] && (r < 0 || r >= n))) { free(par); return GL_EINVAL; }
    if (core_in[k]) { core[p] = 1; par[p] = r; }
  }
  for (int64_t k = 0; k < ne; k++) {
    int64_t s = src[k] - base, d = dst[k] - base;
    if (s < 0 || s >= n || d < 0 || d >= n || !core[s]) { free(par); return GL_EINVAL; }
    if (core[d]) unite(par, s, d);
  }
  /* roots are lowest rows: a cluster is numbered when its root is met */
  int64_t next = 0;
  for (int64_t p = 0; p < n; p++) {
    if (!core[p]) { labels[p] = -1; continue; }
    int64_t r = find(par, p);
    labels[p] = r == p ? ++next : labels[r];
  }
  /* a border point: the smallest label among its core neighbours */
  for (int64_t k = 0; k < ne; k++) {
    int64_t s = src[k] - base, d = dst[k] - base;
    if (!core[d] && (labels[d] == -1 || labels[s] < labels[d])) labels[d] = labels[s];
  }
  *nclusters = next;
  free(par);
  return GL_OK;
}
