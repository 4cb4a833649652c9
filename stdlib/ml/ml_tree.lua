-- ml_tree.lua: decision trees (sklearn.tree). The tree is grown by the C
-- kernel (kernels/ml/ml_tree.c) and kept as flat arrays in a geolab.MLTree
-- userdata; `model.tree_` exposes them (node and feature numbers 1-based).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"

local M = {}

-- {==================================================================
-- Shared helpers (also used by ml_ensemble)
-- ==================================================================}

-- Resolves max_features (nil, "sqrt", "log2", an integer or a fraction).
function M._resolve_max_features(mf, p, fname)
  if mf == nil then return p end
  if mf == "sqrt" or mf == "auto" then return math.max(1, math.floor(math.sqrt(p))) end
  if mf == "log2" then return math.max(1, math.floor(math.log(p, 2))) end
  if type(mf) == "number" then
    if math.type(mf) == "integer" then
      if mf < 1 or mf > p then error(("%s: max_features must be in 1..%d, got %d"):format(fname, p, mf), 4) end
      return mf
    end
    if mf <= 0 or mf > 1 then error(fname .. ": a fractional max_features must be in (0, 1]", 4) end
    return math.max(1, math.floor(mf * p))
  end
  error(fname .. ": max_features must be nil, 'sqrt', 'log2', an integer or a fraction", 4)
end

local function count_or_fraction(v, n, minimum, name, fname)
  if math.type(v) == "integer" then
    if v < minimum then error(("%s: %s must be >= %d"):format(fname, name, minimum), 4) end
    return v
  end
  if type(v) ~= "number" or v <= 0 or v > 1 then
    error(("%s: %s must be an integer >= %d or a fraction in (0, 1]"):format(fname, name, minimum), 4)
  end
  return math.max(minimum, math.ceil(v * n))
end

-- The random_state of a tree (nil -> 0) as an integer in 0..2^32-1.
function M._rs(rs, fname)
  if rs == nil then return 0 end
  if math.type(rs) ~= "integer" or rs < 0 or rs > 0xFFFFFFFF then
    error((fname or "ml") .. ": random_state must be nil or an integer in 0..2^32-1, got " .. base.repr(rs), 4)
  end
  return rs
end

-- The splitter seed scikit-learn derives from random_state:
-- RandomState(rs).randint(0, RAND_R_MAX); so trees equal sklearn's.
function M._splitter_seed(rs, fname)
  return core.mt_randint(M._rs(rs, fname), 0x7FFFFFFF, 1)[1]
end

-- Kernel options of a tree-like estimator for n rows, p features.
function M._tree_opts(self, n, p, fname, classify, n_classes, default_mf)
  local mf = self.max_features
  if mf == nil then mf = default_mf end
  if self.max_leaf_nodes ~= nil then error(fname .. ": max_leaf_nodes is not implemented; use max_depth", 4) end
  if (self.ccp_alpha or 0) ~= 0 then error(fname .. ": ccp_alpha (pruning) is not implemented", 4) end
  if (self.min_weight_fraction_leaf or 0) ~= 0 then error(fname .. ": min_weight_fraction_leaf is not implemented", 4) end
  local md = self.max_depth
  if md ~= nil and (math.type(md) ~= "integer" or md < 1) then
    error(fname .. ": max_depth must be nil or an integer >= 1", 4)
  end
  local crit = self.criterion or (classify and "gini" or "squared_error")
  local ok = classify and (crit == "gini" or crit == "entropy" or crit == "log_loss")
    or (not classify and (crit == "squared_error" or crit == "friedman_mse"))
  if not ok then
    local names = classify and {"gini", "entropy", "log_loss"} or {"squared_error", "friedman_mse"}
    local near = base.nearest(tostring(crit), names)
    error(("%s: criterion must be one of %s, got '%s'%s"):format(fname, base.repr(names), tostring(crit),
      near and (" (did you mean '" .. near .. "'?)") or ""), 4)
  end
  return {
    criterion = crit,
    splitter = self.splitter or "best",
    n_classes = n_classes or 1,
    max_depth = md or -1,
    min_samples_split = count_or_fraction(self.min_samples_split or 2, n, 2, "min_samples_split", fname),
    min_samples_leaf = count_or_fraction(self.min_samples_leaf or 1, n, 1, "min_samples_leaf", fname),
    max_features = M._resolve_max_features(mf, p, fname),
    min_impurity_decrease = self.min_impurity_decrease or 0.0,
  }
