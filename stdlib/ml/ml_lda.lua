-- ml_lda.lua: LinearDiscriminantAnalysis (sklearn.discriminant_analysis),
-- with the svd, lsqr and eigen solvers, shrinkage (a number in [0, 1] or
-- "auto" for Ledoit-Wolf) or a covariance_estimator (ml.LedoitWolf{}, ...,
-- lsqr and eigen only), and the same formulas as scikit-learn 1.2, so that
-- coef_, intercept_, scalings_ and transform agree with it. Computed in
-- float64; float32 input gives float32 results.
-- Reductions are written as products with a vector of ones so that this file
-- does not depend on how axis numbers are spelled.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}

local LDA = base.estimator("LinearDiscriminantAnalysis", {solver = "svd", shrinkage = base.NONE,
  priors = base.NONE, n_components = base.NONE, store_covariance = false, tol = 1e-4,
  covariance_estimator = base.NONE}, base.ClassifierMixin)
M.LinearDiscriminantAnalysis = LDA

-- {==================================================================
-- Small helpers (column sums and means, covariance estimators)
-- ==================================================================}

local function colsum(A) return np.ones{1, A.shape[1]}:matmul(A):reshape{-1} end
local function colmean(A) return colsum(A) / A.shape[1] end
local function rowsum(A) return A:matmul(np.ones{A.shape[2], 1}):reshape{-1} end

-- Column standard deviations (ddof 0) as NumPy: mean first, then squares.
local function colstd(A)
  local d = A - colmean(A)
  return np.sqrt(colmean(d * d))
end

-- sklearn.covariance.empirical_covariance: np.cov(X.T, bias=1).
local function empirical_cov(X)
  local d = X - colmean(X)
  return d.T:matmul(d) / X.shape[1]
end

-- sklearn.covariance.ledoit_wolf_shrinkage (one block: fewer than 1000 features).
local function ledoit_wolf_shrinkage(X)
  local n, p = X.shape[1], X.shape[2]
  if p == 1 then return 0.0 end
  X = X - colmean(X)
  local X2 = X * X
  local trace = colsum(X2) / n
  local mu = trace:sum() / p
  local beta_ = X2.T:matmul(X2):sum()
  local XtX = X.T:matmul(X)
  local delta_ = (XtX * XtX):sum() / (n * n)
  local beta = 1.0 / (p * n) * (beta_ / n - delta_)
  local delta = (delta_ - 2.0 * mu * trace:sum() + p * mu ^ 2) / p
  beta = math.min(beta, delta)
  return beta == 0 and 0 or beta / delta
end

local function shrunk(S, s)
  local p = S.shape[1]
  local mu = 0
  for i = 1, p do mu = mu + S[{i, i}] end
  mu = mu / p
  local out = S * (1.0 - s)
  for i = 1, p do out[{i, i}] = out[{i, i}] + s * mu end
  return out
end

-- discriminant_analysis._cov: empirical, shrunk by a number, Ledoit-Wolf
-- on standardized features ("auto"), scaled back, or the covariance_ of a
-- covariance estimator fitted to X (sklearn refits the object it was given).
local function cov(X, shrinkage, est)
  if est ~= nil then
    est:fit(X)
    local S = rawget(est, "covariance_")
    if type(S) ~= "userdata" then
      error(("ml.LinearDiscriminantAnalysis.fit: %s does not have a covariance_ attribute"):format(base.repr(est)))
    end
    return S:astype("float64")
  end
  if shrinkage == nil then return empirical_cov(X) end
  if shrinkage == "auto" then
    local scale = colstd(X)
    local sc = scale:copy()
    sc[sc:eq(0)] = 1.0
    local Z = (X - colmean(X)) / sc
    local s = shrunk(empirical_cov(Z), ledoit_wolf_shrinkage(Z))
    return sc:reshape{-1, 1} * s * sc:reshape{1, -1}
  end
  return shrunk(empirical_cov(X), shrinkage)
end

-- {==================================================================
-- fit
-- ==================================================================}

local function class_rows(codes, K)
  local rows = {}
  for k = 1, K do rows[k] = {} end
  local ct = codes:totable()
  for i = 1, #ct do local r = rows[ct[i] + 1]; r[#r + 1] = i end
  for k = 1, K do rows[k] = np.array(rows[k], "int64") end
  return rows
end

local function class_cov(X, rows, priors, shrinkage, est)
  local p = X.shape[2]
  local S = np.zeros{p, p}
  for k = 1, #rows do S = S + cov(X[rows[k]], shrinkage, est) * priors[k] end
  return S
end

