-- signal_peaks.lua: find_peaks, peak_prominences and peak_widths with
-- scipy.signal's algorithms (_local_maxima_1d, _select_by_peak_distance,
-- _peak_prominences, _peak_widths), loop for loop. Positions in and out are
-- 1-based (peaks, plateau edges, bases, and the interpolated left_ips /
-- right_ips); a peak's position is the middle of its plateau, rounded down
-- in 0-based terms as scipy does. Ties in the distance rule are broken by
-- position (a stable sort), where scipy's argsort order is unspecified.
local np = require "geolab.array"
local util = require "geolab.util"
local B = require "geolab.signal_base"
local err = B.error

local P = {}

local function as_x(v, fname)
  local x = B.vec(v, fname, "x")
  return x:totable(), x.size
end

local function ivec(t)
  if #t == 0 then return np.zeros({0}, {dtype = "int64"}) end
  return np.array(t, "int64")
end
local function fvec(t)
  if #t == 0 then return np.zeros{0} end
  return np.array(t, "float64")
end

-- scipy's _unpack_condition_args: a number (lower bound), a pair {min, max}
-- (either may be None/false), or arrays of x's size read at the peaks.
local function condition(v, fname, name, xs, n, peaks)
  if v == nil then return nil end
  local lo, hi = v, nil
  if type(v) == "table" and util.bare(v) then lo, hi = v[1], v[2] end
  local function one(b)
    if b == nil or b == false or b == util.None then return nil end
    if type(b) == "number" then return b end
    local a = B.signal(b, fname, name)
    if a.ndim ~= 1 or a.size ~= n then err(fname, "array size of %s does not match the size of x", name) end
    local t, out = a:totable(), {}
    for i, p in ipairs(peaks) do out[i] = t[p] end
    return out
  end
  return {one(lo), one(hi)}
end

local function bound_ok(b, i, v, lower)
  if b == nil then return true end
  local lim = type(b) == "table" and b[i] or b
  if lower then return lim <= v end
  return v <= lim
end

local function select(cond, vals)
  local keep = {}
  for i, v in ipairs(vals) do keep[i] = bound_ok(cond[1], i, v, true) and bound_ok(cond[2], i, v, false) end
  return keep
end

