-- plot_views.lua: the views practicals need beyond plain axes: 3-D scatter
-- (lidar clouds), ternary diagrams, confusion matrices, scatter matrices,
-- multi-trace waveform panels and image grids.
local core = require "geolab.plot_core"
local T = require "geolab.plot_ticks"
local S = require "geolab.plot_style"
local bare = require("geolab.util").bare  -- data table, not an object (printable lists count)
local pyformat = require "geolab.pyformat"  -- values_format as Python formats it

local V = {}
local plt, Figure, Axes
local function arr (v, f) return Axes._arr(v, f) end
local function list (v, f) return Axes._list(v, f) end
local BLACK = {0, 0, 0, 1}

-- {===== 3-D axes: orthographic view of a box, points sorted back to front

local Axes3D = {}

local function rng (v)
  local lo, hi = core.finite_range(v)
  if not lo then return 0, 1 end
  if lo == hi then return lo - 0.5, hi + 0.5 end
  return lo, hi
end

function V.make3d (ax)
  ax.is3d = true
  ax.elev, ax.azim = 30, -60
  ax.items3d = {}
  ax.axis_on = false
  for k, f in pairs(Axes3D) do ax[k] = f end
end

local SC3_OPTS = S.set("s c color cmap vmin vmax marker alpha edgecolors label depthshade")
-- ax:scatter(x, y, z, {s=, c=, cmap=, vmin=, vmax=, marker=, alpha=})
function Axes3D:scatter (x, y, z, opts)
  if type(z) == "table" and bare(z) and z[1] == nil and next(z) ~= nil then
    error("scatter (3-D axes): z coordinates are required: ax:scatter(x, y, z, {...})", 2)
  end
  opts = S.check("scatter", opts, SC3_OPTS)
  local xa, ya, za = arr(x, "scatter"), arr(y, "scatter"), arr(z, "scatter")
  local n = core.info(xa)
  if core.info(ya) ~= n or core.info(za) ~= n then error("scatter: x, y and z must have the same length", 2) end
  local it = {kind = "scatter3d", x = xa, y = ya, z = za, n = n, s = opts.s or 20, marker = opts.marker or "o", label = opts.label}
  local c = opts.c or opts.color
  if c == nil or type(c) == "string" or (type(c) == "table" and type(c[1]) == "number" and #c ~= n) then
    it.color = S.rgba(c or Axes._color(self, "patch"), opts.alpha, "scatter")
  else
    local ca = arr(c, "scatter")
    if core.info(ca) ~= n then error("scatter: 'c' must have one value per point", 2) end
    it.cmap, it.cmap_r = S.cmap(opts.cmap, "scatter")
    local lo, hi = core.finite_range(ca)
    it.vmin, it.vmax = opts.vmin or lo or 0, opts.vmax or hi or 1
    it.colors = core.cmap_apply(ca, it.cmap, it.vmin, it.vmax, {reverse = it.cmap_r, alpha = opts.alpha})
    it.mappable, it.ax = true, self
  end
  self.items3d[#self.items3d + 1] = it
  return it
end

function Axes3D:plot (x, y, z, opts)
  opts = opts or {}
  local it = {kind = "line3d", x = arr(x, "plot"), y = arr(y, "plot"), z = arr(z, "plot"),
              color = S.rgba(opts.color or Axes._color(self, "line"), opts.alpha, "plot"), lw = opts.lw or opts.linewidth or 1.5,
              label = opts.label}
  self.items3d[#self.items3d + 1] = it
  return it
end

function Axes3D:view_init (elev, azim) self.elev, self.azim = elev or 30, azim or -60 end
function Axes3D:set_zlabel (s) self.zlabel = s end
function Axes3D:set_zlim (a, b) self._zlim_user = {a, b} end
function Axes3D:set_box_aspect (a) self.box_aspect = a end
function Axes3D:set_aspect (a) self.aspect3d = a end

-- Data ranges per axis; "equal" aspect gives all axes the largest span.
local function ranges3d (ax)
  local r = {}
  for _, k in ipairs {"x", "y", "z"} do
    local lo, hi = math.huge, -math.huge
    for _, it in ipairs(ax.items3d) do
      local a, b = rng(it[k])
      lo, hi = math.min(lo, a), math.max(hi, b)
    end
    if lo > hi then lo, hi = 0, 1 end
    local u = ax["_" .. k .. "lim_user"]
    if u and u[1] then lo = u[1] end
    if u and u[2] then hi = u[2] end
    r[k] = {lo, hi}
  end
  if ax.aspect3d == "equal" or ax.aspect3d == nil then
    local span = 0
    for _, k in ipairs {"x", "y", "z"} do span = math.max(span, r[k][2] - r[k][1]) end
    for _, k in ipairs {"x", "y", "z"} do
      local c = (r[k][1] + r[k][2]) / 2
      r[k] = {c - span / 2, c + span / 2}
    end
  end
  return r
end

-- Projection of normalised coordinates ([-1, 1]^3) for the current view.
local function view (ax)
  local b = ax.box
  local el, az = math.rad(ax.elev), math.rad(ax.azim)
  local e = {math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)}
  local rgt = {-math.sin(az), math.cos(az), 0}
  local up = {-math.sin(el) * math.cos(az), -math.sin(el) * math.sin(az), math.cos(el)}
  local cx, cy = (b[1] + b[3]) / 2, (b[2] + b[4]) / 2
  local sc = math.min(b[3] - b[1], b[4] - b[2]) / 2 / 1.75
  return e, rgt, up, cx, cy, sc
end

function Axes3D:_decor_special () return 0, 0, 0, 0 end

function Axes3D:_draw_special (cv)
  local s = self._s
  local r = ranges3d(self)
  local e, rgt, up, cx, cy, sc = view(self)
  local function proj (p)   -- p normalised
    return cx + sc * (p[1] * rgt[1] + p[2] * rgt[2] + p[3] * rgt[3]),
           cy - sc * (p[1] * up[1] + p[2] * up[2] + p[3] * up[3])
  end
  local function norm (k, v) local a = r[k]; return (v - a[1]) / (a[2] - a[1]) * 2 - 1 end
  -- back panes: the faces away from the eye
  local bx, by, bz = e[1] > 0 and -1 or 1, e[2] > 0 and -1 or 1, e[3] > 0 and -1 or 1
  local pane = {0.95, 0.95, 0.95, 1}
  local faces = {
    {{bx, -1, -1}, {bx, 1, -1}, {bx, 1, 1}, {bx, -1, 1}},
    {{-1, by, -1}, {1, by, -1}, {1, by, 1}, {-1, by, 1}},
    {{-1, -1, bz}, {1, -1, bz}, {1, 1, bz}, {-1, 1, bz}},
  }
  for _, f in ipairs(faces) do
    local px, py = {}, {}
    for i, p in ipairs(f) do px[i], py[i] = proj(p) end
    cv:path(px, py, {fill = pane, stroke = {0.8, 0.8, 0.8, 1}, lw = 0.8 * s, closed = true})
  end
  -- ticks and grid on the panes
  local fs = 9 * s
  local grid = {0.85, 0.85, 0.85, 1}
  local function ticks_for (k) return T.inside(T.linear_ticks(r[k][1], r[k][2], 5), r[k][1], r[k][2]) end
  local axes = {
    {k = "x", idx = 1, edge = function (t) return {t, -by, bz} end, out = {0, -by, 0}},
    {k = "y", idx = 2, edge = function (t) return {-bx, t, bz} end, out = {-bx, 0, 0}},
    {k = "z", idx = 3, edge = function (t) return {bx, -by, t} end, out = {0, -by, 0}},
  }
  for _, a in ipairs(axes) do
    local tk = ticks_for(a.k)
    local labels = T.scalar_labels(tk, r[a.k][1], r[a.k][2])
    for i, v in ipairs(tk) do
      local t = norm(a.k, v)
      -- grid lines across the two panes that contain this axis
      for _, f in ipairs {1, 2, 3} do
        if f ~= a.idx then
          local p0, p1 = {0, 0, 0}, {0, 0, 0}
          p0[a.idx], p1[a.idx] = t, t
          local other = 6 - a.idx - f
          local fixed = ({bx, by, bz})[f]
          p0[f], p1[f] = fixed, fixed
          p0[other], p1[other] = -1, 1
          local x0, y0 = proj(p0)
          local x1, y1 = proj(p1)
          cv:path({x0, x1}, {y0, y1}, {stroke = grid, lw = 0.6 * s})
        end
      end
      local p = a.edge(t)
      local q = {p[1] + 0.15 * a.out[1], p[2] + 0.15 * a.out[2], p[3] + 0.15 * a.out[3]}
      if a.k == "z" then q = {p[1] - 0.15 * bx, p[2] + 0.15 * (-by), p[3]} end
      local lx, ly = proj(q)
      cv:text(labels[i], lx, ly, {size = fs, ha = "center", va = "center"})
    end
    local lab = a.k == "x" and self.xlabel or a.k == "y" and self.ylabel or self.zlabel
    if lab then
      local p = a.edge(0)
      local q = {p[1] + 0.42 * a.out[1], p[2] + 0.42 * a.out[2], p[3] + 0.42 * a.out[3]}
      if a.k == "z" then q = {p[1] - 0.5 * bx, p[2] + 0.5 * (-by), p[3]} end
      local lx, ly = proj(q)
      cv:text(T.runs(lab), lx, ly, {size = 10 * s, ha = "center", va = "center"})
    end
  end
  -- data, far to near
  local M = {}
  local function row (v, off)
    local out = {}
    local ks = {"x", "y", "z"}
    local c = off
    for i = 1, 3 do
      local a = r[ks[i]]
      local f = 2 / (a[2] - a[1])
      out[i] = v[i] * f
      c = c + v[i] * (-a[1] * f - 1)
    end
    out[4] = c
    return out
  end
  local U = row({sc * rgt[1], sc * rgt[2], sc * rgt[3]}, cx)
  local W = row({-sc * up[1], -sc * up[2], -sc * up[3]}, cy)
  local D = row({-e[1], -e[2], -e[3]}, 0)
  for i = 1, 4 do M[i], M[4 + i], M[8 + i] = U[i], W[i], D[i] end
  local ident = {0, 1, 0, 1, 0, 1}
  cv:clip(self.box[1], self.box[2], self.box[3] - self.box[1], self.box[4] - self.box[2])
  for _, it in ipairs(self.items3d) do
    local u, v, order = core.project3d(it.x, it.y, it.z, M)
    if it.kind == "line3d" then
      cv:lines(u, v, ident, ident, {color = it.color, lw = it.lw * s})
    else
      local us, vs = core.take(u, order), core.take(v, order)
      local fill = it.colors and core.take(it.colors, order, 4) or it.color
      cv:markers(us, vs, ident, ident, {marker = it.marker, size = math.sqrt(it.s) * s, fill = fill, edge = fill, lw = 0.5 * s})
    end
  end
  cv:unclip()
  if self.title then
    cv:text(T.runs(self.title), (self.box[1] + self.box[3]) / 2, self.box[2] + 12 * s, {size = 12 * s, ha = "center"})
  end
  if self.legend_opts then self:_draw_legend(cv) end
end

-- =====}

-- {===== ternary diagrams

local SQ3 = math.sqrt(3) / 2

-- Cartesian coordinates of compositions (a, b, c), each row normalised to 1:
-- A at the bottom left, B at the bottom right, C at the top.
function V.ternary_coords (a, b, c, fname)
  fname = fname or "plt.ternary_coords"
  local A, B, C = list(a, fname), list(b, fname), list(c, fname)
  if #A ~= #B or #A ~= #C then error(("%s: a, b and c must have the same length (%d, %d, %d)"):format(fname, #A, #B, #C), 3) end
  local x, y = {}, {}
  for i = 1, #A do
    local s = A[i] + B[i] + C[i]
    if s > 0 then x[i] = (B[i] + C[i] / 2) / s; y[i] = C[i] * SQ3 / s
    else x[i], y[i] = 0 / 0, 0 / 0 end
  end
  return core.asarray(x), core.asarray(y)
end

function V.make_ternary (ax, labels, grid)
  if ax.ternary_labels then  -- already drawn (projection="ternary"): only relabel
    if labels then for i = 1, 3 do ax.ternary_labels[i].s = tostring(labels[i]) end end
    return
  end
  ax.axis_on = false
  ax.aspect = "equal"
  ax:set_xlim(-0.12, 1.12); ax:set_ylim(-0.16, SQ3 + 0.1)
  local g = {0.8, 0.8, 0.8, 1}
  if grid ~= false then
    for i = 1, 9 do
      local t = i / 10
      -- lines of constant a, b and c
      ax:plot({t / 2, 1 - t / 2}, {t * SQ3, t * SQ3}, {color = g, lw = 0.6})                 -- c = t
      ax:plot({t, t + (1 - t) / 2}, {0, (1 - t) * SQ3}, {color = g, lw = 0.6})   -- b = t
      ax:plot({1 - t, (1 - t) / 2}, {0, (1 - t) * SQ3}, {color = g, lw = 0.6})               -- a = t
      ax:text(1 - t / 2 + 0.02, t * SQ3, ("%.1f"):format(t), {fontsize = 7, va = "center", color = "0.3"})
      ax:text(t, -0.035, ("%.1f"):format(t), {fontsize = 7, ha = "center", va = "top", color = "0.3"})
      ax:text((1 - t) / 2 - 0.02, (1 - t) * SQ3, ("%.1f"):format(t), {fontsize = 7, ha = "right", va = "center", color = "0.3"})
    end
  end
  ax:plot({0, 1, 0.5, 0}, {0, 0, SQ3, 0}, {color = "k", lw = 1.0})
  labels = labels or {"A", "B", "C"}
  ax.ternary_labels = {
    ax:text(0, -0.08, labels[1], {ha = "center", va = "top", fontsize = 11}),
    ax:text(1, -0.08, labels[2], {ha = "center", va = "top", fontsize = 11}),
    ax:text(0.5, SQ3 + 0.04, labels[3], {ha = "center", va = "bottom", fontsize = 11})}
  for _, a in ipairs(ax.artists) do a.nolegend = true end
  ax.cycle_lines = 0
end

local TERN_OPTS = S.set("labels c color cmap vmin vmax s alpha marker label ax figsize grid title")
-- plt.ternary(a, b, c, {labels={"A","B","C"}, c=, cmap=, s=, ax=, grid=, title=}) -> fig, ax, points
function V.ternary (a, b, c, opts)
  opts = S.check("plt.ternary", opts, TERN_OPTS)
  local x, y = V.ternary_coords(a, b, c, "plt.ternary")   -- before any figure is made
  local fig, ax
  if opts.ax then ax = opts.ax; fig = ax.fig else fig, ax = plt.subplots({figsize = opts.figsize or {6, 5.4}}) end
  V.make_ternary(ax, opts.labels, opts.grid)
  local sc = ax:scatter(x, y, {c = opts.c, color = opts.color, cmap = opts.cmap, vmin = opts.vmin, vmax = opts.vmax,
                               s = opts.s or 12, alpha = opts.alpha, marker = opts.marker, label = opts.label})
  if opts.title then ax:set_title(opts.title) end
  return fig, ax, sc
end

-- =====}

-- {===== confusion matrix

local CM_OPTS = S.set("labels display_labels normalize cmap values_format ax colorbar title figsize xticks_rotation include_values im_kw text_kw")
-- plt.confusion_matrix(cm, {labels=, normalize="true"|"pred"|"all", cmap=, values_format=,
-- include_values=true, im_kw=, text_kw=, colorbar=true}) -> fig, ax, im
function V.confusion_matrix (cm, opts)
  opts = S.check("plt.confusion_matrix", opts, CM_OPTS)
  for _, k in ipairs{"im_kw", "text_kw"} do
    if opts[k] ~= nil and not (type(opts[k]) == "table" and bare(opts[k])) then
      error(("plt.confusion_matrix: %s must be a table of options (e.g. {fontsize = 8}), got %s"):format(k, type(opts[k])), 2)
    end
  end
  local fmtfn
  if opts.values_format ~= nil then
    local err
    fmtfn, err = pyformat.compile(opts.values_format)
    if not fmtfn then error("plt.confusion_matrix: values_format " .. err, 2) end
  end
  local a = arr(cm, "plt.confusion_matrix")
  local _, shape = core.info(a)
  if #shape ~= 2 or shape[1] ~= shape[2] then error("plt.confusion_matrix: cm must be a square 2-D matrix", 2) end
  local n = shape[1]
  local t = core.tolist(a)
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = t[(i - 1) * n + j] end end
  local norm = opts.normalize
  if norm then
    if norm ~= "true" and norm ~= "pred" and norm ~= "all" then
      error(("plt.confusion_matrix: normalize must be 'true', 'pred' or 'all' (got '%s')"):format(tostring(norm)), 2)
    end
    local tot = 0
    for i = 1, n do for j = 1, n do tot = tot + m[i][j] end end
    local out = {}
    for i = 1, n do
      out[i] = {}
      for j = 1, n do
        local d
        if norm == "true" then d = 0; for k = 1, n do d = d + m[i][k] end
        elseif norm == "pred" then d = 0; for k = 1, n do d = d + m[k][j] end
        else d = tot end
        out[i][j] = d > 0 and m[i][j] / d or 0
      end
    end
    m = out
  end
  local fig, ax
  if opts.ax then ax = opts.ax; fig = ax.fig else fig, ax = plt.subplots({figsize = opts.figsize}) end
  -- im_kw overrides the image's options (sklearn: {interpolation, cmap} | im_kw)
  local imo = {cmap = opts.cmap or "viridis"}
  for k, v in pairs(opts.im_kw or {}) do imo[k] = v end
  local cmap = imo.cmap
  local im = ax:imshow(m, imo)
  local labels = opts.display_labels or opts.labels
  if not labels then labels = {} for i = 1, n do labels[i] = tostring(i - 1) end end
  if #labels ~= n then error(("plt.confusion_matrix: %d labels for a %dx%d matrix"):format(#labels, n, n), 2) end
  local pos = {}
  for i = 1, n do pos[i] = i - 1 end
  ax:set_xticks(pos, labels, {rotation = opts.xticks_rotation})
  ax:set_yticks(pos, labels)
  ax:set_xlabel("Predicted label"); ax:set_ylabel("True label")
  -- text colour flips on dark cells, like sklearn's ConfusionMatrixDisplay
  local lo, hi = math.huge, -math.huge
  local integral = true
  for i = 1, n do for j = 1, n do
    lo = math.min(lo, m[i][j]); hi = math.max(hi, m[i][j])
    if m[i][j] ~= math.floor(m[i][j]) then integral = false end
  end end
  local cname, rev = S.cmap(cmap, "plt.confusion_matrix")
  -- sklearn: cmap(1.0) on cells below the middle value, cmap(0) above it
  local dark = core.tolist(core.cmap_apply({1}, cname, 0, 1, {reverse = rev}))
  local light = core.tolist(core.cmap_apply({0}, cname, 0, 1, {reverse = rev}))
  local thresh = (lo + hi) / 2
  -- sklearn's default text: ".2g", or "d" for counts
  fmtfn = fmtfn or pyformat.compile((integral and not norm) and "d" or ".2g")
  if opts.include_values ~= false then
    for i = 1, n do
      for j = 1, n do
        local v = m[i][j]
        local ok, s = pcall(fmtfn, v)
        if not ok then
          error("plt.confusion_matrix: values_format " .. tostring(s):gsub("^[^:]*:%d+: ", ""):gsub("^format spec ", ""), 2)
        end
        local col = v < thresh and {dark[1], dark[2], dark[3], 1} or {light[1], light[2], light[3], 1}
        local to = {ha = "center", va = "center", color = col}
        for k, x in pairs(opts.text_kw or {}) do to[k] = x end
        ax:text(j - 1, i - 1, s, to)
      end
    end
  end
  if opts.colorbar ~= false then fig:colorbar(im, {ax = ax}) end
  if opts.title then ax:set_title(opts.title) end
  return fig, ax, im
end

-- =====}

-- {===== scatter matrix, waveform panel, image grid

-- Columns of a frame-like value: returns names and arrays.
local function columns (df, names)
  if type(df) == "table" and bare(df) and df[1] ~= nil and type(df[1]) == "table" and df[1][2] ~= nil and type(df[1][1]) == "string" then
    local n, c = {}, {}
    for i, p in ipairs(df) do n[i] = p[1]; c[i] = arr(p[2], "scatter_matrix") end
    return n, c
  end
  if not names then
    local ok, cols = pcall(function () return df.columns end)
    if ok and cols ~= nil then
      names = {}
      if type(cols) == "table" then for i, v in ipairs(cols) do names[i] = tostring(v) end
      else
        local ok2, t = pcall(function () return cols:totable() end)
        if ok2 then for i, v in ipairs(t) do names[i] = tostring(v) end end
      end
    elseif type(df) == "table" then
      names = {}
      for k in pairs(df) do if type(k) == "string" then names[#names + 1] = k end end
      table.sort(names)
    end
  end
  if not names or #names == 0 then error("scatter_matrix: could not find columns (pass a frame or {name=values} and names=)", 3) end
  local c = {}
  for i, nm in ipairs(names) do c[i] = arr(df[nm], "scatter_matrix") end
  return names, c
end

-- Gaussian KDE as scipy.stats.gaussian_kde (Scott's factor n^(-1/5) times
-- the sample std, ddof=1), evaluated where pandas' scatter_matrix does: 1000
-- points from the smallest to the largest value. NaNs are left out.
local function kde_line (a)
  local vals = {}
  for _, v in ipairs(core.tolist(a)) do if v == v then vals[#vals + 1] = v end end
  local n = #vals
  if n < 2 then error("scatter_matrix: diagonal='kde' needs at least two values per column", 4) end
  local mean, mn, mx = 0, math.huge, -math.huge
  for _, v in ipairs(vals) do mean = mean + v; mn = math.min(mn, v); mx = math.max(mx, v) end
  mean = mean / n
  local ss = 0
  for _, v in ipairs(vals) do ss = ss + (v - mean) ^ 2 end
  local sd = math.sqrt(ss / (n - 1)) * n ^ (-1 / 5)
  if sd == 0 then error("scatter_matrix: diagonal='kde' needs a column whose values are not all equal", 4) end
  local xs, ys = {}, {}
  local norm = 1 / (n * sd * math.sqrt(2 * math.pi))
  for i = 1, 1000 do
    local x = mn + (mx - mn) * (i - 1) / 999
    if i == 1000 then x = mx end
    local acc = 0
    for _, d in ipairs(vals) do local z = (x - d) / sd; acc = acc + math.exp(-0.5 * z * z) end
    xs[i], ys[i] = x, acc * norm
  end
  return xs, ys
end

-- opts merged with a user's keyword table (hist_kwds, density_kwds), which wins
local function merged (base, kw, name)
  if kw == nil then return base end
  if type(kw) ~= "table" or not bare(kw) then error(("scatter_matrix: %s must be a table of options"):format(name), 4) end
  local o = {}
  for k, v in pairs(base) do o[k] = v end
  for k, v in pairs(kw) do o[k] = v end
  return o
end

local SM_OPTS = S.set("names figsize s alpha c color cmap bins diagonal marker hist_kwds density_kwds")
-- plt.scatter_matrix(frame | {name = values} | {{name, values}, ...}, {names=, s=, alpha=, c=, bins=,
-- diagonal="hist"|"kde", hist_kwds=, density_kwds=})
function V.scatter_matrix (df, opts)
  opts = S.check("scatter_matrix", opts, SM_OPTS)
  local diag = opts.diagonal or "hist"
  if diag ~= "hist" and diag ~= "kde" and diag ~= "density" then
    error(("scatter_matrix: diagonal must be 'hist' or 'kde' (pandas also says 'density'), got %s"):format(tostring(diag)), 2)
  end
  local names, cols = columns(df, opts.names)
  local k = #names
  local fig, axs = plt.subplots(k, k, {figsize = opts.figsize or {2 * k + 1, 2 * k + 1}, squeeze = false})
  for i = 1, k do
    for j = 1, k do
      local ax = axs[i][j]
      if i == j and diag == "hist" then
        ax:hist(cols[i], merged({bins = opts.bins or 20, color = opts.color or "C0", edgecolor = "white", lw = 0.3},
                                opts.hist_kwds, "hist_kwds"))
      elseif i == j then
        local xs, ys = kde_line(cols[i])
        ax:plot(xs, ys, merged({color = opts.color or "C0"}, opts.density_kwds, "density_kwds"))
      else ax:scatter(cols[j], cols[i], {s = opts.s or 6, alpha = opts.alpha or 0.5, c = opts.c, color = opts.color, cmap = opts.cmap, marker = opts.marker}) end
      if i < k then ax.show_xticklabels = false end
      if j > 1 then ax.show_yticklabels = false end
      if i == k then ax:set_xlabel(names[j]) end
      if j == 1 then ax:set_ylabel(names[i]) end
      ax.ticksize = 8
    end
  end
  -- share x within columns and y within rows (diagonal histograms keep their own y)
  for i = 1, k do for j = 1, k do
    if i > 1 then axs[i][j].share_x = axs[1][j] end
    if i ~= j then
      local ref = nil
      for jj = 1, k do if jj ~= i then ref = ref or axs[i][jj] end end
      if axs[i][j] ~= ref then axs[i][j].share_y = ref end
    end
  end end
  if k > 1 then axs[1][1]._yproxy = axs[1][2] end
  return fig, axs
end

local WF_OPTS = S.set("t dt t0 labels figsize color lw linewidth title xlabel datetime")
-- plt.waveforms(traces, {t=, dt=, t0=, labels=, color=, title=}) -> fig, axes:
-- one row per trace (a list of arrays or the rows of a 2-D array), one shared time axis.
function V.waveforms (traces, opts)
  opts = S.check("plt.waveforms", opts, WF_OPTS)
  local list = {}
  if type(traces) == "table" and bare(traces) then
    for i, tr in ipairs(traces) do list[i] = arr(tr, "plt.waveforms") end
  else
    local a = arr(traces, "plt.waveforms")
    local _, shape = core.info(a)
    if #shape == 0 or #shape > 2 then
      error(("plt.waveforms: traces must be a list of arrays, a 1-D or a 2-D array, got a %d-D array"):format(#shape), 2)
    end
    if #shape == 1 then list[1] = a
    else
      local t = core.tolist(a)
      for i = 1, shape[1] do
        local row = {}
        for j = 1, shape[2] do row[j] = t[(i - 1) * shape[2] + j] end
        list[i] = core.asarray(row)
      end
    end
  end
  local n = #list
  if n == 0 then error("plt.waveforms: no traces", 2) end
  local fig, axs = plt.subplots(n, 1, {figsize = opts.figsize or {8, 1.3 * n + 1}, sharex = true, squeeze = false})
  for i, tr in ipairs(list) do
    local ax = axs[i][1]
    local m = core.info(tr)
    local t = opts.t
    if t == nil then
      t = {}
      local dt, t0 = opts.dt or 1, opts.t0 or 0
      for k = 1, m do t[k] = t0 + (k - 1) * dt end
    end
    if opts.datetime then ax:xaxis_date() end
    ax:plot(t, tr, {color = opts.color or "k", lw = opts.lw or opts.linewidth or 0.8})
    local lab = opts.labels and opts.labels[i]
    if lab then ax:text(0.01, 0.95, lab, {transform = "axes", va = "top", fontsize = 9,
                                            bbox = {facecolor = "white", alpha = 0.7, edgecolor = "none"}}) end
    ax.ticksize = 8
  end
  axs[n][1]:set_xlabel(opts.xlabel or (opts.datetime and "Time" or "Time (s)"))
  if opts.title then fig:suptitle(opts.title) end
  local flat = {}
  for i = 1, n do flat[i] = axs[i][1] end
  return fig, flat
end

local IG_OPTS = S.set("nrows ncols titles cmap figsize vmin vmax suptitle")
-- plt.image_grid(images, {nrows=, ncols=, titles=, cmap="gray"}) -> fig, axes (2-D table)
function V.image_grid (images, opts)
  opts = S.check("plt.image_grid", opts, IG_OPTS)
  local list = {}
  if type(images) == "table" and bare(images) then list = images
  elseif type(images) == "userdata" and images.ndim and images.ndim >= 3 then
    local n = #images
    for i = 1, n do list[i] = images[i] end
  else
    error("plt.image_grid: images must be a list of 2-D arrays or an array of images (n x h x w), got " ..
      (type(images) == "userdata" and images.ndim and (images.ndim .. "-D array") or type(images)), 2)
  end
  local n = #list
  if n == 0 then error("plt.image_grid: no images", 2) end
  local ncols = opts.ncols or math.ceil(math.sqrt(n))
  local nrows = opts.nrows or math.ceil(n / ncols)
  local fig, axs = plt.subplots(nrows, ncols, {figsize = opts.figsize or {1.6 * ncols, 1.8 * nrows}, squeeze = false})
  for r = 1, nrows do
    for c = 1, ncols do
      local k = (r - 1) * ncols + c
      local ax = axs[r][c]
      ax:axis("off")
      if list[k] then
        local ok, err = pcall(ax.imshow, ax, list[k], {cmap = opts.cmap or "gray", vmin = opts.vmin, vmax = opts.vmax})
        if not ok then
          plt.close(fig)
          error(("plt.image_grid: image %d: %s"):format(k, (tostring(err):gsub("^[^:]*:%d+: ", ""):gsub("^imshow: ", ""))), 2)
        end
        if opts.titles and opts.titles[k] then ax:set_title(tostring(opts.titles[k]), {fontsize = 9}) end
      end
    end
  end
  if opts.suptitle then fig:suptitle(opts.suptitle) end
  return fig, axs
end

-- =====}

function V.install (p, F, A)
  plt, Figure, Axes = p, F, A
  p.ternary = V.ternary
  p.ternary_coords = function (a, b, c) return V.ternary_coords(a, b, c) end
  p.confusion_matrix = V.confusion_matrix
  p.scatter_matrix = V.scatter_matrix
  p.waveforms = V.waveforms
  p.image_grid = V.image_grid
  -- pandas spells it pd.plotting.scatter_matrix: frame.lua's pd.plotting
  -- fetches it from here on first use
end

return V
