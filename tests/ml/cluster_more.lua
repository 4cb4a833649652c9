-- cluster_more.lua: AgglomerativeClustering against scipy/scikit-learn and
-- stats.gaussian_kde against scipy (tests/fixtures/spatial/gen_more.py).
local T = require "testlib"
local z = np.load("tests/fixtures/spatial/more.npz")
local X = z.X

for _, m in ipairs{"ward", "complete", "average", "single"} do
  local ac = ml.AgglomerativeClustering{n_clusters = 4, linkage = m}:fit(X)
  T.eq(ml.adjusted_rand_score(ac.labels_, z["ac_" .. m]), 1.0, m .. ": same partition as scikit-learn")
  T.close(ac.distances_, z["Z_" .. m][{{}, 3}], 1e-10, 1e-12, m .. ": merge distances as scipy")
  T.close(ac.linkage_matrix_[{{}, 4}], z["Z_" .. m][{{}, 4}], 0, 0, m .. ": cluster sizes")
  T.eq(ac.n_clusters_, 4)
end
local at = ml.AgglomerativeClustering{n_clusters = ml.None, distance_threshold = 5}:fit(X)
T.ok(at.n_clusters_ >= 2, "distance_threshold")
T.err("exactly one of n_clusters and distance_threshold", function()
  ml.AgglomerativeClustering{distance_threshold = 5}:fit(X) end)
T.err("linkage must be", function() ml.AgglomerativeClustering{linkage = "median"}:fit(X) end)

local xy = X[{{}, {1, 2}}]:transpose():copy()
for _, bw in ipairs{"scott", "silverman"} do
  local k = stats.gaussian_kde(xy, {bw_method = bw})
  T.close(k.factor, z["kde_" .. bw .. "_factor"][1], 1e-14, 0, bw .. " factor")
  T.close(k(z.kde_pts), z["kde_" .. bw], 1e-12, 1e-300, bw .. " density")
end
local kw = stats.gaussian_kde(xy, {weights = z.kde_w_weights})
T.close(kw:evaluate(z.kde_pts), z.kde_w, 1e-12, 1e-300, "weighted density")
local k1 = stats.gaussian_kde(X[{{}, 1}], {bw_method = 0.3})
T.close(k1(np.linspace(-3, 8, 20)), z.kde_1d, 1e-12, 1e-300, "1-D density")
T.eq(k1:resample(10, 1).shape, {1, 10})
T.err("singular", function() stats.gaussian_kde(np.array{{1, 2, 3}, {2, 4, 6}}) end)
T.err("points have dimension 3, dataset has dimension 2", function() stats.gaussian_kde(xy):evaluate(np.zeros{3, 4}) end)

-- two moons: spectral clustering on a k-NN graph and single linkage separate
-- them, k-means does not
local g = np.random.Generator(0)
local n = 150
local t = g:uniform(0, math.pi, {n})
local M1 = np.stack({t:cos(), t:sin()}, 1)
local M2 = np.stack({1 - t:cos(), 0.5 - t:sin()}, 1)
local moons = np.concatenate{M1, M2} + g:normal(0, 0.05, {2 * n, 2})
local ym = np.concatenate{np.ones({n}, {dtype = "int64"}), np.full({n}, 2, {dtype = "int64"})}
local sc = ml.SpectralClustering{n_clusters = 2, affinity = "nearest_neighbors"}:fit(moons)
T.eq(ml.adjusted_rand_score(sc.labels_, ym), 1.0, "spectral (k-NN graph) on two moons")
T.eq(sc.embedding_.shape, {2 * n, 2})
T.eq(ml.adjusted_rand_score(ml.SpectralClustering{n_clusters = 2, gamma = 20}:fit(moons).labels_, ym), 1.0, "spectral rbf")
T.ok(ml.adjusted_rand_score(ml.KMeans{n_clusters = 2}:fit(moons).labels_, ym) < 0.6, "k-means cannot")
T.err("affinity must be", function() ml.SpectralClustering{affinity = "cosine"}:fit(moons) end)

-- HDBSCAN: 4 blobs plus uniform noise
local blobs = np.load("tests/fixtures/spatial/cluster.npz")
local noise = np.random.Generator(3):uniform(-4, 10, {60, 3})
local h = ml.HDBSCAN{min_cluster_size = 15}:fit(np.concatenate{blobs.X, noise})
T.eq(h.labels_:max(), 4, "HDBSCAN finds the 4 blobs")
T.ok(h.labels_[{{601, 660}}]:eq(-1):sum() >= 50, "most uniform noise is noise")
local core_pts = h.labels_[{{1, 600}}]:gt(0)
T.ok(ml.adjusted_rand_score(h.labels_[{{1, 600}}][core_pts], blobs.lab_b[core_pts]) > 0.99, "clustered blob points")
T.ok(h.probabilities_:max() <= 1 and h.probabilities_:min() >= 0, "probabilities in [0, 1]")
local hl = ml.HDBSCAN{min_cluster_size = 15, cluster_selection_method = "leaf"}:fit(blobs.X)
T.ok(hl.labels_:max() >= 4, "leaf selection")
T.err("min_samples=700 is larger than the 600 samples", function() ml.HDBSCAN{min_samples = 700}:fit(blobs.X) end)

