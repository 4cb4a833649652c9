/* resample.c: time bins, grouped reductions, interpolation of gaps, index
 * matching and stable sorting for the frame module.
 *
 * Bins follow pandas 1.5 defaults: fixed-step rules ("5min", "1h", "1D") are
 * left-closed, left-labelled bins counted from midnight of the first day
 * (origin="start_day"); calendar rules ("M", "W", "A") are whole calendar
 * periods labelled by their last day at midnight (closed="right" with the
 * end-of-day adjustment pandas applies). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "resample.h"
#include "datetime.h"
#include "gl_types.h"

/* Period number of one time under a calendar rule (before dividing by mult). */
static int64_t period_of (int kind, int64_t t) {
  int64_t day = gl_floordiv(t, GL_NS_PER_DAY);
  int64_t y; int m, d;
  switch (kind) {
    case GL_RULE_MONTH: case GL_RULE_MONTH_START:
      gl_civil_from_days(day, &y, &m, &d);
      return y * 12 + m - 1;
    case GL_RULE_YEAR: case GL_RULE_YEAR_START:
      gl_civil_from_days(day, &y, &m, &d);
      return y;
    case GL_RULE_WEEK: {   /* weeks Monday..Sunday; 1970-01-05 was a Monday */
      return gl_floordiv(day - 4, 7);
    }
  }
  return 0;
}

static int64_t period_label (int kind, int64_t p) {
  switch (kind) {
    case GL_RULE_MONTH: {
      int64_t y = gl_floordiv(p, 12);
      int m = (int)(p - y * 12) + 1;
      return gl_days_from_civil(y, m, gl_days_in_month(y, m)) * GL_NS_PER_DAY;
    }
    case GL_RULE_MONTH_START: {
      int64_t y = gl_floordiv(p, 12);
      return gl_days_from_civil(y, (int)(p - y * 12) + 1, 1) * GL_NS_PER_DAY;
    }
    case GL_RULE_YEAR: return gl_days_from_civil(p, 12, 31) * GL_NS_PER_DAY;
    case GL_RULE_YEAR_START: return gl_days_from_civil(p, 1, 1) * GL_NS_PER_DAY;
    case GL_RULE_WEEK: return (p * 7 + 4 + 6) * GL_NS_PER_DAY;   /* the Sunday */
  }
  return 0;
}

int gl_resample_bins (int64_t n, const int64_t *ts, int kind, int64_t mult, int64_t step_ns,
                      int64_t *codes, int64_t *labels, int64_t *nbins) {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  if (mult < 1) return GL_EINVAL;
  if (kind == GL_RULE_TICK && step_ns <= 0) return GL_EINVAL;
  for (int64_t i = 0; i < n; i++) {
    if (ts[i] == GL_NAT) continue;
    if (ts[i] < lo) lo = ts[i];
    if (ts[i] > hi) hi = ts[i];
  }
  if (lo > hi) {   /* no valid time */
    for (int64_t i = 0; i < n; i++) codes[i] = -1;
    *nbins = 0;
    return 0;
  }
  if (kind == GL_RULE_TICK) {
    int64_t origin = gl_floordiv(lo, GL_NS_PER_DAY) * GL_NS_PER_DAY;
    int64_t b0 = gl_floordiv(lo - origin, step_ns), b1 = gl_floordiv(hi - origin, step_ns);
    for (int64_t i = 0; i < n; i++)
      codes[i] = ts[i] == GL_NAT ? -1 : gl_floordiv(ts[i] - origin, step_ns) - b0;
    *nbins = b1 - b0 + 1;
    if (labels) for (int64_t b = 0; b < *nbins; b++) labels[b] = origin + (b0 + b) * step_ns;
    return 0;
  }
  if (kind < GL_RULE_MONTH || kind > GL_RULE_YEAR_START) return GL_EINVAL;
  int64_t p0 = period_of(kind, lo), p1 = period_of(kind, hi);
  for (int64_t i = 0; i < n; i++)
    codes[i] = ts[i] == GL_NAT ? -1 : gl_floordiv(period_of(kind, ts[i]) - p0, mult);
  *nbins = gl_floordiv(p1 - p0, mult) + 1;
  if (labels) {
    int end = kind == GL_RULE_MONTH || kind == GL_RULE_YEAR || kind == GL_RULE_WEEK;
    for (int64_t b = 0; b < *nbins; b++)
      labels[b] = period_label(kind, p0 + b * mult + (end ? mult - 1 : 0));
  }
  return 0;
}