local function solve_svd(self, X, rows, priors, means)
  local n, p, K = X.shape[1], X.shape[2], #rows
  if self.store_covariance then self.covariance_ = class_cov(X, rows, priors, nil) end
  local parts = {}
  for k = 1, K do parts[k] = X[rows[k]] - means[{{k, k}, {}}] end
  local pr = np.array(priors):reshape{1, -1}
  local xbar = pr:matmul(means):reshape{-1}
  self.xbar_ = xbar
  local Xc = np.vstack(parts)
  local std = colstd(Xc)
  std[std:eq(0)] = 1.0
  local Xs = (Xc / std) * math.sqrt(1.0 / (n - K))
  local _, S, Vt = np.linalg.svd(Xs, {full_matrices = false})
  local rank = 0
  for i = 1, S.shape[1] do if S[i] > self.tol then rank = rank + 1 end end
  if rank == 0 then error("ml.LinearDiscriminantAnalysis.fit: the within-class scatter is zero (constant features)") end
  local scal = (Vt[{{1, rank}, {}}] / std).T / S[{{1, rank}}]
  local fac = K == 1 and 1.0 or 1.0 / (K - 1)
  local w = np.sqrt((np.array(priors) * n) * fac):reshape{-1, 1}
  local Xb = ((means - xbar) * w):matmul(scal)
  local _, S2, Vt2 = np.linalg.svd(Xb, {full_matrices = false})
  local s2 = S2 * S2
  local mc = self._max_components
  self.explained_variance_ratio_ = mc == 0 and np.zeros{0} or (s2 / s2:sum())[{{1, math.min(mc, s2.shape[1])}}]:copy()
  local rank2 = 0
  for i = 1, S2.shape[1] do if S2[i] > self.tol * S2[1] then rank2 = rank2 + 1 end end
  self.scalings_ = scal:matmul(Vt2[{{1, rank2}, {}}].T)
  local coef = (means - xbar):matmul(self.scalings_)
  local icpt = rowsum(coef * coef) * -0.5 + np.log(np.array(priors))
  self.coef_ = coef:matmul(self.scalings_.T)
  self.intercept_ = icpt - self.coef_:matmul(xbar:reshape{-1, 1}):reshape{-1}
end

local function intercept_of(means, coef, priors)
  return rowsum(means * coef) * -0.5 + np.log(np.array(priors))
end

local function solve_lsqr(self, X, rows, priors, means)
  self.covariance_ = class_cov(X, rows, priors, self.shrinkage, self.covariance_estimator)
  self.coef_ = np.linalg.lstsq(self.covariance_, means.T).T:copy()
  self.intercept_ = intercept_of(means, self.coef_, priors)
end

local function solve_eigen(self, X, rows, priors, means)
  local est = self.covariance_estimator
  local Sw = class_cov(X, rows, priors, self.shrinkage, est)
  self.covariance_ = Sw
  local Sb = cov(X, self.shrinkage, est) - Sw
  -- eigh(Sb, Sw) as LAPACK's sygvd: Sw = L L', eigh(L^-1 Sb L^-T), x = L^-T y
  local L = np.linalg.cholesky(Sw)
  local Li = np.linalg.inv(L)
  local C = Li:matmul(Sb):matmul(Li.T)
  C = (C + C.T) * 0.5
  local evals, Y = np.linalg.eigh(C)
  local V = Li.T:matmul(Y)
  local p = evals.shape[1]
  local ev = evals:totable()
  local tot = 0
  for i = 1, p do tot = tot + ev[i] end
  local order = {}
  for i = 1, p do order[i] = p + 1 - i end   -- eigh's ascending order reversed
  local ratio = {}
  for i = 1, math.min(self._max_components, p) do ratio[i] = ev[order[i]] / tot end
  self.explained_variance_ratio_ = #ratio > 0 and np.array(ratio) or np.zeros{0}
  self.scalings_ = V[{{}, np.array(order, "int64")}]
  self.coef_ = means:matmul(self.scalings_):matmul(self.scalings_.T)
  self.intercept_ = intercept_of(means, self.coef_, priors)
end

