/* cluster_kmeans.c: k-means++ seeding, Lloyd and Elkan iterations.
 *
 * Algorithm note. Both follow scikit-learn's _kmeans_single_lloyd/_elkan: an
 * iteration assigns every row to its nearest centre, then moves each centre to
 * the mean of its rows; the loop stops when no label changes ("strict
 * convergence") or when the summed squared centre shift is <= tol. Elkan
 * (2003) keeps an upper bound on each row's distance to its centre and a
 * lower bound to every other centre, and skips distance computations the
 * triangle inequality rules out. Distances are computed directly as
 * sum (x - c)^2 (no |x|^2 - 2 x.c + |c|^2 expansion, whose cancellation can
 * flip near-ties). Sums of rows per centre run over fixed blocks of BLK rows,
 * combined in block order: the same bits for any thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "gl_simd.h"
#include "cluster.h"

#define BLK 1024

static inline double sqdist (const double *a, const double *b, int64_t d) {
  double s = 0;
  for (int64_t k = 0; k < d; k++) { double v = a[k] - b[k]; s += v * v; }
  return s;
}

/* sqdist of the centred row a - shift: the same values as the row of a
 * centred copy, without the copy */
static inline double sqdist_c (const double *a, const double *shift, const double *b, int64_t d) {
  double s = 0;
  for (int64_t k = 0; k < d; k++) { double v = (a[k] - shift[k]) - b[k]; s += v * v; }
  return s;
}

static inline void centred_row (const double *a, const double *shift, int64_t d, double *out) {
  for (int64_t k = 0; k < d; k++) out[k] = a[k] - shift[k];
}

/* sum of v[0..n) in fixed blocks, blocks added in order */
static double block_sum (int64_t n, const double *v) {
  double tot = 0;
  for (int64_t b = 0; b < n; b += BLK) {
    int64_t e = b + BLK < n ? b + BLK : n;
    double s = 0;
    for (int64_t i = b; i < e; i++) s += v[i];
    tot += s;
  }
  return tot;
}

