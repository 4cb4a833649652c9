-- ml_svm_proba.lua: SVC{probability=true}, as libsvm does it: for each pair
-- of classes, decision values from a 5-fold cross-validation, Platt's
-- sigmoid fitted to them (Lin, Lin & Weng 2007), and for more than two
-- classes pairwise coupling (Wu, Lin & Weng 2004, method 2). The folds are
-- drawn from random_state, so probabilities are reproducible but not equal
-- to scikit-learn's (whose folds come from libsvm's rand()).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.ml_core"

local P = {}

local function sigmoid_train(dec, lab)
  local l = #dec
  local prior1, prior0 = 0, 0
  for i = 1, l do if lab[i] > 0 then prior1 = prior1 + 1 else prior0 = prior0 + 1 end end
  local max_iter, min_step, sigma, eps = 100, 1e-10, 1e-12, 1e-5
  local hi, lo = (prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2)
  local t = {}
  for i = 1, l do t[i] = lab[i] > 0 and hi or lo end
  local A, B = 0.0, math.log((prior0 + 1) / (prior1 + 1))
  local function fvalue(a, b)
    local f = 0
    for i = 1, l do
      local z = dec[i] * a + b
      if z >= 0 then f = f + t[i] * z + math.log(1 + math.exp(-z))
      else f = f + (t[i] - 1) * z + math.log(1 + math.exp(z)) end
    end
    return f
  end
  local fval = fvalue(A, B)
  for _ = 1, max_iter do
    local h11, h22, h21, g1, g2 = sigma, sigma, 0, 0, 0
    for i = 1, l do
      local z = dec[i] * A + B
      local p, q
      if z >= 0 then p = math.exp(-z) / (1 + math.exp(-z)); q = 1 / (1 + math.exp(-z))
      else p = 1 / (1 + math.exp(z)); q = math.exp(z) / (1 + math.exp(z)) end
      local d2 = p * q
      h11 = h11 + dec[i] * dec[i] * d2; h22 = h22 + d2; h21 = h21 + dec[i] * d2
      local d1 = t[i] - p
      g1 = g1 + dec[i] * d1; g2 = g2 + d1
    end
    if math.abs(g1) < eps and math.abs(g2) < eps then break end
    local det = h11 * h22 - h21 * h21
    local dA, dB = -(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det
    local gd = g1 * dA + g2 * dB
    local step = 1
    while step >= min_step do
      local nA, nB = A + step * dA, B + step * dB
      local nf = fvalue(nA, nB)
      if nf < fval + 0.0001 * step * gd then A, B, fval = nA, nB, nf; break end
      step = step / 2
    end
    if step < min_step then break end
  end
  return A, B
end

local function sigmoid_predict(d, A, B)
  local z = d * A + B
  if z >= 0 then return math.exp(-z) / (1 + math.exp(-z)) end
  return 1 / (1 + math.exp(z))
end

-- Decision values of a 5-fold CV on the binary problem (rows X, labels s = +-1).
local function cv_decisions(X, s, Cv, kopts, tol, rng)
  local l = X.shape[1]
  local perm = (rng:permutation(l) - 1):totable()   -- 0-based
  local dec = {}
  local st = s:totable()
  local nf = 5
  for f = 0, nf - 1 do
    local b, e = f * l // nf, (f + 1) * l // nf
    local tr, te = {}, {}
    for j = 0, l - 1 do
      if j >= b and j < e then te[#te + 1] = perm[j + 1] + 1 else tr[#tr + 1] = perm[j + 1] + 1 end
    end
    local npos = 0
    for _, i in ipairs(tr) do if st[i] > 0 then npos = npos + 1 end end
    if npos == #tr or npos == 0 then
      for _, i in ipairs(te) do dec[i] = (npos > 0) and 1 or -1 end
    elseif #te > 0 then
      local ti = np.array(tr, "int64")
      local alpha, rho = core.svm_solve(X[ti], s[ti], np.full({#tr}, -1.0), Cv[ti], kopts, tol, -1, 200)
      local coef = alpha * s[ti]
      local d = core.svm_kernel(X[np.array(te, "int64")], X[ti], kopts):matmul(coef) - rho
      local dt = d:totable()
      for q, i in ipairs(te) do dec[i] = dt[q] end
    end
  end
  return dec
end

function P.fit(self, D, codes, K, cw, kopts)
  local rng = base.sk_rng(self.random_state)
  local ct = codes:totable()
  local n = D.shape[1]
  local probA, probB = {}, {}
  for a = 1, K - 1 do
    for b = a + 1, K do
      local rows, lab, cv = {}, {}, {}
      for i = 1, n do
        local c = ct[i] + 1
        if c == a or c == b then
          rows[#rows + 1] = i; lab[#lab + 1] = (c == a) and 1 or -1; cv[#cv + 1] = cw[c]
        end
      end
      local ri = np.array(rows, "int64")
      local dec = cv_decisions(D[ri], np.array(lab, "float64"), np.array(cv), kopts, self.tol, rng)
      local A, B = sigmoid_train(dec, lab)
      probA[#probA + 1], probB[#probB + 1] = A, B
    end
  end
  self.probA_, self.probB_ = np.array(probA), np.array(probB)
  self._probA, self._probB = probA, probB
end

local function coupling(k, r)
  local p, Q, Qp = {}, {}, {}
  local max_iter, eps = math.max(100, k), 0.005 / k
  for t = 1, k do
    p[t] = 1 / k
    Q[t] = {}
    Q[t][t] = 0
    for j = 1, t - 1 do Q[t][t] = Q[t][t] + r[j][t] * r[j][t]; Q[t][j] = Q[j][t] end
    for j = t + 1, k do Q[t][t] = Q[t][t] + r[j][t] * r[j][t]; Q[t][j] = -r[j][t] * r[t][j] end
  end
  for _ = 1, max_iter do
    local pQp = 0
    for t = 1, k do
      Qp[t] = 0
      for j = 1, k do Qp[t] = Qp[t] + Q[t][j] * p[j] end
      pQp = pQp + p[t] * Qp[t]
    end
    local maxe = 0
    for t = 1, k do maxe = math.max(maxe, math.abs(Qp[t] - pQp)) end
    if maxe < eps then break end
    for t = 1, k do
      local diff = (-Qp[t] + pQp) / Q[t][t]
      p[t] = p[t] + diff
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff)
      for j = 1, k do Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff); p[j] = p[j] / (1 + diff) end
    end
  end
  return p
end

function P.predict_proba(self, dec, K)
  local D = dec:totable()
  local out = {}
  local minp = 1e-7
  for i = 1, #D do
    if K == 2 then
      local p0 = sigmoid_predict(D[i][1], self._probA[1], self._probB[1])
      out[i] = {p0, 1 - p0}
    else
      local r = {}
      for a = 1, K do r[a] = {} end
      local q = 0
      for a = 1, K - 1 do
        for b = a + 1, K do
          q = q + 1
          local v = math.min(math.max(sigmoid_predict(D[i][q], self._probA[q], self._probB[q]), minp), 1 - minp)
          r[a][b] = v; r[b][a] = 1 - v
        end
      end
      out[i] = coupling(K, r)
    end
  end
  if #out == 0 then return np.zeros{0, K} end
  return np.array(out)
end

return P