-- HDBSCAN against an independent dense reference (gen_more.py: the hdbscan
-- library's steps in numpy): same labels, same probabilities
for _, p in ipairs{{15, 15}, {10, 5}, {30, 3}} do
  local hh = ml.HDBSCAN{min_cluster_size = p[1], min_samples = p[2]}:fit(z.hd_X)
  local key = ("hd_%d_%d_"):format(p[1], p[2])
  T.eq(hh.labels_:totable(), z[key .. "labels"]:totable(), key .. "labels")
  T.close(hh.probabilities_, z[key .. "prob"], 1e-12, 1e-15, key .. "probabilities")
end

-- t-SNE: a 2-D view that keeps the blobs apart, KL close to scikit-learn's
-- (tests/fixtures/ml/gen_cluster_refs.py, init='pca'). Not closer than 0.01:
-- 1000 steps of gradient descent on a non-convex cost amplify the different
-- summation orders of the gradients (and Barnes-Hut's tree), so the two end
-- in slightly different optima; today they differ by 0.006 (exact) and 0.009.
local refs = np.load("tests/fixtures/ml/cluster_refs.npz")
for _, m in ipairs{{"exact", refs.tsne_kl_exact[1]}, {"barnes_hut", refs.tsne_kl_barnes_hut[1]}} do
  local ts = ml.TSNE{method = m[1]}
  local Y = ts:fit_transform(blobs.X)
  T.eq(Y.shape, {600, 2})
  -- sklearn's n_iter_ is the index of the last iteration: 999 for 1000
  T.eq(ts.n_iter_, refs["tsne_n_iter_" .. m[1]][1], m[1] .. ": n_iter_")
  T.ok(math.abs(ts.kl_divergence_ - m[2]) < 0.01, m[1] .. ": KL divergence " .. ts.kl_divergence_ .. ", scikit-learn's " .. m[2])
  T.ok(ml.adjusted_rand_score(ml.KMeans{n_clusters = 4}:fit(Y).labels_, blobs.lab_b) > 0.9, m[1] .. ": blobs stay apart")
end
-- n_iter_ when the optimisation stops early (gradient norm <= min_grad_norm at
-- a progress check) and when it runs out (tests/fixtures/ml/gen_tsne_n_iter.py)
for _, c in ipairs(dofile("tests/fixtures/ml/tsne_n_iter.lua")) do
  local ts = ml.TSNE{method = c.method, perplexity = 20, min_grad_norm = c.min_grad_norm}:fit(blobs.X[{{1, 150}}])
  T.eq(ts.n_iter_, c.n_iter_, ("%s, min_grad_norm %g: n_iter_"):format(c.method, c.min_grad_norm))
end
T.err("method='barnes_hut' gives 2 components", function() ml.TSNE{n_components = 3}:fit_transform(blobs.X) end)
T.err("perplexity (30) must be less than n_samples (10)", function() ml.TSNE{}:fit_transform(blobs.X[{{1, 10}}]) end)

-- t-SNE (Barnes-Hut), HDBSCAN, DBSCAN and the Gaussian mixture give the same
-- bits with 1 and 2 threads
local load = "local X = np.load('tests/fixtures/spatial/cluster.npz').X\n"
T.same_bits("tsne", load .. [[
  local t = ml.TSNE{n_iter = 300}
  return {embedding = t:fit_transform(X), kl = t.kl_divergence_}]])
T.same_bits("hdbscan", load .. [[
  local h = ml.HDBSCAN{min_cluster_size = 10}:fit(X)
  return {labels = h.labels_, probabilities = h.probabilities_}]])
T.same_bits("dbscan", load .. [[
  local d = ml.DBSCAN{eps = 0.8}:fit(X)
  return {labels = d.labels_, core = d.core_sample_indices_}]])
T.same_bits("gaussian_mixture", load .. [[
  local g = ml.GaussianMixture{n_components = 4, covariance_type = "diag"}:fit(X)
  return {means = g.means_, covariances = g.covariances_, weights = g.weights_, score = g:score(X),
          proba = g:predict_proba(X)}]])
T.done()
