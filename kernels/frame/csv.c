/* csv.c: the CSV tokenizer, separator sniffing and encodings (conversion of
 * columns is in csv_convert.c).
 *
 * Tokenizing is one pass of a small state machine per chunk of text. Large
 * texts are cut into one chunk per thread at line ends that lie outside
 * quotes: the quote count before each cut (a parallel count) says whether the
 * cut falls inside a quoted field. That reasoning assumes quotes only open
 * and close fields; a chunk that meets a quote anywhere else (inside an
 * unquoted field or a comment) makes the whole text be tokenized again
 * serially, so the result never depends on the split. */
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "gl_types.h"

#ifdef _OPENMP
#include <omp.h>
#endif

void gl_csv_free (gl_csv *t) {
  if (!t->fixed) { free(t->fstart); free(t->flen); free(t->rowfirst); free(t->rowline); free(t->rownf); }
  memset(t, 0, sizeof *t);
}

static int grow_fields (gl_csv *t, int64_t need) {
  if (need <= t->capf) return 0;
  if (t->fixed) return GL_ERANGE;   /* a region of shared arrays: bounds were exact */
  int64_t cap = t->capf ? t->capf * 2 : 1024;
  while (cap < need) cap *= 2;
  int64_t *s = realloc(t->fstart, (size_t)cap * sizeof *s);
  if (!s) return GL_ENOMEM;
  t->fstart = s;
  int32_t *l = realloc(t->flen, (size_t)cap * sizeof *l);
  if (!l) return GL_ENOMEM;
  t->flen = l;
  t->capf = cap;
  return 0;
}

static int grow_rows (gl_csv *t, int64_t need) {
  if (need + 1 <= t->capr) return 0;
  if (t->fixed) return GL_ERANGE;
  int64_t cap = t->capr ? t->capr * 2 : 256;
  while (cap < need + 1) cap *= 2;
  int64_t *f = realloc(t->rowfirst, (size_t)cap * sizeof *f);
  if (!f) return GL_ENOMEM;
  t->rowfirst = f;
  int64_t *l = realloc(t->rowline, (size_t)cap * sizeof *l);
  if (!l) return GL_ENOMEM;
  t->rowline = l;
  int32_t *w = realloc(t->rownf, (size_t)cap * sizeof *w);
  if (!w) return GL_ENOMEM;
  t->rownf = w;
  t->capr = cap;
  return 0;
}

/* Tokenizes text[beg..end). Lines are counted from 1 within the chunk (the
 * caller offsets them). *odd is set when a quote appears where the parallel
 * split could misjudge it. Returns 0 or a GL_E* code with err->line relative. */
