-- ml_base.lua: the estimator contract shared by every ml estimator (classes,
-- parameters, repr, input checks, label encoding, random generators).
--
-- An estimator class is made by base.estimator(name, defaults): calling it with
-- an options table stores the hyper-parameters (defaults filled in) and does
-- no other validation, like scikit-learn's constructors; fit validates. A
-- default of base.NONE declares a parameter whose default is nil (Python's
-- None); ml.None passed as a value means the same.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local util = require "geolab.util"

local base = {}

-- The "None" value of a parameter (stored as nil in the instance).
base.NONE = util.None

-- {==================================================================
-- Names and suggestions
-- ==================================================================}

-- The closest of names (a list) to word, or nil when none is close.
base.nearest = util.nearest

-- Raises "<fname>: unknown option 'x' (did you mean 'y'?)" for any key of opts
-- not in the list names, at the user's line (util.raise).
function base.check_options(opts, names, fname)
  util.check_options(opts, names, fname)
end

-- {==================================================================
-- Estimator classes
-- ==================================================================}

local function is_estimator(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "_params") ~= nil
end
base.is_estimator = is_estimator

-- Python-style repr of a parameter value.
local function repr(v)
  if v == nil or v == base.NONE then return "None" end
  local t = type(v)
  if t == "string" then return "'" .. v .. "'" end
  if t == "boolean" then return v and "True" or "False" end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    if v == math.floor(v) and math.abs(v) < 1e16 then return ("%.1f"):format(v) end
    for p = 1, 17 do   -- shortest representation that round-trips
      local r = ("%." .. p .. "g"):format(v)
      if tonumber(r) == v then return r end
    end
    return ("%.17g"):format(v)
  end
  if t == "table" then
    if is_estimator(v) then return tostring(v) end
    if #v > 0 or next(v) == nil then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = repr(x) end
      return "[" .. table.concat(parts, ", ") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for i, k in ipairs(keys) do parts[i] = repr(k) .. ": " .. repr(v[k]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  if t == "function" then return "<function>" end
  return tostring(v)
end
base.repr = repr

local function same(a, b)
  if a == b then return true end
  if type(a) == "table" and type(b) == "table" and not is_estimator(a) then
    for k, v in pairs(a) do if not same(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end
  return false
end

-- base.estimator(name, defaults [, parent]) -> class table C.
-- C{opts} or C() makes an instance; methods are added to C (C.__index = C).
-- parent (optional) is a class or mixin table whose functions C inherits.
function base.estimator(name, defaults, parent)
  local C = {}
  -- a parameter left at None reads as nil; any other unknown name raises
  -- (model:fitt -> "SVC has no method 'fitt' (did you mean 'fit'?)")
  C.__index = util.member_index(C, name, function(_, k) return nil, C._defaults[k] ~= nil or C._param_set[k] end)
  C.__name = name
  C._name = name
  C._fname = "ml." .. name
  C._defaults = {}
  C._params = {}
  for k, v in pairs(defaults or {}) do
    C._params[#C._params + 1] = k
    if v ~= base.NONE then C._defaults[k] = v end
  end
  table.sort(C._params)
  C._param_set = {}
  for _, k in ipairs(C._params) do C._param_set[k] = true end
  if parent then
    for k, v in pairs(parent) do
      if type(v) == "function" and k ~= "__index" and C[k] == nil then C[k] = v end
    end
  end
  C.__tostring = function(self)
    local parts = {}
    for _, k in ipairs(C._params) do
      local v, d = rawget(self, k), C._defaults[k]
      if not same(v, d) then parts[#parts + 1] = k .. "=" .. repr(v) end
    end
    return name .. "(" .. table.concat(parts, ", ") .. ")"
  end
  setmetatable(C, {__call = function(cls, opts, ...)
    if select("#", ...) > 0 then
      error(("%s: takes one options table, e.g. %s{...}"):format(C._fname, C._fname), 2)
    end
    base.check_options(opts, C._params, C._fname, 2)
    local self = {}
    for k, v in pairs(C._defaults) do
      -- tables are copied so that instances never share a mutable default
      if type(v) == "table" and not is_estimator(v) then
        local c = {}; for i, x in pairs(v) do c[i] = x end; v = c
      end
      self[k] = v
    end
    for k, v in pairs(opts or {}) do
      if v == base.NONE then v = nil end
      self[k] = v
    end
    return setmetatable(self, cls)
  end, __tostring = function() return "<class ml." .. name .. ">" end})
  return C
end

-- get_params(): a table of every hyper-parameter; an unset one (nil) is
-- None, so that every name is listed, as in sklearn, and prints as "None".
-- get_params{deep=true} also lists nested estimators' params as "name__param".
local get_params_mt = {__tostring = function(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = "'" .. k .. "': " .. repr(t[k]) end
  return "{" .. table.concat(parts, ", ") .. "}"
end}
local function get_params(self, opts)
  local mt = getmetatable(self)
  base.check_options(opts, {"deep"}, mt._fname .. ".get_params")
  local out = setmetatable({}, get_params_mt)
  for _, k in ipairs(mt._params) do
    local v = rawget(self, k)
    if v == nil then v = base.NONE end
    out[k] = v
    if opts and opts.deep and is_estimator(v) then
      for k2, v2 in pairs(v:get_params(opts)) do out[k .. "__" .. k2] = v2 end
    end
  end
  return out
end

-- set_params{...}: same check as the constructor; "est__param" reaches a
-- nested estimator (a Pipeline step or a meta-estimator's base). Returns self.
local function set_params(self, opts)
  local mt = getmetatable(self)
  local direct, nested = {}, {}
  for k, v in pairs(opts or {}) do
    local head, rest = tostring(k):match("^(.-)__(.+)$")
    if head then nested[head] = nested[head] or {}; nested[head][rest] = v
    else direct[k] = v end
  end
  base.check_options(direct, mt._params, mt._fname, 2)
  for k, v in pairs(direct) do
    if v == base.NONE then v = nil end
    self[k] = v
  end
  for head, sub in pairs(nested) do
    local target = self._sub_estimator and self:_sub_estimator(head) or rawget(self, head)
    if not is_estimator(target) then
      local names = {}
      for _, k in ipairs(mt._params) do names[#names + 1] = k end
      local near = base.nearest(head, names)
      error(("%s: unknown option '%s'%s"):format(mt._fname, head,
        near and (" (did you mean '" .. near .. "'?)") or ""), 2)
    end
    target:set_params(sub)
  end
  return self
end

-- clone(est): a new unfitted estimator with the same hyper-parameters
-- (nested estimators cloned too), like sklearn.base.clone.
function base.clone(est)
  if not is_estimator(est) then error("ml.clone: expected an estimator, got " .. type(est), 2) end
  local mt = getmetatable(est)
  if mt._clone then return mt._clone(est) end
  local opts = {}
  for _, k in ipairs(mt._params) do
    local v = rawget(est, k)
    if is_estimator(v) then v = base.clone(v)
    elseif type(v) == "table" then
      local c = {}
      for i, x in pairs(v) do c[i] = is_estimator(x) and base.clone(x) or x end
      v = c
    end
    opts[k] = v
  end
  return mt(opts)
end

-- "classifier" / "regressor" (cross-validation picks stratified folds and
-- the default scoring from it).
function base.is_classifier(est)
  local t = est._estimator_type
  if type(t) == "function" then t = t(est) end
  return t == "classifier"
end

local common = {get_params = get_params, set_params = set_params,
                clone = function(self) return base.clone(self) end}

-- Every class made by base.estimator gets these through its __index chain.
local estimator = base.estimator
function base.estimator(name, defaults, parent)
  local C = estimator(name, defaults, parent)
  for k, f in pairs(common) do if C[k] == nil then C[k] = f end end
  if parent == base.ClassifierMixin then C._estimator_type = "classifier"
  elseif parent == base.RegressorMixin then C._estimator_type = "regressor" end
  return C
end

-- {==================================================================
-- Input checks
-- ==================================================================}

local function to_array(X, fname, what)
  if type(X) == "userdata" and np.asarray and getmetatable(X) and getmetatable(X).__name == "geolab.Array" then
    return X
  end
  local mt = getmetatable(X)
  if mt and not util.bare(X) then
    local f = (type(mt) == "table") and rawget(mt, "__toarray")
    if f then return f(X) end
    local ok, m = pcall(function() return X.to_array end)
    if ok and type(m) == "function" then return m(X) end
  end
  if type(X) == "table" or type(X) == "number" then
    local ok, a = pcall(np.asarray, X)
    if ok then return a end
    error(("%s: %s: %s"):format(fname, what or "X", tostring(a):gsub("^np%.asarray: ", "")), 3)
  end
  error(("%s: %s must be an array, a frame or a table of numbers, got %s"):format(
    fname, what or "X", type(X)), 3)
end
base.to_array = to_array

-- Column names of a frame (for feature_names_in_), or nil.
function base.feature_names(X)
  if type(X) == "table" and not util.bare(X) then
    local ok, cols = pcall(function() return X.columns end)
    if ok and type(cols) == "table" then
      local out = {}
      for i = 1, #cols do out[i] = tostring(cols[i]) end
      if #out > 0 then return out end
    end
  end
  return nil
end

local function check_finite(A, fname, what)
  if A.size == 0 then return end
  if A.dtype ~= "float64" and A.dtype ~= "float32" then return end
  if not np.isfinite(A):all() then
    if np.isnan(A):any() then
      error(("%s: Input %s contains NaN (use ml.SimpleImputer or df:dropna() first)"):format(fname, what), 3)
    end
    error(("%s: Input %s contains infinity (replace it, e.g. X[X:isinf()] = np.nan, then use ml.SimpleImputer or df:dropna())"):format(fname, what), 3)
  end
end
base.check_finite = check_finite

-- The error for a 1-D X, scikit-learn's advice in Lua terms. A 1-D X is
-- refused, as scikit-learn refuses it: taking it as one feature would give a
-- silently different answer to code written for one sample.
function base.not_2d(X, fname, level)
  local mt = getmetatable(X)
  local series = type(X) == "table" and type(mt) == "table" and rawget(mt, "__name") == "geolab.Series"
  error(("%s: Expected 2D array, got 1D array instead. Reshape your data either using " ..
    "x:reshape(-1, 1) if your data has a single feature or x:reshape(1, -1) if it contains a single sample%s"):format(
    fname, series and " (for a frame column, df[{\"name\"}] keeps the frame 2-D, as df[[\"name\"]] in pandas)" or ""),
    (level or 1) + 1)
end

-- base.check_X(X, fname [, {dtype=, allow_nan=}]) -> 2-D float array.
-- float32 stays float32; other types become float64 unless opts.dtype says
-- otherwise.
function base.check_X(X, fname, opts)
  local A = to_array(X, fname, "X")
  if A.ndim == 1 then base.not_2d(X, fname, 2)
  elseif A.ndim ~= 2 then
    error(("%s: X must be 2-D (samples x features), got %d dimensions"):format(fname, A.ndim), 2)
  end
  local want = opts and opts.dtype
  if want == nil then want = (A.dtype == "float32") and "float32" or "float64" end
  if want ~= "any" and A.dtype ~= want then A = A:astype(want) end
  if A.shape[1] == 0 then
    error(("%s: X has 0 samples (a minimum of 1 is required)"):format(fname), 2)
  end
  if not (opts and opts.allow_nan) then check_finite(A, fname, "X") end
  return A
end

-- base.check_y(y, fname) -> 1-D float64 array (regression targets).
function base.check_y(y, fname, opts)
  local A = to_array(y, fname, "y")
  if A.ndim == 2 and A.shape[2] == 1 then A = A:reshape{-1} end
  if A.ndim ~= 1 and not (opts and opts.multi) then
    error(("%s: y must be 1-D, got shape (%s)"):format(fname, table.concat(A.shape, ",")), 2)
  end
  local want = (opts and opts.dtype) or "float64"
  if A.dtype ~= want then A = A:astype(want) end
  check_finite(A, fname, "y")
  return A
end

-- base.check_Xy(X, y, fname [, opts]) -> X, y; y is returned as given unless
-- opts.y_numeric (then a float64 1-D array).
function base.check_Xy(X, y, fname, opts)
  local A = base.check_X(X, fname, opts)
  if y == nil then error(("%s: y is required"):format(fname), 2) end
  local n = A.shape[1]
  local m
  if type(y) == "userdata" then m = y.ndim == 0 and 1 or y.shape[1] else m = #y end
  if m ~= n then
    error(("%s: X has %d samples but y has %d"):format(fname, n, m or 0), 2)
  end
  if opts and opts.y_numeric then y = base.check_y(y, fname) end
  return A, y
end

-- base.check_is_fitted(self, attr, fname)
function base.check_is_fitted(self, attr, fname)
  if rawget(self, attr) == nil then
    error(("%s: this %s instance is not fitted yet; call fit first"):format(
      fname, getmetatable(self)._name), 3)
  end
end

-- base.check_n_features(self, X, fname): X is a checked 2-D array.
function base.check_n_features(self, X, fname)
  local n = rawget(self, "n_features_in_")
  if n and X.shape[2] ~= n then
    error(("%s: X has %d features, but %s was fitted with %d"):format(
      fname, X.shape[2], getmetatable(self)._name, n), 3)
  end
end

-- base.fitted_X(self, X, attr, fname [, opts]): what every predict and
-- transform starts with: the model is fitted (attr is set), X is a valid 2-D
-- array (base.check_X with opts), with as many features as in fit.
function base.fitted_X(self, X, attr, fname, opts)
  base.check_is_fitted(self, attr, fname)
  X = base.check_X(X, fname, opts)
  base.check_n_features(self, X, fname)
  return X
end

-- {==================================================================
-- Labels
-- ==================================================================}

-- Labels as either a 1-D numeric array or a Lua list of strings.
local function labels_of(y, fname)
  fname = fname or "ml"
  if type(y) == "userdata" then
    if y.ndim == 2 and y.shape[2] == 1 then y = y:reshape{-1} end
    if y.ndim ~= 1 then error(fname .. ": labels y must be 1-D", 3) end
    return y
  end
  if type(y) == "table" then
    local mt = getmetatable(y)
    if mt and not util.bare(y) then  -- a Series: strings through tolist, numbers through to_array
      local ok, l = pcall(function() return y:tolist() end)
      if ok and type(l) == "table" then y = l
      else return to_array(y, fname, "y") end
    end
    local allnum = true
    for i = 1, #y do if type(y[i]) ~= "number" then allnum = false break end end
    if allnum then return np.asarray(y) end
    local out = {}
    for i = 1, #y do
      local v = y[i]
      if type(v) == "string" then out[i] = v
      elseif type(v) == "number" or type(v) == "boolean" then out[i] = tostring(v)
      else error(("%s: label %d is %s; labels must be numbers or strings"):format(fname, i, type(v)), 3) end
    end
    return out
  end
  error(("%s: y must be an array or a table of labels, got %s"):format(fname, type(y)), 3)
end
base.labels_of = labels_of

-- base.encode_labels(y) -> classes (sorted Lua list), codes (int64 array of
-- 0-based class indices).
function base.encode_labels(y, fname)
  local L = labels_of(y, fname)
  if type(L) == "userdata" then
    if L.dtype == "bool" then L = L:astype("int64") end
    if L.dtype == "float64" or L.dtype == "float32" then
      if L.size > 0 and np.isnan(L):any() then
        error((fname or "ml") .. ": labels y contain NaN", 2)
      end
    end
    local u = np.unique(L)
    local codes = np.searchsorted(u, L) - 1
    if codes.dtype ~= "int64" then codes = codes:astype("int64") end
    local classes = util.list(u:totable())
    return classes, codes
  end
  local set, classes = {}, {}
  for i = 1, #L do
    local v = L[i]
    if not set[v] then set[v] = true; classes[#classes + 1] = v end
  end
  table.sort(classes)
  util.list(classes)
  local idx = {}
  for i, c in ipairs(classes) do idx[c] = i - 1 end
  local codes = np.zeros({#L}, "int64")
  local ct = {}
  for i = 1, #L do ct[i] = idx[L[i]] end
  if #L > 0 then codes = np.array(ct, "int64") end
  return classes, codes
end

-- Codes of y in an existing list of classes (for score/metrics on new data);
-- labels not among classes raise.
function base.codes_in(classes, y, fname)
  local L = labels_of(y, fname)
  local idx = {}
  for i, c in ipairs(classes) do idx[c] = i - 1 end
  local vals = type(L) == "userdata" and L:totable() or L
  local out = {}
  for i = 1, #vals do
    local v = vals[i]
    local c = idx[v]
    if c == nil and type(v) == "number" and math.type(v) == "float" and v == math.floor(v) then
      c = idx[math.tointeger(v)]
    elseif c == nil and math.type(v) == "integer" then c = idx[v + 0.0] end
    if c == nil then
      error(("%s: y contains label %s not seen in fit"):format(fname or "ml", repr(v)), 3)
    end
    out[i] = c
  end
  if #out == 0 then return np.zeros({0}, "int64") end
  return np.array(out, "int64")
end

-- base.decode_labels(classes, codes) -> labels: an array when classes are
-- numbers, else a Lua list of strings.
function base.decode_labels(classes, codes)
  if type(classes[1]) == "number" then
    local allint = true
    for _, c in ipairs(classes) do if math.type(c) ~= "integer" then allint = false break end end
    local carr = np.array(classes, allint and "int64" or "float64")
    if codes.size == 0 then return np.zeros({0}, carr.dtype) end
    return carr[codes + 1]
  end
  local out = {}
  local t = codes:totable()
  for i = 1, #t do out[i] = classes[t[i] + 1] end
  return util.list(out)
end

-- {==================================================================
-- Randomness
-- ==================================================================}

-- base.rng(random_state) -> np.random.Generator (nil -> seed 0, so that
-- default runs are reproducible); a Generator passes through.
function base.rng(random_state)
  if type(random_state) == "userdata" and random_state.integers then return random_state end
  local seed = random_state or 0
  if type(seed) ~= "number" or math.type(seed) ~= "integer" and seed ~= math.floor(seed) then
    error("ml: random_state must be an integer or nil, got " .. tostring(random_state), 3)
  end
  return np.random.Generator(math.tointeger(seed))
end

-- base.sk_rng(random_state) -> NumPy's legacy RandomState stream (MT19937)
-- seeded as scikit-learn's check_random_state(random_state) would be (nil ->
-- 0): :randint(high [, n]) (0-based), :uniform(n), :shuffle(int64 array),
-- :permutation(n) (1-based). Splits, shuffles and subsamples drawn from it
-- are the ones scikit-learn draws with the same random_state.
function base.sk_rng(random_state)
  if type(random_state) == "userdata" and random_state.randint and random_state.uniform then return random_state end
  local rs = random_state or 0
  if math.type(rs) ~= "integer" or rs < 0 or rs > 0xFFFFFFFF then
    error("ml: random_state must be nil or an integer in 0..2^32-1, got " .. tostring(random_state), 3)
  end
  return require("geolab.ml_core").random_state(rs)
end

-- sklearn.utils.random.sample_without_replacement(pop, k, rng), method
-- "auto": a permutation prefix for 1% < k/pop < 99%, else tracking selection
-- (k/pop < 20%) or reservoir sampling. rng is a base.sk_rng stream; returns a
-- Lua list of 0-based values, in sklearn's order.
function base.sample_without_replacement(rng, pop, k)
  local ratio = pop ~= 0 and k / pop or 1.0
  local out = {}
  if ratio > 0.01 and ratio < 0.99 then
    local p = rng:permutation(pop)
    for i = 1, k do out[i] = p[i] - 1 end
  elseif ratio < 0.2 then
    local seen = {}
    for i = 1, k do
      local j = rng:randint(pop)
      while seen[j] do j = rng:randint(pop) end
      seen[j] = true
      out[i] = j
    end
  else
    for i = 1, k do out[i] = i - 1 end
    for i = k, pop - 1 do
      local j = rng:randint(i + 1)
      if j < k then out[j + 1] = i end
    end
  end
  return out
end

-- An integer seed drawn from random_state, for C kernels with their own streams.
function base.seed(random_state)
  if random_state == nil then return 0 end
  if type(random_state) == "number" then return math.tointeger(random_state) or 0 end
  return base.rng(random_state):integers(0, 2147483647)
end

-- {==================================================================
-- Mixins: score of classifiers (accuracy) and regressors (R^2)
-- ==================================================================}

base.ClassifierMixin = {}
function base.ClassifierMixin.score(self, X, y)
  local M = require "geolab.ml_metrics"
  return M.accuracy_score(y, self:predict(X))
end
base.RegressorMixin = {}
function base.RegressorMixin.score(self, X, y)
  local M = require "geolab.ml_metrics"
  return M.r2_score(y, self:predict(X))
end
base.TransformerMixin = {}
function base.TransformerMixin.fit_transform(self, X, y)
  return self:fit(X, y):transform(X)
end

-- Number of classes check: fails with one class only.
function base.check_classes(classes, fname)
  if #classes < 2 then
    error(("%s: y has only one class (%s); a classifier needs at least 2"):format(
      fname, repr(classes[1])), 3)
  end
end

-- {==================================================================
-- Newton solvers (logistic regression, LinearSVC)
-- ==================================================================}

-- Damped step from w (f = obj(w)) along dir, slope = g.dir: backtracking with
-- Armijo's condition, at most 50 halvings. Returns the new point, its objective
-- and whether the Newton loop has converged (relative change of f <= 1e-15).
function base.newton_step(obj, w, f, dir, slope)
  local t, fn, wn = 1.0
  for _ = 1, 50 do
    wn = w + dir * t
    fn = obj(wn)
    if fn <= f + 1e-4 * t * slope then break end
    t = t / 2
  end
  return wn, fn, math.abs(f - fn) <= 1e-15 * math.max(1, math.abs(f))
end

return base
