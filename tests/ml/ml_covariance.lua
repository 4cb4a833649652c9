-- ml_covariance.lua: the covariance estimators (EmpiricalCovariance,
-- ShrunkCovariance, LedoitWolf, OAS) and LinearDiscriminantAnalysis with a
-- covariance_estimator, against scikit-learn 1.2.1
-- (tests/fixtures/ml/gen_covariance.py).
local T = require "testlib"
local F = dofile("tests/fixtures/ml/covariance.lua")

local iris, wine = ml.datasets.load_iris(), ml.datasets.load_wine()
local keep = wine.target:lt(2)
local data = {iris = {iris.data, iris.target}, wine2 = {wine.data[keep], wine.target[keep]},
              iris1 = {iris.data[{{}, {1, 1}}]:copy(), iris.target}}
-- precision_ is a pseudo-inverse (our SVD, sklearn's eigh through pinvh) and
-- LDA solves through LAPACK in another order of operations: agreement to 1e-9
local RT, AT = 1e-9, 1e-12

for i, c in ipairs(F.estimators) do
  local X = data[c.data][1]
  local label = ("#%d %s %s"):format(i, c.name, c.data)
  local m = ml[c.name](c.opts)
  T.ok(m:fit(X) == m, label .. " fit returns self")
  T.close(m.covariance_, c.covariance, 1e-12, 1e-14, label .. " covariance_")
  T.close(m.location_, c.location, 1e-12, 1e-14, label .. " location_")
  -- wine's features span five decades: its covariance has a condition
  -- number near 1e8, which the inverse amplifies rounding by (our SVD
  -- pseudo-inverse against scipy's eigh-based pinvh)
  local prt = c.data == "wine2" and 1e-7 or RT
  T.close(m.precision_, c.precision, prt, AT, label .. " precision_")
  T.close(m:score(X[{{1, -1, 7}}]), c.score, RT, 0, label .. " score")
  T.close(m:mahalanobis(X[{{1, -1, 30}}]), c.mahalanobis5, RT, AT, label .. " mahalanobis")
  if c.shrinkage then T.close(m.shrinkage_, c.shrinkage, 1e-12, 1e-15, label .. " shrinkage_") end
end

for i, c in ipairs(F.lda) do
  local X, y = data[c.data][1], data[c.data][2]
  local label = ("#%d %s %s %s"):format(i, c.data, c.solver, c.estimator)
  local est = ml[c.estimator]()
  local m = ml.LinearDiscriminantAnalysis{solver = c.solver, covariance_estimator = est}:fit(X, y)
  T.close(m.coef_, c.coef, RT, AT, label .. " coef_")
  T.close(m.intercept_, c.intercept, RT, AT, label .. " intercept_")
  T.close(m.covariance_, c.covariance, RT, AT, label .. " covariance_")
  T.close(m:predict_proba(X[{{1, -1, 30}}]), c.proba5, RT, 1e-12, label .. " predict_proba")
  T.close(m:predict(X), c.predict, 0, 0, label .. " predict")
  T.close(m:score(X, y), c.score, 1e-15, 0, label .. " score")
  if c.evr then T.close(m.explained_variance_ratio_, c.evr, RT, AT, label .. " explained_variance_ratio_") end
  T.ok(rawget(est, "covariance_") ~= nil, label .. ": the estimator given is the one fitted (as sklearn)")
end
-- a LedoitWolf estimator is not shrinkage = "auto" (that one standardizes first)
local X, y = data.wine2[1], data.wine2[2]
local a = ml.LinearDiscriminantAnalysis{solver = "lsqr", shrinkage = "auto"}:fit(X, y)
local b = ml.LinearDiscriminantAnalysis{solver = "lsqr", covariance_estimator = ml.LedoitWolf()}:fit(X, y)
T.close((a.coef_ - b.coef_):abs():max(), F.lw_vs_auto, 1e-6, 0, "auto vs LedoitWolf")

-- parameters, printing, cloning
local lda = ml.LinearDiscriminantAnalysis{solver = "eigen", covariance_estimator = ml.OAS()}
T.eq(tostring(lda), "LinearDiscriminantAnalysis(covariance_estimator=OAS(), solver='eigen')")
T.eq(tostring(ml.ShrunkCovariance{shrinkage = 0.2}), "ShrunkCovariance(shrinkage=0.2)")
T.eq(ml.LedoitWolf():get_params().block_size, 1000)
local c = ml.clone(lda)
T.ok(c.covariance_estimator ~= lda.covariance_estimator, "clone copies the covariance estimator")
-- store_precision = false: no precision_, get_precision computes it
local e = ml.EmpiricalCovariance{store_precision = false}:fit(data.iris[1])
T.eq(rawget(e, "precision_"), nil)
T.close(e:get_precision(), F.estimators[1].precision, RT, AT, "get_precision")
T.close(e:error_norm(e.covariance_), 0.0, 0, 0, "error_norm of itself")

-- errors name the function and what is wrong
X, y = data.iris[1], data.iris[2]
T.err("ml.LinearDiscriminantAnalysis.fit: covariance_estimator is not supported with the 'svd' solver (use 'lsqr' or 'eigen')",
  function() ml.LinearDiscriminantAnalysis{covariance_estimator = ml.OAS()}:fit(X, y) end)
T.err("ml.LinearDiscriminantAnalysis.fit: covariance_estimator and shrinkage are both set; only one of the two can be",
  function() ml.LinearDiscriminantAnalysis{solver = "lsqr", shrinkage = 0.2, covariance_estimator = ml.OAS()}:fit(X, y) end)
T.err("ml.LinearDiscriminantAnalysis.fit: covariance_estimator must be a covariance estimator",
  function() ml.LinearDiscriminantAnalysis{solver = "lsqr", covariance_estimator = "oas"}:fit(X, y) end)
T.err("does not have a covariance_ attribute", function()
  ml.LinearDiscriminantAnalysis{solver = "lsqr", covariance_estimator = ml.StandardScaler()}:fit(X, y) end)
T.err("ml.ShrunkCovariance.fit: shrinkage must be a number in [0, 1], got 2",
  function() ml.ShrunkCovariance{shrinkage = 2}:fit(X) end)
T.err("ml.OAS.mahalanobis: this OAS instance is not fitted yet", function() ml.OAS():mahalanobis(X) end)
T.err("ml.LedoitWolf.score: X has 3 features, but LedoitWolf was fitted with 4",
  function() ml.LedoitWolf():fit(X):score(X[{{}, {1, 3}}]) end)
T.err("ml.OAS: unknown option 'assume_centred' (did you mean 'assume_centered'?)", ml.OAS, {assume_centred = true})
T.err("Input X contains NaN", function() local Xn = X:copy(); Xn[{1, 1}] = np.nan; ml.OAS():fit(Xn) end)
T.done()