int gl_kmeans_pp_f64 (int64_t n, int64_t d, const double *X, const double *shift, int64_t k,
                      int64_t ntrials, gl_rng *rng, double *centers, int64_t *idx) {
  if (k < 1 || k > n) return GL_EINVAL;
  if (ntrials < 1) ntrials = 1;
  double *closest = malloc((size_t)n * sizeof *closest);
  double *cand = malloc((size_t)(n * ntrials) * sizeof *cand);
  double *cum = malloc((size_t)n * sizeof *cum);
  int64_t *cid = malloc((size_t)ntrials * sizeof *cid);
  double *pot = malloc((size_t)ntrials * sizeof *pot);
  double *zero = calloc((size_t)d, sizeof *zero);
  double *crow = malloc((size_t)(ntrials * d) * sizeof *crow);   /* the candidates, centred */
  if (!closest || !cand || !cum || !cid || !pot || !zero || !crow) {
    free(closest); free(cand); free(cum); free(cid); free(pot); free(zero); free(crow); return GL_ENOMEM;
  }
  if (!shift) shift = zero;   /* x - 0.0 == x: the same bits as without a shift */
  int64_t first = (int64_t)gl_random_interval(rng, (uint64_t)(n - 1));
  centred_row(X + first * d, shift, d, centers);
  if (idx) idx[0] = first;
#ifdef _OPENMP
#pragma omp parallel for num_threads(gl_threads()) if (n > 20000)
#endif
  for (int64_t i = 0; i < n; i++) closest[i] = sqdist_c(X + i * d, shift, centers, d);
  double cur = block_sum(n, closest);
  for (int64_t c = 1; c < k; c++) {
    double acc = 0;                         /* running sum, like numpy's cumsum */
    for (int64_t i = 0; i < n; i++) { acc += closest[i]; cum[i] = acc; }
    for (int64_t t = 0; t < ntrials; t++) {
      double r = gl_random_double(rng) * cur;
      int64_t lo = 0, hi = n;                /* first i with cum[i] >= r */
      while (lo < hi) { int64_t mid = (lo + hi) / 2; if (cum[mid] < r) lo = mid + 1; else hi = mid; }
      cid[t] = lo < n ? lo : n - 1;
      centred_row(X + cid[t] * d, shift, d, crow + t * d);
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads(gl_threads()) if (n > 20000)
#endif
    for (int64_t i = 0; i < n; i++)
      for (int64_t t = 0; t < ntrials; t++) {
        double v = sqdist_c(X + i * d, shift, crow + t * d, d);
        cand[t * n + i] = v < closest[i] ? v : closest[i];
      }
    int64_t best = 0;
    for (int64_t t = 0; t < ntrials; t++) {
      pot[t] = block_sum(n, cand + t * n);
      if (pot[t] < pot[best]) best = t;
    }
    cur = pot[best];
    memcpy(closest, cand + best * n, (size_t)n * sizeof(double));
    memcpy(centers + c * d, crow + best * d, (size_t)d * sizeof(double));
    if (idx) idx[c] = cid[best];
  }
  free(closest); free(cand); free(cum); free(cid); free(pot); free(zero); free(crow);
  return GL_OK;
}

/* Nearest centre for rows [i0, i1) (at most BLK): the block is transposed
 * (coordinate-major) so that the loop over rows vectorises; distances are the
 * same sums in the same order as sqdist. Ties keep the lower centre. */
#define SOA_MAXD 8
/* An AVX2 clone (gl_simd.h): every distance rounds as in the default clone,
 * so labels and inertia do not depend on the CPU. */
GL_CLONES_AVX2
static double assign_block (int64_t i0, int64_t i1, int64_t d, const double *X, const double *XT,
                            int64_t n, int64_t k, const double *C, int64_t *labels, double *dist2,
                            int64_t *changed, double *P) {
  int64_t m = i1 - i0;
  double s = 0;
  if (d > SOA_MAXD) {
    for (int64_t i = i0; i < i1; i++) {
      const double *x = X + i * d;
      int64_t bl = 0;
      double bd = sqdist(x, C, d);
      for (int64_t j = 1; j < k; j++) {
        double v = sqdist(x, C + j * d, d);
        if (v < bd) { bd = v; bl = j; }
      }
      if (changed && labels[i] != bl) (*changed)++;
      labels[i] = bl;
      if (dist2) dist2[i] = bd;
      s += bd;
    }
    return s;
  }
  /* best distance and label (as a double, so the blends vectorise) are
     written to the other of two buffers at each centre: a select, never a
     masked store */
  double xbuf[SOA_MAXD][BLK], cur[BLK], bda[BLK], bdb[BLK], bla[BLK], blb[BLK];
  double *bd = bda, *blf = bla, *nbd = bdb, *nbl = blb;
  const double *xs[SOA_MAXD];
  for (int64_t q = 0; q < d; q++) {
    if (XT) { xs[q] = XT + q * n + i0; continue; }   /* a coordinate-major copy of X */
    const double *src = X + i0 * d + q;
    for (int64_t i = 0; i < m; i++) xbuf[q][i] = src[i * d];
    xs[q] = xbuf[q];
  }
  for (int64_t j = 0; j < k; j++) {
    const double *c = C + j * d;
    double c0 = c[0], jd = (double)j;
    if (d == 3) {     /* the point-cloud case in one pass, same sums in the same order */
      const double *x0 = xs[0], *x1 = xs[1], *x2 = xs[2];
      double c1 = c[1], c2 = c[2];
#ifdef _OPENMP
#pragma omp simd
#endif
      for (int64_t i = 0; i < m; i++) {
        double u = x0[i] - c0, v = x1[i] - c1, w = x2[i] - c2;
        cur[i] = u * u + v * v + w * w;
      }
    } else {
#ifdef _OPENMP
#pragma omp simd
#endif
      for (int64_t i = 0; i < m; i++) { double v = xs[0][i] - c0; cur[i] = v * v; }
      for (int64_t q = 1; q < d; q++) {
        double cq = c[q];
        const double *xq = xs[q];
#ifdef _OPENMP
#pragma omp simd
#endif
        for (int64_t i = 0; i < m; i++) { double v = xq[i] - cq; cur[i] += v * v; }
      }
    }
    if (j == 0) {
      for (int64_t i = 0; i < m; i++) { bd[i] = cur[i]; blf[i] = 0; }
      continue;
    }
#ifdef _OPENMP
#pragma omp simd
#endif
    for (int64_t i = 0; i < m; i++) {
      double cv = cur[i], bv = bd[i], lv = blf[i];
      int lt = cv < bv;
      nbd[i] = lt ? cv : bv;
      nbl[i] = lt ? jd : lv;
    }
    double *t1 = bd; bd = nbd; nbd = t1;
    double *t2 = blf; blf = nbl; nbl = t2;
  }
  int64_t bl[BLK];
  for (int64_t i = 0; i < m; i++) bl[i] = (int64_t)blf[i];
  for (int64_t i = 0; i < m; i++) {
    if (changed && labels[i0 + i] != bl[i]) (*changed)++;
    labels[i0 + i] = bl[i];
    if (dist2) dist2[i0 + i] = bd[i];
    s += bd[i];
  }
  if (P) {   /* this block's sums per centre, rows in order (as block_sums) */
    memset(P, 0, (size_t)(k * (d + 1)) * sizeof(double));
    for (int64_t i = 0; i < m; i++) {
      double *p = P + bl[i] * (d + 1);
      for (int64_t q = 0; q < d; q++) p[q] += xs[q][i];
      p[d] += 1;
    }
  }
  return s;
}

int gl_kmeans_assign_f64 (int64_t n, int64_t d, const double *X, int64_t k, const double *C,
                          int64_t *labels, double *dist2, double *inertia) {
  int64_t nb = (n + BLK - 1) / BLK;
  double *part = inertia ? malloc((size_t)(nb ? nb : 1) * sizeof *part) : NULL;
  if (inertia && !part) return GL_ENOMEM;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n * k > 50000)
#endif
  for (int64_t b = 0; b < nb; b++) {
    int64_t e = (b + 1) * BLK < n ? (b + 1) * BLK : n;
    double s = assign_block(b * BLK, e, d, X, NULL, n, k, C, labels, dist2, NULL, NULL);
    if (part) part[b] = s;
  }
  if (inertia) {
    double t = 0;
    for (int64_t b = 0; b < nb; b++) t += part[b];
    *inertia = t;
    free(part);
  }
  return GL_OK;
}

