/* csv.h: delimited-text tokenizing and column conversion for pd.read_csv.
 * The tokenizer works in place on a caller-owned, NUL-terminated text buffer
 * (quoted fields are unescaped where they lie) and records where each field
 * is; conversion kernels then turn one column at a time into float64, int64,
 * bool or datetime64[ns] values, in parallel over rows. No Lua here. */
#ifndef GL_CSV_H
#define GL_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "gzfile.h"

typedef struct gl_csv_opts {
  char sep;        /* field separator (0: sniff with gl_csv_sniff first) */
  char quote;      /* quote character, 0 for none */
  char comment;    /* rest of a line after it is ignored; 0 for none */
  char decimal;    /* decimal point of numbers, '.' or ',' */
  char thousands;  /* thousands separator inside numbers, 0 for none */
  int dayfirst;    /* DD/MM/YYYY rather than MM/DD/YYYY */
  int nthreads;    /* threads for tokenizing/conversion (<= 1: serial) */
  int64_t par_min; /* bytes (tokenizing) / rows (converting) below which work stays
                      serial; 0 for the defaults (16 MB, 400,000 rows): threads on
                      small inputs cost more than they save, worse on a busy machine */
  int release;     /* the text is an unmodified file mapping: the all-numbers path
                      drops the pages it has parsed (gl_csv_release) */
} gl_csv_opts;

/* Tokenizer output. Fields are (start offset into the text, length); record r
 * holds the rownf[r] fields rowfirst[r] .. rowfirst[r]+rownf[r]-1 and starts
 * on physical line rowline[r] (1-based). After a parallel pass the field
 * arrays have unused gaps between the chunks' regions, so nfields is the
 * size of the field arrays, not a count. Owned by the caller:
 * zero-initialise, pass to gl_csv_tokenize, release with gl_csv_free. */
typedef struct gl_csv {
  int64_t nrows, nfields;
  int64_t *fstart;
  int32_t *flen;
  int64_t *rowfirst;   /* nrows + 1 entries */
  int64_t *rowline;
  int32_t *rownf;
  int64_t capf, capr;
  int fixed;           /* internal: a region of another gl_csv's arrays */
} gl_csv;

void gl_csv_free(gl_csv *t);

/* Guesses the separator among , ; TAB | from the first lines of text.
 * Returns the character (',' when nothing fits). */
char gl_csv_sniff(const char *text, size_t len, char quote, char comment);

/* Tokenizes text[0..len) (text[len] must be 0) into t, unescaping quoted
 * fields in place. Blank lines and whole-line comments are skipped. On error
 * (unterminated quote, field longer than 2 GB, out of memory) returns
 * GL_EFORMAT/GL_ENOMEM with err->line set; GL_EINTR when interrupted (Ctrl-C). line0 is the physical line number of
 * text[0] minus one. */
int gl_csv_tokenize(char *text, size_t len, int64_t line0, const gl_csv_opts *o,
                    gl_csv *t, gl_ioerr *err);

/* What a column holds, in the order inference widens it; GL_CSV_DATETIME is
 * never inferred (parse_dates= or dtype= ask for it). */
enum { GL_CSV_NA = 0, GL_CSV_BOOL, GL_CSV_INT, GL_CSV_FLOAT, GL_CSV_STRING, GL_CSV_DATETIME };

/* Missing-value rules: the empty field, pandas' default strings (when
 * use_default), the given strings (exact match), and any field whose number
 * equals one of nums. */
typedef struct gl_csv_na {
  int use_default;
  int nstr;
  const char *const *strs;
  const size_t *lens;
  int nnum;
  const double *nums;
} gl_csv_na;

/* Columns below are addressed as (first record, number of records, fields
 * per record, column): no record in range may have more than ncol fields
 * (check with gl_csv_check_width first); a shorter record reads as empty
 * (missing) fields at its end, as pandas does. */
typedef struct gl_csv_cols {
  const gl_csv *t;
  const char *text;
  int64_t row0, nrows, ncol;
} gl_csv_cols;

/* The first record in [row0, row0+nrows) with more than ncol fields, or -1. */
int64_t gl_csv_check_width(const gl_csv *t, int64_t row0, int64_t nrows, int64_t ncol);

/* Field (record row0+r, column col) and its length; "" past a short record's end. */
const char *gl_csv_field(const gl_csv_cols *c, int64_t r, int64_t col, size_t *n);

/* 1 if field (record r, column c) is missing under na. */
int gl_csv_isna(const gl_csv_cols *c, int64_t r, int64_t col, const gl_csv_na *na,
                const gl_csv_opts *o);

/* Infers the kind of column col; *nna gets the number of missing fields.
 * When vals is not NULL it receives every field as a double (NaN when
 * missing or not a number), which is the float64 conversion of the column
 * when the kind comes out GL_CSV_FLOAT or GL_CSV_NA (one pass, not two). */
int gl_csv_infer(const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                 const gl_csv_opts *o, int *kind, int64_t *nna, double *vals);

/* Converts column col into out[0..nrows). Missing -> NaN (f64), NaT
 * (datetime). A field that does not convert -> GL_EFORMAT with *bad set to
 * its record index (GL_ERANGE for a datetime field out of range). Int and
 * bool columns must have no missing field. */
int gl_csv_to_f64(const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                  const gl_csv_opts *o, double *out, int64_t *bad);
int gl_csv_to_i64(const gl_csv_cols *c, int64_t col, const gl_csv_opts *o,
                  int64_t *out, int64_t *bad);
int gl_csv_to_bool(const gl_csv_cols *c, int64_t col, unsigned char *out, int64_t *bad);
int gl_csv_to_datetime(const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                       const gl_csv_opts *o, int64_t *out, int64_t *bad);