static int tok_chunk (char *text, size_t beg, size_t end, const gl_csv_opts *o,
                      gl_csv *t, int64_t *nlines, int *odd, gl_ioerr *err) {
  const char sep = o->sep, q = o->quote, cm = o->comment;
  unsigned char special[256] = {0};
  special['\n'] = special['\r'] = 1;
  special[(unsigned char)sep] = 1;
  if (cm) special[(unsigned char)cm] = 1;
  if (q) special[(unsigned char)q] = 2;     /* only matters inside a field: literal */
  int64_t line = 1;
  size_t i = beg;
  t->nrows = 0; t->nfields = 0;
  if (!t->fixed) {
    /* pre-size from the first line's width and the line count: no regrowth
     * (and no copying) for regular files */
    int64_t nl = 0, w = 1;
    const char *p = text + beg, *e = text + end;
    while ((p = memchr(p, '\n', (size_t)(e - p)))) { nl++; p++; }
    for (size_t k = beg; k < end && text[k] != '\n'; k++) w += text[k] == sep;
    int rc;
    if ((rc = grow_rows(t, nl + 2)) || (rc = grow_fields(t, (nl + 2) * w))) return rc;
  }
  while (i < end) {
    /* start of a physical line: skip blank lines and whole-line comments */
    size_t j = i;
    while (j < end && (text[j] == ' ' || text[j] == '\t') && text[j] != sep) j++;
    if (j >= end) break;
    if (text[j] == '\n' || text[j] == '\r') {
      if (text[j] == '\r' && j + 1 < end && text[j + 1] == '\n') j++;
      i = j + 1; line++;
      continue;
    }
    if (cm && text[j] == cm) {
      while (j < end && text[j] != '\n' && text[j] != '\r') {
        if (q && text[j] == q) *odd = 1;
        j++;
      }
      if (j < end && text[j] == '\r' && j + 1 < end && text[j + 1] == '\n') j++;
      i = j + 1; line++;
      continue;
    }
    /* a record */
    int rc;
    if ((t->nrows & 0xFFFF) == 0xFFFF && gl_interrupted()) return GL_EINTR;
    if ((rc = grow_rows(t, t->nrows + 1))) return rc;
    t->rowfirst[t->nrows] = t->nfields;
    t->rowline[t->nrows] = line;
    t->nrows++;
    for (;;) {   /* one field per iteration */
      if ((rc = grow_fields(t, t->nfields + 1))) return rc;
      size_t start = i, w;
      if (q && i < end && text[i] == q) {
        int64_t qline = line;
        start = w = ++i;
        for (;;) {
          if (i >= end) {
            err->line = qline;
            return gl_ioerr_set(err, GL_EFORMAT, "unterminated quoted field");
          }
          char c = text[i];
          if (c == q) {
            if (i + 1 < end && text[i + 1] == q) { text[w++] = q; i += 2; continue; }
            i++;
            break;
          }
          if (c == '\n') line++;
          else if (c == '\r' && !(i + 1 < end && text[i + 1] == '\n')) line++;
          text[w++] = c; i++;
        }
        /* text after the closing quote belongs to the field, as in pandas */
        while (i < end && !(special[(unsigned char)text[i]] & 1)) {
          if (text[i] == q) *odd = 1;
          text[w++] = text[i++];
        }
      } else {
        unsigned char sc, acc = 0;   /* local: *odd may alias text */
        while (i < end && !((sc = special[(unsigned char)text[i]]) & 1)) { acc |= sc; i++; }
        if (acc & 2) *odd = 1;
        w = i;
      }
      if (w - start > INT32_MAX) {
        err->line = line;
        return gl_ioerr_set(err, GL_EFORMAT, "field longer than 2 GB");
      }
      t->fstart[t->nfields] = (int64_t)start;
      t->flen[t->nfields] = (int32_t)(w - start);
      t->nfields++;
      if (i < end && text[i] == sep) { i++; if (i >= end) continue; else continue; }
      break;
    }
    t->rownf[t->nrows - 1] = (int32_t)(t->nfields - t->rowfirst[t->nrows - 1]);
    /* end of record: comment, newline or end of chunk */
    if (i < end && cm && text[i] == cm) {
      while (i < end && text[i] != '\n' && text[i] != '\r') {
        if (q && text[i] == q) *odd = 1;
        i++;
      }
    }
    if (i < end) {
      if (text[i] == '\r' && i + 1 < end && text[i + 1] == '\n') i++;
      i++;
      line++;
    }
  }
  t->rowfirst[t->nrows] = t->nfields;
  *nlines = line - 1;
  return 0;
}

#define PAR_MIN_BYTES (16 << 20)   /* below this, threads cost more than they save (and spin on a busy machine) */

