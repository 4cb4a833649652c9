-- spatial.lua: the spatial module (global `spatial`), modelled on
-- scipy.spatial: KDTree and its queries, point-cloud eigenfeatures, LAS
-- files. The C half is geolab.spatial_core (stdlib/spatial/spatial_core.c).
local core = require "geolab.spatial_core"
local np = require "geolab.array"
local util = require "geolab.util"

local spatial = {}

-- Returns opts ({} for nil); raises at the caller of the spatial function.
local SP_OPTS = {notable = "%s: options must be a table", strict = true}
local function check_options(opts, allowed, fname)
  opts = util.check_options(opts, allowed, fname, 3, SP_OPTS)
  return opts
end
spatial._check_options = check_options

local function as_points(x, fname)
  if type(x) == "table" then x = require("geolab.util").asarray(x, fname, "float64", 3) end
  if type(x) ~= "userdata" then error(fname .. ": expected an array of points, got " .. type(x), 3) end
  return x
end

-- {===== KDTree

local KDTree = {}
KDTree.__index = util.member_index(KDTree, "KDTree")   -- tree:qeury(...) says "did you mean 'query'?"
KDTree.__methods = KDTree   -- REPL completion
KDTree.__name = "spatial.KDTree"

-- spatial.KDTree(points, {leafsize=16}): a kd-tree over n points in d dimensions.
function spatial.KDTree(points, opts)
  opts = check_options(opts, {"leafsize", "balanced_tree", "compact_nodes", "copy_data"}, "spatial.KDTree")
  points = as_points(points, "spatial.KDTree")
  if points.ndim ~= 2 then
    error(("spatial.KDTree: expected a 2-D array of points (n, d), got %d-D"):format(points.ndim), 2)
  end
  local leafsize = opts.leafsize or 16
  if math.type(leafsize) ~= "integer" or leafsize < 1 then
    error("spatial.KDTree: leafsize must be a positive integer", 2)
  end
  local self = setmetatable({}, KDTree)
  self._t = core.kdtree(points, leafsize)
  self.data = points
  self.n, self.m = points.shape[1], points.shape[2]
  self.leafsize = leafsize
  return self
end

function KDTree:__tostring()
  return ("KDTree(n=%d, m=%d, leafsize=%d)"):format(self.n, self.m, self.leafsize)
end

-- tree:query(x, {k=1, distance_upper_bound=inf}) -> distances, indices (1-based)
-- x one point (1-D): k=1 gives numbers, k>1 1-D arrays; several points (2-D):
-- k=1 gives 1-D arrays (m), k>1 (m, k) arrays. Nearest first, ties by index.
function KDTree:query(x, opts)
  opts = check_options(opts, {"k", "distance_upper_bound", "workers", "eps", "p"}, "KDTree:query")
  if opts.p and opts.p ~= 2 then error("KDTree:query: only p=2 (Euclidean) is supported", 2) end
  x = as_points(x, "KDTree:query")
  local k = opts.k or 1
  if math.type(k) ~= "integer" then error("KDTree:query: k must be an integer", 2) end
  local single = x.ndim == 1
  local d, i = self._t:knn(x, k, opts.distance_upper_bound)
  if single then
    if k == 1 then return d[{1, 1}], i[{1, 1}] end
    return d[1], i[1]
  end
  if k == 1 then return d[{{}, 1}], i[{{}, 1}] end
  return d, i
end

local empty_i64
local function slice(ind, a, b)
  if b < a then
    empty_i64 = empty_i64 or np.zeros({0}, {dtype = "int64"})
    return empty_i64:copy()
  end
  return ind[{{a, b}}]
end

-- tree:query_ball_point(x, r, {return_length=false, csr=false})
-- One point: a 1-D int64 array of the (1-based, sorted) indices within r.
-- Several points: a Lua table of such arrays; with csr=true, two arrays
-- offsets (m+1) and indices: point i's neighbours are indices[offsets[i] .. offsets[i+1]-1].
-- return_length: the counts instead (a number, or an int64 array).
function KDTree:query_ball_point(x, r, opts)
  local fn = "KDTree:query_ball_point"
  opts = check_options(opts, {"return_length", "return_sorted", "csr", "workers", "eps", "p"}, fn)
  x = as_points(x, fn)
  if type(r) == "number" then
    if not (r > 0) then error(("%s: radius must be > 0, got %s"):format(fn, tostring(r)), 2) end
  end
  local single = x.ndim == 1
  if opts.return_length then
    local c = self._t:ball(x, r, true)
    if single then return c[1] end
    return c
  end
  local off, ind = self._t:ball(x, r, false)
  if opts.csr then return off, ind end
  if single then return slice(ind, off[1], off[2] - 1) end
  local out = {}
  local o = off:totable()
  for i = 1, #o - 1 do out[i] = slice(ind, o[i], o[i + 1] - 1) end
  return out
end

-- tree:query_pairs(r) -> (npairs, 2) int64 array of 1-based (i, j), i < j,
-- sorted by i then j.
function KDTree:query_pairs(r, opts)
  local fn = "KDTree:query_pairs"
  check_options(opts, {"output_type", "p", "eps"}, fn)
  if type(r) ~= "number" or not (r > 0) then error(fn .. ": radius must be > 0", 2) end
  return self._t:ball(self.data, r, false, true)
end

-- tree:count_neighbors(other, r) -> number of pairs (x in other, y in self)
-- with |x - y| <= r; r may be a table/array of radii (an int64 array then).
function KDTree:count_neighbors(other, r, opts)
  local fn = "KDTree:count_neighbors"
  check_options(opts, {"p", "weights", "cumulative"}, fn)
  local pts = getmetatable(other) == KDTree and other.data or as_points(other, fn)
  if type(r) == "number" then
    if r < 0 then error(fn .. ": radius must be >= 0", 2) end
    return self._t:count(pts, r)
  end
  local rr = type(r) == "table" and r or r:totable()
  local out = {}
  for i, ri in ipairs(rr) do out[i] = self._t:count(pts, ri) end
  return np.array(out, "int64")
end

spatial.cKDTree = spatial.KDTree

-- }=====

