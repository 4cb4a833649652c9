-- spatial_tiles.lua: spatial.tiles and geolab tiles (issue 18). Eigenfeatures
-- over 4 tiles of the dune cloud (every 8th point) equal the single-machine
-- spatial.eigenfeatures{order = "index"} bit for bit; DBSCAN labels equal
-- ml.DBSCAN's outright, on the dune cloud and on a small cloud whose
-- clusters cross tile borders and share a border point (labels from
-- scikit-learn, tests/fixtures/tiles/make_border_cloud.py); the command line
-- with 2 processes gives the same bytes; errors.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = T.tmp("spatial_tiles")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local function same (a, b)   -- every element equal, NaN where NaN
  return a.shape[1] == b.shape[1] and (a:eq(b) | (a:isnan() & b:isnan())):all()
end

local P = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
P = P[{{1, -1, 8}}]:copy()
T.eq(#P, 5585)
np.save(dir .. "/dune8.npy", P)

-- {===== eigenfeatures
local R = {0.05, 0.2}
local plan = spatial.tiles.plan{points = P, dir = dir .. "/ef", tiles = {2, 2}, radius = R}
T.eq(plan.ntiles, 4)
local ncore, nhalo = 0, 0
for _, t in ipairs(plan.tiles) do
  ncore, nhalo = ncore + t.core, nhalo + t.halo
  T.ok(t.core > 0 and t.halo > 0, "every tile has core and halo points")
end
T.eq(ncore, #P, "every point is the core point of exactly one tile")
T.ok(T.read(dir .. "/ef/plan.json"):find('"kind": "eigenfeatures"', 1, true), "plan.json")
local tiled = spatial.tiles.run(dir .. "/ef")
local single = spatial.eigenfeatures(P, {radius = R, order = "index"})
T.ok(same(tiled.eigenvalues, single.eigenvalues), "eigenvalues: bit for bit")
T.ok(same(tiled.features, single.features), "features: bit for bit")
T.ok(same(tiled.X, single.X), "X: bit for bit")
T.eq(tiled.names[12], "linearity_0.2")
T.ok(same(tiled.count, single.count), "counts")
-- the default (tree-order) sums differ by rounding only
local tree = spatial.eigenfeatures(P, {radius = R})
local d = ((tree.eigenvalues - single.eigenvalues):abs() / tree.eigenvalues:abs():nanmax()):nanmax()
T.ok(d < 1e-12, "order='tree' and order='index' agree to rounding: " .. d)
T.err("order must be 'tree' or 'index'", spatial.eigenfeatures, P, {order = "rows"})

-- the command line: plan from the .npy, 4 task processes 2 at a time, merge
local out, rc = T.sh(("'%s' tiles plan %s/dune8.npy --out %s/ef2 --tiles 2x2 --eigenfeatures 0.05,0.2"):format(exe, dir, dir))
T.eq(rc, 0, out)
T.eq(out, ("geolab tiles: 5585 points in 4 tiles (2x2) -> %s/ef2\n"):format(dir))
out, rc = T.sh(("'%s' tiles run %s/ef2 --jobs 2 --threads 1"):format(exe, dir))
T.eq(rc, 0, out)
T.ok(out:find("geolab tiles: eigenfeatures: 5585 points merged -> ", 1, true), out)
T.eq(T.read(dir .. "/ef2/result.npz"), T.read(dir .. "/ef/result.npz"), "CLI, 2 processes, 1 thread: the same bytes")
T.eq(T.listing(dir .. "/ef2/out"), "0001.npz 0002.npz 0003.npz 0004.npz")
-- from a script, 2 task processes at a time
local tj = spatial.tiles.run{dir = dir .. "/ef2", jobs = 2}
T.ok(same(tj.X, single.X), "spatial.tiles.run{jobs = 2}: the same bits")
T.eq(T.read(dir .. "/ef2/logs/0004.log"), "", "a quiet task")
T.err("spatial.tiles.run: jobs must be a positive integer, got 0", spatial.tiles.run, {dir = dir .. "/ef2", jobs = 0})
-- }=====

-- {===== DBSCAN on the dune cloud
plan = spatial.tiles.plan{points = P, dir = dir .. "/db", tiles = {2, 2}, task = "dbscan", eps = 0.02, min_samples = 5}
local tl = spatial.tiles.run{dir = dir .. "/db"}
local m = ml.DBSCAN{eps = 0.02, min_samples = 5}:fit(P)
T.eq(tl.n_clusters, 60)
T.ok(tl.labels:eq(m.labels_):all(), "dune DBSCAN: the single-machine labels")
T.ok(same(tl.core_sample_indices, m.core_sample_indices_), "core samples")
-- some cluster has core points in two tiles (the merge had work to do)
local owner = {}
for t = 1, plan.ntiles do
  local f = np.load(("%s/db/tiles/%04d.npz"):format(dir, t))
  for _, r in ipairs(f.index[f.core:astype("bool")]:totable()) do owner[r] = t end
end
local first, crossing = {}, 0
for r, l in ipairs(tl.labels:totable()) do
  if l > 0 then
    if not first[l] then first[l] = owner[r] elseif first[l] ~= owner[r] and first[l] > 0 then crossing = crossing + 1; first[l] = 0 end
  end
end
T.ok(crossing >= 3, "clusters crossing tile borders: " .. crossing)
-- }=====

-- {===== a border point of two clusters, a cluster across a tile border
local B = np.load("tests/fixtures/tiles/border_cloud.npy")
local want = np.load("tests/fixtures/tiles/border_labels.npy")
spatial.tiles.plan{points = B, dir = dir .. "/bc", tiles = {2, 2}, task = "dbscan", eps = 2.5, min_samples = 7}
local bl = spatial.tiles.run(dir .. "/bc")
T.ok(bl.labels:eq(want):all(), "scikit-learn's labels: " .. tostring(bl.labels))
T.eq(bl.labels[115], 1, "the border point takes the lower label of the two clusters that reach it")
T.eq(bl.labels[116], -1, "noise")
T.ok(ml.DBSCAN{eps = 2.5, min_samples = 7}:fit(B).labels_:eq(want):all(), "ml.DBSCAN agrees")
-- }=====

-- {===== errors
T.err("spatial.tiles.plan: dir (the plan folder) is required", spatial.tiles.plan, {points = P})
T.err("spatial.tiles.plan: task must be 'eigenfeatures' or 'dbscan'", spatial.tiles.plan, {points = P, dir = dir .. "/x", task = "kmeans"})
T.err("spatial.tiles.plan: eps must be > 0", spatial.tiles.plan, {points = P, dir = dir .. "/x", task = "dbscan"})
T.err("spatial.tiles.plan: unknown option 'radii'", spatial.tiles.plan, {points = P, dir = dir .. "/x", radii = 1})
T.err("spatial.tiles.plan: points must be an (n, 3) array", spatial.tiles.plan, {points = np.zeros{4, 2}, dir = dir .. "/x"})
T.err("spatial.tiles.plan: tiles must be {nx, ny} with positive integers", spatial.tiles.plan, {points = P, dir = dir .. "/x", tiles = "2x2"})
T.err("spatial.tiles.plan: tiles must be {nx, ny} with positive integers", spatial.tiles.plan, {points = P, dir = dir .. "/x", tiles = {0, 2}})
T.err("spatial.tiles.plan: min_neighbors must be a positive integer, got 2.5", spatial.tiles.plan, {points = P, dir = dir .. "/x", min_neighbors = 2.5})
T.err("spatial.tiles.plan: radius must be a number or a list of numbers", spatial.tiles.plan, {points = P, dir = dir .. "/x", radius = "big"})
T.err("spatial.tiles.plan: min_samples must be a positive integer", spatial.tiles.plan, {points = P, dir = dir .. "/x", task = "dbscan", eps = 1, min_samples = "5"})
T.err("spatial.tiles.plan: unknown option 'eigenvectors'", spatial.tiles.plan, {points = P, dir = dir .. "/x", eigenvectors = true})
T.err("spatial.tiles.read_plan: expected the plan folder (a string), got number", spatial.tiles.read_plan, 3)
T.err("is not a tile plan", spatial.tiles.task, dir .. "/nothing", 1)
T.err("tile 5 out of range 1..4", spatial.tiles.task, dir .. "/ef", 5)
os.remove(dir .. "/bc/out/0003.npz")
T.err("tiles without a result: 3 (run their tasks first)", spatial.tiles.merge, dir .. "/bc")
spatial.tiles.plan{points = B, dir = dir .. "/bc", tiles = {1, 1}, task = "dbscan", eps = 2.5, min_samples = 7}
T.eq(T.listing(dir .. "/bc/out") .. "|" .. T.listing(dir .. "/bc/tiles"), "|0001.npz", "a new plan clears the old tiles and outputs")
T.ok(T.read(dir .. "/bc/result.npz") == nil, "and the old result")
out, rc = T.sh(("'%s' tiles plan %s/dune8.npy --out %s/e --tiles 2by2 --dbscan 0.1"):format(exe, dir, dir))
T.eq(rc, 2)
T.ok(out:find("--tiles needs NXxNY (e.g. 2x2), got '2by2'", 1, true), out)
os.remove(dir .. "/ef2/tiles/0002.npz")   -- a task that fails: named, nothing merged
os.remove(dir .. "/ef2/result.npz")
out, rc = T.sh(("'%s' tiles run %s/ef2 --jobs 2"):format(exe, dir))
T.eq(rc, 1, out)
T.ok(out:find(("geolab tiles: not merged, tasks failed:\n  task 2: FAILED (exit 1), see %s/ef2/logs/0002.log\n"):format(dir), 1, true), out)
T.ok(T.read(dir .. "/ef2/logs/0002.log"):find("0002.npz", 1, true), "the task's log says why")
T.ok(T.read(dir .. "/ef2/result.npz") == nil, "no result")
T.ok(T.read(dir .. "/ef2/out/0002.npz") == nil, "the failed task removed its older output")
T.err("tiles without a result: 2", spatial.tiles.merge, dir .. "/ef2")
out, rc = T.sh(("'%s' tiles run %s/nothing"):format(exe, dir))
T.eq(rc, 1)
T.ok(out:find("is not a tile plan", 1, true), out)
-- }=====

T.done()
