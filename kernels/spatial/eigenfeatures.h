/* eigenfeatures.h: covariance eigen-features of 3-D point neighbourhoods
 * (Weinmann et al. 2015; barycentric coordinates after Brodu & Lague 2012). */
#ifndef GL_EIGENFEATURES_H
#define GL_EIGENFEATURES_H

#include "gl_types.h"
#include "kdtree.h"

/* Feature slots per (point, scale), in this order. */
enum {
  GL_EF_LINEARITY, GL_EF_PLANARITY, GL_EF_SCATTERING, GL_EF_OMNIVARIANCE,
  GL_EF_ANISOTROPY, GL_EF_EIGENENTROPY, GL_EF_SUM, GL_EF_CURVATURE,
  GL_EF_VERTICALITY, GL_EF_COUNT, GL_EF_DENSITY, GL_EF_BARY_A, GL_EF_BARY_B,
  GL_EF_BARY_C, GL_EF_NFEAT
};

/* Eigen-decomposition of the symmetric 3x3 matrix a (row-major, 9 values) by
 * cyclic Jacobi rotations: w ascending, v (row-major 3x3) holds the unit
 * eigenvectors in its columns (v may be NULL). */
void gl_eigh3 (const double *a, double *w, double *v);

/* For each of the m core points c (m x 3) and each of the ns radii: the
 * neighbours in tree t (built on 3-D points) within radius, their covariance
 * (ddof 1), its eigenvalues lambda1 >= lambda2 >= lambda3 (raw, into eig:
 * m x ns x 3) and the features (feat: m x ns x GL_EF_NFEAT) computed from the
 * eigenvalues normalised to sum 1. evec (m x ns x 3 x 3, may be NULL): the
 * eigenvectors as columns in the same order. A neighbourhood of fewer than
 * min_neighbors points (at least 3) gives NaN everything but the count.
 * OpenMP over points. index_order = 0: the sums run in tree order, a node
 * wholly inside the sphere adding its moments at once (fast; the bits depend
 * on the tree's shape). index_order = 1: neighbour by neighbour in ascending
 * row order, so the bits depend only on the points and their row order (the
 * tiled run reproduces them). */
int gl_eigenfeatures_f64 (const gl_kdtree *t, int64_t m, const double *c,
                          int64_t ns, const double *radii, double *eig,
                          double *feat, double *evec, int64_t min_neighbors,
                          int index_order);

#endif
