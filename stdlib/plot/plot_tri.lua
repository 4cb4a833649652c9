-- plot_tri.lua: unstructured triangular grids: plt.Triangulation (Delaunay
-- when no triangles are given, kernels/plot/plot_delaunay.c), ax:triplot
-- (edges) and ax:tripcolor (one colour per triangle). Vertex numbers in
-- `triangles` count from 1 (geolab positions; matplotlib's count from 0).
local core = require "geolab.plot_core"
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"
local bare = require("geolab.util").bare
local np = require "geolab.array"

local Tri = {}
Tri.__index = Tri
Tri.__name = "geolab.Triangulation"
Tri.__tostring = function (t) return ("<Triangulation: %d points, %d triangles>"):format(#t._x, t.ntri) end

-- plt.Triangulation(x, y[, triangles]): triangles is an (ntri, 3) array or a
-- list of {i, j, k} with 1-based point numbers.
local function Triangulation (x, y, triangles)
  local xs, ys = Axes._list(x, "plt.Triangulation"), Axes._list(y, "plt.Triangulation")
  if #xs ~= #ys then error(("plt.Triangulation: x and y must have the same length (%d and %d)"):format(#xs, #ys), 2) end
  local tris = {}
  if triangles == nil then
    local ok, t = pcall(core.delaunay, core.asarray(xs), core.asarray(ys))
    if not ok then error((tostring(t):gsub("^[^:]*:%d+: ", "")), 2) end
    local flat = core.tolist(t)
    for i = 1, #flat // 3 do tris[i] = {flat[3 * i - 2], flat[3 * i - 1], flat[3 * i]} end
  else
    local rows
    if type(triangles) == "table" and bare(triangles) and type(triangles[1]) == "table" then rows = triangles
    else
      local a = Axes._arr(triangles, "plt.Triangulation")
      local _, shape = core.info(a)
      if #shape ~= 2 or shape[2] ~= 3 then error("plt.Triangulation: triangles must be an (ntri, 3) array of point numbers", 2) end
      local flat = core.tolist(a)
      rows = {}
      for i = 1, shape[1] do rows[i] = {flat[3 * i - 2], flat[3 * i - 1], flat[3 * i]} end
    end
    for i, r in ipairs(rows) do
      local t = {}
      for k = 1, 3 do
        local v = r[k]
        if type(v) ~= "number" or v % 1 ~= 0 or v < 1 or v > #xs then
          error(("plt.Triangulation: triangle %d refers to point %s; point numbers count from 1 to %d (matplotlib's 0-based triangles + 1)"):format(i, tostring(v), #xs), 2)
        end
        t[k] = math.tointeger(v)
      end
      tris[i] = t
    end
  end
  local flat = {}
  for i, t in ipairs(tris) do flat[3 * i - 2], flat[3 * i - 1], flat[3 * i] = t[1], t[2], t[3] end
  local self = setmetatable({_x = xs, _y = ys, _tris = tris, ntri = #tris, x = core.asarray(xs), y = core.asarray(ys)}, Tri)
  self.triangles = #tris > 0 and np.array(tris, "int64") or np.zeros({0, 3}, "int64")
  return self
end

-- Unique edges, each once, in order of first appearance.
function Tri:edges ()
  if self._edges then return self._edges end
  local seen, out = {}, {}
  for _, t in ipairs(self._tris) do
    for k = 1, 3 do
      local a, b = t[k], t[k % 3 + 1]
      if a > b then a, b = b, a end
      local key = a * 4294967296 + b
      if not seen[key] then seen[key] = true; out[#out + 1] = {a, b} end
    end
  end
  self._edges = out
  return out
end

-- (tri | x, y[, triangles]), rest: the leading arguments of a tri* call.
local function tri_args (fname, a, b, c, ...)
  if getmetatable(a) == Tri then return a, b, c, ... end
  local ok, t = pcall(Triangulation, a, b,
    (type(c) == "userdata" or (type(c) == "table" and bare(c) and type(c[1]) == "table")) and c or nil)
  if not ok then error((tostring(t):gsub("^[^:]*:%d+: ", ""):gsub("^plt%.Triangulation:", fname .. ":")), 3) end
  if type(c) == "userdata" or (type(c) == "table" and bare(c) and type(c[1]) == "table") then return t, ... end
  return t, c, ...
end

local TRIPLOT_OPTS = S.set("color c linestyle ls linewidth lw marker markersize ms label alpha zorder markerfacecolor mfc markeredgecolor mec")
-- ax:triplot(tri | x, y[, triangles][, fmt][, opts]) -> lines, markers: the edges.
function Axes:triplot (...)
  local tri, fmt, opts = tri_args("triplot", ...)
  if type(fmt) == "table" then opts, fmt = fmt, nil end
  opts = S.check("triplot", opts, TRIPLOT_OPTS)
  local color, ls, marker
  if fmt then color, ls, marker = S.parse_fmt(fmt) end
  local ex, ey = {}, {}
  for _, e in ipairs(tri:edges()) do
    ex[#ex + 1] = tri._x[e[1]]; ey[#ey + 1] = tri._y[e[1]]
    ex[#ex + 1] = tri._x[e[2]]; ey[#ey + 1] = tri._y[e[2]]
    ex[#ex + 1] = 0 / 0; ey[#ey + 1] = 0 / 0
  end
  local o = {color = opts.color or opts.c or color, ls = opts.linestyle or opts.ls or (ls ~= "none" and ls) or "-",
             lw = opts.linewidth or opts.lw, label = opts.label, alpha = opts.alpha, zorder = opts.zorder}
  local lines = self:plot(ex, ey, o)
  local m = opts.marker or marker
  local markers
  if m and m ~= "" and m ~= "None" then
    markers = self:plot(tri._x, tri._y, {color = lines.color, ls = "none", marker = m, ms = opts.markersize or opts.ms,
                                          mfc = opts.markerfacecolor or opts.mfc, mec = opts.markeredgecolor or opts.mec,
                                          zorder = opts.zorder})
    markers.nolegend = true
  end
  return lines, markers
end

local function tri_lim (a, axis, pos)
  local l, h = core.finite_range(axis == "x" and a.tri.x or a.tri.y, pos)
  return l, h
end
local function tri_draw (self, cv, a, mx, my)
  local t = a.tri
  local px, py = {}, {}
  for i = 1, #t._x do px[i] = core.axmap(mx, t._x[i]); py[i] = core.axmap(my, t._y[i]) end
  for i, tr in ipairs(t._tris) do
    local c = a.cols[i]
    if c then
      local xs, ys = {px[tr[1]], px[tr[2]], px[tr[3]]}, {py[tr[1]], py[tr[2]], py[tr[3]]}
      -- stroked in its own colour too, so that neighbours leave no hairline seams
      cv:path(xs, ys, {fill = c, stroke = a.edge or c, lw = a.edge and a.lw * self._s or 0.5, closed = true})
    end
  end
end

local TRIPCOLOR_OPTS = S.set("cmap vmin vmax norm alpha shading edgecolors edgecolor linewidth lw zorder facecolors rasterized")
-- ax:tripcolor(tri | x, y[, triangles], C[, {cmap=, vmin=, vmax=, shading="flat"}]):
-- C per point (a triangle takes the mean of its corners, matplotlib's flat
-- shading) or per triangle. Returns a mappable for fig:colorbar.
function Axes:tripcolor (...)
  local tri, C, opts = tri_args("tripcolor", ...)
  opts = S.check("tripcolor", opts, TRIPCOLOR_OPTS)
  if C == nil then error("tripcolor: the colour values C are required", 2) end
  local sh = opts.shading or "flat"
  if sh ~= "flat" and sh ~= "gouraud" then error(("tripcolor: shading must be 'flat' or 'gouraud' (got '%s')"):format(tostring(sh)), 2) end
  local c = Axes._list(C, "tripcolor")
  local vals = {}
  if #c == #tri._x then
    for i, t in ipairs(tri._tris) do vals[i] = (c[t[1]] + c[t[2]] + c[t[3]]) / 3 end
  elseif #c == tri.ntri then vals = c
  else
    error(("tripcolor: C has %d values; it needs one per point (%d) or per triangle (%d)"):format(#c, #tri._x, tri.ntri), 2)
  end
  local cm, rev = S.cmap(opts.cmap, "tripcolor")
  local lo, hi = core.finite_range(core.asarray(#c > 0 and c or {0}))
  local vmin, vmax = opts.vmin or lo or 0, opts.vmax or hi or 1
  local rgba = #vals > 0 and core.tolist(core.cmap_apply(core.asarray(vals), cm, vmin, vmax,
                                          {reverse = rev, alpha = opts.alpha, log = opts.norm == "log"})) or {}
  local cols = {}
  for i = 1, #vals do
    if vals[i] == vals[i] then cols[i] = {rgba[4 * i - 3], rgba[4 * i - 2], rgba[4 * i - 1], rgba[4 * i]} end
  end
  local ec = opts.edgecolors or opts.edgecolor
  local a = self:_add {kind = "tripcolor", tri = tri, cols = cols, z = opts.zorder or 1, lim = tri_lim, draw = tri_draw,
                       edge = ec and ec ~= "none" and S.rgba(ec, nil, "tripcolor") or nil, lw = opts.linewidth or opts.lw or 0.5,
                       cmap = cm, cmap_r = rev, vmin = vmin, vmax = vmax, norm = opts.norm, mappable = true, ax = self}
  self._last_mappable = a
  return a
end

return {Triangulation = Triangulation, Tri = Tri}
