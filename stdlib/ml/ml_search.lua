-- ml_search.lua: RandomizedSearchCV and ParameterSampler, with scipy.stats-
-- like distributions (ml.stats.uniform, loguniform, randint, norm, expon).
-- Candidates are drawn from NumPy's legacy RandomState stream in sklearn's
-- order, so the same random_state samples the same candidates as sklearn
-- with scipy's distributions. The search itself is GridSearchCV's.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"
local ms = require "geolab.ml_model_selection"

local M = {}

-- {==================================================================
-- Distributions: d:rvs{size=, random_state=} as scipy.stats' frozen ones.
-- random_state is an integer or a stream from the search (base.sk_rng).
-- ==================================================================}

local Dist = {}
Dist.__index = util.member_index(Dist, "distribution")   -- d:rvss{} says "did you mean 'rvs'?"
Dist.__methods = Dist   -- REPL completion
Dist.__name = "ml.stats distribution"
Dist.__tostring = function(d) return d._repr end

local function check_number(v, what, fname)
  if type(v) ~= "number" or v ~= v then
    error(("%s: %s must be a number, got %s"):format(fname, what, tostring(v)))
  end
  return v
end

function Dist:rvs(opts)
  local fname = "ml.stats." .. self._name .. ":rvs"
  opts = util.check_options(opts, {"size", "random_state"}, fname, 0)
  local rng = base.sk_rng(opts.random_state)
  local size = opts.size
  if size == nil then return self._draw(rng, nil) end
  if math.type(size) ~= "integer" or size < 0 then error(fname .. ": size must be an integer >= 0") end
  return self._draw(rng, size)
end

local function scalar_or(a, size) if size == nil then return a[1] end return a end

local function dist(name, repr, draw)
  return setmetatable({_name = name, _repr = repr, _draw = draw}, Dist)
end

-- Arguments as scipy's: positional (ml.stats.uniform(0, 10)) or an options table.
local function args(name, a, b, names, defaults)
  local fname = "ml.stats." .. name
  if type(a) == "table" then
    util.check_options(a, names, fname, 0)
    a, b = a[names[1]], a[names[2]]
  end
  if a == nil then a = defaults[1] end
  if b == nil then b = defaults[2] end
  if a == nil or b == nil then
    error(("%s: expects %s and %s, e.g. ml.stats.%s(1, 10)"):format(fname, names[1], names[2], name))
  end
  return check_number(a, names[1], fname), check_number(b, names[2], fname), fname
end

local S = {}

-- uniform(loc=0, scale=1): uniform on [loc, loc + scale].
function S.uniform(a, b)
  local loc, scale, fname = args("uniform", a, b, {"loc", "scale"}, {0.0, 1.0})
  if scale <= 0 then error(fname .. ": scale must be > 0") end
  return dist("uniform", ("uniform(loc=%s, scale=%s)"):format(base.repr(loc), base.repr(scale)),
    function(rng, size) return scalar_or(rng:uniform(size or 1) * scale + loc, size) end)
end

