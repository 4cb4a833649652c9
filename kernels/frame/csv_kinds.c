/* csv_kinds.c: what pd.read_csv does with a column of each kind once its kind
 * is known (inferred, or forced by dtype= / parse_dates=): the array it fills,
 * the kind name the frame keeps, the message of a field that does not
 * convert, and one conversion entry point over the typed kernels of
 * csv_convert.c. The binding keeps no per-kind code of its own. */
#include <string.h>
#include "csv.h"
#include "gl_types.h"

static const gl_csv_kind_info kinds[] = {
  [GL_CSV_BOOL] = {GL_BOOL, "bool", "cannot convert '%s' to bool"},
  [GL_CSV_INT] = {GL_INT64, "int", "cannot convert '%s' to int64"},
  [GL_CSV_FLOAT] = {GL_FLOAT64, "float", "cannot convert '%s' to float64"},
  [GL_CSV_DATETIME] = {GL_INT64, "datetime", "cannot parse '%s' as a date"},
};

const gl_csv_kind_info *gl_csv_kind_info_of (int kind) {
  if (kind < GL_CSV_BOOL || kind > GL_CSV_DATETIME || kind == GL_CSV_STRING) return NULL;
  return &kinds[kind];
}

int gl_csv_kind_of_dtype (const char *name) {
  static const struct { const char *name; int kind; } names[] = {
    {"str", GL_CSV_STRING}, {"string", GL_CSV_STRING}, {"object", GL_CSV_STRING},
    {"float64", GL_CSV_FLOAT}, {"float", GL_CSV_FLOAT},
    {"int64", GL_CSV_INT}, {"int", GL_CSV_INT},
    {"bool", GL_CSV_BOOL},
    {"datetime64[ns]", GL_CSV_DATETIME}, {"datetime", GL_CSV_DATETIME}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(name, names[i].name)) return names[i].kind;
  return -1;
}

int gl_csv_convert (int kind, const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                    const gl_csv_opts *o, void *out, int64_t *bad) {
  switch (kind) {
    case GL_CSV_BOOL: return gl_csv_to_bool(c, col, (unsigned char *)out, bad);
    case GL_CSV_INT: return gl_csv_to_i64(c, col, o, (int64_t *)out, bad);
    case GL_CSV_FLOAT: return gl_csv_to_f64(c, col, na, o, (double *)out, bad);
    case GL_CSV_DATETIME: return gl_csv_to_datetime(c, col, na, o, (int64_t *)out, bad);
    default: return GL_EINVAL;
  }
}
