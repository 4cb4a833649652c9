/* test_ml.c: the ml kernels on small problems with known answers: the
 * MT19937 stream (NumPy's RandomState), CART trees (pure splits, thresholds
 * at midpoints, min_samples_leaf), forests independent of the thread count,
 * SMO on a separable problem, elastic-net coordinate descent against the
 * closed form (ridge), and brute-force k-NN ties by index. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testhelp.h"
#include "ml_mt.h"
#include "ml_tree.h"
#include "ml_svm.h"
#include "ml_linear.h"
#include "ml_neighbors.h"

static void test_mt (void) {
  gl_mt19937 s;
  gl_mt_seed(&s, 0);   /* np.random.RandomState(0).randint(0, 2**31 - 1, 3) */
  CHECK(gl_mt_randint(&s, 2147483647u) == 209652396u);
  CHECK(gl_mt_randint(&s, 2147483647u) == 398764591u);
  CHECK(gl_mt_randint(&s, 2147483647u) == 924231285u);
  gl_mt_seed(&s, 42);  /* RandomState(42).randint(0, 10, 5) */
  uint32_t want[5] = {6, 3, 7, 4, 6};
  for (int i = 0; i < 5; i++) CHECK(gl_mt_randint(&s, 10) == want[i]);
  gl_mt_seed(&s, 5489);  /* the reference generator's first output */
  CHECK(gl_mt_next32(&s) == 3499211612u);
}

