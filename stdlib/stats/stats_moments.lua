-- stats_moments.lua: scipy.stats' moment statistics (skew, kurtosis, moment,
-- describe, zscore, variation), part of the stats module. Reductions take
-- scipy's axis (default 0, 0-based, negative from the end, None for the
-- flattened array) and nan_policy ("propagate", "raise", "omit"). Computed in
-- float64 with scipy's formulas (its moment by squaring), float32 input gives
-- float32 results.
local np = require "geolab.array"
local util = require "geolab.util"

local M = {}

local function is_none(v) return v == util.None end

-- Splits (a, axis_or_opts, opts) into the array, the options table and the
-- axis (nil for None). level is error()'s as seen from the public function.
function M.args(fname, a, axis, opts, allowed, default_axis)
  if type(axis) == "table" and not is_none(axis) and opts == nil then axis, opts = nil, axis
  elseif axis ~= nil and type(axis) ~= "number" and not is_none(axis) then
    error(("%s: axis must be an integer or None, got %s"):format(fname, type(axis)), 3)
  end
  opts = util.check_options(opts, allowed, fname, 3)
  if opts.axis ~= nil then
    if axis ~= nil then error(fname .. ": axis given twice (positional and axis=)", 3) end
    axis = opts.axis
  end
  if opts.dim ~= nil then
    if axis ~= nil then error(fname .. ": give axis= or dim=, not both", 3) end
    axis = opts.dim
  end
  if axis == nil then axis = default_axis end
  if is_none(axis) then axis = nil
  elseif math.type(axis) ~= "integer" then
    error(("%s: axis must be an integer or None, got %s"):format(fname, tostring(axis)), 3)
  end
  if type(a) == "table" then a = util.asarray(a, fname, nil, 3) end
  if type(a) ~= "userdata" then
    error(("%s: a must be an array or a table of numbers, got %s"):format(fname, type(a)), 3)
  end
  if a.dtype == "bool" or a.dtype:match("^u?int") then a = a:astype("float64") end
  if a.dtype ~= "float64" and a.dtype ~= "float32" then
    error(("%s: a must hold numbers, got dtype %s"):format(fname, a.dtype), 3)
  end
  if axis == nil or a.ndim == 0 then a, axis = a:reshape{-1}, 0 end
  local nd = a.ndim
  if axis < -nd or axis >= nd then
    error(("%s: axis %d is out of bounds for array of dimension %d"):format(fname, axis, nd), 3)
  end
  if axis < 0 then axis = axis + nd end
  local pol = opts.nan_policy or "propagate"
  if pol ~= "propagate" and pol ~= "raise" and pol ~= "omit" then
    error(fname .. ": nan_policy must be 'propagate', 'raise' or 'omit', got '" .. tostring(pol) .. "'", 3)
  end
  if pol == "raise" and a:isnan():any() then error(fname .. ": the input contains nan values", 3) end
  return a, axis, opts, pol
end

