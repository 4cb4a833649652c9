/* optim.c: fused optimiser steps and gradient norms for nn/optim (optim.h).
 * The float bodies are optim.inc, included once per type. A step in numpy
 * operations would make a temporary per operation (a dozen for Adam over a
 * 3-million-weight layer); here each element is read and written once. */
#include <math.h>
#include <stdlib.h>
#include "gl_types.h"
#include "gl_simd.h"
#include "optim.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* No contraction of a * b + c into an fma beyond the ones written: PyTorch
 * rounds those products separately (buf.mul_(m) then addcdiv_). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize ("fp-contract=off")
#endif

/* x86-64 before Haswell has no fma instruction and fmaf() is a libm call
 * per element (20 ms for an Adam step over 3 million weights); a second
 * copy compiled for FMA CPUs, picked at load time, inlines it. Both give
 * the same bits: fma is correctly rounded either way. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GL_CLONES __attribute__((target_clones("fma", "default")))
#else
#define GL_CLONES
#endif


#define GL_OPTIM_GRAIN 65536   /* below this many weights a second thread costs more than it saves */
#define GL_NORM_BLOCK 4096     /* fixed blocks of a norm's sum, combined in order */

#define GL_T float
#define GL_FN(x) x##_f32
#define GL_FMA fmaf
#define GL_SQRT sqrtf
#include "optim.inc"
#undef GL_T
#undef GL_FN
#undef GL_FMA
#undef GL_SQRT

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_FMA fma
#define GL_SQRT sqrt
#include "optim.inc"
#undef GL_T
#undef GL_FN
#undef GL_FMA
#undef GL_SQRT