local function filter(keep, peaks, props)
  local np_ = {}
  for i, k in ipairs(keep) do if k then np_[#np_ + 1] = peaks[i] end end
  for key, t in pairs(props) do
    local nt = {}
    for i, k in ipairs(keep) do if k then nt[#nt + 1] = t[i] end end
    props[key] = nt
  end
  return np_
end

-- scipy's _local_maxima_1d, 0-based internally.
local function local_maxima(x, n)
  local mids, left, right = {}, {}, {}
  local i, imax = 1, n - 1
  while i < imax do
    if x[i] < x[i + 1] then
      local ahead = i + 1
      while ahead < imax and x[ahead + 1] == x[i + 1] do ahead = ahead + 1 end
      if x[ahead + 1] < x[i + 1] then
        left[#left + 1] = i; right[#right + 1] = ahead - 1
        mids[#mids + 1] = (i + ahead - 1) // 2
        i = ahead
      end
    end
    i = i + 1
  end
  return mids, left, right
end

local function prominences(x, n, peaks, wlen, fname)
  local prom, lb, rb = {}, {}, {}
  for k, peak in ipairs(peaks) do
    local imin, imax = 0, n - 1
    if not (imin <= peak and peak <= imax) then err(fname, "peak %d is not a valid position in x", peak + 1) end
    if wlen >= 2 then
      imin = math.max(peak - wlen // 2, imin)
      imax = math.min(peak + wlen // 2, imax)
    end
    local xp = x[peak + 1]
    local i, lmin = peak, xp
    lb[k] = peak
    while imin <= i and x[i + 1] <= xp do
      if x[i + 1] < lmin then lmin = x[i + 1]; lb[k] = i end
      i = i - 1
    end
    i = peak
    local rmin = xp
    rb[k] = peak
    while i <= imax and x[i + 1] <= xp do
      if x[i + 1] < rmin then rmin = x[i + 1]; rb[k] = i end
      i = i + 1
    end
    prom[k] = xp - math.max(lmin, rmin)
  end
  return prom, lb, rb
end

local function widths(x, n, peaks, rel, prom, lb, rb, fname)
  if rel < 0 then err(fname, "rel_height must be greater or equal to 0.0") end
  local w, wh, lip, rip = {}, {}, {}, {}
  for p, peak in ipairs(peaks) do
    local imin, imax = lb[p], rb[p]
    if not (0 <= imin and imin <= peak and peak <= imax and imax < n) then
      err(fname, "prominence data is invalid for peak %d", peak + 1)
    end
    local h = x[peak + 1] - prom[p] * rel
    wh[p] = h
    local i = peak
    while imin < i and h < x[i + 1] do i = i - 1 end
    local l = i + 0.0
    if x[i + 1] < h then l = l + (h - x[i + 1]) / (x[i + 2] - x[i + 1]) end
    i = peak
    while i < imax and h < x[i + 1] do i = i + 1 end
    local r = i + 0.0
    if x[i + 1] < h then r = r - (h - x[i + 1]) / (x[i] - x[i + 1]) end
    w[p] = r - l
    lip[p] = l; rip[p] = r
  end
  return w, wh, lip, rip
end

local function wlen_arg(v, fname)
  if v == nil or v == util.None then return -1 end
  if type(v) ~= "number" then err(fname, "wlen must be a number, got %s", type(v)) end
  if not (v > 1) then err(fname, "wlen must be larger than 1, was %s", tostring(v)) end
  return math.tointeger(math.ceil(v))
end

local function plus1(t) local o = {} for i, v in ipairs(t) do o[i] = v + 1 end return o end

-- find_peaks(x[, {height, threshold, distance, prominence, width, wlen,
--   rel_height=0.5, plateau_size}]) -> peaks (1-based), properties
function P.find_peaks(...)
  local fname = "signal.find_peaks"
  local a = B.args(fname, {"x", "height", "threshold", "distance", "prominence", "width", "wlen",
    "rel_height", "plateau_size"}, {}, ...)
  local x, n = as_x(a.x, fname)
  for i = 1, n do if x[i] ~= x[i] then err(fname, "x contains NaN at position %d", i) end end
  local distance = B.num(a.distance, fname, "distance")
  if distance ~= nil and distance < 1 then err(fname, "distance must be greater or equal to 1, got %s", tostring(distance)) end
  local rel = B.num(a.rel_height, fname, "rel_height") or 0.5
  local peaks, left, right = local_maxima(x, n)
  local props = {}
  local function at(t) local o = {} for i, p in ipairs(peaks) do o[i] = t[p + 1] end return o end
  if a.plateau_size ~= nil then
    local sizes = {}
    for i = 1, #peaks do sizes[i] = right[i] - left[i] + 1 end
    local c = condition(a.plateau_size, fname, "plateau_size", x, n, plus1(peaks))
    props.plateau_sizes, props.left_edges, props.right_edges = sizes, left, right
    peaks = filter(select(c, sizes), peaks, props)
  end
  if a.height ~= nil then
    local hs = at(x)
    local c = condition(a.height, fname, "height", x, n, plus1(peaks))
    props.peak_heights = hs
    peaks = filter(select(c, hs), peaks, props)
  end
  if a.threshold ~= nil then
    local c = condition(a.threshold, fname, "threshold", x, n, plus1(peaks))
    local lt, rt, keep = {}, {}, {}
    for i, p in ipairs(peaks) do
      lt[i] = x[p + 1] - x[p]; rt[i] = x[p + 1] - x[p + 2]
      keep[i] = bound_ok(c[1], i, math.min(lt[i], rt[i]), true) and bound_ok(c[2], i, math.max(lt[i], rt[i]), false)
    end
    props.left_thresholds, props.right_thresholds = lt, rt
    peaks = filter(keep, peaks, props)
  end
  if distance ~= nil then
    local d = math.ceil(distance)
    local m = #peaks
    local order = {}
    for i = 1, m do order[i] = i end
    table.sort(order, function(i, j)
      local pi, pj = x[peaks[i] + 1], x[peaks[j] + 1]
      if pi ~= pj then return pi < pj end
      return i < j
    end)
    local keep = {}
    for i = 1, m do keep[i] = true end
    for r = m, 1, -1 do
      local j = order[r]
      if keep[j] then
        local k = j - 1
        while k >= 1 and peaks[j] - peaks[k] < d do keep[k] = false; k = k - 1 end
        k = j + 1
        while k <= m and peaks[k] - peaks[j] < d do keep[k] = false; k = k + 1 end
      end
    end
    peaks = filter(keep, peaks, props)
  end
  if a.prominence ~= nil or a.width ~= nil then
    local wlen = wlen_arg(a.wlen, fname)
    props.prominences, props.left_bases, props.right_bases = prominences(x, n, peaks, wlen, fname)
  end
  if a.prominence ~= nil then
    local c = condition(a.prominence, fname, "prominence", x, n, plus1(peaks))
    peaks = filter(select(c, props.prominences), peaks, props)
  end
  if a.width ~= nil then
    props.widths, props.width_heights, props.left_ips, props.right_ips =
      widths(x, n, peaks, rel, props.prominences, props.left_bases, props.right_bases, fname)
    local c = condition(a.width, fname, "width", x, n, plus1(peaks))
    peaks = filter(select(c, props.widths), peaks, props)
  end
  local out = {}
  local INT = {plateau_sizes = true, left_edges = true, right_edges = true, left_bases = true, right_bases = true}
  local POS = {left_edges = true, right_edges = true, left_bases = true, right_bases = true,
    left_ips = true, right_ips = true}
  for k, t in pairs(props) do
    if POS[k] then t = plus1(t) end
    out[k] = INT[k] and ivec(t) or fvec(t)
  end
  return ivec(plus1(peaks)), util.dict(out)
end

local function peaks_arg(v, x, n, fname)
  local p = B.vec(v, fname, "peaks")
  local t = p:totable()
  for i, q in ipairs(t) do
    if q ~= math.floor(q) then err(fname, "peaks must be integer positions, got %s", tostring(q)) end
    if q < 1 or q > n then err(fname, "peak %g is not a valid position in x (1 to %d)", q, n) end
    t[i] = math.tointeger(q) - 1
  end
  return t
end

-- peak_prominences(x, peaks[, {wlen}]) -> prominences, left_bases, right_bases
function P.peak_prominences(...)
  local fname = "signal.peak_prominences"
  local a = B.args(fname, {"x", "peaks", "wlen"}, {}, ...)
  local x, n = as_x(a.x, fname)
  local peaks = peaks_arg(a.peaks, x, n, fname)
  local pr, lb, rb = prominences(x, n, peaks, wlen_arg(a.wlen, fname), fname)
  return fvec(pr), ivec(plus1(lb)), ivec(plus1(rb))
end

-- peak_widths(x, peaks[, {rel_height=0.5, prominence_data, wlen}])
-- -> widths, width_heights, left_ips, right_ips (1-based positions)
function P.peak_widths(...)
  local fname = "signal.peak_widths"
  local a = B.args(fname, {"x", "peaks", "rel_height", "prominence_data", "wlen"}, {}, ...)
  local x, n = as_x(a.x, fname)
  local peaks = peaks_arg(a.peaks, x, n, fname)
  local rel = B.num(a.rel_height, fname, "rel_height") or 0.5
  local pr, lb, rb
  if a.prominence_data ~= nil then
    local d = a.prominence_data
    if type(d) ~= "table" or #d ~= 3 then err(fname, "prominence_data must be {prominences, left_bases, right_bases}") end
    pr = B.vec(d[1], fname, "prominences"):totable()
    lb, rb = B.vec(d[2], fname, "left_bases"):totable(), B.vec(d[3], fname, "right_bases"):totable()
    for i = 1, #lb do lb[i] = math.tointeger(lb[i]) - 1; rb[i] = math.tointeger(rb[i]) - 1 end
    if #pr ~= #peaks or #lb ~= #peaks or #rb ~= #peaks then
      err(fname, "prominence_data arrays must have one value per peak")
    end
  else
    pr, lb, rb = prominences(x, n, peaks, wlen_arg(a.wlen, fname), fname)
  end
  local w, wh, l, r = widths(x, n, peaks, rel, pr, lb, rb, fname)
  return fvec(w), fvec(wh), fvec(plus1(l)), fvec(plus1(r))
end

return P
