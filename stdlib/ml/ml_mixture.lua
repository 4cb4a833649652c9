-- ml_mixture.lua: ml.GaussianMixture (scikit-learn's sklearn.mixture), EM with
-- full, tied, diag or spherical covariances, k-means or random initialisation.
-- Written with array operations (matmul, cholesky); installed into the table
-- of ml_cluster.lua.
local np = require "geolab.array"
local base = require "geolab.ml_base"

return function(M)
  local GM = base.estimator("GaussianMixture", {n_components = 1, covariance_type = "full",
    tol = 1e-3, reg_covar = 1e-6, max_iter = 100, n_init = 1, init_params = "kmeans",
    weights_init = base.NONE, means_init = base.NONE, precisions_init = base.NONE,
    random_state = 0, warm_start = false, verbose = 0, verbose_interval = 10})

  local LOG2PI = math.log(2 * math.pi)
  local EPS = 2.220446049250313e-16

  local function logsumexp_rows(A)
    local m = A:max(1, {keepdims = true})
    m = np.where(m:eq(-math.huge), 0, m)
    return ((A - m):exp():sum(1, {keepdims = true})):log() + m
  end

  -- inverse of a lower-triangular L by solving L X = I
  local function prec_chol_of(cov, fname)
    local ok, L = pcall(np.linalg.cholesky, cov)
    if not ok then
      error(fname .. ": fitting the mixture model failed because some components have ill-defined " ..
        "empirical covariance (for instance caused by singleton or collapsed samples). " ..
        "Try to decrease the number of components, or increase reg_covar.", 4)
    end
    local d = cov.shape[1]
    return np.linalg.solve(L, np.eye(d)):transpose():copy()
  end

  local function estimate_params(X, resp, reg, ctype)
    local n, d = X.shape[1], X.shape[2]
    local nk = resp:sum(0) + 10 * EPS                       -- (k)
    local means = resp:transpose():matmul(X) / nk:reshape{-1, 1}   -- (k, d)
    local k = nk.shape[1]
    local cov
    if ctype == "full" then
      cov = {}
      for j = 1, k do
        local diff = X - means[j]
        local c = (diff * resp[{{}, {j, j}}]):transpose():matmul(diff) / nk[j]
        cov[j] = c + np.eye(d) * reg
      end
    elseif ctype == "tied" then
      local avgX2 = X:transpose():matmul(X)
      local avgM2 = (means * nk:reshape{-1, 1}):transpose():matmul(means)
      cov = (avgX2 - avgM2) / nk:sum() + np.eye(d) * reg
    else
      local avgX2 = resp:transpose():matmul(X * X) / nk:reshape{-1, 1}
      local avgXM = means * resp:transpose():matmul(X) / nk:reshape{-1, 1}
      cov = avgX2 - avgXM * 2 + means * means + reg
      if ctype == "spherical" then cov = cov:mean(1) end
    end
    return nk, means, cov
  end

  local function compute_prec_chol(cov, ctype, fname)
    if ctype == "full" then
      local P = {}
      for j, c in ipairs(cov) do P[j] = prec_chol_of(c, fname) end
      return P
    elseif ctype == "tied" then
      return prec_chol_of(cov, fname)
    end
    if cov:le(0):any() then
      error(fname .. ": fitting the mixture model failed because some components have ill-defined " ..
        "empirical covariance. Try to decrease the number of components, or increase reg_covar.", 3)
    end
    return 1 / cov:sqrt()
  end

  local function log_gauss(X, means, pc, ctype)
    local n, d = X.shape[1], X.shape[2]
    local k = means.shape[1]
    local lp, logdet
    if ctype == "full" or ctype == "tied" then
      lp = np.zeros{n, k}
      logdet = np.zeros{k}
      for j = 1, k do
        local P = ctype == "full" and pc[j] or pc
        local y = X:matmul(P) - means[j]:reshape{1, -1}:matmul(P)
        lp[{{}, j}] = (y * y):sum(1)
        local ld = 0
        for q = 1, d do ld = ld + math.log(P[{q, q}]) end
        logdet[j] = ld
      end
    elseif ctype == "diag" then
      local prec = pc * pc
      lp = (means * means * prec):sum(1):reshape{1, -1} - X:matmul((means * prec):transpose()) * 2
        + (X * X):matmul(prec:transpose())
      logdet = np.log(pc):sum(1)
    else
      local prec = pc * pc
      lp = (means * means):sum(1):reshape{1, -1} * prec:reshape{1, -1}
        - X:matmul(means:transpose()) * 2 * prec:reshape{1, -1}
        + (X * X):sum(1, {keepdims = true}) * prec:reshape{1, -1}
      logdet = np.log(pc) * d
    end
    return (lp + d * LOG2PI) * -0.5 + logdet:reshape{1, -1}
  end

  local function estep(self, X)
    local w = log_gauss(X, self.means_, self._pc, self.covariance_type) + np.log(self.weights_):reshape{1, -1}
    local norm = logsumexp_rows(w)
    return norm:mean(), w - norm, norm
  end

  local function set_params_from(self, nk, means, cov, n)
    self.weights_ = nk / n
    self.means_ = means
    self._cov = cov
    self._pc = compute_prec_chol(cov, self.covariance_type, self._fname)
  end

  local function n_parameters(self)
    local k, d = self.means_.shape[1], self.means_.shape[2]
    local c = ({full = k * d * (d + 1) / 2, diag = k * d, tied = d * (d + 1) / 2, spherical = k})[self.covariance_type]
    return math.tointeger(c + k * d + k - 1)
  end

  local function export(self)
    local ct, k = self.covariance_type, self.means_.shape[1]
    local d = self.means_.shape[2]
    if ct == "full" then
      local C, P, Pc = np.zeros{k, d, d}, np.zeros{k, d, d}, np.zeros{k, d, d}
      for j = 1, k do
        C[j] = self._cov[j]; Pc[j] = self._pc[j]
        P[j] = self._pc[j]:matmul(self._pc[j]:transpose())
      end
      self.covariances_, self.precisions_cholesky_, self.precisions_ = C, Pc, P
    elseif ct == "tied" then
      self.covariances_, self.precisions_cholesky_ = self._cov, self._pc
      self.precisions_ = self._pc:matmul(self._pc:transpose())
    else
      self.covariances_, self.precisions_cholesky_ = self._cov, self._pc
      self.precisions_ = self._pc * self._pc
    end
  end

  function GM:fit(X, y)
    local fn = self._fname
    X = base.check_X(X, fn, {dtype = "float64"})
    local n, d = X.shape[1], X.shape[2]
    local k = self.n_components
    if math.type(k) ~= "integer" or k < 1 then error(fn .. ": n_components must be a positive integer", 2) end
    if n < k then error(("%s: Expected n_samples >= n_components but got n_components = %d, n_samples = %d"):format(fn, k, n), 2) end
    local ct = self.covariance_type
    if not ({full = 1, tied = 1, diag = 1, spherical = 1})[ct] then
      error(fn .. ": covariance_type must be 'full', 'tied', 'diag' or 'spherical', got " .. tostring(ct), 2)
    end
    local rng = base.rng(self.random_state)
    local best, best_lb = nil, -math.huge
    for init = 1, self.n_init do
      -- initial responsibilities
      local resp
      if self.init_params == "kmeans" then
        local km = M.KMeans{n_clusters = k, n_init = 1, random_state = rng:integers(0, 2147483647)}:fit(X)
        resp = np.zeros{n, k}
        local lab = km.labels_
        for j = 1, k do resp[{{}, j}] = lab:eq(j):astype("float64") end
      elseif self.init_params == "random" then
        resp = rng:uniform(0, 1, {n, k})
        resp = resp / resp:sum(1, {keepdims = true})
      elseif self.init_params == "random_from_data" or self.init_params == "k-means++" then
        local rows = rng:permutation(n)[{{1, k}}]
        resp = np.zeros{n, k}
        local rt = rows:totable()
        for j = 1, k do resp[{rt[j], j}] = 1 end
      else
        error(fn .. ": init_params must be 'kmeans', 'random', 'random_from_data' or 'k-means++'", 2)
      end
      local nk, means, cov = estimate_params(X, resp, self.reg_covar, ct)
      set_params_from(self, nk, means, cov, n)
      if self.weights_init then self.weights_ = np.array(self.weights_init, "float64") end
      if self.means_init then self.means_ = np.array(self.means_init, "float64") end
      if self.precisions_init then
        local P = np.array(self.precisions_init, "float64")
        if ct == "full" then
          self._pc = {}
          for j = 1, k do
            local L = np.linalg.cholesky(P[j])
            self._pc[j] = L
          end
        elseif ct == "tied" then self._pc = np.linalg.cholesky(P)
        else self._pc = P:sqrt() end
      end
      local lb, converged, it = -math.huge, false, 0
      for i = 1, self.max_iter do
        it = i
        local prev = lb
        local ll, log_resp = estep(self, X)
        local r = log_resp:exp()
        nk, means, cov = estimate_params(X, r, self.reg_covar, ct)
        self.weights_ = nk / nk:sum()
        self.means_ = means
        self._cov = cov
        self._pc = compute_prec_chol(cov, ct, fn)
        lb = ll
        if math.abs(lb - prev) < self.tol then converged = true; break end
      end
      if lb > best_lb or best == nil then
        best_lb = lb
        best = {weights = self.weights_, means = self.means_, cov = self._cov, pc = self._pc,
                converged = converged, n_iter = it}
      end
    end
    self.weights_, self.means_, self._cov, self._pc = best.weights, best.means, best.cov, best.pc
    self.converged_, self.n_iter_, self.lower_bound_ = best.converged, best.n_iter, best_lb
    self.n_features_in_ = d
    export(self)
    return self
  end

  local function checked(self, X, what)
    base.check_is_fitted(self, "means_", self._fname .. "." .. what)
    X = base.check_X(X, self._fname, {dtype = "float64"})
    base.check_n_features(self, X, self._fname)
    return X
  end

  function GM:score_samples(X)
    X = checked(self, X, "score_samples")
    local _, _, norm = estep(self, X)
    return norm:reshape{-1}
  end
  function GM:score(X) return self:score_samples(X):mean() end
  function GM:predict_proba(X)
    X = checked(self, X, "predict_proba")
    local _, lr = estep(self, X)
    return lr:exp()
  end
  function GM:predict(X)
    X = checked(self, X, "predict")
    local _, lr = estep(self, X)
    return lr:argmax(1)
  end
  function GM:fit_predict(X, y) return self:fit(X, y):predict(X) end
  function GM:bic(X)
    X = checked(self, X, "bic")
    return -2 * self:score(X) * X.shape[1] + n_parameters(self) * math.log(X.shape[1])
  end
  function GM:aic(X)
    X = checked(self, X, "aic")
    return -2 * self:score(X) * X.shape[1] + 2 * n_parameters(self)
  end
  -- gm:sample(n) -> X (n, d), component labels (1-based)
  function GM:sample(n)
    base.check_is_fitted(self, "means_", self._fname .. ".sample")
    n = n or 1
    if math.type(n) ~= "integer" or n < 1 then error(self._fname .. ".sample: n_samples must be >= 1", 2) end
    local rng = base.rng(self.random_state)
    local k, d = self.means_.shape[1], self.means_.shape[2]
    local counts = nil
    local ct = counts and counts:totable()
    if not ct then
      ct = {}
      for j = 1, k do ct[j] = 0 end
      local u = rng:uniform(0, 1, {n}):totable()
      local cw = np.cumsum(self.weights_):totable()
      for _, v in ipairs(u) do
        local j = 1
        while j < k and v > cw[j] do j = j + 1 end
        ct[j] = ct[j] + 1
      end
    end
    local Xs, ys = {}, {}
    for j = 1, k do
      if ct[j] > 0 then
        local Z = rng:normal(0, 1, {ct[j], d})
        local L
        if self.covariance_type == "full" then L = np.linalg.cholesky(self.covariances_[j])
        elseif self.covariance_type == "tied" then L = np.linalg.cholesky(self.covariances_)
        elseif self.covariance_type == "diag" then L = np.eye(d) * self.covariances_[j]:sqrt():reshape{1, -1}
        else L = np.eye(d) * math.sqrt(self.covariances_[j]) end
        Xs[#Xs + 1] = Z:matmul(L:transpose()) + self.means_[j]
        ys[#ys + 1] = np.full({ct[j]}, j, {dtype = "int64"})
      end
    end
    return np.concatenate(Xs), np.concatenate(ys)
  end

  M.GaussianMixture = GM
end
