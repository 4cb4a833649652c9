/* softmax.c: softmax / log_softmax along an axis and their backward; the
 * float body is softmax.inc, included once per float type. Each line (one
 * outer index, one inner index) is computed by one thread in a fixed order
 * with double sums, so results never depend on the thread count. */
#include <math.h>
#include "gl_types.h"
#include "softmax.h"

#define GL_NN_PAR_MIN 32768   /* fewer elements: one thread */

#define GL_T float
#define GL_FN(x) x##_f32
#include "softmax.inc"
#undef GL_T
#undef GL_FN

#define GL_T double
#define GL_FN(x) x##_f64
#include "softmax.inc"
#undef GL_T
#undef GL_FN
