/* gl_path.c: the path-check hook (see gl_path.h). */
#include <stddef.h>

#include "gl_path.h"

/* Written once, before any script code or worker thread runs (grading
 * child start-up); read-only afterwards. */
static gl_path_check_fn path_check = NULL;

void gl_path_set_check (gl_path_check_fn fn) { path_check = fn; }

const char *gl_path_denied (const char *path, int mode) {
  return path_check != NULL ? path_check(path, mode) : NULL;
}
