-- ml_decomposition.lua: ml.PCA (scikit-learn's sklearn.decomposition.PCA,
-- exact SVD with scikit-learn's sign convention) and ml.TSNE (exact t-SNE for
-- 2-D views of small feature spaces).
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}

-- {===== PCA

local PCA = base.estimator("PCA", {n_components = base.NONE, copy = true, whiten = false,
  svd_solver = "auto", tol = 0.0, iterated_power = "auto", n_oversamples = 10,
  power_iteration_normalizer = "auto", random_state = 0})

-- svd_flip (u-based): the largest |u| of each column made positive
local function svd_flip(U, Vt)
  local k = Vt.shape[1]
  local idx = U:abs():argmax(0)
  local it = idx:totable()
  for j = 1, k do
    local v = U[{it[j], j}]
    if v < 0 then
      U[{{}, j}] = -U[{{}, j}]
      Vt[j] = -Vt[j]
    end
  end
  return U, Vt
end

function PCA:fit(X, y)
  local fn = self._fname
  local dt = (type(X) == "userdata" and X.dtype == "float32") and "float32" or "float64"
  X = base.check_X(X, fn, {dtype = "float64"})
  local n, d = X.shape[1], X.shape[2]
  if n < 2 then error(fn .. ": PCA needs at least 2 samples", 2) end
  local mean = X:mean(0)
  local Xc = X - mean
  local U, S, Vt = np.linalg.svd(Xc, {full_matrices = false})
  U, Vt = svd_flip(U:copy(), Vt:copy())
  local ev = S * S / (n - 1)
  local total = ev:sum()
  local ratio = ev / total
  local kmax = math.min(n, d)
  local k = self.n_components
  if k == nil then k = kmax
  elseif math.type(k) == "integer" then
    if k < 0 or k > kmax then
      error(("%s: n_components=%d must be between 0 and min(n_samples, n_features)=%d"):format(fn, k, kmax), 2)
    end
  elseif type(k) == "number" and k > 0 and k < 1 then
    local cum, t = 0, ratio:totable()
    local kk = #t
    for i = 1, #t do cum = cum + t[i]; if cum >= k - 1e-15 then kk = i; break end end
    k = kk
  else
    error(fn .. ": n_components must be an integer, a fraction in (0, 1) or nil, got " .. tostring(k), 2)
  end
  self.mean_ = mean
  self.components_ = Vt[{{1, k}}]:copy()
  self.explained_variance_ = ev[{{1, k}}]:copy()
  self.explained_variance_ratio_ = ratio[{{1, k}}]:copy()
  self.singular_values_ = S[{{1, k}}]:copy()
  self.noise_variance_ = (k < kmax) and ev[{{k + 1, kmax}}]:mean() or 0.0
  self.n_components_ = k
  self.n_features_in_, self.n_samples_ = d, n
  self._U = U[{{}, {1, k}}]
  if dt == "float32" then   -- float32 in, float32 out (computed in float64)
    for _, f in ipairs{"mean_", "components_", "explained_variance_", "explained_variance_ratio_", "singular_values_"} do
      self[f] = self[f]:astype("float32")
    end
  end
  self._dtype = dt
  return self
end

function PCA:transform(X)
  base.check_is_fitted(self, "components_", self._fname .. ".transform")
  X = base.check_X(X, self._fname, {dtype = "float64"})
  base.check_n_features(self, X, self._fname)
  local T = (X - self.mean_:astype("float64")):matmul(self.components_:astype("float64"):transpose())
  if self.whiten then T = T / self.explained_variance_:astype("float64"):sqrt() end
  return T:astype(self._dtype)
end

function PCA:fit_transform(X, y)
  return self:fit(X, y):transform(X)
end

function PCA:inverse_transform(T)
  base.check_is_fitted(self, "components_", self._fname .. ".inverse_transform")
  T = np.asarray(T):astype("float64")
  if self.whiten then
    return T:matmul(self.components_ * self.explained_variance_:sqrt():reshape{-1, 1}) + self.mean_
  end
  return T:matmul(self.components_) + self.mean_
end

function PCA:get_covariance()
  base.check_is_fitted(self, "components_", self._fname .. ".get_covariance")
  local C = self.components_
  local ev = self.explained_variance_
  if self.whiten then C = C * ev:sqrt():reshape{-1, 1} end
  local diff = ev - self.noise_variance_
  diff = np.where(diff:lt(0), 0, diff)
  local cov = (C:transpose() * diff):matmul(C)
  return cov + np.eye(C.shape[2]) * self.noise_variance_
end

function PCA:score_samples(X)
  X = base.check_X(X, self._fname, {dtype = "float64"})
  local Xc = X - self.mean_
  local P = np.linalg.inv(self:get_covariance())
  local d = X.shape[2]
  local _, logdet = np.linalg.slogdet(P)
  return ((Xc:matmul(P) * Xc):sum(1) * -0.5) - 0.5 * (d * math.log(2 * math.pi) - logdet)
end
function PCA:score(X) return self:score_samples(X):mean() end

M.PCA = PCA

-- }=====

if package.preload["geolab.ml_tsne"] then require("geolab.ml_tsne")(M) end

return M