static void test_tree (void) {
  /* one feature, classes split at 2.5; a second, useless constant feature */
  float Xc[16] = {1, 2, 2, 1, 3, 4, 3, 4, 7, 7, 7, 7, 7, 7, 7, 7};
  double y[8] = {0, 0, 0, 0, 1, 1, 1, 1};
  gl_ml_tree t;
  gl_ml_tree_opts o = {GL_TREE_GINI, 0, 2, -1, 2, 1, 2, 0.0};
  double imp[2];
  uint32_t seed = 12345;
  CHECK(gl_ml_tree_fit(&t, 8, 2, Xc, y, NULL, &o, &seed, imp) == 0);
  CHECK(t.n_nodes == 3);
  CHECK(t.feature[0] == 0);
  CLOSE(t.threshold[0], 2.5, 1e-12);
  CLOSE(t.impurity[0], 0.5, 1e-12);
  CLOSE(imp[0], 0.5, 1e-12);
  CLOSE(imp[1], 0.0, 1e-12);
  float q[4] = {2.4f, 7, 2.6f, 7};
  int64_t leaf[2];
  gl_ml_tree_apply(&t, 2, 2, q, leaf);
  CHECK(t.value[leaf[0] * 2] == 4.0 && t.value[leaf[1] * 2 + 1] == 4.0);
  gl_ml_tree_free(&t);
  /* regression: min_samples_leaf 3 forbids the split at 1|7 */
  float Xr[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  double yr[8] = {10, 0, 0, 0, 0, 0, 0, 0};
  gl_ml_tree_opts r = {GL_TREE_MSE, 0, 1, 1, 2, 3, 1, 0.0};
  seed = 1;
  CHECK(gl_ml_tree_fit(&t, 8, 1, Xr, yr, NULL, &r, &seed, NULL) == 0);
  CHECK(t.n_nodes == 3);
  CLOSE(t.threshold[0], 2.5, 1e-12);
  CLOSE(t.value[1], 10.0 / 3.0, 1e-12);
  gl_ml_tree_free(&t);
}

static void test_forest (void) {
  enum { N = 200, P = 3, NT = 8 };
  float *Xc = malloc(sizeof(float) * N * P), *X = malloc(sizeof(float) * N * P);
  double y[N], out1[N * 2], out2[N * 2];
  gl_mt19937 s;
  gl_mt_seed(&s, 3);
  for (int i = 0; i < N; i++) {
    for (int f = 0; f < P; f++) {
      float v = (float)gl_mt_randint(&s, 1000) / 1000.0f;
      Xc[f * N + i] = v; X[i * P + f] = v;
    }
    y[i] = Xc[i] + Xc[N + i] > 1.0f;
  }
  uint32_t seeds[NT];
  for (int k = 0; k < NT; k++) seeds[k] = 100 + k;
  gl_ml_tree_opts o = {GL_TREE_GINI, 0, 2, -1, 2, 1, 2, 0.0};
  double *res[2] = {out1, out2};
  for (int run = 0; run < 2; run++) {
    gl_ml_tree trees[NT];
    const gl_ml_tree *ptr[NT];
    memset(trees, 0, sizeof trees);
    CHECK(gl_ml_forest_fit(NT, trees, N, P, Xc, y, NULL, &o, seeds, 1, 0, NULL, NULL, NULL, run + 1) == 0);
    for (int k = 0; k < NT; k++) ptr[k] = &trees[k];
    CHECK(gl_ml_forest_predict(NT, ptr, N, P, X, 1, res[run]) == 0);
    for (int k = 0; k < NT; k++) gl_ml_tree_free(&trees[k]);
  }
  CHECK(memcmp(out1, out2, sizeof out1) == 0);   /* 1 thread vs 2 threads */
  int good = 0;
  for (int i = 0; i < N; i++) good += (out1[2 * i + 1] > 0.5) == (y[i] > 0.5);
  CHECK(good >= N - 2);
  free(Xc); free(X);
}

static void test_svm (void) {
  /* two points per class on a line: the maximum margin is at x = 0 */
  double X[4] = {-2, -1, 1, 2}, y[4] = {-1, -1, 1, 1}, p[4] = {-1, -1, -1, -1}, C[4] = {10, 10, 10, 10};
  double alpha[4] = {0, 0, 0, 0}, rho;
  int64_t it;
  gl_svm_kernel k = {GL_SVM_LINEAR, 1.0, 0.0, 3};
  for (int shrink = 0; shrink <= 1; shrink++) {   /* with and without libsvm's shrinking */
    for (int i = 0; i < 4; i++) alpha[i] = 0;
    CHECK(gl_ml_svm_solve_f64(4, 1, X, 4, y, p, C, &k, 1e-6, -1, 1 << 20, shrink, alpha, &rho, &it) == 0);
    double w = 0;
    for (int i = 0; i < 4; i++) w += alpha[i] * y[i] * X[i];
    CLOSE(w, 1.0, 1e-6);        /* w x - rho = +-1 at x = +-1 */
    CLOSE(rho, 0.0, 1e-6);
    CLOSE(alpha[0], 0.0, 1e-9);
  }
  double K[2];
  double A[1] = {0.5}, B[2] = {0.5, 1.5};
  gl_svm_kernel r = {GL_SVM_RBF, 2.0, 0.0, 3};
  CHECK(gl_ml_svm_kernel_f64(1, 2, 1, A, B, &r, K) == 0);
  CLOSE(K[0], 1.0, 1e-15);
  CLOSE(K[1], exp(-2.0), 1e-15);
}

static void test_enet (void) {
  /* beta only (alpha = 0): ridge, w = (X'X + beta I)^-1 X'y */
  double X[6] = {1, 2, 3, 1, 0, 1};   /* column-major 3 x 2 */
  double y[3] = {1, 2, 2}, w[2] = {0, 0}, R[3], gap;
  int64_t it;
  CHECK(gl_ml_enet_cd_f64(3, 2, X, y, w, 0.0, 0.5, 10000, 1e-14, 0, R, &gap, &it) == 0);
  /* X'X = [[14, 4], [4, 2]], X'y = [11, 3] */
  double a = 14.5, b = 4, c = 2.5, det = a * c - b * b;
  CLOSE(w[0], (c * 11 - b * 3) / det, 1e-10);
  CLOSE(w[1], (a * 3 - b * 11) / det, 1e-10);
  /* a large alpha zeroes everything */
  w[0] = w[1] = 0;
  CHECK(gl_ml_enet_cd_f64(3, 2, X, y, w, 100.0, 0.0, 100, 1e-4, 0, R, &gap, &it) == 0);
  CHECK(w[0] == 0.0 && w[1] == 0.0);
}

static void test_knn (void) {
  double X[8] = {0, 0, 1, 0, 0, 1, 1, 1}, Q[2] = {0.5, 0.5}, d[4];
  int64_t ind[4];
  CHECK(gl_ml_knn_brute_f64(4, 1, 2, X, Q, 4, d, ind) == 0);
  for (int i = 0; i < 4; i++) { CHECK(ind[i] == i); CLOSE(d[i], sqrt(0.5), 1e-15); }
  double Q2[2] = {0.9, 0.1};
  CHECK(gl_ml_knn_brute_f64(4, 1, 2, X, Q2, 2, d, ind) == 0);
  CHECK(ind[0] == 1);
  CLOSE(d[0], sqrt(0.02), 1e-12);
}

int main (void) {
  test_mt();
  test_tree();
  test_forest();
  test_svm();
  test_enet();
  test_knn();
  return TEST_REPORT();
}
