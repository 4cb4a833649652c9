-- stats.lua: the stats module (global `stats`), modelled on scipy.stats:
-- gaussian_kde for density estimates (and density-coloured scatter plots),
-- with the moment statistics (stats_moments.lua), correlations
-- (stats_corr.lua), distributions (stats_dist.lua) and entropy, mode,
-- percentileofscore (stats_misc.lua) merged in. The KDE sums run in C
-- (geolab.spatial_core, kernels/ml/cluster_hier.c).
local np = require "geolab.array"
local core = require "geolab.spatial_core"

local stats = {}
for _, part in ipairs{"stats_moments", "stats_corr", "stats_dist", "stats_misc"} do
  for k, v in pairs(require("geolab." .. part)) do
    if k:sub(1, 1) ~= "_" and k ~= "args" and k ~= "finish" and k ~= "omit" and k ~= "reduced_shape" then stats[k] = v end
  end
end

local KDE = {}
-- strict: kde.evalute(...) says "did you mean 'evaluate'?" (util.member_index)
KDE.__index = require("geolab.util").member_index(KDE, "gaussian_kde")
KDE.__methods = KDE   -- REPL completion
KDE.__name = "stats.gaussian_kde"

local function as2d(x, fname)
  if type(x) == "table" then x = require("geolab.util").asarray(x, fname, "float64", 3) end
  if type(x) ~= "userdata" then error(fname .. ": expected an array, got " .. type(x), 3) end
  x = x:astype("float64")
  if x.ndim == 1 then x = x:reshape{1, -1} end
  if x.ndim ~= 2 then error(fname .. ": expected a 1-D or 2-D array", 3) end
  return x
end

function KDE:set_bandwidth(bw_method)
  local fn = "gaussian_kde.set_bandwidth"
  if bw_method == nil or bw_method == "scott" then
    self.factor = self.neff ^ (-1 / (self.d + 4))
  elseif bw_method == "silverman" then
    self.factor = (self.neff * (self.d + 2) / 4) ^ (-1 / (self.d + 4))
  elseif type(bw_method) == "number" then
    self.factor = bw_method
  elseif type(bw_method) == "function" then
    self.factor = bw_method(self)
    if type(self.factor) ~= "number" then error(fn .. ": a bw_method function must return a number", 3) end
  else
    error(fn .. ": bw_method should be 'scott', 'silverman', a number or a function", 3)
  end
  -- data covariance with weights (np.cov with aweights, ddof 1 in its weighted form)
  local mean = (self.dataset * self.weights):sum(1, {keepdims = true})
  local Xc = self.dataset - mean
  local w = self.weights
  local denom = 1 - (w * w):sum()
  local cov = (Xc * w):matmul(Xc:transpose()) / denom
  self._data_covariance = cov
  self.covariance = cov * (self.factor * self.factor)
  local ok, L = pcall(np.linalg.cholesky, self.covariance)
  if not ok then
    error("stats.gaussian_kde: the data covariance matrix is singular (are the points on a line or plane?)", 3)
  end
  self.inv_cov = np.linalg.inv(self.covariance)
  self._whiten = np.linalg.cholesky(self.inv_cov)
  local prod = 1
  for i = 1, self.d do prod = prod * self._whiten[{i, i}] end
  self._norm = 1 / ((2 * math.pi) ^ (-self.d / 2) * prod)
  self.cholesky = L
end

-- stats.gaussian_kde(dataset, {bw_method="scott"|"silverman"|number|function, weights=})
-- dataset: (d, n) array (one row per variable) or a 1-D array.
function stats.gaussian_kde(dataset, opts)
  local fn = "stats.gaussian_kde"
  opts = require("geolab.util").check_options(opts, {"bw_method", "weights"}, fn, 2)
  local data = as2d(dataset, fn)
  local d, n = data.shape[1], data.shape[2]
  if n < 2 then error(fn .. ": dataset should have multiple elements", 2) end
  if data:isnan():any() then error(fn .. ": dataset contains NaN", 2) end
  local self = setmetatable({dataset = data, d = d, n = n}, KDE)
  if opts.weights then
    local w = np.array(opts.weights, "float64"):reshape{-1}
    if w.shape[1] ~= n then error(fn .. ": weights must have the same length as the dataset", 2) end
    self.weights = w / w:sum()
  else
    self.weights = np.full({n}, 1 / n)
  end
  self.neff = 1 / (self.weights * self.weights):sum()
  self:set_bandwidth(opts.bw_method)
  return self
end

function KDE:scotts_factor() return self.neff ^ (-1 / (self.d + 4)) end
function KDE:silverman_factor() return (self.neff * (self.d + 2) / 4) ^ (-1 / (self.d + 4)) end

-- kde:evaluate(points) / kde(points): density at (d, m) points (or 1-D when d = 1)
function KDE:evaluate(points)
  local P = as2d(points, "gaussian_kde.evaluate")
  if P.shape[1] ~= self.d then
    if P.shape[1] == 1 and P.shape[2] == self.d then P = P:reshape{self.d, 1}
    else error(("gaussian_kde.evaluate: points have dimension %d, dataset has dimension %d"):format(P.shape[1], self.d), 2) end
  end
  return core.kde_eval(self.dataset:transpose():copy(), self.weights, P:transpose():copy(), self._whiten, self._norm)
end
KDE.pdf = KDE.evaluate
KDE.__call = function(self, p) return self:evaluate(p) end
function KDE:logpdf(points)
  local ok, v = pcall(self.evaluate, self, points)
  if not ok then error((tostring(v):gsub("^gaussian_kde%.evaluate:", "gaussian_kde.logpdf:")), 2) end
  return v:log()
end

-- kde:resample(size, seed) -> (d, size) draws
function KDE:resample(size, seed)
  local fn = "gaussian_kde.resample"
  if size ~= nil and (math.type(size) ~= "integer" or size < 0) then
    error(fn .. ": size must be a non-negative integer, got " .. tostring(size), 2)
  end
  if seed ~= nil and math.type(seed) ~= "integer" then
    error(fn .. ": seed must be an integer, got " .. type(seed), 2)
  end
  local g = np.random.Generator(seed or 0)
  size = size or self.n
  local Z = g:normal(0, 1, {size, self.d}):matmul(self.cholesky:transpose())
  local u = g:uniform(0, 1, {size}):totable()
  local cw = np.cumsum(self.weights):totable()
  local idx = {}
  for i, v in ipairs(u) do
    local lo, hi = 1, #cw
    while lo < hi do local mid = (lo + hi) // 2; if cw[mid] < v then lo = mid + 1 else hi = mid end end
    idx[i] = lo
  end
  local means = self.dataset:transpose()[np.array(idx, "int64")]
  return (means + Z):transpose():copy()
end

function KDE:__tostring() return ("gaussian_kde(d=%d, n=%d, factor=%.6g)"):format(self.d, self.n, self.factor) end

stats.gaussian_kde_class = KDE
return stats
