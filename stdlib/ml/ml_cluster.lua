-- ml_cluster.lua: clustering estimators of the ml module (scikit-learn's
-- sklearn.cluster and sklearn.mixture): KMeans, MiniBatchKMeans, DBSCAN,
-- GaussianMixture, AgglomerativeClustering. The heavy loops are C kernels in
-- geolab.spatial_core (kernels/ml/cluster_*.c). Cluster labels are 1-based
-- (row numbers of cluster_centers_), noise is -1.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.spatial_core"
local spatial = require "geolab.spatial"

local M = {}

local function seed_of(rng)
  return rng:integers(0, 2147483647)
end

local function as_int(v, name, fname, lo)
  if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) then
    error(("%s: %s must be an integer, got %s"):format(fname, name, tostring(v)), 3)
  end
  v = math.tointeger(v)
  if lo and v < lo then error(("%s: %s must be >= %d, got %d"):format(fname, name, lo, v), 3) end
  return v
end

-- {===== KMeans

local KMeans = base.estimator("KMeans", {n_clusters = 8, init = "k-means++", n_init = "auto",
  max_iter = 300, tol = 1e-4, verbose = 0, random_state = 0, copy_x = true, algorithm = "lloyd"})

local function tolerance(X, tol)
  if tol == 0 then return 0 end
  return X:var(0):mean() * tol
end

-- float32 input gives float32 centres (computed in float64), as scikit-learn
local function in_dtype(X)
  return (type(X) == "userdata" and X.dtype == "float32") and "float32" or "float64"
end

function KMeans:fit(X, y, sample_weight)
  local fn = self._fname
  if sample_weight ~= nil then error(fn .. ": sample_weight is not supported", 2) end
  local dt = in_dtype(X)
  X = base.check_X(X, fn, {dtype = "float64"})
  local k = as_int(self.n_clusters, "n_clusters", fn, 1)
  local n = X.shape[1]
  if n < k then error(("%s: n_samples=%d should be >= n_clusters=%d"):format(fn, n, k), 2) end
  local algo = self.algorithm
  if algo == "auto" or algo == "full" then algo = algo == "full" and "lloyd" or "elkan" end
  if algo ~= "lloyd" and algo ~= "elkan" then
    error(fn .. ": algorithm must be 'lloyd' or 'elkan', got " .. tostring(algo), 2)
  end
  local init = self.init
  local n_init = self.n_init
  if n_init == "auto" then n_init = (init == "random") and 10 or 1 end
  if type(init) ~= "string" then n_init = 1 end
  n_init = as_int(n_init, "n_init", fn, 1)
  local max_iter = as_int(self.max_iter, "max_iter", fn, 1)
  -- like scikit-learn: centre X for precision, shift the centres back at the
  -- end; the kernels subtract the mean as they read X (no centred copy)
  local mean = X:mean(0)
  local tol = tolerance(X, self.tol)
  local rng = base.rng(self.random_state)
  local best
  for _ = 1, n_init do
    local C0
    if type(init) == "userdata" or type(init) == "table" then
      C0 = np.array(init, "float64")
      if C0.ndim ~= 2 or C0.shape[1] ~= k or C0.shape[2] ~= X.shape[2] then
        error(("%s: init should be of shape (%d, %d)"):format(fn, k, X.shape[2]), 2)
      end
      C0 = C0 - mean
    elseif init == "k-means++" then
      C0 = core.kmeans_pp(X, k, 2 + math.floor(math.log(k)), seed_of(rng), mean)
    elseif init == "random" then
      local rows = rng:permutation(n)[{{1, k}}]
      C0 = X[rows] - mean
    else
      error(fn .. ": init must be 'k-means++', 'random' or an array, got " .. tostring(init), 2)
    end
    local labels, inertia, n_iter, C = core.kmeans_fit(X, C0, max_iter, tol, algo == "elkan", mean)
    if not best or inertia < best.inertia then
      best = {labels = labels, inertia = inertia, n_iter = n_iter, centers = C}
    end
  end
  self.cluster_centers_ = (best.centers + mean):astype(dt)
  self.labels_ = np.add(best.labels, 1, {out = best.labels})
  self.inertia_ = best.inertia
  self.n_iter_ = best.n_iter
  self.n_features_in_ = X.shape[2]
  return self
end

function KMeans:predict(X)
  base.check_is_fitted(self, "cluster_centers_", self._fname .. ".predict")
  X = base.check_X(X, self._fname, {dtype = "float64"})
  base.check_n_features(self, X, self._fname)
  local labels = core.kmeans_assign(X, self.cluster_centers_:astype("float64"))
  return labels + 1
end

function KMeans:fit_predict(X, y) return self:fit(X, y).labels_ end

-- distances to every centre: (n, n_clusters)
function KMeans:transform(X)
  base.check_is_fitted(self, "cluster_centers_", self._fname .. ".transform")
  local dt = in_dtype(X)
  X = base.check_X(X, self._fname, {dtype = "float64"})
  base.check_n_features(self, X, self._fname)
  local C = self.cluster_centers_:astype("float64")
  local n, k = X.shape[1], C.shape[1]
  local D = np.zeros{n, k}
  for j = 1, k do
    D[{{}, j}] = ((X - C[j]) ^ 2):sum(1):sqrt()
  end
  return D:astype(dt)
end

function KMeans:fit_transform(X, y) return self:fit(X, y):transform(X) end

function KMeans:score(X)
  base.check_is_fitted(self, "cluster_centers_", self._fname .. ".score")
  X = base.check_X(X, self._fname, {dtype = "float64"})
  local _, _, inertia = core.kmeans_assign(X, self.cluster_centers_:astype("float64"))
  return -inertia
end

M.KMeans = KMeans

-- MiniBatchKMeans: k-means on random mini-batches (Sculley 2010) with
-- per-centre learning rates 1/count, then labels and inertia on all rows.
local MiniBatchKMeans = base.estimator("MiniBatchKMeans", {n_clusters = 8, init = "k-means++",
  max_iter = 100, batch_size = 1024, verbose = 0, compute_labels = true, random_state = 0,
  tol = 0.0, max_no_improvement = 10, init_size = base.NONE, n_init = "auto", reassignment_ratio = 0.01})

function MiniBatchKMeans:fit(X)
  local fn = self._fname
  local dt = in_dtype(X)
  X = base.check_X(X, fn, {dtype = "float64"})
  local k = as_int(self.n_clusters, "n_clusters", fn, 1)
  local n = X.shape[1]
  if n < k then error(("%s: n_samples=%d should be >= n_clusters=%d"):format(fn, n, k), 2) end
  local rng = base.rng(self.random_state)
  local bs = math.min(as_int(self.batch_size, "batch_size", fn, 1), n)
  local init_size = self.init_size or math.min(3 * bs, n)
  if init_size < k then init_size = math.min(n, 3 * k) end
  local C
  if type(self.init) == "userdata" or type(self.init) == "table" then
    C = np.array(self.init, "float64")
  else
    local rows = rng:permutation(n)[{{1, init_size}}]
    local Xi = X[rows]
    if self.init == "random" then C = Xi[rng:permutation(init_size)[{{1, k}}]]
    else C = core.kmeans_pp(Xi, k, 2 + math.floor(math.log(k)), seed_of(rng)) end
  end
  C = C:copy()
  local counts = {}
  for j = 1, k do counts[j] = 0 end
  local steps = math.max(1, (self.max_iter * n) // bs)
  local best, since = math.huge, 0
  for _ = 1, steps do
    local rows = rng:integers(1, n + 1, bs)
    local B = X[rows]
    local lab, _, inertia = core.kmeans_assign(B, C)
    local labt = lab:totable()
    local sums, cnt = np.zeros{k, X.shape[2]}, {}
    for j = 1, k do cnt[j] = 0 end
    for i, l in ipairs(labt) do cnt[l + 1] = cnt[l + 1] + 1 end
    for j = 1, k do
      if cnt[j] > 0 then
        local mask = lab:eq(j - 1)
        sums[j] = B[mask]:sum(0)
        local old = counts[j]
        counts[j] = old + cnt[j]
        C[j] = (C[j] * old + sums[j]) / counts[j]
      end
    end
    -- early stop on the smoothed batch inertia
    inertia = inertia / bs
    if inertia < best then best, since = inertia, 0 else since = since + 1 end
    if self.max_no_improvement and since >= self.max_no_improvement then break end
  end
  self.cluster_centers_ = C:astype(dt)
  local labels, _, inertia = core.kmeans_assign(X, C)
  if self.compute_labels then self.labels_ = labels + 1 end
  self.inertia_ = inertia
  self.n_features_in_ = X.shape[2]
  return self
end
MiniBatchKMeans.predict = KMeans.predict
MiniBatchKMeans.transform = KMeans.transform
MiniBatchKMeans.fit_transform = KMeans.fit_transform
MiniBatchKMeans.score = KMeans.score
function MiniBatchKMeans:fit_predict(X) return self:fit(X).labels_ end
M.MiniBatchKMeans = MiniBatchKMeans

-- }=====

-- {===== DBSCAN

local DBSCAN = base.estimator("DBSCAN", {eps = 0.5, min_samples = 5, metric = "euclidean",
  metric_params = base.NONE, algorithm = "auto", leaf_size = 30, p = base.NONE, n_jobs = base.NONE})

function DBSCAN:fit(X, y, sample_weight)
  local fn = self._fname
  if sample_weight ~= nil then error(fn .. ": sample_weight is not supported", 2) end
  if self.metric ~= "euclidean" and self.metric ~= "minkowski" then
    error(fn .. ": only the euclidean metric is supported, got " .. tostring(self.metric), 2)
  end
  if self.p and self.p ~= 2 then error(fn .. ": only p=2 is supported", 2) end
  X = base.check_X(X, fn, {dtype = "float64"})
  if type(self.eps) ~= "number" or not (self.eps > 0) then
    error(fn .. ": eps must be > 0, got " .. tostring(self.eps), 2)
  end
  local ms = as_int(self.min_samples, "min_samples", fn, 1)
  local labels, coremask = core.dbscan(X, self.eps, ms, as_int(self.leaf_size, "leaf_size", fn, 1))
  -- clusters 0.. -> 1..; noise stays -1
  self.labels_ = labels + labels:ge(0):astype("int64")
  local cm = coremask:astype("bool")
  self.core_sample_indices_ = np.nonzero(cm)
  self.components_ = X[cm]
  self.n_features_in_ = X.shape[2]
  return self
end

function DBSCAN:fit_predict(X, y) return self:fit(X, y).labels_ end
M.DBSCAN = DBSCAN

-- }=====

require("geolab.ml_mixture")(M)
for _, part in ipairs{"ml_agglomerative", "ml_spectral", "ml_hdbscan"} do
  if package.preload["geolab." .. part] then require("geolab." .. part)(M) end
end

return M
