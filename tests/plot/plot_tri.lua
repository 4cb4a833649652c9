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
T.done()