int gl_csv_tokenize (char *text, size_t len, int64_t line0, const gl_csv_opts *o,
                     gl_csv *t, gl_ioerr *err) {
  int nt = o->nthreads > 1 ? o->nthreads : 1;
  int64_t nlines;
  int odd = 0;
  if (nt > 64) nt = 64;
  if ((int64_t)len < (o->par_min > 0 ? o->par_min : PAR_MIN_BYTES)) nt = 1;
  if (nt > 1) {
    /* cut points: just after a line end that lies outside quotes */
    size_t cut[65];
    int ok = 1, hasq = o->quote && memchr(text, o->quote, len) != NULL;
    char *backup = NULL;
    cut[0] = 0; cut[nt] = len;
    for (int k = 1; k < nt; k++) {
      size_t nominal = len / (size_t)nt * (size_t)k, i;
      if (nominal < cut[k - 1]) nominal = cut[k - 1];
      int inq = 0;
      if (hasq) {   /* quote parity of [previous cut, nominal) */
        const char *p = text + cut[k - 1], *e = text + nominal;
        while ((p = memchr(p, o->quote, (size_t)(e - p)))) { inq = !inq; p++; }
      }
      for (i = nominal; i < len && (inq || (text[i] != '\n' && text[i] != '\r')); i++)
        if (hasq && text[i] == o->quote) inq = !inq;
      if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') i++;
      if (i < len) i++;
      cut[k] = i;
    }
    if (hasq && !(backup = malloc(len))) ok = 0;
    if (backup) memcpy(backup, text, len);
    /* exact upper bounds per chunk: rows <= newlines + 1, fields <= separators
     * + newlines + 1; each chunk then writes into its own region of shared
     * arrays, and only the (small) row arrays are compacted afterwards */
    int64_t rb[64], fb[64], rbase[65], fbase[65];
    #pragma omp parallel for num_threads(nt)
    for (int k = 0; k < nt; k++) {
      int64_t nl = 0, ns = 0;
      for (size_t i = cut[k]; i < cut[k + 1]; i++) {
        char c = text[i];
        nl += c == '\n' || c == '\r';
        ns += c == o->sep;
      }
      rb[k] = nl + 1;
      fb[k] = ns + nl + 1;
    }
    rbase[0] = fbase[0] = 0;
    for (int k = 0; k < nt; k++) { rbase[k + 1] = rbase[k] + rb[k]; fbase[k + 1] = fbase[k] + fb[k]; }
    gl_csv_free(t);
    if (ok && (grow_fields(t, fbase[nt] + 1) || grow_rows(t, rbase[nt] + 1))) ok = 0;
    if (ok) {
      gl_csv part[64];
      gl_ioerr perr[64];
      int64_t pl[64];
      int prc[64], podd[64];
      memset(part, 0, sizeof part);
      #pragma omp parallel for num_threads(nt)
      for (int k = 0; k < nt; k++) {
        gl_csv *p = &part[k];
        p->fixed = 1;
        p->fstart = t->fstart + fbase[k]; p->flen = t->flen + fbase[k]; p->capf = fb[k];
        p->rowfirst = t->rowfirst + rbase[k]; p->rowline = t->rowline + rbase[k];
        p->rownf = t->rownf + rbase[k]; p->capr = rb[k] + 1;
        podd[k] = 0;
        pl[k] = 0;
        gl_ioerr_clear(&perr[k]);
        prc[k] = cut[k] < cut[k + 1]
          ? tok_chunk(text, cut[k], cut[k + 1], o, p, &pl[k], &podd[k], &perr[k]) : 0;
      }
      int rc = 0;
      int64_t lbase = line0;
      for (int k = 0; k < nt; k++) {
        if (prc[k] && !rc) { *err = perr[k]; err->line += lbase; rc = prc[k]; }
        lbase += pl[k];
        if (podd[k]) odd = 1;
      }
      if (rc == GL_ERANGE) rc = GL_EINVAL;   /* cannot happen: the bounds are exact */
      if (!rc && !odd) {   /* compact the rows, make field numbers absolute */
        int64_t r = 0;
        lbase = line0;
        for (int k = 0; k < nt; k++) {
          gl_csv *p = &part[k];
          for (int64_t m = 0; m < p->nrows; m++) {
            t->rowfirst[r + m] = p->rowfirst[m] + fbase[k];
            t->rowline[r + m] = p->rowline[m] + lbase;
            t->rownf[r + m] = p->rownf[m];
          }
          r += p->nrows; lbase += pl[k];
        }
        t->rowfirst[r] = fbase[nt];
        t->nrows = r;
        t->nfields = fbase[nt];
      }
      if (odd && backup) memcpy(text, backup, len);   /* redo serially */
      free(backup);
      if (rc == GL_EFORMAT && odd) rc = 0;   /* the split may have caused it */
      if (rc || !odd) return rc;
      gl_csv_free(t);
      gl_ioerr_clear(err);
      odd = 0;
    } else {
      free(backup);
      gl_csv_free(t);
    }
  }
  int rc = tok_chunk(text, 0, len, o, t, &nlines, &odd, err);
  if (rc) { err->line += line0; return rc; }
  if (t->nrows == 0 && grow_rows(t, 0) == 0) t->rowfirst[0] = 0;
  for (int64_t r = 0; r < t->nrows; r++) t->rowline[r] += line0;
  return 0;
}

