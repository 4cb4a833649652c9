-- ml_lbfgs.lua: the lbfgs solver of MLPClassifier/MLPRegressor against
-- scikit-learn 1.2.1 with scipy 1.10.1's L-BFGS-B (fixtures from
-- tests/fixtures/ml/gen_lbfgs.py): the same number of iterations, the same
-- loss and weights. ml_lbfgsb.lua computes the L-BFGS step by the two-loop
-- recursion where L-BFGS-B uses its compact matrices; the roundings differ,
-- and over a hundred iterations in the flat directions of a network's loss
-- they grow to ~1e-4 in the weights (cases 2 and 5) while the loss agrees to
-- 1e-7. Short runs agree to 1e-7.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/lbfgs.lua")
local lbfgsb = require "geolab.ml_lbfgsb"

local Xi, yi = np.array(F.Xi), np.array(F.yi, "int64")
local data = {iris = {Xi, yi}, bin = {Xi, yi:gt(0):astype("int64")}, dia = {np.array(F.Xd), np.array(F.yd)}}
for i, c in ipairs(F.cases) do
  local X, y = data[c.data][1], data[c.data][2]
  local m = (c.kind == "clf" and ml.MLPClassifier or ml.MLPRegressor)(c.opts):fit(X, y)
  local name = ("#%d %s %s"):format(i, c.kind, c.data)
  T.eq(m.n_iter_, c.n_iter, name .. " n_iter_")
  T.close(m.loss_, c.loss, 1e-7, 0, name .. " loss_")
  local long = c.n_iter > 50
  for l = 1, #c.coefs do
    T.close(m.coefs_[l], c.coefs[l], long and 0 or 1e-7, long and 1e-3 or 1e-8, name .. " coefs_[" .. l .. "]")
    T.close(m.intercepts_[l], c.intercepts[l], long and 0 or 1e-7, long and 1e-3 or 1e-8, name .. " intercepts_[" .. l .. "]")
  end
end

-- the minimizer alone: Rosenbrock from scipy's usual start reaches (1, 1)
local function rosen(x)
  local a, b = x[1], x[2]
  local f = 100 * (b - a * a) ^ 2 + (1 - a) ^ 2
  return f, np.array{-400 * a * (b - a * a) - 2 * (1 - a), 200 * (b - a * a)}
end
local x, f, nit, _, msg = lbfgsb.minimize(rosen, np.array{-1.2, 1.0}, {gtol = 1e-8, maxiter = 200})
T.close(x, {1, 1}, 1e-5)
T.ok(f < 1e-10 and nit > 10 and msg:match("^CONVERGENCE"), "Rosenbrock: " .. msg)
local _, _, n2, _, m2 = lbfgsb.minimize(rosen, np.array{-1.2, 1.0}, {maxiter = 5})
T.eq(n2, 5); T.eq(m2, "STOP: TOTAL NO. of ITERATIONS REACHED LIMIT")
T.done()
