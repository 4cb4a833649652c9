-- ml_naive_bayes.lua: Gaussian naive Bayes (sklearn.naive_bayes.GaussianNB).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}

local GaussianNB = base.estimator("GaussianNB", {priors = base.NONE, var_smoothing = 1e-9}, base.ClassifierMixin)
M.GaussianNB = GaussianNB

function GaussianNB:fit(X, y, sample_weight)
  local fname = "ml.GaussianNB.fit"
  local A, yy = base.check_Xy(X, y, fname)
  if sample_weight ~= nil then error(fname .. ": sample_weight is not implemented", 2) end
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  local D = A:astype("float64")
  local K, p = #classes, A.shape[2]
  self.epsilon_ = self.var_smoothing * D:var(0):max()
  local theta, var, counts = {}, {}, {}
  for k = 1, K do
    local Xk = D[codes:eq(k - 1)]
    theta[k] = Xk:mean(0):totable()
    var[k] = (Xk:var(0) + self.epsilon_):totable()
    counts[k] = Xk.shape[1]
  end
  self.theta_ = np.array(theta):reshape{K, p}
  self.var_ = np.array(var):reshape{K, p}
  self.class_count_ = np.array(counts, "float64")
  if self.priors then
    local pr = base.to_array(self.priors, fname, "priors"):astype("float64")
    if pr.size ~= K then error(fname .. ": number of priors must match number of classes", 2) end
    if math.abs(pr:sum() - 1) > 1e-8 then error(fname .. ": the sum of the priors should be 1", 2) end
    self.class_prior_ = pr
  else
    self.class_prior_ = self.class_count_ / self.class_count_:sum()
  end
  self.classes_ = classes
  self.n_features_in_ = p
  self.feature_names_in_ = base.feature_names(X)
  return self
end

-- Joint log likelihood (n x K).
function GaussianNB:_jll(X, fname)
  X = base.fitted_X(self, X, "theta_", fname)
  local D = X:astype("float64")
  local K = #self.classes_
  local cols = {}
  for k = 1, K do
    local th, v = self.theta_[k], self.var_[k]
    local nij = -0.5 * np.log(2 * math.pi * v):sum()
    local q = ((D - th) ^ 2 / v):sum(1)
    cols[k] = math.log(self.class_prior_[k]) + nij - 0.5 * q
  end
  return np.column_stack(cols)
end

function GaussianNB:predict_log_proba(X)
  local J = self:_jll(X, "ml.GaussianNB.predict_log_proba")
  local m = J:max{axis = 1, keepdims = true}
  local lse = np.log(np.exp(J - m):sum{axis = 1, keepdims = true}) + m
  return J - lse
end

function GaussianNB:predict_proba(X) return np.exp(self:predict_log_proba(X)) end

function GaussianNB:predict(X)
  local J = self:_jll(X, "ml.GaussianNB.predict")
  return base.decode_labels(self.classes_, J:argmax(1) - 1)
end

return M