-- {===== eigenfeatures

spatial.feature_names = {"linearity", "planarity", "scattering", "omnivariance", "anisotropy",
  "eigenentropy", "sum", "curvature", "verticality", "count", "density"}
local nfeat = 14

-- spatial.eigenfeatures(points, {radius={0.05, 0.1, 0.5}, cores=points,
--   min_neighbors=3, eigenvectors=false, tree=, leafsize=16, order="tree"})
-- order="index" sums each neighbourhood point by point in row order, so the
-- bits do not depend on the tree (what spatial.tiles reproduces exactly).
-- For every core point and radius: eigenvalues (m, ns, 3), the normalised
-- ones, every feature as an (m, ns) array, barycentric (m, ns, 3), and X, an
-- (m, ns * 11) matrix of all features (scale-major: feature names in `names`).
function spatial.eigenfeatures(points, opts)
  local fn = "spatial.eigenfeatures"
  opts = check_options(opts, {"radius", "cores", "min_neighbors", "eigenvectors", "tree", "leafsize", "order"}, fn)
  local order = opts.order or "tree"
  if order ~= "tree" and order ~= "index" then
    error(fn .. ": order must be 'tree' or 'index', got " .. tostring(order), 2)
  end
  points = as_points(points, fn)
  if points.ndim ~= 2 or points.shape[2] ~= 3 then
    error(fn .. ": points must be an (n, 3) array", 2)
  end
  local radius = opts.radius or {0.05, 0.1, 0.5}
  if type(radius) == "number" then radius = {radius} end
  if type(radius) == "userdata" then radius = radius:totable() end
  for _, r in ipairs(radius) do
    if type(r) ~= "number" or not (r > 0) then
      error(fn .. ": radius must be > 0, got " .. tostring(r), 2)
    end
  end
  local minn = opts.min_neighbors or 3
  local tree = opts.tree or spatial.KDTree(points, {leafsize = opts.leafsize or 16})
  local cores = opts.cores and as_points(opts.cores, fn) or points
  if cores.ndim ~= 2 or cores.shape[2] ~= 3 then error(fn .. ": cores must be an (m, 3) array", 2) end
  local eig, feat, evec = tree._t:eigenfeatures(cores, np.array(radius, "float64"), opts.eigenvectors, minn, order == "index")
  return spatial._eigen_result(eig, feat, evec, radius, tree)
end

-- The result table of eigenfeatures from the kernel's arrays (also the merge
-- of spatial.tiles).
function spatial._eigen_result(eig, feat, evec, radius, tree)
  local res = {eigenvalues = eig, features = feat, eigenvectors = evec, radius = radius, tree = tree}
  local s = eig:sum(2, {keepdims = true})
  res.normalized = eig / s
  for i, name in ipairs(spatial.feature_names) do res[name] = feat[{{}, {}, i}] end
  res.sphericity = res.scattering
  res.barycentric = feat[{{}, {}, {12, 14}}]
  -- X: scale-major feature matrix
  local m, ns = eig.shape[1], #radius
  local X = np.zeros{m, ns * #spatial.feature_names}
  local names = {}
  for si = 1, ns do
    for fi, name in ipairs(spatial.feature_names) do
      local col = (si - 1) * #spatial.feature_names + fi
      X[{{}, col}] = feat[{{}, si, fi}]
      names[col] = ("%s_%g"):format(name, radius[si])
    end
  end
  res.X, res.names = X, names
  return res
end

-- }=====

-- spatial.tiles: eigenfeatures and DBSCAN tile by tile
require("geolab.spatial_tiles")(spatial)

-- LAS files
if core.las_read then
  require("geolab.spatial_las")(spatial, core)
end

return spatial
