-- frame_plot.lua: pandas' plotting front (df:plot{...}, s:plot{...},
-- df.plot.bar{...} and the other kinds, pd.plotting.scatter_matrix) drawn
-- through plt's public API only. Defaults are pandas 1.5's: the index on x,
-- one line per numeric column, a legend for frames, bars at positions with
-- the labels as ticks, KDEs with Scott's bandwidth over the data range
-- widened by half of it on each side (1000 points).
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local util = require "geolab.util"

local P = {}
local PD = { notable = "%s: options must be a table", strict = true }

local OPTS = { "x", "y", "kind", "style", "ax", "subplots", "figsize", "title", "logx", "logy", "loglog",
  "legend", "label", "color", "grid", "xlabel", "ylabel", "xlim", "ylim", "rot", "alpha", "lw", "linewidth",
  "linestyle", "marker", "markersize", "bins", "sharex", "sharey", "layout", "s", "c", "cmap", "colormap",
  "stacked", "width", "fontsize", "use_index", "colorbar", "density", "bw_method", "vert", "ind" }
local KINDS = { line = true, bar = true, barh = true, hist = true, scatter = true, box = true, kde = true,
  density = true, area = true }

local function plt() return require("geolab.plot") end

-- float64 values of a column with missing values as NaN
local function values(c) return C.float_array(c) end

local function dropnan(a)
  return a[a:eq(a)]
end

-- Gaussian KDE as scipy.stats.gaussian_kde (Scott's factor n^(-1/5) times
-- the sample std, ddof=1) on pandas' grid.
function P.kde(a, opts)
  a = dropnan(a)
  local n = #a
  if n < 2 then error("plot.kde: needs at least two values", 3) end
  local mn, mx = a:min(), a:max()
  local ind = opts and opts.ind
  if ind == nil then ind = np.linspace(mn - 0.5 * (mx - mn), mx + 0.5 * (mx - mn), 1000)
  elseif math.type(ind) == "integer" then ind = np.linspace(mn - 0.5 * (mx - mn), mx + 0.5 * (mx - mn), ind)
  else ind = np.asarray(ind) end
  local bw = opts and opts.bw_method
  local factor
  if bw == nil or bw == "scott" then factor = n ^ (-1 / 5)
  elseif bw == "silverman" then factor = (n * 3 / 4) ^ (-1 / 5)
  elseif type(bw) == "number" then factor = bw
  else error("plot.kde: bw_method must be 'scott', 'silverman' or a number", 3) end
  local sd = a:std { ddof = 1 } * factor
  local xs, data = ind:totable(), a:totable()
  local out = {}
  local norm = 1 / (n * sd * math.sqrt(2 * math.pi))
  for i, x in ipairs(xs) do
    local acc = 0
    for _, d in ipairs(data) do local z = (x - d) / sd; acc = acc + math.exp(-0.5 * z * z) end
    out[i] = acc * norm
  end
  return ind, np.array(out)
end

