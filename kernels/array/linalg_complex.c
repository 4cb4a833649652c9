/* linalg_complex.c: complex matrix products through cblas_cgemm/zgemm (one
 * BLAS thread, one call per matrix, so results do not depend on --threads). */
#include <limits.h>
#include <stdlib.h>
#include <cblas.h>
#include "linalg.h"

#define GL_T gl_c64
#define GL_FN(x) x##_c64
#define GL_GEMM cblas_cgemm
#include "linalg_complex.inc"
#undef GL_T
#undef GL_FN
#undef GL_GEMM

#define GL_T gl_c128
#define GL_FN(x) x##_c128
#define GL_GEMM cblas_zgemm
#include "linalg_complex.inc"
#undef GL_T
#undef GL_FN
#undef GL_GEMM
