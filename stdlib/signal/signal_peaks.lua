-- signal_peaks.lua: find_peaks, peak_prominences and peak_widths with
-- scipy.signal's algorithms (_local_maxima_1d, _select_by_peak_distance,
-- _peak_prominences, _peak_widths; the loops in C, kernels/signal/peaks.c). Positions in and out are
-- 1-based (peaks, plateau edges, bases, and the interpolated left_ips /
-- right_ips); a peak's position is the middle of its plateau, rounded down
-- in 0-based terms as scipy does. Ties in the distance rule are broken by
-- position (a stable sort), where scipy's argsort order is unspecified.
local np = require "geolab.array"
local util = require "geolab.util"
local B = require "geolab.signal_base"
local err = B.error

local core = require "geolab.signal_core"

local P = {}

local function as_x(v, fname)
  local x = B.vec(v, fname, "x")
  if x:isnan():any() then
    err(fname, "x contains NaN at position %d", x:isnan():argmax())
  end
  return x:copy()
end

-- scipy's _unpack_condition_args: a number (lower bound), a pair {min, max}
-- (either may be None/false), or arrays of x's size read at the peaks.
-- Returns {lo, hi}, each nil, a number or an array over the peaks.
local function condition(v, fname, name, n, peaks0)
  local lo, hi = v, nil
  if type(v) == "table" and util.bare(v) then lo, hi = v[1], v[2] end
  local function one(b)
    if b == nil or b == false or b == util.None then return nil end
    if type(b) == "number" then return b end
    local a = B.signal(b, fname, name)
    if a.ndim ~= 1 or a.size ~= n then err(fname, "array size of %s does not match the size of x", name) end
    if peaks0.size == 0 then return np.zeros{0} end
    return a[peaks0 + 1]
  end
  return {one(lo), one(hi)}
end

-- scipy's _select_by_property: a bool mask over the peaks
local function select(c, vals)
  local keep = np.ones({vals.size}, {dtype = "bool"})
  if c[1] ~= nil then keep = np.logical_and(keep, vals:ge(c[1])) end
  if c[2] ~= nil then keep = np.logical_and(keep, vals:le(c[2])) end
  return keep
end

local function filter(keep, peaks0, props)
  if peaks0.size == 0 then return peaks0 end
  for k, a in pairs(props) do props[k] = a[keep] end
  return peaks0[keep]
end

local function wlen_arg(v, fname)
  if v == nil or v == util.None then return -1 end
  if type(v) ~= "number" then err(fname, "wlen must be a number, got %s", type(v)) end
  if not (v > 1) then err(fname, "wlen must be larger than 1, was %s", tostring(v)) end
  return math.tointeger(math.ceil(v))
end

local function ints() return np.zeros({0}, {dtype = "int64"}) end

