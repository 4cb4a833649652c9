-- plot_axes.lua: the Axes of plt: artists (lines, markers, bars, images,
-- contours, text), limits, ticks and their drawing onto a canvas.
-- Sizes are in points and converted with the figure's dpi when drawn.
local core = require "geolab.plot_core"
local T = require "geolab.plot_ticks"
local S = require "geolab.plot_style"
local util = require "geolab.util"
local bare = util.bare  -- data table, not an object (printable lists count)

local Axes = {}
Axes.__index = require("geolab.util").member_index(Axes, "Axes")

local SCALES = {linear = 0, log = 1, symlog = 2}
local unpack = table.unpack

-- Data of any kind as a contiguous float64 array: arrays, Lua tables, and
-- frame objects (Series through __toarray, Index through .values).
local function arr (v, fname)
  if v == nil then error((fname or "plot") .. ": missing data", 3) end
  if type(v) ~= "table" and type(v) ~= "userdata" then
    error(("%s: data must be an array or a list of numbers, got %s%s"):format(fname or "plot", type(v),
          type(v) == "string" and (" '" .. v .. "' (pass the column itself, e.g. df[\"" .. v .. "\"])") or ""), 3)
  end
  if type(v) == "table" and not bare(v) then
    local mt = getmetatable(v)
    if type(mt) == "table" and rawget(mt, "__toarray") then v = mt.__toarray(v)
    else
      local ok, a = pcall(function () return v.values end)
      if ok and a ~= nil then v = a end
    end
  end
  return core.asarray(v, fname)
end
local function list (v, fname) return core.tolist(arr(v, fname)) end
local function size (v) return (core.info(v)) end
local function isdt (v)
  if type(v) ~= "table" and type(v) ~= "userdata" then return false end
  local ok, r = pcall(function () return v.is_datetime end)
  return ok and r == true
end
Axes._arr, Axes._isdt, Axes._list = arr, isdt, list

function Axes.new (fig, opts)
  local rc = fig and fig.rc or S.rc
  local ax = setmetatable({
    fig = fig, artists = {}, xscale = "linear", yscale = "linear", linthresh = {x = 1, y = 1},
    title = nil, xlabel = nil, ylabel = nil, show_grid = rc["axes.grid"], legend_opts = nil,
    cycle_lines = 0, cycle_patches = 0, aspect = "auto", xdate = false, ydate = false,
    facecolor = S.rgba(rc["axes.facecolor"], nil, "rcParams"), axis_on = true, xtick_rot = 0, ytick_rot = 0, show_xticklabels = true,
    show_yticklabels = true, ticks_side = {x = "bottom", y = "left"}, spines = true,
  }, Axes)
  for k, v in pairs(opts or {}) do ax[k] = v end
  return ax
end

-- A setting of plt.rcParams as it was when the figure was made.
function Axes:_rc (key) return (self.fig and self.fig.rc or S.rc)[key] end

