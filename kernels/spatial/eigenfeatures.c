/* eigenfeatures.c: per-point neighbourhood covariance and its eigen-features.
 *
 * Algorithm note. For each core point and radius, the kd-tree gives the
 * neighbours; their mean, then the centred covariance (two passes, so large
 * coordinates far from the origin do not cancel), then a cyclic Jacobi
 * eigen-solver on the 3x3 matrix. Jacobi is accurate to a few ulps of the
 * largest eigenvalue and needs no LAPACK call per point. Features follow
 * Weinmann et al. (2015) on eigenvalues e1 >= e2 >= e3 normalised to sum 1:
 * linearity (e1-e2)/e1, planarity (e2-e3)/e1, scattering e3/e1, omnivariance
 * (e1 e2 e3)^(1/3), anisotropy (e1-e3)/e1, eigenentropy -sum e ln e, sum of
 * the raw eigenvalues, change of curvature e3, verticality 1-|n_z| (n the
 * eigenvector of e3), neighbour count and density count/(4/3 pi r^3); and the
 * barycentric coordinates of Brodu & Lague (2012): e1-e2, 2(e2-e3), 3 e3. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "eigenfeatures.h"

void gl_eigh3 (const double *a, double *w, double *v) {
  double A[3][3], V[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) A[i][j] = a[i * 3 + j];
  for (int sweep = 0; sweep < 60; sweep++) {
    double off = fabs(A[0][1]) + fabs(A[0][2]) + fabs(A[1][2]);
    if (off == 0) break;
    for (int p = 0; p < 2; p++)
      for (int q = p + 1; q < 3; q++) {
        double apq = A[p][q];
        if (apq == 0) continue;
        /* skip rotations too small to change the diagonal (after sweep 3) */
        if (sweep > 3 && fabs(A[p][p]) + 100 * fabs(apq) == fabs(A[p][p]) &&
            fabs(A[q][q]) + 100 * fabs(apq) == fabs(A[q][q])) { A[p][q] = A[q][p] = 0; continue; }
        double theta = (A[q][q] - A[p][p]) / (2 * apq);
        double tt = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
        double cs = 1 / sqrt(tt * tt + 1), sn = tt * cs;
        for (int k = 0; k < 3; k++) {   /* A = J^T A J */
          double akp = A[k][p], akq = A[k][q];
          A[k][p] = cs * akp - sn * akq;
          A[k][q] = sn * akp + cs * akq;
        }
        for (int k = 0; k < 3; k++) {
          double apk = A[p][k], aqk = A[q][k];
          A[p][k] = cs * apk - sn * aqk;
          A[q][k] = sn * apk + cs * aqk;
        }
        A[p][q] = A[q][p] = 0;
        for (int k = 0; k < 3; k++) {
          double vkp = V[k][p], vkq = V[k][q];
          V[k][p] = cs * vkp - sn * vkq;
          V[k][q] = sn * vkp + cs * vkq;
        }
      }
  }
  int ord[3] = {0, 1, 2};
  double d[3] = {A[0][0], A[1][1], A[2][2]};
  for (int i = 0; i < 3; i++)          /* ascending */
    for (int j = i + 1; j < 3; j++)
      if (d[ord[j]] < d[ord[i]]) { int x = ord[i]; ord[i] = ord[j]; ord[j] = x; }
  for (int i = 0; i < 3; i++) {
    w[i] = d[ord[i]];
    if (v) for (int k = 0; k < 3; k++) v[k * 3 + i] = V[k][ord[i]];
  }
}

static void features (const double *lam, const double *nrm, int64_t cnt, double radius,
                      double *f) {
  double s = lam[0] + lam[1] + lam[2];
  double e1 = lam[0] / s, e2 = lam[1] / s, e3 = lam[2] / s;
  if (!(s > 0)) e1 = e2 = e3 = NAN;
  if (e3 < 0) e3 = 0;                 /* round-off on flat neighbourhoods */
  if (e2 < 0) e2 = 0;
  f[GL_EF_LINEARITY] = (e1 - e2) / e1;
  f[GL_EF_PLANARITY] = (e2 - e3) / e1;
  f[GL_EF_SCATTERING] = e3 / e1;
  f[GL_EF_OMNIVARIANCE] = cbrt(e1 * e2 * e3);
  f[GL_EF_ANISOTROPY] = (e1 - e3) / e1;
  double h = 0;
  if (e1 > 0) h -= e1 * log(e1);
  if (e2 > 0) h -= e2 * log(e2);
  if (e3 > 0) h -= e3 * log(e3);
  f[GL_EF_EIGENENTROPY] = s > 0 ? h : NAN;
  f[GL_EF_SUM] = s;
  f[GL_EF_CURVATURE] = e3;
  f[GL_EF_VERTICALITY] = s > 0 ? 1 - fabs(nrm[2]) : NAN;   /* no normal when all points coincide */
  f[GL_EF_COUNT] = (double)cnt;
  f[GL_EF_DENSITY] = (double)cnt / (4.0 / 3.0 * M_PI * radius * radius * radius);
  f[GL_EF_BARY_A] = e1 - e2;
  f[GL_EF_BARY_B] = 2 * (e2 - e3);
  f[GL_EF_BARY_C] = 3 * e3;
}

