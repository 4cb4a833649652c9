-- plot_stats.lua: statistical plots with matplotlib's numbers: ax:boxplot
-- (cbook.boxplot_stats: linear-interpolated quartiles, whiskers at the last
-- datum within whis * IQR, fliers beyond) and ax:violinplot (mlab.GaussianKDE
-- with Scott's or Silverman's factor, evaluated at `points` values between
-- the extremes, each violin scaled to half its width).
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"
local bare = require("geolab.util").bare

-- A list of datasets: one array / list of numbers, a list of them, or the
-- columns of a 2-D array (matplotlib's convention for both plots).
local function datasets (x, fname)
  if type(x) == "table" and bare(x) and (type(x[1]) == "table" or type(x[1]) == "userdata") then
    local out = {}
    for i, v in ipairs(x) do out[i] = Axes._list(v, fname) end
    return out
  end
  local a = Axes._arr(x, fname)
  local core = require "geolab.plot_core"
  local n, shape = core.info(a)
  local t = core.tolist(a)
  if #shape == 2 then
    local out = {}
    for j = 1, shape[2] do
      local c = {}
      for i = 1, shape[1] do c[i] = t[(i - 1) * shape[2] + j] end
      out[j] = c
    end
    return out
  end
  if #shape > 2 then error(fname .. ": x must have 2 or fewer dimensions", 3) end
  return {t}, n
end

-- NumPy's percentile with linear interpolation, of sorted data.
local function percentile (sorted, q)
  local n = #sorted
  if n == 0 then return 0 / 0 end
  local pos = (n - 1) * q / 100
  local lo = math.floor(pos)
  local frac = pos - lo
  local a, b = sorted[lo + 1], sorted[math.min(lo + 2, n)]
  return a + (b - a) * frac
end

local function clean_sorted (v)
  local t = {}
  for _, x in ipairs(v) do if x == x then t[#t + 1] = x end end
  table.sort(t)
  return t
end

-- matplotlib.cbook.boxplot_stats for one dataset.
local function box_stats (v, whis)
  local d = clean_sorted(v)
  local st = {}
  if #d == 0 then return {mean = 0 / 0, med = 0 / 0, q1 = 0 / 0, q3 = 0 / 0, whislo = 0 / 0, whishi = 0 / 0, fliers = {}} end
  local sum = 0
  for _, x in ipairs(d) do sum = sum + x end
  st.mean = sum / #d
  st.q1, st.med, st.q3 = percentile(d, 25), percentile(d, 50), percentile(d, 75)
  local iqr = st.q3 - st.q1
  local lo, hi
  if type(whis) == "table" then lo, hi = percentile(d, whis[1]), percentile(d, whis[2])
  else lo, hi = st.q1 - whis * iqr, st.q3 + whis * iqr end
  -- whiskers end at the extreme data inside [lo, hi] (never inside the box)
  local wlo, whi = math.huge, -math.huge
  for _, x in ipairs(d) do
    if x >= lo and x < wlo then wlo = x end
    if x <= hi and x > whi then whi = x end
  end
  if wlo == math.huge or wlo > st.q1 then wlo = st.q1 end
  if whi == -math.huge or whi < st.q3 then whi = st.q3 end
  st.whislo, st.whishi = wlo, whi
  st.fliers = {}   -- the low ones first, each group in data order (matplotlib)
  for _, x in ipairs(v) do if x == x and x < wlo then st.fliers[#st.fliers + 1] = x end end
  for _, x in ipairs(v) do if x == x and x > whi then st.fliers[#st.fliers + 1] = x end end
  return st
end

local BOX_OPTS = S.set("notch sym vert whis positions widths patch_artist labels showmeans showcaps showbox " ..
                       "showfliers meanline manage_ticks zorder boxprops medianprops whiskerprops capprops " ..
                       "flierprops meanprops orientation")

local function props (p, fname, what)
  if p == nil then return {} end
  return S.check(fname .. ": " .. what, p, S.set("color linestyle ls linewidth lw marker markersize ms markerfacecolor mfc markeredgecolor mec facecolor edgecolor alpha"))
end

-- ax:boxplot(x, {whis=1.5, positions=, widths=0.5, labels=, vert=true, showmeans=,
-- showfliers=true, patch_artist=false, ...}) -> {boxes=, medians=, whiskers=, caps=, fliers=, means=}
function Axes:boxplot (x, opts)
  opts = S.check("boxplot", opts, BOX_OPTS)
  local sets = datasets(x, "boxplot")
  local n = #sets
  local whis = opts.whis == nil and 1.5 or opts.whis
  if not (type(whis) == "number" and whis >= 0) and not (type(whis) == "table" and type(whis[1]) == "number" and type(whis[2]) == "number") then
    error("boxplot: whis must be a number >= 0 or a pair of percentiles {lo, hi}", 2)
  end
  local pos = opts.positions or {}
  if opts.positions == nil then for i = 1, n do pos[i] = i end end
  if #pos ~= n then error(("boxplot: positions has %d entries for %d datasets"):format(#pos, n), 2) end
  local widths = opts.widths
  if widths == nil then
    -- matplotlib: clip(0.15 * ptp(positions), 0.15, 0.5)
    local lo, hi = math.huge, -math.huge
    for _, p in ipairs(pos) do lo, hi = math.min(lo, p), math.max(hi, p) end
    widths = math.max(0.15, math.min(0.5, 0.15 * (hi - lo)))
  end
  local labels = opts.labels
  if labels ~= nil and #labels ~= n then error(("boxplot: labels has %d entries for %d datasets"):format(#labels, n), 2) end
  local vert = opts.vert ~= false and opts.orientation ~= "horizontal"
  local bp, mp, wp, cp, fp = props(opts.boxprops, "boxplot", "boxprops"), props(opts.medianprops, "boxplot", "medianprops"),
                             props(opts.whiskerprops, "boxplot", "whiskerprops"), props(opts.capprops, "boxplot", "capprops"),
                             props(opts.flierprops, "boxplot", "flierprops")
  local meanp = props(opts.meanprops, "boxplot", "meanprops")
  local black = "black"
  local boxcol = S.rgba(bp.color or bp.edgecolor or black, nil, "boxplot")
  local boxfill = opts.patch_artist and S.rgba(bp.facecolor or self:_rc("patch.facecolor"), bp.alpha, "boxplot") or nil
  local medcol = S.rgba(mp.color or "C1", nil, "boxplot")
  local whcol = S.rgba(wp.color or black, nil, "boxplot")
  local capcol = S.rgba(cp.color or black, nil, "boxplot")
  local flcol = S.rgba(fp.markeredgecolor or fp.mec or fp.color or black, nil, "boxplot")
  local flface = fp.markerfacecolor or fp.mfc
  flface = flface and flface ~= "none" and S.rgba(flface, nil, "boxplot") or nil
  local sym = opts.sym
  local flmarker = fp.marker or (sym and sym ~= "" and sym:match("[o%.,sD^v<>*+xdph]")) or "o"
  local showfliers = opts.showfliers ~= false and sym ~= ""
  -- all checked: build the artists
  local out = {boxes = {}, medians = {}, whiskers = {}, caps = {}, fliers = {}, means = {}, stats = {}}
  local function line (xs, ys, col, lw, extra)
    if not vert then xs, ys = ys, xs end
    local a = {kind = "line", x = Axes._arr(xs), y = Axes._arr(ys), n = #xs, color = col, lw = lw or self:_rc("lines.linewidth") * 2 / 3,
               ls = "-", ms = 6, mew = 1, z = opts.zorder or 2, nolegend = true}
    for k, v in pairs(extra or {}) do a[k] = v end
    return self:_add(a)
  end
  for i, v in ipairs(sets) do
    local st = box_stats(v, whis)
    out.stats[i] = st
    local p = pos[i]
    local w = type(widths) == "table" and widths[i] or widths
    local x0, x1 = p - w / 2, p + w / 2
    local c0, c1 = p - w / 4, p + w / 4
    local lw = bp.linewidth or bp.lw or 1.0
    if boxfill then
      local bx, by = {x0, x1, x1, x0, x0}, {st.q1, st.q1, st.q3, st.q3, st.q1}
      if not vert then bx, by = by, bx end
      out.boxes[i] = self:_add {kind = "poly", x = bx, y = by, fill = boxfill, edge = boxcol, lw = lw, z = opts.zorder or 2, nolegend = true}
    elseif opts.showbox ~= false then
      out.boxes[i] = line({x0, x1, x1, x0, x0}, {st.q1, st.q1, st.q3, st.q3, st.q1}, boxcol, lw)
    end
    out.whiskers[2 * i - 1] = line({p, p}, {st.q1, st.whislo}, whcol, wp.linewidth or wp.lw or 1.0, {ls = wp.linestyle or wp.ls or "-"})
    out.whiskers[2 * i] = line({p, p}, {st.q3, st.whishi}, whcol, wp.linewidth or wp.lw or 1.0, {ls = wp.linestyle or wp.ls or "-"})
    if opts.showcaps ~= false then
      out.caps[2 * i - 1] = line({c0, c1}, {st.whislo, st.whislo}, capcol, cp.linewidth or cp.lw or 1.0)
      out.caps[2 * i] = line({c0, c1}, {st.whishi, st.whishi}, capcol, cp.linewidth or cp.lw or 1.0)
    end
    out.medians[i] = line({x0, x1}, {st.med, st.med}, medcol, mp.linewidth or mp.lw or 1.0)
    if showfliers then
      local fx, fy = {}, {}
      for k, f in ipairs(st.fliers) do fx[k], fy[k] = p, f end
      out.fliers[i] = line(fx, fy, flcol, 1.0, {ls = "none", marker = flmarker, ms = fp.markersize or fp.ms or 6, mfc = flface or false, mec = flcol})
      if not flface then out.fliers[i].mfc = {0, 0, 0, 0} end
    end
    if opts.showmeans then
      if opts.meanline then out.means[i] = line({x0, x1}, {st.mean, st.mean}, S.rgba(meanp.color or "C2", nil, "boxplot"), 1.0, {ls = "--"})
      else
        local mc = S.rgba(meanp.markerfacecolor or meanp.color or "C2", nil, "boxplot")
        out.means[i] = line({p}, {st.mean}, mc, 1.0, {ls = "none", marker = meanp.marker or "^", ms = 6, mfc = mc, mec = mc})
      end
    end
  end
  if opts.manage_ticks ~= false then
    -- matplotlib pads the positions by 0.5 and pins the limits there (sticky
    -- edges on the medians), so the margins do not widen them
    local axis = vert and "x" or "y"
    local plo, phi = math.huge, -math.huge
    for _, p in ipairs(pos) do plo, phi = math.min(plo, p), math.max(phi, p) end
    for _, edge in ipairs {plo - 0.5, phi + 0.5} do
      self:_add {kind = "bounds", nolegend = true, z = 0, draw = function () end,
                 lim = function (_, ax_) if ax_ == axis then return edge, edge end return nil end,
                 ["sticky_" .. axis] = edge}
    end
    local labs = {}
    for i = 1, n do labs[i] = labels and tostring(labels[i]) or tostring(math.tointeger(pos[i]) or pos[i]) end
    if vert then self:set_xticks(pos, labs) else self:set_yticks(pos, labs) end
  end
  return out
end

-- {===== violin plots

-- mlab.GaussianKDE evaluated at `coords` (1-D).
local function kde (d, coords, bw)
  local n = #d
  local mean = 0
  for _, x in ipairs(d) do mean = mean + x end
  mean = mean / n
  local var = 0
  for _, x in ipairs(d) do var = var + (x - mean) ^ 2 end
  var = var / (n - 1)
  local factor
  if bw == nil or bw == "scott" then factor = n ^ (-1 / 5)
  elseif bw == "silverman" then factor = (n * 3 / 4) ^ (-1 / 5)
  elseif type(bw) == "number" then factor = bw
  elseif type(bw) == "function" then factor = bw(d) end
  local cov = var * factor * factor
  local norm = math.sqrt(2 * math.pi * cov) * n
  local out = {}
  for i, c in ipairs(coords) do
    local s = 0
    for _, x in ipairs(d) do s = s + math.exp(-(c - x) ^ 2 / (2 * cov)) end
    out[i] = s / norm
  end
  return out
end

local VIOLIN_OPTS = S.set("positions vert widths showmeans showextrema showmedians quantiles points bw_method orientation zorder")
-- ax:violinplot(dataset, {positions=, vert=true, widths=0.5, showmeans=false, showextrema=true,
-- showmedians=false, points=100, bw_method="scott"}) -> {bodies=, cmaxes=, cmins=, cbars=, cmeans=, cmedians=}
function Axes:violinplot (x, opts)
  opts = S.check("violinplot", opts, VIOLIN_OPTS)
  local sets = datasets(x, "violinplot")
  local n = #sets
  local pos = opts.positions or {}
  if opts.positions == nil then for i = 1, n do pos[i] = i end end
  if #pos ~= n then error(("violinplot: positions has %d entries for %d datasets"):format(#pos, n), 2) end
  local points = opts.points or 100
  if type(points) ~= "number" or points < 2 or points % 1 ~= 0 then error("violinplot: points must be an integer >= 2", 2) end
  local bw = opts.bw_method
  if bw ~= nil and bw ~= "scott" and bw ~= "silverman" and type(bw) ~= "number" and type(bw) ~= "function" then
    error(("violinplot: bw_method must be 'scott', 'silverman', a number or a function (got '%s')"):format(tostring(bw)), 2)
  end
  local widths = opts.widths or 0.5
  local vert = opts.vert ~= false and opts.orientation ~= "horizontal"
  local stats = {}
  for i, v in ipairs(sets) do
    local d = clean_sorted(v)
    if #d < 2 then error(("violinplot: dataset %d needs at least 2 values"):format(i), 2) end
    local lo, hi = d[1], d[#d]
    local coords = {}
    for k = 1, points do coords[k] = lo + (hi - lo) * (k - 1) / (points - 1) end
    local sum = 0
    for _, y in ipairs(d) do sum = sum + y end
    stats[i] = {coords = coords, vals = kde(d, coords, bw), mean = sum / #d, median = percentile(d, 50), min = lo, max = hi}
  end
  -- one colour from the line cycle for bodies and lines (matplotlib)
  local col = S.rgba(self:_color("line"), nil, "violinplot")
  local face = {col[1], col[2], col[3], 0.3}
  local out = {bodies = {}, stats = stats}
  local z = opts.zorder or 1
  for i, st in ipairs(stats) do
    local w = type(widths) == "table" and widths[i] or widths
    local vmax = 0
    for _, v in ipairs(st.vals) do vmax = math.max(vmax, v) end
    local xs, ys = {}, {}
    -- matplotlib's fill_betweenx path: start on the right, left edge up,
    -- right edge down, closed where it started
    local m = #st.coords
    local function half (k) return 0.5 * w * st.vals[k] / vmax end
    xs[1], ys[1] = pos[i] + half(1), st.coords[1]
    for k = 1, m do xs[#xs + 1] = pos[i] - half(k); ys[#ys + 1] = st.coords[k] end
    xs[#xs + 1], ys[#ys + 1] = pos[i] + half(m), st.coords[m]
    for k = m, 1, -1 do xs[#xs + 1] = pos[i] + half(k); ys[#ys + 1] = st.coords[k] end
    xs[#xs + 1], ys[#ys + 1] = xs[1], ys[1]
    if not vert then xs, ys = ys, xs end
    out.bodies[i] = self:_add {kind = "poly", x = xs, y = ys, fill = face, edge = face, lw = 1, z = z, nolegend = true}
  end
  local lw = self:_rc("lines.linewidth")
  local function seg (key, p0, p1, v0, v1)
    local xs, ys = {p0, p1}, {v0, v1}
    if not vert then xs, ys = ys, xs end
    local a = self:_add {kind = "line", x = Axes._arr(xs), y = Axes._arr(ys), n = 2, color = col, lw = lw, ls = "-",
                         ms = 6, mew = 1, z = 2, nolegend = true}
    out[key] = out[key] or {}
    out[key][#out[key] + 1] = a
  end
  for i, st in ipairs(stats) do
    local w = type(widths) == "table" and widths[i] or widths
    local p0, p1 = pos[i] - 0.25 * w, pos[i] + 0.25 * w
    if opts.showextrema ~= false then
      seg("cmaxes", p0, p1, st.max, st.max)
      seg("cmins", p0, p1, st.min, st.min)
      seg("cbars", pos[i], pos[i], st.min, st.max)
    end
    if opts.showmeans then seg("cmeans", p0, p1, st.mean, st.mean) end
    if opts.showmedians then seg("cmedians", p0, p1, st.median, st.median) end
  end
  return out
end

-- =====}

return Axes
