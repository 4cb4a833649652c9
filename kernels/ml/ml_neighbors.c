/* ml_neighbors.c: brute-force k-NN (see ml_neighbors.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "ml_neighbors.h"

#define QBLOCK 64
#define XBLOCK 2048   /* training rows per distance tile (64 x 2048 floats = 512 KB) */

/* 16 distances |x|^2 - 2 q.x into dr, and whether one is <= thr. A fixed
 * trip count lets -O2 vectorise it (an OR vectorises, a float min would not). */
static inline int chunk16 (float *restrict dr, const float *restrict xj, float thr) {
  int hit = 0;
  for (int t = 0; t < 16; t++) {
    float v = xj[t] - 2.0f * dr[t];
    dr[t] = v;
    hit |= v <= thr;
  }
  return hit;
}

/* Inserts (v, j) into the sorted lists (length *len, capacity k). */
static void insert_best (double *bd, int64_t *bi, int64_t *len, int64_t k, double v, int64_t j) {
  int64_t pos = *len;
  if (pos == k) {
    if (v > bd[k - 1] || (v == bd[k - 1] && j > bi[k - 1])) return;
    pos = k - 1;
  } else (*len)++;
  while (pos > 0 && (bd[pos - 1] > v || (bd[pos - 1] == v && bi[pos - 1] > j))) {
    bd[pos] = bd[pos - 1]; bi[pos] = bi[pos - 1]; pos--;
  }
  bd[pos] = v; bi[pos] = j;
}

int gl_ml_knn_brute_f64 (int64_t n, int64_t m, int64_t d, const double *X, const double *Q, int64_t k,
                         double *dist, int64_t *ind) {
  int64_t kc = k + 8 < n ? k + 8 : n;   /* candidates kept from the float32 pass */
  double *xx = (double *)malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
  float *Xf = (float *)malloc((size_t)(n * d > 0 ? n * d : 1) * sizeof(float));
  float *Qf = (float *)malloc((size_t)(m * d > 0 ? m * d : 1) * sizeof(float));
  float *xxf = (float *)malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
  int rc = 0;
  int64_t nblocks = (m + QBLOCK - 1) / QBLOCK;
  if (!xx || !Xf || !Qf || !xxf) { free(xx); free(Xf); free(Qf); free(xxf); return GL_ENOMEM; }
  for (int64_t i = 0; i < n * d; i++) Xf[i] = (float)X[i];
  for (int64_t i = 0; i < m * d; i++) Qf[i] = (float)Q[i];
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  for (int64_t j = 0; j < n; j++) {
    xx[j] = cblas_ddot((int)d, X + j * d, 1, X + j * d, 1);
    xxf[j] = (float)xx[j];
  }
#pragma omp parallel num_threads(gl_threads()) if (m * n > 100000)
  {
    float *dots = (float *)malloc((size_t)(QBLOCK * XBLOCK) * sizeof(float));
    int64_t *lens = (int64_t *)malloc((size_t)QBLOCK * sizeof(int64_t));
    double *cd = (double *)malloc((size_t)(QBLOCK * kc) * sizeof(double));
    int64_t *ci = (int64_t *)malloc((size_t)(QBLOCK * kc) * sizeof(int64_t));
    if (!dots || !lens || !cd || !ci) {
#pragma omp atomic write
      rc = GL_ENOMEM;
    }
#pragma omp for schedule(dynamic, 1)
    for (int64_t b = 0; b < nblocks; b++) {
      int cur;
#pragma omp atomic read
      cur = rc;
      if (!dots || !lens || !cd || !ci || cur) continue;
      if (gl_interrupted()) {
#pragma omp atomic write
        rc = GL_EINTR;
        continue;
      }
      int64_t q0 = b * QBLOCK, nq = m - q0 < QBLOCK ? m - q0 : QBLOCK;
      for (int64_t r = 0; r < nq; r++) lens[r] = 0;
      for (int64_t j0 = 0; j0 < n; j0 += XBLOCK) {
        int64_t nx = n - j0 < XBLOCK ? n - j0 : XBLOCK;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nq, (int)nx, (int)d, 1.0f, Qf + q0 * d, (int)d,
                    Xf + j0 * d, (int)d, 0.0f, dots, (int)nx);
        for (int64_t r = 0; r < nq; r++) {
          float *restrict dr = dots + r * nx;
          double *bd = cd + r * kc;
          int64_t *bi = ci + r * kc, len = lens[r];
          const float *restrict xj = xxf + j0;
          /* |x|^2 - 2 q.x (|q|^2 is the same for every x) in chunks of 16,
           * against the current k-th best kept in a register */
          float thr = len < kc ? INFINITY : (float)bd[kc - 1];
          int64_t j = 0;
          for (; j + 16 <= nx; j += 16) {
            if (!chunk16(dr + j, xj + j, thr)) continue;
            for (int t = 0; t < 16; t++) if (dr[j + t] <= thr) {
              insert_best(bd, bi, &len, kc, (double)dr[j + t], j0 + j + t);
              thr = len < kc ? INFINITY : (float)bd[kc - 1];
            }
          }
          for (; j < nx; j++) {
            dr[j] = xj[j] - 2.0f * dr[j];
            if (dr[j] <= thr) {
              insert_best(bd, bi, &len, kc, (double)dr[j], j0 + j);
              thr = len < kc ? INFINITY : (float)bd[kc - 1];
            }
          }
          lens[r] = len;
        }
      }
      for (int64_t r = 0; r < nq; r++) {
        const double *q = Q + (q0 + r) * d;
        double *bd = dist + (q0 + r) * k;
        int64_t *bi = ci + r * kc, len = lens[r];
        /* exact distances of the chosen, re-sorted */
        int64_t len2 = 0;
        double ed[64], *e = k <= 64 ? ed : (double *)malloc((size_t)k * sizeof(double));
        int64_t ei[64], *eii = k <= 64 ? ei : (int64_t *)malloc((size_t)k * sizeof(int64_t));
        if (!e || !eii) {
          if (e != ed) free(e);
          if (eii != ei) free(eii);
#pragma omp atomic write
          rc = GL_ENOMEM;
          continue;
        }
        for (int64_t t = 0; t < len; t++) {
          const double *x = X + bi[t] * d;
          double s = 0.0;
          for (int64_t f = 0; f < d; f++) { double u = q[f] - x[f]; s += u * u; }
          insert_best(e, eii, &len2, k, sqrt(s), bi[t]);
        }
        memcpy(bd, e, (size_t)k * sizeof(double));
        memcpy(ind + (q0 + r) * k, eii, (size_t)k * sizeof(int64_t));
        if (e != ed) free(e);
        if (eii != ei) free(eii);
      }
    }
    free(dots);
    free(lens);
    free(cd);
    free(ci);
  }
  free(xx); free(Xf); free(Qf); free(xxf);
  return rc;
}