function Axes:_color (kind)
  local k = kind == "patch" and "cycle_patches" or "cycle_lines"
  local cyc = self:_rc("axes.prop_cycle")
  local c = cyc[self[k] % #cyc + 1]
  self[k] = self[k] + 1
  return c
end

-- Artists are plain tables; the metatable only gives them matplotlib's names
-- when the REPL prints a result ("<Line2D 'sin'>").
local ARTIST_NAMES = {line = "Line2D", scatter = "PathCollection", bars = "BarContainer", poly = "PolyCollection",
                      refline = "Line2D", span = "Rectangle", image = "AxesImage", mesh = "QuadMesh",
                      contour = "QuadContourSet", bands = "QuadContourSet", text = "Text"}
local ArtistMethods = {}
local Artist = {__tostring = function (a)
  local name = ARTIST_NAMES[a.kind] or a.kind
  local lab = a.kind == "text" and a.s or a.label
  return lab and ("<%s '%s'>"):format(name, tostring(lab)) or ("<%s>"):format(name)
end, __methods = ArtistMethods}
-- strict for user code, named as matplotlib names the artist: line:set_colr()
-- raises "Line2D has no method 'set_colr'" (module code still reads unset
-- fields as nil, util.member_index)
function Artist.__index (a, k)
  local v = ArtistMethods[k]
  if v ~= nil or type(k) ~= "string" or k:sub(1, 1) == "_" or not util.user_read(2) then return v end
  util.no_member(a, ArtistMethods, ARTIST_NAMES[rawget(a, "kind")] or "artist", k, 2)
end

-- sc:legend_elements([{num=}]) -> handles, labels: one marker per distinct
-- colour value of a scatter coloured by value (matplotlib's
-- PathCollection.legend_elements), for ax:legend(handles, labels, {title=}).
function ArtistMethods.legend_elements (a, opts)
  opts = S.check("legend_elements", opts, S.set("prop num fmt"))
  if a.kind ~= "scatter" or not a.cvals then
    error("legend_elements: only a scatter coloured by values (c=) has legend elements", 2)
  end
  if opts.prop ~= nil and opts.prop ~= "colors" then error("legend_elements: only prop='colors' is supported", 2) end
  local seen, vals = {}, {}
  for _, v in ipairs(core.tolist(a.cvals)) do
    if v == v and not seen[v] then seen[v] = true; vals[#vals + 1] = v end
  end
  table.sort(vals)
  local num = opts.num or 10
  if #vals > num then   -- too many values: nice levels across the range, as matplotlib's "auto"
    vals = T.inside(T.linear_ticks(vals[1], vals[#vals], num), vals[1], vals[#vals])
  end
  local cols = core.tolist(core.cmap_apply(core.asarray(vals), a.cmap, a.vmin, a.vmax, {reverse = a.cmap_r, log = a.norm == "log"}))
  local handles, labels = {}, {}
  for i, v in ipairs(vals) do
    local c = {cols[4 * i - 3], cols[4 * i - 2], cols[4 * i - 1], (cols[4 * i]) * (a.alpha or 1)}
    handles[i] = setmetatable({kind = "scatter", color = c, s = a.s or 36, marker = a.marker, lw = a.lw, edge = "face",
                               label = nil}, Artist)
    labels[i] = opts.fmt and (opts.fmt):format(v) or (math.tointeger(v) and tostring(math.tointeger(v)) or ("%g"):format(v))
  end
  return handles, labels
end

function Axes:_add (a)
  setmetatable(a, Artist)
  a.z = a.z or 2
  a.order = #self.artists + 1
  self.artists[#self.artists + 1] = a
  return a
end

-- {===== plotting methods

local PLOT_OPTS = S.set("color c linestyle ls linewidth lw marker markersize ms label alpha markerfacecolor mfc markeredgecolor mec markeredgewidth mew zorder drawstyle ds rasterized antialiased solid_capstyle dash_capstyle")
local DRAWSTYLES = {default = true, steps = true, ["steps-pre"] = true, ["steps-mid"] = true, ["steps-post"] = true}

-- Columns of a 2-D array (one line each, as matplotlib plots a 2-D y), or
-- the data itself as the one column of a 1-D array.
local function columns (a, fname)
  local n, shape = core.info(a)
  if #shape <= 1 then return {a}, n end
  if #shape > 2 then error(("%s: x and y can be no greater than 2D, but have shape %s"):format(fname, "(" .. table.concat(shape, ", ") .. ")"), 4) end
  local t, rows, cols = core.tolist(a), shape[1], shape[2]
  local out = {}
  for j = 1, cols do
    local c = {}
    for i = 1, rows do c[i] = t[(i - 1) * cols + j] end
    out[j] = core.asarray(c)
  end
  return out, rows
end

-- ax:plot(y), ax:plot(x, y[, fmt][, opts]), ax:plot(x1, y1, fmt1, x2, y2, fmt2, ...);
-- a 2-D y (or x) draws one line per column, through the colour cycle.
function Axes:plot (...)
  local args = table.pack(...)
  local opts = {}
  if args.n > 0 and type(args[args.n]) == "table" and bare(args[args.n]) and args[args.n][1] == nil
     and next(args[args.n]) ~= nil then
    opts = args[args.n]; args[args.n] = nil; args.n = args.n - 1
  end
  S.check("plot", opts, PLOT_OPTS)
  local ds = opts.drawstyle or opts.ds
  if ds ~= nil and not DRAWSTYLES[ds] then
    error(("plot: drawstyle must be 'default', 'steps', 'steps-pre', 'steps-mid' or 'steps-post' (got '%s')"):format(tostring(ds)), 2)
  end
  S.dash(opts.linestyle or opts.ls, 1, "plot")
  -- every line is built and checked first; the axes change only at the end
  local i, specs = 1, {}
  while i <= args.n do
    local x, y, fmt = args[i], args[i + 1], nil
    local step = 2
    if y == nil or type(y) == "string" then   -- plot(y) or plot(y, fmt)
      y, x = x, nil
      fmt = args[i + 1]; step = fmt and 2 or 1
    else
      if type(args[i + 2]) == "string" then fmt = args[i + 2]; step = 3 end
    end
    local ycols, n = columns(arr(y, "plot"), "plot")
    local xcols
    if x == nil then
      local t = {}
      for k = 1, n do t[k] = k - 1 end
      xcols = {arr(t, "plot")}
    else
      local xn
      xcols, xn = columns(arr(x, "plot"), "plot")
      if xn ~= n then
        error(("plot: x and y must have same first dimension, but have shapes (%d,) and (%d,)"):format(xn, n), 2)
      end
      if #xcols > 1 and #ycols > 1 and #xcols ~= #ycols then
        error(("plot: x has %d columns but y has %d"):format(#xcols, #ycols), 2)
      end
    end
    local color, ls, marker = nil, nil, nil
    if fmt then color, ls, marker = S.parse_fmt(fmt) end
    for j = 1, math.max(#xcols, #ycols) do
      specs[#specs + 1] = {x = xcols[#xcols > 1 and j or 1], y = ycols[#ycols > 1 and j or 1], n = n,
                           color = color, ls = ls, marker = marker, isdt = x ~= nil and isdt(x)}
    end
    i = i + step
  end
  local labels = opts.label
  if type(labels) == "table" and #labels ~= #specs then
    error(("plot: label has %d entries for %d lines"):format(#labels, #specs), 2)
  end
  local fixed = opts.color or opts.c
  if fixed then S.rgba(fixed, opts.alpha, "plot") end
  for _, k in ipairs {"mfc", "markerfacecolor", "mec", "markeredgecolor"} do
    if opts[k] then S.rgba(opts[k], opts.alpha, "plot") end
  end
  for _, sp in ipairs(specs) do if sp.color then S.rgba(sp.color, opts.alpha, "plot") end end
  local lines = {}
  for j, sp in ipairs(specs) do
    if sp.isdt then self.xdate = true end
    local color = fixed or sp.color or self:_color("line")
    local a = self:_add {
      kind = "line", x = sp.x, y = sp.y, n = sp.n, z = opts.zorder or 2,
      color = S.rgba(color, opts.alpha, "plot"), lw = opts.linewidth or opts.lw or self:_rc("lines.linewidth"),
      ls = opts.linestyle or opts.ls or sp.ls or "-",
      marker = opts.marker or sp.marker, ms = opts.markersize or opts.ms or self:_rc("lines.markersize"),
      mfc = opts.markerfacecolor or opts.mfc, mec = opts.markeredgecolor or opts.mec,
      mew = opts.markeredgewidth or opts.mew or 1, label = type(labels) == "table" and labels[j] or labels,
      alpha = opts.alpha, drawstyle = ds ~= "default" and ds or nil, rasterized = opts.rasterized,
    }
    if a.mfc then a.mfc = S.rgba(a.mfc, opts.alpha, "plot") end
    if a.mec then a.mec = S.rgba(a.mec, opts.alpha, "plot") end
    lines[#lines + 1] = a
  end
  return table.unpack(lines)
end

local STEP_OPTS = S.set("where")
for k in pairs(PLOT_OPTS) do STEP_OPTS[k] = true end
STEP_OPTS.drawstyle, STEP_OPTS.ds = nil, nil
-- ax:step(x, y[, fmt][, {where="pre"|"post"|"mid", ...}]): plot with steps
function Axes:step (...)
  local args = table.pack(...)
  local opts = {}
  if args.n > 0 and type(args[args.n]) == "table" and bare(args[args.n]) and args[args.n][1] == nil
     and next(args[args.n]) ~= nil then
    opts = args[args.n]; args[args.n] = nil; args.n = args.n - 1
  end
  S.check("step", opts, STEP_OPTS)
  local where = opts.where or "pre"
  if where ~= "pre" and where ~= "post" and where ~= "mid" then
    error(("step: where must be 'pre', 'post' or 'mid' (got '%s')"):format(tostring(where)), 2)
  end
  local o = {}
  for k, v in pairs(opts) do if k ~= "where" then o[k] = v end end
  o.drawstyle = "steps-" .. where
  args[args.n + 1] = o
  local ok, a, b, c = pcall(self.plot, self, table.unpack(args, 1, args.n + 1))
  if not ok then error((tostring(a):gsub("^[^:]*:%d+: ", ""):gsub("^plot:", "step:")), 2) end
  return a, b, c
end

local SCATTER_OPTS = S.set("rasterized s c color cmap vmin vmax marker alpha edgecolors edgecolor linewidths lw label zorder norm")
-- ax:scatter(x, y, {s=, c=, cmap=, vmin=, vmax=, marker=, alpha=, edgecolors=, label=})
function Axes:scatter (x, y, opts)
  opts = S.check("scatter", opts, SCATTER_OPTS)
  if opts.norm ~= nil and opts.norm ~= "log" and opts.norm ~= "linear" then
    error(("scatter: norm must be 'linear' or 'log' (got '%s')"):format(tostring(opts.norm)), 2)
  end
  if isdt(x) then self.xdate = true end
  local xa, ya = arr(x, "scatter"), arr(y, "scatter")
  local n = size(xa)
  if size(ya) ~= n then error(("scatter: x and y must be the same size (%d and %d)"):format(n, size(ya)), 2) end
  local a = {kind = "scatter", x = xa, y = ya, n = n, z = opts.zorder or 1, marker = opts.marker or "o",
             label = opts.label, alpha = opts.alpha, lw = opts.linewidths or opts.lw or 1.0}
  -- sizes: points^2
  local s = opts.s or 36
  if type(s) == "number" then a.s = s
  else
    a.sarr = arr(s, "scatter")
    local ns = size(a.sarr)
    if ns ~= n and ns ~= 1 then error(("scatter: s must be a scalar, or the same size as x and y (%d, got %d)"):format(n, ns), 2) end
  end
  local c = opts.c or opts.color
  if type(c) == "table" and bare(c) and type(c[1]) == "string" and #c == n then
    local rows = {}   -- one colour name per point
    for i = 1, n do rows[i] = S.rgba(c[i], opts.alpha, "scatter") end
    c = nil
    a.colors = core.asarray(rows)
  end
  if a.colors then -- done above
  elseif c == nil then a.color = S.rgba(self:_color("patch"), opts.alpha, "scatter")
  elseif type(c) == "string" or (type(c) == "table" and type(c[1]) == "number" and #c <= 4 and n ~= #c) then
    a.color = S.rgba(c, opts.alpha, "scatter")
  else
    local ca = arr(c, "scatter")
    local nc, shape = core.info(ca)
    if #shape == 2 and (shape[2] == 3 or shape[2] == 4) and shape[1] == n then
      local t = core.tolist(ca)
      local out = {}
      for i = 1, n do
        local k = (i - 1) * shape[2]
        out[#out + 1] = {t[k + 1], t[k + 2], t[k + 3], (shape[2] == 4 and t[k + 4] or 1) * (opts.alpha or 1)}
      end
      a.colors = core.asarray(out)
    else
      if nc ~= n then error(("scatter: 'c' argument has %d elements, which is inconsistent with 'x' and 'y' with size %d"):format(nc, n), 2) end
      a.cvals = ca
      a.cmap, a.cmap_r = S.cmap(opts.cmap, "scatter")
      local lo, hi = core.finite_range(ca)
      a.vmin, a.vmax = opts.vmin or lo or 0, opts.vmax or hi or 1
      a.norm = opts.norm
      a.colors = core.cmap_apply(ca, a.cmap, a.vmin, a.vmax, {reverse = a.cmap_r, alpha = opts.alpha, log = a.norm == "log"})
      a.mappable = true
    end
  end
  local ec = opts.edgecolors or opts.edgecolor
  if ec == nil or ec == "face" then a.edge = "face" elseif ec == "none" then a.edge = nil
  else a.edge = S.rgba(ec, opts.alpha, "scatter") end
  a.ax = self
  return self:_add(a)
end

local HIST_OPTS = S.set("rasterized bins range density histtype alpha color label edgecolor ec linewidth lw weights rwidth stacked log zorder cumulative")
-- ax:hist(x | {x1, x2, ...}, {bins=10, range=, density=, histtype=, alpha=, color=, label=})
-- returns counts, edges (tables; a table of count tables for several datasets)
function Axes:hist (x, opts)
  opts = S.check("hist", opts, HIST_OPTS)
  local sets = {}
  if type(x) == "table" and bare(x) and (type(x[1]) == "table" or type(x[1]) == "userdata") then
    for i, v in ipairs(x) do sets[i] = arr(v, "hist") end
  else sets[1] = arr(x, "hist") end
  local bins = opts.bins or 10
  local edges
  if type(bins) == "number" then
    -- matplotlib hands bins to np.histogram, which refuses a float (even 10.0)
    if math.type(bins) ~= "integer" then
      error(("hist: `bins` must be an integer, a string, or an array (got the float %s)"):format(bins), 2)
    end
    if bins < 1 then error("hist: bins must be a positive integer or a list of edges", 2) end
    if bins > util.MAX_PLOT_BINS then
      error(("hist: bins=%d is more than the limit of %d bins for a drawn histogram (np.histogram takes up to %d)")
        :format(bins, util.MAX_PLOT_BINS, util.MAX_BINS), 2)
    end
    local lo, hi
    if opts.range then lo, hi = opts.range[1], opts.range[2]
    else
      for _, s in ipairs(sets) do
        local a, b = core.finite_range(s)
        if a then lo = lo and math.min(lo, a) or a; hi = hi and math.max(hi, b) or b end
      end
      lo, hi = lo or 0, hi or 1
    end
    if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
    edges = {}
    for i = 0, bins do edges[i + 1] = lo + (hi - lo) * i / bins end
  else
    edges = list(bins, "hist")
    for i = 2, #edges do if not (edges[i] > edges[i - 1]) then error("hist: bins must increase monotonically", 2) end end
  end
  local ht = opts.histtype or "bar"
  if not S.set("bar barstacked step stepfilled")[ht] then
    error(("hist: histtype must be one of 'bar', 'barstacked', 'step', 'stepfilled' (got '%s')"):format(ht), 2)
  end
  local all, nb = {}, #edges - 1
  for k, s in ipairs(sets) do
    local c = core.histogram(s, edges, opts.weights)
    if opts.density then
      local tot = 0
      for i = 1, nb do tot = tot + c[i] end
      for i = 1, nb do c[i] = tot > 0 and c[i] / (tot * (edges[i + 1] - edges[i])) or 0 end
    end
    if opts.cumulative then for i = 2, nb do c[i] = c[i] + c[i - 1] end end
    all[k] = c
  end
  local ns = #sets
  local stacked = opts.stacked or ht == "barstacked"
  local dr = opts.rwidth or ((ns > 1 and not stacked) and 0.8 or 1.0)
  local bottoms = {}
  for i = 1, nb do bottoms[i] = 0 end
  local colors = opts.color
  for k = 1, ns do
    local col = colors and (type(colors) == "table" and type(colors[1]) ~= "number" and colors[k] or colors) or self:_color("line")
    local label = opts.label
    if type(label) == "table" then label = label[k] end
    local rgba = S.rgba(col, opts.alpha, "hist")
    local c = all[k]
    if ht == "step" or ht == "stepfilled" then
      local px, py = {edges[1]}, {bottoms[1]}
      for i = 1, nb do
        px[#px + 1] = edges[i]; py[#py + 1] = c[i] + (stacked and bottoms[i] or 0)
        px[#px + 1] = edges[i + 1]; py[#py + 1] = c[i] + (stacked and bottoms[i] or 0)
      end
      px[#px + 1] = edges[nb + 1]; py[#py + 1] = 0
      self:_add {kind = "poly", x = px, y = py, fill = ht == "stepfilled" and rgba or nil,
                 edge = ht == "step" and rgba or nil, lw = opts.linewidth or opts.lw or 1.5, label = label, z = 1,
                 sticky_y = 0}
    else
      local rects = {}
      for i = 1, nb do
        local w = (edges[i + 1] - edges[i])
        local bw = w * dr / ((ns > 1 and not stacked) and ns or 1)
        local x0 = edges[i] + w * (1 - dr) / 2 + ((ns > 1 and not stacked) and (k - 1) * bw or 0)
        local b = stacked and bottoms[i] or 0
        rects[i] = {x0, b, bw, c[i]}
      end
      self:_add {kind = "bars", rects = rects, fill = rgba, label = label, z = 1, sticky_y = 0,
                 edge = (opts.edgecolor or opts.ec) and S.rgba(opts.edgecolor or opts.ec, nil, "hist"),
                 lw = opts.linewidth or opts.lw or 1}
    end
    if stacked then for i = 1, nb do bottoms[i] = bottoms[i] + c[i] end end
  end
  if opts.log then self:set_yscale("log") end
  return ns == 1 and all[1] or all, edges
end

local BAR_OPTS = S.set("rasterized width height bottom left align color edgecolor ec linewidth lw label alpha tick_label zorder yerr xerr capsize")
-- Positions of bars; string categories become 0, 1, ... and their labels
-- (set as ticks by the caller once everything is checked).
local function categorical (x, fname)
  local t = type(x) == "table" and bare(x) and x or list(x, fname)
  if type(t[1]) == "string" then
    local pos, labs = {}, {}
    for i, s in ipairs(t) do pos[i] = i - 1; labs[i] = s end
    return pos, labs
  end
  return t
end

local function bars (self, fname, x, h, opts, horizontal)
  opts = S.check(fname, opts, BAR_OPTS)
  local xs, cats = categorical(x, fname)
  local hs = type(h) == "number" and {} or list(h, fname)
  if type(h) == "number" then for i = 1, #xs do hs[i] = h end end
  if #hs ~= #xs then error(("%s: shape mismatch: %d positions and %d heights"):format(fname, #xs, #hs), 3) end
  if isdt(x) then self[horizontal and "ydate" or "xdate"] = true end
  -- on a date axis (nanoseconds) the default width is 0.8 day, as matplotlib's
  local w = opts.width or opts.height or (isdt(x) and 0.8 * 86400e9 or 0.8)
  local b = opts.bottom or opts.left or 0
  local align = opts.align or "center"
  local color = opts.color
  local rects, fills = {}, nil
  if type(color) == "table" and type(color[1]) ~= "number" then
    fills = {}
    for i = 1, #xs do fills[i] = S.rgba(color[(i - 1) % #color + 1], opts.alpha, fname) end
  end
  local fill = fills == nil and S.rgba(color or self:_color("patch"), opts.alpha, fname) or nil
  for i = 1, #xs do
    local wi = type(w) == "table" and w[i] or w
    local bi = type(b) == "table" and b[i] or b
    local x0 = align == "center" and xs[i] - wi / 2 or xs[i]
    if horizontal then rects[i] = {bi, x0, hs[i], wi} else rects[i] = {x0, bi, wi, hs[i]} end
  end
  if cats then self["set_" .. (horizontal and "y" or "x") .. "ticks"](self, xs, cats) end
  if opts.tick_label then self["set_" .. (horizontal and "y" or "x") .. "ticks"](self, xs, opts.tick_label) end
  local a = self:_add {kind = "bars", rects = rects, fill = fill, fills = fills, label = opts.label, z = opts.zorder or 1,
                       edge = (opts.edgecolor or opts.ec) and S.rgba(opts.edgecolor or opts.ec, nil, fname),
                       lw = opts.linewidth or opts.lw or 1, sticky_y = (not horizontal) and 0 or nil,
                       sticky_x = horizontal and 0 or nil}
  if opts.yerr or opts.xerr then
    local cx, cy = {}, {}
    for i, r in ipairs(rects) do cx[i] = horizontal and r[1] + r[3] or r[1] + r[3] / 2; cy[i] = horizontal and r[2] + r[4] / 2 or r[2] + r[4] end
    self:errorbar(cx, cy, {yerr = opts.yerr, xerr = opts.xerr, fmt = "none", ecolor = "k", capsize = opts.capsize})
  end
  return a
end
function Axes:bar (x, height, opts) return bars(self, "bar", x, height, opts, false) end
function Axes:barh (y, width, opts) return bars(self, "barh", y, width, opts, true) end

local ERR_OPTS = S.set("rasterized yerr xerr fmt color ecolor elinewidth capsize label alpha marker markersize ms linestyle ls lw linewidth zorder")
function Axes:errorbar (x, y, opts)
  opts = S.check("errorbar", opts, ERR_OPTS)
  if isdt(x) then self.xdate = true end
  local xs, ys = list(x, "errorbar"), list(y, "errorbar")
  if #xs ~= #ys then error(("errorbar: x and y must have the same length (%d and %d)"):format(#xs, #ys), 2) end
  local fmt = opts.fmt or ""
  local color = opts.color
  local line
  if fmt ~= "none" then
    local o = {color = color, label = opts.label, marker = opts.marker, ms = opts.markersize or opts.ms,
               ls = opts.linestyle or opts.ls, lw = opts.lw or opts.linewidth, alpha = opts.alpha}
    if fmt ~= "" then line = self:plot(x, y, fmt, o) else line = self:plot(x, y, o) end
    color = color or line.color
  end
  local ec = S.rgba(opts.ecolor or color or self:_color("line"), opts.alpha, "errorbar")
  local function errs (e, i)
    if e == nil then return nil end
    if type(e) == "number" then return e, e end
    if type(e) == "table" and bare(e) and type(e[1]) == "table" then return e[1][i], e[2][i] end
    local t = list(e, "errorbar")
    return t[i], t[i]
  end
  local segs_x, segs_y = {}, {}
  local caps = {}
  for i = 1, #xs do
    local lo, hi = errs(opts.yerr, i)
    if lo then
      segs_x[#segs_x + 1] = xs[i]; segs_y[#segs_y + 1] = ys[i] - lo
      segs_x[#segs_x + 1] = xs[i]; segs_y[#segs_y + 1] = ys[i] + hi
      segs_x[#segs_x + 1] = 0 / 0; segs_y[#segs_y + 1] = 0 / 0
      caps[#caps + 1] = {xs[i], ys[i] - lo, "v"}; caps[#caps + 1] = {xs[i], ys[i] + hi, "v"}
    end
    lo, hi = errs(opts.xerr, i)
    if lo then
      segs_x[#segs_x + 1] = xs[i] - lo; segs_y[#segs_y + 1] = ys[i]
      segs_x[#segs_x + 1] = xs[i] + hi; segs_y[#segs_y + 1] = ys[i]
      segs_x[#segs_x + 1] = 0 / 0; segs_y[#segs_y + 1] = 0 / 0
      caps[#caps + 1] = {xs[i] - lo, ys[i], "h"}; caps[#caps + 1] = {xs[i] + hi, ys[i], "h"}
    end
  end
  self:_add {kind = "line", x = arr(segs_x), y = arr(segs_y), n = #segs_x, color = ec,
             lw = opts.elinewidth or 1.5, ls = "-", z = 2, caps = (opts.capsize or 0) > 0 and caps or nil,
             capsize = opts.capsize or 0, nolegend = true}
  return line
end

local FILL_OPTS = S.set("color alpha label where edgecolor ec linewidth lw zorder facecolor fc interpolate step hatch rasterized linestyle ls")
-- A value per point: a number is repeated, a bool array/table or number list converted.
local function per_point (v, n, fname, what)
  if type(v) == "number" then local t = {}; for i = 1, n do t[i] = v end; return t end
  if type(v) == "table" and bare(v) and type(v[1]) == "boolean" then
    local t = {}
    for i = 1, #v do t[i] = v[i] and 1 or 0 end
    v = t
  end
  local t = list(v, fname)
  if #t ~= n then error(("%s: x and %s must have the same length (%d and %d)"):format(fname, what, n, #t), 4) end
  return t
end
-- ax:fill_between(x, y1[, y2=0][, {where=, interpolate=, step=, color=, alpha=, label=}])
-- y1 and y2 may be numbers; where= keeps the runs of true points.
function Axes:fill_between (x, y1, y2, opts)
  if type(y2) == "table" and bare(y2) and y2[1] == nil and next(y2) then opts, y2 = y2, nil end
  opts = S.check("fill_between", opts, FILL_OPTS)
  local xs = list(x, "fill_between")
  local n = #xs
  local a = per_point(y1, n, "fill_between", "y1")
  local b = per_point(y2 or 0, n, "fill_between", "y2")
  local where = opts.where ~= nil and per_point(opts.where, n, "fill_between", "where") or nil
  local st = opts.step
  if st ~= nil and st ~= "pre" and st ~= "post" and st ~= "mid" then
    error(("fill_between: step must be 'pre', 'post' or 'mid' (got '%s')"):format(tostring(st)), 2)
  end
  local color = S.rgba(opts.color or opts.facecolor or opts.fc or "C0", opts.alpha, "fill_between")
  local edge = (opts.edgecolor or opts.ec) and S.rgba(opts.edgecolor or opts.ec, nil, "fill_between")
  if st then   -- matplotlib repeats the points as a step line does
    local sx, sa, sb, sw = {}, {}, {}, where and {} or nil
    local function push (xv, i) sx[#sx + 1] = xv; sa[#sa + 1] = a[i]; sb[#sb + 1] = b[i]; if sw then sw[#sw + 1] = where[i] end end
    for i = 1, n do
      if i > 1 then
        if st == "pre" then push(xs[i - 1], i)
        elseif st == "post" then push(xs[i], i - 1)
        else local m = (xs[i - 1] + xs[i]) / 2; push(m, i - 1); push(m, i) end
      end
      push(xs[i], i)
    end
    xs, a, b, where, n = sx, sa, sb, sw, #sx
  end
  local px, py = {}, {}
  -- one polygon per run of valid (and `where`) points, separated by NaN;
  -- interpolate=true extends each run to where y1 and y2 cross
  local run = {}
  local function cross (i, j)   -- x where y1 - y2 changes sign between points i and j
    local d0, d1 = a[i] - b[i], a[j] - b[j]
    if d0 == d1 then return nil end
    local t = d0 / (d0 - d1)
    return xs[i] + t * (xs[j] - xs[i]), a[i] + t * (a[j] - a[i])
  end
  local function close (pre, post)
    if #run > 0 then
      if pre then px[#px + 1] = pre[1]; py[#py + 1] = pre[2] end
      for _, i in ipairs(run) do px[#px + 1] = xs[i]; py[#py + 1] = a[i] end
      if post then px[#px + 1] = post[1]; py[#py + 1] = post[2] end
      for k = #run, 1, -1 do local i = run[k]; px[#px + 1] = xs[i]; py[#py + 1] = b[i] end
      px[#px + 1] = 0 / 0; py[#py + 1] = 0 / 0
    end
    run = {}
  end
  local pre
  for i = 1, n do
    local ok = xs[i] == xs[i] and a[i] == a[i] and b[i] == b[i] and (not where or (where[i] ~= 0 and where[i] == where[i]))
    if ok then
      if #run == 0 and opts.interpolate and i > 1 and where then
        local cx, cy = cross(i - 1, i)
        pre = cx and {cx, cy} or nil
      elseif #run == 0 then pre = nil end
      run[#run + 1] = i
    elseif #run > 0 then
      local post
      if opts.interpolate and where then local cx, cy = cross(i - 1, i); post = cx and {cx, cy} or nil end
      close(pre, post)
    end
  end
  close(pre, nil)
  if isdt(x) then self.xdate = true end
  if not (opts.color or opts.facecolor or opts.fc) then color = S.rgba(self:_color("patch"), opts.alpha, "fill_between") end
  return self:_add {kind = "poly", x = px, y = py, fill = color, label = opts.label, z = opts.zorder or 1,
                    edge = edge, lw = opts.linewidth or opts.lw or 1}
end

local LINE_OPTS = S.set("rasterized color c linestyle ls linewidth lw alpha label xmin xmax ymin ymax zorder")
function Axes:axhline (y, opts)
  opts = S.check("axhline", opts, LINE_OPTS)
  return self:_add {kind = "refline", dir = "h", v = y or 0, a0 = opts.xmin or 0, a1 = opts.xmax or 1,
                    color = S.rgba(opts.color or opts.c or "C0", opts.alpha, "axhline"), lw = opts.linewidth or opts.lw or 1.5,
                    ls = opts.linestyle or opts.ls or "-", label = opts.label, z = opts.zorder or 2}
end
function Axes:axvline (x, opts)
  opts = S.check("axvline", opts, LINE_OPTS)
  return self:_add {kind = "refline", dir = "v", v = x or 0, a0 = opts.ymin or 0, a1 = opts.ymax or 1,
                    color = S.rgba(opts.color or opts.c or "C0", opts.alpha, "axvline"), lw = opts.linewidth or opts.lw or 1.5,
                    ls = opts.linestyle or opts.ls or "-", label = opts.label, z = opts.zorder or 2}
end
local SPAN_OPTS = S.set("rasterized color facecolor alpha label xmin xmax ymin ymax zorder edgecolor")
function Axes:axhspan (y0, y1, opts)
  opts = S.check("axhspan", opts, SPAN_OPTS)
  return self:_add {kind = "span", dir = "h", v0 = y0, v1 = y1, a0 = opts.xmin or 0, a1 = opts.xmax or 1,
                    fill = S.rgba(opts.color or opts.facecolor or "C0", opts.alpha, "axhspan"), label = opts.label, z = opts.zorder or 1}
end
function Axes:axvspan (x0, x1, opts)
  opts = S.check("axvspan", opts, SPAN_OPTS)
  return self:_add {kind = "span", dir = "v", v0 = x0, v1 = x1, a0 = opts.ymin or 0, a1 = opts.ymax or 1,
                    fill = S.rgba(opts.color or opts.facecolor or "C0", opts.alpha, "axvspan"), label = opts.label, z = opts.zorder or 1}
end

-- Maps a 2-D array through a colormap to an 8-bit RGBA image, or takes
-- (h, w, 3|4) data as colours (floats 0..1 or integers 0..255).
local function to_rgba_image (Z, opts, fname)
  local za = arr(Z, fname)
  local n, shape = core.info(za)
  if n == 0 then error(fname .. ": empty image", 3) end
  if #shape == 3 and (shape[3] == 3 or shape[3] == 4) then
    -- the data's own dtype decides the range: integers (uint8 images, Lua
    -- tables of whole numbers) are 0..255, floats 0..1
    local src = (type(Z) == "userdata" or (type(Z) == "table" and bare(Z))) and Z or za
    local img = core.rgb_image(src)
    if opts.alpha and opts.alpha ~= 1 then
      local t = core.tolist(img)
      for i = 4, #t, 4 do t[i] = t[i] * opts.alpha end
      local rows = {}
      for i = 1, shape[1] do
        local row = {}
        for j = 1, shape[2] do local k = ((i - 1) * shape[2] + j - 1) * 4; row[j] = {t[k + 1] / 255, t[k + 2] / 255, t[k + 3] / 255, t[k + 4] / 255} end
        rows[i] = row
      end
      img = core.asarray(rows)
    end
    return img, shape[1], shape[2], nil
  end
  if #shape ~= 2 then error(("%s: invalid shape %s for image data"):format(fname, "(" .. table.concat(shape, ",") .. ")"), 3) end
  local cm, rev = S.cmap(opts.cmap, fname)
  local lo, hi = core.finite_range(za, opts.norm == "log")
  local m = {cmap = cm, cmap_r = rev, vmin = opts.vmin or lo or 0, vmax = opts.vmax or hi or 1, norm = opts.norm, mappable = true}
  local rgba = core.cmap_apply(za, cm, m.vmin, m.vmax, {reverse = rev, alpha = opts.alpha, log = opts.norm == "log", bytes = true})
  return rgba, shape[1], shape[2], m
end
Axes._to_rgba_image = to_rgba_image

local IMSHOW_OPTS = S.set("rasterized cmap vmin vmax extent origin aspect interpolation alpha norm zorder")
function Axes:imshow (Z, opts)
  opts = S.check("imshow", opts, IMSHOW_OPTS)
  local rgba, h, w, m = to_rgba_image(Z, opts, "imshow")
  local origin = opts.origin or "upper"
  local ext = opts.extent or (origin == "upper" and {-0.5, w - 0.5, h - 0.5, -0.5} or {-0.5, w - 0.5, -0.5, h - 0.5})
  local a = {kind = "image", rgba = rgba, h = h, w = w, extent = ext, origin = origin, z = opts.zorder or 0,
             nearest = opts.interpolation ~= "bilinear", ax = self}
  if m then for k, v in pairs(m) do a[k] = v end end
  self.aspect = opts.aspect or (opts.extent and self.aspect ~= "auto" and self.aspect) or "equal"
  if opts.aspect == nil and opts.extent then self.aspect = "equal" end
  -- image limits are exact (no margins)
  self._img_lims = true
  return self:_add(a)
end

local MATSHOW_OPTS = S.set("cmap vmin vmax alpha norm zorder aspect interpolation extent origin rasterized")
-- ax:matshow(Z, {...}): imshow of a matrix with row 1 at the top, equal
-- cells and the x ticks above, as matplotlib.
function Axes:matshow (Z, opts)
  opts = S.check("matshow", opts, MATSHOW_OPTS)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.origin = o.origin or "upper"
  o.interpolation = o.interpolation or "nearest"
  o.aspect = o.aspect or "equal"
  local ok, im = pcall(self.imshow, self, Z, o)
  if not ok then error((tostring(im):gsub("^[^:]*:%d+: ", ""):gsub("^imshow:", "matshow:")), 2) end
  self.ticks_side = {x = "top", y = self.ticks_side.y}
  -- whole-number ticks at the cells, as matplotlib's integer locator gives for small matrices
  if not opts.extent then
    local function cells (n) local t = {}; for i = 0, n - 1 do t[#t + 1] = i end; return t end
    if im.w <= 12 then self:set_xticks(cells(im.w)) end
    if im.h <= 12 then self:set_yticks(cells(im.h)) end
  end
  return im
end

local PCM_OPTS = S.set("rasterized cmap vmin vmax shading alpha norm zorder")
-- ax:pcolormesh([X, Y,] C, {cmap=, vmin=, vmax=, shading=})
function Axes:pcolormesh (a1, a2, a3, a4)
  local X, Y, C, opts
  if a3 ~= nil and not (type(a3) == "table" and bare(a3) and a3[1] == nil and next(a3)) then X, Y, C, opts = a1, a2, a3, a4
  else C, opts = a1, a2 end
  opts = S.check("pcolormesh", opts, PCM_OPTS)
  local rgba, h, w, m = to_rgba_image(C, opts, "pcolormesh")
  local xs, ys
  if X then xs, ys = list(X, "pcolormesh"), list(Y, "pcolormesh") else
    xs, ys = {}, {}
    for i = 0, w do xs[#xs + 1] = i end
    for i = 0, h do ys[#ys + 1] = i end
  end
  if #xs == w then   -- centres given: make edges (shading "nearest"/"auto")
    local e = {}
    for i = 1, w + 1 do
      local l = xs[math.max(i - 1, 1)]; local r = xs[math.min(i, w)]
      if i == 1 then e[i] = xs[1] - (xs[math.min(2, w)] - xs[1]) / 2
      elseif i == w + 1 then e[i] = xs[w] + (xs[w] - xs[math.max(w - 1, 1)]) / 2
      else e[i] = (l + r) / 2 end
    end
    xs = e
  end
  if #ys == h then
    local e = {}
    for i = 1, h + 1 do
      if i == 1 then e[i] = ys[1] - (ys[math.min(2, h)] - ys[1]) / 2
      elseif i == h + 1 then e[i] = ys[h] + (ys[h] - ys[math.max(h - 1, 1)]) / 2
      else e[i] = (ys[i - 1] + ys[i]) / 2 end
    end
    ys = e
  end
  if #xs ~= w + 1 or #ys ~= h + 1 then
    error(("pcolormesh: dimensions of C (%d,%d) are incompatible with X (%d) and Y (%d)"):format(h, w, #xs, #ys), 2)
  end
  local a = {kind = "mesh", rgba = rgba, h = h, w = w, xs = xs, ys = ys, z = opts.zorder or 1, ax = self}
  if m then for k, v in pairs(m) do a[k] = v end end
  return self:_add(a)
end

local CONTOUR_OPTS = S.set("rasterized levels colors cmap linewidths linestyles alpha vmin vmax label zorder")
local function contour_args (fname, a1, a2, a3, a4)
  local X, Y, Z, opts
  if a3 ~= nil and not (type(a3) == "table" and bare(a3) and a3[1] == nil and next(a3)) then X, Y, Z, opts = a1, a2, a3, a4
  else Z, opts = a1, a2 end
  opts = S.check(fname, opts, CONTOUR_OPTS)
  local za = arr(Z, fname)
  local _, shape = core.info(za)
  if #shape ~= 2 then error(fname .. ": Z must be a 2-D array", 3) end
  local xs, ys
  if X then
    X, Y = arr(X, fname), arr(Y, fname)
    local _, xsh = core.info(X)
    if #xsh == 2 then   -- meshgrid input: take the first row / column
      local t = core.tolist(X); xs = {}
      for j = 1, xsh[2] do xs[j] = t[j] end
      local u = core.tolist(Y); ys = {}
      for i = 1, xsh[1] do ys[i] = u[(i - 1) * xsh[2] + 1] end
    else xs, ys = list(X, fname), list(Y, fname) end
  else
    xs, ys = {}, {}
    for j = 1, shape[2] do xs[j] = j - 1 end
    for i = 1, shape[1] do ys[i] = i - 1 end
  end
  local lo, hi = core.finite_range(za)
  if not lo then error(fname .. ": Z has no finite values", 3) end
  local levels = opts.levels
  if levels == nil or type(levels) == "number" then
    local nlev = levels or 7
    levels = core.ticks(lo, hi, nlev + 1, 1, false)
  else levels = type(levels) == "table" and bare(levels) and levels or list(levels, fname) end
  return arr(xs), arr(ys), za, levels, opts, lo, hi
end

function Axes:contour (...)
  local x, y, z, levels, opts, lo, hi = contour_args("contour", ...)
  local keep = {}
  for _, l in ipairs(levels) do if l >= lo and l <= hi then keep[#keep + 1] = l end end
  if #keep == 0 then keep = {(lo + hi) / 2} end
  local cm, rev = S.cmap(opts.cmap, "contour")
  local segs = {}
  for i, l in ipairs(keep) do
    local px, py = core.contour_lines(x, y, z, l)
    local col
    if opts.colors then
      local c = opts.colors
      col = S.rgba(type(c) == "table" and type(c[1]) ~= "number" and c[(i - 1) % #c + 1] or c, opts.alpha, "contour")
    else
      local t = core.tolist(core.cmap_apply({l}, cm, opts.vmin or keep[1], opts.vmax or keep[#keep], {reverse = rev}))
      col = {t[1], t[2], t[3], (opts.alpha or 1)}
    end
    local ls = opts.linestyles
    if ls == nil and opts.colors and l < 0 then ls = "--" end   -- matplotlib: negative levels dashed in one colour
    segs[#segs + 1] = {x = px, y = py, color = col, level = l, ls = ls}
  end
  self:_add {kind = "contour", segs = segs, lw = opts.linewidths or 1.5, z = opts.zorder or 2,
             xlim = {x}, ylim = {y}, label = opts.label}
  local ca = {levels = keep, cmap = cm, cmap_r = rev, vmin = keep[1], vmax = keep[#keep], mappable = true, ax = self, lines = true}
  return ca
end

function Axes:contourf (...)
  local x, y, z, levels, opts = contour_args("contourf", ...)
  local cm, rev = S.cmap(opts.cmap, "contourf")
  local nb = #levels - 1
  if nb < 1 then error("contourf: need at least 2 levels", 2) end
  local mids = {}
  for i = 1, nb do mids[i] = (levels[i] + levels[i + 1]) / 2 end
  local vmin, vmax = opts.vmin or mids[1], opts.vmax or mids[nb]
  local cols = core.tolist(core.cmap_apply(mids, cm, vmin, vmax, {reverse = rev}))
  local bands = {}
  for i = 1, nb do
    local hi = levels[i + 1]
    if i == nb then hi = hi + math.abs(hi) * 1e-12 + 1e-300 end   -- the top band includes its upper level
    local px, py = core.contour_band(x, y, z, levels[i], hi)
    bands[i] = {x = px, y = py, color = {cols[4 * i - 3], cols[4 * i - 2], cols[4 * i - 1], opts.alpha or 1}}
  end
  self:_add {kind = "bands", bands = bands, z = opts.zorder or 1, xlim = {x}, ylim = {y}}
  return {levels = levels, cmap = cm, cmap_r = rev, vmin = vmin, vmax = vmax, mappable = true, ax = self,
          boundaries = levels}
end

local TEXT_OPTS = S.set("fontsize size color ha va horizontalalignment verticalalignment rotation transform fontweight weight bbox zorder alpha")
-- ax:text(x, y, s, {fontsize=, color=, ha=, va=, rotation=, transform="axes"|"data"})
function Axes:text (x, y, s, opts)
  opts = S.check("text", opts, TEXT_OPTS)
  return self:_add {kind = "text", x = x, y = y, s = tostring(s), size = opts.fontsize or opts.size or 10,
                    color = S.rgba(opts.color or self:_rc("text.color"), opts.alpha, "text"), ha = opts.ha or opts.horizontalalignment or "left",
                    va = opts.va or opts.verticalalignment or "baseline", rot = opts.rotation or 0,
                    coords = opts.transform or "data", bold = (opts.fontweight or opts.weight) == "bold",
                    bbox = opts.bbox, z = opts.zorder or 3}
end

local ANN_OPTS = S.set("xy xytext arrowprops fontsize size color ha va horizontalalignment verticalalignment xycoords textcoords rotation zorder alpha fontweight weight bbox")
local TEXTCOORDS = {data = true, ["axes fraction"] = true, ["figure fraction"] = true, ["offset points"] = true,
                    ["offset pixels"] = true}
local ARROW_OPTS = S.set("arrowstyle color facecolor edgecolor fc ec lw linewidth shrink width headwidth headlength alpha connectionstyle")
local ARROWSTYLES = {["-"] = true, ["->"] = true, ["-|>"] = true, ["<-"] = true, ["<->"] = true, ["<|-"] = true,
                     ["<|-|>"] = true, simple = true, fancy = true, wedge = true}
local function coords_ok (c, offsets)
  return c == nil or (type(c) == "string" and (c == "data" or c == "axes fraction" or c == "figure fraction"
                      or (offsets and (c == "offset points" or c == "offset pixels"))))
end
-- ax:annotate(text, xy[, {xytext=, arrowprops=, xycoords=, textcoords=, ...}]), or
-- with xy in the options as matplotlib's keyword: ax:annotate(text, {xy=, ...}).
function Axes:annotate (s, xy, opts)
  if type(xy) == "table" and bare(xy) and xy[1] == nil and opts == nil then xy, opts = nil, xy end
  opts = S.check("annotate", opts, ANN_OPTS)
  xy = xy or opts.xy
  local function pair (v, what)
    if type(v) ~= "table" or not (tonumber(v[1]) and tonumber(v[2])) then
      error(("annotate: %s must be a pair {x, y} of numbers, got %s"):format(what, type(v)), 3)
    end
    return {tonumber(v[1]), tonumber(v[2])}
  end
  if s == nil then error("annotate: text (argument #1) is required", 2) end
  xy = pair(xy, "xy")
  local xt = opts.xytext ~= nil and pair(opts.xytext, "xytext") or nil
  if not coords_ok(opts.xycoords, false) then
    error(("annotate: unknown xycoords '%s' (use 'data', 'axes fraction' or 'figure fraction')"):format(tostring(opts.xycoords)), 2)
  end
  if not coords_ok(opts.textcoords, true) then
    error(("annotate: unknown textcoords '%s' (use 'data', 'axes fraction', 'figure fraction', 'offset points' or 'offset pixels')"):format(tostring(opts.textcoords)), 2)
  end
  local xyc = opts.xycoords or "data"
  local tc = opts.textcoords or xyc
  local ap = opts.arrowprops
  local arrow
  if ap ~= nil then
    ap = S.check("annotate: arrowprops", ap, ARROW_OPTS)
    if ap.arrowstyle ~= nil and not ARROWSTYLES[ap.arrowstyle] then
      error(("annotate: unknown arrowstyle '%s' (use '-', '->', '-|>', '<-', '<->', 'simple', 'fancy' or 'wedge')"):format(tostring(ap.arrowstyle)), 2)
    end
    local col = ap.color or ap.facecolor or ap.fc or "k"
    -- no arrowstyle: matplotlib's plain arrow, a filled wedge shrunk 5% at both ends
    arrow = {xy = xy, color = S.rgba(col, ap.alpha, "annotate"), lw = ap.lw or ap.linewidth or 1,
             style = ap.arrowstyle or "-|>", coords = xyc, shrink = ap.shrink or (ap.arrowstyle == nil and 0.05 or 0)}
  end
  local color = S.rgba(opts.color or self:_rc("text.color"), opts.alpha, "annotate")
  return self:_add {kind = "text", x = (xt or xy)[1], y = (xt or xy)[2], s = tostring(s),
                    size = opts.fontsize or opts.size or 10, color = color,
                    ha = opts.ha or opts.horizontalalignment or "left", va = opts.va or opts.verticalalignment or "baseline",
                    rot = opts.rotation or 0, coords = xt and tc or xyc, anchor = xt and tc:match("^offset") and xy or nil,
                    anchor_coords = xyc, bold = (opts.fontweight or opts.weight) == "bold", bbox = opts.bbox,
                    z = opts.zorder or 3, arrow = arrow}
end

-- =====}

-- {===== axis settings

function Axes:set_title (s, opts) self.title = s; self.title_opts = opts or {}; return self end
function Axes:set_xlabel (s, opts) self.xlabel = s; self.xlabel_opts = opts or {}; return self end
function Axes:set_ylabel (s, opts) self.ylabel = s; self.ylabel_opts = opts or {}; return self end
-- A limit: a number, nil (keep), or a Timestamp (nanoseconds; the axis
-- becomes a date axis, as matplotlib's date converter does).
local function limval (self, axis, v, fname)
  if v == nil or type(v) == "number" then return v end
  local mt = getmetatable(v)
  if type(v) == "table" and type(mt) == "table" and mt.__name == "geolab.Timestamp" then
    self[axis .. "date"] = true
    return v.value
  end
  error(("%s: limits must be numbers or Timestamps, got %s%s"):format(fname, type(v),
        type(v) == "string" and (" '" .. v .. "' (use pd.Timestamp(\"" .. v .. "\"))") or ""), 4)
end
local LIM_KEYS = {x = S.set("left right xmin xmax emit auto"), y = S.set("bottom top ymin ymax emit auto")}
local function lims (self, axis, a, b)
  local fname = "set_" .. axis .. "lim"
  if type(a) == "table" and bare(a) and a[1] == nil and next(a) ~= nil then
    -- matplotlib's keywords: set_xlim{left=, right=}, set_ylim{bottom=, top=}
    local o = S.check(fname, a, LIM_KEYS[axis])
    if axis == "x" then a, b = o.left or o.xmin, o.right or o.xmax else a, b = o.bottom or o.ymin, o.top or o.ymax end
  elseif type(a) == "table" and bare(a) then a, b = a[1], a[2] end
  a, b = limval(self, axis, a, fname), limval(self, axis, b, fname)
  local cur = self["_" .. axis .. "lim_user"] or {}
  local lo, hi = a or cur[1], b or cur[2]
  if lo and hi and lo == hi then lo, hi = core.nonsingular(lo, hi, 0.05, 1e-15) end
  local sc = self[axis .. "scale"]
  if sc == "log" and ((lo and lo <= 0) or (hi and hi <= 0)) then
    io.stderr:write(("warning: set_%slim: non-positive limit on a log axis is ignored\n"):format(axis))
    if lo and lo <= 0 then lo = nil end
    if hi and hi <= 0 then hi = nil end
  end
  self["_" .. axis .. "lim_user"] = {lo, hi}
  return lo, hi
end
function Axes:set_xlim (a, b) return lims(self, "x", a, b) end
function Axes:set_ylim (a, b) return lims(self, "y", a, b) end
function Axes:get_xlim () local l = self:_limits("x"); return l[1], l[2] end
function Axes:get_ylim () local l = self:_limits("y"); return l[1], l[2] end
local function scale (self, axis, s, opts)
  if SCALES[s] == nil then
    local near = S.nearest(tostring(s), {"linear", "log", "symlog"})
    error(("set_%sscale: unknown scale '%s'%s"):format(axis, tostring(s), near and (" (did you mean '" .. near .. "'?)") or ""), 3)
  end
  self[axis .. "scale"] = s
  if opts and opts.linthresh then self.linthresh[axis] = opts.linthresh end
end
function Axes:set_xscale (s, opts) scale(self, "x", s, opts) end
function Axes:set_yscale (s, opts) scale(self, "y", s, opts) end
-- loglog/semilogx/semilogy: plot(...) then log scales, as matplotlib; the
-- data goes in first so that a bad call leaves the scales untouched.
local function logplot (self, fname, xs, ys, ...)
  local r = {}
  if select("#", ...) > 0 then
    local ok, a, b, c = pcall(self.plot, self, ...)
    if not ok then error((tostring(a):gsub("^[^:]*:%d+: ", ""):gsub("^plot:", fname .. ":")), 3) end
    r = {a, b, c}
  end
  if xs then self:set_xscale("log") end
  if ys then self:set_yscale("log") end
  return table.unpack(r)
end
function Axes:loglog (...) return logplot(self, "loglog", true, true, ...) end
function Axes:semilogy (...) return logplot(self, "semilogy", false, true, ...) end
function Axes:semilogx (...) return logplot(self, "semilogx", true, false, ...) end
-- Tick labels as a list of strings (matplotlib shows str() of each item).
local function tick_labels (labels, fname)
  if labels == nil then return nil end
  local t = labels
  if type(labels) ~= "table" or not bare(labels) then
    if type(labels) ~= "table" and type(labels) ~= "userdata" then
      error(("%s: labels must be a list of strings, got %s"):format(fname, type(labels)), 4)
    end
    local ok, l = pcall(function () return labels:totable() end)
    if not ok or type(l) ~= "table" then error(("%s: labels must be a list of strings"):format(fname), 4) end
    t = l
  end
  local out = {}
  for i, v in ipairs(t) do
    if type(v) == "table" or type(v) == "userdata" or type(v) == "function" then
      error(("%s: label %d must be a string or a number, got %s"):format(fname, i, type(v)), 4)
    end
    out[i] = type(v) == "string" and v or tostring(v)
  end
  return out
end
local TICK_OPTS = S.set("rotation ha fontsize minor color")
local TICKLABEL_OPTS = S.set("rotation ha fontsize color")
local function ticks (self, axis, t, labels, opts)
  local fname = "set_" .. axis .. "ticks"
  -- set_xticks(t, {rotation = 45}): the options in the labels' place
  if opts == nil and type(labels) == "table" and bare(labels) and labels[1] == nil and next(labels) ~= nil then
    labels, opts = nil, labels
  end
  opts = S.check(fname, opts, TICK_OPTS)
  local tl = t and (type(t) == "table" and bare(t) and t or list(t, fname)) or nil
  for i, v in ipairs(tl or {}) do
    if type(v) ~= "number" then error(("%s: tick %d must be a number, got %s"):format(fname, i, type(v)), 3) end
  end
  labels = tick_labels(labels, fname)
  self["_" .. axis .. "ticks"] = tl
  if labels then self["_" .. axis .. "ticklabels"] = labels end
  if opts.rotation then self[axis .. "tick_rot"] = opts.rotation end
end
function Axes:set_xticks (t, labels, opts) ticks(self, "x", t, labels, opts) end
function Axes:set_yticks (t, labels, opts) ticks(self, "y", t, labels, opts) end
function Axes:set_xticklabels (labels, opts)
  opts = S.check("set_xticklabels", opts, TICKLABEL_OPTS)
  self._xticklabels = tick_labels(labels, "set_xticklabels")
  if opts.rotation then self.xtick_rot = opts.rotation end
  if opts.ha then self.xtick_ha = opts.ha end
end
function Axes:set_yticklabels (labels, opts)
  opts = S.check("set_yticklabels", opts, TICKLABEL_OPTS)
  self._yticklabels = tick_labels(labels, "set_yticklabels")
  if opts.rotation then self.ytick_rot = opts.rotation end
end
local TICK_PARAMS = S.set("axis which labelrotation rotation labelsize labelbottom labelleft direction length width colors color labelcolor pad bottom top left right labeltop labelright grid_color grid_alpha")
function Axes:tick_params (opts)
  opts = S.check("tick_params", opts, TICK_PARAMS)
  local axis = opts.axis or "both"
  if axis ~= "x" and axis ~= "y" and axis ~= "both" then
    error(("tick_params: axis must be 'x', 'y' or 'both', got '%s'"):format(tostring(axis)), 2)
  end
  if opts.labelrotation or opts.rotation then
    if axis ~= "y" then self.xtick_rot = opts.labelrotation or opts.rotation end
    if axis ~= "x" then self.ytick_rot = opts.labelrotation or opts.rotation end
  end
  if opts.labelsize then self.ticksize = opts.labelsize end
  if opts.labelbottom == false then self.show_xticklabels = false end
  if opts.labelleft == false then self.show_yticklabels = false end
end
function Axes:invert_yaxis () self.yinverted = not self.yinverted end
function Axes:invert_xaxis () self.xinverted = not self.xinverted end
function Axes:set_aspect (a)
  if a ~= "equal" and a ~= "auto" and type(a) ~= "number" then
    error(("set_aspect: aspect must be 'auto', 'equal' or a number (got '%s')"):format(tostring(a)), 2)
  end
  self.aspect = a
end
function Axes:axis (v)
  if v == "off" or v == false then self.axis_on = false
  elseif v == "on" or v == true then self.axis_on = true
  elseif v == "equal" or v == "scaled" or v == "square" then self.aspect = "equal"
  elseif v == "image" then self.aspect = "equal"; self._tight = true
  elseif v == "auto" then self.aspect = "auto"
  elseif v == "tight" then self._tight = true
  elseif type(v) == "table" then
    local ok, err = pcall(function () self:set_xlim(v[1], v[2]); self:set_ylim(v[3], v[4]) end)
    if not ok then error((tostring(err):gsub("^[^:]*:%d+: ", ""):gsub("^set_[xy]lim:", "axis:")), 2) end
  elseif v ~= nil then
    error(("axis: expected 'on', 'off', 'equal', 'scaled', 'square', 'image', 'tight', 'auto' or {xmin, xmax, ymin, ymax}, got %s"):format(
      type(v) == "string" and ("'" .. v .. "'") or type(v)), 2)
  end
end
function Axes:set_axis_off () self.axis_on = false end
function Axes:xaxis_date () self.xdate = true end
function Axes:yaxis_date () self.ydate = true end
function Axes:set_facecolor (c) self.facecolor = S.rgba(c, nil, "set_facecolor") end
-- ax:margins(m), ax:margins(mx, my), ax:margins{x=, y=}; no argument -> mx, my
function Axes:margins (a, b)
  local mg = self._margins or {}
  if a == nil and b == nil then return mg.x or self:_rc("axes.xmargin"), mg.y or self:_rc("axes.ymargin") end
  local x, y
  if type(a) == "table" then
    local o = S.check("margins", a, S.set("x y tight"))
    x, y = o.x, o.y
  else x, y = a, b == nil and a or b end
  for _, v in ipairs {x or 0, y or 0} do
    if type(v) ~= "number" or v <= -0.5 then error("margins: margin must be a number greater than -0.5", 2) end
  end
  self._margins = {x = x or mg.x, y = y or mg.y}
end

function Axes:twinx ()
  local t = Axes.new(self.fig, {spec = self.spec, twin_of = self, ticks_side = {x = "none", y = "right"}, spines = false})
  t.share_x = self
  self.fig:_append(t)
  self.twins = self.twins or {}
  self.twins[#self.twins + 1] = t
  return t
end

-- =====}

return Axes