/* Per-node moments: centroid (3) and scatter about it (6: xx xy xz yy yz zz),
 * bottom-up (Chan et al. merge), so that a node inside the sphere adds in O(1). */
static void node_moments (const gl_kdtree *t, int64_t node, double *mom) {
  double *M = mom + node * 9;
  if (t->left[node] < 0) {
    int64_t n = t->end[node] - t->start[node];
    double c[3] = {0, 0, 0};
    for (int64_t i = t->start[node]; i < t->end[node]; i++)
      for (int k = 0; k < 3; k++) c[k] += t->pts[i * 3 + k];
    for (int k = 0; k < 3; k++) c[k] /= (double)n;
    double S[6] = {0, 0, 0, 0, 0, 0};
    for (int64_t i = t->start[node]; i < t->end[node]; i++) {
      const double *p = t->pts + i * 3;
      double dx = p[0] - c[0], dy = p[1] - c[1], dz = p[2] - c[2];
      S[0] += dx * dx; S[1] += dx * dy; S[2] += dx * dz;
      S[3] += dy * dy; S[4] += dy * dz; S[5] += dz * dz;
    }
    memcpy(M, c, sizeof c); memcpy(M + 3, S, sizeof S);
    return;
  }
  int64_t a = t->left[node], b = t->right[node];
  node_moments(t, a, mom); node_moments(t, b, mom);
  double na = (double)(t->end[a] - t->start[a]), nb = (double)(t->end[b] - t->start[b]);
  const double *A = mom + a * 9, *B = mom + b * 9;
  double n = na + nb, d[3];
  for (int k = 0; k < 3; k++) { d[k] = B[k] - A[k]; M[k] = A[k] + d[k] * nb / n; }
  double f = na * nb / n;
  M[3] = A[3] + B[3] + f * d[0] * d[0]; M[4] = A[4] + B[4] + f * d[0] * d[1];
  M[5] = A[5] + B[5] + f * d[0] * d[2]; M[6] = A[6] + B[6] + f * d[1] * d[1];
  M[7] = A[7] + B[7] + f * d[1] * d[2]; M[8] = A[8] + B[8] + f * d[2] * d[2];
}

/* Sums over the points within r of x, shifted by x: count, S1 (3), S2 (6).
 * A node whose box lies inside the sphere adds its moments: every point's
 * computed distance is <= the computed distance of the box's far corner
 * (rounding is monotonic), so the set equals the per-point test's. */
typedef struct acc { const gl_kdtree *t; const double *mom, *x; double r2; int64_t n; double s1[3], s2[6]; } acc;