/* A converted kind (csv_kinds.c): dtype is the gl_dtype of its array
 * (datetime: int64 nanoseconds), name the kind the frame records, fail the
 * message of a field that does not convert (one %s: the field). NULL for
 * GL_CSV_STRING and GL_CSV_NA, which are not converted. */
typedef struct gl_csv_kind_info {
  int dtype;
  const char *name;
  const char *fail;
} gl_csv_kind_info;
const gl_csv_kind_info *gl_csv_kind_info_of(int kind);

/* The kind a dtype= name asks for, in pandas' spellings ("float64", "int",
 * "str", "datetime64[ns]", ...), or -1. */
int gl_csv_kind_of_dtype(const char *name);

/* Converts column col to kind (GL_CSV_BOOL, _INT, _FLOAT or _DATETIME) into
 * out, an array of the kind's dtype, as the gl_csv_to_* above (GL_EINVAL for
 * another kind). */
int gl_csv_convert(int kind, const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                   const gl_csv_opts *o, void *out, int64_t *bad);

/* Text before tokenizing (csv_text.c).
 * gl_csv_map maps a plain (not gzip) file of more than 2 bytes and at most
 * maxlen, private and writable (copy-on-write: unescaping quotes writes in
 * place), when the page tail after it guarantees the terminating NUL the
 * tokenizer relies on. Returns 1 with *map, *len set (release with
 * gl_csv_unmap), or 0 when the file must be read instead. */
int gl_csv_map(const char *path, size_t maxlen, char **map, size_t *len);
void gl_csv_unmap(char *map, size_t len);
/* Drops from the process the mapped pages lying wholly inside text[0, len) of
 * an unmodified file mapping; touched again, they are read back from the page
 * cache. A mapped file of 40 MB would otherwise stay resident next to the 32 MB
 * of columns parsed from it (pandas reads through a small buffer). */
void gl_csv_release(const char *text, size_t len);

/* Number of lines of text[0..len) ('\n' count + 1). */
int64_t gl_csv_count_lines(const char *text, size_t len);

/* Empties the lines k (0-based) with skip[k] set, k < nlines, keeping their
 * line ends so that line numbers in messages hold (the tokenizer skips blank
 * lines). Returns the new length; text[new length] is set to 0 when it
 * changed. */
size_t gl_csv_drop_lines(char *text, size_t len, const char *skip, int64_t nlines);

/* Advances past n physical lines (skiprows=n); returns the lines skipped. */
int64_t gl_csv_skip_lines(char **text, size_t *len, int64_t n);

/* The first line of text[0..len) that is neither blank nor a whole-line
 * comment: sets [*start, *end) (without its '\n') and adds the lines passed
 * over to *line. Returns 0 if there is none. */
int gl_csv_first_line(const char *text, size_t len, const gl_csv_opts *o, size_t *start,
                      size_t *end, int64_t *line);

/* Number parsing used above: the whole of s[0..n) (surrounding spaces
 * allowed) must be a number. Correctly rounded (fast exact path, strtod
 * otherwise). Returns 1 on success. */
int gl_parse_f64(const char *s, size_t n, char decimal, char thousands, double *out);
int gl_parse_i64(const char *s, size_t n, char thousands, int64_t *out);

/* The all-numbers fast path (csv_numeric.c): parses the data records of
 * text[0..len) (no header, no quote characters) into ncol columns cols[j]
 * (each with room for cap rows; cap must be at least the number of '\n'
 * + 1, else GL_EINVAL). notint[j] is set when column j holds a non-integer (or an
 * integer beyond 2^53), nna[j] counts its missing values, *nrows the
 * records. Returns 0, GL_CSV_FALLBACK when a field is neither a number nor
 * missing, an integer needs more than 53 bits or a record is too long (use
 * the general path), GL_EINTR or GL_ENOMEM. */
#define GL_CSV_FALLBACK 1
int gl_csv_numeric(const char *text, size_t len, const gl_csv_opts *o, const gl_csv_na *na,
                   int ncol, double *const *cols, int64_t cap,
                   unsigned char *notint, int64_t *nna, int64_t *nrows);

/* The same in two steps, so that the caller sizes its outputs from the one
 * counting pass: gl_csv_numeric_plan returns the row capacity the columns
 * need; gl_csv_numeric_run then parses. */
typedef struct gl_csv_plan {
  int nt;
  size_t cut[65];
  int64_t bound[64], base[65];
} gl_csv_plan;
int64_t gl_csv_numeric_plan(const char *text, size_t len, const gl_csv_opts *o, gl_csv_plan *p);
int gl_csv_numeric_run(const char *text, const gl_csv_plan *p, const gl_csv_opts *o,
                       const gl_csv_na *na, int ncol, double *const *cols,
                       unsigned char *notint, int64_t *nna, int64_t *nrows);

/* Encodings. gl_utf8_check returns -1 if text is valid UTF-8, else the byte
 * offset of the first bad sequence. gl_latin1_to_utf8 replaces out's contents. */
int64_t gl_utf8_check(const char *text, size_t len);
int gl_latin1_to_utf8(const char *text, size_t len, gl_bytes *out);
/* Windows-1252 (Python's cp1252 codec) to UTF-8, replacing out's contents.
 * The bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined: errors says what
 * to do with them, as Python's errors= does. Returns 0, GL_ENOMEM, or
 * GL_EFORMAT (strict) with *bad the offset of the first undefined byte. */
enum { GL_DECODE_STRICT = 0, GL_DECODE_REPLACE = 1, GL_DECODE_IGNORE = 2 };
int gl_cp1252_to_utf8(const char *text, size_t len, int errors, gl_bytes *out, size_t *bad);

/* Line and 1-based column (in characters) of byte offset off. */
void gl_text_position(const char *text, size_t off, int64_t *line, int64_t *col);

#endif
