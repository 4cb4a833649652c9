-- ml_lda.lua: LinearDiscriminantAnalysis against scikit-learn 1.2.1
-- (fixtures from tests/fixtures/ml/gen_lda.py): svd, lsqr and eigen solvers,
-- shrinkage, priors, n_components, binary and multiclass.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/lda.lua")

local iris, wine = ml.datasets.load_iris(), ml.datasets.load_wine()
local keep = wine.target:lt(2)
local data = {iris = {iris.data, iris.target}, wine2 = {wine.data[keep], wine.target[keep]}}
local RT, AT = 1e-9, 1e-12   -- SVD/eigh/lstsq through LAPACK in another order of operations

-- scalings_ and transform: an eigen/singular vector's sign is LAPACK's choice;
-- compare columns up to sign (and say which sign we got when it differs).
local function close_cols(a, b, msg)
  local A, B = a, np.array(b)
  if A.ndim == 1 then A = A:reshape{-1, 1}; B = B:reshape{-1, 1} end
  for j = 1, A.shape[2] do
    local x, y = A[{{}, j}], B[{{}, j}]
    local s = (x * y):sum() < 0 and -1 or 1
    T.close(x * s, y, RT, 1e-10, msg .. " column " .. j)
  end
end

for i, c in ipairs(F) do
  local X, y = data[c.data][1], data[c.data][2]
  local name = ("#%d %s %s"):format(i, c.data, c.opts.solver)
  local m = ml.LinearDiscriminantAnalysis(c.opts):fit(X, y)
  T.close(m.coef_, c.coef, RT, AT, name .. " coef_")
  T.close(m.intercept_, c.intercept, RT, AT, name .. " intercept_")
  T.close(m.means_, c.means, 1e-12, 0, name .. " means_")
  T.close(m.priors_, c.priors, 1e-15, 0, name .. " priors_")
  T.close(m:predict_proba(X[{{1, -1, 30}}]), c.proba5, RT, 1e-12, name .. " predict_proba")
  T.close(m:decision_function(X[{{1, -1, 30}}]), c.decision5, RT, AT, name .. " decision_function")
  T.close(m:predict(X), c.predict, 0, 0, name .. " predict")
  T.close(m:score(X, y), c.score, 1e-15, 0, name .. " score")
  if c.evr then
    T.close(m.explained_variance_ratio_, c.evr, RT, AT, name .. " explained_variance_ratio_")
    close_cols(m:transform(X[{{1, -1, 30}}]), c.transform5, name .. " transform")
  end
  if c.covariance then T.close(m.covariance_, c.covariance, RT, AT, name .. " covariance_") end
  if c.xbar then T.close(m.xbar_, c.xbar, 1e-12, 0, name .. " xbar_") end
end

-- behaviour and errors
local X, y = iris.data, iris.target
local m = ml.LinearDiscriminantAnalysis():fit(X, y)
T.eq(m:transform(X).shape, {150, 2})
T.eq(ml.LinearDiscriminantAnalysis{n_components = 1}:fit_transform(X, y).shape, {150, 1})
T.close(m:predict_proba(X):matmul(np.ones{3, 1}), np.ones{150, 1}, 1e-12)
T.close(np.exp(m:predict_log_proba(X[{{1, 5}}])), m:predict_proba(X[{{1, 5}}]), 1e-12)
local names = {}
for i = 1, 150 do names[i] = iris.target_names[y[i] + 1] end
T.eq(ml.LinearDiscriminantAnalysis():fit(X, names):predict(X[{{1, 2}}]), {"setosa", "setosa"})
local m32 = ml.LinearDiscriminantAnalysis():fit(X:astype("float32"), y)
T.eq(m32.coef_.dtype, "float32"); T.eq(m32:transform(X:astype("float32")).dtype, "float32")
T.err("shrinkage is not supported with the 'svd' solver", function() ml.LinearDiscriminantAnalysis{shrinkage = "auto"}:fit(X, y) end)
T.err("transform is not implemented for the 'lsqr' solver", function()
  ml.LinearDiscriminantAnalysis{solver = "lsqr"}:fit(X, y):transform(X) end)
T.err("n_components cannot be larger than min(n_features, n_classes - 1) = 2", function()
  ml.LinearDiscriminantAnalysis{n_components = 3}:fit(X, y) end)
T.err("solver must be 'svd', 'lsqr' or 'eigen', got 'eig'", function() ml.LinearDiscriminantAnalysis{solver = "eig"}:fit(X, y) end)
T.err("priors must have one value per class (3), got 2", function()
  ml.LinearDiscriminantAnalysis{priors = {0.5, 0.5}}:fit(X, y) end)
T.err("shrinkage must be None, 'auto' or a number in [0, 1], got 2", function()
  ml.LinearDiscriminantAnalysis{solver = "lsqr", shrinkage = 2}:fit(X, y) end)
T.err("ml.LinearDiscriminantAnalysis: unknown option 'shrinkag' (did you mean 'shrinkage'?)",
  ml.LinearDiscriminantAnalysis, {shrinkag = 0.1})
T.done()
