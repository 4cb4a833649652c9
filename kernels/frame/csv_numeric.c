/* csv_numeric.c: the fast path of read_csv for files whose data is all
 * numbers (the common case for instrument data): records are split and
 * their fields parsed in the same pass, straight into one double array per
 * column, with no table of field positions in between. It gives up (returns
 * GL_CSV_FALLBACK) at the first field that is not a number or a missing
 * value, or at a record with too many fields, and the caller then takes the
 * general path (csv.c + csv_convert.c), which also produces the error
 * messages. Needs text without quote characters. Parallel over chunks cut at
 * line ends; each chunk writes into its own row range of the outputs (an
 * upper bound from its line count) and the rows are compacted afterwards. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "gl_types.h"

#ifdef _OPENMP
#include <omp.h>
#endif

int gl_csv_parse_number(const char *s, size_t n, char dec, char thou, double *out, int *isint);
int gl_csv_na_string(const char *s, size_t n, const gl_csv_na *na);

typedef struct chunk_state {
  int64_t rows;
  int fail;
} chunk_state;

/* Parses text[beg..end) into cols[j][base ...]; flags per column. */
static void parse_chunk (const char *text, size_t beg, size_t end, const gl_csv_opts *o,
                         const gl_csv_na *na, int ncol, double *const *cols, int64_t base,
                         int64_t cap, unsigned char *notint, int64_t *nna, chunk_state *st) {
  const char sep = o->sep, cm = o->comment;
  unsigned char stop[256] = {0};   /* one lookup per character */
  stop['\n'] = stop['\r'] = stop[(unsigned char)sep] = 1;
  if (cm) stop[(unsigned char)cm] = 1;
  size_t i = beg, released = beg;
  int64_t r = 0;
  while (i < end) {
    if (o->release && i - released >= ((size_t)4 << 20)) {
      gl_csv_release(text + released, i - released);
      released = i;
    }
    /* blank lines and comment lines */
    size_t j = i;
    while (j < end && (text[j] == ' ' || text[j] == '\t') && text[j] != sep) j++;
    if (j >= end) break;
    if (text[j] == '\n' || text[j] == '\r' || (cm && text[j] == cm)) {
      while (j < end && text[j] != '\n' && text[j] != '\r') j++;
      if (j < end && text[j] == '\r' && j + 1 < end && text[j + 1] == '\n') j++;
      i = j + 1;
      continue;
    }
    if (r >= cap) { st->fail = 1; return; }
    int c = 0;
    for (;;) {
      size_t s = i;
      while (i < end && !stop[(unsigned char)text[i]]) i++;
      double v;
      int isint;
      size_t n = i - s;
      if (c >= ncol) { st->fail = 1; return; }   /* too many fields: the general path reports it */
      if (n == 0) { v = NAN; nna[c]++; }
      else if (gl_csv_parse_number(text + s, n, o->decimal, o->thousands, &v, &isint)) {
        int isna = 0;
        if (na) for (int k = 0; k < na->nnum; k++) if (v == na->nums[k]) isna = 1;
        if (isna) { v = NAN; nna[c]++; }
        else if (!isint) notint[c] = 1;
        else if (fabs(v) >= 9007199254740992.0) { st->fail = 1; return; }   /* exact int64: general path */
      } else if (gl_csv_na_string(text + s, n, na)) { v = NAN; nna[c]++; }
      else { st->fail = 1; return; }
      cols[c][base + r] = v;
      c++;
      if (i < end && text[i] == sep) { i++; continue; }
      break;
    }
    for (; c < ncol; c++) { cols[c][base + r] = NAN; nna[c]++; }   /* a short record */
    if (i < end && cm && text[i] == cm) while (i < end && text[i] != '\n' && text[i] != '\r') i++;
    if (i < end) {
      if (text[i] == '\r' && i + 1 < end && text[i + 1] == '\n') i++;
      i++;
    }
    r++;
    if (((r & 0xFFFF) == 0) && gl_interrupted()) { st->fail = 2; return; }
  }
  st->rows = r;
}

