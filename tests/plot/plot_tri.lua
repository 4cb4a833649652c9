-- plot_tri.lua: plt.Triangulation (Delaunay against matplotlib's qhull
-- result, tests/fixtures/plot/gen_tri.py), triplot and tripcolor.
local T = require "testlib"
local F = dofile("tests/fixtures/plot/tri.lua")

local function sorted_tris (tri)
  local out = {}
  for i, t in ipairs(tri.triangles:totable()) do
    local s = {t[1], t[2], t[3]}
    table.sort(s)
    out[i] = s
  end
  table.sort(out, function (a, b)
    for k = 1, 3 do if a[k] ~= b[k] then return a[k] < b[k] end end
    return false
  end)
  return out
end

do   -- points in general position: the Delaunay triangulation is unique
  local tri = plt.Triangulation(F.x, F.y)
  T.eq(tri.ntri, #F.triangles, "as many triangles as matplotlib")
  T.eq(sorted_tris(tri), F.triangles, "the same triangles as matplotlib (1-based)")
  T.eq(#tri:edges(), F.nedges, "the same number of edges")
  T.eq(tri.triangles.dtype, "int64", "triangles are int64")
  -- counter-clockwise, as matplotlib's
  local ccw = true
  for _, t in ipairs(tri.triangles:totable()) do
    local a, b, c = t[1], t[2], t[3]
    local o = (F.x[b] - F.x[a]) * (F.y[c] - F.y[a]) - (F.y[b] - F.y[a]) * (F.x[c] - F.x[a])
    if o <= 0 then ccw = false end
  end
  T.ok(ccw, "every triangle counter-clockwise")
end
do   -- a grid: cocircular points, 2 triangles per cell, none lost
  local gx, gy = {}, {}
  for i = 0, 9 do for j = 0, 6 do gx[#gx + 1] = i * 0.1; gy[#gy + 1] = j * 0.1 end end
  local tri = plt.Triangulation(gx, gy)
  T.eq(tri.ntri, 2 * 9 * 6, "grid: 2 triangles per cell")
  local area = 0
  for _, t in ipairs(tri.triangles:totable()) do
    local a, b, c = t[1], t[2], t[3]
    area = area + ((gx[b] - gx[a]) * (gy[c] - gy[a]) - (gy[b] - gy[a]) * (gx[c] - gx[a])) / 2
  end
  T.close(area, 0.9 * 0.6, 1e-9, 0, "grid: triangles cover the rectangle exactly")
end
do   -- duplicates are skipped; user triangles count from 1
  local tri = plt.Triangulation({0, 1, 0, 1, 1}, {0, 0, 1, 1, 1})
  T.eq(tri.ntri, 2, "a duplicate point is left out")
  local t2 = plt.Triangulation({0, 1, 0}, {0, 0, 1}, {{1, 2, 3}})
  T.eq(t2.triangles:totable(), {{1, 2, 3}}, "given triangles are kept")
  T.err("plt.Triangulation: triangle 1 refers to point 0; point numbers count from 1 to 3", plt.Triangulation, {0, 1, 0}, {0, 0, 1}, {{0, 1, 2}})
  T.err("plt.Triangulation: need at least 3 finite points", plt.Triangulation, {0, 1}, {0, 1})
  T.err("plt.Triangulation: x and y must have the same length (3 and 2)", plt.Triangulation, {0, 1, 2}, {0, 1})
end
do   -- triplot and tripcolor draw; a bad C is refused before anything changes
  local fig = plt.figure {figsize = {2, 2}, dpi = 100}
  local ax = fig:add_axes {0, 0, 1, 1}
  ax:set_xlim(0, 1); ax:set_ylim(0, 1)
  local tri = plt.Triangulation({0, 1, 0, 1}, {0, 0, 1, 1})
  local tc = ax:tripcolor(tri, {0, 0, 0, 0}, {cmap = "Reds", vmin = -1, vmax = 0})
  T.ok(tc.mappable, "tripcolor returns a mappable")
  local cv = fig:render()
  local r, g, b = cv:pixel(100, 100)
  T.ok(r > 100 and g < 50 and b < 50, "tripcolor fills the triangles with cmap(vmax)")
  T.err("tripcolor: C has 3 values; it needs one per point (4) or per triangle (2)", function () ax:tripcolor(tri, {1, 2, 3}) end)
  T.eq(#ax.artists, 1, "the failed tripcolor added nothing")
  local lines = ax:triplot(tri, "r-", {lw = 3})
  T.eq(#plt._core.tolist(lines.x), 5 * 3, "triplot: 5 edges, each a NaN-separated segment")
  local lines2 = ax:triplot({0, 1, 0}, {0, 0, 1}, {color = "k"})
  T.ok(lines2 ~= nil, "triplot(x, y) triangulates")
  plt.close("all")
end
do   -- tricontourf / tricontour: a plane z = x has straight iso-lines and bands
  local xs, ys = {}, {}
  for i = 0, 10 do for j = 0, 10 do xs[#xs + 1] = i; ys[#ys + 1] = j end end
  local zs = {}
  for i = 1, #xs do zs[i] = xs[i] end
  local tri = plt.Triangulation(xs, ys)
  local fig = plt.figure {figsize = {2, 2}, dpi = 100}
  local ax = fig:add_axes {0, 0, 1, 1}
  ax:set_xlim(0, 10); ax:set_ylim(0, 10)
  local cs = ax:tricontourf(tri, zs, {levels = {0, 5, 10}, cmap = "Reds"})
  T.eq(cs.levels, {0, 5, 10}, "tricontourf keeps the given levels")
  local cv = fig:render()
  local r1, g1 = cv:pixel(50, 100)
  local r2, g2 = cv:pixel(150, 100)
  T.ok(g1 > g2, "tricontourf: the band x < 5 is lighter than x >= 5 (Reds)")
  local area = {0, 0}
  for b = 1, 2 do
    local bx, by = plt._core.tolist(ax.artists[1].bands[b].x), plt._core.tolist(ax.artists[1].bands[b].y)
    local start = 1
    for k = 1, #bx + 1 do
      if k > #bx or bx[k] ~= bx[k] then
        for m = start, k - 2 do area[b] = area[b] + (bx[m] * by[m + 1] - bx[m + 1] * by[m]) / 2 end
        if k - 1 > start then area[b] = area[b] + (bx[k - 1] * by[start] - bx[start] * by[k - 1]) / 2 end
        start = k + 1
      end
    end
  end
  T.close(area, {50, 50}, 1e-9, 0, "tricontourf bands split the square at x = 5")
  local cl = ax:tricontour(tri, zs, {levels = {2.5}, colors = "k"})
  local seg = ax.artists[2].segs[1]
  local sx = plt._core.tolist(seg.x)
  local ok = #sx > 0
  for _, v in ipairs(sx) do if v == v and math.abs(v - 2.5) > 1e-12 then ok = false end end
  T.ok(ok, "tricontour: the iso-line z = 2.5 is the line x = 2.5")
  T.err("tricontourf: z must have one value per point (121, got 3)", function () ax:tricontourf(tri, {1, 2, 3}) end)
  T.err("tricontourf: levels must be increasing", function () ax:tricontourf(tri, zs, {levels = {3, 1}}) end)
  local t3 = ax:tricontourf(np.array(xs), np.array(ys), np.array(zs))
  T.ok(t3.mappable, "tricontourf(x, y, z) triangulates: z is not taken for triangles")
  plt.close("all")
end
T.done()
