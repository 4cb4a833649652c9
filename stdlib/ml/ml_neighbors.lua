-- ml_neighbors.lua: k-nearest-neighbour classifier and regressor
-- (sklearn.neighbors). Neighbours come from the kd-tree of kernels/spatial/kdtree.c
-- in low dimension (d <= 15) or from BLAS distance blocks, with ties broken
-- by training index, so both give the same neighbours.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"

local M = {}

local defaults = {n_neighbors = 5, weights = "uniform", algorithm = "auto", leaf_size = 30, p = 2,
  metric = "minkowski", metric_params = base.NONE, n_jobs = base.NONE}

local function check_params(self, fname)
  if math.type(self.n_neighbors) ~= "integer" or self.n_neighbors < 1 then
    error(fname .. ": n_neighbors must be an integer >= 1, got " .. base.repr(self.n_neighbors), 3)
  end
  if self.weights ~= "uniform" and self.weights ~= "distance" and type(self.weights) ~= "function" then
    error(fname .. ": weights must be 'uniform', 'distance' or a function, got " .. base.repr(self.weights), 3)
  end
  if not ((self.metric == "minkowski" and self.p == 2) or self.metric == "euclidean") then
    error(fname .. ": only the Euclidean metric (metric='minkowski' with p=2) is implemented", 3)
  end
  local a = self.algorithm
  if a ~= "auto" and a ~= "brute" and a ~= "kd_tree" and a ~= "ball_tree" then
    error(fname .. ": algorithm must be 'auto', 'brute', 'kd_tree' or 'ball_tree'", 3)
  end
end

local function fit_common(self, X, fname)
  check_params(self, fname)
  local A = base.check_X(X, fname)
  self._fit_X = A:astype("float64")
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  self.n_samples_fit_ = A.shape[1]
  self.effective_metric_ = "euclidean"
  return A
end

-- kneighbors(X [, n_neighbors [, return_distance=true]]) -> dist, ind (1-based)
local function kneighbors(self, X, k, return_distance)
  local fname = "ml." .. getmetatable(self)._name .. ".kneighbors"
  X = base.fitted_X(self, X, "_fit_X", fname)
  k = k or self.n_neighbors
  if k > self.n_samples_fit_ then
    error(("%s: expected n_neighbors <= n_samples_fit, but n_neighbors = %d, n_samples_fit = %d"):format(
      fname, k, self.n_samples_fit_), 3)
  end
  local dist, ind = core.knn(self._fit_X, X:astype("float64"), k, self.algorithm, self.leaf_size)
  if return_distance == false then return ind end
  return dist, ind
end

-- Weights of the neighbours (n x k): 1, or 1/d with exact matches taking all.
local function neighbor_weights(self, dist)
  if self.weights == "uniform" then return nil end
  if type(self.weights) == "function" then return self.weights(dist) end
  local zero = dist:eq(0)
  local rowzero = zero:astype("float64"):max(1):gt(0):reshape{-1, 1}
  local inv = 1 / np.where(zero, 1, dist)
  return np.where(rowzero, zero:astype("float64"), inv)
end

-- {==================================================================
-- KNeighborsClassifier
-- ==================================================================}

local KNeighborsClassifier = base.estimator("KNeighborsClassifier", defaults, base.ClassifierMixin)
M.KNeighborsClassifier = KNeighborsClassifier

function KNeighborsClassifier:fit(X, y)
  local fname = "ml.KNeighborsClassifier.fit"
  local A, yy = base.check_Xy(X, y, fname)
  fit_common(self, A, fname)
  self.feature_names_in_ = base.feature_names(X)
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  self.classes_ = classes
  self._codes = codes
  self.outputs_2d_ = false
  return self
end

KNeighborsClassifier.kneighbors = kneighbors

function KNeighborsClassifier:predict_proba(X)
  local dist, ind = kneighbors(self, X, nil, true)
  local K = #self.classes_
  local lab = self._codes[ind:reshape{-1}]:reshape{ind.shape[1], ind.shape[2]}  -- neighbours' codes
  local w = neighbor_weights(self, dist)
  local n = lab.shape[1]
  local P = np.zeros{n, K}
  for c = 1, K do
    local hit = lab:eq(c - 1):astype("float64")
    if w then hit = hit * w end
    P[{{}, c}] = hit:sum(1)
  end
  local s = P:sum{axis = 1, keepdims = true}
  return P / np.where(s:eq(0), 1, s)
end

function KNeighborsClassifier:predict(X)
  local P = self:predict_proba(X)
  return base.decode_labels(self.classes_, P:argmax(1) - 1)
end

-- {==================================================================
-- KNeighborsRegressor
-- ==================================================================}

local KNeighborsRegressor = base.estimator("KNeighborsRegressor", defaults, base.RegressorMixin)
M.KNeighborsRegressor = KNeighborsRegressor

function KNeighborsRegressor:fit(X, y)
  local fname = "ml.KNeighborsRegressor.fit"
  local A, yy = base.check_Xy(X, y, fname)
  fit_common(self, A, fname)
  self.feature_names_in_ = base.feature_names(X)
  self._y = base.check_y(yy, fname)
  return self
end

KNeighborsRegressor.kneighbors = kneighbors

function KNeighborsRegressor:predict(X)
  local dist, ind = kneighbors(self, X, nil, true)
  local Y = self._y[ind:reshape{-1}]:reshape{ind.shape[1], ind.shape[2]}
  local w = neighbor_weights(self, dist)
  if not w then return Y:mean(1) end
  return (Y * w):sum(1) / w:sum(1)
end

-- {==================================================================
-- NearestNeighbors
-- ==================================================================}

local NearestNeighbors = base.estimator("NearestNeighbors", {n_neighbors = 5, radius = 1.0, algorithm = "auto",
  leaf_size = 30, metric = "minkowski", p = 2, metric_params = base.NONE, n_jobs = base.NONE})
M.NearestNeighbors = NearestNeighbors
function NearestNeighbors:fit(X)
  local fname = "ml.NearestNeighbors.fit"
  self.weights = "uniform"
  fit_common(self, X, fname)
  self.weights = nil
  return self
end
NearestNeighbors.kneighbors = kneighbors

return M