end

-- Sample weights from class_weight (nil, "balanced" or {label = w}).
function M._class_sample_weight(cw, classes, codes, fname)
  if cw == nil then return nil end
  local K, n = #classes, codes.size
  local w = {}
  if cw == "balanced" then
    local cnt = np.bincount(codes, {minlength = K}):totable()
    for k = 1, K do w[k] = n / (K * cnt[k]) end
  elseif type(cw) == "table" then
    for k = 1, K do w[k] = cw[classes[k]] or 1 end
  else error(fname .. ": class_weight must be nil, 'balanced' or a table {label = weight}", 4) end
  return np.array(w)[codes + 1]
end

function M._combine_weights(a, b)
  if a == nil then return b end
  if b == nil then return a end
  return a * b
end

function M._sample_weight_arg(sw, n, fname)
  if sw == nil then return nil end
  local w = base.to_array(sw, fname, "sample_weight"):astype("float64"):reshape{-1}
  if w.size ~= n then error(("%s: sample_weight has %d values but X has %d samples"):format(fname, w.size, n), 3) end
  if (w:lt(0)):any() then error(fname .. ": sample_weight must be non-negative", 3) end
  return w
end

-- Checked X for prediction.
function M._predict_X(self, X, fname, attr)
  return base.fitted_X(self, X, attr or "_tree", fname)
end

-- Class labels for probabilities P (n x K).
function M._argmax_labels(classes, P)
  return base.decode_labels(classes, P:argmax(1) - 1)
end

-- {==================================================================
-- DecisionTreeClassifier / DecisionTreeRegressor
-- ==================================================================}

local tree_defaults = {criterion = "gini", splitter = "best", max_depth = base.NONE, min_samples_split = 2,
  min_samples_leaf = 1, min_weight_fraction_leaf = 0.0, max_features = base.NONE, random_state = base.NONE,
  max_leaf_nodes = base.NONE, min_impurity_decrease = 0.0, class_weight = base.NONE, ccp_alpha = 0.0}

local DecisionTreeClassifier = base.estimator("DecisionTreeClassifier", tree_defaults, base.ClassifierMixin)
M.DecisionTreeClassifier = DecisionTreeClassifier

local reg_defaults = {}
for k, v in pairs(tree_defaults) do reg_defaults[k] = v end
reg_defaults.criterion = "squared_error"
reg_defaults.class_weight = nil
local DecisionTreeRegressor = base.estimator("DecisionTreeRegressor", reg_defaults, base.RegressorMixin)
M.DecisionTreeRegressor = DecisionTreeRegressor

-- The fitted attributes of a tree fit on X (p features) with options o.
local function set_tree(self, t, raw_imp, X, p, o)
  self._tree = t
  self.tree_ = t:arrays()
  local s = raw_imp:sum()
  self.feature_importances_ = s > 0 and raw_imp / s or raw_imp
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  self.max_features_ = o.max_features
end

