-- ml_linear.lua: linear models (sklearn.linear_model): LinearRegression and
-- Ridge (LAPACK least squares / Cholesky), Lasso and ElasticNet (coordinate
-- descent in C), LogisticRegression (Newton's method with a line search on
-- scikit-learn's objective), HuberRegressor (L-BFGS) and RANSACRegressor.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"

local M = {}
local R, Cm = base.RegressorMixin, base.ClassifierMixin

-- Centres X and y (fit_intercept): returns Xc, yc, X_offset, y_offset.
-- Finite data near the float64 limit (1e308) can overflow in the means or
-- the centering; say so rather than let lstsq report "infs or NaNs" in
-- data that has none.
local function center(X, y, fit_intercept, fname)
  if not fit_intercept then
    return X, y, np.zeros({X.shape[2]}, X.dtype), 0
  end
  local xo, yo = X:mean(0), y:mean()
  local Xc, yc = X - xo, y - yo
  if fname and not (Xc:isfinite():all() and yc:isfinite():all()) then
    error(fname .. ": X or y holds finite values too large for float64 arithmetic (their means or "
      .. "differences overflow, near 1e308); rescale the data first")
  end
  return Xc, yc, xo, yo
end

-- np.linalg.f(...) for a fit of finite data: an overflow inside (the Gram
-- matrix of values near 1e308) is reported as such, not as lstsq's or
-- solve's "infs or NaNs" in data that has none.
local function linalg(fname, f, ...)
  local r = table.pack(pcall(np.linalg[f], ...))
  if r[1] then return table.unpack(r, 2, r.n) end
  if type(r[2]) == "string" and r[2]:find("infs or NaNs", 1, true) then
    error(fname .. ": X or y holds finite values too large for float64 arithmetic (their products "
      .. "overflow, near 1e308); rescale the data first")
  end
  error(r[2], 0)
end

local function predict_linear(self, X, fname)
  X = base.fitted_X(self, X, "coef_", fname)
  local coef = self.coef_
  if coef.dtype ~= X.dtype then coef = coef:astype(X.dtype) end
  if coef.ndim == 1 then return X:matmul(coef) + self.intercept_ end
  return X:matmul(coef.T) + self.intercept_
end

local function fit_start(self, X, y, fname)
  local A, yy = base.check_Xy(X, y, fname)
  yy = base.check_y(yy, fname, {dtype = A.dtype})
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  return A, yy
end

-- {==================================================================
-- LinearRegression
-- ==================================================================}

local LinearRegression = base.estimator("LinearRegression", {fit_intercept = true, copy_X = true,
  n_jobs = base.NONE, positive = false}, R)
M.LinearRegression = LinearRegression

function LinearRegression:fit(X, y)
  local fname = "ml.LinearRegression.fit"
  local A, yy = fit_start(self, X, y, fname)
  local n, p = A.shape[1], A.shape[2]
  if not self.positive and A.dtype == "float64" and yy.ndim == 1 and n > p and p > 0 then
    -- centring and QR in C (kernels/ml/ml_linreg.c): scipy's lstsq answer, cheaper
    local coef, rank, sv, xo, yo = core.linreg(A, yy, self.fit_intercept)
    self.coef_, self.rank_, self.singular_ = coef, rank, sv
    self.intercept_ = self.fit_intercept and (yo - (xo * coef):sum()) or 0.0
    return self
  end
  local Xc, yc, xo, yo = center(A, yy, self.fit_intercept, fname)
  if self.positive then
    -- non-negative least squares by coordinate descent with no penalty
    local w = core.enet_cd(Xc, yc, np.zeros{A.shape[2]}, 0.0, 0.0, 100000, 1e-12, true)
    self.coef_ = w:astype(A.dtype)
  else
    local coef, _, rank, sv = linalg(fname, "lstsq", Xc, yc)
    self.coef_, self.rank_, self.singular_ = coef, rank, sv
  end
  self.intercept_ = self.fit_intercept and (yo - (xo * self.coef_):sum()) or 0.0
  return self
end

function LinearRegression:predict(X) return predict_linear(self, X, "ml.LinearRegression.predict") end

-- {==================================================================
-- Ridge
-- ==================================================================}

local Ridge = base.estimator("Ridge", {alpha = 1.0, fit_intercept = true, copy_X = true,
  max_iter = base.NONE, tol = 1e-4, solver = "auto", positive = false, random_state = base.NONE}, R)
M.Ridge = Ridge

function Ridge:fit(X, y)
  local fname = "ml.Ridge.fit"
  local A, yy = fit_start(self, X, y, fname)
  if type(self.alpha) ~= "number" or self.alpha < 0 then error(fname .. ": alpha must be a number >= 0", 2) end
  local Xc, yc, xo, yo = center(A, yy, self.fit_intercept, fname)
  local n, p = A.shape[1], A.shape[2]
  if p > n then   -- kernel form: w = Xc^T (Xc Xc^T + alpha I)^-1 y
    local K = Xc:matmul(Xc.T) + np.eye(n, {dtype = A.dtype}) * self.alpha
    self.coef_ = Xc.T:matmul(linalg(fname, "solve", K, yc))
  else
    local G = Xc.T:matmul(Xc) + np.eye(p, {dtype = A.dtype}) * self.alpha
    self.coef_ = linalg(fname, "solve", G, Xc.T:matmul(yc))
  end
  self.intercept_ = self.fit_intercept and (yo - (xo * self.coef_):sum()) or 0.0
  return self
end

function Ridge:predict(X) return predict_linear(self, X, "ml.Ridge.predict") end

-- {==================================================================
-- Lasso and ElasticNet
-- ==================================================================}

local enet_defaults = {alpha = 1.0, fit_intercept = true, precompute = false, copy_X = true,
  max_iter = 1000, tol = 1e-4, warm_start = false, positive = false, random_state = base.NONE,
  selection = "cyclic"}

local function enet_fit(self, X, y, l1_ratio, fname)
  local A, yy = fit_start(self, X, y, fname)
  if type(self.alpha) ~= "number" or self.alpha < 0 then error(fname .. ": alpha must be a number >= 0", 3) end
  if self.selection ~= "cyclic" then error(fname .. ": only selection='cyclic' is implemented", 3) end
  local Xc, yc, xo, yo = center(A:astype("float64"), yy:astype("float64"), self.fit_intercept, fname)
  local n, p = A.shape[1], A.shape[2]
  local w0 = (self.warm_start and self.coef_) and self.coef_:astype("float64") or np.zeros{p}
  local w, gap, it = core.enet_cd(Xc, yc, w0, self.alpha * l1_ratio * n,
    self.alpha * (1 - l1_ratio) * n, self.max_iter, self.tol, self.positive)
  self.coef_ = w:astype(A.dtype)
  self.dual_gap_ = gap / n
  self.n_iter_ = it
  self.intercept_ = self.fit_intercept and (yo - (xo * w):sum()) or 0.0
  return self
end

local Lasso = base.estimator("Lasso", enet_defaults, R)
M.Lasso = Lasso
function Lasso:fit(X, y) return enet_fit(self, X, y, 1.0, "ml.Lasso.fit") end
function Lasso:predict(X) return predict_linear(self, X, "ml.Lasso.predict") end

local en_defaults = {}
for k, v in pairs(enet_defaults) do en_defaults[k] = v end
en_defaults.l1_ratio = 0.5
local ElasticNet = base.estimator("ElasticNet", en_defaults, R)
M.ElasticNet = ElasticNet
function ElasticNet:fit(X, y)
  if type(self.l1_ratio) ~= "number" or self.l1_ratio < 0 or self.l1_ratio > 1 then
    error("ml.ElasticNet.fit: l1_ratio must be in [0, 1]", 2)
  end
  return enet_fit(self, X, y, self.l1_ratio, "ml.ElasticNet.fit")
end
function ElasticNet:predict(X) return predict_linear(self, X, "ml.ElasticNet.predict") end

-- {==================================================================
-- L-BFGS on Lua vectors (small problems: Huber)
-- ==================================================================}

-- Minimises f(x) (returns value, gradient list) from x0; returns x, f, iterations.
local function lbfgs(f, x0, opts)
  local m, maxit, gtol = opts.m or 10, opts.max_iter or 1000, opts.gtol or 1e-10
  local n = #x0
  local x = {}
  for i = 1, n do x[i] = x0[i] end
  local fx, g = f(x)
  local S, Y, RHO = {}, {}, {}
  local it = 0
  local function dotv(a, b) local s = 0; for i = 1, n do s = s + a[i] * b[i] end; return s end
  local function gnorm(v) local s = 0; for i = 1, n do s = math.max(s, math.abs(v[i])) end; return s end
  while it < maxit and gnorm(g) > gtol do
    it = it + 1
    -- two-loop recursion
    local q, alpha = {}, {}
    for i = 1, n do q[i] = g[i] end
    for k = #S, 1, -1 do
      alpha[k] = RHO[k] * dotv(S[k], q)
      for i = 1, n do q[i] = q[i] - alpha[k] * Y[k][i] end
    end
    local gamma = #S > 0 and dotv(S[#S], Y[#S]) / dotv(Y[#S], Y[#S]) or 1 / math.max(gnorm(g), 1)
    for i = 1, n do q[i] = q[i] * gamma end
    for k = 1, #S do
      local b = RHO[k] * dotv(Y[k], q)
      for i = 1, n do q[i] = q[i] + S[k][i] * (alpha[k] - b) end
    end
    local d = {}
    for i = 1, n do d[i] = -q[i] end
    local gd = dotv(g, d)
    if gd >= 0 then for i = 1, n do d[i] = -g[i] end; gd = dotv(g, d); S, Y, RHO = {}, {}, {} end
    -- backtracking (Armijo) line search
    local t, xn, fn, gn = 1.0
    for _ = 1, 60 do
      xn = {}
      for i = 1, n do xn[i] = x[i] + t * d[i] end
      fn, gn = f(xn)
      if fn == fn and fn <= fx + 1e-4 * t * gd then break end
      t = t * 0.5
    end
    if not (fn <= fx) then break end
    local s, yv = {}, {}
    for i = 1, n do s[i] = xn[i] - x[i]; yv[i] = gn[i] - g[i] end
    local sy = dotv(s, yv)
    if sy > 1e-300 then
      S[#S + 1], Y[#Y + 1], RHO[#RHO + 1] = s, yv, 1 / sy
      if #S > m then table.remove(S, 1); table.remove(Y, 1); table.remove(RHO, 1) end
    end
    local df = fx - fn
    x, fx, g = xn, fn, gn
    if df <= 1e-16 * math.max(math.abs(fx), 1) and gnorm(g) < 1e-7 then break end
  end
  return x, fx, it
end
M._lbfgs = lbfgs

-- {==================================================================
-- HuberRegressor
-- ==================================================================}

local HuberRegressor = base.estimator("HuberRegressor", {epsilon = 1.35, max_iter = 100, alpha = 0.0001,
  warm_start = false, fit_intercept = true, tol = 1e-05}, R)
M.HuberRegressor = HuberRegressor

function HuberRegressor:fit(X, y)
  local fname = "ml.HuberRegressor.fit"
  local A, yy = fit_start(self, X, y, fname)
  if self.epsilon < 1 then error(fname .. ": epsilon must be >= 1.0", 2) end
  local D, yd = A:astype("float64"), yy:astype("float64")
  local n, p = D.shape[1], D.shape[2]
  local eps, alpha, fi = self.epsilon, self.alpha, self.fit_intercept
  -- parameters: coef (p), intercept (if fit_intercept), log(sigma)
  local function f(x)
    local w = np.array({table.unpack(x, 1, p)})
    local c = fi and x[p + 1] or 0
    local s = x[#x]
    local sigma = math.exp(s)
    local r = yd - D:matmul(w) - c                   -- residuals
    local ar = r:abs()
    local out = ar:gt(eps * sigma)
    local inl = ~out
    local r_in = r * inl:astype("float64")
    local nout = out:sum()
    local sq = (r_in * r_in):sum()
    local loss = n * sigma + sq / sigma + (2 * eps * (ar * out:astype("float64")):sum() - sigma * eps * eps * nout)
      + alpha * (w * w):sum()
    -- gradients
    local sgn_out = np.sign(r) * out:astype("float64")
    local gr = -2 / sigma * r_in - 2 * eps * sgn_out         -- d loss / d (X w + c) per sample
    local gw = D.T:matmul(gr) + 2 * alpha * w
    local g = gw:totable()
    if fi then g[#g + 1] = gr:sum() end
    local dsigma = n - sq / (sigma * sigma) - eps * eps * nout
    g[#g + 1] = dsigma * sigma
    return loss, g
  end
  local x0 = {}
  for i = 1, p do x0[i] = 0 end
  if fi then x0[p + 1] = 0 end
  x0[#x0 + 1] = 0
  local x, _, it = lbfgs(f, x0, {max_iter = math.max(self.max_iter, 1000) * 10, gtol = 1e-11})
  self.coef_ = np.array({table.unpack(x, 1, p)}):astype(A.dtype)
  self.intercept_ = fi and x[p + 1] or 0.0
  self.scale_ = math.exp(x[#x])
  self.n_iter_ = it
  local resid = (yd - D:matmul(self.coef_:astype("float64")) - self.intercept_):abs()
  self.outliers_ = resid:gt(self.scale_ * eps)
  return self
end

function HuberRegressor:predict(X) return predict_linear(self, X, "ml.HuberRegressor.predict") end

-- {==================================================================
-- RANSACRegressor
-- ==================================================================}

local RANSACRegressor = base.estimator("RANSACRegressor", {estimator = base.NONE, min_samples = base.NONE,
  residual_threshold = base.NONE, is_data_valid = base.NONE, is_model_valid = base.NONE, max_trials = 100,
  max_skips = math.huge, stop_n_inliers = math.huge, stop_score = math.huge, stop_probability = 0.99,
  loss = "absolute_error", random_state = base.NONE}, R)
M.RANSACRegressor = RANSACRegressor

-- k of n rows (1-based), drawn as sklearn's sample_without_replacement.
local function sample_without_replacement(n, k, rs)
  local out = base.sample_without_replacement(rs, n, k)
  for i = 1, #out do out[i] = out[i] + 1 end
  return np.array(out, "int64")
end

local function dynamic_max_trials(n_inliers, n_samples, min_samples, probability)
  local EPS = 2.220446049250313e-16
  local ratio = n_inliers / n_samples
  local nom = math.max(EPS, 1 - probability)
  local denom = math.max(EPS, 1 - ratio ^ min_samples)
  if nom == 1 then return 0 end
  if denom == 1 then return math.huge end
  return math.abs(math.ceil(math.log(nom) / math.log(denom)))
end

function RANSACRegressor:fit(X, y)
  local fname = "ml.RANSACRegressor.fit"
  local A, yy = fit_start(self, X, y, fname)
  local n = A.shape[1]
  local est = self.estimator and base.clone(self.estimator) or LinearRegression()
  local ms = self.min_samples
  if ms == nil then ms = A.shape[2] + 1
  elseif ms > 0 and ms < 1 then ms = math.ceil(ms * n)
  elseif ms >= 1 and ms == math.floor(ms) then ms = math.tointeger(ms)
  else error(fname .. ": min_samples must be a fraction in (0, 1) or an integer >= 1", 2) end
  if ms > n then
    error(("%s: min_samples (%d) may not be larger than the number of samples (%d)"):format(fname, ms, n), 2)
  end
  local thr = self.residual_threshold
  if thr == nil then thr = np.median((yy - np.median(yy)):abs()) end
  local lossf
  if self.loss == "absolute_error" then lossf = function(a, b) return (a - b):abs() end
  elseif self.loss == "squared_error" then lossf = function(a, b) return (a - b) ^ 2 end
  elseif type(self.loss) == "function" then lossf = self.loss
  else error(fname .. ": loss must be 'absolute_error', 'squared_error' or a function", 2) end
  local rng = base.sk_rng(self.random_state)    -- sklearn's subsets
  local n_best, score_best, mask_best = 1, -math.huge, nil
  local max_trials = self.max_trials
  self.n_trials_, self.n_skips_no_inliers_, self.n_skips_invalid_data_, self.n_skips_invalid_model_ = 0, 0, 0, 0
  while self.n_trials_ < max_trials do
    self.n_trials_ = self.n_trials_ + 1
    if self.n_skips_no_inliers_ + self.n_skips_invalid_data_ + self.n_skips_invalid_model_ > self.max_skips then break end
    local idx = sample_without_replacement(n, ms, rng)
    local Xs, ys = A[idx], yy[idx]
    if self.is_data_valid and not self.is_data_valid(Xs, ys) then
      self.n_skips_invalid_data_ = self.n_skips_invalid_data_ + 1
    else
      est:fit(Xs, ys)
      if self.is_model_valid and not self.is_model_valid(est, Xs, ys) then
        self.n_skips_invalid_model_ = self.n_skips_invalid_model_ + 1
      else
        local res = lossf(yy, est:predict(A))
        local mask = res:le(thr)
        local ni = mask:sum()
        if ni < n_best then
          self.n_skips_no_inliers_ = self.n_skips_no_inliers_ + 1
        else
          local score = est:score(A[mask], yy[mask])
          if not (ni == n_best and score < score_best) then
            n_best, score_best, mask_best = ni, score, mask
            max_trials = math.min(max_trials, dynamic_max_trials(n_best, n, ms, self.stop_probability))
            if n_best >= self.stop_n_inliers or score_best >= self.stop_score then break end
          end
        end
      end
    end
  end
  if not mask_best then
    error(fname .. ": RANSAC could not find a valid consensus set; all trials failed " ..
      "(raise residual_threshold or max_trials)", 2)
  end
  est:fit(A[mask_best], yy[mask_best])
  self.estimator_ = est
  self.inlier_mask_ = mask_best
  return self
end

function RANSACRegressor:predict(X)
  local fname = "ml.RANSACRegressor.predict"
  local A = base.fitted_X(self, X, "estimator_", fname)
  return self.estimator_:predict(A)
end

function RANSACRegressor:score(X, y)
  local fname = "ml.RANSACRegressor.score"
  local A = base.fitted_X(self, X, "estimator_", fname)
  return self.estimator_:score(A, y)
end

-- {==================================================================
-- LogisticRegression
-- ==================================================================}

local LogisticRegression = base.estimator("LogisticRegression", {penalty = "l2", dual = false, tol = 1e-4,
  C = 1.0, fit_intercept = true, intercept_scaling = 1, class_weight = base.NONE, random_state = base.NONE,
  solver = "lbfgs", max_iter = 100, multi_class = "auto", verbose = 0, warm_start = false,
  n_jobs = base.NONE, l1_ratio = base.NONE}, Cm)
M.LogisticRegression = LogisticRegression

local function add_ones(X)
  return np.hstack{X, np.ones({X.shape[1], 1})}
end

-- Binary: minimise sum_i log(1 + exp(-s_i z_i)) + |w|^2 / (2C), s in {-1, 1}.
local function newton_binary(Xa, s, C, fit_intercept, sw)
  local n, q = Xa.shape[1], Xa.shape[2]
  local w = np.zeros{q}
  local pen = np.ones{q} / C
  if fit_intercept then pen[q] = 0 end
  local function obj(wv)
    local z = Xa:matmul(wv) * s
    -- log(1 + exp(-z)) stably
    local l = np.where(z:gt(0), np.log1p(np.exp(-z)), -z + np.log1p(np.exp(z)))
    if sw then l = l * sw end
    return l:sum() + 0.5 * (pen * wv * wv):sum()
  end
  local f = obj(w)
  for _ = 1, 200 do
    local z = Xa:matmul(w)
    local pz = 1 / (1 + np.exp(-(z * s)))       -- sigma(s z)
    local gi = -(1 - pz) * s                     -- d/dz of the loss
    local hi = pz * (1 - pz)
    if sw then gi = gi * sw; hi = hi * sw end
    local g = Xa.T:matmul(gi) + pen * w
    if np.abs(g):max() < 1e-12 * math.max(1, n) then break end
    local H = Xa.T:matmul(Xa * hi:reshape{-1, 1}) + np.eye(q) * pen
    local step = np.linalg.lstsq(H, -g)
    local done
    w, f, done = base.newton_step(obj, w, f, step, (g * step):sum())
    if done then break end
  end
  return w
end

local function softmax(Z)
  local m = Z:max{axis = 1, keepdims = true}
  local E = np.exp(Z - m)
  return E / E:sum{axis = 1, keepdims = true}
end

-- Multinomial: W is K x q; minimise -sum log softmax + |W (no intercept)|^2 / (2C).
local function newton_multinomial(Xa, codes, K, C, fit_intercept, sw)
  local n, q = Xa.shape[1], Xa.shape[2]
  local Y = np.zeros{n, K}
  local ct = codes:totable()
  for i = 1, n do Y[{i, ct[i] + 1}] = 1 end
  local pen = np.ones{q} / C
  if fit_intercept then pen[q] = 0 end
  local W = np.zeros{K, q}
  local function obj(Wv)
    local Z = Xa:matmul(Wv.T)
    local m = Z:max{axis = 1, keepdims = true}
    local lse = np.log(np.exp(Z - m):sum{axis = 1, keepdims = true}) + m
    local l = (lse - (Z * Y):sum{axis = 1, keepdims = true}):reshape{-1}
    if sw then l = l * sw end
    return l:sum() + 0.5 * (Wv * Wv * pen:reshape{1, -1}):sum()
  end
  local f = obj(W)
  local Kq = K * q
  for _ = 1, 200 do
    local P = softmax(Xa:matmul(W.T))
    local Dm = P - Y
    if sw then Dm = Dm * sw:reshape{-1, 1} end
    local G = Dm.T:matmul(Xa) + W * pen:reshape{1, -1}       -- K x q
    if np.abs(G):max() < 1e-12 * math.max(1, n) then break end
    local H = np.zeros{Kq, Kq}
    for k = 1, K do
      for l = k, K do
        local wkl = P[{{}, k}] * ((k == l and 1 or 0) - P[{{}, l}])
        if sw then wkl = wkl * sw end
        local B = Xa.T:matmul(Xa * wkl:reshape{-1, 1})
        H[{{(k - 1) * q + 1, k * q}, {(l - 1) * q + 1, l * q}}] = B
        if l ~= k then H[{{(l - 1) * q + 1, l * q}, {(k - 1) * q + 1, k * q}}] = B.T end
      end
    end
    H = H + np.eye(Kq) * np.tile(pen, K)
    local g = G:reshape{-1}
    local step = np.linalg.lstsq(H, -g)
    local done
    W, f, done = base.newton_step(obj, W, f, step:reshape{K, q}, (g * step):sum())
    if done then break end
  end
  return W
end

local function class_weights(self, codes, K, fname)
  local cw = self.class_weight
  if cw == nil then return nil end
  local n = codes.size
  local w = {}
  if cw == "balanced" then
    local cnt = np.bincount(codes, {minlength = K}):totable()
    for k = 1, K do w[k] = n / (K * cnt[k]) end
  elseif type(cw) == "table" then
    for k = 1, K do w[k] = cw[self.classes_[k]] or 1 end
  else error(fname .. ": class_weight must be nil, 'balanced' or a table {label = weight}", 3) end
  return np.array(w)[codes + 1]
end

function LogisticRegression:fit(X, y)
  local fname = "ml.LogisticRegression.fit"
  local A, yy = base.check_Xy(X, y, fname)
  if self.penalty ~= "l2" and self.penalty ~= nil and self.penalty ~= "none" then
    error(fname .. ": only penalty='l2' (or 'none') is implemented", 2)
  end
  if type(self.C) ~= "number" or self.C <= 0 then error(fname .. ": C must be a positive number", 2) end
  self.n_features_in_ = A.shape[2]
  self.feature_names_in_ = base.feature_names(X)
  local classes, codes = base.encode_labels(yy, fname)
  base.check_classes(classes, fname)
  self.classes_ = classes
  local K = #classes
  local C = (self.penalty == "none") and math.huge or self.C
  local D = A:astype("float64")
  local Xa = self.fit_intercept and add_ones(D) or D
  local sw = class_weights(self, codes, K, fname)
  local p = A.shape[2]
  local mc = self.multi_class
  if mc == "auto" then mc = (K == 2) and "ovr" or "multinomial" end
  if K == 2 and mc == "ovr" or mc == "ovr" then
    local nb = K == 2 and 1 or K
    local coefs, ints = {}, {}
    for k = 1, nb do
      local target = (K == 2) and 1 or (k - 1)
      local s = codes:eq(target):astype("float64") * 2 - 1
      local w = newton_binary(Xa, s, C, self.fit_intercept, sw)
      coefs[k] = w[{{1, p}}]:totable()
      ints[k] = self.fit_intercept and w[p + 1] or 0.0
    end
    self.coef_ = np.array(coefs):reshape{nb, p}:astype(A.dtype)
    self.intercept_ = np.array(ints)
    self._ovr = true
  elseif mc == "multinomial" then
    local W = newton_multinomial(Xa, codes, K, C, self.fit_intercept, sw)
    self.coef_ = W[{{}, {1, p}}]:copy():astype(A.dtype)
    self.intercept_ = self.fit_intercept and W[{{}, p + 1}]:copy() or np.zeros{K}
    self._ovr = false
  else
    error(fname .. ": multi_class must be 'auto', 'ovr' or 'multinomial'", 2)
  end
  self.n_iter_ = np.array{1}
  return self
end

function LogisticRegression:decision_function(X)
  local fname = "ml.LogisticRegression.decision_function"
  X = base.fitted_X(self, X, "coef_", fname)
  local Z = X:astype("float64"):matmul(self.coef_:astype("float64").T) + self.intercept_:reshape{1, -1}
  if #self.classes_ == 2 then return Z:reshape{-1} end
  return Z
end

function LogisticRegression:predict_proba(X)
  local Z = self:decision_function(X)
  if #self.classes_ == 2 then
    local p = 1 / (1 + np.exp(-Z))
    return np.column_stack{1 - p, p}
  end
  if self._ovr then
    local P = 1 / (1 + np.exp(-Z))
    return P / P:sum{axis = 1, keepdims = true}
  end
  return softmax(Z)
end

function LogisticRegression:predict_log_proba(X) return np.log(self:predict_proba(X)) end

function LogisticRegression:predict(X)
  local Z = self:decision_function(X)
  local codes
  if #self.classes_ == 2 then codes = Z:gt(0):astype("int64")
  else codes = Z:argmax(1) - 1 end
  return base.decode_labels(self.classes_, codes)
end

return M