static int cmp_f64 (const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Codes in runs (each group's rows together, as resample gives them): one
 * streaming pass with no per-group scratch. Same arithmetic, same order. */
static int runs_reduce (int64_t n, const int64_t *codes, const double *vals, int64_t ng,
                        int how, int64_t ddof, double *out) {
  double empty = (how == GL_AGG_SUM || how == GL_AGG_COUNT || how == GL_AGG_SIZE) ? 0.0
               : how == GL_AGG_PROD ? 1.0 : NAN;
  for (int64_t g = 0; g < ng; g++) out[g] = empty;
  int64_t i = 0;
  while (i < n) {
    int64_t g = codes[i];
    if (g < 0) { i++; continue; }
    double s = 0, comp = 0, cnt = 0, mean = 0, m2 = 0, r = NAN, prod = 1;
    int64_t j = i;
    for (; j < n && (codes[j] == g || codes[j] < 0); j++) {
      double v = vals[j];
      if (codes[j] < 0) continue;
      if (how == GL_AGG_SIZE) { cnt += 1; continue; }
      if (isnan(v)) continue;
      cnt += 1;
      switch (how) {
        case GL_AGG_MEAN: case GL_AGG_SUM: {
          double yk = v - comp, tk = s + yk;
          comp = (tk - s) - yk;
          s = tk;
          break;
        }
        case GL_AGG_STD: case GL_AGG_VAR: {
          double d = v - mean;
          mean += d / cnt;
          m2 += d * (v - mean);
          break;
        }
        case GL_AGG_MIN: if (isnan(r) || v < r) r = v; break;
        case GL_AGG_MAX: if (isnan(r) || v > r) r = v; break;
        case GL_AGG_FIRST: if (isnan(r)) r = v; break;
        case GL_AGG_LAST: r = v; break;
        case GL_AGG_PROD: prod *= v; break;
      }
    }
    switch (how) {
      case GL_AGG_MEAN: out[g] = cnt > 0 ? s / cnt : NAN; break;
      case GL_AGG_SUM: out[g] = s; break;
      case GL_AGG_COUNT: case GL_AGG_SIZE: out[g] = cnt; break;
      case GL_AGG_STD: case GL_AGG_VAR: {
        double var = cnt > (double)ddof ? m2 / (cnt - (double)ddof) : NAN;
        out[g] = how == GL_AGG_STD ? sqrt(var) : var;
        break;
      }
      case GL_AGG_PROD: out[g] = prod; break;
      default: out[g] = r;
    }
    i = j;
  }
  return 0;
}

int gl_group_reduce_f64 (int64_t n, const int64_t *codes, const double *vals, int64_t ng,
                         int how, int64_t ddof, double *out, int64_t *scratch) {
  if (how != GL_AGG_MEDIAN && how >= 0 && how <= GL_AGG_PROD) {
    int64_t last = -1;
    int runs = 1;
    for (int64_t i = 0; i < n && runs; i++)
      if (codes[i] >= 0) { runs = codes[i] >= last; last = codes[i]; }
    if (runs) return runs_reduce(n, codes, vals, ng, how, ddof, out);
  }
  if (how == GL_AGG_MEDIAN) {
    /* counting sort of the valid values by group, then a sort per group */
    int64_t *start = scratch, *fill = scratch + ng + 1;   /* ng + 1, ng, then n doubles */
    memset(start, 0, sizeof(int64_t) * (size_t)(ng + 1));
    for (int64_t i = 0; i < n; i++)
      if (codes[i] >= 0 && !isnan(vals[i])) start[codes[i] + 1]++;
    for (int64_t g = 0; g < ng; g++) start[g + 1] += start[g];
    double *buf = (double *)(fill + ng);
    for (int64_t g = 0; g < ng; g++) fill[g] = start[g];
    for (int64_t i = 0; i < n; i++)
      if (codes[i] >= 0 && !isnan(vals[i])) buf[fill[codes[i]]++] = vals[i];
    for (int64_t g = 0; g < ng; g++) {
      int64_t a = start[g], m = start[g + 1] - a;
      if (m == 0) { out[g] = NAN; continue; }
      qsort(buf + a, (size_t)m, sizeof(double), cmp_f64);
      out[g] = m % 2 ? buf[a + m / 2] : (buf[a + m / 2 - 1] + buf[a + m / 2]) / 2;
    }
    return 0;
  }
  double *comp = NULL, *cnt = NULL;
  if (how == GL_AGG_MEAN || how == GL_AGG_SUM || how == GL_AGG_STD || how == GL_AGG_VAR) {
    comp = calloc((size_t)ng * 2 + 1, sizeof(double));
    if (!comp) return GL_ENOMEM;
    cnt = comp + ng;
  }
  switch (how) {
    case GL_AGG_MEAN: case GL_AGG_SUM: {
      for (int64_t g = 0; g < ng; g++) out[g] = 0;
      for (int64_t i = 0; i < n; i++) {
        int64_t g = codes[i];
        double v = vals[i];
        if (g < 0 || isnan(v)) continue;
        double yk = v - comp[g], tk = out[g] + yk;   /* Kahan */
        comp[g] = (tk - out[g]) - yk;
        out[g] = tk;
        cnt[g] += 1;
      }
      if (how == GL_AGG_MEAN)
        for (int64_t g = 0; g < ng; g++) out[g] = cnt[g] > 0 ? out[g] / cnt[g] : NAN;
      break;
    }
    case GL_AGG_STD: case GL_AGG_VAR: {   /* Welford, as pandas' group_var */
      double *mean = comp;
      for (int64_t g = 0; g < ng; g++) { out[g] = 0; mean[g] = 0; }
      for (int64_t i = 0; i < n; i++) {
        int64_t g = codes[i];
        double v = vals[i];
        if (g < 0 || isnan(v)) continue;
        cnt[g] += 1;
        double d = v - mean[g];
        mean[g] += d / cnt[g];
        out[g] += d * (v - mean[g]);
      }
      for (int64_t g = 0; g < ng; g++) {
        double var = cnt[g] > (double)ddof ? out[g] / (cnt[g] - (double)ddof) : NAN;
        out[g] = how == GL_AGG_STD ? sqrt(var) : var;
      }
      break;
    }
    case GL_AGG_MIN: case GL_AGG_MAX: case GL_AGG_FIRST: case GL_AGG_LAST: {
      for (int64_t g = 0; g < ng; g++) out[g] = NAN;
      for (int64_t i = 0; i < n; i++) {
        int64_t g = codes[i];
        double v = vals[i];
        if (g < 0 || isnan(v)) continue;
        if (isnan(out[g])) { out[g] = v; continue; }
        if (how == GL_AGG_MIN && v < out[g]) out[g] = v;
        else if (how == GL_AGG_MAX && v > out[g]) out[g] = v;
        else if (how == GL_AGG_LAST) out[g] = v;
      }
      break;
    }
    case GL_AGG_PROD: {
      for (int64_t g = 0; g < ng; g++) out[g] = 1;
      for (int64_t i = 0; i < n; i++)
        if (codes[i] >= 0 && !isnan(vals[i])) out[codes[i]] *= vals[i];
      break;
    }
    case GL_AGG_COUNT: case GL_AGG_SIZE: {
      for (int64_t g = 0; g < ng; g++) out[g] = 0;
      for (int64_t i = 0; i < n; i++)
        if (codes[i] >= 0 && (how == GL_AGG_SIZE || !isnan(vals[i]))) out[codes[i]] += 1;
      break;
    }
    default:
      free(comp);
      return GL_EINVAL;
  }
  free(comp);
  return 0;
}

int gl_interpolate_f64 (int64_t n, const double *x, const double *y, int nearest,
                        int64_t limit, double *out) {
  if (out != y) memcpy(out, y, sizeof(double) * (size_t)n);
  int64_t prev = -1;   /* last valid position */
  for (int64_t i = 0; i < n; i++) {
    if (isnan(out[i])) continue;
    if (prev >= 0 && i - prev > 1) {
      int64_t stop = i - 1;
      if (limit > 0 && stop - prev > limit) stop = prev + limit;
      double x0 = x ? x[prev] : (double)prev, x1 = x ? x[i] : (double)i;
      double y0 = out[prev], y1 = out[i];
      for (int64_t k = prev + 1; k <= stop; k++) {
        double xk = x ? x[k] : (double)k;
        if (nearest) out[k] = (xk - x0 <= x1 - xk) ? y0 : y1;
        else if (x1 == x0) out[k] = y0;
        else out[k] = y0 + (y1 - y0) * ((xk - x0) / (x1 - x0));
      }
    }
    prev = i;
  }
  if (prev >= 0 && !nearest) {   /* trailing run: last value, as np.interp */
    int64_t stop = n - 1;
    if (limit > 0 && stop - prev > limit) stop = prev + limit;
    for (int64_t k = prev + 1; k <= stop; k++) out[k] = out[prev];
  }
  return 0;
}

/* First position in src[0..n) with src >= v. */
static int64_t lower_bound (const int64_t *src, int64_t n, int64_t v) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (src[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

static int64_t absdiff (int64_t a, int64_t b) { return a > b ? a - b : b - a; }

int gl_index_match_i64 (int64_t nsrc, const int64_t *src, int64_t ntgt, const int64_t *tgt,
                        int method, int64_t tol, int64_t *out) {
  int64_t *order = NULL;
  const int64_t *s = src;
  int sorted = 1;
  for (int64_t i = 1; i < nsrc && sorted; i++) sorted = src[i - 1] <= src[i];
  if (!sorted) {
    if (method != 0) return GL_EINVAL;
    order = malloc(sizeof(int64_t) * (size_t)(nsrc * 3 + 1));
    if (!order) return GL_ENOMEM;
    gl_argsort_i64(nsrc, src, order, order + nsrc);
    int64_t *sv = order + 2 * nsrc;
    for (int64_t i = 0; i < nsrc; i++) sv[i] = src[order[i]];
    s = sv;
  }
  for (int64_t j = 0; j < ntgt; j++) {
    int64_t t = tgt[j], r = -1;
    if (t == GL_NAT) { out[j] = -1; continue; }
    int64_t lb = lower_bound(s, nsrc, t);
    switch (method) {
      case 0: r = (lb < nsrc && s[lb] == t) ? lb : -1; break;
      case 1: r = (lb < nsrc && s[lb] == t) ? lb + (int64_t)0 : lb - 1;
              if (r >= 0 && lb < nsrc && s[lb] == t) {   /* last equal */
                while (r + 1 < nsrc && s[r + 1] == t) r++;
              }
              break;
      case 2: r = lb < nsrc ? lb : -1; break;
      case 3: {
        int64_t left = (lb < nsrc && s[lb] == t) ? lb : lb - 1;
        int64_t right = lb < nsrc ? lb : -1;
        if (left >= 0 && s[left] == t) { r = left; break; }
        if (left < 0) r = right;
        else if (right < 0) r = left;
        else r = absdiff(t, s[left]) < absdiff(s[right], t) ? left : right;
        break;
      }
      default: free(order); return GL_EINVAL;
    }
    if (r >= 0 && tol >= 0 && absdiff(s[r], t) > tol) r = -1;
    out[j] = (r >= 0 && order) ? order[r] : r;
  }
  free(order);
  return 0;
}

/* Bottom-up merge sort of positions by key: stable, O(n log n). */
#define MERGE_SORT(NAME, KT, LESS)                                               \
static void NAME (int64_t n, const KT *k, int64_t *a, int64_t *b) {             \
  for (int64_t w = 1; w < n; w *= 2) {                                           \
    for (int64_t lo = 0; lo < n; lo += 2 * w) {                                  \
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n; \
      int64_t i = lo, j = mid, o = lo;                                            \
      while (i < mid && j < hi) b[o++] = LESS(k[a[j]], k[a[i]]) ? a[j++] : a[i++]; \
      while (i < mid) b[o++] = a[i++];                                            \
      while (j < hi) b[o++] = a[j++];                                             \
    }                                                                             \
    int64_t *t = a; a = b; b = t;                                                 \
    if (w * 2 >= n && a != b) { /* result in a */ }                               \
  }                                                                               \
}

#define LT_I64(x, y) ((x) < (y))
MERGE_SORT(msort_i64, int64_t, LT_I64)
/* NaN sorts last: x < y, or y is NaN and x is not */
#define LT_F64(x, y) ((x) < (y) || (isnan(y) && !isnan(x)))
MERGE_SORT(msort_f64, double, LT_F64)
#define GT_F64(x, y) ((x) > (y) || (isnan(y) && !isnan(x)))
MERGE_SORT(msort_f64d, double, GT_F64)

/* The merge passes alternate buffers; copy back when the result is in scratch. */
static void finish (int64_t n, int64_t *order, int64_t *scratch) {
  int passes = 0;
  for (int64_t w = 1; w < n; w *= 2) passes++;
  if (passes % 2) memcpy(order, scratch, sizeof(int64_t) * (size_t)n);
}

int gl_argsort_i64 (int64_t n, const int64_t *keys, int64_t *order, int64_t *scratch) {
  int sorted = 1;
  for (int64_t i = 0; i < n; i++) order[i] = i;
  for (int64_t i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
  if (sorted) return 0;
  msort_i64(n, keys, order, scratch);
  finish(n, order, scratch);
  return 0;
}

int gl_argsort_f64 (int64_t n, const double *keys, int descending, int64_t *order, int64_t *scratch) {
  for (int64_t i = 0; i < n; i++) order[i] = i;
  if (descending) msort_f64d(n, keys, order, scratch);
  else msort_f64(n, keys, order, scratch);
  finish(n, order, scratch);
  return 0;
}