/* Empty clusters take the nempty rows farthest from their centres (dist2),
 * largest first, ties by lower row, as scikit-learn's _relocate_empty_clusters. */
/* Row i of the data: from the coordinate-major copy XT when there is one
 * (then X may be the uncentred input), else from X. */
static void row_at (const double *X, const double *XT, int64_t n, int64_t d, int64_t i, double *out) {
  if (XT) for (int64_t q = 0; q < d; q++) out[q] = XT[q * n + i];
  else memcpy(out, X + i * d, (size_t)d * sizeof(double));
}

static int relocate_empty (int64_t n, int64_t d, const double *X, const double *XT, int64_t k,
                           const int64_t *cnt, int64_t nempty, const double *dist2, double *C) {
  int64_t *far = malloc((size_t)nempty * sizeof *far);
  if (!far) return GL_ENOMEM;
  int64_t nf = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t pos = nf < nempty ? nf++ : nempty;
    if (pos == nempty) {
      if (!(dist2[i] > dist2[far[nempty - 1]])) continue;
      pos = nempty - 1;
    }
    while (pos > 0 && dist2[i] > dist2[far[pos - 1]]) { far[pos] = far[pos - 1]; pos--; }
    far[pos] = i;
  }
  int64_t f = 0;
  for (int64_t j = 0; j < k && f < nf; j++) {
    if (cnt[j] != 0) continue;
    row_at(X, XT, n, d, far[f], C + j * d);
    f++;
  }
  free(far);
  return GL_OK;
}