-- find_peaks(x[, {height, threshold, distance, prominence, width, wlen,
--   rel_height=0.5, plateau_size}]) -> peaks (1-based), properties
function P.find_peaks(...)
  local fname = "signal.find_peaks"
  local a = B.args(fname, {"x", "height", "threshold", "distance", "prominence", "width", "wlen",
    "rel_height", "plateau_size"}, {}, ...)
  local x = as_x(a.x, fname)
  local n = x.size
  local distance = B.num(a.distance, fname, "distance")
  if distance ~= nil and distance < 1 then err(fname, "distance must be greater or equal to 1, got %s", tostring(distance)) end
  local rel = B.num(a.rel_height, fname, "rel_height") or 0.5
  if a.width ~= nil and rel < 0 then err(fname, "rel_height must be greater or equal to 0.0") end
  local peaks, left, right = core.local_maxima(fname, x)
  local props = {}
  local function at(p) if p.size == 0 then return np.zeros{0} end return x[p + 1] end
  if a.plateau_size ~= nil then
    local sizes = right - left + 1
    local c = condition(a.plateau_size, fname, "plateau_size", n, peaks)
    props.plateau_sizes, props.left_edges, props.right_edges = sizes, left, right
    peaks = filter(select(c, sizes), peaks, props)
  end
  if a.height ~= nil then
    local hs = at(peaks)
    local c = condition(a.height, fname, "height", n, peaks)
    props.peak_heights = hs
    peaks = filter(select(c, hs), peaks, props)
  end
  if a.threshold ~= nil then
    local c = condition(a.threshold, fname, "threshold", n, peaks)
    local xp = at(peaks)
    local lt = peaks.size > 0 and xp - x[peaks] or np.zeros{0}
    local rt = peaks.size > 0 and xp - x[peaks + 2] or np.zeros{0}
    local keep = np.ones({peaks.size}, {dtype = "bool"})
    if c[1] ~= nil then keep = np.logical_and(keep, np.minimum(lt, rt):ge(c[1])) end
    if c[2] ~= nil then keep = np.logical_and(keep, np.maximum(lt, rt):le(c[2])) end
    props.left_thresholds, props.right_thresholds = lt, rt
    peaks = filter(keep, peaks, props)
  end
  if distance ~= nil and peaks.size > 0 then
    peaks = filter(core.peak_distance(fname, x, peaks, distance), peaks, props)
  end
  if a.prominence ~= nil or a.width ~= nil then
    props.prominences, props.left_bases, props.right_bases =
      core.prominences(fname, x, peaks, wlen_arg(a.wlen, fname))
  end
  if a.prominence ~= nil then
    local c = condition(a.prominence, fname, "prominence", n, peaks)
    peaks = filter(select(c, props.prominences), peaks, props)
  end
  if a.width ~= nil then
    props.widths, props.width_heights, props.left_ips, props.right_ips =
      core.widths(fname, x, peaks, rel, props.prominences, props.left_bases, props.right_bases)
    local c = condition(a.width, fname, "width", n, peaks)
    peaks = filter(select(c, props.widths), peaks, props)
  end
  local POS = {left_edges = true, right_edges = true, left_bases = true, right_bases = true,
    left_ips = true, right_ips = true}
  local out = {}
  for k, v in pairs(props) do out[k] = POS[k] and v + 1 or v end
  return peaks + 1, util.dict(out)
end

local function peaks_arg(v, n, fname)
  local p = B.vec(v, fname, "peaks")
  if p.size == 0 then return ints() end
  if p:ne(p:floor()):any() then err(fname, "peaks must be integer positions") end
  local lo, hi = p:min(), p:max()
  if lo < 1 then err(fname, "peak %g is not a valid position in x (1 to %d)", lo, n) end
  if hi > n then err(fname, "peak %g is not a valid position in x (1 to %d)", hi, n) end
  return (p - 1):astype("int64")
end

-- peak_prominences(x, peaks[, {wlen}]) -> prominences, left_bases, right_bases
function P.peak_prominences(...)
  local fname = "signal.peak_prominences"
  local a = B.args(fname, {"x", "peaks", "wlen"}, {}, ...)
  local x = as_x(a.x, fname)
  local peaks = peaks_arg(a.peaks, x.size, fname)
  local pr, lb, rb = core.prominences(fname, x, peaks, wlen_arg(a.wlen, fname))
  return pr, lb + 1, rb + 1
end

-- peak_widths(x, peaks[, {rel_height=0.5, prominence_data, wlen}])
-- -> widths, width_heights, left_ips, right_ips (1-based positions)
function P.peak_widths(...)
  local fname = "signal.peak_widths"
  local a = B.args(fname, {"x", "peaks", "rel_height", "prominence_data", "wlen"}, {}, ...)
  local x = as_x(a.x, fname)
  local peaks = peaks_arg(a.peaks, x.size, fname)
  local rel = B.num(a.rel_height, fname, "rel_height") or 0.5
  if rel < 0 then err(fname, "rel_height must be greater or equal to 0.0") end
  local pr, lb, rb
  if a.prominence_data ~= nil then
    local d = a.prominence_data
    if type(d) ~= "table" or #d ~= 3 then err(fname, "prominence_data must be {prominences, left_bases, right_bases}") end
    pr = B.vec(d[1], fname, "prominences")
    lb = (B.vec(d[2], fname, "left_bases") - 1):astype("int64")
    rb = (B.vec(d[3], fname, "right_bases") - 1):astype("int64")
  else
    pr, lb, rb = core.prominences(fname, x, peaks, wlen_arg(a.wlen, fname))
  end
  local w, wh, l, r = core.widths(fname, x, peaks, rel, pr, lb, rb)
  return w, wh, l + 1, r + 1
end

return P
