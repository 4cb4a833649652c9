/* nll.c: negative log-likelihood loss and its gradient; the float body is
 * nll.inc, included once per float type. Targets are 1-based class positions
 * (geolab's convention); ignore_index is compared with them as given. The
 * loss is a serial double sum in target order (it is tiny next to the layers
 * before it), so it never depends on the thread count. */
#include <math.h>
#include <string.h>
#include "gl_types.h"
#include "nll.h"

int64_t gl_nn_nll_bad_target (int64_t n, const int64_t *target, int64_t C, int64_t ignore_index) {
  for (int64_t i = 0; i < n; i++)
    if (target[i] != ignore_index && (target[i] < 1 || target[i] > C)) return i;
  return -1;
}

#define GL_T float
#define GL_FN(x) x##_f32
#include "nll.inc"
#undef GL_T
#undef GL_FN

#define GL_T double
#define GL_FN(x) x##_f64
#include "nll.inc"
#undef GL_T
#undef GL_FN