static void acc_visit (acc *a, int64_t node) {
  const gl_kdtree *t = a->t;
  const double *lo = t->box + node * 6, *hi = lo + 3, *x = a->x;
  double dmin = 0, dmax = 0;
  for (int k = 0; k < 3; k++) {
    double u = x[k] - lo[k], v = hi[k] - x[k];      /* u, v >= 0 when inside */
    double mn = u < 0 ? -u : (v < 0 ? -v : 0);
    double mx = fabs(u) > fabs(v) ? fabs(u) : fabs(v);
    dmin += mn * mn; dmax += mx * mx;
  }
  if (dmin > a->r2) return;
  if (dmax <= a->r2) {
    const double *M = a->mom + node * 9;
    double n = (double)(t->end[node] - t->start[node]);
    double c0 = M[0] - x[0], c1 = M[1] - x[1], c2 = M[2] - x[2];
    a->n += t->end[node] - t->start[node];
    a->s1[0] += n * c0; a->s1[1] += n * c1; a->s1[2] += n * c2;
    a->s2[0] += M[3] + n * c0 * c0; a->s2[1] += M[4] + n * c0 * c1; a->s2[2] += M[5] + n * c0 * c2;
    a->s2[3] += M[6] + n * c1 * c1; a->s2[4] += M[7] + n * c1 * c2; a->s2[5] += M[8] + n * c2 * c2;
    return;
  }
  if (t->left[node] >= 0) { acc_visit(a, t->left[node]); acc_visit(a, t->right[node]); return; }
  for (int64_t i = t->start[node]; i < t->end[node]; i++) {
    const double *p = t->pts + i * 3;
    double dx = x[0] - p[0], dy = x[1] - p[1], dz = x[2] - p[2];
    if (dx * dx + dy * dy + dz * dz <= a->r2) {
      dx = -dx; dy = -dy; dz = -dz;
      a->n++;
      a->s1[0] += dx; a->s1[1] += dy; a->s1[2] += dz;
      a->s2[0] += dx * dx; a->s2[1] += dx * dy; a->s2[2] += dx * dz;
      a->s2[3] += dy * dy; a->s2[4] += dy * dz; a->s2[5] += dz * dz;
    }
  }
}