char gl_csv_sniff (const char *text, size_t len, char quote, char comment) {
  static const char cands[4] = {',', ';', '\t', '|'};
  int64_t counts[20][4];
  int nl = 0;
  size_t i = 0;
  while (i < len && nl < 20) {
    int64_t c[4] = {0, 0, 0, 0};
    int inq = 0, blank = 1;
    if (comment && text[i] == comment) {
      while (i < len && text[i] != '\n') i++;
      i++;
      continue;
    }
    while (i < len && (inq || text[i] != '\n')) {
      char ch = text[i];
      if (quote && ch == quote) inq = !inq;
      else if (!inq) {
        for (int k = 0; k < 4; k++) if (ch == cands[k]) c[k]++;
        if (comment && ch == comment) { while (i < len && text[i] != '\n') i++; break; }
      }
      if (ch != ' ' && ch != '\r' && ch != '\t') blank = 0;
      i++;
    }
    i++;
    if (blank) continue;
    memcpy(counts[nl++], c, sizeof c);
  }
  char best = ',';
  int64_t bestc = 0;
  for (int k = 0; k < 4; k++) {
    int64_t c0 = nl ? counts[0][k] : 0;
    int same = c0 > 0;
    for (int l = 1; l < nl && same; l++) same = counts[l][k] == c0;
    if (same && c0 > bestc) { best = cands[k]; bestc = c0; }
  }
  if (bestc == 0) {   /* no consistent count: the most frequent on the first line */
    for (int k = 0; k < 4; k++)
      if (nl && counts[0][k] > bestc) { best = cands[k]; bestc = counts[0][k]; }
  }
  return best;
}

int64_t gl_utf8_check (const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    /* ASCII fast path, 8 bytes at a time */
    while (i + 8 <= len) {
      uint64_t v;
      memcpy(&v, s + i, 8);
      if (v & UINT64_C(0x8080808080808080)) break;
      i += 8;
    }
    if (i >= len) break;
    unsigned c = s[i];
    if (c < 0x80) { i++; continue; }
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return (int64_t)i;
    if (i + (size_t)n >= len + 0 && i + (size_t)n > len - 1 + 1) return (int64_t)i;
    for (int k = 1; k <= n; k++) {
      if (i + (size_t)k >= len || (s[i + k] & 0xC0) != 0x80) return (int64_t)i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return (int64_t)i;
    i += (size_t)n + 1;
  }
  return -1;
}

int gl_latin1_to_utf8 (const char *text, size_t len, gl_bytes *out) {
  size_t extra = 0;
  for (size_t i = 0; i < len; i++) extra += (unsigned char)text[i] >= 0x80;
  out->len = 0;
  if (gl_bytes_reserve(out, len + extra)) return GL_ENOMEM;
  char *w = out->data;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c < 0x80) *w++ = (char)c;
    else { *w++ = (char)(0xC0 | (c >> 6)); *w++ = (char)(0x80 | (c & 0x3F)); }
  }
  out->len = len + extra;
  out->data[out->len] = 0;
  return 0;
}

/* Windows-1252: bytes 0x80..0x9F differ from Latin-1 (0 marks the five bytes
 * the code page leaves undefined, on which Python's codec raises). */
static const uint16_t cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static char *put_utf8 (char *w, uint32_t cp) {
  if (cp < 0x80) *w++ = (char)cp;
  else if (cp < 0x800) { *w++ = (char)(0xC0 | (cp >> 6)); *w++ = (char)(0x80 | (cp & 0x3F)); }
  else {
    *w++ = (char)(0xE0 | (cp >> 12)); *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *w++ = (char)(0x80 | (cp & 0x3F));
  }
  return w;
}

int gl_cp1252_to_utf8 (const char *text, size_t len, int errors, gl_bytes *out, size_t *bad) {
  size_t need = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    need += c < 0x80 ? 1 : (c <= 0x9F) ? 3 : 2;   /* an upper bound: undefined bytes may shrink */
  }
  out->len = 0;
  if (gl_bytes_reserve(out, need)) return GL_ENOMEM;
  char *w = out->data;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    uint32_t cp = c;
    if (c >= 0x80 && c <= 0x9F) {
      cp = cp1252_high[c - 0x80];
      if (cp == 0) {
        if (errors == GL_DECODE_STRICT) { *bad = i; return GL_EFORMAT; }
        if (errors == GL_DECODE_IGNORE) continue;
        cp = 0xFFFD;
      }
    }
    w = put_utf8(w, cp);
  }
  out->len = (size_t)(w - out->data);
  out->data[out->len] = 0;
  return 0;
}

void gl_text_position (const char *text, size_t off, int64_t *line, int64_t *col) {
  int64_t l = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') { l++; c = 1; }
    else if (((unsigned char)text[i] & 0xC0) != 0x80) c++;
  }
  *line = l; *col = c;
}
