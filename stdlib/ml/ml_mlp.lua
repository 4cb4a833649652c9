-- ml_mlp.lua: MLPClassifier and MLPRegressor (sklearn.neural_network).
--
-- The stochastic solvers (sgd, adam) follow scikit-learn 1.2 step for step:
-- Glorot-uniform initial weights drawn from NumPy's RandomState stream
-- (base.sk_rng), the same stream then shuffling the samples every epoch,
-- the same batches, loss (with the L2 term alpha/2 |W|^2 / batch), gradients,
-- optimizer updates and stopping rules (tol, n_iter_no_change, adaptive
-- learning rate, early stopping on a validation split). So random_state = 0
-- gives sklearn's weights, loss_curve_ and coefs_, up to the rounding of the
-- matrix products.
-- The lbfgs solver runs scipy's L-BFGS-B iteration (ml_lbfgsb.lua) on the
-- same loss and gradient, with sklearn's options (gtol = tol, maxiter,
-- maxfun), so it follows scipy's iterates up to rounding.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"

local M = {}

local DEFAULTS = {hidden_layer_sizes = {100}, activation = "relu", solver = "adam", alpha = 0.0001,
  batch_size = "auto", learning_rate = "constant", learning_rate_init = 0.001, power_t = 0.5,
  max_iter = 200, shuffle = true, random_state = base.NONE, tol = 1e-4, verbose = false,
  warm_start = false, momentum = 0.9, nesterovs_momentum = true, early_stopping = false,
  validation_fraction = 0.1, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-8, n_iter_no_change = 10,
  max_fun = 15000}

local MLPClassifier = base.estimator("MLPClassifier", DEFAULTS, base.ClassifierMixin)
local MLPRegressor = base.estimator("MLPRegressor", DEFAULTS, base.RegressorMixin)
M.MLPClassifier, M.MLPRegressor = MLPClassifier, MLPRegressor

local EPS64 = 2.220446049250313e-16

-- {==================================================================
-- Activations (in place on a fresh array is not needed: arrays are values)
-- ==================================================================}

local ACT = {
  identity = function(Z) return Z end,
  logistic = function(Z) return 1 / (1 + np.exp(-Z)) end,
  tanh = function(Z) return np.tanh(Z) end,
  relu = function(Z) return np.maximum(Z, 0) end,
  softmax = function(Z)
    local t = Z:totable()
    for i = 1, #t do
      local r, m, s = t[i], -math.huge, 0
      for j = 1, #r do if r[j] > m then m = r[j] end end
      for j = 1, #r do r[j] = math.exp(r[j] - m) end
      for j = 1, #r do s = s + r[j] end
      for j = 1, #r do r[j] = r[j] / s end
    end
    return np.array(t, Z.dtype)
  end,
}

-- delta * f'(z), written with the activation's output A, as sklearn does.
local DERIV = {
  identity = function(_, D) return D end,
  logistic = function(A, D) return D * A * (1 - A) end,
  tanh = function(A, D) return D * (1 - A * A) end,
  relu = function(A, D) local out = D:copy(); out[A:eq(0)] = 0; return out end,
}