/* New centres = means of their rows (block partial sums combined in order).
 * Empty clusters get the rows farthest from their centres (dist2), as
 * scikit-learn's _relocate_empty_clusters. */
/* Block b's sums of rows per centre into part (k x (d+1): sums, count). */
static void block_sums (int64_t b, int64_t n, int64_t d, const double *X, int64_t k,
                        const int64_t *labels, double *part) {
  double *P = part + b * k * (d + 1);
  memset(P, 0, (size_t)(k * (d + 1)) * sizeof(double));
  int64_t e = (b + 1) * BLK < n ? (b + 1) * BLK : n;
  for (int64_t i = b * BLK; i < e; i++) {
    double *p = P + labels[i] * (d + 1);
    const double *x = X + i * d;
    for (int64_t q = 0; q < d; q++) p[q] += x[q];
    p[d] += 1;
  }
}

/* have_sums: part already holds every block's sums (the fused Lloyd step). */
static int update_centers (int64_t n, int64_t d, const double *X, const double *XT, int64_t k,
                           const int64_t *labels,
                           const double *dist2, const double *old, double *C, double *part, int64_t *cnt,
                           int have_sums) {
  int64_t nb = (n + BLK - 1) / BLK;
  if (!have_sums) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n * d > 50000)
#endif
    for (int64_t b = 0; b < nb; b++) block_sums(b, n, d, X, k, labels, part);
  }
  memset(C, 0, (size_t)(k * d) * sizeof(double));
  for (int64_t j = 0; j < k; j++) cnt[j] = 0;
  double *w = malloc((size_t)k * sizeof *w);
  if (!w) return GL_ENOMEM;
  for (int64_t j = 0; j < k; j++) w[j] = 0;
  for (int64_t b = 0; b < nb; b++) {
    const double *P = part + b * k * (d + 1);
    for (int64_t j = 0; j < k; j++) {
      for (int64_t q = 0; q < d; q++) C[j * d + q] += P[j * (d + 1) + q];
      w[j] += P[j * (d + 1) + d];
    }
  }
  int64_t nempty = 0;
  for (int64_t j = 0; j < k; j++) {
    cnt[j] = (int64_t)w[j];
    if (cnt[j] == 0) nempty++;
    else for (int64_t q = 0; q < d; q++) C[j * d + q] /= w[j];
  }
  int rc = GL_OK;
  if (nempty) {
    double *dd = (double *)dist2;
    if (!dd) {   /* Lloyd keeps no distances: those to the centres the rows were assigned to */
      dd = malloc((size_t)n * sizeof *dd);
      if (!dd) { free(w); return GL_ENOMEM; }
      double row[SOA_MAXD];
      for (int64_t i = 0; i < n; i++) {
        if (XT) { row_at(X, XT, n, d, i, row); dd[i] = sqdist(row, old + labels[i] * d, d); }
        else dd[i] = sqdist(X + i * d, old + labels[i] * d, d);
      }
    }
    rc = relocate_empty(n, d, X, XT, k, cnt, nempty, dd, C);
    if (dd != dist2) free(dd);
  }
  free(w);
  return rc;
}