function DecisionTreeClassifier:fit(X, y, sample_weight)
  local fname = "ml.DecisionTreeClassifier.fit"
  local A, yy = base.check_Xy(X, y, fname)
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  local n, p = A.shape[1], A.shape[2]
  local o = M._tree_opts(self, n, p, fname, true, #classes, nil)
  local sw = M._combine_weights(M._sample_weight_arg(sample_weight, n, fname),
    M._class_sample_weight(self.class_weight, classes, codes, fname))
  local t, imp = core.tree_fit(A, codes:astype("float64"), sw, o, M._splitter_seed(self.random_state, fname))
  self.classes_, self.n_classes_ = classes, #classes
  set_tree(self, t, imp, X, p, o)
  return self
end

function DecisionTreeClassifier:predict_proba(X)
  local A = M._predict_X(self, X, "ml.DecisionTreeClassifier.predict_proba")
  local P = core.forest_predict(self._tree, A, true)
  return A.dtype == "float32" and P:astype("float32") or P
end

function DecisionTreeClassifier:predict_log_proba(X) return np.log(self:predict_proba(X)) end

function DecisionTreeClassifier:predict(X)
  local A = M._predict_X(self, X, "ml.DecisionTreeClassifier.predict")
  return M._argmax_labels(self.classes_, core.forest_predict(self._tree, A, true))
end

function DecisionTreeRegressor:fit(X, y, sample_weight)
  local fname = "ml.DecisionTreeRegressor.fit"
  local A, yy = base.check_Xy(X, y, fname)
  yy = base.check_y(yy, fname)
  local n, p = A.shape[1], A.shape[2]
  local o = M._tree_opts(self, n, p, fname, false, 1, nil)
  local t, imp = core.tree_fit(A, yy, M._sample_weight_arg(sample_weight, n, fname), o,
    M._splitter_seed(self.random_state, fname))
  set_tree(self, t, imp, X, p, o)
  return self
end

function DecisionTreeRegressor:predict(X)
  local A = M._predict_X(self, X, "ml.DecisionTreeRegressor.predict")
  local out = core.forest_predict(self._tree, A, false)
  return A.dtype == "float32" and out:astype("float32") or out
end

for _, C in ipairs{DecisionTreeClassifier, DecisionTreeRegressor} do
  local nm = C._name
  function C:apply(X)
    local A = M._predict_X(self, X, "ml." .. nm .. ".apply")
    return self._tree:apply(A)
  end
  function C:get_depth()
    base.check_is_fitted(self, "_tree", "ml." .. nm .. ".get_depth")
    return self.tree_.max_depth
  end
  function C:get_n_leaves()
    base.check_is_fitted(self, "_tree", "ml." .. nm .. ".get_n_leaves")
    return self.tree_.n_leaves
  end
end

-- export_text(tree [, {feature_names=, decimals=2}]): the tree as indented
-- text, like sklearn.tree.export_text.
function M.export_text(model, opts)
  if not base.is_estimator(model) then
    error("ml.export_text: expected a fitted decision tree, got " .. type(model), 2)
  end
  base.check_is_fitted(model, "_tree", "ml.export_text")
  opts = opts or {}
  local t = model.tree_
  local L, Rr = t.children_left:totable(), t.children_right:totable()
  local F, T = t.feature:totable(), t.threshold:totable()
  local V = t.value
  local dec = opts.decimals or 2
  local names = opts.feature_names or model.feature_names_in_
  local out = {}
  local function rec(j, depth)
    local ind = ("|   "):rep(depth) .. "|--- "
    if L[j] == 0 then
      local v
      if model.classes_ then
        local row = V[j]
        v = "class: " .. tostring(model.classes_[row:argmax()])
      else v = ("value: [%." .. dec .. "f]"):format(V[{j, 1}]) end
      out[#out + 1] = ind .. v
      return
    end
    local fn = names and names[F[j]] or ("feature_" .. (F[j] - 1))
    out[#out + 1] = ind .. ("%s <= %." .. dec .. "f"):format(fn, T[j])
    rec(L[j], depth + 1)
    out[#out + 1] = ind .. ("%s >  %." .. dec .. "f"):format(fn, T[j])
    rec(Rr[j], depth + 1)
  end
  rec(1, 0)
  return table.concat(out, "\n") .. "\n"
end

return M