-- {==================================================================
-- Forward, loss and gradients (sklearn's _forward_pass and _backprop)
-- ==================================================================}

local function forward(self, X, W, b)
  local acts = {X}
  local L = #W
  local hidden = ACT[self.activation]
  for i = 1, L do
    local Z = acts[i]:matmul(W[i]) + b[i]
    acts[i + 1] = (i < L) and hidden(Z) or ACT[self.out_activation_](Z)
  end
  return acts
end

local function xlogy_sum(Y, P)
  -- sum of y * log(p) over cells where y ~= 0 (scipy's xlogy(0, p) = 0)
  local m = Y:ne(0)
  if not m:any() then return 0 end
  return (Y[m] * np.log(P[m])):sum()
end

local function loss_of(self, Y, P)
  local n = Y.shape[1]
  if self.out_activation_ == "identity" then
    local d = Y - P
    return (d * d):mean() / 2
  end
  local Pc = np.clip(P, EPS64, 1 - EPS64)
  if self.out_activation_ == "logistic" then   -- binary_log_loss
    return -(xlogy_sum(Y, Pc) + xlogy_sum(1 - Y, 1 - Pc)) / n
  end
  return -xlogy_sum(Y, Pc) / n
end

-- Loss and gradients on a batch (X, Y) for weights W, b. Returns loss,
-- gW, gb (lists of arrays).
local function backprop(self, X, Y, W, b)
  local n = X.shape[1]
  local acts = forward(self, X, W, b)
  local L = #W
  local loss = loss_of(self, Y, acts[L + 1])
  local values = 0
  for i = 1, L do local w = W[i]:reshape{-1}; values = values + w:dot(w) end
  loss = loss + (0.5 * self.alpha) * values / n
  local gW, gb = {}, {}
  local delta = acts[L + 1] - Y
  local deriv = DERIV[self.activation]
  for i = L, 1, -1 do
    gW[i] = (acts[i].T:matmul(delta) + W[i] * self.alpha) / n
    gb[i] = np.ones({1, n}, delta.dtype):matmul(delta):reshape{-1} / n
    if i > 1 then delta = deriv(acts[i], delta:matmul(W[i].T)) end
  end
  return loss, gW, gb
end

-- {==================================================================
-- Optimizers (sklearn's _stochastic_optimizers)
-- ==================================================================}

local function sgd_optimizer(self, params)
  local o = {learning_rate = self.learning_rate_init, v = {}}
  for i, p in ipairs(params) do o.v[i] = np.zeros(p.shape, p.dtype) end
  function o.updates(grads)
    local up = {}
    for i, g in ipairs(grads) do up[i] = o.v[i] * self.momentum - g * o.learning_rate end
    o.v = up
    if self.nesterovs_momentum then
      local u2 = {}
      for i, g in ipairs(grads) do u2[i] = o.v[i] * self.momentum - g * o.learning_rate end
      return u2
    end
    return up
  end
  function o.iteration_ends(t)
    if self.learning_rate == "invscaling" then
      o.learning_rate = self.learning_rate_init / (t + 1) ^ self.power_t
    end
  end
  function o.trigger_stopping()
    if self.learning_rate ~= "adaptive" then return true end
    if o.learning_rate <= 1e-6 then return true end
    o.learning_rate = o.learning_rate / 5.0
    return false
  end
  return o
end

local function adam_optimizer(self, params)
  local o = {t = 0, m = {}, v = {}, learning_rate = self.learning_rate_init}
  for i, p in ipairs(params) do o.m[i] = np.zeros(p.shape, p.dtype); o.v[i] = np.zeros(p.shape, p.dtype) end
  local b1, b2 = self.beta_1, self.beta_2
  function o.updates(grads)
    o.t = o.t + 1
    for i, g in ipairs(grads) do
      o.m[i] = o.m[i] * b1 + g * (1 - b1)
      o.v[i] = o.v[i] * b2 + (g * g) * (1 - b2)
    end
    o.learning_rate = self.learning_rate_init * math.sqrt(1 - b2 ^ o.t) / (1 - b1 ^ o.t)
    local up = {}
    for i = 1, #grads do up[i] = (o.m[i] * -o.learning_rate) / (np.sqrt(o.v[i]) + self.epsilon) end
    return up
  end
  function o.iteration_ends() end
  function o.trigger_stopping() return true end
  return o
end

-- {==================================================================
-- fit
-- ==================================================================}

local function warn(self, msg)
  io.stderr:write(("%s: warning: %s\n"):format(getmetatable(self)._fname, msg))
end

local function check_params(self, fname)
  local h = self.hidden_layer_sizes
  if type(h) == "number" then h = {h} end
  if type(h) ~= "table" then error(fname .. ": hidden_layer_sizes must be an integer or a list of integers") end
  local sizes = {}
  for i, v in ipairs(h) do
    if math.type(v) ~= "integer" or v <= 0 then
      error(("%s: hidden_layer_sizes must be > 0, got %s"):format(fname, base.repr(h)))
    end
    sizes[i] = v
  end
  local function oneof(k, list)
    for _, v in ipairs(list) do if self[k] == v then return end end
    error(("%s: %s must be one of %s, got %s"):format(fname, k, base.repr(list), base.repr(self[k])))
  end
  oneof("activation", {"identity", "logistic", "tanh", "relu"})
  oneof("solver", {"lbfgs", "sgd", "adam"})
  oneof("learning_rate", {"constant", "invscaling", "adaptive"})
  local function pos(k, strict)
    local v = self[k]
    if type(v) ~= "number" or v < 0 or (strict and v == 0) then
      error(("%s: %s must be a number %s 0, got %s"):format(fname, k, strict and ">" or ">=", base.repr(v)))
    end
  end
  pos("alpha"); pos("learning_rate_init", true); pos("tol"); pos("momentum"); pos("epsilon", true)
  if self.momentum > 1 then error(fname .. ": momentum must be in [0, 1]") end
  for _, k in ipairs{"beta_1", "beta_2", "validation_fraction"} do
    local v = self[k]
    if type(v) ~= "number" or v < 0 or v >= 1 then error(("%s: %s must be in [0, 1), got %s"):format(fname, k, base.repr(v))) end
  end
  for _, k in ipairs{"max_iter", "n_iter_no_change", "max_fun"} do
    if math.type(self[k]) ~= "integer" or self[k] < 1 then
      error(("%s: %s must be an integer >= 1, got %s"):format(fname, k, base.repr(self[k])))
    end
  end
  local bs = self.batch_size
  if bs ~= "auto" and (math.type(bs) ~= "integer" or bs < 1) then
    error(("%s: batch_size must be 'auto' or an integer >= 1, got %s"):format(fname, base.repr(bs)))
  end
  return sizes
end

-- Glorot-uniform initialisation, as sklearn's _init_coef, from rng.
local function init_weights(self, units, rng, dtype)
  local W, b = {}, {}
  local factor = self.activation == "logistic" and 2.0 or 6.0
  for i = 1, #units - 1 do
    local fi, fo = units[i], units[i + 1]
    local bound = math.sqrt(factor / (fi + fo))
    -- legacy uniform(low, high) is low + (high - low) * u
    W[i] = (rng:uniform(fi * fo) * (bound - -bound) + -bound):reshape{fi, fo}:astype(dtype)
    b[i] = (rng:uniform(fo) * (bound - -bound) + -bound):astype(dtype)
  end
  return util.list(W), util.list(b)
end

local function score_val(self, Xv, yv)
  if base.is_classifier(self) then return base.ClassifierMixin.score(self, Xv, yv) end
  return base.RegressorMixin.score(self, Xv, yv)
end

local function copy_list(t) local c = {}; for i, a in ipairs(t) do c[i] = a:copy() end; return util.list(c) end

local function fit_stochastic(self, X, Y, rng, incremental, y_labels)
  local W, b = self.coefs_, self.intercepts_
  local L = #W
  local params = {}
  for i = 1, L do params[i] = W[i]; params[L + i] = b[i] end
  if not incremental or not self._optimizer then
    self._optimizer = (self.solver == "sgd" and sgd_optimizer or adam_optimizer)(self, params)
  end
  local opt = self._optimizer
  local early = self.early_stopping and not incremental
  local Xv, yv
  if early then
    local ms = require "geolab.ml_model_selection"
    local strat = (base.is_classifier(self) and self.n_outputs_ == 1) and Y:reshape{-1} or nil
    local idx = np.arange(1, X.shape[1] + 1):astype("int64")
    local tr, te = ms.train_test_split(idx, {test_size = self.validation_fraction, random_state = rng,
                                            stratify = strat})
    Xv, X, Y = X[te], X[tr], Y[tr]
    yv = ms._take(y_labels, te)
  end
  local n = X.shape[1]
  local bs = self.batch_size == "auto" and math.min(200, n) or self.batch_size
  if bs > n then
    warn(self, "got batch_size larger than the sample size; it is clipped to " .. n)
    bs = n
  end
  local idx = np.arange(1, n + 1):astype("int64")
  self.n_iter_ = 0
  for _ = 1, self.max_iter do
    if self.shuffle then idx = idx[rng:permutation(n)] end
    local acc = 0.0
    for s = 1, n, bs do
      local e = math.min(s + bs - 1, n)
      local Xb, Yb
      if self.shuffle then
        local sl = idx[{{s, e}}]
        Xb, Yb = X[sl], Y[sl]
      else
        Xb, Yb = X[{{s, e}}], Y[{{s, e}}]
      end
      local loss, gW, gb = backprop(self, Xb, Yb, W, b)
      acc = acc + loss * (e - s + 1)
      local grads = {}
      for i = 1, L do grads[i] = gW[i]; grads[L + i] = gb[i] end
      local up = opt.updates(grads)
      for i = 1, L do W[i] = W[i] + up[i]; b[i] = b[i] + up[L + i] end
    end
    self.n_iter_ = self.n_iter_ + 1
    self.loss_ = acc / n
    self.t_ = self.t_ + n
    local curve = self.loss_curve_
    curve[#curve + 1] = self.loss_
    if self.verbose then print(("Iteration %d, loss = %.8f"):format(self.n_iter_, self.loss_)) end
    -- no-improvement count from the training loss or the validation score
    if early then
      local sc = score_val(self, Xv, yv)
      local vs = self.validation_scores_
      vs[#vs + 1] = sc
      if sc < self.best_validation_score_ + self.tol then self._no_improvement_count = self._no_improvement_count + 1
      else self._no_improvement_count = 0 end
      if sc > self.best_validation_score_ then
        self.best_validation_score_ = sc
        self._best_coefs, self._best_intercepts = copy_list(W), copy_list(b)
      end
    else
      if self.loss_ > self.best_loss_ - self.tol then self._no_improvement_count = self._no_improvement_count + 1
      else self._no_improvement_count = 0 end
      if self.loss_ < self.best_loss_ then self.best_loss_ = self.loss_ end
    end
    opt.iteration_ends(self.t_)
    if self._no_improvement_count > self.n_iter_no_change then
      if opt.trigger_stopping() then break end
      self._no_improvement_count = 0
    end
    if incremental then break end
    if self.n_iter_ == self.max_iter then
      warn(self, ("Stochastic Optimizer: Maximum iterations (%d) reached and the optimization hasn't converged yet."):format(self.max_iter))
    end
  end
  if early then
    self.coefs_, self.intercepts_ = self._best_coefs, self._best_intercepts
  end
end

local function fit_lbfgs(self, X, Y)
  local W, b = self.coefs_, self.intercepts_
  local L = #W
  local shapes, parts = {}, {}
  for i = 1, L do shapes[i] = W[i].shape; parts[#parts + 1] = W[i]:reshape{-1} end
  for i = 1, L do parts[#parts + 1] = b[i] end
  local x0 = np.concatenate(parts):astype("float64")
  local function unpack(x)
    local Wn, bn, off = {}, {}, 0
    for i = 1, L do
      local k = shapes[i][1] * shapes[i][2]
      Wn[i] = x[{{off + 1, off + k}}]:reshape(shapes[i]):astype(X.dtype); off = off + k
    end
    for i = 1, L do
      local k = shapes[i][2]
      bn[i] = x[{{off + 1, off + k}}]:astype(X.dtype); off = off + k
    end
    return util.list(Wn), util.list(bn)
  end
  local function f(x)
    local Wn, bn = unpack(x)
    local loss, gW, gb = backprop(self, X, Y, Wn, bn)
    local gp = {}
    for i = 1, L do gp[#gp + 1] = gW[i]:reshape{-1} end
    for i = 1, L do gp[#gp + 1] = gb[i] end
    return loss, np.concatenate(gp):astype("float64")
  end
  local lbfgsb = require "geolab.ml_lbfgsb"
  local x, fx, it, _, msg = lbfgsb.minimize(f, x0, {maxiter = self.max_iter, maxfun = self.max_fun, gtol = self.tol})
  if not msg:match("^CONVERGENCE") then
    warn(self, ("lbfgs failed to converge: %s; increase max_iter or scale the data (ml.StandardScaler)"):format(msg))
  end
  self.n_iter_ = math.min(it, self.max_iter)
  self.loss_ = fx
  self.coefs_, self.intercepts_ = unpack(x)
end

-- Targets as the network sees them: classifiers one column (2 classes) or
-- one-hot columns; regressors a column per output.
local function targets(self, y, fname, first, given)
  if base.is_classifier(self) then
    local classes, codes
    if first and given then   -- partial_fit's classes: every class, seen or not
      classes = base.encode_labels(given, fname)
      base.check_classes(classes, fname)
      self.classes_ = classes
      codes = base.codes_in(classes, y, fname)
    elseif first then
      classes, codes = base.encode_labels(y, fname)
      base.check_classes(classes, fname)
      self.classes_ = classes
    else
      classes = self.classes_
      codes = base.codes_in(classes, y, fname)
    end
    local n, K = codes.shape[1], #classes
    if K == 2 then return codes:astype("float64"):reshape{-1, 1} end
    local Y = np.zeros{n, K}
    local ct = codes:totable()
    for i = 1, n do Y[{i, ct[i] + 1}] = 1 end
    return Y
  end
  local ya = base.check_y(y, fname, {multi = true})
  if ya.ndim == 1 then ya = ya:reshape{-1, 1} end
  return ya
end

local function fit(self, X, y, incremental, classes)
  local mt = getmetatable(self)
  local fname = mt._fname .. (incremental and ".partial_fit" or ".fit")
  local sizes = check_params(self, fname)
  if incremental and self.solver == "lbfgs" then
    error(fname .. ": partial_fit is only available for the stochastic solvers (sgd, adam), not lbfgs")
  end
  local first = rawget(self, "coefs_") == nil or (not self.warm_start and not incremental)
  local Xa
  Xa, y = base.check_Xy(X, y, fname)
  local Y = targets(self, y, fname, first or not rawget(self, "classes_"), classes)
  Y = Y:astype(Xa.dtype)
  local n, p = Xa.shape[1], Xa.shape[2]
  if not first and p ~= self.n_features_in_ then
    error(("%s: X has %d features, but %s was fitted with %d"):format(fname, p, mt._name, self.n_features_in_))
  end
  local units = {p}
  for _, h in ipairs(sizes) do units[#units + 1] = h end
  units[#units + 1] = Y.shape[2]
  local rng = base.sk_rng(self.random_state)
  if first then
    self.n_iter_, self.t_ = 0, 0
    self.n_outputs_ = Y.shape[2]
    self.n_layers_ = #units
    if not base.is_classifier(self) then self.out_activation_ = "identity"
    elseif #self.classes_ > 2 then self.out_activation_ = "softmax"
    else self.out_activation_ = "logistic" end
    self.coefs_, self.intercepts_ = init_weights(self, units, rng, Xa.dtype)
    if self.solver ~= "lbfgs" then
      self.loss_curve_ = util.list{}
      self._no_improvement_count = 0
      if self.early_stopping then
        self.validation_scores_, self.best_validation_score_ = util.list{}, -math.huge
        self.best_loss_ = nil
      else
        self.best_loss_ = math.huge
        self.validation_scores_, self.best_validation_score_ = nil, nil
      end
    end
    self._optimizer = nil
  else
    if #self.coefs_ + 1 ~= #units or self.coefs_[#self.coefs_].shape[2] ~= units[#units] then
      error(fname .. ": the layer sizes of coefs_ do not match hidden_layer_sizes and the data")
    end
    if self.solver ~= "lbfgs" and rawget(self, "loss_curve_") == nil then
      self.loss_curve_, self._no_improvement_count, self.best_loss_ = util.list{}, 0, math.huge
      self.validation_scores_, self.best_validation_score_ = util.list{}, -math.huge
    end
    self.t_ = self.t_ or 0
  end
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  if self.solver == "lbfgs" then fit_lbfgs(self, Xa, Y)
  else fit_stochastic(self, Xa, Y, rng, incremental, y) end
  for i = 1, #self.coefs_ do
    if not np.isfinite(self.coefs_[i]):all() or not np.isfinite(self.intercepts_[i]):all() then
      error(fname .. ": the solver produced non-finite weights; scale the input (ml.StandardScaler) first")
    end
  end
  return self
end

local function predict_raw(self, X, fname)
  X = base.fitted_X(self, X, "coefs_", fname)
  local acts = forward(self, X, self.coefs_, self.intercepts_)
  return acts[#acts]
end

for _, C in ipairs{MLPClassifier, MLPRegressor} do
  function C:fit(X, y) return fit(self, X, y, false) end
  function C:partial_fit(X, y, opts)
    local fname = getmetatable(self)._fname .. ".partial_fit"
    base.check_options(opts, {"classes"}, fname)
    return fit(self, X, y, true, opts and opts.classes)
  end
end

function MLPClassifier:predict_proba(X)
  local P = predict_raw(self, X, "ml.MLPClassifier.predict_proba")
  if P.shape[2] == 1 then
    local p = P:reshape{-1}
    return np.column_stack{1 - p, p}
  end
  return P
end

function MLPClassifier:predict_log_proba(X)
  return np.log(self:predict_proba(X))
end

function MLPClassifier:predict(X)
  local P = predict_raw(self, X, "ml.MLPClassifier.predict")
  local codes = {}
  local t = P:totable()
  if P.shape[2] == 1 then
    for i = 1, #t do codes[i] = t[i][1] > 0.5 and 1 or 0 end
  else
    for i = 1, #t do
      local r, best = t[i], 1
      for j = 2, #r do if r[j] > r[best] then best = j end end
      codes[i] = best - 1
    end
  end
  local c = #codes > 0 and np.array(codes, "int64") or np.zeros({0}, "int64")
  return base.decode_labels(self.classes_, c)
end

function MLPRegressor:predict(X)
  local P = predict_raw(self, X, "ml.MLPRegressor.predict")
  if P.shape[2] == 1 then return P:reshape{-1} end
  return P
end

return M
