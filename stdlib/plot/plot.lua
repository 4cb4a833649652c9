-- plot.lua: plt, matplotlib's object API on Cairo: figures, subplots, layout,
-- legends, colorbars and savefig (PNG through libpng, SVG/PDF through Cairo).
-- Axes methods live in plot_axes.lua / plot_render.lua, special views in
-- plot_views.lua, ticks in plot_ticks.lua; the C half is geolab.plot_core.
local core = require "geolab.plot_core"
local T = require "geolab.plot_ticks"
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"
require "geolab.plot_render"
require "geolab.plot_set"
require "geolab.plot_stats"
local Patches = require "geolab.plot_patches"
local Tri = require "geolab.plot_tri"
local Tight = require "geolab.plot_tight"
local bare = require("geolab.util").bare
local TIGHT_OPTS = S.set("pad h_pad w_pad rect")

local plt = {}
local Figure = {}
-- fig.axes, as matplotlib's: every axes in the order made, colorbar axes
-- included (a fresh list each time). The figure keeps its drawable axes in
-- _axes; each axes and colorbar carries its creation number _seq.
local function figure_axes (fig)
  local all = {}
  for _, ax in ipairs(rawget(fig, "_axes")) do all[#all + 1] = ax end
  for _, cb in ipairs(rawget(fig, "colorbars")) do all[#all + 1] = cb.ax end
  table.sort(all, function (a, b) return a._seq < b._seq end)
  return require("geolab.util").list(all)
end
Figure.__index = require("geolab.util").member_index(Figure, "Figure", function (fig, k)
  if k == "axes" then return figure_axes(fig) end
end)
-- Adds ax to the figure's axes, numbered in creation order.
function Figure:_append (ax)
  self._seq = self._seq + 1
  rawset(ax, "_seq", self._seq)
  self._axes[#self._axes + 1] = ax
end
local BLACK = {0, 0, 0, 1}

local state = {figs = {}, current = nil, shown = 0}

-- {===== figures

local FIG_OPTS = S.set("figsize dpi facecolor layout constrained_layout tight_layout num clear edgecolor frameon")
-- plt.figure{figsize=, dpi=, facecolor=}: defaults and every later setting
-- come from plt.rcParams as it is now (matplotlib reads them at creation).
function plt.figure (opts)
  opts = S.check("plt.figure", opts, FIG_OPTS)
  local num = opts.num
  if num ~= nil and (math.type(num) ~= "integer" or num < 1) then
    error("plt.figure: num must be a positive integer (a figure number)", 2)
  end
  -- num of an open figure makes it current again, as matplotlib does
  for _, f in ipairs(state.figs) do
    if f.number == num then state.current = f; return f end
  end
  local rc = S.R.snapshot()
  local fs = opts.figsize or rc["figure.figsize"]
  if type(fs) ~= "table" or not (tonumber(fs[1]) and tonumber(fs[2])) or fs[1] <= 0 or fs[2] <= 0 then
    error("plt.figure: figsize must be {width, height} in inches, both positive", 2)
  end
  local dpi = opts.dpi or rc["figure.dpi"]
  if type(dpi) ~= "number" or dpi <= 0 then error("plt.figure: dpi must be a positive number", 2) end
  local lay = opts.layout
  if lay ~= nil and lay ~= "none" and lay ~= "tight" and lay ~= "constrained" then
    error(("plt.figure: layout must be 'tight', 'constrained' or 'none' (got '%s')"):format(tostring(lay)), 2)
  end
  local fig = setmetatable({figsize = {fs[1], fs[2]}, dpi = dpi, _axes = {}, _seq = 0, colorbars = {}, rc = rc,
                            facecolor = S.rgba(opts.facecolor or rc["figure.facecolor"], nil, "plt.figure"),
                            layout = lay ~= "none"}, Figure)
  -- layout = "tight" or tight_layout = true | {pad=, ...}: matplotlib's tight layout at every draw
  local tl = opts.tight_layout
  if tl ~= nil and tl ~= false and tl ~= true and not (type(tl) == "table" and bare(tl)) then
    error("plt.figure: tight_layout must be true, false or a table {pad =, h_pad =, w_pad =, rect =}", 2)
  end
  if lay == "tight" or tl then
    local o = type(tl) == "table" and S.check("plt.figure: tight_layout", tl, TIGHT_OPTS) or {}
    fig._tight = Tight.check("plt.figure", o, 2)
  end
  -- matplotlib's number: one more than the largest open figure's
  local n = 0
  for _, f in ipairs(state.figs) do n = math.max(n, f.number) end
  fig.number = num or n + 1
  state.figs[#state.figs + 1] = fig
  state.current = fig
  return fig
end

local function posint (v, what)
  if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) or v < 1 then
    error(("add_subplot: %s must be a positive integer, got %s"):format(what,
      type(v) == "number" and tostring(v) or type(v)), 4)
  end
  return math.tointeger(v)
end
local function parse_spec (a, b, c)
  if type(a) == "number" and b == nil and a >= 111 and a <= 999 then
    return a // 100, (a // 10) % 10, a % 10
  end
  local nr, nc = posint(a or 1, "nrows"), posint(b or 1, "ncols")
  if type(c) == "table" and bare(c) then return nr, nc, {posint(c[1], "index"), posint(c[2], "index")} end
  return nr, nc, posint(c or 1, "index")
end

local SUB_OPTS = S.set("projection sharex sharey facecolor title xlabel ylabel")
-- fig:add_subplot(nrows, ncols, index[, {projection=}]) or fig:add_subplot(221)
function Figure:add_subplot (a, b, c, d)
  local opts = type(a) == "table" and a or type(b) == "table" and b or type(d) == "table" and d or {}
  if type(a) == "table" then a = nil end
  if type(b) == "table" then b = nil end
  S.check("add_subplot", opts, SUB_OPTS)
  if opts.projection ~= nil and opts.projection ~= "3d" and opts.projection ~= "ternary" and opts.projection ~= "rectilinear" then
    error(("add_subplot: unknown projection '%s' (use '3d' or 'ternary')"):format(tostring(opts.projection)), 2)
  end
  local nr, nc, idx = parse_spec(a, b, c)
  if type(idx) == "number" and (idx < 1 or idx > nr * nc) then
    error(("add_subplot: num must be an integer with 1 <= num <= %d, not %d"):format(nr * nc, idx), 2)
  end
  local r0, c0, r1, c1
  if type(idx) == "table" then   -- {first, last} span
    r0, c0 = (idx[1] - 1) // nc, (idx[1] - 1) % nc
    r1, c1 = (idx[2] - 1) // nc, (idx[2] - 1) % nc
  else r0, c0 = (idx - 1) // nc, (idx - 1) % nc; r1, c1 = r0, c0 end
  local ax = Axes.new(self, {spec = {nr, nc, r0, r1, c0, c1}})
  if opts.sharex then ax.share_x = opts.sharex end
  if opts.sharey then ax.share_y = opts.sharey end
  self:_append(ax)
  self._gca = ax
  if opts.projection == "3d" then plt._views.make3d(ax) end
  if opts.projection == "ternary" then plt._views.make_ternary(ax) end
  if opts.facecolor then ax:set_facecolor(opts.facecolor) end
  if opts.title then ax:set_title(opts.title) end
  if opts.xlabel then ax:set_xlabel(opts.xlabel) end
  if opts.ylabel then ax:set_ylabel(opts.ylabel) end
  return ax
end

-- fig:add_axes({left, bottom, width, height}) in figure fractions (no auto layout)
local ADDAX_OPTS = S.set("projection facecolor title xlabel ylabel rect")
function Figure:add_axes (rect, opts)
  if type(rect) == "table" and rect[1] == nil then opts, rect = rect, rect.rect end
  opts = S.check("add_axes", opts, ADDAX_OPTS)
  if type(rect) ~= "table" or #rect ~= 4 then error("add_axes: rect must be {left, bottom, width, height} in figure fractions", 2) end
  for i = 1, 4 do if type(rect[i]) ~= "number" then error("add_axes: rect must hold 4 numbers", 2) end end
  if opts.projection ~= nil and opts.projection ~= "3d" and opts.projection ~= "rectilinear" then
    error(("add_axes: unknown projection '%s' (use '3d')"):format(tostring(opts.projection)), 2)
  end
  local ax = Axes.new(self, {rect = {rect[1], rect[2], rect[3], rect[4]}})
  self:_append(ax)
  if opts.projection == "3d" then plt._views.make3d(ax) end
  if opts.facecolor then ax:set_facecolor(opts.facecolor) end
  if opts.title then ax:set_title(opts.title) end
  if opts.xlabel then ax:set_xlabel(opts.xlabel) end
  if opts.ylabel then ax:set_ylabel(opts.ylabel) end
  self._gca = ax
  return ax
end

local SUPT_OPTS = S.set("fontsize size fontweight weight color x y ha va")
function Figure:suptitle (s, opts)
  opts = S.check("suptitle", opts, SUPT_OPTS)
  self._suptitle = s; self._suptitle_opts = opts
end
function Figure:supxlabel (s) self._supxlabel = s end
function Figure:supylabel (s) self._supylabel = s end
-- fig:tight_layout{pad=1.08, h_pad=, w_pad=, rect={0, 0, 1, 1}}: matplotlib's
-- tight_layout (plot_tight.lua): subplot parameters computed from the
-- measured extents of tick labels, axis labels and titles, pads in font sizes.
function Figure:tight_layout (opts)
  if type(opts) == "number" then opts = {pad = opts} end
  opts = S.check("tight_layout", opts, TIGHT_OPTS)
  self._tight = Tight.check("tight_layout", opts, 2)
  self.layout = true
end
function Figure:set_size_inches (w, h)
  if type(w) == "table" then w, h = w[1], w[2] end
  if type(w) ~= "number" or type(h) ~= "number" or w <= 0 or h <= 0 then
    error("set_size_inches: width and height must be positive numbers", 2)
  end
  self.figsize = {w, h}
end
function Figure:gca () return self._gca or self._axes[#self._axes] or self:add_subplot(1, 1, 1) end
-- fig:clf(): removes every axes, colorbar and suptitle; the figure stays.
function Figure:clf ()
  self._axes, self.colorbars = {}, {}
  self._suptitle, self._suptitle_opts, self._supxlabel, self._supylabel, self._gca = nil, nil, nil, nil, nil
  return self
end
Figure.clear = Figure.clf

local SUBPLOTS_OPTS = S.set("nrows ncols figsize dpi sharex sharey projection squeeze facecolor layout constrained_layout tight_layout subplot_kw")
local GRID_KW = S.set("nrows ncols sharex sharey squeeze subplot_kw projection")
local SHARE = {[true] = true, [false] = true, all = true, none = true, row = true, col = true}

-- Arguments of subplots: (nrows, ncols, opts), (opts) or keywords in opts.
local function subplots_args (fname, nrows, ncols, opts)
  if type(nrows) == "table" then opts, nrows, ncols = nrows, nil, nil end
  if type(ncols) == "table" then opts, ncols = ncols, nil end
  opts = S.check(fname, opts, fname == "plt.subplots" and SUBPLOTS_OPTS or GRID_KW)
  nrows, ncols = nrows or opts.nrows or 1, ncols or opts.ncols or 1
  if type(nrows) ~= "number" or type(ncols) ~= "number" or nrows < 1 or ncols < 1 or nrows % 1 ~= 0 or ncols % 1 ~= 0 then
    error(fname .. ": nrows and ncols must be positive integers", 3)
  end
  for _, k in ipairs {"sharex", "sharey"} do
    if opts[k] ~= nil and not SHARE[opts[k]] then
      error(("%s: %s must be true, false, 'all', 'none', 'row' or 'col' (got '%s')"):format(fname, k, tostring(opts[k])), 3)
    end
  end
  local proj = opts.projection or (opts.subplot_kw and opts.subplot_kw.projection)
  if proj ~= nil and proj ~= "3d" and proj ~= "ternary" and proj ~= "rectilinear" then
    error(("%s: unknown projection '%s' (use '3d' or 'ternary')"):format(fname, tostring(proj)), 3)
  end
  return nrows, ncols, opts, proj
end

local function make_grid (fig, nrows, ncols, opts, proj)
  local grid = {}
  local sx, sy = opts.sharex, opts.sharey
  for r = 1, nrows do
    grid[r] = {}
    for c = 1, ncols do
      local ax = fig:add_subplot(nrows, ncols, (r - 1) * ncols + c, {projection = proj})
      local first = grid[1][1]
      if sx == true or sx == "all" then if first and first ~= ax then ax.share_x = first end
      elseif sx == "col" and r > 1 then ax.share_x = grid[1][c] end
      if sy == true or sy == "all" then if first and first ~= ax then ax.share_y = first end
      elseif sy == "row" and c > 1 then ax.share_y = grid[r][1] end
      -- shared axes show tick labels only on the outer edge (label_outer)
      if (sx == true or sx == "all" or sx == "col") and r < nrows then ax.show_xticklabels = false; ax._hide_xlabel = true end
      if (sy == true or sy == "all" or sy == "row") and c > 1 then ax.show_yticklabels = false end
      grid[r][c] = ax
    end
  end
  if opts.squeeze == false then return grid end
  if nrows == 1 and ncols == 1 then return grid[1][1] end
  if nrows == 1 then return grid[1] end
  if ncols == 1 then
    local col = {}
    for r = 1, nrows do col[r] = grid[r][1] end
    return col
  end
  return grid
end

-- fig:subplots([nrows, ncols][, {sharex=, sharey=, squeeze=, subplot_kw=}]) -> ax | {ax...} | {{ax...}...}
function Figure:subplots (nrows, ncols, opts)
  local nr, nc, o, proj = subplots_args("subplots", nrows, ncols, opts)
  return make_grid(self, nr, nc, o, proj)
end

-- plt.subplots([nrows, ncols][, opts]) or plt.subplots{nrows=, ncols=, figsize=, sharex=, ...}
-- -> fig, ax | {ax...} | {{ax...}...}
function plt.subplots (nrows, ncols, opts)
  local nr, nc, o, proj = subplots_args("plt.subplots", nrows, ncols, opts)
  local fig = plt.figure {figsize = o.figsize, dpi = o.dpi, facecolor = o.facecolor, layout = o.layout,
                         tight_layout = o.tight_layout}
  return fig, make_grid(fig, nr, nc, o, proj)
end

-- =====}

-- {===== legend

local LOCS = {"upper right", "upper left", "lower left", "lower right", "right", "center left",
              "center right", "lower center", "upper center", "center"}
local LOC_SET = {best = true}
for i, l in ipairs(LOCS) do LOC_SET[l] = i end

local LEGEND_KINDS = {line = true, scatter = true, bars = true, poly = true, refline = true, span = true, patch = true}
local function legend_entries (ax)
  local ents = {}
  local labels = ax.legend_opts.labels
  local handles = ax.legend_opts.handles
  if handles then
    for i, a in ipairs(handles) do
      local lab = labels and labels[i] or a.label
      if lab ~= nil then ents[#ents + 1] = {a = a.legend_proxy or a, label = tostring(lab)} end
    end
    return ents
  end
  local k = 0
  local axes = {ax}
  for _, t in ipairs(ax.twins or {}) do axes[#axes + 1] = t end
  for _, a0 in ipairs(axes) do
    for _, a in ipairs(a0.artists) do
      if not a.nolegend and (LEGEND_KINDS[a.kind] or a.legend_proxy) then
        k = k + 1
        local lab = labels and labels[k] or a.label
        if lab and tostring(lab):sub(1, 1) ~= "_" then ents[#ents + 1] = {a = a.legend_proxy or a, label = tostring(lab)} end
      end
    end
    -- 3-D items appear as their 2-D look-alikes
    for _, it in ipairs(a0.items3d or {}) do
      local a
      if it.kind == "scatter3d" then
        a = {kind = "scatter", color = it.color, colors = it.colors, s = it.s, marker = it.marker, lw = 0.5, edge = "face"}
      elseif it.kind == "line3d" then a = {kind = "line", color = it.color, lw = it.lw, ls = it.ls or "-", ms = 6} end
      if a then
        k = k + 1
        local lab = labels and labels[k] or it.label
        if lab and tostring(lab):sub(1, 1) ~= "_" then ents[#ents + 1] = {a = a, label = tostring(lab)} end
      end
    end
  end
  return ents
end

function Axes:_draw_legend (cv, mx, my)
  local ents = legend_entries(self)
  if #ents == 0 then
    io.stderr:write("warning: legend: no artists with labels found (use label= when plotting)\n")
    return
  end
  local s, b = self._s, self.box
  local o = self.legend_opts
  local fs = (o.fontsize or 10) * s
  local mscale = o.markerscale or 1
  local tcol = S.rgba(self:_rc("text.color"), nil, "legend")
  local ncol = o.ncol or 1
  local hl, htp, ls, bp, bap = 2.0 * fs, 0.8 * fs, 0.5 * fs, 0.4 * fs, 0.5 * fs
  local rows = math.ceil(#ents / ncol)
  local colw, rowh = {}, fs * 1.0
  local tw = {}
  for i, e in ipairs(ents) do
    e.runs = T.runs(e.label)
    local w, a, d = core.text_size(e.runs, fs)
    tw[i] = w
    rowh = math.max(rowh, a + d)
    local c = (i - 1) // rows + 1
    colw[c] = math.max(colw[c] or 0, hl + htp + w)
  end
  local title_h = 0
  local tfs = o.title_fontsize and S.R.fontsize(o.title_fontsize, self:_rc("font.size")) * s or fs
  if o.title then local _, a, d = core.text_size(T.runs(o.title), tfs); title_h = a + d + ls end
  local W = 2 * bp
  for c = 1, #colw do W = W + colw[c] + (c > 1 and 2.0 * fs or 0) end
  local H = 2 * bp + rows * rowh + (rows - 1) * ls + title_h
  local function place (code)
    local x0, y0
    local l = LOCS[code]
    if o.bbox_to_anchor then
      -- the loc corner of the legend sits at this point (axes fraction)
      local axp = b[1] + o.bbox_to_anchor[1] * (b[3] - b[1])
      local ayp = b[4] - o.bbox_to_anchor[2] * (b[4] - b[2])
      if l:find("left") then x0 = axp elseif l:find("right") then x0 = axp - W else x0 = axp - W / 2 end
      if l:find("upper") then y0 = ayp elseif l:find("lower") then y0 = ayp - H else y0 = ayp - H / 2 end
      return x0, y0
    end
    if l:find("left") then x0 = b[1] + bap elseif l:find("right") then x0 = b[3] - bap - W else x0 = (b[1] + b[3] - W) / 2 end
    if l:find("upper") then y0 = b[2] + bap elseif l:find("lower") then y0 = b[4] - bap - H else y0 = (b[2] + b[4] - H) / 2 end
    return x0, y0
  end
  local loc = o.loc or "best"
  if type(loc) == "number" then loc = loc == 0 and "best" or LOCS[loc] end
  if not LOC_SET[loc] then
    local names = {"best"}
    for _, l in ipairs(LOCS) do names[#names + 1] = l end
    local near = S.nearest(tostring(loc), names)
    error(("legend: unknown location '%s'%s"):format(tostring(loc), near and (" (did you mean '" .. near .. "'?)") or ""), 0)
  end
  local x0, y0
  if loc == "best" then
    -- matplotlib's rule: the first location (in LOCS order) overlapping the fewest data vertices/segments
    local best, bestbad = 1, math.huge
    for code = 1, #LOCS do
      local px, py = place(code)
      local bad = 0
      for _, a0 in ipairs {self, table.unpack(self.twins or {})} do
        local amx, amy = a0:_map("x"), a0:_map("y")
        for _, a in ipairs(a0.artists) do
          if a.kind == "line" then bad = bad + core.count_in_box(a.x, a.y, amx, amy, {px, py, px + W, py + H}, true)
          elseif a.kind == "scatter" then bad = bad + core.count_in_box(a.x, a.y, amx, amy, {px, py, px + W, py + H}, false)
          elseif a.kind == "bars" then
            for _, r in ipairs(a.rects) do
              local rx0, rx1 = core.axmap(amx, r[1]), core.axmap(amx, r[1] + r[3])
              local ry0, ry1 = core.axmap(amy, r[2]), core.axmap(amy, r[2] + r[4])
              if math.max(rx0, rx1) > px and math.min(rx0, rx1) < px + W and math.max(ry0, ry1) > py and math.min(ry0, ry1) < py + H then bad = bad + 1 end
            end
          elseif a.kind == "poly" then
            bad = bad + core.count_in_box(a.x, a.y, amx, amy, {px, py, px + W, py + H}, true)
          end
        end
      end
      if bad < bestbad then best, bestbad = code, bad end
      if bad == 0 then break end
    end
    x0, y0 = place(best)
  else x0, y0 = place(LOC_SET[loc]) end
  self._legend_box = {x0, y0, x0 + W, y0 + H}
  if o.frameon ~= false then
    local fa = o.framealpha or 0.8
    local fc = S.rgba(o.facecolor or self:_rc("axes.facecolor"), nil, "legend")
    local ec = o.edgecolor and S.rgba(o.edgecolor, nil, "legend") or {0.8, 0.8, 0.8, 1}
    cv:rect(x0, y0, W, H, {fill = {fc[1], fc[2], fc[3], fc[4] * fa}, stroke = {ec[1], ec[2], ec[3], ec[4] * fa}, lw = 1.0 * s})
  end
  local ty = y0 + bp
  if o.title then cv:text(T.runs(o.title), x0 + W / 2, ty, {size = tfs, ha = "center", va = "top", color = tcol}); ty = ty + title_h end
  for i, e in ipairs(ents) do
    local c = (i - 1) // rows + 1
    local r = (i - 1) % rows
    local cx = x0 + bp
    for k = 1, c - 1 do cx = cx + colw[k] + 2.0 * fs end
    local cy = ty + r * (rowh + ls) + rowh / 2
    local a = e.a
    if a.kind == "line" or a.kind == "refline" then
      local lw = a.lw * s
      local dash = S.dash(a.ls, lw)
      if dash ~= false then cv:path({cx, cx + hl}, {cy, cy}, {stroke = a.color, lw = lw, dash = dash or nil}) end
      if a.marker then
        cv:markers({cx + hl / 2}, {cy}, {0, 1, 0, 1, 0, 1}, {0, 1, 0, 1, 0, 1},
                   {marker = a.marker, size = a.ms * s * mscale, fill = a.mfc or a.color, edge = a.mec or a.color, lw = (a.mew or 1) * s})
      end
    elseif a.kind == "scatter" then
      local col = a.color
      if not col and a.colors then
        local t = core.tolist(a.colors); col = {t[1], t[2], t[3], t[4]}
      end
      local size = math.sqrt(a.s or 36) * s * mscale
      cv:markers({cx + hl / 2}, {cy}, {0, 1, 0, 1, 0, 1}, {0, 1, 0, 1, 0, 1},
                 {marker = a.marker, size = size, fill = col, edge = a.edge == "face" and col or a.edge, lw = a.lw * s})
    else
      local fill = a.fill or (a.fills and a.fills[1])
      cv:rect(cx, cy - 0.35 * fs, hl, 0.7 * fs, {fill = fill, stroke = a.edge or (not fill and a.color) or nil, lw = (a.lw or 1) * s})
    end
    cv:text(e.runs, cx + hl + htp, cy, {size = fs, va = "center", color = tcol})
  end
end

-- =====}

-- {===== colorbar

local Colorbar = {}
Colorbar.__index = require("geolab.util").member_index(Colorbar, "Colorbar")
function Colorbar:set_label (s) self.label = s end

-- cb.ax: the colorbar's axes, listed in fig.axes as matplotlib lists them
-- (label '<colorbar>'). geolab draws the colorbar itself, so these axes take
-- the calls that set what it draws; any other method is an error by name.
local CbarAxes = {__tostring = function () return "<Axes: label='<colorbar>'>" end}
CbarAxes.__index = require("geolab.util").member_index(CbarAxes, "colorbar Axes")
function CbarAxes:get_label () return "<colorbar>" end
function CbarAxes:set_ylabel (s) self.colorbar.label = s end
CbarAxes.set_xlabel = CbarAxes.set_ylabel
function CbarAxes:set_yticks (t) self.colorbar.ticks = t end
CbarAxes.set_xticks = CbarAxes.set_yticks

-- fig:colorbar(mappable, {ax=, label=, orientation=, shrink=}) -> colorbar
function Figure:colorbar (m, opts)
  opts = S.check("colorbar", opts, S.set("ax label orientation shrink fraction pad ticks extend"))
  if type(m) ~= "table" or not m.mappable then
    error("colorbar: the first argument must be a mappable (the result of imshow, scatter with c=, pcolormesh or contourf)", 2)
  end
  local parent = opts.ax or m.ax
  local cb = setmetatable({m = m, parent = parent, label = opts.label, shrink = opts.shrink or 1,
                           orientation = opts.orientation or "vertical", ticks = opts.ticks}, Colorbar)
  self._seq = self._seq + 1
  cb.ax = setmetatable({colorbar = cb, _seq = self._seq}, CbarAxes)
  parent._cbar = cb
  self.colorbars[#self.colorbars + 1] = cb
  return cb
end

local function cbar_decor (cb, s)
  -- width of the colorbar, its ticks and labels, to the right of the parent
  local lo, hi = cb.m.vmin, cb.m.vmax
  if cb.m.boundaries then lo, hi = cb.m.boundaries[1], cb.m.boundaries[#cb.m.boundaries] end
  local ticks = cb.ticks or T.inside(T.linear_ticks(lo, hi, 8), lo, hi)
  if cb.m.boundaries and not cb.ticks and #cb.m.boundaries <= 12 then ticks = cb.m.boundaries end   -- contourf: at the levels
  if cb.m.norm == "log" then ticks = T.inside((T.log_ticks(lo, hi, 8)), lo, hi) end
  local labels
  if cb.m.norm == "log" then labels = {}; for i, v in ipairs(ticks) do labels[i] = T.log_label(v) end
  else labels = T.scalar_labels(ticks, lo, hi) end
  cb._ticks, cb._labels = ticks, labels
  local w = 0
  for _, l in ipairs(labels) do w = math.max(w, (core.text_size(l, 10 * s))) end
  local lab = 0
  if cb.label then local _, a, d = core.text_size(T.runs(cb.label), 10 * s); lab = a + d + 4 * s end
  cb._labw = w
  return w + 7 * s + lab
end

local function draw_colorbar (cb, cv, s)
  local b = cb.box
  local m = cb.m
  local st = cb.parent:_style()
  local n = 256
  local vals = {}
  local lo, hi = m.vmin, m.vmax
  if m.boundaries then
    -- contourf: one block per band
    local bd = m.boundaries
    local mids = {}
    for i = 1, #bd - 1 do mids[i] = (bd[i] + bd[i + 1]) / 2 end
    lo, hi = bd[1], bd[#bd]
    local cols = core.tolist(core.cmap_apply(mids, m.cmap, m.vmin, m.vmax, {reverse = m.cmap_r}))
    for i = 1, #bd - 1 do
      local y0 = b[4] - (bd[i] - lo) / (hi - lo) * (b[4] - b[2])
      local y1 = b[4] - (bd[i + 1] - lo) / (hi - lo) * (b[4] - b[2])
      cv:rect(b[1], y1, b[3] - b[1], y0 - y1 + 0.5, {fill = {cols[4 * i - 3], cols[4 * i - 2], cols[4 * i - 1], 1}})
    end
  else
    for i = 1, n do
      local t = (n - i + 0.5) / n
      if m.norm == "log" then vals[i] = {10 ^ (math.log(lo, 10) + t * (math.log(hi, 10) - math.log(lo, 10)))}
      else vals[i] = {lo + t * (hi - lo)} end
    end
    local rgba = core.cmap_apply(vals, m.cmap, lo, hi, {reverse = m.cmap_r, log = m.norm == "log"})
    cv:image(rgba, b[1], b[2], b[3] - b[1], b[4] - b[2], {nearest = true})
  end
  cv:rect(b[1], b[2], b[3] - b[1], b[4] - b[2], {stroke = st.edge, lw = 0.8 * s})
  local map = {lo, hi, b[4], b[2], m.norm == "log" and 1 or 0, 1}
  if m.boundaries then map = {m.boundaries[1], m.boundaries[#m.boundaries], b[4], b[2], 0, 1} end
  for i, v in ipairs(cb._ticks) do
    local y = core.axmap(map, v)
    cv:path({b[3], b[3] + 3.5 * s}, {y, y}, {stroke = st.edge, lw = 0.8 * s})
    cv:text(cb._labels[i], b[3] + 7 * s, y, {size = 10 * s, va = "center", color = st.ytick})
  end
  if cb.label then
    cv:text(T.runs(cb.label), b[3] + 7 * s + cb._labw + 4 * s, (b[2] + b[4]) / 2, {size = 10 * s, ha = "center", va = "top", rotation = 90, color = st.labelc})
  end
end

-- =====}

-- {===== layout and drawing

-- Places every grid axes so that tick labels, axis labels, titles and
-- colorbars fit without overlapping (tight_layout's goal), iterating because
-- the ticks depend on the axes size.
function Figure:_layout ()
  local s = self.dpi / 72
  local W, H = self.figsize[1] * self.dpi, self.figsize[2] * self.dpi
  self._W, self._H, self._s = W, H, s
  local pad = (self._pad or 1.08) * 10 * s * 0.5 + 2 * s
  local sup, sup_h = 0, 0
  if self._suptitle then
    local o = self._suptitle_opts
    local _, a, d = core.text_size(T.runs(self._suptitle), S.R.fontsize(o.fontsize or o.size or self.rc["figure.titlesize"], self.rc["font.size"]) * s)
    sup, sup_h = a + d + 6 * s, a + d
  end
  local grid_axes, nr, nc = {}, 1, 1
  for _, ax in ipairs(self._axes) do
    ax._s = s
    if ax.spec and not ax.twin_of then
      grid_axes[#grid_axes + 1] = ax
      nr, nc = math.max(nr, ax.spec[1]), math.max(nc, ax.spec[2])
    end
  end
  -- initial boxes: matplotlib's default subplot parameters
  local function boxes (left, right, top, bottom, colL, colR, rowT, rowB)
    local availW = W - left - right
    local availH = H - top - bottom
    local sumw, sumh = 0, 0
    for c = 1, nc do sumw = sumw + (c > 1 and colL[c] or 0) + (c < nc and colR[c] or 0) end
    for r = 1, nr do sumh = sumh + (r > 1 and rowT[r] or 0) + (r < nr and rowB[r] or 0) end
    local gap = 0.02 * W
    local cw = (availW - sumw - (nc - 1) * gap) / nc
    local rh = (availH - sumh - (nr - 1) * gap) / nr
    local xs, ys = {}, {}
    local x = left
    for c = 1, nc do
      if c > 1 then x = x + colL[c] end
      xs[c] = x; x = x + cw + colR[c] + gap
    end
    local y = top
    for r = 1, nr do
      if r > 1 then y = y + rowT[r] end
      ys[r] = y; y = y + rh + rowB[r] + gap
    end
    return xs, ys, cw, rh
  end
  local colL, colR, rowT, rowB = {}, {}, {}, {}
  for c = 1, nc do colL[c], colR[c] = 0.125 * W, 0.1 * W end
  for r = 1, nr do rowT[r], rowB[r] = 0.12 * H, 0.11 * H end
  local function assign (xs, ys, cw, rh)
    for _, ax in ipairs(grid_axes) do
      local sp = ax.spec
      local r0, r1, c0, c1 = sp[3] + 1, sp[4] + 1, sp[5] + 1, sp[6] + 1
      local x0, y0 = xs[c0], ys[r0]
      local x1, y1 = xs[c1] + cw, ys[r1] + rh
      if ax._cbar then
        local cbw = math.max((y1 - y0) * ax._cbar.shrink / 20, 6 * s)
        ax._cbar_w = cbw
        x1 = x1 - cbw - 0.05 * (x1 - x0) - (ax._cbar_dec or 0)
      end
      ax.box = {x0, y0, math.max(x1, x0 + 4), math.max(y1, y0 + 4)}
    end
  end
  if self._tight and #grid_axes > 0 then
    -- matplotlib's tight_layout: measure at the default subplot parameters,
    -- then place the grid with the parameters that make everything fit
    assign(Tight.cells(Tight.DEFAULT, nr, nc, W, H))
    local groups, byhost = {}, {}
    for _, ax in ipairs(self._axes) do
      ax._limx, ax._limy = nil, nil
      if ax.twin_of then ax.box = ax.twin_of.box end
      local host = ax.twin_of or ax
      if host.spec and ax.box then
        local L, R, Tp, B = ax:_decor()
        if ax._cbar then ax._cbar_dec = cbar_decor(ax._cbar, s); R = math.max(R, 0) end
        local g = byhost[host]
        if not g then
          local sp = host.spec
          g = {sp[3] + 1, sp[4] + 1, sp[5] + 1, sp[6] + 1, 0, 0, 0, 0}
          byhost[host] = g; groups[#groups + 1] = g
        end
        g[5], g[6] = math.max(g[5], L), math.max(g[6], R)
        g[7], g[8] = math.max(g[7], Tp), math.max(g[8], B)
      end
    end
    local t = self._tight
    local p = Tight.params(groups, nr, nc, W, H, {pad = t.pad, h_pad = t.h_pad, w_pad = t.w_pad, rect = t.rect,
                                                  fontsize_px = self.rc["font.size"] * s, sup_px = sup_h})
    p = p or Tight.DEFAULT
    self.subplotpars = {left = p.left, right = p.right, bottom = p.bottom, top = p.top, wspace = p.wspace, hspace = p.hspace}
    assign(Tight.cells(p, nr, nc, W, H))
  elseif self.layout and #grid_axes > 0 then
    local left, right, top, bottom = 0.125 * W, 0.1 * W, 0.12 * H, 0.11 * H
    local xs, ys, cw, rh = boxes(0, 0, 0, 0, colL, colR, rowT, rowB)
    assign(xs, ys, cw, rh)
    for _ = 1, 3 do
      for c = 1, nc do colL[c], colR[c] = 0, 0 end
      for r = 1, nr do rowT[r], rowB[r] = 0, 0 end
      for _, ax in ipairs(self._axes) do
        ax._limx, ax._limy = nil, nil
        if ax.box or ax.twin_of then
          if ax.twin_of then ax.box = ax.twin_of.box end
          local L, R, Tt, B = ax:_decor()
          local host = ax.twin_of or ax
          if host.spec then
            local sp = host.spec
            local c0, c1, r0, r1 = sp[5] + 1, sp[6] + 1, sp[3] + 1, sp[4] + 1
            if ax._cbar then ax._cbar_dec = cbar_decor(ax._cbar, s); R = math.max(R, 0) end
            colL[c0] = math.max(colL[c0], L); colR[c1] = math.max(colR[c1], R)
            rowT[r0] = math.max(rowT[r0], Tt); rowB[r1] = math.max(rowB[r1], B)
          end
        end
      end
      left, right, top, bottom = pad + colL[1], pad + colR[nc], pad + rowT[1] + sup, pad + rowB[nr]
      local cl, cr, rt, rb = {}, {}, {}, {}
      for c = 1, nc do cl[c], cr[c] = colL[c], colR[c] end
      for r = 1, nr do rt[r], rb[r] = rowT[r], rowB[r] end
      cl[1], cr[nc], rt[1], rb[nr] = 0, 0, 0, 0
      xs, ys, cw, rh = boxes(left, right, top, bottom, cl, cr, rt, rb)
      assign(xs, ys, cw, rh)
    end
  else
    local xs, ys, cw, rh = boxes(0.125 * W, 0.1 * W, 0.12 * H, 0.11 * H,
                                 setmetatable({}, {__index = function () return 0.1 * W end}),
                                 setmetatable({}, {__index = function () return 0.05 * W end}),
                                 setmetatable({}, {__index = function () return 0.1 * H end}),
                                 setmetatable({}, {__index = function () return 0.1 * H end}))
    assign(xs, ys, cw, rh)
  end
  for _, ax in ipairs(self._axes) do
    if ax.rect then
      local r = ax.rect
      ax.box = {r[1] * W, (1 - r[2] - r[4]) * H, (r[1] + r[3]) * W, (1 - r[2]) * H}
    end
    if ax.twin_of then ax.box = ax.twin_of.box end
  end
  -- fixed aspect: shrink the box around its centre
  for _, ax in ipairs(self._axes) do
    ax._limx, ax._limy = ax:_limits("x"), ax:_limits("y")
    if ax.aspect ~= "auto" and ax.box and not ax.is3d then
      local b = ax.box
      local dx = math.abs(ax._limx[2] - ax._limx[1])
      local dy = math.abs(ax._limy[2] - ax._limy[1])
      local ratio = (ax.aspect == "equal" and 1 or ax.aspect) * dy / dx
      local bw, bh = b[3] - b[1], b[4] - b[2]
      if bh / bw > ratio then
        local nh = bw * ratio
        ax.box = {b[1], b[2] + (bh - nh) / 2, b[3], b[2] + (bh + nh) / 2}
      else
        local nw = bh / ratio
        ax.box = {b[1] + (bw - nw) / 2, b[2], b[1] + (bw + nw) / 2, b[4]}
      end
      for _, t in ipairs(ax.twins or {}) do t.box = ax.box end
    end
    if ax._cbar then
      local b = ax.box
      local cb = ax._cbar
      local h = (b[4] - b[2]) * cb.shrink
      local cy = (b[2] + b[4]) / 2
      local x0 = b[3] + 0.05 * (b[3] - b[1]) + (ax._tw_right or 0)
      for _, t in ipairs(ax.twins or {}) do local _, R = t:_decor(); x0 = b[3] + R + 4 * s end
      cb.box = {x0, cy - h / 2, x0 + (ax._cbar_w or 10 * s), cy + h / 2}
      if not cb._ticks then cbar_decor(cb, s) end
    end
  end
  for _, ax in ipairs(self._axes) do ax:_decor() end
end

function Figure:_draw (cv, transparent)
  self._transparent = transparent
  if not transparent then cv:fill(table.unpack(self.facecolor)) end
  self:_layout()
  local s = self._s
  for _, ax in ipairs(self._axes) do if not ax.twin_of then ax:draw(cv) end end
  for _, ax in ipairs(self._axes) do if ax.twin_of then ax:draw(cv) end end
  for _, cb in ipairs(self.colorbars) do if cb.box then draw_colorbar(cb, cv, s) end end
  if self._suptitle then
    local o = self._suptitle_opts
    cv:text(T.runs(self._suptitle), self._W * (o.x or 0.5), 1.08 * 10 * s * 0.5 + 2 * s,
            {size = S.R.fontsize(o.fontsize or o.size or self.rc["figure.titlesize"], self.rc["font.size"]) * s,
             ha = o.ha or "center", va = "top", bold = (o.fontweight or o.weight) == "bold",
             color = S.rgba(o.color or self.rc["text.color"], nil, "suptitle")})
  end
end

local SAVE_OPTS = S.set("dpi transparent facecolor bbox_inches format pad_inches")
-- fig:savefig(path, {dpi=, transparent=, format=}): format from the extension.
function Figure:savefig (path, opts)
  opts = S.check("savefig", opts, SAVE_OPTS)
  if type(path) ~= "string" or path == "" then error("savefig: path must be a non-empty string", 2) end
  local fmt = opts.format or path:match("%.([%w]+)$")
  fmt = fmt and fmt:lower() or "png"
  if not path:match("%.[%w]+$") then path = path .. ".png" end
  if fmt ~= "png" and fmt ~= "svg" and fmt ~= "pdf" then
    error(("savefig: format '%s' is not supported (supported formats: png, svg, pdf)"):format(fmt), 2)
  end
  local rcdpi = (self.rc or S.rc)["savefig.dpi"]
  local dpi = opts.dpi or (rcdpi ~= "figure" and rcdpi) or self.dpi
  if dpi == "figure" then dpi = self.dpi end
  if type(dpi) ~= "number" or dpi <= 0 then error("savefig: dpi must be a positive number", 2) end
  local rcfc = (self.rc or S.rc)["savefig.facecolor"]
  if opts.facecolor == nil and rcfc ~= "auto" then opts.facecolor = rcfc end
  if opts.facecolor == "auto" then opts.facecolor = nil end
  if opts.transparent == nil then opts.transparent = (self.rc or S.rc)["savefig.transparent"] end
  local saved = self.dpi
  self.dpi = dpi
  if opts.facecolor then self._fc_saved = self.facecolor; self.facecolor = S.rgba(opts.facecolor, nil, "savefig") end
  local W, H = math.floor(self.figsize[1] * dpi + 0.5), math.floor(self.figsize[2] * dpi + 0.5)
  if W < 1 or H < 1 or W > 32768 or H > 32768 or W * H > 2 ^ 27 then
    self.dpi = saved
    if self._fc_saved then self.facecolor = self._fc_saved; self._fc_saved = nil end
    error(("savefig: a figure of %dx%d pixels is too large (figsize %gx%g at dpi %g)"):format(
      W, H, self.figsize[1], self.figsize[2], dpi), 2)
  end
  local ok, err = pcall(function ()
    local cv = core.canvas(W, H, fmt, path, dpi)
    self:_draw(cv, opts.transparent)
    if fmt == "png" then cv:save_png(path, dpi) else cv:finish() end
  end)
  self.dpi = saved
  if self._fc_saved then self.facecolor = self._fc_saved; self._fc_saved = nil end
  if not ok then error(tostring(err):gsub("^[^:]*:%d+: ", ""), 2) end
  return path
end

-- fig:render() -> canvas (for tests: cv:pixel(x, y))
function Figure:render (opts)
  local W, H = math.floor(self.figsize[1] * self.dpi + 0.5), math.floor(self.figsize[2] * self.dpi + 0.5)
  local cv = core.canvas(W, H, "png")
  self:_draw(cv, opts and opts.transparent)
  return cv
end

-- =====}

-- {===== pyplot-style state

function plt.gcf () return state.current or plt.figure() end
function plt.gca () local f = plt.gcf(); f._gca = f._gca or f._axes[#f._axes] or f:add_subplot(1, 1, 1); return f._gca end
-- plt.axes([rect][, {projection=}]): new axes on the current figure, filling
-- the default subplot area or at rect = {left, bottom, width, height}.
function plt.axes (rect, opts)
  if type(rect) == "table" and rect[1] == nil then opts, rect = rect, nil end
  local f = plt.gcf()
  local ok, ax = pcall(function ()
    if rect then return f:add_axes(rect, opts) end
    return f:add_subplot(1, 1, 1, opts)
  end)
  if not ok then error((tostring(ax):gsub("^[^:]*:%d+: ", ""):gsub("^add_%a+:", "plt.axes:")), 2) end
  f._gca = ax
  return ax
end
function plt.subplot (a, b, c, d) local f = plt.gcf(); local ax = f:add_subplot(a, b, c, d); f._gca = ax; return ax end
-- plt.close() closes the current figure, as matplotlib; plt.close("all"),
-- plt.close(fig) or plt.close(number) (fig.number, from 1) the others.
function plt.close (fig)
  if fig == "all" then state.figs = {}; state.current = nil; return end
  if fig == nil then fig = state.current
  elseif type(fig) == "number" then
    local n = fig
    fig = nil
    for _, f in ipairs(state.figs) do if f.number == n then fig = f end end
    if fig == nil then return end   -- matplotlib ignores a number with no figure
  elseif getmetatable(fig) ~= Figure then
    error(("plt.close: expected a figure, a figure number or 'all', got %s"):format(
      type(fig) == "string" and ("'" .. fig .. "'") or type(fig)), 2)
  end
  for i, f in ipairs(state.figs) do if f == fig then table.remove(state.figs, i) break end end
  if state.current == fig then state.current = state.figs[#state.figs] end
end
-- plt._figures(): the open figures, oldest first; geolab report shows them at
-- the end of each cell, as Jupyter's inline backend does
function plt._figures () return {table.unpack(state.figs)} end
-- plt.NAME(...) calls the current axes' method; its errors name plt.NAME,
-- the function the user called.
local function pyplot (name, method)
  plt[name] = function (...)
    local ax = plt.gca()
    local r = table.pack(pcall(ax[method], ax, ...))
    if not r[1] then
      local msg = tostring(r[2]):gsub("^[^:\n]*:%d+: ", "")
      if msg:sub(1, #method + 1) == method .. ":" then msg = "plt." .. name .. msg:sub(#method + 1)
      elseif not msg:find("^plt%.") then msg = "plt." .. name .. ": " .. msg end
      error(msg, 2)
    end
    return table.unpack(r, 2, r.n)
  end
end
for _, name in ipairs {"plot", "scatter", "hist", "bar", "barh", "errorbar", "fill_between", "axhline", "axvline",
                       "axhspan", "axvspan", "imshow", "pcolormesh", "contour", "contourf", "text", "annotate",
                       "legend", "grid", "loglog", "semilogx", "semilogy", "margins", "step", "boxplot", "violinplot",
                       "fill", "axline", "matshow", "triplot", "tripcolor", "tricontour", "tricontourf"} do
  pyplot(name, name)
end
local ALIAS = {title = "set_title", xlabel = "set_xlabel", ylabel = "set_ylabel", xlim = "set_xlim", ylim = "set_ylim",
               xscale = "set_xscale", yscale = "set_yscale", xticks = "set_xticks", yticks = "set_yticks", axis = "axis"}
for k, m in pairs(ALIAS) do pyplot(k, m) end
function plt.suptitle (s, o) return plt.gcf():suptitle(s, o) end
function plt.colorbar (m, o) return plt.gcf():colorbar(m or plt.gca()._last_mappable, o) end
function plt.savefig (p, o) return plt.gcf():savefig(p, o) end
function plt.tight_layout (o) plt.gcf():tight_layout(o) end
function plt.clf () plt.gcf():clf() end
function plt.cla () plt.gca():cla() end
plt.style = {use = S.R.use, context = S.R.context, available = S.R.available}
plt.rcParams = S.R.params
function plt.rcdefaults () S.R.defaults() end

-- plt.imread(path[, format]) or plt.imread(path, {format=}) -> float32 array
-- in [0, 1]: (h, w) grey, (h, w, 3) RGB or (h, w, 4) RGBA, as matplotlib's
-- imread of a PNG.
function plt.imread (path, fmt)
  if type(path) ~= "string" then error(("plt.imread: path must be a string, got %s"):format(type(path)), 2) end
  if type(fmt) == "table" then fmt = S.check("plt.imread", fmt, {format = true}).format end
  if fmt ~= nil and type(fmt) ~= "string" then
    error(("plt.imread: format must be a string such as 'png', got %s"):format(type(fmt)), 2)
  end
  local ext = (fmt or path:match("%.(%w+)$") or ""):lower()
  if ext ~= "png" then
    error(("plt.imread: only PNG files can be read (got '%s'); convert other formats to PNG first"):format(path), 2)
  end
  local a, err = core.imread(path)
  if not a then error("plt.imread: " .. err, 2) end
  return a
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64 (data)
  return ((data:gsub(".", function (x)
    local r, b = "", x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function (x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return B64:sub(c + 1, c + 1)
  end) .. ({"", "==", "="})[#data % 3 + 1])
end

-- Inline image protocol of the terminal: GEOLAB_INLINE=kitty|sixel|none
-- forces one; otherwise kitty's own variables, or a TERM known to speak sixel.
local SIXEL_TERMS = {foot = true, ["foot-extra"] = true, mlterm = true, ["yaft-256color"] = true,
                     contour = true, ["xterm-sixel"] = true}
local function inline_protocol ()
  local force = os.getenv("GEOLAB_INLINE")
  if force then return force ~= "none" and force or nil end
  local term = os.getenv("TERM") or ""
  if os.getenv("KITTY_WINDOW_ID") or term == "xterm-kitty" then return "kitty" end
  if SIXEL_TERMS[term] or os.getenv("TERM_PROGRAM") == "WezTerm" then return "sixel" end
  return nil
end

-- plt.show(): writes each open figure to a PNG file, prints its path and, in a
-- terminal that speaks the kitty graphics or the sixel protocol, shows it inline.
function plt.show (opts)
  opts = opts or {}
  local dir = os.getenv("GEOLAB_SHOW_DIR") or os.getenv("TMPDIR") or "/tmp"
  local proto = opts.inline ~= false and inline_protocol() or nil
  local paths = {}
  for _, fig in ipairs(state.figs) do
    state.shown = state.shown + 1
    local path = ("%s/geolab-figure-%d.png"):format(dir, state.shown)
    fig:savefig(path)
    paths[#paths + 1] = path
    print(path)
    if proto == "kitty" then
      local f = io.open(path, "rb")
      if f then
        local data = base64(f:read("a")); f:close()
        local out, first = {}, true
        for i = 1, #data, 4096 do
          local chunk = data:sub(i, i + 4095)
          local more = i + 4096 <= #data and 1 or 0
          out[#out + 1] = ("\27_G%sm=%d;%s\27\\"):format(first and "a=T,f=100," or "", more, chunk)
          first = false
        end
        io.write(table.concat(out), "\n")
      end
    elseif proto == "sixel" then
      local six = core.sixel(path)
      if six then io.write(six, "\n") end
    end
  end
  plt.close("all")
  return table.unpack(paths)
end

-- =====}

-- matplotlib's reprs, for the REPL
function Figure.__tostring (f)
  return ("<Figure size %gx%g with %d Axes>"):format(f.figsize[1] * f.dpi, f.figsize[2] * f.dpi, #f._axes + #f.colorbars)
end
function Axes.__tostring (ax)
  if ax.is3d then return "<Axes3D>" end
  return ax.title and ("<Axes: title={center='%s'}>"):format(ax.title) or "<Axes>"
end

plt.Figure, plt.Axes = Figure, Axes
Patches.install(plt)
plt.Triangulation = Tri.Triangulation
plt.colormaps = function () return require("geolab.util").list(S.cmap_names()) end
plt.to_rgba = function (c, alpha)  -- a fresh table, printable as the tuple matplotlib returns
  local t = S.rgba(c, alpha, "plt.to_rgba")
  local r = {t[1], t[2], t[3], t[4]}
  return require("geolab.util").shape(r)
end
plt._core = core
plt._ticks = T
plt._views = require "geolab.plot_views"
require("geolab.plot_raster").install(Axes)   -- after every module has added its methods
plt._views.install(plt, Figure, Axes)
Axes._views = plt._views

return plt
