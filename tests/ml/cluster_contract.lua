-- cluster_contract.lua: the clustering and decomposition estimators through
-- the estimator contract (as tests/ml/ml_contract.lua does for the supervised
-- ones): options stored as given, unknown options suggest a name,
-- get_params/set_params/clone/tostring, fit returns self, use before fit,
-- NaN in X, feature count at predict time, same random_state same result.
local T = require "testlib"
local X = np.random.Generator(4):normal(0, 1, {80, 3})
X[{{1, 40}, 1}] = X[{{1, 40}, 1}] + 6

local ests = {
  {"KMeans", {n_clusters = 2}, "predict"},
  {"MiniBatchKMeans", {n_clusters = 2, batch_size = 20}, "predict"},
  {"DBSCAN", {eps = 1.5}},
  {"HDBSCAN", {min_cluster_size = 10}},
  {"GaussianMixture", {n_components = 2}, "predict"},
  {"AgglomerativeClustering", {n_clusters = 2}},
  {"SpectralClustering", {n_clusters = 2, affinity = "nearest_neighbors"}},
  {"PCA", {n_components = 2}, "transform"},
  {"TSNE", {perplexity = 10, n_iter = 250}},
}
for _, e in ipairs(ests) do
  local name, opts, method = e[1], e[2], e[3]
  local C = ml[name]
  local m = C(opts)
  for k, v in pairs(opts) do T.eq(m[k], v, name .. " stores " .. k) end
  T.ok(tostring(m):find(name .. "(", 1, true) == 1, name .. " tostring")
  local p = m:get_params()
  for k, v in pairs(opts) do T.eq(p[k], v, name .. " get_params") end
  local c = ml.clone(m)
  T.eq(c:get_params(), p, name .. " clone")
  T.err("ml." .. name .. ": unknown option 'bogus_option'", function() C{bogus_option = 1} end)
  if method then
    T.err("not fitted yet", function() m[method](m, X) end)
  end
  local fitted = (name == "TSNE") and m:fit(X) or m:fit(X)
  T.ok(fitted == m, name .. ": fit returns self")
  if method then
    T.err("features", function() m[method](m, np.zeros{3, 5}) end)
  end
  local bad = X:copy(); bad[{2, 2}] = 0 / 0
  T.err("NaN", function() C(opts):fit(bad) end)
  -- reproducible
  local a, b = C(opts):fit(X), C(opts):fit(X)
  local function first(m)  -- rawget: reading an attribute a model lacks is an error
    return rawget(m, "labels_") or rawget(m, "components_") or rawget(m, "embedding_") or rawget(m, "means_")
  end
  local ra, rb = first(a), first(b)
  T.eq(ra:totable(), rb:totable(), name .. ": same result twice")
  local key = next(opts)
  local s = C(opts); s:set_params{[key] = opts[key]}
  T.eq(s[key], opts[key], name .. " set_params")
  T.err("unknown option", function() s:set_params{bogus_option = 1} end)
end
-- float32 in, float32 out
local X32 = X:astype("float32")
local k32 = ml.KMeans{n_clusters = 2}:fit(X32)
T.eq(k32.cluster_centers_.dtype, "float32"); T.eq(k32:transform(X32).dtype, "float32")
T.eq(ml.KMeans{n_clusters = 2}:fit(X).cluster_centers_.dtype, "float64")
local p32 = ml.PCA{n_components = 2}:fit(X32)
T.eq(p32.components_.dtype, "float32"); T.eq(p32:transform(X32).dtype, "float32")
T.eq(ml.adjusted_rand_score(k32.labels_, ml.KMeans{n_clusters = 2}:fit(X).labels_), 1.0)
T.done()
