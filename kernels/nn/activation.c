/* activation.c: elementwise activations and their derivatives; the float
 * body is activation.inc, included once per float type. Elementwise work is
 * split over threads by position only, so results never depend on the
 * thread count.
 */
#include <math.h>
#include "gl_types.h"
#include "activation.h"

const char *const gl_nn_activation_names[] = {
  "relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "sigmoid", "tanh", "silu", NULL
};

#define GL_NN_PAR_MIN 32768   /* fewer elements: one thread (thread start costs more) */

#define GL_T float
#define GL_FN(x) x##_f32
#include "activation.inc"
#undef GL_T
#undef GL_FN

#define GL_T double
#define GL_FN(x) x##_f64
#include "activation.inc"
#undef GL_T
#undef GL_FN
