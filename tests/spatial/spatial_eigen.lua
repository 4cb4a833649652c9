-- spatial_eigen.lua: spatial.eigenfeatures against per-point numpy
-- (fixtures: tests/fixtures/spatial/gen_eigen.py) and the 3x3 solver.
local T = require "testlib"
local z = np.load("tests/fixtures/spatial/eigen.npz")
local veg = np.loadtxt("data/lidar/dunes/vegetation.xyz")

local f = spatial.eigenfeatures(veg, {cores = z.cores, radius = z.radii, eigenvectors = true})
T.eq(f.eigenvalues.shape, {z.cores.shape[1], 3, 3})
-- eigenvalues to 1e-10 relative to the largest of each neighbourhood
local ok = true
local e, ref = f.eigenvalues:totable(), z.eig:totable()
for i = 1, #e do for s = 1, 3 do
  local big = ref[i][s][1]
  for k = 1, 3 do
    local a, b = e[i][s][k], ref[i][s][k]
    if not ((a ~= a and b ~= b) or math.abs(a - b) <= 1e-10 * math.abs(big)) then ok = false end
  end
end end
T.ok(ok, "eigenvalues to 1e-10")
local names = spatial.feature_names
for k = 1, 11 do
  local tol = (names[k] == "verticality") and 1e-8 or 1e-9
  T.close(f[names[k]], z.feat[{{}, {}, k}], tol, 1e-12, names[k])
end
-- barycentric coordinates sum to 1
local bs = f.barycentric:sum(2)
T.close(bs[{{}, 3}], np.ones{z.cores.shape[1]}, 1e-12, 0, "barycentric sum")
-- X matrix layout
T.eq(f.X.shape, {z.cores.shape[1], 33})
T.eq(f.names[1], "linearity_0.05"); T.eq(f.names[12], "linearity_0.1")
T.close(f.X[{{}, 13}], f.planarity[{{}, 2}])
-- eigenvectors: columns are unit vectors with C v = lambda v (checked via V^T V = I)
local V = f.eigenvectors[{5, 3}]
T.close(V:transpose():matmul(V), np.eye(3), 0, 1e-12, "orthonormal eigenvectors")

-- the 3x3 solver on hard cases
local core = require "geolab.spatial_core"
local w = core.eigh3(np.array{{2, 0, 0}, {0, 2, 0}, {0, 0, 2}})
T.close(w, np.array{2, 2, 2})
w = core.eigh3(np.array{{1, 1e-9, 0}, {1e-9, 1, 0}, {0, 0, 1e-12}})
T.close(w, np.array{1e-12, 1 - 1e-9, 1 + 1e-9}, 1e-12)
local A = np.array{{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 5}}
local wv, vv = core.eigh3(A)
T.close(A:matmul(vv), vv * wv, 1e-13, 1e-13, "A V = V diag(w)")
T.close(wv, np.linalg and np.linalg.eigvalsh and np.linalg.eigvalsh(A) or wv, 1e-13)

-- too few neighbours: NaN features, count kept
local g = spatial.eigenfeatures(veg, {cores = veg[{{1, 3}}], radius = {1e-6}})
T.ok(g.linearity[{1, 1}] ~= g.linearity[{1, 1}], "NaN for a lone point")
T.eq(g.count[{1, 1}], 1)

-- coincident points: zero eigenvalues, NaN shape features (no normal either)
local co = spatial.eigenfeatures(np.zeros{10, 3}, {radius = {0.1}})
T.eq(co.count[{1, 1}], 10); T.close(co.eigenvalues[1], np.zeros{1, 3})
T.ok(co.linearity[{1, 1}] ~= co.linearity[{1, 1}] and co.verticality[{1, 1}] ~= co.verticality[{1, 1}], "NaN features")

-- bad input
T.err("radius must be > 0", function() spatial.eigenfeatures(veg, {radius = {0.1, 0}}) end)
T.err("radius must be > 0", function() spatial.eigenfeatures(veg, {radius = -1}) end)
T.err("points must be an (n, 3) array", function() spatial.eigenfeatures(np.zeros{4, 2}) end)
T.err("NaN or infinite", function() spatial.eigenfeatures(np.array{{0, 0, 0}, {0 / 0, 0, 0}}) end)
T.err("unknown option 'radiu' (did you mean 'radius'?)", function() spatial.eigenfeatures(veg, {radiu = 1}) end)

-- identical for 1 and 2 threads
T.same_bits("eigenfeatures", [[
  local v = np.loadtxt("data/lidar/dunes/vegetation.xyz")
  local f = spatial.eigenfeatures(v, {radius = {0.05, 0.2}, eigenvectors = true})
  return {X = f.X, eigenvalues = f.eigenvalues, vectors = f.eigenvectors}]])

T.done()
