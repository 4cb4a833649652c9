/* sort.c: sorting, searching and uniqueness (see sort.h). The body is
 * sort.inc, included for float, double and int64_t: unlike the float-only
 * kernels, sorting must keep every dtype exact, and the one comparison that
 * differs (NaN last) is GL_ISNAN, constant 0 for integers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sort.h"

#define GL_SORT_RUN 32                       /* insertion-sorted run length */
#define GL_SORT_PAR_MIN ((int64_t)1 << 16)   /* searches below this: one thread */
#define GL_SORT_POLL ((int64_t)1 << 16)      /* Ctrl-C polled once per this many elements */

#define GL_T float
#define GL_FN(x) x##_f32
#define GL_ISNAN(x) isnan(x)
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_ISNAN(x) isnan(x)
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN

#define GL_T int64_t
#define GL_FN(x) x##_i64
#define GL_ISNAN(x) 0
#include "sort.inc"
#undef GL_T
#undef GL_FN
#undef GL_ISNAN
