-- stats_misc.lua: scipy.stats' entropy, mode and percentileofscore.
local np = require "geolab.array"
local util = require "geolab.util"
local mom = require "geolab.stats_moments"

local M = {}

-- stats.entropy(pk[, qk][, {base=, axis=0}]): Shannon entropy of pk (nats by
-- default), or the Kullback-Leibler divergence of pk from qk; both are
-- normalised to sum to 1 along axis first, as scipy does.
function M.entropy(pk, qk, opts)
  local fname = "stats.entropy"
  if type(qk) == "table" and opts == nil and qk[1] == nil and not (getmetatable(qk) and qk.dtype) then qk, opts = nil, qk end
  opts = util.check_options(opts, {"qk", "base", "axis", "dim"}, fname, 2)
  if opts.qk ~= nil then qk = opts.qk end
  local base = opts.base
  if base ~= nil and (type(base) ~= "number" or base <= 0) then
    error(fname .. ": base must be a positive number or None", 2)
  end
  local p, ax = mom.args(fname, pk, nil, {axis = opts.axis, dim = opts.dim}, {"axis", "dim"}, 0)
  if p.dtype ~= "float64" then p = p:astype("float64") end
  p = p / p:sum(ax, {keepdims = true})
  local vec
  if qk == nil and p.size > 0 and p:min() > 0 then
    vec = -(p * p:log())   -- all positive (NaN fails the test): what the general case gives
  elseif qk == nil then
    local pos = p:gt(0)
    local safe = np.where(pos, p, 1.0)
    vec = np.where(pos, -(safe * safe:log()), np.where(p:eq(0), 0.0, -math.huge))
    vec = np.where(p:isnan(), 0 / 0, vec)
  else
    local q = mom.args(fname, qk, nil, {axis = ax}, {"axis"}, 0)
    q = q:astype("float64")
    local okb, s = pcall(function() return p + q * 0, q + p * 0 end)
    if not okb then error(fname .. ": pk and qk cannot be broadcast together", 2) end
    local pp, qq = p + q * 0, q + p * 0
    qq = qq / qq:sum(ax, {keepdims = true})
    local both = pp:gt(0):logical_and(qq:gt(0))
    local v = np.where(both, pp * (np.where(both, pp, 1.0) / np.where(both, qq, 1.0)):log(), 0.0)
    v = np.where(both, v, np.where(pp:eq(0):logical_and(qq:ge(0)), 0.0, math.huge))
    vec = np.where(pp:isnan():logical_or(qq:isnan()), 0 / 0, v)
    local _ = s
  end
  local S = vec:sum(ax, {keepdims = true})
  if base ~= nil then S = S / math.log(base) end
  return mom.finish(S, vec, ax, false)
end

-- stats.mode(a[, axis][, {nan_policy="propagate", keepdims=false}]) -> mode,
-- count: the most frequent value (the smallest on ties). keepdims defaults to
-- false, scipy 1.11's default (1.10 keeps the axis and warns that it will
-- change).
function M.mode(a, axis, opts)
  local fname = "stats.mode"
  local x, ax, o, pol = mom.args(fname, a, axis, opts, {"axis", "dim", "nan_policy", "keepdims"}, 0)
  local n = x.shape[ax + 1]
  local shape = mom.reduced_shape(x, ax, true)
  if x.size == 0 then
    local e = np.full(shape, 0 / 0)
    return mom.finish(e, x, ax, o.keepdims), mom.finish(e, x, ax, o.keepdims)
  end
  local perm = {}
  for i = 0, x.ndim - 1 do if i ~= ax then perm[#perm + 1] = i end end
  perm[#perm + 1] = ax
  local rows = np.sort(x:transpose(perm):copy():reshape{-1, n}, {axis = 1})
  local modes, counts = {}, {}
  for r = 1, rows.shape[1] do
    local xs = rows[r]:totable()
    local best, bc, i = nil, 0, 1
    local m = #xs
    while i <= m do
      local v = xs[i]
      local j = i
      if v ~= v then
        if pol == "omit" then break end
        j = m
      else
        while j < m and xs[j + 1] == v do j = j + 1 end
      end
      if j - i + 1 > bc then best, bc = v, j - i + 1 end
      i = j + 1
    end
    if best == nil then best, bc = 0 / 0, 0 end
    modes[r], counts[r] = best, bc
  end
  local md = np.array(modes, "float64"):reshape(shape)
  local ct = np.array(counts, "int64"):reshape(shape)
  if type(a) == "userdata" and a.dtype and a.dtype:match("int") then md = md:astype(a.dtype) end
  local s = mom.reduced_shape(x, ax, o.keepdims)
  if #s == 0 then return md:reshape{-1}[1], ct:reshape{-1}[1] end
  return md:reshape(s), ct:reshape(s)
end

-- stats.percentileofscore(a, score[, kind="rank"][, {nan_policy}]): the
-- percentile rank of score (a number or an array of scores) within a.
function M.percentileofscore(a, score, kind, opts)
  local fname = "stats.percentileofscore"
  if type(kind) == "table" and opts == nil then kind, opts = nil, kind end
  opts = util.check_options(opts, {"kind", "nan_policy"}, fname, 2)
  kind = kind or opts.kind or "rank"
  if kind ~= "rank" and kind ~= "strict" and kind ~= "weak" and kind ~= "mean" then
    error(fname .. ": kind can only be 'rank', 'strict', 'weak' or 'mean', got '" .. tostring(kind) .. "'", 2)
  end
  local pol = opts.nan_policy or "propagate"
  if pol ~= "propagate" and pol ~= "raise" and pol ~= "omit" then
    error(fname .. ": nan_policy must be 'propagate', 'raise' or 'omit'", 2)
  end
  if type(a) == "table" then a = util.asarray(a, fname, "float64", 2) end
  if type(a) ~= "userdata" or not a.dtype then error(fname .. ": a must be an array or a table of numbers", 2) end
  a = a:astype("float64"):reshape{-1}
  local scalar = type(score) == "number"
  if type(score) == "table" then score = util.asarray(score, fname, "float64", 2) end
  if scalar then score = np.array({score}, "float64") end
  if type(score) ~= "userdata" or not score.dtype then error(fname .. ": score must be a number or an array", 2) end
  score = score:astype("float64")
  local n = a.shape[1]
  local anan, snan = a:isnan():any(), score:isnan()
  if (anan or snan:any()) and pol == "raise" then error(fname .. ": the input contains nan values", 2) end
  if anan then
    if pol == "omit" then a = a[a:isnan():logical_not()]; n = a.shape[1] else n = 0 end
  end
  local out
  if n == 0 then out = np.full(score.shape, 0 / 0)
  else
    local sorted = np.sort(a)
    local flat = score:reshape{-1}
    local left = np.searchsorted(sorted, flat, {side = "left"}):astype("float64") - 1
    local right = np.searchsorted(sorted, flat, {side = "right"}):astype("float64") - 1
    local p
    if kind == "rank" then p = (left + right + left:lt(right):astype("float64")) * (50.0 / n)
    elseif kind == "strict" then p = left * (100.0 / n)
    elseif kind == "weak" then p = right * (100.0 / n)
    else p = (left + right) * (50.0 / n) end
    out = np.where(flat:isnan(), 0 / 0, p):reshape(score.shape)
  end
  if scalar then return out[1] end
  return out
end

return M
