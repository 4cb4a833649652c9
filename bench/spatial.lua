-- bench/spatial.lua: point-cloud and clustering targets of issue 7 (paired
-- with bench/spatial.py): eigenfeatures at r = 0.1 on the 44,677 dune points,
-- KMeans k=8 on 1,000,000 x 3, DBSCAN on the dune cloud, KDTree build + 10-NN
-- query of 1,000,000 points. Each row prints CHECK lines that spatial.py
-- prints too (bench/run.sh compares them).
local B = dofile("bench/common.lua")
local quick, result, check = B.quick, B.result, B.check
local best = B.timer{reps = 3}

local dunes = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
-- per radius: neighbourhoods with at least 3 points, their sizes, and the sum
-- of their largest eigenvalues (the Python loop's eigvalsh(cov)[-1])
local function check_eig(case, f, radii)
  for s, r in ipairs(radii) do
    local l1, cnt = f.eigenvalues[{{}, s, 1}], f.count[{{}, s}]
    check(case, "valid_" .. r, cnt:ge(3):astype("int64"):sum())
    check(case, "neighbours_" .. r, cnt:sum())
    check(case, "sum_lambda1_" .. r, np.nansum(l1), "rtol=1e-9")
  end
end
local f
result("eigenfeatures_r0.1_44677", best(function()
  f = spatial.eigenfeatures(dunes, {radius = {0.1}})
end, 3))
check_eig("eigenfeatures_r0.1_44677", f, {0.1})
if not quick then   -- the Python loop takes minutes
  result("eigenfeatures_3scales_44677", best(function()
    f = spatial.eigenfeatures(dunes, {radius = {0.05, 0.1, 0.5}})
  end, 1))
  check_eig("eigenfeatures_3scales_44677", f, {0.05, 0.1, 0.5})
end
local db
result("dbscan_dunes_eps0.008", best(function()
  db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(dunes)
end, 3))
-- labels: clusters 1.. in order of discovery, noise -1 (scikit-learn: 0.., -1)
local lab = db.labels_
local member = lab:gt(0)
check("dbscan_dunes_eps0.008", "clusters", lab:max())
check("dbscan_dunes_eps0.008", "noise", lab:eq(-1):astype("int64"):sum())
check("dbscan_dunes_eps0.008", "label_checksum", (lab * np.arange(1, #lab + 1))[member]:sum())

-- 1,000,000 points uniform in the unit cube, saved for the Python side
local np_ = quick and 100000 or 1000000
local P = np.random.Generator(0):uniform(0, 1, {np_, 3})
os.execute("mkdir -p bench/out")
np.save("bench/out/spatial_1M.npy", P)
local t
result("kdtree_build_1M", best(function() t = spatial.KDTree(P) end, 3))
local d2 = t:query(P[{{1, 1000}}], {k = 2})
check("kdtree_build_1M", "sum_d2_first1000", d2[{{}, 2}]:sum(), "rtol=1e-12")
local d, i
result("kdtree_build_query10_1M", best(function()
  local tt = spatial.KDTree(P)
  d, i = tt:query(P, {k = 10})
end, 2))
check("kdtree_build_query10_1M", "sum_distances", d:sum(), "rtol=1e-12")
check("kdtree_build_query10_1M", "index_checksum", i:sum() - i.size)   -- 0-based, as scipy's
-- the same starting centres on both sides (the first 8 points), so both run
-- the same iterations
local init = P[{{1, 8}}]:copy()
for _, algo in ipairs{"lloyd", "elkan"} do
  local km
  result("kmeans_k8_1M_" .. algo, best(function()
    km = ml.KMeans{n_clusters = 8, n_init = 1, algorithm = algo, init = init}:fit(P)
  end, 2))
  check("kmeans_k8_1M_" .. algo, "n_iter", km.n_iter_)
  check("kmeans_k8_1M_" .. algo, "inertia", km.inertia_, "rtol=1e-9")
end