-- The data of a plot: x values (array, Series or Index), list of {name, array}.
local function select_data(obj, o, fname)
  if S.is_series(obj) then
    return obj._index, { { name = obj.name, c = obj._c } }, obj._index.name
  end
  local xcol, xname
  if o.x ~= nil then
    if math.type(o.x) == "integer" then o.x = obj._names[o.x] end
    xcol = D.col(obj, o.x, fname, 4); xname = o.x
  end
  local ys = o.y
  if ys == nil then
    ys = {}
    for _, nm in ipairs(obj._names) do
      local c = obj._cols[nm]
      if nm ~= o.x and (C.is_numeric(c)) then ys[#ys + 1] = nm end
    end
  elseif type(ys) ~= "table" then ys = { ys } end
  local list = {}
  for i, nm in ipairs(ys) do
    if math.type(nm) == "integer" then nm = obj._names[nm] end
    local c = D.col(obj, nm, fname, 4)
    if not C.is_numeric(c) then error(("%s: column '%s' is not numeric"):format(fname, tostring(nm)), 4) end
    list[i] = { name = nm, c = c }
  end
  if #list == 0 then error(fname .. ": no numeric data to plot", 4) end
  local x = xcol and S.new(xcol, nil, xname) or obj._index
  return x, list, xcol and xname or obj._index.name
end

-- x positions for labels that are not numbers (strings): 0..n-1 as pandas,
-- with the labels as ticks.
local function xvalues(x)
  local c = S.is_series(x) and x._c or x
  if c.kind == "string" or c.kind == "category" then
    return np.arange(c.n), C.tolist(c)
  end
  if S.is_series(x) then return x end
  return x   -- an Index: plt reads datetimes from it
end

local function decorate(ax, o, xname, is_frame, nlines)
  if o.title and type(o.title) == "string" then ax:set_title(o.title) end
  if o.logx or o.loglog then ax:set_xscale("log") end
  if o.logy or o.loglog then ax:set_yscale("log") end
  if o.grid then ax:grid(true) end
  if o.xlim then ax:set_xlim(o.xlim[1], o.xlim[2]) end
  if o.ylim then ax:set_ylim(o.ylim[1], o.ylim[2]) end
  if o.xlabel then ax:set_xlabel(o.xlabel) elseif xname then ax:set_xlabel(tostring(xname)) end
  if o.ylabel then ax:set_ylabel(o.ylabel) end
  local legend = o.legend
  if legend == nil then legend = is_frame or o.label ~= nil end
  if legend and nlines > 0 then ax:legend() end
end

local function style_of(o, i)
  local st = o.style
  if type(st) == "table" then return st[i] end
  return st
end

local function line_opts(o, i, name)
  local lo = { label = o.label or (name ~= nil and tostring(name) or nil), alpha = o.alpha,
    lw = o.lw or o.linewidth, linestyle = o.linestyle, marker = o.marker, markersize = o.markersize }
  local color = o.color
  if type(color) == "table" and util.bare(color) and type(color[1]) ~= "number" then color = color[i] end
  lo.color = color
  return lo
end

local function get_axes(o, n, fname)
  if o.ax ~= nil then
    if o.subplots then
      if type(o.ax) ~= "table" or #o.ax < n then error(fname .. ": with subplots, ax must hold one axes per column", 4) end
      return o.ax[1].fig, o.ax
    end
    return o.ax.fig, { o.ax }
  end
  if o.subplots then
    local nr, nc = n, 1
    if o.layout then nr, nc = o.layout[1], o.layout[2] end
    if nr * nc < n then error(fname .. ": layout holds fewer axes than columns", 4) end
    local fig, axs = plt().subplots(nr, nc, { figsize = o.figsize, sharex = o.sharex ~= false,
      sharey = o.sharey or false, squeeze = false })
    local flat = {}
    for r = 1, nr do for c = 1, nc do flat[#flat + 1] = axs[r][c] end end
    return fig, flat
  end
  local fig, ax = plt().subplots(1, 1, { figsize = o.figsize })
  return fig, { ax }
end

-- line / area
local function draw_line(axs, x, list, o)
  local xv, labels = xvalues(x)
  for i, it in ipairs(list) do
    local ax = axs[o.subplots and i or 1]
    local st = style_of(o, i)
    local y = values(it.c)
    local lo = line_opts(o, i, it.name)
    -- pandas keeps one colour per column across subplots
    if o.subplots and lo.color == nil and not (st and st:match("[bgrcmykw]")) then lo.color = "C" .. ((i - 1) % 10) end
    if st then ax:plot(xv, y, st, lo) else ax:plot(xv, y, lo) end
    if o.kind == "area" then
      ax:fill_between(xv, 0, y, { alpha = o.alpha or 0.5 })
    end
    if labels then ax:set_xticks(xv:totable(), labels) end
  end
end

local function draw_bar(axs, x, list, o, horizontal)
  local c = S.is_series(x) and x._c or x
  local labels = C.format(c.kind == "range" and C.new("int", np.arange(c.start, c.start + c.n)) or c,
    (function() local r = {} for i = 1, c.n do r[i] = i end return r end)())
  local n, k = c.n, #list
  local pos = np.arange(n)
  local width = o.width or 0.5
  local bottom = np.zeros(n)
  for i, it in ipairs(list) do
    local ax = axs[o.subplots and i or 1]
    local y = values(it.c)
    local lo = { label = tostring(it.name), alpha = o.alpha }
    local color = o.color
    if type(color) == "table" and util.bare(color) and type(color[1]) ~= "number" then color = color[i] end
    lo.color = color
    local p = pos
    local w = width
    if not o.stacked and not o.subplots and k > 1 then
      w = width / k
      p = pos - width / 2 + w * (i - 1) + w / 2
    end
    if o.stacked then if horizontal then lo.left = bottom:totable() else lo.bottom = bottom:totable() end end
    if horizontal then lo.height = w; ax:barh(p, y, lo) else lo.width = w; ax:bar(p, y, lo) end
    if o.stacked then bottom = bottom + np.where(y:eq(y), y, 0) end
    if horizontal then ax:set_yticks(pos:totable(), labels) else ax:set_xticks(pos:totable(), labels, { rotation = o.rot or 90 }) end
  end
end

local function draw_hist(axs, list, o)
  for i, it in ipairs(list) do
    local ax = axs[o.subplots and i or 1]
    local lo = line_opts(o, i, it.name)
    ax:hist(dropnan(values(it.c)), { bins = o.bins or 10, alpha = o.alpha or (#list > 1 and 0.5 or nil),
      label = lo.label, color = lo.color, density = o.density })
  end
end

local function draw_kde(axs, list, o)
  for i, it in ipairs(list) do
    local ax = axs[o.subplots and i or 1]
    local xs, ys = P.kde(values(it.c), o)
    local st = style_of(o, i)
    if st then ax:plot(xs, ys, st, line_opts(o, i, it.name)) else ax:plot(xs, ys, line_opts(o, i, it.name)) end
    ax:set_ylabel("Density")
  end
end

local function draw_box(ax, list, o)
  local sets, labels = {}, {}
  for i, it in ipairs(list) do sets[i] = dropnan(values(it.c)); labels[i] = tostring(it.name) end
  ax:boxplot(sets, { labels = labels, vert = o.vert })
end

local function draw_scatter(fig, ax, obj, o, fname)
  if S.is_series(obj) then error(fname .. ": kind='scatter' needs a DataFrame with x= and y=", 4) end
  if o.x == nil or o.y == nil then error(fname .. ": kind='scatter' needs x= and y= columns", 4) end
  local xc, yc = D.col(obj, o.x, fname, 4), D.col(obj, o.y, fname, 4)
  local so = { s = o.s, alpha = o.alpha, label = o.label, marker = o.marker }
  local cbar = false
  if type(o.c) == "string" and obj._cols[o.c] then
    so.c = values(obj._cols[o.c]); so.cmap = o.cmap or o.colormap or "viridis"
    cbar = o.colorbar ~= false
  else so.c = o.c; so.color = o.color; so.cmap = o.cmap or o.colormap end
  local sc = ax:scatter(values(xc), values(yc), so)
  ax:set_xlabel(o.xlabel or tostring(o.x)); ax:set_ylabel(o.ylabel or tostring(o.y))
  if cbar then fig:colorbar(sc, { ax = ax, label = o.c }) end
end

-- obj:plot{...} -> the axes (a list of axes with subplots=true), as pandas.
function P.plot(obj, o, kind_default)
  local fname = (S.is_series(obj) and "Series" or "DataFrame") .. ".plot"
  o = util.check_options(o, OPTS, fname, 3, PD)
  local cp = {}
  for k, v in pairs(o) do cp[k] = v end
  o = cp
  o.kind = o.kind or kind_default or "line"
  if not KINDS[o.kind] then
    local near = util.nearest(o.kind, util.sorted_keys(KINDS))
    error(("%s: unknown kind '%s'%s (line, bar, barh, hist, box, kde, density, area, scatter)"):format(fname,
      tostring(o.kind), near and (" (did you mean '" .. near .. "'?)") or ""), 3)
  end
  if o.kind == "scatter" then
    local fig, axs = get_axes(o, 1, fname)
    draw_scatter(fig, axs[1], obj, o, fname)
    if o.title then axs[1]:set_title(o.title) end
    if o.grid then axs[1]:grid(true) end
    return axs[1]
  end
  local x, list, xname = select_data(obj, o, fname)
  local isframe = D.is_frame(obj)
  if o.kind == "box" then
    local fig, axs = get_axes({ ax = o.ax, figsize = o.figsize }, 1, fname)
    draw_box(axs[1], list, o)
    if o.title then axs[1]:set_title(o.title) end
    if o.ylabel then axs[1]:set_ylabel(o.ylabel) end
    if o.logy then axs[1]:set_yscale("log") end
    return axs[1], fig
  end
  local fig, axs = get_axes(o, #list, fname)
  if o.kind == "line" or o.kind == "area" then draw_line(axs, x, list, o)
  elseif o.kind == "bar" or o.kind == "barh" then draw_bar(axs, x, list, o, o.kind == "barh")
  elseif o.kind == "hist" then draw_hist(axs, list, o); xname = nil
  else draw_kde(axs, list, o); xname = nil end
  local n = o.subplots and #list or 1
  for i = 1, n do
    local so = o
    if o.subplots and type(o.title) == "table" then so = setmetatable({ title = o.title[i] }, { __index = o }) end
    if o.subplots and type(o.title) == "string" then so = setmetatable({ title = false }, { __index = o }) end
    if o.kind == "barh" then so = setmetatable({ xlabel = o.ylabel or false, ylabel = o.xlabel or xname }, { __index = so }) end
    decorate(axs[i], so, (o.kind ~= "barh") and xname or nil, isframe, #list)
  end
  if o.subplots then
    if type(o.title) == "string" then fig:suptitle(o.title) end
    return util.list and util.list(axs) or axs
  end
  return axs[1]
end

-- df.plot: callable (df:plot{...}) and holding the kinds (df.plot.bar{...})
local Accessor = { __name = "geolab.PlotAccessor" }
function Accessor.__call(acc, a, b)
  local o = a
  if rawequal(a, acc.obj) or D.is_frame(a) or S.is_series(a) then o = b end
  return P.plot(acc.obj, o)
end
function Accessor.__index(acc, k)
  if k == "density" then k = "kde" end
  if KINDS[k] then
    return function(a, b)
      local o = a
      if rawequal(a, acc) then o = b end
      if k == "scatter" and type(o) == "string" then   -- df.plot.scatter("x", "y", {...}) as pandas
        local y, extra = b, select(1, nil)
        local t = { x = o, y = y }
        return P.plot(acc.obj, t, "scatter")
      end
      return P.plot(acc.obj, o, k)
    end
  end
  local near = type(k) == "string" and util.nearest(k, { "line", "bar", "barh", "hist", "box", "kde", "density", "area", "scatter" })
  error(("plot: unknown kind '%s'%s (line, bar, barh, hist, box, kde, density, area, scatter)"):format(tostring(k),
    near and (" (did you mean '" .. near .. "'?)") or ""), 2)
end
local function accessor(obj) return setmetatable({ obj = obj }, Accessor) end
S.accessors.plot = accessor
D.accessors.plot = accessor

-- pd.plotting.scatter_matrix(df, {diagonal="hist"|"kde", alpha=0.5, figsize=, marker=".", s=, c=,
-- hist_kwds=, density_kwds=, range_padding=0.05, grid=false}): pandas' grid,
-- limits (the data range padded by range_padding / 2 on each side) and KDE.
local SM_OPTS = { "alpha", "figsize", "ax", "grid", "diagonal", "marker", "density_kwds", "hist_kwds",
  "range_padding", "s", "c", "color", "bins" }
local function kwds(base, kw, name)
  if kw == nil then return base end
  if type(kw) ~= "table" or not util.bare(kw) then
    error(("pd.plotting.scatter_matrix: %s must be a table of options"):format(name), 3)
  end
  for k, v in pairs(kw) do base[k] = v end
  return base
end
function P.scatter_matrix(df, opts)
  local o = util.check_options(opts, SM_OPTS, "pd.plotting.scatter_matrix", 2, PD)
  if not D.is_frame(df) then error("pd.plotting.scatter_matrix: expected a DataFrame", 2) end
  local diag = o.diagonal or "hist"
  if diag ~= "hist" and diag ~= "kde" and diag ~= "density" then
    error("pd.plotting.scatter_matrix: diagonal must be 'hist' or 'kde'", 2)
  end
  if o.ax ~= nil then error("pd.plotting.scatter_matrix: ax= is not supported (it draws a grid of its own axes)", 2) end
  local pad = o.range_padding or 0.05
  if type(pad) ~= "number" then error("pd.plotting.scatter_matrix: range_padding must be a number", 2) end
  local names = D.numeric_names(df)
  local k = #names
  if k == 0 then error("pd.plotting.scatter_matrix: no numeric columns", 2) end
  local fig, axs = plt().subplots(k, k, { figsize = o.figsize or { 2 * k + 1, 2 * k + 1 }, squeeze = false })
  local vals, bounds = {}, {}
  for i, nm in ipairs(names) do
    vals[i] = values(df._cols[nm])
    local v = dropnan(vals[i])
    local lo, hi = v:min(), v:max()
    local ext = (hi - lo) * pad / 2
    bounds[i] = { lo - ext, hi + ext }
  end
  for i = 1, k do
    for j = 1, k do
      local ax = axs[i][j]
      if i == j then
        local v = dropnan(vals[i])
        if diag == "hist" then ax:hist(v, kwds({ bins = o.bins or 10, color = o.color }, o.hist_kwds, "hist_kwds"))
        else
          local xs, ys = P.kde(v, { ind = np.linspace(v:min(), v:max(), 1000) })
          ax:plot(xs, ys, kwds({ color = o.color }, o.density_kwds, "density_kwds"))
        end
        ax:set_xlim(bounds[i][1], bounds[i][2])
      else
        local m = vals[i]:eq(vals[i]) & vals[j]:eq(vals[j])
        ax:scatter(vals[j][m], vals[i][m], { s = o.s or 6, alpha = o.alpha or 0.5, marker = o.marker or "o",
          c = o.c, color = o.color })
        ax:set_xlim(bounds[j][1], bounds[j][2])
        ax:set_ylim(bounds[i][1], bounds[i][2])
      end
      if o.grid then ax:grid(true) end
      if i == k then ax:set_xlabel(tostring(names[j])) end
      if j == 1 then ax:set_ylabel(tostring(names[i])) end
    end
  end
  return axs, fig
end

return P
