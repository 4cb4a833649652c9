-- ml_svm.lua: support vector machines (sklearn.svm): SVC (one-vs-one,
-- libsvm's SMO solver in C), SVR (epsilon-SVR, same solver) and LinearSVC
-- (squared hinge, L2, solved in the primal by Newton's method).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"

local M = {}

local function gamma_of(self, X, fname)
  local g = self.gamma
  local p = X.shape[2]
  if g == "scale" then
    local v = X:astype("float64"):var()
    return v ~= 0 and 1 / (p * v) or 1.0
  elseif g == "auto" then return 1 / p
  elseif type(g) == "number" and g > 0 then return g end
  error(fname .. ": gamma must be 'scale', 'auto' or a positive number, got " .. base.repr(g), 3)
end

local function kernel_opts(self, fname)
  local k = self.kernel
  if k ~= "linear" and k ~= "poly" and k ~= "rbf" and k ~= "sigmoid" then
    local near = base.nearest(tostring(k), {"linear", "poly", "rbf", "sigmoid"})
    error(("%s: kernel must be 'linear', 'poly', 'rbf' or 'sigmoid', got '%s'%s"):format(fname, tostring(k),
      near and (" (did you mean '" .. near .. "'?)") or ""), 3)
  end
  return {kernel = k, gamma = self._gamma, coef0 = self.coef0 or 0.0, degree = self.degree or 3}
end

local function check_C(self, fname)
  if type(self.C) ~= "number" or self.C <= 0 then error(fname .. ": C must be a positive number", 3) end
end

-- {==================================================================
-- SVC
-- ==================================================================}

local SVC = base.estimator("SVC", {C = 1.0, kernel = "rbf", degree = 3, gamma = "scale", coef0 = 0.0,
  shrinking = true, probability = false, tol = 1e-3, cache_size = 200, class_weight = base.NONE,
  verbose = false, max_iter = -1, decision_function_shape = "ovr", break_ties = false,
  random_state = base.NONE}, base.ClassifierMixin)
M.SVC = SVC

-- Binary problems of the one-vs-one scheme on rows of class a (+1) and b (-1).
local function ovo_fit(self, A, codes, K, Cw, kopts, fname)
  local pairs_, sv_used = {}, {}
  local n = A.shape[1]
  local ct = codes:totable()
  local by_class = {}
  for k = 1, K do by_class[k] = {} end
  for i = 1, n do local c = ct[i] + 1; by_class[c][#by_class[c] + 1] = i end
  local niter = {}
  for a = 1, K - 1 do
    for b = a + 1, K do
      local rows = {}
      for _, i in ipairs(by_class[a]) do rows[#rows + 1] = i end
      for _, i in ipairs(by_class[b]) do rows[#rows + 1] = i end
      local ridx = np.array(rows, "int64")
      local ys = {}
      for t = 1, #by_class[a] do ys[t] = 1 end
      for t = #by_class[a] + 1, #rows do ys[t] = -1 end
      local y = np.array(ys, "float64")
      local Cv = np.array({}, "float64")
      do
        local cv = {}
        for t = 1, #rows do cv[t] = Cw[ct[rows[t]] + 1] end
        Cv = np.array(cv, "float64")
      end
      local alpha, rho, it = core.svm_solve(A[ridx], y, np.full({#rows}, -1.0), Cv, kopts, self.tol,
        self.max_iter, self.cache_size, self.shrinking)
      niter[#niter + 1] = it
      local al = alpha:totable()
      local coefs = {}
      for t = 1, #rows do
        if al[t] > 0 then coefs[#coefs + 1] = {rows[t], al[t] * ys[t]}; sv_used[rows[t]] = true end
      end
      pairs_[#pairs_ + 1] = {a = a, b = b, coefs = coefs, rho = rho}
    end
  end
  -- support vectors grouped by class, ascending rows within a class (libsvm order)
  local sv, pos, nsup = {}, {}, {}
  for k = 1, K do
    nsup[k] = 0
    for _, i in ipairs(by_class[k]) do
      if sv_used[i] then sv[#sv + 1] = i; pos[i] = #sv; nsup[k] = nsup[k] + 1 end
    end
  end
  local nsv = #sv
  local npair = #pairs_
  local W = np.zeros{math.max(npair, 1), math.max(nsv, 1)}
  local rhos = {}
  for q, pr in ipairs(pairs_) do
    for _, c in ipairs(pr.coefs) do W[{q, pos[c[1]]}] = c[2] end
    rhos[q] = pr.rho
  end
  self._W = W[{{}, {1, nsv}}]:copy()
  self._rho = np.array(rhos)
  self._pairs = pairs_
  self.support_ = np.array(sv, "int64")
  self.support_vectors_ = A[self.support_]
  self.n_support_ = np.array(nsup, "int64")
  self.intercept_ = -self._rho
  self.n_iter_ = np.array(niter, "int64")
  -- dual_coef_ in sklearn's layout (n_classes-1 x n_SV)
  local dc = np.zeros{K - 1, nsv}
  local start = {}
  local s = 1
  for k = 1, K do start[k] = s; s = s + nsup[k] end
  for q, pr in ipairs(pairs_) do
    for _, c in ipairs(pr.coefs) do
      local col = pos[c[1]]
      local cls = ct[c[1]] + 1
      -- a coefficient of class a in pair (a, b) goes to row b-1, of class b to row a
      local row = (cls == pr.a) and (pr.b - 1) or pr.a
      dc[{row, col}] = c[2]
    end
  end
  self.dual_coef_ = dc
  if K == 2 then self.dual_coef_ = -dc; self.intercept_ = self._rho:copy() end
end

function SVC:fit(X, y, sample_weight)
  local fname = "ml.SVC.fit"
  local A, yy = base.check_Xy(X, y, fname)
  check_C(self, fname)
  if sample_weight ~= nil then error(fname .. ": sample_weight is not implemented; use class_weight", 2) end
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  local K = #classes
  self._gamma = gamma_of(self, A, fname)
  local kopts = kernel_opts(self, fname)
  local D = A:astype("float64")
  local cw = {}
  for k = 1, K do cw[k] = self.C end
  if self.class_weight == "balanced" then
    local cnt = np.bincount(codes, {minlength = K}):totable()
    for k = 1, K do cw[k] = self.C * codes.size / (K * cnt[k]) end
  elseif type(self.class_weight) == "table" then
    for k = 1, K do cw[k] = self.C * (self.class_weight[classes[k]] or 1) end
  end
  self.classes_ = classes
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  self.shape_fit_ = {A.shape[1], A.shape[2]}
  ovo_fit(self, D, codes, K, cw, kopts, fname)
  self._kopts = kopts
  self._gamma_ = self._gamma
  if self.probability then
    local P = require "geolab.ml_svm_proba"
    P.fit(self, D, codes, K, cw, kopts, ovo_fit)
  end
  return self
end

-- Pairwise decision values (n x n_pairs), libsvm's sign (> 0: first class).
local function ovo_decision(self, X, fname)
  X = base.fitted_X(self, X, "_W", fname)
  local D = X:astype("float64")
  if self.support_vectors_.shape[1] == 0 then
    return np.zeros{D.shape[1], self._W.shape[1]} - self._rho:reshape{1, -1}
  end
  -- K(X, SV) W^T by blocks of rows, never the whole kernel matrix
  return core.svm_decision(D, self.support_vectors_:astype("float64"), self._W, self._kopts)
    - self._rho:reshape{1, -1}
end
M._ovo_decision = ovo_decision

function SVC:decision_function(X)
  local dec = ovo_decision(self, X, "ml.SVC.decision_function")
  local K = #self.classes_
  if K == 2 then return -dec:reshape{-1} end
  if self.decision_function_shape == "ovo" then return dec end
  local n = dec.shape[1]
  local votes, conf = np.zeros{n, K}, np.zeros{n, K}
  local q = 0
  for a = 1, K - 1 do
    for b = a + 1, K do
      q = q + 1
      local d = dec[{{}, q}]
      conf[{{}, a}] = conf[{{}, a}] + d
      conf[{{}, b}] = conf[{{}, b}] - d
      local pa = d:gt(0):astype("float64")
      votes[{{}, a}] = votes[{{}, a}] + pa
      votes[{{}, b}] = votes[{{}, b}] + (1 - pa)
    end
  end
  return votes + conf / (3 * (conf:abs() + 1))
end

function SVC:predict(X)
  local fname = "ml.SVC.predict"
  local dec = ovo_decision(self, X, fname)
  local K = #self.classes_
  local n = dec.shape[1]
  if self.break_ties and K > 2 then
    return base.decode_labels(self.classes_, self:decision_function(X):argmax(1) - 1)
  end
  local votes = {}
  local D = dec:totable()
  local codes = {}
  for i = 1, n do
    for k = 1, K do votes[k] = 0 end
    local q = 0
    for a = 1, K - 1 do
      for b = a + 1, K do
        q = q + 1
        if D[i][q] > 0 then votes[a] = votes[a] + 1 else votes[b] = votes[b] + 1 end
      end
    end
    local best = 1
    for k = 2, K do if votes[k] > votes[best] then best = k end end
    codes[i] = best - 1
  end
  if n == 0 then return base.decode_labels(self.classes_, np.zeros({0}, "int64")) end
  return base.decode_labels(self.classes_, np.array(codes, "int64"))
end

function SVC:predict_proba(X)
  if not self.probability then
    error("ml.SVC.predict_proba: predict_proba is not available when probability=false (fit with ml.SVC{probability=true})", 2)
  end
  local P = require "geolab.ml_svm_proba"
  return P.predict_proba(self, ovo_decision(self, X, "ml.SVC.predict_proba"), #self.classes_)
end

function SVC:predict_log_proba(X) return np.log(self:predict_proba(X)) end

-- {==================================================================
-- SVR
-- ==================================================================}

local SVR = base.estimator("SVR", {kernel = "rbf", degree = 3, gamma = "scale", coef0 = 0.0, tol = 1e-3,
  C = 1.0, epsilon = 0.1, shrinking = true, cache_size = 200, verbose = false, max_iter = -1},
  base.RegressorMixin)
M.SVR = SVR

function SVR:fit(X, y)
  local fname = "ml.SVR.fit"
  local A, yy = base.check_Xy(X, y, fname)
  yy = base.check_y(yy, fname)
  check_C(self, fname)
  if type(self.epsilon) ~= "number" or self.epsilon < 0 then error(fname .. ": epsilon must be >= 0", 2) end
  local n = A.shape[1]
  self._gamma = gamma_of(self, A, fname)
  local kopts = kernel_opts(self, fname)
  local D = A:astype("float64")
  local ys = np.concatenate{np.ones{n}, -np.ones{n}}
  local p = np.concatenate{self.epsilon - yy, self.epsilon + yy}
  local alpha, rho, it = core.svm_solve(D, ys, p, np.full({2 * n}, self.C), kopts, self.tol,
    self.max_iter, self.cache_size, self.shrinking)
  local coef = alpha[{{1, n}}] - alpha[{{n + 1, 2 * n}}]
  local nz = coef:ne(0)
  local idx = np.flatnonzero(nz)
  self.support_ = idx
  self.support_vectors_ = D[idx]
  self.dual_coef_ = coef[idx]:reshape{1, -1}
  self.intercept_ = np.array{-rho}
  self._rho = rho
  self.n_iter_ = it
  self.n_support_ = np.array({idx.size}, "int64")
  self._kopts = kopts
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  return self
end

function SVR:predict(X)
  local fname = "ml.SVR.predict"
  X = base.fitted_X(self, X, "dual_coef_", fname)
  local D = X:astype("float64")
  if self.support_.size == 0 then return np.full({D.shape[1]}, -self._rho) end
  return core.svm_decision(D, self.support_vectors_:astype("float64"), self.dual_coef_:astype("float64"),
    self._kopts):reshape{-1} - self._rho
end

-- {==================================================================
-- LinearSVC
-- ==================================================================}

local LinearSVC = base.estimator("LinearSVC", {penalty = "l2", loss = "squared_hinge", dual = true, tol = 1e-4,
  C = 1.0, multi_class = "ovr", fit_intercept = true, intercept_scaling = 1, class_weight = base.NONE,
  verbose = 0, random_state = base.NONE, max_iter = 1000}, base.ClassifierMixin)
M.LinearSVC = LinearSVC

-- min 1/2 |w|^2 + C sum_i c_i max(0, 1 - s_i x_i.w)^2 (w includes the bias
-- column, penalised as liblinear does), by Newton's method.
local function l2svm_newton(Xa, s, C, cw)
  local n, q = Xa.shape[1], Xa.shape[2]
  local w = np.zeros{q}
  local Cv = cw * C
  local function obj(wv)
    local m = np.maximum(1 - Xa:matmul(wv) * s, 0)
    return 0.5 * (wv * wv):sum() + (Cv * m * m):sum()
  end
  local f = obj(w)
  for _ = 1, 100 do
    local m = 1 - Xa:matmul(w) * s
    local act = m:gt(0):astype("float64")
    local g = w - 2 * Xa.T:matmul(Cv * act * m * s)
    if np.abs(g):max() < 1e-12 * math.max(1, n) then break end
    local H = np.eye(q) + 2 * Xa.T:matmul(Xa * (Cv * act):reshape{-1, 1})
    local step = np.linalg.solve(H, -g)
    local done
    w, f, done = base.newton_step(obj, w, f, step, (g * step):sum())
    if done then break end
  end
  return w
end

function LinearSVC:fit(X, y)
  local fname = "ml.LinearSVC.fit"
  local A, yy = base.check_Xy(X, y, fname)
  check_C(self, fname)
  if self.penalty ~= "l2" or self.loss ~= "squared_hinge" then
    error(fname .. ": only penalty='l2' with loss='squared_hinge' is implemented", 2)
  end
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  local K = #classes
  local D = A:astype("float64")
  local p = A.shape[2]
  local Xa = self.fit_intercept and np.hstack{D, np.full({D.shape[1], 1}, self.intercept_scaling)} or D
  local cwt = {}
  for k = 1, K do cwt[k] = 1 end
  if self.class_weight == "balanced" then
    local cnt = np.bincount(codes, {minlength = K}):totable()
    for k = 1, K do cwt[k] = codes.size / (K * cnt[k]) end
  elseif type(self.class_weight) == "table" then
    for k = 1, K do cwt[k] = self.class_weight[classes[k]] or 1 end
  end
  local cw = np.array(cwt)[codes + 1]
  local nb = K == 2 and 1 or K
  local coefs, ints = {}, {}
  for k = 1, nb do
    local target = K == 2 and 1 or k - 1
    local s = codes:eq(target):astype("float64") * 2 - 1
    local w = l2svm_newton(Xa, s, self.C, cw)
    coefs[k] = w[{{1, p}}]:totable()
    ints[k] = self.fit_intercept and w[p + 1] * self.intercept_scaling or 0.0
  end
  self.coef_ = np.array(coefs):reshape{nb, p}
  self.intercept_ = np.array(ints)
  self.classes_ = classes
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  self.n_iter_ = 1
  return self
end

function LinearSVC:decision_function(X)
  local fname = "ml.LinearSVC.decision_function"
  X = base.fitted_X(self, X, "coef_", fname)
  local Z = X:astype("float64"):matmul(self.coef_.T) + self.intercept_:reshape{1, -1}
  if #self.classes_ == 2 then return Z:reshape{-1} end
  return Z
end

function LinearSVC:predict(X)
  local Z = self:decision_function(X)
  local codes = (#self.classes_ == 2) and Z:gt(0):astype("int64") or (Z:argmax(1) - 1)
  return base.decode_labels(self.classes_, codes)
end

return M