static int cmp_i64 (const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Sorts the n row numbers a (all < 2^bits) ascending; tmp holds n. Short
 * lists by insertion, long ones by LSD radix sort on 11-bit digits (a
 * neighbourhood of 20000 points sorts in ~0.1 ms, qsort takes ~1.5 ms). */
#define RADIX_BITS 11
static void sort_rows (int64_t *a, int64_t *tmp, int64_t n, int bits) {
  if (n < 64) {
    for (int64_t i = 1; i < n; i++) {
      int64_t v = a[i], j = i;
      while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
      a[j] = v;
    }
    return;
  }
  if (n < 512) { qsort(a, (size_t)n, sizeof *a, cmp_i64); return; }
  int64_t cnt[1 << RADIX_BITS];
  int64_t *src = a, *dst = tmp;
  for (int shift = 0; shift < bits; shift += RADIX_BITS) {
    memset(cnt, 0, sizeof cnt);
    for (int64_t i = 0; i < n; i++) cnt[(src[i] >> shift) & ((1 << RADIX_BITS) - 1)]++;
    int64_t sum = 0;
    for (int k = 0; k < (1 << RADIX_BITS); k++) { int64_t c = cnt[k]; cnt[k] = sum; sum += c; }
    for (int64_t i = 0; i < n; i++) dst[cnt[(src[i] >> shift) & ((1 << RADIX_BITS) - 1)]++] = src[i];
    int64_t *x = src; src = dst; dst = x;
  }
  if (src != a) memcpy(a, src, (size_t)n * sizeof *a);
}

/* Index order: the neighbours' 0-based rows, sorted, summed one by one
 * (shifted by x) in that order. pos_of maps a row to its tree position.
 * The sums then depend only on the coordinates of x and of its neighbours
 * and on their row order, not on the tree: a tile holding the same points
 * in the same relative order gives the same bits (spatial.tiles). */
static int acc_index (acc *a, double r, const int64_t *pos_of, gl_i64buf *buf, gl_i64buf *tmp, int bits) {
  const gl_kdtree *t = a->t;
  const double *x = a->x;
  buf->len = 0;
  int64_t k = gl_kdtree_ball1(t, x, r, buf);   /* its r * r is a->r2 */
  if (k < 0) return (int)k;
  if (tmp->cap < buf->len) {
    int64_t *d = realloc(tmp->data, (size_t)buf->len * sizeof *d);
    if (!d) return GL_ENOMEM;
    tmp->data = d; tmp->cap = buf->len;
  }
  sort_rows(buf->data, tmp->data, buf->len, bits);
  for (int64_t j = 0; j < buf->len; j++) {
    const double *p = t->pts + pos_of[buf->data[j]] * 3;
    double dx = x[0] - p[0], dy = x[1] - p[1], dz = x[2] - p[2];
    if (dx * dx + dy * dy + dz * dz <= a->r2) {   /* the test acc_visit makes */
      dx = -dx; dy = -dy; dz = -dz;
      a->n++;
      a->s1[0] += dx; a->s1[1] += dy; a->s1[2] += dz;
      a->s2[0] += dx * dx; a->s2[1] += dx * dy; a->s2[2] += dx * dz;
      a->s2[3] += dy * dy; a->s2[4] += dy * dz; a->s2[5] += dz * dz;
    }
  }
  return 0;
}

int gl_eigenfeatures_f64 (const gl_kdtree *t, int64_t m, const double *c,
                          int64_t ns, const double *radii, double *eig,
                          double *feat, double *evec, int64_t min_neighbors,
                          int index_order) {
  if (t->d != 3) return GL_ESHAPE;
  if (min_neighbors < 3) min_neighbors = 3;
  atomic_int err = 0;   /* shared by the OpenMP threads: atomic, not a racy plain int */
  double *mom = index_order ? NULL : malloc((size_t)t->nnodes * 9 * sizeof *mom);
  int64_t *pos_of = index_order ? malloc((size_t)(t->n ? t->n : 1) * sizeof *pos_of) : NULL;
  if (index_order ? !pos_of : !mom) { free(mom); free(pos_of); return GL_ENOMEM; }
  if (mom) node_moments(t, 0, mom);
  if (pos_of) for (int64_t i = 0; i < t->n; i++) pos_of[t->idx[i]] = i;
  int bits = 1;   /* row numbers are < 2^bits */
  while (bits < 63 && ((int64_t)1 << bits) < t->n) bits++;
  int64_t *perm = malloc((size_t)(m ? m : 1) * sizeof *perm);
  if (!perm || gl_kdtree_order(t, m, c, perm)) { free(mom); free(pos_of); free(perm); return GL_ENOMEM; }
#ifdef _OPENMP
#pragma omp parallel num_threads(gl_threads()) if (m > 64)
#endif
  {
    gl_i64buf buf = {NULL, 0, 0}, tmp = {NULL, 0, 0};   /* this thread's neighbour rows (index order) */
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 64)
#endif
    for (int64_t ii = 0; ii < m; ii++) {
      if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
      if ((ii & 1023) == 0 && gl_interrupted()) { atomic_store_explicit(&err, GL_EINTR, memory_order_relaxed); continue; }
      int64_t i = perm[ii];
      const double *x = c + i * 3;
      for (int64_t s = 0; s < ns; s++) {
        double *f = feat + (i * ns + s) * GL_EF_NFEAT, *ev = eig + (i * ns + s) * 3;
        double *vv = evec ? evec + (i * ns + s) * 9 : NULL;
        acc A = {t, mom, x, radii[s] * radii[s], 0, {0, 0, 0}, {0, 0, 0, 0, 0, 0}};
        if (!(isnan(x[0]) || isnan(x[1]) || isnan(x[2]))) {
          if (!index_order) acc_visit(&A, 0);
          else if (acc_index(&A, radii[s], pos_of, &buf, &tmp, bits)) { atomic_store_explicit(&err, GL_ENOMEM, memory_order_relaxed); break; }
        }
        int64_t cnt = A.n;
        if (cnt < min_neighbors) {
          for (int k = 0; k < GL_EF_NFEAT; k++) f[k] = NAN;
          f[GL_EF_COUNT] = (double)cnt;
          f[GL_EF_DENSITY] = (double)cnt / (4.0 / 3.0 * M_PI * radii[s] * radii[s] * radii[s]);
          ev[0] = ev[1] = ev[2] = NAN;
          if (vv) for (int k = 0; k < 9; k++) vv[k] = NAN;
          continue;
        }
        double nn = (double)cnt, dn = nn - 1;
        double mx = A.s1[0] / nn, my = A.s1[1] / nn, mz = A.s1[2] / nn;
        double cxx = (A.s2[0] - nn * mx * mx) / dn, cxy = (A.s2[1] - nn * mx * my) / dn;
        double cxz = (A.s2[2] - nn * mx * mz) / dn, cyy = (A.s2[3] - nn * my * my) / dn;
        double cyz = (A.s2[4] - nn * my * mz) / dn, czz = (A.s2[5] - nn * mz * mz) / dn;
        double C[9] = {cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz};
        double w[3], V[9];
        gl_eigh3(C, w, V);
        double lam[3] = {w[2], w[1], w[0]};
        ev[0] = lam[0]; ev[1] = lam[1]; ev[2] = lam[2];
        double nrm[3] = {V[0 * 3 + 0], V[1 * 3 + 0], V[2 * 3 + 0]};
        if (vv)
          for (int r = 0; r < 3; r++)
            for (int k = 0; k < 3; k++) vv[r * 3 + k] = V[r * 3 + (2 - k)];
        features(lam, nrm, cnt, radii[s], f);
      }
    }
    free(buf.data); free(tmp.data);
  }
  free(mom); free(pos_of); free(perm);
  return err;
}
