/* stats.c: counting kernels (see stats.h). Serial: each is one pass of cheap
 * work that memory bandwidth bounds, and in-order sums stay deterministic. */
#include <math.h>
#include <string.h>
#include "stats.h"

void gl_hist_edges (int64_t nbins, double lo, double hi, double *edges) {
  double step = (hi - lo) / (double)nbins;
  for (int64_t i = 0; i < nbins; i++) edges[i] = (double)i * step + lo;
  edges[nbins] = hi;
}

/* The bin of v in edges[0..nb] (v inside the range): last edge <= v. */
static int64_t find_bin (const double *edges, int64_t nb, double v) {
  int64_t lo = 0, hi = nb + 1;   /* count of edges <= v, by bisection */
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (edges[mid] <= v) lo = mid + 1; else hi = mid;
  }
  return lo - 1 < nb ? lo - 1 : nb - 1;   /* v == last edge: the last bin */
}

int gl_histogram_f64 (int64_t n, const double *x, const double *w, int64_t nbins,
                      const double *edges, int uniform, int64_t *counts, double *wsum) {
  double first = edges[0], last = edges[nbins], span = last - first;
  if (counts) memset(counts, 0, sizeof(int64_t) * (size_t)nbins);
  if (wsum) memset(wsum, 0, sizeof(double) * (size_t)nbins);
  for (int64_t k = 0; k < n; k++) {
    if ((k & 0xfffff) == 0 && gl_interrupted()) return GL_EINTR;
    double v = x[k];
    if (!(v >= first && v <= last)) continue;   /* outside, or NaN */
    int64_t b;
    if (uniform) {
      /* NumPy's _histogram: scaled index, then fix the ~1 ulp misses */
      b = (int64_t)(((v - first) / span) * (double)nbins);
      if (b >= nbins) b = nbins - 1;
      if (v < edges[b]) b--;
      else if (v >= edges[b + 1] && b != nbins - 1) b++;
    } else {
      b = find_bin(edges, nbins, v);
    }
    if (w) wsum[b] += w[k];
    else counts[b]++;
  }
  return GL_OK;
}

int gl_bincount (int64_t n, const int64_t *x, const double *w, int64_t nout,
                 int64_t *counts, double *wsum) {
  if (counts) memset(counts, 0, sizeof(int64_t) * (size_t)nout);
  if (wsum) memset(wsum, 0, sizeof(double) * (size_t)nout);
  for (int64_t k = 0; k < n; k++) {
    if (x[k] < 0 || x[k] >= nout) return GL_ERANGE;
    if (w) wsum[x[k]] += w[k];
    else counts[x[k]]++;
  }
  return GL_OK;
}

int64_t gl_nonzero_u8 (int64_t n, const gl_bool *x, int64_t *pos) {
  int64_t m = 0;
  if (pos == NULL) {
    for (int64_t k = 0; k < n; k++) m += x[k] != 0;
    return m;
  }
  for (int64_t k = 0; k < n; k++) if (x[k]) pos[m++] = k;
  return m;
}