-- The shape of a without axis (kept as 1 when keepdims).
local function reduced_shape(a, axis, keepdims)
  local s = {}
  for i = 1, a.ndim do
    if i - 1 ~= axis then s[#s + 1] = a.shape[i] elseif keepdims then s[#s + 1] = 1 end
  end
  return s
end
M.reduced_shape = reduced_shape

-- Final form of a reduction computed with keepdims: a Lua number for a 0-d
-- result (as scipy's .item()), else the array without the axis.
function M.finish(v, a, axis, keepdims, dtype)
  local s = reduced_shape(a, axis, keepdims)
  if dtype == "float32" then v = v:astype("float32") end
  if #s == 0 then return v:reshape{-1}[1] end
  return v:reshape(s)
end

-- nan_policy "omit": f applied to each 1-D slice along axis without its NaNs
-- (scipy's decorator does the same), the results as a keepdims array.
function M.omit(a, axis, f)
  local perm = {}
  for i = 0, a.ndim - 1 do if i ~= axis then perm[#perm + 1] = i end end
  perm[#perm + 1] = axis
  local n = a.shape[axis + 1]
  local rows = a:transpose(perm):copy():reshape{-1, n}
  local out = {}
  for r = 1, rows.shape[1] do
    local row = rows[r]
    row = row[row:isnan():logical_not()]
    out[r] = f(row:reshape{1, -1}, 1)[{1, 1}]
  end
  return np.array(out, "float64"):reshape(reduced_shape(a, axis, true))
end

-- m2 == 0 up to rounding (scipy: m2 <= (resolution * mean)^2) gives NaN.
local function degenerate(m2, mean, dtype)
  local res = dtype == "float32" and 1e-6 or 1e-15
  return m2:le((mean * res) ^ 2)
end

-- float64 input is used as it is (astype would copy it)
local function as_f64(a) return a.dtype == "float64" and a or a:astype("float64") end

-- Central moments m2 and m3 (k = 3) or m4 (k = 4) along axis, keepdims, in
-- scipy's squaring order: d^2, d^2 * d, (d^2)^2; the square computed once.
local function central_pair(d, k, axis)
  local s = d * d
  local hi = k == 3 and s * d or s * s
  return s:mean(axis, {keepdims = true}), hi:mean(axis, {keepdims = true})
end

-- The statistics from the moments, once for both paths: pick is np.where
-- for arrays of moments, pick_num for Lua numbers (the 1-D path below).
local function pick_num(c, a, b) if c then return a end return b end

local function skew_from(m2, m3, zero, n, bias, pick)
  local v = pick(zero, 0 / 0, m3 / m2 ^ 1.5)
  if not bias and n > 2 then v = pick(zero, v, v * (math.sqrt((n - 1.0) * n) / (n - 2.0))) end
  return v
end

local function kurt_from(m2, m4, zero, n, bias, fisher, pick)
  local v = pick(zero, 0 / 0, m4 / m2 ^ 2.0)
  if not bias and n > 3 then
    v = pick(zero, v, (((n ^ 2 - 1.0) * m4 / m2 ^ 2.0 - 3 * (n - 1) ^ 2.0) * (1.0 / (n - 2) / (n - 3))) + 3.0)
  end
  if fisher then v = v - 3 end
  return v
end

local function skew_core(a, axis, bias, dtype)
  local x = as_f64(a)
  local mean = x:mean(axis, {keepdims = true})
  local d = x - mean
  local m2, m3 = central_pair(d, 3, axis)
  return skew_from(m2, m3, degenerate(m2, mean, dtype), a.shape[axis + 1], bias, np.where)
end

local function kurt_core(a, axis, bias, fisher, dtype)
  local x = as_f64(a)
  local mean = x:mean(axis, {keepdims = true})
  local d = x - mean
  local m2, m4 = central_pair(d, 4, axis)
  return kurt_from(m2, m4, degenerate(m2, mean, dtype), a.shape[axis + 1], bias, fisher, np.where)
end

-- 1-D float64 input with a number as result: the same operations on Lua
-- numbers instead of one-element arrays, bit for bit (x:mean() is the same
-- pairwise sum as x:mean(0, {keepdims = true}); an array's ^ 2 is a * a, as
-- Lua's ^ 2; ^ 1.5 is libm's pow on both), a dozen fewer array calls per
-- statistic (the volcano features call skew and kurtosis once per window).
local function moments_1d(x, k)
  local mean = x:mean()
  local d = x - mean
  local s = d * d
  local hi = k == 3 and s * d or s * s
  local m2, r = s:mean(), mean * 1e-15
  return m2, hi:mean(), m2 <= r * r
end

local function skew_1d(x, bias)
  local m2, m3, zero = moments_1d(x, 3)
  return skew_from(m2, m3, zero, x.shape[1], bias, pick_num)
end

local function kurt_1d(x, bias, fisher)
  local m2, m4, zero = moments_1d(x, 4)
  return kurt_from(m2, m4, zero, x.shape[1], bias, fisher, pick_num)
end

-- the 1-D fast path applies: float64, a number returned, NaNs propagated
local function plain_1d(x, o, pol)
  return x.ndim == 1 and x.dtype == "float64" and x.size > 0 and not o.keepdims and pol ~= "omit"
end

local function truthy(v, def) if v == nil then return def end return v and true or false end

local reduce_opts = {"axis", "dim", "bias", "nan_policy", "keepdims"}

-- stats.skew(a[, axis][, {bias=true, nan_policy="propagate", keepdims=false}])
function M.skew(a, axis, opts)
  local fname = "stats.skew"
  local x, ax, o, pol = M.args(fname, a, axis, opts, reduce_opts, 0)
  local bias = truthy(o.bias, true)
  if plain_1d(x, o, pol) then return skew_1d(x, bias) end
  local f = function(y, axx) return skew_core(y, axx, bias, x.dtype) end
  local v = (pol == "omit" and x:isnan():any()) and M.omit(x, ax, f) or f(x, ax)
  return M.finish(v, x, ax, o.keepdims, x.dtype)
end

-- stats.kurtosis(a[, axis][, {fisher=true, bias=true, nan_policy, keepdims}])
function M.kurtosis(a, axis, opts)
  local fname = "stats.kurtosis"
  local x, ax, o, pol = M.args(fname, a, axis, opts, {"axis", "dim", "fisher", "bias", "nan_policy", "keepdims"}, 0)
  local bias, fisher = truthy(o.bias, true), truthy(o.fisher, true)
  if plain_1d(x, o, pol) then return kurt_1d(x, bias, fisher) end
  local f = function(y, axx) return kurt_core(y, axx, bias, fisher, x.dtype) end
  local v = (pol == "omit" and x:isnan():any()) and M.omit(x, ax, f) or f(x, ax)
  return M.finish(v, x, ax, o.keepdims, x.dtype)
end

-- stats.moment(a[, moment=1][, {axis=0, nan_policy}]): central moment.
function M.moment(a, moment, opts)
  local fname = "stats.moment"
  if type(moment) == "table" and opts == nil then moment, opts = nil, moment end
  opts = util.check_options(opts, {"moment", "axis", "dim", "nan_policy", "keepdims"}, fname, 2)
  moment = moment or opts.moment or 1
  if math.type(moment) ~= "integer" and not (type(moment) == "number" and moment == math.floor(moment)) then
    error(fname .. ": moment must be an integer, got " .. tostring(moment), 2)
  end
  if moment < 0 then error(fname .. ": moment must be non-negative, got " .. tostring(moment), 2) end
  local o2 = {axis = opts.axis, dim = opts.dim, nan_policy = opts.nan_policy, keepdims = opts.keepdims}
  local x, ax, o, pol = M.args(fname, a, nil, o2, reduce_opts, 0)
  local function f(y, axx)
    local yy = y:astype("float64")
    local shape = reduced_shape(yy, axx, true)
    if moment == 0 then return np.ones(shape) end
    if moment == 1 then return np.zeros(shape) end
    local d = yy - yy:mean(axx, {keepdims = true})
    -- exponentiation by squaring, in scipy's order
    local seq, cur = {moment}, moment
    while cur > 2 do
      if cur % 2 == 1 then cur = (cur - 1) // 2 else cur = cur // 2 end
      seq[#seq + 1] = cur
    end
    local s = seq[#seq] == 1 and d or d * d
    for i = #seq - 1, 1, -1 do
      s = s * s
      if seq[i] % 2 == 1 then s = s * d end
    end
    return s:mean(axx, {keepdims = true})
  end
  local v = (pol == "omit" and x:isnan():any()) and M.omit(x, ax, f) or f(x, ax)
  return M.finish(v, x, ax, o.keepdims, x.dtype)
end

-- stats.variation(a[, axis][, {ddof=0, nan_policy, keepdims}]): std / mean.
function M.variation(a, axis, opts)
  local fname = "stats.variation"
  local x, ax, o, pol = M.args(fname, a, axis, opts, {"axis", "dim", "ddof", "nan_policy", "keepdims"}, 0)
  local ddof = o.ddof or 0
  local function f(y, axx)
    local yy = y:astype("float64")
    return yy:std{axis = axx, ddof = ddof, keepdims = true} / yy:mean(axx, {keepdims = true})
  end
  local v = (pol == "omit" and x:isnan():any()) and M.omit(x, ax, f) or f(x, ax)
  return M.finish(v, x, ax, o.keepdims, x.dtype)
end

-- stats.describe(a[, axis][, {ddof=1, bias=true, nan_policy}]): a table with
-- scipy's DescribeResult fields (nobs, minmax, mean, variance, skewness,
-- kurtosis), also at positions 1..6 so table.unpack gives them in order.
local Describe = {__name = "stats.DescribeResult"}
Describe.__index = function(_, k)
  if type(k) == "string" and k:sub(1, 1) ~= "_" then
    util.missing({nobs = 1, minmax = 1, mean = 1, variance = 1, skewness = 1, kurtosis = 1}, "DescribeResult", k, 2)
  end
end
Describe.__tostring = function(r)
  local function show(v) return util.repr(v) end
  return ("DescribeResult(nobs=%s, minmax=(%s, %s), mean=%s, variance=%s, skewness=%s, kurtosis=%s)"):format(
    r.nobs, show(r.minmax[1]), show(r.minmax[2]), show(r.mean), show(r.variance), show(r.skewness), show(r.kurtosis))
end

function M.describe(a, axis, opts)
  local fname = "stats.describe"
  local x, ax, o, pol = M.args(fname, a, axis, opts, {"axis", "dim", "ddof", "bias", "nan_policy"}, 0)
  if x.size == 0 then error(fname .. ": the input must not be empty", 2) end
  if pol == "omit" and x:isnan():any() then
    if x.ndim ~= 1 then error(fname .. ": nan_policy='omit' is supported for 1-D input only", 2) end
    x = x[x:isnan():logical_not()]
  end
  local ddof = o.ddof or 1
  local bias = truthy(o.bias, true)
  local n = x.shape[ax + 1]
  local mn = M.finish(x:min(ax, {keepdims = true}), x, ax, false, x.dtype)
  local mx = M.finish(x:max(ax, {keepdims = true}), x, ax, false, x.dtype)
  local xf = x:astype("float64")
  local mean = M.finish(xf:mean(ax, {keepdims = true}), x, ax, false, x.dtype)
  local var = M.finish(xf:var{axis = ax, ddof = ddof, keepdims = true}, x, ax, false, x.dtype)
  local sk = M.finish(skew_core(x, ax, bias, x.dtype), x, ax, false, x.dtype)
  local ku = M.finish(kurt_core(x, ax, bias, true, x.dtype), x, ax, false, x.dtype)
  local mm = util.shape({mn, mx})
  return setmetatable({nobs = n, minmax = mm, mean = mean, variance = var, skewness = sk, kurtosis = ku,
    n, mm, mean, var, sk, ku}, Describe)
end

-- stats.zscore(a[, axis][, {ddof=0, nan_policy}]) and stats.zmap(scores,
-- compare, ...): standard scores; a constant slice gives NaN, as scipy.
function M.zmap(scores, compare, axis, opts)
  local fname = "stats.zmap"
  local c, ax, o, pol = M.args(fname, compare, axis, opts, {"axis", "dim", "ddof", "nan_policy"}, 0)
  return M._zmap(fname, scores, c, ax, o, pol, axis == nil and opts == nil and false)
end

function M._zmap(fname, scores, c, ax, o, pol)
  if type(scores) == "table" then scores = util.asarray(scores, fname, nil, 3) end
  if type(scores) ~= "userdata" then error(fname .. ": scores must be an array", 3) end
  if c.size == 0 then return np.empty(c.shape) end
  local ddof = o.ddof or 0
  local cf = c:astype("float64")
  local mn, sd
  if pol == "omit" then
    mn = M.omit(cf, ax, function(y, axx) return y:mean(axx, {keepdims = true}) end)
    sd = M.omit(cf, ax, function(y, axx) return y:std{axis = axx, ddof = ddof, keepdims = true} end)
  else
    mn = cf:mean(ax, {keepdims = true})
    sd = cf:std{axis = ax, ddof = ddof, keepdims = true}
  end
  local sel = {}
  for i = 1, cf.ndim do sel[i] = (i - 1 == ax) and {1, 1} or {} end
  local first = cf[sel]
  local isconst = cf:eq(first):logical_or(cf:isnan():logical_and(first:isnan())):all{axis = ax, keepdims = true}
  if pol == "omit" then
    isconst = M.omit(cf, ax, function(y, axx)
      if y.size == 0 then return np.ones{1, 1} end
      return y:eq(y[{1, 1}]):all{axis = axx, keepdims = true}:astype("float64")
    end):astype("bool")
  end
  sd = np.where(isconst, 1.0, sd)
  local z = (scores:astype("float64") - mn) / sd
  z = np.where(isconst, 0 / 0, z)
  if c.dtype == "float32" then z = z:astype("float32") end
  return z
end

function M.zscore(a, axis, opts)
  local fname = "stats.zscore"
  local x, ax, o, pol = M.args(fname, a, axis, opts, {"axis", "dim", "ddof", "nan_policy"}, 0)
  local z = M._zmap(fname, x, x, ax, o, pol)
  if type(a) == "userdata" and a.ndim ~= z.ndim then z = z:reshape(a.shape) end
  return z
end

return M