int gl_kmeans_fit_f64 (int64_t n, int64_t d, const double *X, const double *shift, int64_t k, double *C,
                       int64_t max_iter, double tol, int elkan, int64_t *labels,
                       double *inertia, int64_t *n_iter) {
  if (k < 1 || k > n) return GL_EINVAL;
  int64_t nb = (n + BLK - 1) / BLK;
  /* Lloyd on few columns reads only XT, centred as it is made; the other
     paths read rows, so they get a centred row-major copy */
  double *Xown = NULL;
  if (shift && (elkan || d > SOA_MAXD)) {
    Xown = malloc((size_t)(n * d) * sizeof *Xown);
    if (!Xown) return GL_ENOMEM;
    for (int64_t i = 0; i < n; i++) centred_row(X + i * d, shift, d, Xown + i * d);
    X = Xown;
    shift = NULL;
  }
  double *part = malloc((size_t)(nb * k * (d + 1)) * sizeof *part);
  double *dist2 = malloc((size_t)n * sizeof *dist2);
  double *Cn = malloc((size_t)(k * d) * sizeof *Cn);
  int64_t *old = elkan ? malloc((size_t)n * sizeof *old) : NULL;   /* Elkan's previous labels */
  int64_t *cnt = malloc((size_t)k * sizeof *cnt);
  double *lb = elkan ? malloc((size_t)(n * k) * sizeof *lb) : NULL;
  double *ub = elkan ? malloc((size_t)n * sizeof *ub) : NULL;
  double *hcc = elkan ? malloc((size_t)(k * k) * sizeof *hcc) : NULL;   /* half centre-centre distances */
  double *sc = elkan ? malloc((size_t)k * sizeof *sc) : NULL;
  double *cshift = malloc((size_t)k * sizeof *cshift);   /* how far each centre moved */
  /* Lloyd: X coordinate-major once, so blocks need no transposing */
  double *XT = !elkan && d <= SOA_MAXD ? malloc((size_t)(n * d) * sizeof *XT) : NULL;
  int rc = GL_OK;
  if (XT)
    for (int64_t i = 0; i < n; i++)
      for (int64_t q = 0; q < d; q++) XT[q * n + i] = shift ? X[i * d + q] - shift[q] : X[i * d + q];
  if (!part || !dist2 || !Cn || !cnt || !cshift || (elkan && (!old || !lb || !ub || !hcc || !sc)) ||
      (shift && !XT)) { rc = GL_ENOMEM; goto done; }
  int strict = 0;
  int64_t it = 0;
  if (elkan) for (int64_t i = 0; i < n; i++) old[i] = -1;
  if (elkan) {
    for (int64_t a = 0; a < k; a++) for (int64_t b = 0; b < k; b++)
      hcc[a * k + b] = sqrt(sqdist(C + a * d, C + b * d, d)) / 2;
#ifdef _OPENMP
#pragma omp parallel for schedule(static, BLK) num_threads(gl_threads()) if (n * k > 50000)
#endif
    for (int64_t i = 0; i < n; i++) {   /* initial bounds */
      const double *x = X + i * d;
      int64_t best = 0;
      double u = sqrt(sqdist(x, C, d));
      lb[i * k] = u;
      for (int64_t j = 1; j < k; j++) {
        lb[i * k + j] = 0;
        if (u > hcc[best * k + j]) {
          double v = sqrt(sqdist(x, C + j * d, d));
          lb[i * k + j] = v;
          if (v < u) { best = j; u = v; }
        }
      }
      labels[i] = best; ub[i] = u;
    }
  }
  for (it = 0; it < max_iter; it++) {
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    int64_t nchanged = 0;
    if (!elkan) {   /* assignment and block sums in one pass over X */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n * k > 50000) reduction(+:nchanged)
#endif
      for (int64_t b = 0; b < nb; b++) {
        int64_t e = (b + 1) * BLK < n ? (b + 1) * BLK : n, ch = 0;
        if (d <= SOA_MAXD) assign_block(b * BLK, e, d, X, XT, n, k, C, labels, NULL, &ch, part + b * k * (d + 1));
        else { assign_block(b * BLK, e, d, X, XT, n, k, C, labels, NULL, &ch, NULL); block_sums(b, n, d, X, k, labels, part); }
        nchanged += ch;
      }
      if (it == 0) nchanged = 1;      /* no previous labels */
    } else {
      for (int64_t a = 0; a < k; a++) {
        double m = INFINITY;
        for (int64_t b = 0; b < k; b++) {
          hcc[a * k + b] = sqrt(sqdist(C + a * d, C + b * d, d)) / 2;
          if (b != a && hcc[a * k + b] < m) m = hcc[a * k + b];
        }
        sc[a] = m;
      }
      if (it > 0) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static, BLK) num_threads(gl_threads()) if (n * k > 50000)
#endif
        for (int64_t i = 0; i < n; i++) {
          const double *x = X + i * d;
          int64_t l = labels[i];
          double u = ub[i];
          if (u <= sc[l]) continue;
          int tight = 0;
          for (int64_t j = 0; j < k; j++) {
            if (j == l || u <= lb[i * k + j] || u <= hcc[l * k + j]) continue;
            if (!tight) {
              u = sqrt(sqdist(x, C + l * d, d)); lb[i * k + l] = u; tight = 1;
              if (u <= lb[i * k + j] || u <= hcc[l * k + j]) continue;
            }
            double v = sqrt(sqdist(x, C + j * d, d));
            lb[i * k + j] = v;
            if (v < u) { l = j; u = v; }
          }
          labels[i] = l; ub[i] = u;
        }
      }
      for (int64_t i = 0; i < n; i++) dist2[i] = ub[i] * ub[i];   /* for empty-cluster relocation */
      nchanged = memcmp(labels, old, (size_t)n * sizeof *labels) != 0;
    }
    memcpy(Cn, C, (size_t)(k * d) * sizeof(double));
    rc = update_centers(n, d, X, XT, k, labels, elkan ? dist2 : NULL, Cn, C, part, cnt, !elkan);
    if (rc) goto done;
    double tot = 0;
    for (int64_t j = 0; j < k; j++) { double s2 = sqdist(C + j * d, Cn + j * d, d); cshift[j] = sqrt(s2); tot += s2; }
    if (elkan) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static, BLK) num_threads(gl_threads()) if (n * k > 50000)
