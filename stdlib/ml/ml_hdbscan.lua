-- ml_hdbscan.lua: ml.HDBSCAN (scikit-learn >= 1.3 / the hdbscan library),
-- density clustering over varying densities (kernels/ml/cluster_hdbscan.c).
-- Installed into the table of ml_cluster.lua. Labels 1.., noise -1.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.spatial_core"

return function(M)
  local H = base.estimator("HDBSCAN", {min_cluster_size = 5, min_samples = base.NONE,
    cluster_selection_epsilon = 0.0, max_cluster_size = base.NONE, metric = "euclidean",
    alpha = 1.0, algorithm = "auto", leaf_size = 40, cluster_selection_method = "eom",
    allow_single_cluster = false, store_centers = base.NONE, n_jobs = base.NONE})

  function H:fit(X, y)
    local fn = self._fname
    X = base.check_X(X, fn, {dtype = "float64"})
    if self.metric ~= "euclidean" then error(fn .. ": only the euclidean metric is supported", 2) end
    if self.cluster_selection_epsilon ~= 0 then error(fn .. ": cluster_selection_epsilon is not supported", 2) end
    local m = self.cluster_selection_method
    if m ~= "eom" and m ~= "leaf" then error(fn .. ": cluster_selection_method must be 'eom' or 'leaf'", 2) end
    local mcs = self.min_cluster_size
    if math.type(mcs) ~= "integer" then error(fn .. ": min_cluster_size must be an integer", 2) end
    local ms = self.min_samples or mcs
    local lab, prob = core.hdbscan(X, mcs, ms, m == "leaf", self.allow_single_cluster)
    self.labels_ = lab + lab:ge(0):astype("int64")
    self.probabilities_ = prob
    self.n_features_in_ = X.shape[2]
    return self
  end
  function H:fit_predict(X, y) return self:fit(X, y).labels_ end
  M.HDBSCAN = H
end
