-- ml_covariance.lua: covariance estimators (sklearn.covariance):
-- EmpiricalCovariance, ShrunkCovariance, LedoitWolf and OAS, with
-- scikit-learn 1.2's formulas, so that covariance_, shrinkage_ and precision_
-- agree with it. They are also what LinearDiscriminantAnalysis takes as
-- covariance_estimator. Computed in float64.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}

-- {==================================================================
-- The formulas (sklearn/covariance/_empirical_covariance.py, _shrunk_covariance.py)
-- ==================================================================}

-- Reductions as products with ones, as ml_lda.lua: no axis spelling involved.
local function colsum(A) return np.ones{1, A.shape[1]}:matmul(A):reshape{-1} end
local function colmean(A) return colsum(A) / A.shape[1] end

local function trace(S)
  local t = 0
  for i = 1, S.shape[1] do t = t + S[{i, i}] end
  return t
end

-- empirical_covariance(X, assume_centered): X'X / n, centred first unless assumed.
local function empirical(X, centered)
  if not centered then X = X - colmean(X) end
  return X.T:matmul(X) / X.shape[1]
end
M._empirical = empirical

-- shrunk_covariance: (1 - s) S + s mu I, mu = trace(S) / p.
local function shrink(S, s)
  local p = S.shape[1]
  local mu = trace(S) / p
  local out = S * (1.0 - s)
  for i = 1, p do out[{i, i}] = out[{i, i}] + s * mu end
  return out
end
M._shrink = shrink

-- ledoit_wolf_shrinkage(X, assume_centered) (one block: p < 1000 features).
local function ledoit_wolf_shrinkage(X, centered)
  local n, p = X.shape[1], X.shape[2]
  if p == 1 then return 0.0 end
  if not centered then X = X - colmean(X) end
  local X2 = X * X
  local tr = colsum(X2) / n
  local mu = tr:sum() / p
  local beta_ = X2.T:matmul(X2):sum()
  local XtX = X.T:matmul(X)
  local delta_ = (XtX * XtX):sum() / (n * n)
  local beta = 1.0 / (p * n) * (beta_ / n - delta_)
  local delta = (delta_ - 2.0 * mu * tr:sum() + p * mu ^ 2) / p
  beta = math.min(beta, delta)
  return beta == 0 and 0 or beta / delta
end
M._ledoit_wolf_shrinkage = ledoit_wolf_shrinkage

-- oas(X, assume_centered): the shrinkage of Chen et al.'s implementation, as
-- scikit-learn 1.2 computes it.
local function oas(X, centered)
  local n, p = X.shape[1], X.shape[2]
  if p == 1 then
    if not centered then X = X - colmean(X) end
    return np.array{{(X * X):mean()}}, 0.0
  end
  local S = empirical(X, centered)
  local mu = trace(S) / p
  local alpha = (S * S):mean()
  local num = alpha + mu ^ 2
  local den = (n + 1.0) * (alpha - mu ^ 2 / p)
  local s = den == 0 and 1.0 or math.min(num / den, 1.0)
  return shrink(S, s), s
end

-- {==================================================================
-- The estimators
-- ==================================================================}

local common = {}

-- fit(X): location_ (the mean, or zeros with assume_centered), then the
-- estimator's covariance of the centred data, and precision_ (a pseudo-inverse).
local function define(name, defaults, estimate)
  local C = base.estimator(name, defaults)
  M[name] = C
  C.fit = function(self, X)
    local fname = "ml." .. name .. ".fit"
    if self.assume_centered ~= true and self.assume_centered ~= false then
      error(("%s: assume_centered must be true or false, got %s"):format(fname, base.repr(self.assume_centered)))
    end
    local A = base.check_X(X, fname, {dtype = "float64"})
    if A.shape[1] < 2 and not self.assume_centered then
      io.stderr:write(fname .. ": warning: only one sample available\n")
    end
    local p = A.shape[2]
    self.location_ = self.assume_centered and np.zeros{p} or colmean(A)
    local S, s = estimate(self, A - self.location_, fname)
    self.covariance_ = S
    if s ~= nil then self.shrinkage_ = s end
    if self.store_precision ~= false then self.precision_ = np.linalg.pinv(S)
    else self.precision_ = nil end
    self.n_features_in_ = p
    self.feature_names_in_ = base.feature_names(X)
    return self
  end
  for k, f in pairs(common) do C[k] = f end
  return C
