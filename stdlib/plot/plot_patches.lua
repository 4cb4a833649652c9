-- plot_patches.lua: matplotlib's patches (plt.Polygon, plt.Rectangle,
-- plt.Circle, plt.Ellipse) with ax:add_patch, ax:fill and ax:axline.
-- A patch is a closed outline in data coordinates, drawn filled and/or
-- stroked; its colours follow matplotlib's Patch defaults (facecolor from
-- rcParams patch.facecolor, an edge only when unfilled or forced).
local core = require "geolab.plot_core"
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"
local bare = require("geolab.util").bare

local P = {}

local Patch = {}
local NAMES = {polygon = "Polygon", rectangle = "Rectangle", circle = "Circle", ellipse = "Ellipse"}
-- strict for user code, named as matplotlib names the patch (util.member_index)
local util = require "geolab.util"
function Patch.__index (p, k)
  local v = Patch[k]
  if v ~= nil or type(k) ~= "string" or k:sub(1, 1) == "_" or not util.user_read(2) then return v end
  util.no_member(p, Patch, NAMES[rawget(p, "shape")] or "Patch", k, 2)
end
Patch.__methods = Patch   -- REPL completion
Patch.__tostring = function (p)
  return p.label and ("<%s '%s'>"):format(NAMES[p.shape], tostring(p.label)) or ("<%s>"):format(NAMES[p.shape])
end

local STYLE_OPTS = "color facecolor fc edgecolor ec linewidth lw linestyle ls alpha fill label zorder hatch closed rasterized"

-- Style options checked and turned into colours now, so that add_patch
-- never fails half-way; the rc defaults are taken when the patch is added.
local function style (p, opts, fname)
  local fc = opts.facecolor or opts.fc
  local ec = opts.edgecolor or opts.ec
  if opts.color ~= nil then fc, ec = fc or opts.color, ec or opts.color end
  if fc ~= nil then S.rgba(fc, nil, fname) end
  if ec ~= nil then S.rgba(ec, nil, fname) end
  S.dash(opts.linestyle or opts.ls, 1, fname)
  local lw = opts.linewidth or opts.lw
  if lw ~= nil and (type(lw) ~= "number" or lw < 0) then error(fname .. ": linewidth must be a number >= 0", 3) end
  p.fc_spec, p.ec_spec, p.lw, p.ls = fc, ec, lw, opts.linestyle or opts.ls
  p.alpha, p.filled, p.label, p.zorder = opts.alpha, opts.fill ~= false, opts.label, opts.zorder
  p.closed = opts.closed ~= false
  return p
end

local function num (v, what, fname)
  if type(v) ~= "number" or v ~= v then error(("%s: %s must be a number"):format(fname, what), 3) end
  return v
end
local function point (v, fname)
  if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" then
    error(fname .. ": xy must be a pair {x, y} of numbers", 3)
  end
  return v[1], v[2]
end

-- plt.Polygon(xy, {closed=true, fill=true, facecolor=, edgecolor=, ...}): xy is an
-- N x 2 array or a list of {x, y} pairs.
function P.Polygon (xy, opts)
  opts = S.check("plt.Polygon", opts, S.set(STYLE_OPTS))
  local xs, ys = {}, {}
  if type(xy) == "table" and bare(xy) and type(xy[1]) == "table" and bare(xy[1]) then
    for i, p in ipairs(xy) do
      if type(p[1]) ~= "number" or type(p[2]) ~= "number" then error(("plt.Polygon: vertex %d must be {x, y}"):format(i), 2) end
      xs[i], ys[i] = p[1], p[2]
    end
  else
    local a = Axes._arr(xy, "plt.Polygon")
    local n, shape = core.info(a)
    if #shape ~= 2 or shape[2] ~= 2 then error("plt.Polygon: xy must be an N x 2 array of vertices", 2) end
    local t = core.tolist(a)
    for i = 1, n // 2 do xs[i], ys[i] = t[2 * i - 1], t[2 * i] end
  end
  if #xs == 0 then error("plt.Polygon: xy has no vertices", 2) end
  return setmetatable(style({shape = "polygon", x = xs, y = ys}, opts, "plt.Polygon"), Patch)
end

-- plt.Rectangle(xy, width, height, {angle=0, ...}): xy is the anchor corner.
function P.Rectangle (xy, w, h, opts)
  opts = S.check("plt.Rectangle", opts, S.set(STYLE_OPTS .. " angle"))
  local x, y = point(xy, "plt.Rectangle")
  w, h = num(w, "width", "plt.Rectangle"), num(h, "height", "plt.Rectangle")
  local th = math.rad(opts.angle or 0)
  local c, s = math.cos(th), math.sin(th)
  local xs, ys = {}, {}
  for i, p in ipairs {{0, 0}, {w, 0}, {w, h}, {0, h}} do
    xs[i], ys[i] = x + p[1] * c - p[2] * s, y + p[1] * s + p[2] * c
  end
  local o = {}
  for k, v in pairs(opts) do if k ~= "angle" then o[k] = v end end
  return setmetatable(style({shape = "rectangle", x = xs, y = ys}, o, "plt.Rectangle"), Patch)
