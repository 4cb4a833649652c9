/* test_cluster.c: k-means (Lloyd = Elkan on separated data), DBSCAN on a toy
 * set with core, border and noise points, linkage merge heights, the 3x3
 * eigen-solver. */
#include <stdlib.h>
#include <string.h>
#include "testhelp.h"
#include "cluster.h"
#include "eigenfeatures.h"

int main (void) {
  /* two groups on a line */
  double X[8] = {0, 0.1, 0.2, 0.3, 10, 10.1, 10.2, 10.3};
  double C[2] = {0, 0.1}, C2[2] = {0, 0.1}, inertia, inertia2;
  int64_t lab[8], lab2[8], nit;
  CHECK(gl_kmeans_fit_f64(8, 1, X, NULL, 2, C, 100, 0, 0, lab, &inertia, &nit) == GL_OK);
  CHECK(gl_kmeans_fit_f64(8, 1, X, NULL, 2, C2, 100, 0, 1, lab2, &inertia2, &nit) == GL_OK);
  CHECK(memcmp(lab, lab2, sizeof lab) == 0);
  CLOSE(inertia, 4 * 0.0125 * 2, 1e-12); CLOSE(inertia2, inertia, 1e-12);
  CHECK(lab[0] == lab[3] && lab[4] == lab[7] && lab[0] != lab[4]);
  /* DBSCAN: 0..3 dense, 4 border, 5 noise */
  double P[6] = {0, 0.1, 0.2, 0.3, 0.5, 5};
  gl_kdtree t = {6, 1, 2, 0, malloc(48), malloc(48), malloc(160), malloc(160), malloc(160), malloc(160), malloc(320)};
  CHECK(gl_kdtree_build(&t, P, 1, 1) == GL_OK);
  int64_t dl[6]; uint8_t core[6];
  CHECK(gl_dbscan_f64(&t, 0.25, 3, dl, core) == GL_OK);
  CHECK(dl[0] == 0 && dl[3] == 0 && dl[4] == 0 && dl[5] == -1);
  CHECK(core[1] == 1 && core[4] == 0 && core[5] == 0);
  free(t.pts); free(t.idx); free(t.start); free(t.end); free(t.left); free(t.right); free(t.box);
  /* single linkage heights are the sorted gaps */
  double L[5] = {0, 1, 3, 6, 10}, Z[16];
  CHECK(gl_linkage_f64(5, 1, L, 0, Z) == GL_OK);
  CLOSE(Z[2], 1, 0); CLOSE(Z[6], 2, 0); CLOSE(Z[10], 3, 0); CLOSE(Z[14], 4, 0); CLOSE(Z[15], 5, 0);
  /* eigh3: diag(3,1,2) rotated */
  double A[9] = {3, 0, 0, 0, 1, 0, 0, 0, 2}, w[3], V[9];
  gl_eigh3(A, w, V);
  CLOSE(w[0], 1, 1e-15); CLOSE(w[1], 2, 1e-15); CLOSE(w[2], 3, 1e-15);
  CLOSE(fabs(V[1 * 3 + 0]), 1, 1e-15);
  return TEST_REPORT();
}
