-- cluster_dbscan.lua: ml.DBSCAN against scikit-learn 1.2.1 on data that
-- stresses its tie rules (tests/fixtures/ml/gen_dbscan.py): a lattice with
-- holes (distances exactly eps), touching blobs with duplicates (border
-- points reached by several clusters), a 20,000-point 3-D cloud; and the
-- same labels whatever the thread count, on the dune cloud tiled past the
-- kd-tree's parallel build threshold.
local T = require "testlib"
local z = np.load("tests/fixtures/ml/dbscan.npz")
local data = {grid = z.grid, blobs = z.blobs, cloud = z.cloud_mm:astype("float64") / 1000}
local cases = {{"grid", 1.0, 4}, {"grid", 1.0, 5}, {"grid", 1.5, 7}, {"blobs", 0.3, 5}, {"blobs", 0.5, 12},
               {"blobs", 0.15, 3}, {"cloud", 0.1, 10}, {"cloud", 0.05, 4}}
for k, c in ipairs(cases) do
  local name, eps, ms = c[1], c[2], c[3]
  local db = ml.DBSCAN{eps = eps, min_samples = ms}:fit(data[name])
  local ref = z["labels" .. (k - 1)]:astype("int64")
  ref = ref + ref:ge(0):astype("int64")          -- clusters 1.., noise -1
  local tag = ("%s eps=%g min_samples=%d"):format(name, eps, ms)
  T.eq(db.labels_:totable(), ref:totable(), tag .. ": labels")
  T.eq(db.core_sample_indices_:totable(), (z["core" .. (k - 1)]:astype("int64") + 1):totable(), tag .. ": core samples")
end
-- min_samples = 1: every point is core; its own cluster when alone
local one = ml.DBSCAN{eps = 0.5, min_samples = 1}:fit(np.array{{0, 0}, {0.4, 0}, {3, 3}, {0.8, 0}})
T.eq(one.labels_:totable(), {1, 1, 2, 1})
T.err("min_samples must be", function() ml.DBSCAN{min_samples = 0}:fit(data.grid) end)

T.same_bits("dbscan_tiled", [[
  local d = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
  local w = d[{{}, 1}]:max() - d[{{}, 1}]:min() + 1
  local tiles = {}
  for a = 0, 1 do for b = 0, 1 do
    local t = d:copy(); t[{{}, 1}] = t[{{}, 1}] + a * w; t[{{}, 2}] = t[{{}, 2}] + b * w; tiles[#tiles + 1] = t
  end end
  local db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(np.concatenate(tiles))
  return {labels = db.labels_, core = db.core_sample_indices_}]])
T.done()