end

-- An ellipse as a 100-gon in data coordinates (a circle looks round only
-- with an equal aspect, as in matplotlib).
local function ellipse (shape, cx, cy, a, b, angle, opts, fname)
  local xs, ys = {}, {}
  local th = math.rad(angle or 0)
  local c, s = math.cos(th), math.sin(th)
  for i = 1, 100 do
    local t = 2 * math.pi * (i - 1) / 100
    local u, v = a * math.cos(t), b * math.sin(t)
    xs[i], ys[i] = cx + u * c - v * s, cy + u * s + v * c
  end
  return setmetatable(style({shape = shape, x = xs, y = ys}, opts, fname), Patch)
end

-- plt.Circle(xy, radius, {...})
function P.Circle (xy, r, opts)
  opts = S.check("plt.Circle", opts, S.set(STYLE_OPTS .. " radius"))
  local x, y = point(xy, "plt.Circle")
  r = num(r or opts.radius or 5, "radius", "plt.Circle")
  local o = {}
  for k, v in pairs(opts) do if k ~= "radius" then o[k] = v end end
  return ellipse("circle", x, y, r, r, 0, o, "plt.Circle")
end

-- plt.Ellipse(xy, width, height, {angle=0, ...})
function P.Ellipse (xy, w, h, opts)
  opts = S.check("plt.Ellipse", opts, S.set(STYLE_OPTS .. " angle"))
  local x, y = point(xy, "plt.Ellipse")
  w, h = num(w, "width", "plt.Ellipse"), num(h, "height", "plt.Ellipse")
  local o = {}
  for k, v in pairs(opts) do if k ~= "angle" then o[k] = v end end
  return ellipse("ellipse", x, y, w / 2, h / 2, opts.angle, o, "plt.Ellipse")
end

local function patch_lim (a, axis, pos)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(a[axis]) do
    if v == v and (not pos or v > 0) then lo, hi = math.min(lo, v), math.max(hi, v) end
  end
  if lo > hi then return nil end
  return lo, hi
end

local function patch_draw (self, cv, a, mx, my)
  local s = self._s
  local px, py = {}, {}
  for i = 1, #a.x do px[i] = core.axmap(mx, a.x[i]); py[i] = core.axmap(my, a.y[i]) end
  if a.fill then cv:path(px, py, {fill = a.fill, closed = a.closed}) end
  local lw = a.lw * s
  local dash = S.dash(a.ls, lw)
  if a.edge and lw > 0 and dash ~= false then
    cv:path(px, py, {stroke = a.edge, lw = lw, closed = a.closed, join = "miter", dash = dash or nil})
  end
end

