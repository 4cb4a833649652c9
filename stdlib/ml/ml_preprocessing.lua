-- ml_preprocessing.lua: scalers, encoders, polynomial features and the
-- imputer (sklearn.preprocessing, sklearn.impute). Statistics are computed in
-- float64; a float32 X gives a float32 result.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}
local T = base.TransformerMixin

local function cast(a, X) return (X.dtype == "float32") and a:astype("float32") or a end

local function fitted_X(self, X, fname, attr) return base.fitted_X(self, X, attr, fname) end

local function start_fit(self, X, fname, opts)
  local A = base.check_X(X, fname, opts)
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  return A
end

-- Scale of 0 (constant feature) becomes 1, as sklearn's _handle_zeros_in_scale.
local function nonzero_scale(s)
  local eps = 10 * 2.220446049250313e-16
  return np.where(s:lt(eps * np.maximum(s:abs(), 1)), 1.0, s)
end

-- {==================================================================
-- StandardScaler
-- ==================================================================}

local StandardScaler = base.estimator("StandardScaler", {with_mean = true, with_std = true, copy = true}, T)
M.StandardScaler = StandardScaler

function StandardScaler:fit(X)
  local fname = "ml.StandardScaler.fit"
  local A = start_fit(self, X, fname)
  local D = A:astype("float64")
  self.n_samples_seen_ = D.shape[1]
  self.mean_ = D:mean(0)
  self.var_ = D:var(0)
  if self.with_std then self.scale_ = nonzero_scale(np.sqrt(self.var_)) else self.scale_ = nil end
  if not self.with_mean and not self.with_std then self.mean_, self.var_ = nil, nil end
  self._fitted = true
  return self
end

-- (X - center) / scale, or its inverse, for a fitted scaler whose center or
-- scale may be absent (nil); always a new array, as scikit-learn's copy=True
local function shift_scale(self, X, fname, center, scale, inverse)
  local A = fitted_X(self, X, fname, "_fitted")
  local out = A
  if inverse then
    if scale then out = out * cast(scale, A) end
    if center then out = out + cast(center, A) end
  else
    if center then out = out - cast(center, A) end
    if scale then out = out / cast(scale, A) end
  end
  if out == A then out = A:copy() end
  return out
end

function StandardScaler:transform(X)
  return shift_scale(self, X, "ml.StandardScaler.transform", self.with_mean and self.mean_,
    self.with_std and self.scale_)
end

function StandardScaler:inverse_transform(X)
  return shift_scale(self, X, "ml.StandardScaler.inverse_transform", self.with_mean and self.mean_,
    self.with_std and self.scale_, true)
end

-- {==================================================================
-- MinMaxScaler
-- ==================================================================}

local MinMaxScaler = base.estimator("MinMaxScaler", {feature_range = {0, 1}, copy = true, clip = false}, T)
M.MinMaxScaler = MinMaxScaler

function MinMaxScaler:fit(X)
  local fname = "ml.MinMaxScaler.fit"
  local fr = self.feature_range
  if type(fr) ~= "table" or #fr ~= 2 or fr[1] >= fr[2] then
    error(fname .. ": feature_range must be {min, max} with min < max", 2)
  end
  local D = start_fit(self, X, fname):astype("float64")
  self.n_samples_seen_ = D.shape[1]
  self.data_min_ = D:min(0)
  self.data_max_ = D:max(0)
  self.data_range_ = self.data_max_ - self.data_min_
  self.scale_ = (fr[2] - fr[1]) / nonzero_scale(self.data_range_)
  self.min_ = fr[1] - self.data_min_ * self.scale_
  return self
end

function MinMaxScaler:transform(X)
  local A = fitted_X(self, X, "ml.MinMaxScaler.transform", "scale_")
  local out = A * cast(self.scale_, A) + cast(self.min_, A)
  if self.clip then out = np.clip(out, self.feature_range[1], self.feature_range[2]) end
  return out
end

function MinMaxScaler:inverse_transform(X)
  local A = fitted_X(self, X, "ml.MinMaxScaler.inverse_transform", "scale_")
  return (A - cast(self.min_, A)) / cast(self.scale_, A)
