/* activation.h: elementwise activations of nn and their derivatives
 * (PyTorch 1.13's formulas), float32 and float64. */
#ifndef GL_NN_ACTIVATION_H
#define GL_NN_ACTIVATION_H
#include <stdint.h>

enum {
  GL_NN_RELU = 0, GL_NN_LEAKY_RELU, GL_NN_ELU, GL_NN_GELU, GL_NN_GELU_TANH,
  GL_NN_SIGMOID, GL_NN_TANH, GL_NN_SILU, GL_NN_NACT
};

/* Names in enum order ("relu", ...), NULL-terminated (for luaL_checkoption). */
extern const char *const gl_nn_activation_names[];

/* y[i] = f(x[i]) for n contiguous elements; alpha is leaky_relu's negative
 * slope and elu's alpha (ignored by the others). Returns 0 or GL_EINVAL. */
int gl_nn_activation_f32(int64_t n, const float *x, float *y, int kind, double alpha);
int gl_nn_activation_f64(int64_t n, const double *x, double *y, int kind, double alpha);

/* gx[i] = gy[i] f'(x[i]); x and y are the forward's input and output (relu,
 * sigmoid and tanh read y, the others x, as PyTorch does). */
int gl_nn_activation_backward_f32(int64_t n, const float *x, const float *y, const float *gy,
                                  float *gx, int kind, double alpha);
int gl_nn_activation_backward_f64(int64_t n, const double *x, const double *y, const double *gy,
                                  double *gx, int kind, double alpha);

#endif
