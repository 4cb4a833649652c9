-- ml_ensemble.lua: forests and gradient boosting (sklearn.ensemble).
-- Forests are fitted by one C call (OpenMP over trees). Tree k gets sklearn's
-- seed, the k-th draw of RandomState(random_state).randint(2^31 - 1), and
-- draws only from its own generator, so the trees are sklearn's for the same
-- random_state and never depend on n_jobs or --threads. Gradient boosting fits
-- one regression tree per stage (per class) and sets its leaf values by the
-- loss's Newton step, as sklearn does.
-- Errors name the ml function; without a level they carry no source position.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"
local T = require "geolab.ml_tree"

local M = {}

local forest_defaults = {n_estimators = 100, criterion = "gini", max_depth = base.NONE, min_samples_split = 2,
  min_samples_leaf = 1, min_weight_fraction_leaf = 0.0, max_features = "sqrt", max_leaf_nodes = base.NONE,
  min_impurity_decrease = 0.0, bootstrap = true, oob_score = false, n_jobs = base.NONE,
  random_state = base.NONE, verbose = 0, warm_start = false, class_weight = base.NONE, ccp_alpha = 0.0,
  max_samples = base.NONE}

local function defaults_with(changes)
  local d = {}
  for k, v in pairs(forest_defaults) do d[k] = v end
  for k, v in pairs(changes) do
    if v == "nil" then d[k] = nil else d[k] = v end
  end
  return d
end

local function max_samples_of(self, n, fname)
  local ms = self.max_samples
  if ms == nil then return 0 end
  if math.type(ms) == "integer" then
    if ms < 1 or ms > n then error(("%s: max_samples must be in 1..%d"):format(fname, n)) end
    return ms
  end
  if type(ms) ~= "number" or ms <= 0 or ms > 1 then error(fname .. ": max_samples must be an integer or a fraction in (0, 1]") end
  return math.max(1, math.floor(ms * n + 0.5))
end

local function n_jobs_of(self)
  local j = self.n_jobs
  if j == nil then return 0 end
  if j < 0 then return -1 end
  return math.tointeger(j) or 0
end

local function mean_importances(imp)
  -- trees with a single node have all-zero rows and are left out, as in sklearn
  local rows = imp:sum(1)
  local keep = rows:gt(0)
  if not keep:any() then return np.zeros{imp.shape[2]} end
  local m = imp[keep]:mean(0)
  return m / m:sum()
end

-- Wraps the C trees as fitted tree estimators (estimators_).
local function wrap_trees(self, trees, Cls, classes, p, seed_of)
  local list = {}
  for k, t in ipairs(trees) do
    local e = Cls{criterion = self.criterion, max_depth = self.max_depth,
      min_samples_split = self.min_samples_split, min_samples_leaf = self.min_samples_leaf,
      max_features = self.max_features, min_impurity_decrease = self.min_impurity_decrease,
      random_state = seed_of(k)}
    e._tree = t
    e.tree_ = t:arrays()
    e.n_features_in_ = p
    if classes then e.classes_, e.n_classes_ = classes, #classes end
    list[k] = e
  end
  return list
end

