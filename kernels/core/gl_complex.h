/* gl_complex.h: <complex.h> plus CMPLX and CMPLXF, which build a complex
 * from its parts exactly (x + I*y does not: I*inf gives a NaN real part).
 * glibc defines them only for GCC >= 4.7; clang (the fuzz and TSan builds)
 * has the same builtin under its own version number. */
#ifndef GL_COMPLEX_H
#define GL_COMPLEX_H
#include <complex.h>

#if !defined(CMPLX) && defined(__clang__)
#define CMPLX(x, y) __builtin_complex((double)(x), (double)(y))
#endif
#if !defined(CMPLXF) && defined(__clang__)
#define CMPLXF(x, y) __builtin_complex((float)(x), (float)(y))
#endif

#endif
