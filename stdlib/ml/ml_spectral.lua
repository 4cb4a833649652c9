-- ml_spectral.lua: ml.SpectralClustering (scikit-learn's), on a k-nearest-
-- neighbour graph (affinity="nearest_neighbors", kd-tree) or a dense RBF
-- kernel: the normalised Laplacian's first eigenvectors (np.linalg.eigh),
-- then k-means on that embedding. Dense: meant for a few thousand points.
-- Installed into the table of ml_cluster.lua.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local spatial = require "geolab.spatial"

return function(M)
  local SC = base.estimator("SpectralClustering", {n_clusters = 8, eigen_solver = base.NONE,
    n_components = base.NONE, random_state = 0, n_init = 10, gamma = 1.0, affinity = "rbf",
    n_neighbors = 10, eigen_tol = "auto", assign_labels = "kmeans", degree = 3, coef0 = 1,
    kernel_params = base.NONE, n_jobs = base.NONE, verbose = false})

  function SC:fit(X, y)
    local fn = self._fname
    X = base.check_X(X, fn, {dtype = "float64"})
    local n = X.shape[1]
    local k = self.n_clusters
    if math.type(k) ~= "integer" or k < 1 or k > n then error(fn .. ": n_clusters must be an integer in [1, n_samples]", 2) end
    if n > 10000 then error(("%s: %d samples need a dense %dx%d eigenproblem (limit 10000)"):format(fn, n, n, n), 2) end
    local A
    if self.affinity == "nearest_neighbors" then
      local nnb = self.n_neighbors
      if nnb > n then error(("%s: n_neighbors=%d is larger than n_samples=%d"):format(fn, nnb, n), 2) end
      local tree = spatial.KDTree(X)
      local _, idx = tree:query(X, {k = nnb})
      local C = np.zeros{n, n}
      local it = idx:totable()
      for i = 1, n do for _, j in ipairs(it[i]) do C[{i, j}] = 1 end end
      A = (C + C:transpose()) * 0.5
    elseif self.affinity == "rbf" then
      local sq = (X * X):sum(1, {keepdims = true})
      local D2 = sq + sq:transpose() - X:matmul(X:transpose()) * 2
      D2 = np.where(D2:lt(0), 0, D2)
      A = (D2 * -self.gamma):exp()
    elseif self.affinity == "precomputed" then
      A = X
    else
      error(fn .. ": affinity must be 'rbf', 'nearest_neighbors' or 'precomputed', got " .. tostring(self.affinity), 2)
    end
    -- normalised Laplacian, diagonal of A ignored (scipy's csgraph.laplacian)
    local W = A:copy()
    for i = 1, n do W[{i, i}] = 0 end
    local deg = W:sum(0)
    local dd = np.where(deg:le(0), 1, deg):sqrt()
    local L = np.eye(n) - W / dd:reshape{-1, 1} / dd:reshape{1, -1}
    local ncomp = self.n_components or k
    local w, V = np.linalg.eigh(L)
    local E = V[{{}, {1, ncomp}}] / dd:reshape{-1, 1}
    -- deterministic sign: the largest |value| of each vector positive
    local am = E:abs():argmax(0):totable()
    for j = 1, ncomp do if E[{am[j], j}] < 0 then E[{{}, j}] = -E[{{}, j}] end end
    self.affinity_matrix_ = A
    self.embedding_ = E
    local km = M.KMeans{n_clusters = k, n_init = self.n_init, random_state = self.random_state}:fit(E)
    self.labels_ = km.labels_
    self.n_features_in_ = X.shape[2]
    return self
  end
  function SC:fit_predict(X, y) return self:fit(X, y).labels_ end
  M.SpectralClustering = SC
end