local function forest_fit(self, X, y, sample_weight, classify, splitter, fname)
  local A, yy = base.check_Xy(X, y, fname)
  local n, p = A.shape[1], A.shape[2]
  if math.type(self.n_estimators) ~= "integer" or self.n_estimators < 1 then
    error(fname .. ": n_estimators must be an integer >= 1")
  end
  local classes, target, sw = nil, nil, T._sample_weight_arg(sample_weight, n, fname)
  if classify then
    local codes
    classes, codes = base.encode_labels(yy, fname)
    base.check_classes(classes, fname)
    target = codes:astype("float64")
    sw = T._combine_weights(sw, T._class_sample_weight(self.class_weight, classes, codes, fname))
    self._codes = codes
  else
    target = base.check_y(yy, fname)
  end
  if self.oob_score and not self.bootstrap then
    error(fname .. ": out of bag estimation is only available if bootstrap=true")
  end
  local o = T._tree_opts(self, n, p, fname, classify, classes and #classes or 1, nil)
  o.splitter = splitter
  -- tree k's seed is sklearn's: RandomState(random_state).randint(2^31 - 1), k-th draw
  local seeds = core.mt_randint(T._rs(self.random_state, fname), 2147483647, self.n_estimators)
  local trees, imp, oob, oobn = core.forest_fit(A, target, sw, o, self.n_estimators, seeds,
    self.bootstrap, max_samples_of(self, n, fname), self.oob_score, n_jobs_of(self))
  self._trees = trees
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  self.feature_importances_ = mean_importances(imp)
  self.max_features_ = o.max_features
  if classes then self.classes_, self.n_classes_ = classes, #classes end
  local Cls = classify and T.DecisionTreeClassifier or T.DecisionTreeRegressor
  self.estimators_ = wrap_trees(self, trees, Cls, classes, p, function(k) return seeds[k] end)
  if oob then
    local seen = oobn:gt(0)
    if not seen:all() then
      io.stderr:write(fname .. ": warning: some inputs do not have OOB scores; try more estimators\n")
    end
    local cnt = np.maximum(oobn, 1):astype("float64")
    if classify then
      local P = oob / cnt:reshape{-1, 1}
      self.oob_decision_function_ = P
      local pred = P[seen]:argmax(1) - 1
      self.oob_score_ = (pred:eq(self._codes[seen])):astype("float64"):mean()
    else
      local pr = oob:reshape{-1} / cnt
      self.oob_prediction_ = pr
      local M2 = require "geolab.ml_metrics"
      self.oob_score_ = M2.r2_score(target[seen], pr[seen])
    end
  end
  self._codes = nil
  return self
end

-- {==================================================================
-- Random forests and extra trees
-- ==================================================================}

local RandomForestClassifier = base.estimator("RandomForestClassifier", forest_defaults, base.ClassifierMixin)
local RandomForestRegressor = base.estimator("RandomForestRegressor",
  defaults_with{criterion = "squared_error", max_features = 1.0, class_weight = "nil"}, base.RegressorMixin)
local ExtraTreesClassifier = base.estimator("ExtraTreesClassifier", defaults_with{bootstrap = false},
  base.ClassifierMixin)
local ExtraTreesRegressor = base.estimator("ExtraTreesRegressor",
  defaults_with{criterion = "squared_error", max_features = 1.0, class_weight = "nil", bootstrap = false},
  base.RegressorMixin)
M.RandomForestClassifier, M.RandomForestRegressor = RandomForestClassifier, RandomForestRegressor
M.ExtraTreesClassifier, M.ExtraTreesRegressor = ExtraTreesClassifier, ExtraTreesRegressor

for _, spec in ipairs{{RandomForestClassifier, true, "best"}, {ExtraTreesClassifier, true, "random"},
                      {RandomForestRegressor, false, "best"}, {ExtraTreesRegressor, false, "random"}} do
  local C, classify, splitter = spec[1], spec[2], spec[3]
  local nm = "ml." .. C._name
  function C:fit(X, y, sample_weight)
    return forest_fit(self, X, y, sample_weight, classify, splitter, nm .. ".fit")
  end
  if classify then
    function C:predict_proba(X)
      local A = T._predict_X(self, X, nm .. ".predict_proba", "_trees")
      local P = core.forest_predict(self._trees, A, true)
      return A.dtype == "float32" and P:astype("float32") or P
    end
    function C:predict_log_proba(X) return np.log(self:predict_proba(X)) end
    function C:predict(X)
      local A = T._predict_X(self, X, nm .. ".predict", "_trees")
      return T._argmax_labels(self.classes_, core.forest_predict(self._trees, A, true))
    end
  else
    function C:predict(X)
      local A = T._predict_X(self, X, nm .. ".predict", "_trees")
      local out = core.forest_predict(self._trees, A, false)
      return A.dtype == "float32" and out:astype("float32") or out
    end
  end
  function C:apply(X)
    local A = T._predict_X(self, X, nm .. ".apply", "_trees")
    local cols = {}
    for k, t in ipairs(self._trees) do cols[k] = t:apply(A) end
    return np.column_stack(cols)
  end
end

-- {==================================================================
-- Gradient boosting
-- ==================================================================}

local gb_defaults = {loss = "squared_error", learning_rate = 0.1, n_estimators = 100, subsample = 1.0,
  criterion = "friedman_mse", min_samples_split = 2, min_samples_leaf = 1, min_weight_fraction_leaf = 0.0,
  max_depth = 3, min_impurity_decrease = 0.0, init = base.NONE, random_state = base.NONE,
  max_features = base.NONE, alpha = 0.9, verbose = 0, max_leaf_nodes = base.NONE, warm_start = false,
  validation_fraction = 0.1, n_iter_no_change = base.NONE, tol = 1e-4, ccp_alpha = 0.0}

local GradientBoostingRegressor = base.estimator("GradientBoostingRegressor", gb_defaults, base.RegressorMixin)
local gbc_defaults = {}
for k, v in pairs(gb_defaults) do gbc_defaults[k] = v end
gbc_defaults.loss = "log_loss"
gbc_defaults.alpha = nil
local GradientBoostingClassifier = base.estimator("GradientBoostingClassifier", gbc_defaults, base.ClassifierMixin)
M.GradientBoostingRegressor, M.GradientBoostingClassifier = GradientBoostingRegressor, GradientBoostingClassifier

local function gb_check(self, fname)
  if math.type(self.n_estimators) ~= "integer" or self.n_estimators < 1 then
    error(fname .. ": n_estimators must be an integer >= 1")
  end
  if type(self.learning_rate) ~= "number" or self.learning_rate <= 0 then
    error(fname .. ": learning_rate must be > 0")
  end
  if type(self.subsample) ~= "number" or self.subsample <= 0 or self.subsample > 1 then
    error(fname .. ": subsample must be in (0, 1]")
  end
  if self.init ~= nil then error(fname .. ": init is not implemented (the prior is used)") end
  if self.n_iter_no_change ~= nil then error(fname .. ": early stopping (n_iter_no_change) is not implemented") end
end

-- One boosting stage: a regression tree on `resid`, leaf values set by
-- leaf_value(leaf ids, node count) (or left as the tree's means); returns
-- the tree and each training row's new contribution (before learning rate).
local function gb_stage(self, A, resid, sw, o, seed, leaf_value)
  local t, imp = core.tree_fit(A, resid, sw, o, seed)
  local leaves = t:apply(A)
  if leaf_value then
    local arr = t:arrays()
    local vals = leaf_value(leaves, arr.node_count)
    t:set_value(vals)
  end
  local v = t:arrays().value:reshape{-1}
  return t, v[leaves], imp
end

-- sklearn's _random_sample_mask: n uniform draws, sequential selection.
local function subsample_weights(self, n, rng, sw)
  if self.subsample >= 1 then return sw end
  local nin = math.max(1, math.floor(self.subsample * n))
  local u = rng:uniform(n):totable()
  local m, got = {}, 0
  for i = 1, n do
    if u[i] * (n - i + 1) < nin - got then m[i] = 1; got = got + 1 else m[i] = 0 end
  end
  m = np.array(m, "float64")
  return sw and sw * m or m
end

function GradientBoostingRegressor:fit(X, y, sample_weight)
  local fname = "ml.GradientBoostingRegressor.fit"
  gb_check(self, fname)
  if self.loss ~= "squared_error" then
    error(fname .. ": only loss='squared_error' is implemented, got '" .. tostring(self.loss) .. "'")
  end
  local A, yy = base.check_Xy(X, y, fname)
  yy = base.check_y(yy, fname)
  local n, p = A.shape[1], A.shape[2]
  local sw = T._sample_weight_arg(sample_weight, n, fname)
  local o = T._tree_opts(self, n, p, fname, false, 1, nil)
  o.criterion = "squared_error"
  -- subsample masks and tree seeds come from one RandomState(random_state),
  -- in scikit-learn's order
  local rng = base.sk_rng(T._rs(self.random_state, fname))
  self.init_ = sw and (yy * sw):sum() / sw:sum() or yy:mean()
  local raw = np.full({n}, self.init_)
  local trees, impsum = {}, np.zeros{p}
  for m = 1, self.n_estimators do
    local wm = subsample_weights(self, n, rng, sw)
    local t, contrib, imp = gb_stage(self, A, yy - raw, wm, o, rng:randint(0x7FFFFFFF), nil)
    raw = raw + contrib * self.learning_rate
    trees[m] = t
    impsum = impsum + imp
  end
  self._trees = trees
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  self.n_estimators_ = self.n_estimators
  local s = impsum:sum()
  self.feature_importances_ = s > 0 and impsum / s or impsum
  return self
end

function GradientBoostingRegressor:predict(X)
  local A = T._predict_X(self, X, "ml.GradientBoostingRegressor.predict", "_trees")
  local s = core.forest_predict(self._trees, A, false) * #self._trees
  return s * self.learning_rate + self.init_
end

function GradientBoostingClassifier:fit(X, y, sample_weight)
  local fname = "ml.GradientBoostingClassifier.fit"
  gb_check(self, fname)
  if self.loss ~= "log_loss" and self.loss ~= "deviance" then
    error(fname .. ": only loss='log_loss' is implemented, got '" .. tostring(self.loss) .. "'")
  end
  local A, yy = base.check_Xy(X, y, fname)
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  local n, p = A.shape[1], A.shape[2]
  local K = #classes
  local sw = T._sample_weight_arg(sample_weight, n, fname)
  local w = sw or np.ones{n}
  local o = T._tree_opts(self, n, p, fname, false, 1, nil)
  o.criterion = "squared_error"
  local rng = base.sk_rng(T._rs(self.random_state, fname))
  local prior = np.bincount(codes, {weights = w, minlength = K}) / w:sum()
  local eps = 2.220446049250313e-16
  prior = np.clip(prior, eps, 1 - eps)
  local trees, impsum = {}, np.zeros{p}
  local function leaf_update(Yk, resid, wm, scale)
    return function(leaves, nn)
      local num = np.bincount(leaves - 1, {weights = wm * resid, minlength = nn})
      local den = np.bincount(leaves - 1, {weights = wm * (Yk - resid) * (1 - Yk + resid), minlength = nn})
      if scale then num = num * scale end
      return np.where(den:abs():lt(1e-150), 0.0, num / np.where(den:abs():lt(1e-150), 1.0, den))
    end
  end
  if K == 2 then
    local y1 = codes:astype("float64")
    local p1 = prior[2]
    self.init_ = np.array{math.log(p1 / (1 - p1))}
    local raw = np.full({n}, self.init_[1])
    for m = 1, self.n_estimators do
      local wm = subsample_weights(self, n, rng, sw) or w
      local resid = y1 - 1 / (1 + np.exp(-raw))
      local t, contrib, imp = gb_stage(self, A, resid, wm, o, rng:randint(0x7FFFFFFF), leaf_update(y1, resid, wm, nil))
      raw = raw + contrib * self.learning_rate
      trees[m] = {t}
      impsum = impsum + imp
    end
  else
    self.init_ = np.log(prior)
    local raw = np.zeros{n, K} + self.init_:reshape{1, -1}
    local Y = np.zeros{n, K}
    local ct = codes:totable()
    for i = 1, n do Y[{i, ct[i] + 1}] = 1 end
    for m = 1, self.n_estimators do
      local wm = subsample_weights(self, n, rng, sw) or w
      local mx = raw:max{axis = 1, keepdims = true}
      local E = np.exp(raw - mx)
      local P = E / E:sum{axis = 1, keepdims = true}
      local stage, stage_imp = {}, np.zeros{p}
      local newraw = raw:copy()
      for k = 1, K do
        local Yk = Y[{{}, k}]:copy()
        local resid = Yk - P[{{}, k}]
        local t, contrib, imp = gb_stage(self, A, resid, wm, o, rng:randint(0x7FFFFFFF),
          leaf_update(Yk, resid, wm, (K - 1) / K))
        newraw[{{}, k}] = raw[{{}, k}] + contrib * self.learning_rate
        stage[k] = t
        stage_imp = stage_imp + imp
      end
      raw = newraw
      trees[m] = stage
      impsum = impsum + stage_imp / K
    end
  end
  self._stages = trees
  self.classes_, self.n_classes_ = classes, K
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  self.n_estimators_ = self.n_estimators
  local s = impsum:sum()
  self.feature_importances_ = s > 0 and impsum / s or impsum
  return self
end

function GradientBoostingClassifier:decision_function(X)
  local A = T._predict_X(self, X, "ml.GradientBoostingClassifier.decision_function", "_stages")
  local K = #self.classes_
  local nst = #self._stages
  if K == 2 then
    local ts = {}
    for m = 1, nst do ts[m] = self._stages[m][1] end
    return core.forest_predict(ts, A, false) * nst * self.learning_rate + self.init_[1]
  end
  local cols = {}
  for k = 1, K do
    local ts = {}
    for m = 1, nst do ts[m] = self._stages[m][k] end
    cols[k] = core.forest_predict(ts, A, false) * nst * self.learning_rate + self.init_[k]
  end
  return np.column_stack(cols)
end

function GradientBoostingClassifier:predict_proba(X)
  local Z = self:decision_function(X)
  if #self.classes_ == 2 then
    local p = 1 / (1 + np.exp(-Z))
    return np.column_stack{1 - p, p}
  end
  local E = np.exp(Z - Z:max{axis = 1, keepdims = true})
  return E / E:sum{axis = 1, keepdims = true}
end

function GradientBoostingClassifier:predict(X)
  return T._argmax_labels(self.classes_, self:predict_proba(X))
end

return M
