/* conv.h: direct-form sliding-window kernels of the signal module:
 * convolution (numpy.convolve's full output), ndimage-style 1-D convolution
 * with boundary modes (savgol_filter), the zero-padded median filter
 * (medfilt) and STA/LTA characteristic functions (ObsPy). */
#ifndef GL_SIGNAL_CONV_H
#define GL_SIGNAL_CONV_H
#include <stdint.h>

enum { GL_BND_CONSTANT = 0, GL_BND_NEAREST, GL_BND_MIRROR, GL_BND_WRAP };

/* y[0 .. n + m - 1) = full convolution of x (n) and w (m). */
void gl_sig_convolve_full_f64(int64_t n, const double *x, int64_t m, const double *w, double *y);

/* y[i] = sum_j w[j] x[i + m/2 - j] (m odd), x extended by `mode` (cval for constant). */
void gl_sig_convolve1d_f64(int64_t n, const double *x, int64_t m, const double *w,
                           int mode, double cval, double *y);

/* Median of the m (odd) samples centred on each i, zeros outside x. scratch: m doubles. */
void gl_sig_medfilt_f64(int64_t n, const double *x, int64_t m, double *y, double *scratch);

/* ObsPy's classic STA/LTA: windowed mean squares over nsta and nlta samples
 * ending at i, their ratio from i = nlta - 1 on, 0 before. */
void gl_sig_classic_sta_lta_f64(int64_t n, const double *x, int64_t nsta, int64_t nlta, double *y);
/* ObsPy's recursive STA/LTA (recursive_sta_lta_py): first nlta values 0. */
void gl_sig_recursive_sta_lta_f64(int64_t n, const double *x, int64_t nsta, int64_t nlta, double *y);

/* scipy's upfirdn (mode constant 0): x (n) upsampled by up (up - 1 zeros
 * after each sample), convolved with h (nh), every down-th sample of the
 * result from the first, ny of them. */
void gl_sig_upfirdn_f64(int64_t n, const double *x, int64_t nh, const double *h,
                        int64_t up, int64_t down, int64_t ny, double *y);

#endif