#endif
      for (int64_t i = 0; i < n; i++) {
        ub[i] += cshift[labels[i]];
        for (int64_t j = 0; j < k; j++) {
          double v = lb[i * k + j] - cshift[j];
          lb[i * k + j] = v > 0 ? v : 0;
        }
      }
    }
    if (nchanged == 0) { strict = 1; break; }
    if (tot <= tol) break;
    if (elkan) memcpy(old, labels, (size_t)n * sizeof *labels);
  }
  if (it == max_iter) it = max_iter - 1;
  if (!strict) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n * k > 50000)
#endif
    for (int64_t b = 0; b < nb; b++) {
      int64_t e = (b + 1) * BLK < n ? (b + 1) * BLK : n;
      assign_block(b * BLK, e, d, X, XT, n, k, C, labels, NULL, NULL, NULL);
    }
  }
  {
    /* inertia of the final labels with the final centres, in fixed blocks */
    double tot = 0, row[SOA_MAXD];
    for (int64_t b = 0; b < nb; b++) {
      int64_t e = (b + 1) * BLK < n ? (b + 1) * BLK : n;
      double s = 0;
      for (int64_t i = b * BLK; i < e; i++) {
        if (XT) { row_at(X, XT, n, d, i, row); s += sqdist(row, C + labels[i] * d, d); }
        else s += sqdist(X + i * d, C + labels[i] * d, d);
      }
      tot += s;
    }
    *inertia = tot;
  }
  *n_iter = it + 1;
done:
  free(part); free(dist2); free(Cn); free(old); free(cnt); free(lb); free(ub); free(hcc); free(sc); free(cshift); free(XT);
  free(Xown);
  return rc;
}
