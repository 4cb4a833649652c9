-- stats_corr.lua: rank and correlation statistics of scipy.stats: rankdata,
-- pearsonr, spearmanr. scipy returns (statistic, pvalue) result tuples; here
-- they are two return values, so `local r, p = stats.pearsonr(x, y)` reads as
-- the Python unpacking does.
local np = require "geolab.array"
local util = require "geolab.util"
local dist = require "geolab.stats_dist"

local M = {}

local function vec(v, fname, what, level)
  if type(v) == "table" then v = util.asarray(v, fname, "float64", level + 1) end
  if type(v) ~= "userdata" or not v.dtype then
    error(("%s: %s must be an array or a table of numbers, got %s"):format(fname, what, type(v)), level + 1)
  end
  if v.dtype:match("^complex") then error(fname .. ": " .. what .. " must be real", level + 1) end
  return v:astype("float64")
end

-- Ranks of the 1-D Lua list xs (NaN-free) by method, as scipy.stats.rankdata.
local function rank_list(xs, method)
  local n = #xs
  local idx = {}
  for i = 1, n do idx[i] = i end
  table.sort(idx, function(i, j) if xs[i] ~= xs[j] then return xs[i] < xs[j] end return i < j end)
  local r = {}
  if method == "ordinal" then
    for k, i in ipairs(idx) do r[i] = k end
    return r
  end
  local k, dense = 1, 0
  while k <= n do
    local j = k
    while j < n and xs[idx[j + 1]] == xs[idx[k]] do j = j + 1 end
    dense = dense + 1
    local v
    if method == "average" then v = (k + j) / 2
    elseif method == "min" then v = k
    elseif method == "max" then v = j
    else v = dense end
    for m = k, j do r[idx[m]] = v end
    k = j + 1
  end
  return r
end

local methods = {average = true, min = true, max = true, dense = true, ordinal = true}