int64_t gl_csv_numeric_plan (const char *text, size_t len, const gl_csv_opts *o, gl_csv_plan *p) {
  int nt = (o->nthreads > 1 && (int64_t)len >= (o->par_min > 0 ? o->par_min : (16 << 20))) ? o->nthreads : 1;
  if (nt > 64) nt = 64;
  p->nt = nt;
  p->cut[0] = 0; p->cut[nt] = len;
  for (int k = 1; k < nt; k++) {   /* no quotes: any line end is a record end */
    size_t i = len / (size_t)nt * (size_t)k;
    if (i < p->cut[k - 1]) i = p->cut[k - 1];
    while (i < len && text[i] != '\n') i++;
    p->cut[k] = i < len ? i + 1 : len;
  }
  #pragma omp parallel for num_threads(nt)
  for (int k = 0; k < nt; k++) {
    /* a chunk but the last ends just after a '\n': records <= '\n' count (+1
     * for the last). Files with lone '\r' line ends can have more records:
     * parse_chunk then stops at the bound and the general path takes over. */
    int64_t nl = 0;
    const char *q = text + p->cut[k], *e = text + p->cut[k + 1];
    while ((q = memchr(q, '\n', (size_t)(e - q)))) { nl++; q++; }
    p->bound[k] = nl + (k == nt - 1);
  }
  p->base[0] = 0;
  for (int k = 0; k < nt; k++) p->base[k + 1] = p->base[k] + p->bound[k];
  return p->base[nt];
}

int gl_csv_numeric (const char *text, size_t len, const gl_csv_opts *o, const gl_csv_na *na,
                    int ncol, double *const *cols, int64_t cap,
                    unsigned char *notint, int64_t *nna, int64_t *nrows) {
  gl_csv_plan plan;
  if (gl_csv_numeric_plan(text, len, o, &plan) > cap) return GL_EINVAL;
  return gl_csv_numeric_run(text, &plan, o, na, ncol, cols, notint, nna, nrows);
}

int gl_csv_numeric_run (const char *text, const gl_csv_plan *p, const gl_csv_opts *o,
                        const gl_csv_na *na, int ncol, double *const *cols,
                        unsigned char *notint, int64_t *nna, int64_t *nrows) {
  int nt = p->nt;
  const size_t *cut = p->cut;
  const int64_t *bound = p->bound, *base = p->base;
  if (ncol < 1 || ncol > 100000) return GL_CSV_FALLBACK;
  chunk_state st[64];
  unsigned char *ni = calloc((size_t)nt * (size_t)ncol, 1);
  int64_t *nn = calloc((size_t)nt * (size_t)ncol, sizeof(int64_t));
  if (!ni || !nn) { free(ni); free(nn); return GL_ENOMEM; }
  if (o->release) gl_csv_release(text, cut[nt]);   /* the passes before touched it all */
  #pragma omp parallel for num_threads(nt)
  for (int k = 0; k < nt; k++) {
    st[k].rows = 0; st[k].fail = 0;
    parse_chunk(text, cut[k], cut[k + 1], o, na, ncol, cols, base[k], bound[k],
                ni + (size_t)k * (size_t)ncol, nn + (size_t)k * (size_t)ncol, &st[k]);
  }
  int rc = 0;
  for (int k = 0; k < nt; k++) {
    if (st[k].fail == 2) rc = GL_EINTR;
    else if (st[k].fail && !rc) rc = GL_CSV_FALLBACK;
  }
  if (!rc) {
    /* compact the rows */
    int64_t r = 0;
    for (int k = 0; k < nt; k++) {
      if (r != base[k])
        for (int j = 0; j < ncol; j++)
          memmove(cols[j] + r, cols[j] + base[k], sizeof(double) * (size_t)st[k].rows);
      r += st[k].rows;
    }
    memset(notint, 0, (size_t)ncol);
    for (int j = 0; j < ncol; j++) nna[j] = 0;
    for (int k = 0; k < nt; k++)
      for (int j = 0; j < ncol; j++) {
        notint[j] |= ni[(size_t)k * (size_t)ncol + (size_t)j];
        nna[j] += nn[(size_t)k * (size_t)ncol + (size_t)j];
      }
    *nrows = r;
  }
  free(ni);
  free(nn);
  return rc;
}