-- Colours of a patch added to `ax`; `cycle` gives the default face colour
-- (ax:fill takes the next colour of the cycle, add_patch rc's patch.facecolor).
local function resolve (ax, p, cycle)
  local face = p.fc_spec or cycle or ax:_rc("patch.facecolor")
  local edge = p.ec_spec
  if edge == nil and (ax:_rc("patch.force_edgecolor") or not p.filled) then edge = ax:_rc("patch.edgecolor") end
  p.kind = "patch"
  p.fill = p.filled and S.rgba(face, p.alpha, "add_patch") or nil
  p.edge = edge and S.rgba(edge, p.alpha, "add_patch") or nil
  p.lw = p.lw or 1.0
  p.z = p.zorder or 1
  p.lim, p.draw = patch_lim, patch_draw
  p.ax = ax
  return p
end

-- ax:add_patch(patch) -> patch
function Axes:add_patch (p)
  if getmetatable(p) ~= Patch then
    error("add_patch: argument #1 must be a patch (plt.Polygon, plt.Rectangle, plt.Circle or plt.Ellipse)", 2)
  end
  if p.ax and p.ax ~= self then error("add_patch: this patch already belongs to another axes", 2) end
  if p.ax == self then return p end
  resolve(self, p)
  return self:_add(p)
end

-- ax:fill(x, y[, color][, x2, y2[, color2]...][, opts]) -> {polygon, ...}: filled
-- polygons, each taking the next colour of the cycle.
function Axes:fill (...)
  local args = table.pack(...)
  local opts = {}
  if args.n > 0 and type(args[args.n]) == "table" and bare(args[args.n]) and args[args.n][1] == nil
     and next(args[args.n]) ~= nil then
    opts = args[args.n]; args[args.n] = nil; args.n = args.n - 1
  end
  opts = S.check("fill", opts, S.set(STYLE_OPTS))
  local polys, i = {}, 1
  while i <= args.n do
    local x, y = args[i], args[i + 1]
    if y == nil then error("fill: x and y are required (fill(x, y[, color]))", 2) end
    local xs, ys = Axes._list(x, "fill"), Axes._list(y, "fill")
    if #xs ~= #ys then error(("fill: x and y must have the same length (%d and %d)"):format(#xs, #ys), 2) end
    local color
    i = i + 2
    if type(args[i]) == "string" then
      color = args[i]
      local c = S.parse_fmt(color)
      color = c or color
      S.rgba(color, nil, "fill")
      i = i + 1
    end
    local pts = {}
    for k = 1, #xs do pts[k] = {xs[k], ys[k]} end
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    if color and not (o.color or o.facecolor or o.fc) then o.facecolor = color end
    polys[#polys + 1] = P.Polygon(pts, o)
  end
  for _, p in ipairs(polys) do
    resolve(self, p, not (p.fc_spec) and self:_color("patch") or nil)
    self:_add(p)
  end
  return polys
end

-- {===== axline

local AXLINE_OPTS = S.set("slope color c linestyle ls linewidth lw alpha label zorder")

local function axline_draw (self, cv, a, mx, my)
  local s = self._s
  local b = self.box
  local x1, y1 = core.axmap(mx, a.xy1[1]), core.axmap(my, a.xy1[2])
  local x2, y2
  if a.xy2 then x2, y2 = core.axmap(mx, a.xy2[1]), core.axmap(my, a.xy2[2])
  else x2, y2 = core.axmap(mx, a.xy1[1] + 1), core.axmap(my, a.xy1[2] + a.slope) end
  if not (x1 == x1 and y1 == y1 and x2 == x2 and y2 == y2) then return end
  local dx, dy = x2 - x1, y2 - y1
  local len = math.sqrt(dx * dx + dy * dy)
  if len == 0 then return end
  -- far enough beyond the box on both sides; the axes clip does the rest
  local reach = 2 * ((b[3] - b[1]) + (b[4] - b[2])) + math.abs(x1 - b[1]) + math.abs(y1 - b[2])
  local ux, uy = dx / len, dy / len
  local lw = a.lw * s
  local dash = S.dash(a.ls, lw)
  if dash == false then return end
  cv:path({x1 - ux * reach, x1 + ux * reach}, {y1 - uy * reach, y1 + uy * reach},
          {stroke = a.color, lw = lw, dash = dash or nil})
end

-- ax:axline(xy1[, xy2][, {slope=, color=, ls=, lw=, label=}]): an infinite
-- straight line through xy1 and xy2, or through xy1 with a slope (linear
-- scales only, as matplotlib). It does not change the data limits.
function Axes:axline (xy1, xy2, opts)
  if type(xy2) == "table" and bare(xy2) and xy2[1] == nil and opts == nil then xy2, opts = nil, xy2 end
  opts = S.check("axline", opts, AXLINE_OPTS)
  local function pair (v, what)
    if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" then
      error(("axline: %s must be a pair {x, y} of numbers"):format(what), 3)
    end
    return {v[1], v[2]}
  end
  xy1 = pair(xy1, "xy1")
  if xy2 ~= nil then xy2 = pair(xy2, "xy2") end
  if (xy2 == nil) == (opts.slope == nil) then error("axline: give exactly one of xy2 and slope", 2) end
  if opts.slope ~= nil then
    if type(opts.slope) ~= "number" then error("axline: slope must be a number", 2) end
    if self.xscale ~= "linear" or self.yscale ~= "linear" then
      error("axline: 'slope' cannot be used with non-linear scales", 2)
    end
  end
  if xy2 and xy1[1] == xy2[1] and xy1[2] == xy2[2] then error("axline: xy1 and xy2 must be different points", 2) end
  local color = S.rgba(opts.color or opts.c or self:_color("line"), opts.alpha, "axline")
  local lw, ls = opts.linewidth or opts.lw or self:_rc("lines.linewidth"), opts.linestyle or opts.ls or "-"
  S.dash(ls, 1, "axline")
  return self:_add {kind = "axline", xy1 = xy1, xy2 = xy2, slope = opts.slope, color = color, lw = lw, ls = ls,
                    label = opts.label, z = opts.zorder or 2, draw = axline_draw, lim = function () return nil end,
                    legend_proxy = {kind = "line", color = color, lw = lw, ls = ls, ms = 6}}
end

-- =====}

function P.install (plt)
  plt.Polygon, plt.Rectangle, plt.Circle, plt.Ellipse = P.Polygon, P.Rectangle, P.Circle, P.Ellipse
end

return P
