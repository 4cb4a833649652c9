-- ml_agglomerative.lua: ml.AgglomerativeClustering (scikit-learn's
-- sklearn.cluster.AgglomerativeClustering without connectivity constraints):
-- ward, complete, average or single linkage on Euclidean distances, by the
-- nearest-neighbour chain kernel (kernels/ml/cluster_hier.c). Installed into the
-- table of ml_cluster.lua.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.spatial_core"

return function(M)
  local AC = base.estimator("AgglomerativeClustering", {n_clusters = 2, affinity = "deprecated",
    metric = base.NONE, memory = base.NONE, connectivity = base.NONE, compute_full_tree = "auto",
    linkage = "ward", distance_threshold = base.NONE, compute_distances = false})
  local methods = {single = 0, complete = 1, average = 2, ward = 3}

  function AC:fit(X, y)
    local fn = self._fname
    X = base.check_X(X, fn, {dtype = "float64"})
    local n = X.shape[1]
    local method = methods[self.linkage]
    if not method then error(fn .. ": linkage must be 'ward', 'complete', 'average' or 'single', got " .. tostring(self.linkage), 2) end
    local metric = self.metric or (self.affinity ~= "deprecated" and self.affinity) or "euclidean"
    if metric ~= "euclidean" then error(fn .. ": only the euclidean metric is supported, got " .. tostring(metric), 2) end
    if self.connectivity ~= nil then error(fn .. ": connectivity constraints are not supported", 2) end
    local k = self.n_clusters
    if (k == nil) == (self.distance_threshold == nil) then
      error(fn .. ": exactly one of n_clusters and distance_threshold has to be set", 2)
    end
    if k ~= nil and (math.type(k) ~= "integer" or k < 1 or k > n) then
      error(("%s: n_clusters must be an integer in [1, %d], got %s"):format(fn, n, tostring(k)), 2)
    end
    local Z = core.linkage(X, method)
    local Zt = Z:totable()
    local nmerge
    if self.distance_threshold then
      nmerge = 0
      for i = 1, n - 1 do if Zt[i][3] < self.distance_threshold then nmerge = i end end
      k = n - nmerge
    else
      nmerge = n - k
    end
    -- union-find over the first nmerge merges; cluster numbers by first row
    local parent = {}
    for i = 1, 2 * n do parent[i] = i end
    local function find(i) while parent[i] ~= i do parent[i] = parent[parent[i]]; i = parent[i] end return i end
    for i = 1, nmerge do
      local a, b = find(math.tointeger(Zt[i][1]) + 1), find(math.tointeger(Zt[i][2]) + 1)
      parent[a] = n + i; parent[b] = n + i
    end
    local lab, num, next_ = {}, {}, 0
    for i = 1, n do
      local r = find(i)
      if not num[r] then next_ = next_ + 1; num[r] = next_ end
      lab[i] = num[r]
    end
    self.labels_ = np.array(lab, "int64")
    self.n_clusters_ = k
    self.children_ = (Z[{{}, {1, 2}}] + 1):astype("int64")
    self.distances_ = Z[{{}, 3}]:copy()
    self.linkage_matrix_ = Z
    self.n_leaves_, self.n_connected_components_ = n, 1
    self.n_features_in_ = X.shape[2]
    return self
  end
  function AC:fit_predict(X, y) return self:fit(X, y).labels_ end
  M.AgglomerativeClustering = AC
end
