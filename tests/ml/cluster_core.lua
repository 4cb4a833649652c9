-- cluster_core.lua: KMeans, DBSCAN, GaussianMixture, PCA and clustering
-- metrics against scikit-learn 1.2.1 (tests/fixtures/spatial/gen_cluster.py).
local T = require "testlib"
local z = np.load("tests/fixtures/spatial/cluster.npz")
local X = z.X

-- {===== KMeans
for _, algo in ipairs{"lloyd", "elkan"} do
  local km = ml.KMeans{n_clusters = 4, init = z.init, n_init = 1, algorithm = algo}:fit(X)
  T.eq(km.labels_:totable(), z["km_" .. algo .. "_labels"]:totable(), algo .. " labels")
  T.close(km.inertia_, z["km_" .. algo .. "_inertia"][1], 1e-10, 0, algo .. " inertia")
  T.close(km.cluster_centers_, z["km_" .. algo .. "_centers"], 1e-10, 1e-12, algo .. " centres")
  T.eq(km.n_iter_, z["km_" .. algo .. "_niter"][1], algo .. " n_iter")
end
local km = ml.KMeans{n_clusters = 4, init = z.init, n_init = 1}:fit(X)
T.close(km:transform(X[{{1, 20}}]), z.km_transform, 1e-10, 1e-12, "transform")
T.eq(km:predict(X[{{1, -1, 7}}] + 0.3):totable(), z.km_predict:totable(), "predict")
T.close(km:score(X), -km.inertia_, 1e-10)
-- k-means++ runs: reproducible, and as good as the given start here
local a = ml.KMeans{n_clusters = 4, random_state = 1}:fit(X)
local b = ml.KMeans{n_clusters = 4, random_state = 1}:fit(X)
T.eq(a.labels_:totable(), b.labels_:totable(), "same random_state, same labels")
T.ok(a.inertia_ <= z.km_lloyd_inertia[1] * 1.5, "k-means++ start: a reasonable optimum")
local c10 = ml.KMeans{n_clusters = 4, n_init = 10, algorithm = "elkan"}:fit(X)
T.ok(c10.inertia_ <= a.inertia_ * 1.0001, "n_init=10")
T.eq(ml.adjusted_rand_score(c10.labels_, z.km_lloyd_labels), 1.0)
T.eq(ml.KMeans{n_clusters = 4, init = "random"}:fit(X).labels_.shape, {600})
T.ok(tostring(ml.KMeans{n_clusters = 3}):find("KMeans%(n_clusters=3%)"), "repr")
T.err("n_samples=3 should be >= n_clusters=8", function() ml.KMeans{}:fit(X[{{1, 3}}]) end)
T.err("unknown option 'n_cluster' (did you mean 'n_clusters'?)", function() ml.KMeans{n_cluster = 3} end)
T.err("NaN", function() ml.KMeans{n_clusters = 2}:fit(np.array{{0, 0}, {0 / 0, 1}, {1, 1}}) end)
T.err("init should be of shape (4, 3)", function() ml.KMeans{n_clusters = 4, init = z.init[{{1, 3}}]}:fit(X) end)
T.err("X has 2 features", function() km:predict(np.zeros{2, 2}) end)
-- an empty cluster (a start far away) is moved to the farthest point, as in
-- scikit-learn (tests/fixtures/ml/gen_cluster_refs.py)
local refs = np.load("tests/fixtures/ml/cluster_refs.npz")
for _, algo in ipairs{"lloyd", "elkan"} do
  local ke = ml.KMeans{n_clusters = 3, init = np.array{{0, 0}, {0.1, 0}, {100, 100}}, algorithm = algo}:fit(refs.empty_X)
  T.close(ke.inertia_, refs["empty_inertia_" .. algo][1], 1e-12, 0, "empty cluster relocated (" .. algo .. ")")
  T.close(ke.cluster_centers_, refs["empty_centers_" .. algo], 1e-12, 1e-14, "centres after relocation (" .. algo .. ")")
end
-- MiniBatchKMeans: close to the full k-means on well separated blobs
local mb = ml.MiniBatchKMeans{n_clusters = 4, batch_size = 100}:fit(X)
T.ok(ml.adjusted_rand_score(mb.labels_, z.km_lloyd_labels) > 0.95, "MiniBatchKMeans ARI")
-- }=====

-- {===== DBSCAN: identical to scikit-learn on the dune cloud
local dunes = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
local db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(dunes)
T.eq(db.labels_:astype("int32"):totable(), z.db_labels:totable(), "DBSCAN labels on the dunes")
T.eq(db.core_sample_indices_:astype("int32"):totable(), z.db_core:totable(), "core samples")
T.eq(db.components_.shape, {z.db_core.shape[1], 3})
local db2 = ml.DBSCAN{eps = 1.0, min_samples = 4}:fit(X)
T.eq(db2.labels_:totable(), z.db_X_labels:totable(), "DBSCAN on blobs")
T.eq(ml.DBSCAN{eps = 1e-9, min_samples = 2}:fit_predict(X):max(), -1, "all noise")
T.err("eps must be > 0", function() ml.DBSCAN{eps = 0}:fit(X) end)
T.err("eps must be > 0", function() ml.DBSCAN{eps = -1}:fit(X) end)
-- duplicates: all points of a stack are neighbours
local dup = np.zeros{10, 2}
T.eq(ml.DBSCAN{eps = 0.1, min_samples = 10}:fit(dup).labels_:totable(), np.ones({10}, {dtype = "int64"}):totable())
-- }=====