-- loguniform(a, b) (scipy's reciprocal): log-uniform on [a, b], drawn as
-- scipy does, through its quantile function a * (b/a)^u.
function S.loguniform(a, b)
  local lo, hi, fname = args("loguniform", a, b, {"a", "b"}, {})
  if not (lo > 0 and hi > lo) then error(fname .. ": needs 0 < a < b") end
  return dist("loguniform", ("loguniform(a=%s, b=%s)"):format(base.repr(lo), base.repr(hi)),
    function(rng, size)
      local u = rng:uniform(size or 1)
      local r = hi * 1.0 / lo
      local t = u:totable()
      for i = 1, #t do t[i] = lo * r ^ t[i] end
      if size == nil then return t[1] end
      if size == 0 then return np.zeros{0} end
      return np.array(t)
    end)
end
S.reciprocal = S.loguniform

-- randint(low, high): integers low <= k < high, as scipy.stats.randint.
function S.randint(a, b)
  local lo, hi, fname = args("randint", a, b, {"low", "high"}, {})
  if math.type(lo) ~= "integer" or math.type(hi) ~= "integer" or hi <= lo then
    error(fname .. ": needs integers low < high")
  end
  return dist("randint", ("randint(low=%d, high=%d)"):format(lo, hi), function(rng, size)
    if size == nil then return rng:randint(hi - lo) + lo end
    return rng:randint(hi - lo, size) + lo
  end)
end

-- norm(loc=0, scale=1) and expon(loc=0, scale=1).
function S.norm(a, b)
  local loc, scale, fname = args("norm", a, b, {"loc", "scale"}, {0.0, 1.0})
  if scale <= 0 then error(fname .. ": scale must be > 0") end
  return dist("norm", ("norm(loc=%s, scale=%s)"):format(base.repr(loc), base.repr(scale)),
    function(rng, size) return scalar_or(rng:normal(size or 1) * scale + loc, size) end)
end
function S.expon(a, b)
  local loc, scale, fname = args("expon", a, b, {"loc", "scale"}, {0.0, 1.0})
  if scale <= 0 then error(fname .. ": scale must be > 0") end
  return dist("expon", ("expon(loc=%s, scale=%s)"):format(base.repr(loc), base.repr(scale)),
    function(rng, size) return scalar_or(rng:exponential(size or 1) * scale + loc, size) end)
end

M.stats = setmetatable(S, {__index = function(_, k)
  if type(k) ~= "string" or k:sub(1, 2) == "__" then return nil end
  local near = util.nearest(k, util.sorted_keys(S))
  error(("ml.stats: no distribution '%s'%s"):format(k, near and (" (did you mean ml.stats." .. near .. "?)") or ""))
end})

local function is_dist(v) return getmetatable(v) == Dist end

-- {==================================================================
-- ParameterSampler(param_distributions, n_iter, {random_state=})
-- ==================================================================}

local function sample(dists, n_iter, random_state, fname)
  if type(dists) ~= "table" or getmetatable(dists) ~= nil then
    error(fname .. ": param_distributions must be a table of lists and distributions (or a list of such tables)")
  end
  local list = dists[1] ~= nil and dists or {dists}
  local all_lists = true
  for _, d in ipairs(list) do
    if type(d) ~= "table" then error(fname .. ": param_distributions must be a table of lists and distributions") end
    for k, v in pairs(d) do
      if is_dist(v) then all_lists = false
      elseif type(v) ~= "table" or getmetatable(v) ~= nil or #v == 0 then
        error(("%s: parameter '%s' must be a non-empty list or a distribution (ml.stats.uniform(...))"):format(fname, tostring(k)))
      end
    end
  end
  if math.type(n_iter) ~= "integer" or n_iter < 1 then error(fname .. ": n_iter must be an integer >= 1") end
  local rng = base.sk_rng(random_state)
  local out = {}
  if all_lists then
    -- sampled without replacement from the grid, as sklearn
    local grid = ms.ParameterGrid(list)
    if #grid < n_iter then
      io.stderr:write(("%s: warning: the total space of parameters %d is smaller than n_iter=%d; running %d iterations\n"):format(
        fname, #grid, n_iter, #grid))
      n_iter = #grid
    end
    for i, j in ipairs(base.sample_without_replacement(rng, #grid, n_iter)) do out[i] = util.dict(grid[j + 1]) end
    return util.list(out)
  end
  for i = 1, n_iter do
    local d = list[rng:randint(#list) + 1]
    local p = {}
    for _, k in ipairs(util.sorted_keys(d)) do
      local v = d[k]
      if is_dist(v) then p[k] = v._draw(rng, nil) else p[k] = v[rng:randint(#v) + 1] end
    end
    out[i] = util.dict(p)
  end
  return util.list(out)
end

function M.ParameterSampler(dists, n_iter, opts)
  local fname = "ml.ParameterSampler"
  opts = util.check_options(opts, {"random_state"}, fname, 0)
  return sample(dists, n_iter, opts.random_state, fname)
end

-- {==================================================================
-- RandomizedSearchCV(estimator, param_distributions [, {n_iter=10, ...}])
-- ==================================================================}

local G = ms.GridSearchCV
local RandomizedSearchCV = base.estimator("RandomizedSearchCV", {estimator = base.NONE,
  param_distributions = base.NONE, n_iter = 10, scoring = base.NONE, n_jobs = base.NONE, refit = true,
  cv = base.NONE, verbose = 0, pre_dispatch = "2*n_jobs", random_state = base.NONE,
  error_score = 0 / 0, return_train_score = false})
M.RandomizedSearchCV = RandomizedSearchCV

for _, m in ipairs{"fit", "predict", "predict_proba", "predict_log_proba", "decision_function",
                   "transform", "inverse_transform", "score", "_estimator_type", "_sub_estimator"} do
  RandomizedSearchCV[m] = G[m]
end

function RandomizedSearchCV:_candidates(fname)
  return sample(self.param_distributions, self.n_iter, self.random_state, fname)
end

do  -- RandomizedSearchCV(est, dists [, opts]) as well as {estimator=, param_distributions=}
  local mt = getmetatable(RandomizedSearchCV)
  local ctor = mt.__call
  mt.__call = function(cls, a, b, c)
    if base.is_estimator(a) then
      local o = {}
      for k, v in pairs(c or {}) do o[k] = v end
      o.estimator, o.param_distributions = a, b
      return ctor(cls, o)
    end
    return ctor(cls, a)
  end
end

return M