end

-- {==================================================================
-- RobustScaler
-- ==================================================================}

local RobustScaler = base.estimator("RobustScaler", {with_centering = true, with_scaling = true,
  quantile_range = {25.0, 75.0}, copy = true, unit_variance = false}, T)
M.RobustScaler = RobustScaler

function RobustScaler:fit(X)
  local fname = "ml.RobustScaler.fit"
  local D = start_fit(self, X, fname):astype("float64")
  local q = self.quantile_range
  if type(q) ~= "table" or not (0 <= q[1] and q[1] <= q[2] and q[2] <= 100) then
    error(fname .. ": quantile_range must be {q_min, q_max} with 0 <= q_min <= q_max <= 100", 2)
  end
  self.center_ = self.with_centering and np.median(D, 0) or nil
  if self.with_scaling then
    local lo, hi = np.percentile(D, q[1], 0), np.percentile(D, q[2], 0)
    local s = nonzero_scale(hi - lo)
    if self.unit_variance then
      -- the normal quantile range: scale so that a normal variable has unit variance
      local function ndtri(p)  -- inverse normal CDF (Acklam), enough for this constant
        local a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                   1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
        local b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                   6.680131188771972e+01, -1.328068155288572e+01}
        local qq = p - 0.5
        local r = qq * qq
        return (((((a[1] * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * r + a[6]) * qq /
               (((((b[1] * r + b[2]) * r + b[3]) * r + b[4]) * r + b[5]) * r + 1)
      end
      s = s / (ndtri(q[2] / 100) - ndtri(q[1] / 100))
    end
    self.scale_ = s
  end
  self._fitted = true
  return self
end

function RobustScaler:transform(X)
  return shift_scale(self, X, "ml.RobustScaler.transform", self.center_, self.scale_)
end

function RobustScaler:inverse_transform(X)
  return shift_scale(self, X, "ml.RobustScaler.inverse_transform", self.center_, self.scale_, true)
end

-- {==================================================================
-- Normalizer
-- ==================================================================}

local Normalizer = base.estimator("Normalizer", {norm = "l2", copy = true}, T)
M.Normalizer = Normalizer

function Normalizer:fit(X)
  start_fit(self, X, "ml.Normalizer.fit")
  return self
end

function Normalizer:transform(X)
  local fname = "ml.Normalizer.transform"
  local A = base.fitted_X(self, X, "n_features_in_", fname)
  local n
  if self.norm == "l2" then n = np.sqrt((A * A):sum{axis = 1, keepdims = true})
  elseif self.norm == "l1" then n = A:abs():sum{axis = 1, keepdims = true}
  elseif self.norm == "max" then n = A:abs():max{axis = 1, keepdims = true}
  else error(fname .. ": norm must be 'l1', 'l2' or 'max', got '" .. tostring(self.norm) .. "'", 2) end
  n = np.where(n:eq(0), 1, n)
  return A / cast(n, A)
end

-- {==================================================================
-- PolynomialFeatures
-- ==================================================================}

local PolynomialFeatures = base.estimator("PolynomialFeatures", {degree = 2, interaction_only = false,
  include_bias = true, order = "C"}, T)
M.PolynomialFeatures = PolynomialFeatures

-- Combinations (with replacement unless interaction_only) of 0-based
-- features, by degree then lexicographically, as itertools does.
local function combos(p, deg, interaction, bias)
  local out = {}
  if bias then out[1] = {} end
  local function rec(start, d, cur)
    if d == 0 then local c = {}; for i, v in ipairs(cur) do c[i] = v end; out[#out + 1] = c; return end
    for f = start, p - 1 do
      cur[#cur + 1] = f
      rec(interaction and f + 1 or f, d - 1, cur)
      cur[#cur] = nil
    end
  end
  for d = 1, deg do rec(0, d, {}) end
  return out
end

function PolynomialFeatures:fit(X)
  local fname = "ml.PolynomialFeatures.fit"
  local A = start_fit(self, X, fname)
  local deg = self.degree
  if math.type(deg) ~= "integer" or deg < 0 then error(fname .. ": degree must be a non-negative integer", 2) end
  local p = A.shape[2]
  self._combos = combos(p, deg, self.interaction_only, self.include_bias)
  self.n_output_features_ = #self._combos
  local pw = {}
  for i, c in ipairs(self._combos) do
    local row = {}
    for f = 1, p do row[f] = 0 end
    for _, f in ipairs(c) do row[f + 1] = row[f + 1] + 1 end
    pw[i] = row
  end
  self.powers_ = np.array(pw, "int64")
  return self
end

function PolynomialFeatures:transform(X)
  local A = fitted_X(self, X, "ml.PolynomialFeatures.transform", "_combos")
  local n = A.shape[1]
  local out = np.ones({n, #self._combos}, A.dtype)
  for j, c in ipairs(self._combos) do
    if #c > 0 then
      local col = A[{{}, c[1] + 1}]:copy()
      for k = 2, #c do col = col * A[{{}, c[k] + 1}] end
      out[{{}, j}] = col
    end
  end
  return out
end

function PolynomialFeatures:get_feature_names_out(input)
  base.check_is_fitted(self, "_combos", "ml.PolynomialFeatures.get_feature_names_out")
  local names = input or self.feature_names_in_
  if not names then
    names = {}
    for f = 1, self.n_features_in_ do names[f] = "x" .. (f - 1) end
  end
  local out = {}
  for j, c in ipairs(self._combos) do
    if #c == 0 then out[j] = "1"
    else
      local cnt, order = {}, {}
      for _, f in ipairs(c) do
        if not cnt[f] then order[#order + 1] = f end
        cnt[f] = (cnt[f] or 0) + 1
      end
      local parts = {}
      for _, f in ipairs(order) do
        parts[#parts + 1] = names[f + 1] .. (cnt[f] > 1 and ("^" .. cnt[f]) or "")
      end
      out[j] = table.concat(parts, " ")
    end
  end
  return out
end

-- {==================================================================
-- Categories: X as columns of labels
-- ==================================================================}

-- Columns of X as lists of labels: X may be an array (numbers), a frame
-- (string or number columns) or a Lua table of rows.
local function columns_of(X, fname)
  if type(X) == "userdata" then
    local A = X
    if A.ndim == 1 then base.not_2d(X, fname, 3) end
    local cols = {}
    for j = 1, A.shape[2] do cols[j] = A[{{}, j}]:totable() end
    return cols, A.shape[1]
  end
  if type(X) == "table" and not require("geolab.util").bare(X) then
    local ok, names = pcall(function() return X.columns end)
    if ok and type(names) == "table" then
      local cols = {}
      for j = 1, #names do cols[j] = X[names[j]]:tolist() end
      return cols, #cols[1]
    end
  end
  if type(X) == "table" then
    if #X == 0 then error(fname .. ": X is empty", 3) end
    if type(X[1]) ~= "table" then  -- a single list: one column
      local c = {}
      for i = 1, #X do c[i] = X[i] end
      return {c}, #X
    end
    local p = #X[1]
    local cols = {}
    for j = 1, p do cols[j] = {} end
    for i = 1, #X do
      if #X[i] ~= p then error(("%s: row %d has %d values, expected %d"):format(fname, i, #X[i], p), 3) end
      for j = 1, p do cols[j][i] = X[i][j] end
    end
    return cols, #X
  end
  error(fname .. ": X must be an array, a frame or a table of rows", 3)
end

-- The columns of X for a fitted encoder (named who), checked against the
-- number of features it was fitted with.
local function fitted_columns(self, X, fname, who)
  base.check_is_fitted(self, "categories_", fname)
  local cols, n = columns_of(X, fname)
  if #cols ~= self.n_features_in_ then
    error(("%s: X has %d features, but %s was fitted with %d"):format(fname, #cols, who, self.n_features_in_), 3)
  end
  return cols, n
end

local function sorted_unique(list, who)
  local seen, out = {}, {}
  for _, v in ipairs(list) do
    if v ~= v then error((who or "ml.OneHotEncoder") .. ": X contains NaN (use ml.SimpleImputer first)", 4) end
    if not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  table.sort(out, function(a, b) if type(a) == type(b) then return a < b end return tostring(a) < tostring(b) end)
  return out
end

-- {==================================================================
-- OneHotEncoder
-- ==================================================================}

local OneHotEncoder = base.estimator("OneHotEncoder", {categories = "auto", drop = base.NONE,
  handle_unknown = "error", sparse_output = false, dtype = "float64"}, T)
M.OneHotEncoder = OneHotEncoder

function OneHotEncoder:fit(X)
  local fname = "ml.OneHotEncoder.fit"
  local cols = columns_of(X, fname)
  self.n_features_in_ = #cols
  self.feature_names_in_ = base.feature_names(X)
  self.categories_ = {}
  for j, c in ipairs(cols) do
    if self.categories ~= "auto" then self.categories_[j] = self.categories[j]
    else self.categories_[j] = sorted_unique(c) end
  end
  self.drop_idx_ = nil
  if self.drop == "first" then
    self.drop_idx_ = {}
    for j = 1, #cols do self.drop_idx_[j] = 1 end
  elseif self.drop == "if_binary" then
    self.drop_idx_ = {}
    for j = 1, #cols do self.drop_idx_[j] = (#self.categories_[j] == 2) and 1 or false end
  elseif self.drop ~= nil then
    error(fname .. ": drop must be nil, 'first' or 'if_binary'", 2)
  end
  return self
end

function OneHotEncoder:transform(X)
  local fname = "ml.OneHotEncoder.transform"
  local cols, n = fitted_columns(self, X, fname, "OneHotEncoder")
  local widths, offs, total = {}, {}, 0
  for j, cats in ipairs(self.categories_) do
    offs[j] = total
    widths[j] = #cats - ((self.drop_idx_ and self.drop_idx_[j]) and 1 or 0)
    total = total + widths[j]
  end
  local rows = {}
  for i = 1, n do local r = {}; for k = 1, total do r[k] = 0 end; rows[i] = r end
  for j, c in ipairs(cols) do
    local idx = {}
    for k, v in ipairs(self.categories_[j]) do idx[v] = k end
    local d = self.drop_idx_ and self.drop_idx_[j]
    for i = 1, n do
      local k = idx[c[i]]
      if not k then
        if self.handle_unknown ~= "ignore" then
          error(("%s: found unknown category %s in column %d during transform (use handle_unknown='ignore')"):format(
            fname, base.repr(c[i]), j), 2)
        end
      else
        if d then
          if k ~= d then rows[i][offs[j] + k - (k > d and 1 or 0)] = 1 end
        else rows[i][offs[j] + k] = 1 end
      end
    end
  end
  if n == 0 or total == 0 then return np.zeros({n, total}, self.dtype) end
  return np.array(rows, self.dtype)
end

function OneHotEncoder:inverse_transform(X)
  local fname = "ml.OneHotEncoder.inverse_transform"
  base.check_is_fitted(self, "categories_", fname)
  local A = base.check_X(X, fname)
  local out = {}
  local off = 0
  local n = A.shape[1]
  for i = 1, n do out[i] = {} end
  for j, cats in ipairs(self.categories_) do
    local d = self.drop_idx_ and self.drop_idx_[j]
    local w = #cats - (d and 1 or 0)
    local block = A[{{}, {off + 1, off + w}}]
    local am = block:argmax(1):totable()
    local mx = block:max(1):totable()
    for i = 1, n do
      local k = am[i]
      if d then
        if mx[i] == 0 then k = d elseif k >= d then k = k + 1 end
      end
      out[i][j] = cats[k]
    end
    off = off + w
  end
  local allnum = true
  for _, cats in ipairs(self.categories_) do if type(cats[1]) ~= "number" then allnum = false end end
  if allnum then return np.array(out) end
  return out
end

function OneHotEncoder:get_feature_names_out(input)
  base.check_is_fitted(self, "categories_", "ml.OneHotEncoder.get_feature_names_out")
  local names = input or self.feature_names_in_
  local out = {}
  for j, cats in ipairs(self.categories_) do
    local d = self.drop_idx_ and self.drop_idx_[j]
    for k, c in ipairs(cats) do
      if k ~= d then out[#out + 1] = (names and names[j] or ("x" .. (j - 1))) .. "_" .. tostring(c) end
    end
  end
  return out
end

-- {==================================================================
-- OrdinalEncoder
-- ==================================================================}

-- Each column's categories (sorted, as sklearn) become codes counting from 1,
-- as LabelEncoder's: sklearn's code k is k+1 here. Unknown categories are an
-- error, or unknown_value with handle_unknown='use_encoded_value'.
local OrdinalEncoder = base.estimator("OrdinalEncoder", {categories = "auto",
  handle_unknown = "error", unknown_value = base.NONE, dtype = "float64"}, T)
M.OrdinalEncoder = OrdinalEncoder

function OrdinalEncoder:fit(X)
  local fname = "ml.OrdinalEncoder.fit"
  if self.handle_unknown ~= "error" and self.handle_unknown ~= "use_encoded_value" then
    error(fname .. ": handle_unknown must be 'error' or 'use_encoded_value', got " .. base.repr(self.handle_unknown), 2)
  end
  if (self.handle_unknown == "use_encoded_value") ~= (type(self.unknown_value) == "number") then
    error(fname .. ": unknown_value (a number, e.g. 0 or np.nan) must be given exactly when handle_unknown='use_encoded_value'", 2)
  end
  local cols = columns_of(X, fname)
  self.n_features_in_ = #cols
  self.feature_names_in_ = base.feature_names(X)
  self.categories_ = {}
  for j, c in ipairs(cols) do
    if self.categories ~= "auto" then self.categories_[j] = self.categories[j]
    else self.categories_[j] = sorted_unique(c, fname) end
    local uv = self.unknown_value
    if type(uv) == "number" and uv >= 1 and uv <= #self.categories_[j] and uv == math.floor(uv) then
      error(("%s: unknown_value %s is also the code of a category of column %d (codes are 1..%d)"):format(
        fname, base.repr(uv), j, #self.categories_[j]), 2)
    end
  end
  return self
end

function OrdinalEncoder:transform(X)
  local fname = "ml.OrdinalEncoder.transform"
  local cols, n = fitted_columns(self, X, fname, "OrdinalEncoder")
  local out = np.zeros({n, #cols}, self.dtype)
  for j, c in ipairs(cols) do
    local code = {}
    for k, v in ipairs(self.categories_[j]) do code[v] = k end
    local col = {}
    for i = 1, n do
      local k = code[c[i]]
      if not k then
        if self.handle_unknown ~= "use_encoded_value" then
          error(("%s: found unknown category %s in column %d during transform (use handle_unknown='use_encoded_value')"):format(
            fname, base.repr(c[i]), j), 2)
        end
        k = self.unknown_value
      end
      col[i] = k
    end
    if n > 0 then out[{{}, j}] = np.array(col) end
  end
  return out
end

function OrdinalEncoder:inverse_transform(X)
  local fname = "ml.OrdinalEncoder.inverse_transform"
  base.check_is_fitted(self, "categories_", fname)
  local A = base.check_X(X, fname)
  if A.shape[2] ~= self.n_features_in_ then
    error(("%s: X has %d features, but OrdinalEncoder was fitted with %d"):format(fname, A.shape[2], self.n_features_in_), 2)
  end
  local rows, allnum = {}, true
  for _, cats in ipairs(self.categories_) do if type(cats[1]) ~= "number" then allnum = false end end
  local t = A:totable()
  for i = 1, A.shape[1] do
    local r = {}
    for j, cats in ipairs(self.categories_) do
      local k = t[i][j]
      if cats[k] == nil then
        error(("%s: code %s in column %d is not one of 1..%d (codes count from 1 in geolab; sklearn's code k is k+1)"):format(
          fname, base.repr(math.tointeger(k) or k), j, #cats), 2)
      end
      r[j] = cats[k]
    end
    rows[i] = r
  end
  if allnum then return np.array(rows) end
  return rows
end

-- {==================================================================
-- LabelEncoder
-- ==================================================================}

-- Codes count from 1 (like cluster labels and every position in geolab):
-- sklearn's code k is k+1 here. The classes themselves are values, unchanged.
local LabelEncoder = base.estimator("LabelEncoder", {})
M.LabelEncoder = LabelEncoder

function LabelEncoder:fit(y)
  self.classes_ = base.encode_labels(y, "ml.LabelEncoder.fit")
  return self
end

function LabelEncoder:fit_transform(y)
  local classes, codes = base.encode_labels(y, "ml.LabelEncoder.fit_transform")
  self.classes_ = classes
  return codes + 1
end

function LabelEncoder:transform(y)
  base.check_is_fitted(self, "classes_", "ml.LabelEncoder.transform")
  return base.codes_in(self.classes_, y, "ml.LabelEncoder.transform") + 1
end

function LabelEncoder:inverse_transform(codes)
  base.check_is_fitted(self, "classes_", "ml.LabelEncoder.inverse_transform")
  local c = base.to_array(codes, "ml.LabelEncoder.inverse_transform", "y")
  if c.dtype == "float64" or c.dtype == "float32" then
    if c.size > 0 and not np.equal(c, c:floor()):all() then
      error("ml.LabelEncoder.inverse_transform: codes must be whole numbers", 2)
    end
  end
  c = c:astype("int64")
  if c.size > 0 and (c:min() < 1 or c:max() > #self.classes_) then
    error(("ml.LabelEncoder.inverse_transform: y contains codes outside 1..%d (codes count from 1 in geolab; sklearn's code k is k+1)"):format(#self.classes_), 2)
  end
  return base.decode_labels(self.classes_, c - 1)
end

-- {==================================================================
-- SimpleImputer
-- ==================================================================}

local SimpleImputer = base.estimator("SimpleImputer", {missing_values = 0 / 0, strategy = "mean",
  fill_value = base.NONE, copy = true, keep_empty_features = false}, T)
M.SimpleImputer = SimpleImputer

local function missing_mask(self, A)
  local mv = self.missing_values
  if mv == nil or mv ~= mv then return np.isnan(A) end
  return A:eq(mv)
end

function SimpleImputer:fit(X)
  local fname = "ml.SimpleImputer.fit"
  local A = base.check_X(X, fname, {allow_nan = true})
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  local miss = missing_mask(self, A)
  local p = A.shape[2]
  local stats = {}
  local strat = self.strategy
  if strat ~= "mean" and strat ~= "median" and strat ~= "most_frequent" and strat ~= "constant" then
    local near = base.nearest(tostring(strat), {"mean", "median", "most_frequent", "constant"})
    error(("%s: strategy must be 'mean', 'median', 'most_frequent' or 'constant', got '%s'%s"):format(
      fname, tostring(strat), near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
  for j = 1, p do
    local col = A[{{}, j}]
    local ok = col[~miss[{{}, j}]]
    local v
    if strat == "constant" then v = self.fill_value or 0
    elseif ok.size == 0 then v = 0 / 0
    elseif strat == "mean" then v = ok:astype("float64"):mean()
    elseif strat == "median" then v = np.median(ok:astype("float64"))
    else
      local cnt, best, bv = {}, -1, nil
      for _, x in ipairs(ok:totable()) do cnt[x] = (cnt[x] or 0) + 1 end
      for x, c in pairs(cnt) do if c > best or (c == best and x < bv) then best, bv = c, x end end
      v = bv
    end
    stats[j] = v
  end
  self.statistics_ = np.array(stats, "float64")
  return self
end

function SimpleImputer:transform(X)
  local fname = "ml.SimpleImputer.transform"
  local A = base.fitted_X(self, X, "statistics_", fname, {allow_nan = true})
  local miss = missing_mask(self, A)
  local out = np.where(miss, cast(self.statistics_, A):reshape{1, -1}, A)
  if out.dtype ~= A.dtype then out = out:astype(A.dtype) end
  -- features never observed are dropped, as sklearn does
  local keep = {}
  local st = self.statistics_:totable()
  local drop = false
  for j = 1, #st do if st[j] ~= st[j] and not self.keep_empty_features then drop = true else keep[#keep + 1] = j end end
  if drop then out = out[{{}, np.array(keep, "int64")}] end
  return out
end

return M
