-- ml_tsne.lua: ml.TSNE for 2-D views of feature spaces: Barnes-Hut (default,
-- kernels/ml/cluster_tsne_bh.c) or exact (kernels/ml/cluster_tsne.c). Installed into ml_decomposition.lua's table.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.spatial_core"

return function(M)
  local TSNE = base.estimator("TSNE", {n_components = 2, perplexity = 30.0, early_exaggeration = 12.0,
    learning_rate = "auto", n_iter = 1000, n_iter_without_progress = 300, min_grad_norm = 1e-7,
    metric = "euclidean", init = "pca", verbose = 0, random_state = 0, method = "barnes_hut", angle = 0.5,
    n_jobs = base.NONE})

  function TSNE:fit_transform(X, y)
    local fn = self._fname
    X = base.check_X(X, fn, {dtype = "float64"})
    local n = X.shape[1]
    if self.metric ~= "euclidean" then error(fn .. ": only the euclidean metric is supported", 2) end
    if self.perplexity >= n then error(("%s: perplexity (%g) must be less than n_samples (%d)"):format(fn, self.perplexity, n), 2) end
    local k = self.n_components
    if math.type(k) ~= "integer" or k < 1 or k > 16 then error(fn .. ": n_components must be an integer in 1..16", 2) end
    local lr = self.learning_rate
    if lr == "auto" then lr = math.max(n / self.early_exaggeration / 4, 50) end
    local Y0
    if type(self.init) == "userdata" then Y0 = self.init:astype("float64")
    elseif self.init == "pca" then
      Y0 = M.PCA{n_components = k}:fit_transform(X)
      Y0 = Y0 / Y0[{{}, 1}]:std() * 1e-4
    elseif self.init == "random" then
      Y0 = base.rng(self.random_state):normal(0, 1, {n, k}) * 1e-4
    else error(fn .. ": init must be 'pca', 'random' or an array", 2) end
    local Y, kl, it
    if self.method == "barnes_hut" then
      if k ~= 2 then error(fn .. ": method='barnes_hut' gives 2 components; use method='exact' for others", 2) end
      Y, kl, it = core.tsne_bh(X, Y0, self.perplexity, self.early_exaggeration, lr, self.n_iter,
        self.n_iter_without_progress, self.min_grad_norm, self.angle)
    elseif self.method == "exact" then
      Y, kl, it = core.tsne(X, Y0, self.perplexity, self.early_exaggeration, lr, self.n_iter,
        self.n_iter_without_progress, self.min_grad_norm)
    else
      error(fn .. ": method must be 'barnes_hut' or 'exact', got " .. tostring(self.method), 2)
    end
    self.embedding_, self.kl_divergence_, self.n_iter_ = Y, kl, it
    self.learning_rate_ = lr
    self.n_features_in_ = X.shape[2]
    return Y
  end
  function TSNE:fit(X, y) self:fit_transform(X, y); return self end
  M.TSNE = TSNE
end
