/* fft.h: one-dimensional discrete Fourier transforms along an axis, on FFTW3.
 *
 * A plan is made for one (kind, n) with FFTW_ESTIMATE: FFTW's heuristics pick
 * the algorithm from n alone. FFTW_MEASURE would time candidates and could
 * choose differently from run to run, so results would change in the last
 * bits between runs of the same script. Plans are made on the Lua thread only
 * (FFTW's planner is not thread-safe) and executed on private buffers with
 * fftw_execute_dft* (thread-safe), one line at a time; the lines are
 * independent, so the output does not depend on how they are split among
 * threads. Everything is computed in double precision, as NumPy 1.24's
 * pocketfft does (float32 input gives complex128 output there too).
 *
 * Lines: the input is an outer x n_in x inner block of contiguous elements
 * (double complex, or double for GL_FFT_R2C), the output an outer x n_out x
 * inner block; line (o, i) starts at o * n * inner + i with stride inner. */
#ifndef GL_FFT_H
#define GL_FFT_H

#include "gl_types.h"

enum { GL_FFT_FORWARD = 0, GL_FFT_BACKWARD, GL_FFT_R2C, GL_FFT_C2R };

typedef struct gl_fft_plan gl_fft_plan;

/* A plan for transforms of length n (n >= 1): the complex input length is n
 * for FORWARD/BACKWARD and C2R's output; R2C reads n reals and writes n/2+1
 * complex values, C2R reads n/2+1 complex values and writes n reals. Returns
 * NULL when FFTW cannot plan or memory runs out; free with gl_fft_plan_free. */
gl_fft_plan *gl_fft_plan_new(int kind, int64_t n);
void gl_fft_plan_free(gl_fft_plan *p);
int gl_fft_plan_kind(const gl_fft_plan *p);
int64_t gl_fft_plan_n(const gl_fft_plan *p);

/* Transforms every line: reads min(n_in, the plan's input length) elements
 * of each input line (zero-padding the rest: NumPy's n= crops or pads),
 * writes the plan's output length n_out of each output line, multiplied by
 * scale. Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_fft_lines(const gl_fft_plan *p, int64_t outer, int64_t inner,
                 const void *in, int64_t n_in, void *out, double scale);

#endif
