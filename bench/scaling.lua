-- bench/scaling.lua: how time grows with the size of a point cloud (issue 19),
-- paired with bench/scaling.py. The dune cloud (44,677 points) is tiled 1, 4
-- and 16 times (grids of 1x1, 2x2 and 4x4 copies, 2 m apart in x and 1 m in
-- y: farther than any radius used, so tiles never see each other and every
-- count grows exactly with the number of tiles). At each size: kd-tree build,
-- radius counts of every point (r = 0.05), eigenfeatures (r = 0.1) and DBSCAN
-- (eps 0.008, min_samples 8). The tiled clouds are saved for the Python side.
local B = dofile("bench/common.lua")
local quick, result, check = B.quick, B.result, B.check
local best = B.timer{reps = 3}
os.execute("mkdir -p bench/out")

local dunes = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
local function tiled(g)
  local parts = {}
  for i = 0, g - 1 do
    for j = 0, g - 1 do parts[#parts + 1] = dunes + np.array{2.0 * i, 1.0 * j, 0} end
  end
  return np.concatenate(parts)
end

for _, g in ipairs(quick and {1, 2} or {1, 2, 4}) do
  local k = g * g
  local P = tiled(g)
  np.save(("bench/out/scaling_%dx.npy"):format(k), P)
  local sfx = ("_%dx"):format(k)
  local t
  result("kdtree_build" .. sfx, best(function() t = spatial.KDTree(P) end))
  check("kdtree_build" .. sfx, "sum_d2", t:query(P, {k = 2})[{{}, 2}]:sum(), "rtol=1e-9")
  local c
  result("radius_count_r0.05" .. sfx, best(function() c = t:query_ball_point(P, 0.05, {return_length = true}) end))
  check("radius_count_r0.05" .. sfx, "neighbours", c:sum())
  local f
  result("eigenfeatures_r0.1" .. sfx, best(function() f = spatial.eigenfeatures(P, {radius = {0.1}}) end, 1))
  check("eigenfeatures_r0.1" .. sfx, "sum_lambda1", np.nansum(f.eigenvalues[{{}, 1, 1}]), "rtol=1e-9")
  local db
  result("dbscan_eps0.008" .. sfx, best(function() db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(P) end))
  check("dbscan_eps0.008" .. sfx, "clusters", db.labels_:max())
  check("dbscan_eps0.008" .. sfx, "noise", db.labels_:eq(-1):astype("int64"):sum())
end
