-- spatial_kdtree.lua: spatial.KDTree against scipy's cKDTree
-- (fixtures: tests/fixtures/spatial/gen_kdtree.py).
local T = require "testlib"
local z = np.load("tests/fixtures/spatial/kdtree.npz")
local veg = np.loadtxt("data/lidar/dunes/vegetation.xyz")

local t = spatial.KDTree(veg)
T.eq(t.n, 4608); T.eq(t.m, 3)
T.ok(tostring(t):find("KDTree"), "tostring")

-- k-NN: same neighbours, same order (no ties in real coordinates)
local d, i = t:query(z.q, {k = 8})
T.eq(i.shape, {400, 8})
T.eq(i:totable(), z.knn_i:totable(), "knn indices")
T.close(d, z.knn_d, 1e-15, 0, "knn distances")

-- one point, k = 1 and k > 1
local d1, i1 = t:query(z.q[1])
T.eq(i1, z.knn_i[{1, 1}]); T.close(d1, z.knn_d[{1, 1}])
local d3, i3 = t:query(z.q[5], {k = 3})
T.eq(i3:totable(), z.knn_i[{5, {1, 3}}]:totable())
local dk1, ik1 = t:query(z.q, {k = 1})
T.eq(ik1:totable(), z.knn_i[{{}, 1}]:totable())

-- ball queries: counts, and sorted lists
local len = t:query_ball_point(z.q, 0.02, {return_length = true})
T.eq(len:totable(), z.ball_len:totable(), "ball lengths")
local lists = t:query_ball_point(z.q, 0.02)
local flat = {}
for _, l in ipairs(lists) do for _, v in ipairs(l:totable()) do flat[#flat + 1] = v end end
T.eq(flat, z.ball_ind:totable(), "ball indices")
local off, ind = t:query_ball_point(z.q, 0.02, {csr = true})
T.eq(ind:totable(), z.ball_ind:totable(), "csr indices")
T.eq(t:query_ball_point(z.q[1], 0.02):totable(), lists[1]:totable())
T.eq(t:query_ball_point(z.q[1], 0.02, {return_length = true}), z.ball_len[1])

-- pairs and count_neighbors
local p = t:query_pairs(0.006)
T.eq(p:totable(), z.pairs:totable(), "query_pairs")
local other = spatial.KDTree(z.q)
T.eq(t:count_neighbors(other, {0.01, 0.05, 0.2}):totable(), z.count:totable(), "count_neighbors")
T.eq(t:count_neighbors(other, 0.05), z.count[2])

-- many exact ties on an integer grid: the same neighbour sets; within equal
-- distances geolab orders by index (scipy's order there is its heap's)
local tg = spatial.KDTree(z.g, {leafsize = 4})
local dg, ig = tg:query(z.g[{{1, 100}}], {k = 6})
T.close(dg, z.grid_d, 0, 0, "grid distances")
local same, ordered = true, true
for r = 1, 100 do
  local a, b = ig[r]:totable(), z.grid_i[r]:totable()
  local da = dg[r]:totable()
  -- compare as sets per distance value
  local last = da[#da]
  local sa, sb = {}, {}
  for c = 1, 6 do
    if da[c] < last then sa[a[c]] = true; sb[b[c]] = true end
    if c > 1 and da[c] == da[c - 1] and a[c] < a[c - 1] then ordered = false end
  end
  for k in pairs(sa) do if not sb[k] then same = false end end
end
T.ok(same, "grid: same neighbours strictly inside the k-th distance")
T.ok(ordered, "grid: ties ordered by index")

-- leaf sizes do not change results
for _, ls in ipairs{1, 2, 7, 64, 10000} do
  local tt = spatial.KDTree(veg, {leafsize = ls})
  local _, ii = tt:query(z.q, {k = 8})
  T.eq(ii:totable(), z.knn_i:totable(), "leafsize " .. ls)
end

-- duplicates everywhere
local dup = np.zeros{50, 3}
local td = spatial.KDTree(dup, {leafsize = 2})
local dd, id = td:query(np.zeros{1, 3}, {k = 5})
T.eq(id:totable(), {{1, 2, 3, 4, 5}}); T.close(dd, np.zeros{1, 5})
T.eq(td:query_ball_point(np.zeros{3}, 1e-9, {return_length = true}), 50)

-- distance_upper_bound: missing neighbours give inf and index 0
local du, iu = t:query(z.q[{{1, 2}}], {k = 8, distance_upper_bound = 1e-9})
T.eq(iu[{1, 2}], 0); T.ok(du[{1, 2}] == math.huge)

-- bad input
T.err("k = 5000 neighbours asked for, the tree has only 4608 points", function() t:query(z.q, {k = 5000}) end)
T.err("radius must be > 0", function() t:query_ball_point(z.q, 0) end)
T.err("radius must be > 0", function() t:query_ball_point(z.q, -1) end)
T.err("NaN or infinite", function() spatial.KDTree(np.array{{0, 0}, {0 / 0, 1}}) end)
T.err("points have 2 coordinates, the tree has 3", function() t:query(np.zeros{4, 2}) end)
T.err("unknown option 'leafsiz' (did you mean 'leafsize'?)", function() spatial.KDTree(veg, {leafsiz = 3}) end)
T.err("leafsize must be a positive integer", function() spatial.KDTree(veg, {leafsize = 0}) end)
T.err("expected a 2-D array", function() spatial.KDTree(np.zeros{3}) end)

-- NaN queries give NaN distances and index 0, never a crash
local dn, inn = t:query(np.array{{0 / 0, 0, 0}}, {k = 2})
T.ok(dn[{1, 1}] ~= dn[{1, 1}]); T.eq(inn[{1, 1}], 0)

-- thread count does not change results
T.same_bits("kdtree_query", [[
  local v = np.loadtxt("data/lidar/dunes/vegetation.xyz")
  local d, i = spatial.KDTree(v):query(v, {k = 10})
  return {distances = d, indices = i}]])
T.same_bits("kdtree_ball", [[
  local v = np.loadtxt("data/lidar/dunes/vegetation.xyz")
  local t = spatial.KDTree(v)
  local offsets, indices = t:query_ball_point(v, 0.05, {csr = true})
  return {offsets = offsets, indices = indices, pairs = t:query_pairs(0.02)}]])

-- the collector counts a tree's arrays: 150 trees of 200,000 points (about 9
-- MB each) built in a loop do not pile up (they did, to 1.4 GB, while the
-- arrays were malloc'ed outside Lua's sight); resident memory after the loop
-- stays within a few trees of where it started
do
  local function rss_mb ()
    for l in io.lines("/proc/self/status") do
      local kb = l:match("^VmRSS:%s*(%d+)")
      if kb then return tonumber(kb) / 1024 end
    end
  end
  local pts = np.random.Generator(7):random({200000, 3})
  collectgarbage()
  local before = rss_mb()
  for _ = 1, 150 do local t = spatial.KDTree(pts); T.eq(t.n, 200000) end
  local grown = rss_mb() - before
  T.ok(grown < 150, ("150 trees in a loop: resident memory grew by %.0f MB"):format(grown))
end

T.done()