function LDA:fit(X, y)
  local fname = "ml.LinearDiscriminantAnalysis.fit"
  local Xa
  Xa, y = base.check_Xy(X, y, fname)
  local in32 = Xa.dtype == "float32"
  if in32 then Xa = Xa:astype("float64") end
  local n, p = Xa.shape[1], Xa.shape[2]
  if n < 2 then error(fname .. ": n_samples=1; at least 2 samples are required") end
  local classes, codes = base.encode_labels(y, fname)
  base.check_classes(classes, fname)
  local K = #classes
  if n == K then error(fname .. ": the number of samples must be more than the number of classes") end
  local solver = self.solver
  if solver ~= "svd" and solver ~= "lsqr" and solver ~= "eigen" then
    error(("%s: solver must be 'svd', 'lsqr' or 'eigen', got %s"):format(fname, base.repr(solver)))
  end
  local sh = self.shrinkage
  if sh ~= nil and sh ~= "auto" and not (type(sh) == "number" and sh >= 0 and sh <= 1) then
    error(("%s: shrinkage must be None, 'auto' or a number in [0, 1], got %s"):format(fname, base.repr(sh)))
  end
  if solver == "svd" and sh ~= nil then error(fname .. ": shrinkage is not supported with the 'svd' solver (use 'lsqr' or 'eigen')") end
  local est = self.covariance_estimator
  if est ~= nil then
    if solver == "svd" then
      error(fname .. ": covariance_estimator is not supported with the 'svd' solver (use 'lsqr' or 'eigen')")
    end
    if sh ~= nil and sh ~= 0 then
      error(fname .. ": covariance_estimator and shrinkage are both set; only one of the two can be")
    end
    if type(est) ~= "table" or type(est.fit) ~= "function" then
      error(("%s: covariance_estimator must be a covariance estimator (ml.LedoitWolf{}, ml.OAS{}, ...) with fit and covariance_, got %s"):format(
        fname, base.repr(est)))
    end
  end
  local rows = class_rows(codes, K)
  local priors = {}
  if self.priors == nil then
    for k = 1, K do priors[k] = rows[k].shape[1] / n end
  else
    local pa = base.to_array(self.priors, fname, "priors")
    if pa.ndim ~= 1 or pa.shape[1] ~= K then
      error(("%s: priors must have one value per class (%d), got %d"):format(fname, K, pa.size))
    end
    local s = 0
    for k = 1, K do
      priors[k] = pa[k]
      if priors[k] < 0 then error(fname .. ": priors must be non-negative") end
      s = s + priors[k]
    end
    if math.abs(s - 1.0) > 1e-5 then
      io.stderr:write(fname .. ": warning: the priors do not sum to 1; renormalizing\n")
      for k = 1, K do priors[k] = priors[k] / s end
    end
  end
  local maxc = math.min(K - 1, p)
  if self.n_components ~= nil then
    if math.type(self.n_components) ~= "integer" or self.n_components < 0 or self.n_components > maxc then
      error(("%s: n_components cannot be larger than min(n_features, n_classes - 1) = %d"):format(fname, maxc))
    end
    maxc = self.n_components
  end
  self._max_components = maxc
  self.classes_ = classes
  self.priors_ = np.array(priors)
  local mparts = {}
  for k = 1, K do mparts[k] = colmean(Xa[rows[k]]):reshape{1, -1} end
  local means = np.vstack(mparts)
  self.means_ = means
  if solver == "svd" then solve_svd(self, Xa, rows, priors, means)
  elseif solver == "lsqr" then solve_lsqr(self, Xa, rows, priors, means)
  else solve_eigen(self, Xa, rows, priors, means) end
  if K == 2 then
    self.coef_ = (self.coef_[{{2, 2}, {}}] - self.coef_[{{1, 1}, {}}]):copy()
    self.intercept_ = np.array{self.intercept_[2] - self.intercept_[1]}
  end
  if in32 then
    for _, k in ipairs{"coef_", "intercept_", "means_", "priors_", "scalings_", "xbar_", "covariance_",
                       "explained_variance_ratio_"} do
      if rawget(self, k) then self[k] = self[k]:astype("float32") end
    end
  end
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  return self
end

-- {==================================================================
-- predict, transform
-- ==================================================================}

function LDA:decision_function(X)
  X = base.fitted_X(self, X, "coef_", "ml.LinearDiscriminantAnalysis.decision_function")
  local d = X:matmul(self.coef_.T:astype(X.dtype)) + self.intercept_:astype(X.dtype)
  if #self.classes_ == 2 then return d:reshape{-1} end
  return d
end

function LDA:predict_proba(X)
  local d = self:decision_function(X)
  if #self.classes_ == 2 then
    local p = 1 / (1 + np.exp(-d))
    return np.column_stack{1 - p, p}
  end
  local t = d:totable()
  for i = 1, #t do
    local r, m, s = t[i], -math.huge, 0
    for j = 1, #r do if r[j] > m then m = r[j] end end
    for j = 1, #r do r[j] = math.exp(r[j] - m); s = s + r[j] end
    for j = 1, #r do r[j] = r[j] / s end
  end
  return np.array(t, d.dtype)
end

function LDA:predict_log_proba(X)
  local P = self:predict_proba(X)
  P[P:eq(0)] = 2.2250738585072014e-308   -- sklearn adds the smallest normal to zeros
  return np.log(P)
end

function LDA:predict(X)
  local d = self:decision_function(X)
  local codes = {}
  if #self.classes_ == 2 then
    local t = d:totable()
    for i = 1, #t do codes[i] = t[i] > 0 and 1 or 0 end
  else
    local t = d:totable()
    for i = 1, #t do
      local r, b = t[i], 1
      for j = 2, #r do if r[j] > r[b] then b = j end end
      codes[i] = b - 1
    end
  end
  local c = #codes > 0 and np.array(codes, "int64") or np.zeros({0}, "int64")
  return base.decode_labels(self.classes_, c)
end

function LDA:transform(X)
  local fname = "ml.LinearDiscriminantAnalysis.transform"
  if self.solver == "lsqr" then
    error(fname .. ": transform is not implemented for the 'lsqr' solver (use 'svd' or 'eigen')")
  end
  X = base.fitted_X(self, X, "scalings_", fname)
  local S = self.scalings_:astype(X.dtype)
  local Z
  if self.solver == "svd" then Z = (X - self.xbar_:astype(X.dtype)):matmul(S) else Z = X:matmul(S) end
  local k = math.min(self._max_components, Z.shape[2])
  if k == 0 then return np.zeros({Z.shape[1], 0}, Z.dtype) end
  return Z[{{}, {1, k}}]:copy()
end

function LDA:fit_transform(X, y) return self:fit(X, y):transform(X) end

return M
