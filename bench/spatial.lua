-- bench/spatial.lua: point-cloud and clustering targets of issue 7 (paired
-- with bench/spatial.py): eigenfeatures at r = 0.1 on the 44,677 dune points,
-- KMeans k=8 on 1,000,000 x 3, DBSCAN on the dune cloud, KDTree build + 10-NN
-- query of 1,000,000 points.
local function best(f, reps)
  local m = math.huge
  for _ = 1, reps or 3 do
    local t = os.perf_counter(); f(); m = math.min(m, os.perf_counter() - t)
  end
  return m * 1000
end
local function result(case, ms) print(("RESULT %s %.3f"):format(case, ms)) end

local dunes = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
result("eigenfeatures_r0.1_44677", best(function()
  local f = spatial.eigenfeatures(dunes, {radius = {0.1}})
end, 3))
result("eigenfeatures_3scales_44677", best(function()
  local f = spatial.eigenfeatures(dunes, {radius = {0.05, 0.1, 0.5}})
end, 1))
result("dbscan_dunes_eps0.008", best(function()
  local db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(dunes)
end, 3))
-- 1,000,000 points uniform in the unit cube, saved for the Python side
local P = np.random.Generator(0):uniform(0, 1, {1000000, 3})
os.execute("mkdir -p bench/out")
np.save("bench/out/spatial_1M.npy", P)
result("kdtree_build_1M", best(function() local t = spatial.KDTree(P) end, 3))
local t = spatial.KDTree(P)
result("kdtree_build_query10_1M", best(function()
  local tt = spatial.KDTree(P)
  local d, i = tt:query(P, {k = 10})
end, 2))
-- the same starting centres on both sides (the first 8 points), so both run
-- the same iterations
local init = P[{{1, 8}}]:copy()
for _, algo in ipairs{"lloyd", "elkan"} do
  local it
  result("kmeans_k8_1M_" .. algo, best(function()
    local km = ml.KMeans{n_clusters = 8, n_init = 1, algorithm = algo, init = init}:fit(P)
    it = km.n_iter_
  end, 2))
  io.stderr:write(("kmeans %s: %d iterations\n"):format(algo, it))
end