end

-- get_precision(): precision_, or the pseudo-inverse when it was not stored.
function common.get_precision(self)
  base.check_is_fitted(self, "covariance_", "ml." .. getmetatable(self)._name .. ".get_precision")
  return rawget(self, "precision_") or np.linalg.pinv(self.covariance_)
end

-- mahalanobis(X): squared Mahalanobis distances of the rows to location_.
function common.mahalanobis(self, X)
  local fname = "ml." .. getmetatable(self)._name .. ".mahalanobis"
  local A = base.fitted_X(self, X, "covariance_", fname, {dtype = "float64"})
  local D = A - self.location_
  return (D:matmul(self:get_precision()) * D):matmul(np.ones{A.shape[2], 1}):reshape{-1}
end

-- score(X): mean log-likelihood of X under the fitted Gaussian (sklearn's
-- log_likelihood of the empirical covariance of X about location_).
function common.score(self, X)
  local fname = "ml." .. getmetatable(self)._name .. ".score"
  local A = base.fitted_X(self, X, "covariance_", fname, {dtype = "float64"})
  local S = empirical(A - self.location_, true)
  local P = self:get_precision()
  local sign, logdet = np.linalg.slogdet(P)
  if sign <= 0 then logdet = -math.huge end   -- sklearn's fast_logdet
  local p = A.shape[2]
  return -((S * P):sum() - logdet + p * math.log(2 * math.pi)) / 2
end

-- error_norm(comp_cov, {norm = "frobenius", scaling = true, squared = true})
function common.error_norm(self, comp, opts)
  local fname = "ml." .. getmetatable(self)._name .. ".error_norm"
  base.check_is_fitted(self, "covariance_", fname)
  opts = opts or {}
  base.check_options(opts, {"norm", "scaling", "squared"}, fname)
  local E = base.to_array(comp, fname, "comp_cov"):astype("float64") - self.covariance_
  local r
  local norm = opts.norm or "frobenius"
  if norm == "frobenius" then r = (E * E):sum()
  elseif norm == "spectral" then
    local _, sv = np.linalg.svd(E:matmul(E.T), {full_matrices = false})
    r = math.sqrt(sv:max())
  else error(fname .. ": only spectral and frobenius norms are implemented") end
  if opts.scaling ~= false then r = r / E.shape[1] end
  if opts.squared == false then r = math.sqrt(r) end
  return r
end

-- EmpiricalCovariance{store_precision=true, assume_centered=false}
define("EmpiricalCovariance", {store_precision = true, assume_centered = false}, function(_, X)
  return empirical(X, true)
end)

-- ShrunkCovariance{shrinkage=0.1, store_precision=true, assume_centered=false}
define("ShrunkCovariance", {store_precision = true, assume_centered = false, shrinkage = 0.1}, function(self, X, fname)
  local s = self.shrinkage
  if type(s) ~= "number" or s < 0 or s > 1 then
    error(("%s: shrinkage must be a number in [0, 1], got %s"):format(fname, base.repr(s)))
  end
  return shrink(empirical(X, true), s)
end)

-- LedoitWolf{store_precision=true, assume_centered=false, block_size=1000}
define("LedoitWolf", {store_precision = true, assume_centered = false, block_size = 1000}, function(self, X, fname)
  if math.type(self.block_size) ~= "integer" or self.block_size < 1 then
    error(("%s: block_size must be a positive integer, got %s"):format(fname, base.repr(self.block_size)))
  end
  if X.shape[2] == 1 then return np.array{{(X * X):mean()}}, 0.0 end
  local s = ledoit_wolf_shrinkage(X, true)
  return shrink(empirical(X, true), s), s
end)

-- OAS{store_precision=true, assume_centered=false}
define("OAS", {store_precision = true, assume_centered = false}, function(_, X)
  return oas(X, true)
end)

return M