-- {===== GaussianMixture from scikit-learn's initial parameters
local w0 = np.full({4}, 0.25)
local p0 = {full = np.stack({np.eye(3), np.eye(3), np.eye(3), np.eye(3)}, 0), tied = np.eye(3),
  diag = np.ones{4, 3}, spherical = np.ones{4}}
for _, ct in ipairs{"full", "tied", "diag", "spherical"} do
  local gm = ml.GaussianMixture{n_components = 4, covariance_type = ct, weights_init = w0, means_init = z.init,
    precisions_init = p0[ct], max_iter = 50, tol = 1e-10}:fit(X)
  T.close(gm.lower_bound_, z["gm_" .. ct .. "_lb"][1], 0, 1e-6, ct .. " log-likelihood")
  T.close(gm:score(X), z["gm_" .. ct .. "_score"][1], 0, 1e-6, ct .. " score")
  T.close(gm.means_, z["gm_" .. ct .. "_means"], 1e-6, 1e-6, ct .. " means")
  T.close(gm:predict_proba(X[{{1, 10}}]), z["gm_" .. ct .. "_proba"], 1e-5, 1e-6, ct .. " proba")
  T.close(np.array{gm:bic(X), gm:aic(X)}, z["gm_" .. ct .. "_bic"], 1e-8, 0, ct .. " bic/aic")
  T.eq(gm.n_iter_, z["gm_" .. ct .. "_niter"][1], ct .. " n_iter")
end
local gk = ml.GaussianMixture{n_components = 4}:fit(X)
T.ok(ml.adjusted_rand_score(gk:predict(X), z.lab_b) > 0.9, "GMM with k-means init recovers the blobs")
local S, lab = gk:sample(200)
T.eq(S.shape, {200, 3}); T.eq(lab.shape, {200})
T.err("n_components = 9, n_samples = 5", function() ml.GaussianMixture{n_components = 9}:fit(X[{{1, 5}}]) end)
T.err("covariance_type must be", function() ml.GaussianMixture{covariance_type = "ful"}:fit(X) end)
-- }=====

-- {===== PCA
local Y = X:matmul(np.array{{1, 0.3, 0.1}, {0.2, 1, 0.4}, {0, 0.5, 1}}) + np.array{10, -3, 2}
local pca = ml.PCA{}:fit(Y)
T.close(pca.components_, z.pca_components, 1e-10, 1e-12, "components (same signs)")
T.close(pca.explained_variance_ratio_, z.pca_ratio, 1e-12, 0, "variance ratio")
T.close(pca.explained_variance_, z.pca_var, 1e-12); T.close(pca.singular_values_, z.pca_sv, 1e-12)
T.close(pca:transform(Y[{{1, 10}}]), z.pca_T, 1e-10, 1e-12, "transform")
local pw = ml.PCA{n_components = 2, whiten = true}:fit(Y)
T.close(pw:transform(Y[{{1, 10}}]), z.pcaw_T, 1e-10, 1e-12, "whiten")
T.close(pw:inverse_transform(pw:transform(Y[{{1, 10}}])), z.pcaw_inv, 1e-10, 1e-12, "inverse_transform")
T.eq(ml.PCA{n_components = 0.9}:fit(Y).n_components_ <= 3, true)
T.err("n_components=5 must be between 0 and min(n_samples, n_features)=3", function() ml.PCA{n_components = 5}:fit(Y) end)
-- }=====

-- {===== metrics
local names = {"adjusted_rand_score", "normalized_mutual_info_score", "homogeneity_score", "completeness_score",
  "v_measure_score", "mutual_info_score"}
local pairs_ = {{z.lab_b, z.lab_a}, {z.lab_b, z.lab_c}, {z.lab_a, z.lab_c}}
for p, uv in ipairs(pairs_) do
  for m, name in ipairs(names) do
    T.close(ml[name](uv[1], uv[2]), z.ext_metrics[{p, m}], 1e-12, 1e-15, name .. " " .. p)
  end
  T.close(ml.rand_score(uv[1], uv[2]), z.ext_metrics[{p, 8}], 1e-12, 0, "rand_score")
  T.close(ml.fowlkes_mallows_score(uv[1], uv[2]), z.ext_metrics[{p, 9}], 1e-12, 0, "fowlkes_mallows")
end
for i, l in ipairs{z.lab_a, z.lab_c} do
  T.close(ml.silhouette_score(X, l), z.int_metrics[{i, 1}], 1e-12, 0, "silhouette")
  T.close(ml.davies_bouldin_score(X, l), z.int_metrics[{i, 2}], 1e-12, 0, "davies_bouldin")
  T.close(ml.calinski_harabasz_score(X, l), z.int_metrics[{i, 3}], 1e-12, 0, "calinski_harabasz")
end
T.close(ml.silhouette_samples(X, z.lab_a), z.sil_samples, 1e-12, 1e-15, "silhouette_samples")
-- string labels, permuted names
local sa = {}
for i, v in ipairs(z.lab_a:totable()) do sa[i] = ({"w", "x", "y", "z"})[v] end
T.close(ml.adjusted_rand_score(z.lab_b, sa), z.ext_metrics[{1, 1}], 1e-12)
T.eq(ml.adjusted_rand_score({1, 1, 2}, {5, 5, 7}), 1.0)
T.err("Number of labels is 1", function() ml.silhouette_score(X, np.ones{600}) end)
T.err("different lengths", function() ml.adjusted_rand_score({1, 2}, {1, 2, 3}) end)
-- }=====

-- same labels/inertia with 1 and 2 threads
for _, algo in ipairs{"lloyd", "elkan"} do
  T.same_bits("kmeans_" .. algo, ([[
    local X = np.random.Generator(5):normal(0, 1, {30000, 3})
    local km = ml.KMeans{n_clusters = 8, algorithm = "%s"}:fit(X)
    return {centers = km.cluster_centers_, labels = km.labels_, inertia = km.inertia_, n_iter = km.n_iter_}
  ]]):format(algo))
end

T.done()
