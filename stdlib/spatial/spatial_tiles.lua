-- spatial_tiles.lua: spatial.tiles, eigenfeatures and DBSCAN over a cloud
-- split into tiles (issue 18). Three steps that talk only through a plan
-- folder, so that each can run on another machine:
--   plan   splits the cloud into an nx x ny grid in (x, y); tile i holds its
--          core points (those it owns: every point is owned by exactly one
--          tile) and its halo (the other points within one radius of the
--          core points' bounding box), with their original rows, in
--          ascending row order, in DIR/tiles/<i>.npz;
--   task   (one per tile: `geolab tiles --task DIR i`) computes the result
--          for the tile's core points from core + halo into DIR/out/<i>.npz;
--   merge  puts the results back in original row order (DIR/result.npz).
-- Exactness. Eigenfeatures: a neighbourhood of a core point lies within one
-- radius of it, so inside core + halo; the tile is in row order, and the
-- task sums in row order (order = "index"), so every value equals
-- spatial.eigenfeatures(P, {order = "index"}) bit for bit. DBSCAN: a core
-- point's neighbour count and its neighbours are exact in its own tile; the
-- task writes the core flags of its core points and the edges from them to
-- their neighbours (original rows); the merge joins core points over those
-- edges (union-find on original rows), numbers the clusters by their lowest
-- core row and gives a border point the smallest label among its core neighbours:
-- ml.DBSCAN's own rules, so the labels equal its labels outright.
local np = require "geolab.array"
local json = require "geolab.report_json"
local kernels = require "geolab.spatial_core"

return function (spatial)

local T = {}
local check_options = spatial._check_options
local KINDS = {eigenfeatures = true, dbscan = true}

local function tile_name (i) return ("%04d"):format(i) end

local readall = require("geolab.util").readfile

local function writeall (path, data, fn)
  local f, err = io.open(path, "wb")
  if not f then error(("%s: cannot write %s"):format(fn, err), 3) end
  f:write(data)
  f:close()
end

-- points: an (n, 3) array, or a file: .xyz/.txt (np.loadtxt), .las, .npy
local function load_points (src, fn)
  if type(src) ~= "string" then
    if type(src) == "table" then src = np.array(src) end
    return src
  end
  local low = src:lower():gsub("%.gz$", "")
  if low:match("%.las$") then return spatial.read_las(src):xyz() end
  if low:match("%.npy$") then return np.load(src) end
  if low:match("%.xyz$") or low:match("%.txt$") or low:match("%.csv$") then
    return np.loadtxt(src, low:match("%.csv$") and {delimiter = ","} or nil)[{{}, {1, 3}}]:copy()
  end
  error(("%s: cannot tell the format of '%s' (.xyz, .txt, .las or .npy)"):format(fn, src), 3)
end

local function read_plan (dir, fn)
  if type(dir) ~= "string" then error(("%s: expected the plan folder (a string), got %s"):format(fn, type(dir)), 3) end
  local text, err = readall(dir .. "/plan.json")
  if not text then error(("%s: %s is not a tile plan (%s)"):format(fn, dir, err), 3) end
  return json.decode(text, dir .. "/plan.json")
end

-- spatial.tiles.read_plan(dir) -> the plan (plan.json) of a plan folder
function T.read_plan (dir) return read_plan(dir, "spatial.tiles.read_plan") end

-- spatial.tiles.plan{points, dir=, tiles={nx, ny}, task="eigenfeatures"|"dbscan",
--   radius=, min_neighbors=3 (eigenfeatures), eps=, min_samples=5 (dbscan)}
function T.plan (o)
  local fn = "spatial.tiles.plan"
  o = check_options(o, {"points", "dir", "tiles", "task", "radius", "min_neighbors", "eps", "min_samples"}, fn)
  if type(o.dir) ~= "string" then error(fn .. ": dir (the plan folder) is required", 2) end
  local kind = o.task or "eigenfeatures"
  if not KINDS[kind] then error(("%s: task must be 'eigenfeatures' or 'dbscan', got %s"):format(fn, tostring(kind)), 2) end
  local P = load_points(o.points, fn)
  if type(P) ~= "userdata" or P.ndim ~= 2 or P.shape[2] ~= 3 then error(fn .. ": points must be an (n, 3) array", 2) end
  P = P:astype("float64")
  if #P == 0 then error(fn .. ": points is empty", 2) end
  local nt = o.tiles or {2, 2}
  if type(nt) == "number" then nt = {nt, 1} end
  if type(nt) ~= "table" then error(fn .. ": tiles must be {nx, ny} with positive integers", 2) end
  local nx = type(nt[1]) == "number" and math.tointeger(nt[1])
  local ny = type(nt[2] or 1) == "number" and math.tointeger(nt[2] or 1)
  if not nx or not ny or nx < 1 or ny < 1 then error(fn .. ": tiles must be {nx, ny} with positive integers", 2) end
  local plan = {kind = kind, n = #P, nx = nx, ny = ny, ntiles = nx * ny}
  local halo
  if kind == "eigenfeatures" then
    local radius = o.radius or {0.05, 0.1, 0.5}
    if type(radius) == "number" then radius = {radius} end
    if type(radius) == "userdata" and radius.totable then radius = radius:totable() end
    if type(radius) ~= "table" or #radius == 0 then error(fn .. ": radius must be a number or a list of numbers", 2) end
    halo = 0
    for _, r in ipairs(radius) do
      if type(r) ~= "number" or not (r > 0) or r == math.huge then error(fn .. ": radius must be > 0, got " .. tostring(r), 2) end
      halo = math.max(halo, r)
    end
    local mn = o.min_neighbors or 3
    if math.type(mn) ~= "integer" or mn < 1 then
      error(fn .. ": min_neighbors must be a positive integer, got " .. tostring(mn), 2)
    end
    plan.radius, plan.min_neighbors = radius, mn
  else
    if o.eps == nil or type(o.eps) ~= "number" or not (o.eps > 0) or o.eps == math.huge then
      error(fn .. ": eps must be > 0, got " .. tostring(o.eps), 2)
    end
    local ms = o.min_samples or 5
    ms = math.type(ms) == "integer" and ms or nil
    if not ms or ms < 1 then error(fn .. ": min_samples must be a positive integer", 2) end
    halo, plan.eps, plan.min_samples = o.eps, o.eps, ms
  end
  -- a margin far above rounding: an extra halo point changes nothing
  plan.halo = halo * (1 + 1e-6)
  if P:isnan():any() or P:isinf():any() then error(fn .. ": points contain NaN or infinite coordinates", 2) end
  local x, y = P[{{}, 1}], P[{{}, 2}]
  local x0, x1, y0, y1 = x:min(), x:max(), y:min(), y:max()
  local wx, wy = (x1 - x0) / nx, (y1 - y0) / ny
  local ix = wx > 0 and ((x - x0) / wx):floor():clip(0, nx - 1):astype("int64") or np.zeros({#P}, "int64")
  local iy = wy > 0 and ((y - y0) / wy):floor():clip(0, ny - 1):astype("int64") or np.zeros({#P}, "int64")
  local owner = iy * nx + ix + 1     -- tile of each point, 1-based, row-major in (y, x)
  fs.makedirs(o.dir .. "/tiles", {exist_ok = true})
  fs.makedirs(o.dir .. "/out", {exist_ok = true})
  -- a plan made again: nothing of the old one may reach the merge
  for _, sub in ipairs {"tiles", "out"} do
    for _, f in ipairs(fs.listdir(o.dir .. "/" .. sub)) do
      if f:match("^%d+%.npz") then os.remove(("%s/%s/%s"):format(o.dir, sub, f)) end
    end
  end
  os.remove(o.dir .. "/result.npz")
  plan.tiles = {}
  for t = 1, nx * ny do
    local own = owner:eq(t)
    local info = {core = 0, halo = 0}
    if own:any() then
      local cx, cy = x[own], y[own]
      local h = plan.halo
      local near = x:ge(cx:min() - h) & x:le(cx:max() + h) & y:ge(cy:min() - h) & y:le(cy:max() + h)
      local keep = own | near
      local rows = np.nonzero(keep)              -- ascending: the tile is in row order
      np.savez(("%s/tiles/%s.npz"):format(o.dir, tile_name(t)),
        {points = P[rows], index = rows, core = own[rows]})
      info.core = own:sum(); info.halo = #rows - info.core
      info.box = {cx:min(), cx:max(), cy:min(), cy:max()}
    end
    plan.tiles[t] = json.object(info, {"core", "halo", "box"})
  end
  writeall(o.dir .. "/plan.json", json.encode(json.object(plan,
    {"kind", "n", "nx", "ny", "ntiles", "halo", "radius", "min_neighbors", "eps", "min_samples", "tiles"}), 1), fn)
  plan.dir = o.dir
  return plan
end

-- spatial.tiles.task(dir, i): tile i's result, into dir/out/<i>.npz
function T.task (dir, i)
  local fn = "spatial.tiles.task"
  local plan = read_plan(dir, fn)
  i = math.tointeger(i) or math.tointeger(tonumber(i))
  if not i or i < 1 or i > plan.ntiles then
    error(("%s: tile %s out of range 1..%d"):format(fn, tostring(i), plan.ntiles), 2)
  end
  local out = ("%s/out/%s.npz"):format(dir, tile_name(i))
  os.remove(out)   -- a task that fails leaves no older result to merge
  if plan.tiles[i].core == 0 then
    writeall(out .. ".empty", "", fn)
    return out
  end
  local tl = np.load(("%s/tiles/%s.npz"):format(dir, tile_name(i)))
  local core = tl.core:astype("bool")
  local corerows = np.nonzero(core)
  local gidx = tl.index[corerows]
  if plan.kind == "eigenfeatures" then
    local f = spatial.eigenfeatures(tl.points, {radius = plan.radius, cores = tl.points[corerows],
      min_neighbors = plan.min_neighbors, order = "index"})
    np.savez(out, {index = gidx, eigenvalues = f.eigenvalues, features = f.features})
  else
    local tree = spatial.KDTree(tl.points)
    local off, nb = tree:query_ball_point(tl.points[corerows], plan.eps, {csr = true})
    local cnt = off[{{2, -1}}] - off[{{1, -2}}]
    local iscore = cnt:ge(plan.min_samples):astype("uint8")
    -- Within the tile: components of its own DBSCAN core points, each rooted
    -- at its lowest row. Out of it: the edges that reach further, from own
    -- core points to halo points (a core point joins, a non-core one is a
    -- border candidate), and for each own non-core point the roots of the
    -- own components that reach it (border candidates). In C: a tile can
    -- hold millions of points (kernels/ml/cluster_dbscan_tiles.c).
    local root, src, dst = kernels.dbscan_tile(corerows, tl.index, off, nb, iscore)
    np.savez(out, {index = gidx, core = iscore, root = root, src = src, dst = dst})
  end
  return out
end

-- the tasks' outputs, in original row order
local function merge_eigen (dir, plan)
  local n, ns = plan.n, #plan.radius
  local eig, feat = np.full({n, ns, 3}, 0 / 0), np.full({n, ns, 14}, 0 / 0)
  for t = 1, plan.ntiles do
    if plan.tiles[t].core > 0 then
      local r = np.load(("%s/out/%s.npz"):format(dir, tile_name(t)))
      eig[r.index] = r.eigenvalues
      feat[r.index] = r.features
    end
  end
  np.savez(dir .. "/result.npz", {eigenvalues = eig, features = feat})
  return spatial._eigen_result(eig, feat, nil, plan.radius)
end

local function merge_dbscan (dir, plan)
  local parts = {index = {}, core = {}, root = {}, src = {}, dst = {}}
  for t = 1, plan.ntiles do
    if plan.tiles[t].core > 0 then
      local r = np.load(("%s/out/%s.npz"):format(dir, tile_name(t)))
      for k, list in pairs(parts) do list[#list + 1] = r[k] end
    end
  end
  local function joined (k, dtype)
    local list = parts[k]
    return #list > 0 and np.concatenate(list):astype(dtype) or np.zeros({0}, dtype)
  end
  -- union-find on original rows over the tiles' components and edges;
  -- clusters numbered by their lowest core row, noise -1, a border point
  -- the smallest label among its core neighbours (ml.DBSCAN's own rules)
  local L, C, ncl = kernels.dbscan_tiles_merge(plan.n, joined("index", "int64"), joined("core", "uint8"),
    joined("root", "int64"), joined("src", "int64"), joined("dst", "int64"))
  np.savez(dir .. "/result.npz", {labels = L, core = C})
  local B = C:astype("bool")
  return {labels = L, core = B, core_sample_indices = np.nonzero(B), n_clusters = ncl}
end

-- spatial.tiles.merge(dir) -> the result, in original row order
function T.merge (dir)
  local fn = "spatial.tiles.merge"
  local plan = read_plan(dir, fn)
  local missing = {}
  for t = 1, plan.ntiles do
    if plan.tiles[t].core > 0 and not fs.isfile(("%s/out/%s.npz"):format(dir, tile_name(t))) then
      missing[#missing + 1] = t
    end
  end
  if #missing > 0 then
    error(("%s: tiles without a result: %s (run their tasks first)"):format(fn, table.concat(missing, ", ")), 2)
  end
  if plan.kind == "eigenfeatures" then return merge_eigen(dir, plan) end
  return merge_dbscan(dir, plan)
end

-- spatial.tiles.run{dir, jobs=1, slurm=nil|{partition=, time=, mem=, ...}}:
-- every task, then the merge. In a script, jobs = 1 runs the tasks in this
-- process one after another (each on all cores), jobs = N as N task
-- processes at a time (`geolab tiles --task`, started through the shell);
-- `geolab tiles run DIR --jobs N | --slurm` does the same from the shell.
function T.run (o, host)
  local fn = "spatial.tiles.run"
  if type(o) == "string" then o = {dir = o} end
  o = check_options(o, {"dir", "jobs", "slurm"}, fn)
  if type(o.dir) ~= "string" then error(fn .. ": dir (the plan folder) is required", 2) end
  local plan = read_plan(o.dir, fn)
  local R = require "geolab.task_runner"
  if o.jobs ~= nil and (math.type(o.jobs) ~= "integer" or o.jobs < 1) then
    error(fn .. ": jobs must be a positive integer, got " .. tostring(o.jobs), 2)
  end
  local dir = fs.abspath(o.dir)   -- for task processes started elsewhere
  local states = R.run({name = "geolab-tiles", dir = dir, n = plan.ntiles, jobs = o.jobs, slurm = o.slurm,
    argv = function (i)
      return {"tiles", "--task", dir, tostring(i), "--threads", tostring(R.task_threads(o))}
    end,
    inproc = function (i) T.task(dir, i) end}, host)
  local bad = R.failures(states)
  if #bad > 0 then error(("%s: %s"):format(fn, table.concat(bad, "; ")), 2) end
  return T.merge(dir)
end

spatial.tiles = T
return T
end
