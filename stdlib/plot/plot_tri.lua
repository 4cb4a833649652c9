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
Tri.__index = require("geolab.util").member_index(Tri, "Triangulation")   -- strict, with "did you mean"
Tri.__methods = Tri   -- REPL completion
Tri.__name = "geolab.Triangulation"
Tri.__tostring = function (t) return ("<Triangulation: %d points, %d triangles>"):format(#t._x, t.ntri) end

-- plt.Triangulation(x, y[, triangles]): triangles is an (ntri, 3) array or a
-- list of {i, j, k} with 1-based point numbers.
local function Triangulation (x, y, triangles)
  local ok, xs, ys = pcall(function () return Axes._list(x, "plt.Triangulation"), Axes._list(y, "plt.Triangulation") end)
  if not ok then error((tostring(xs):gsub("^[^:]*:%d+: ", "")), 2) end
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
-- as matplotlib: a third argument is the triangles when it is an integer
-- (ntri, 3) array or a list of {i, j, k}; otherwise it is the data.
local function is_triangles (c)
  if type(c) == "table" and bare(c) then return type(c[1]) == "table" end
  if type(c) ~= "userdata" then return false end
  local ok, _, shape, dtype = pcall(core.info, c)
  return ok and #shape == 2 and shape[2] == 3 and (dtype == "int64" or dtype == "int32")
end
local function tri_args (fname, a, b, c, ...)
  if getmetatable(a) == Tri then return a, b, c, ... end
  local given = is_triangles(c)
  local ok, t = pcall(Triangulation, a, b, given and c or nil)
  if not ok then error((tostring(t):gsub("^[^:]*:%d+: ", ""):gsub("^plt%.Triangulation:", fname .. ":")), 3) end
  if given then return t, ... end
  return t, c, ...
end

local TRIPLOT_OPTS = S.set("rasterized color c linestyle ls linewidth lw marker markersize ms label alpha zorder markerfacecolor mfc markeredgecolor mec")
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

-- {===== tricontour / tricontourf: iso-lines and bands of values given at
-- the points, linear on each triangle

local TRICONT_OPTS = S.set("rasterized levels colors cmap linewidths linestyles alpha vmin vmax label zorder extend")

local function levels_for (fname, z, opts)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(z) do if v == v then lo, hi = math.min(lo, v), math.max(hi, v) end end
  if lo > hi then error(fname .. ": z has no finite values", 3) end
  local lv = opts.levels
  if lv == nil or type(lv) == "number" then
    if lv ~= nil and (lv < 1 or lv % 1 ~= 0) then error(fname .. ": levels must be a positive integer or a list", 3) end
    return core.ticks(lo, hi, (lv or 7) + 1, 1, false), lo, hi
  end
  local t = Axes._list(lv, fname)
  for i = 2, #t do if not (t[i] > t[i - 1]) then error(fname .. ": levels must be increasing", 3) end end
  return t, lo, hi
end

local function tri_z (fname, tri, z)
  local zs = Axes._list(z, fname)
  if #zs ~= #tri._x then error(("%s: z must have one value per point (%d, got %d)"):format(fname, #tri._x, #zs), 3) end
  return zs
end

-- Part of triangle (x, y, z) with lo <= z < hi, clipped one level at a time
-- (Sutherland-Hodgman on the linear field).
local function clip (px, py, pz, level, keep_above)
  local ox, oy, oz = {}, {}, {}
  local n = #px
  for i = 1, n do
    local j = i % n + 1
    local ai = keep_above and pz[i] >= level or (not keep_above and pz[i] < level)
    local aj = keep_above and pz[j] >= level or (not keep_above and pz[j] < level)
    if ai then ox[#ox + 1], oy[#oy + 1], oz[#oz + 1] = px[i], py[i], pz[i] end
    if ai ~= aj then
      local t = (level - pz[i]) / (pz[j] - pz[i])
      ox[#ox + 1], oy[#oy + 1], oz[#oz + 1] = px[i] + t * (px[j] - px[i]), py[i] + t * (py[j] - py[i]), level
    end
  end
  return ox, oy, oz
end

-- ax:tricontourf(tri | x, y[, triangles], z[, {levels=, cmap=, vmin=, vmax=, alpha=}]) -> mappable
function Axes:tricontourf (...)
  local tri, z, opts = tri_args("tricontourf", ...)
  opts = S.check("tricontourf", opts, TRICONT_OPTS)
  local zs = tri_z("tricontourf", tri, z)
  local levels = levels_for("tricontourf", zs, opts)
  local nb = #levels - 1
  if nb < 1 then error("tricontourf: need at least 2 levels", 2) end
  local cm, rev = S.cmap(opts.cmap, "tricontourf")
  local mids = {}
  for i = 1, nb do mids[i] = (levels[i] + levels[i + 1]) / 2 end
  local vmin, vmax = opts.vmin or mids[1], opts.vmax or mids[nb]
  local cols = core.tolist(core.cmap_apply(core.asarray(mids), cm, vmin, vmax, {reverse = rev}))
  local bands = {}
  for b = 1, nb do
    local bx, by = {}, {}
    local top = levels[b + 1]
    if b == nb then top = top + math.abs(top) * 1e-12 + 1e-300 end   -- the top band includes its upper level
    for _, t in ipairs(tri._tris) do
      local px, py, pz = {tri._x[t[1]], tri._x[t[2]], tri._x[t[3]]}, {tri._y[t[1]], tri._y[t[2]], tri._y[t[3]]},
                         {zs[t[1]], zs[t[2]], zs[t[3]]}
      if pz[1] == pz[1] and pz[2] == pz[2] and pz[3] == pz[3] then
        px, py, pz = clip(px, py, pz, levels[b], true)
        if #px >= 3 then px, py = clip(px, py, pz, top, false) end
        if #px >= 3 then
          for k = 1, #px do bx[#bx + 1], by[#by + 1] = px[k], py[k] end
          bx[#bx + 1], by[#by + 1] = 0 / 0, 0 / 0
        end
      end
    end
    bands[b] = {x = core.asarray(bx), y = core.asarray(by), color = {cols[4 * b - 3], cols[4 * b - 2], cols[4 * b - 1], opts.alpha or 1}}
  end
  self:_add {kind = "bands", bands = bands, z = opts.zorder or 1, xlim = {tri.x}, ylim = {tri.y}}
  return {levels = levels, cmap = cm, cmap_r = rev, vmin = vmin, vmax = vmax, mappable = true, ax = self, boundaries = levels}
end

-- ax:tricontour(tri | x, y[, triangles], z[, {levels=, colors=, cmap=, linewidths=}]) -> mappable
function Axes:tricontour (...)
  local tri, z, opts = tri_args("tricontour", ...)
  opts = S.check("tricontour", opts, TRICONT_OPTS)
  local zs = tri_z("tricontour", tri, z)
  local levels, lo, hi = levels_for("tricontour", zs, opts)
  local keep = {}
  for _, l in ipairs(levels) do if l >= lo and l <= hi then keep[#keep + 1] = l end end
  if #keep == 0 then keep = {(lo + hi) / 2} end
  local cm, rev = S.cmap(opts.cmap, "tricontour")
  local segs = {}
  for i, l in ipairs(keep) do
    local sx, sy = {}, {}
    for _, t in ipairs(tri._tris) do
      local pts = {}
      for k = 1, 3 do
        local a, b = t[k], t[k % 3 + 1]
        local za, zb = zs[a], zs[b]
        if (za < l) ~= (zb < l) then
          local f = (l - za) / (zb - za)
          pts[#pts + 1] = {tri._x[a] + f * (tri._x[b] - tri._x[a]), tri._y[a] + f * (tri._y[b] - tri._y[a])}
        end
      end
      if #pts == 2 then
        sx[#sx + 1], sy[#sy + 1] = pts[1][1], pts[1][2]
        sx[#sx + 1], sy[#sy + 1] = pts[2][1], pts[2][2]
        sx[#sx + 1], sy[#sy + 1] = 0 / 0, 0 / 0
      end
    end
    local col
    if opts.colors then
      local c = opts.colors
      col = S.rgba(type(c) == "table" and type(c[1]) ~= "number" and c[(i - 1) % #c + 1] or c, opts.alpha, "tricontour")
    else
      local t = core.tolist(core.cmap_apply(core.asarray({l}), cm, opts.vmin or keep[1], opts.vmax or keep[#keep], {reverse = rev}))
      col = {t[1], t[2], t[3], opts.alpha or 1}
    end
    local ls = opts.linestyles
    if ls == nil and opts.colors and l < 0 then ls = "--" end
    segs[#segs + 1] = {x = core.asarray(sx), y = core.asarray(sy), color = col, level = l, ls = ls}
  end
  self:_add {kind = "contour", segs = segs, lw = opts.linewidths or 1.5, z = opts.zorder or 2,
             xlim = {tri.x}, ylim = {tri.y}, label = opts.label}
  return {levels = keep, cmap = cm, cmap_r = rev, vmin = keep[1], vmax = keep[#keep], mappable = true, ax = self, lines = true}
end

-- =====}

return {Triangulation = Triangulation, Tri = Tri}