-- stats.rankdata(a[, method="average"][, {axis=None, nan_policy="propagate"}])
function M.rankdata(a, method, opts)
  local fname = "stats.rankdata"
  if type(method) == "table" and opts == nil then method, opts = nil, method end
  opts = util.check_options(opts, {"method", "axis", "dim", "nan_policy"}, fname, 2)
  method = method or opts.method or "average"
  if not methods[method] then
    error(fname .. ": method must be 'average', 'min', 'max', 'dense' or 'ordinal', got '" .. tostring(method) .. "'", 2)
  end
  local x = vec(a, fname, "a", 2)
  local axis = opts.axis or opts.dim
  if axis == util.None then axis = nil end
  local pol = opts.nan_policy or "propagate"
  if pol ~= "propagate" and pol ~= "raise" and pol ~= "omit" then
    error(fname .. ": nan_policy must be 'propagate', 'raise' or 'omit'", 2)
  end
  local int = method ~= "average"
  local function rank1(row)
    local xs = row:totable()
    for _, v in ipairs(xs) do
      if v ~= v then
        if pol == "raise" then error(fname .. ": the input contains nan values", 3) end
        if pol == "propagate" then
          local out = {}
          for i = 1, #xs do out[i] = 0 / 0 end
          return out, true
        end
      end
    end
    if pol == "omit" then
      local keep, pos = {}, {}
      for i, v in ipairs(xs) do if v == v then keep[#keep + 1] = v; pos[#pos + 1] = i end end
      local rk = rank_list(keep, method)
      local out = {}
      for i = 1, #xs do out[i] = 0 / 0 end
      for k, i in ipairs(pos) do out[i] = rk[k] end
      return out, #keep < #xs
    end
    return rank_list(xs, method), false
  end
  local shape = x.shape
  if axis == nil then
    local out, hasnan = rank1(x:reshape{-1})
    local r = np.array(out, (int and not hasnan) and "int64" or "float64")
    return x.ndim == 0 and r or r:reshape(shape)
  end
  if math.type(axis) ~= "integer" or axis < -x.ndim or axis >= x.ndim then
    error(("%s: axis %s is out of bounds for array of dimension %d"):format(fname, tostring(axis), x.ndim), 2)
  end
  if axis < 0 then axis = axis + x.ndim end
  local perm = {}
  for i = 0, x.ndim - 1 do if i ~= axis then perm[#perm + 1] = i end end
  perm[#perm + 1] = axis
  local n = x.shape[axis + 1]
  local rows = x:transpose(perm):copy():reshape{-1, n}
  local all, anynan = {}, false
  for r = 1, rows.shape[1] do
    local out, hasnan = rank1(rows[r])
    anynan = anynan or hasnan
    for _, v in ipairs(out) do all[#all + 1] = v end
  end
  local tshape = {}
  for i, p in ipairs(perm) do tshape[i] = shape[p + 1] end
  local inv = {}
  for i, p in ipairs(perm) do inv[p + 1] = i - 1 end
  local r = np.array(all, (int and not anynan) and "int64" or "float64"):reshape(tshape):transpose(inv):copy()
  return r
end

local function check_alt(fname, alt)
  alt = alt or "two-sided"
  if alt ~= "two-sided" and alt ~= "less" and alt ~= "greater" then
    error(fname .. ": alternative must be 'two-sided', 'less' or 'greater', got '" .. tostring(alt) .. "'", 3)
  end
  return alt
end

-- stats.pearsonr(x, y[, {alternative="two-sided"}]) -> r, pvalue. The p-value
-- is the exact one from the beta distribution of r under independence.
function M.pearsonr(x, y, opts)
  local fname = "stats.pearsonr"
  opts = util.check_options(opts, {"alternative"}, fname, 2)
  local alt = check_alt(fname, opts.alternative)
  x, y = vec(x, fname, "x", 2), vec(y, fname, "y", 2)
  if x.ndim ~= 1 or y.ndim ~= 1 then error(fname .. ": x and y must be 1-D", 2) end
  local n = x.shape[1]
  if n ~= y.shape[1] then error(("%s: x and y must have the same length (%d and %d)"):format(fname, n, y.shape[1]), 2) end
  if n < 2 then error(fname .. ": x and y must have length at least 2", 2) end
  if x:eq(x[1]):all() or y:eq(y[1]):all() then return 0 / 0, 0 / 0 end
  if n == 2 then
    local function sign(v) return v > 0 and 1 or (v < 0 and -1 or 0) end
    return sign(x[2] - x[1]) * sign(y[2] - y[1]) + 0.0, 1.0
  end
  local xm, ym = x - x:mean(), y - y:mean()
  local nx, ny = np.linalg.norm(xm), np.linalg.norm(ym)
  local r = ((xm / nx) * (ym / ny)):sum()
  r = math.max(math.min(r, 1.0), -1.0)
  local ab = n / 2 - 1
  -- beta(ab, ab) on (-1, 1): sf(|r|) with scipy's loc/scale arithmetic
  local function sf(v) return dist._betainc(ab, ab, 1 - (v + 1) / 2) end
  local function cdf(v) return dist._betainc(ab, ab, (v + 1) / 2) end
  local p
  if alt == "two-sided" then p = 2 * sf(math.abs(r))
  elseif alt == "less" then p = cdf(r)
  else p = sf(r) end
  return r, p
end

-- p-values of correlation coefficients rs by Student's t with dof degrees.
local function t_pvalues(rs, dof, alt)
  local t = rs * (dof / ((rs + 1.0) * (1.0 - rs))):clip(0, math.huge):sqrt()
  if alt == "two-sided" then return t, dist._stdtr(dof, -t:abs()) * 2
  elseif alt == "less" then return t, dist._stdtr(dof, t) end
  return t, dist._stdtr(dof, -t)
end

-- stats.spearmanr(a[, b][, {axis=0, nan_policy="propagate", alternative}])
-- -> rho, pvalue: numbers for two variables, matrices for more (columns of a
-- 2-D a are the variables when axis=0, as scipy).
function M.spearmanr(a, b, opts)
  local fname = "stats.spearmanr"
  if type(b) == "table" and opts == nil and b[1] == nil and not (getmetatable(b) and b.dtype) then b, opts = nil, b end
  opts = util.check_options(opts, {"axis", "dim", "nan_policy", "alternative"}, fname, 2)
  local alt = check_alt(fname, opts.alternative)
  local axis = opts.axis or opts.dim or 0
  local pol = opts.nan_policy or "propagate"
  if pol ~= "propagate" and pol ~= "raise" and pol ~= "omit" then
    error(fname .. ": nan_policy must be 'propagate', 'raise' or 'omit'", 2)
  end
  local A = vec(a, fname, "a", 2)
  if axis == util.None then A, axis = A:reshape{-1}, 0 end
  if axis ~= 0 and axis ~= 1 and axis ~= -1 then error(fname .. ": axis must be 0, 1 or None", 2) end
  if axis == -1 then axis = A.ndim - 1 end
  if A.ndim > 2 or A.ndim == 0 then error(fname .. ": spearmanr only handles 1-D or 2-D arrays", 2) end
  if A.ndim == 1 then A = A:reshape{-1, 1}; if axis == 1 then A = A:transpose():copy() end end
  if b ~= nil then
    local B = vec(b, fname, "b", 2)
    if B.ndim > 2 or B.ndim == 0 then error(fname .. ": spearmanr only handles 1-D or 2-D arrays", 2) end
    if B.ndim == 1 then B = B:reshape{-1, 1}; if axis == 1 then B = B:transpose():copy() end end
    local ok, C = pcall(np.concatenate, {A, B}, {axis = 1 - axis})
    if not ok then error(fname .. ": a and b must have the same number of observations", 2) end
    A = C
  elseif A.shape[2 - axis] < 2 then
    error(fname .. ": needs at least 2 variables to compare", 2)
  end
  if axis == 1 then A = A:transpose():copy() end   -- observations in rows
  local nobs, nvars = A.shape[1], A.shape[2]
  if nobs <= 1 then return 0 / 0, 0 / 0 end
  if A[{{}, 1}]:eq(A[{1, 1}]):all() or A[{{}, 2}]:eq(A[{1, 2}]):all() then return 0 / 0, 0 / 0 end
  local hasnan = A:isnan():any()
  local varnan
  if hasnan then
    if pol == "raise" then error(fname .. ": the input contains nan values", 2) end
    if pol == "omit" then
      if nvars ~= 2 then error(fname .. ": nan_policy='omit' is supported for two variables only", 2) end
      local keep = A:isnan():any{axis = 1}:logical_not()
      A = A[keep]
      nobs = A.shape[1]
      if nobs <= 1 then return 0 / 0, 0 / 0 end
    elseif nvars <= 2 then return 0 / 0, 0 / 0
    else varnan = A:isnan():any{axis = 0} end
  end
  local R = M.rankdata(A, {axis = 0}):astype("float64")
  local Xc = R - R:mean(0, {keepdims = true})
  local C = Xc:transpose():matmul(Xc) / (nobs - 1)
  local sd = np.diag(C):sqrt()
  local rs = (C / sd:reshape{-1, 1} / sd:reshape{1, -1}):clip(-1, 1)
  local _, p = t_pvalues(rs, nobs - 2, alt)
  if nvars == 2 then return rs[{2, 1}], p[{2, 1}] end
  if varnan then
    local nanrow = varnan:reshape{-1, 1}:logical_or(varnan:reshape{1, -1})
    rs = np.where(nanrow, 0 / 0, rs)
  end
  return rs, p
end

return M
