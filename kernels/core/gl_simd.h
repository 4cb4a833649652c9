/* gl_simd.h: vectorisation hints shared by the kernels.
 *
 * GL_SIMD before a loop whose iterations are independent and whose arrays do
 * not overlap: GCC's -O2 cost model leaves such loops scalar for want of an
 * aliasing check. Per element the same operations, so the same bits.
 *
 * GL_CLONES_AVX2 before a function: a second copy for AVX2 CPUs, picked at
 * load time (ifunc). The "avx2" target does not enable FMA, so no product is
 * fused into an add and results do not depend on the CPU. */
#ifndef GL_SIMD_H
#define GL_SIMD_H

#ifdef _OPENMP
#define GL_SIMD _Pragma("omp simd")
#else
#define GL_SIMD
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GL_CLONES_AVX2 __attribute__((target_clones("avx2", "default")))
#else
#define GL_CLONES_AVX2
#endif

#endif
