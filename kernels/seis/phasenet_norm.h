/* phasenet_norm.h: PhaseNet's long-record normalization (normalize_long of
 * the original prediction code). Pure C, no Lua. */
#ifndef GL_PHASENET_NORM_H
#define GL_PHASENET_NORM_H
#include <stddef.h>

#define GL_PN_WINDOW 3000   /* statistics window, samples */
#define GL_PN_HOP 1500      /* node spacing, samples */

/* Normalizes L samples of 3 channels: x[i*rs + c*cs] (float64, any strides)
 * to out[i*3 + c] (float32, (L, 3) row-major). Means and population stds
 * over 3000-sample windows centred every 1500 samples (reflected past the
 * end, NumPy's "reflect"), interpolated linearly in time as np.interp does;
 * a zero std divides by 1; with one or two live channels (std not zero
 * somewhere) every channel is scaled by 3 / live. nodes_mean and nodes_std
 * are scratch of 3 * (ceil(L / 1500) + 1) doubles each. Returns 0, or -1
 * when L is too short for the reflection (L < 1501). Per-sample results do
 * not depend on the thread count. */
int gl_phasenet_normalize(const double *x, ptrdiff_t L, ptrdiff_t rs, ptrdiff_t cs, float *out,
                          double *nodes_mean, double *nodes_std);

#endif
