/* fft.h: one-dimensional discrete Fourier transforms along an axis, on FFTW3,
 * and the plan cache that np.fft and the signal module share.
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
 * FFTW's first plan for a length costs from a fraction of a millisecond to
 * several (an event span of 2955 = 3 x 5 x 197 samples: about 2 ms; FFTW
 * remembers what it learnt, so a second plan of that length takes 0.1 ms):
 * far more than the transform itself. Hence the cache below, shared by every
 * caller, large enough that a loop over windows of a few hundred lengths
 * plans each once.
 *
 * Lines: the input is an outer x n_in x inner block of contiguous elements
 * (double complex, or double for GL_FFT_R2C), the output an outer x n_out x
 * inner block; line (o, i) starts at o * n * inner + i with stride inner. */
#ifndef GL_FFT_H
#define GL_FFT_H

#include <stddef.h>
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

/* Bytes of scratch one gl_fft_exec call needs (its thread's own). */
size_t gl_fft_scratch_bytes(const gl_fft_plan *p);

/* One unscaled transform of the plan's kind from in (the plan's input length,
 * contiguous) to out (its output length, contiguous); any alignment.
 * scratch: gl_fft_scratch_bytes(p) bytes, 16-byte aligned (fftw_malloc or
 * malloc). C2R may overwrite its input; the others leave it alone. The
 * imaginary parts of C2R's DC (and, for even n, Nyquist) input are ignored. */
void gl_fft_exec(const gl_fft_plan *p, const void *in, void *out, void *scratch);

/* Transforms every line: reads min(n_in, the plan's input length) elements
 * of each input line (zero-padding the rest: NumPy's n= crops or pads),
 * writes the plan's output length n_out of each output line, multiplied by
 * scale. Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_fft_lines(const gl_fft_plan *p, int64_t outer, int64_t inner,
                 const void *in, int64_t n_in, void *out, double scale);

/* {===== the plan cache (fft_cache.c)
 * The plans of one lua_State, by (kind, n), least recently used evicted past
 * GL_FFT_CACHE_PLANS plans or GL_FFT_CACHE_BYTES of estimated plan memory, so
 * a loop over windows of a few hundred lengths plans each (kind, length)
 * once. A plan returned stays valid until the next gl_fft_cache_get of a
 * different (kind, n) that evicts it: callers holding two plans fetch them in
 * the order they use them and never hold more than two. Not thread-safe: the
 * Lua thread only. */
#define GL_FFT_CACHE_PLANS 256
#define GL_FFT_CACHE_BYTES ((size_t)64 << 20)

typedef struct gl_fft_cache gl_fft_cache;

gl_fft_cache *gl_fft_cache_new(void);   /* NULL when out of memory */
void gl_fft_cache_free(gl_fft_cache *c);
/* The plan for (kind, n), made if missing; NULL if it cannot be made. */
const gl_fft_plan *gl_fft_cache_get(gl_fft_cache *c, int kind, int64_t n);
/* A scratch buffer of at least `bytes` (FFTW-aligned) owned by the cache, for
 * the Lua thread's calls: kept between calls so that long signals do not
 * fault in fresh pages every time. NULL if out of memory. */
void *gl_fft_cache_scratch(gl_fft_cache *c, size_t bytes);
/* Number of plans held and their estimated bytes (tests). */
int gl_fft_cache_count(const gl_fft_cache *c);
size_t gl_fft_cache_bytes(const gl_fft_cache *c);
/* }===== */

#endif
