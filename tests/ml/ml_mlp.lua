-- ml_mlp.lua: MLPClassifier and MLPRegressor against scikit-learn 1.2.1
-- (fixtures from tests/fixtures/ml/gen_mlp.py). With the same random_state,
-- sgd and adam start from sklearn's weights, see the same batches and reach
-- the same loss_curve_ and coefs_; lbfgs follows scipy's L-BFGS-B.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/mlp.lua")

local Xi, yi = np.array(F.Xi), np.array(F.yi, "int64")
local Xd, yd = np.array(F.Xd), np.array(F.yd)
local ybin = yi:gt(0):astype("int64")
local data = {iris = {Xi, yi}, bin = {Xi, ybin}, dia = {Xd, yd}}
-- Stochastic solvers: the same arithmetic, but matrix products and sums
-- round differently from NumPy's, and training amplifies it a little.
local RT, AT = 1e-8, 1e-10

for i, c in ipairs(F.cases) do
  local X, y = data[c.data][1], data[c.data][2]
  local C = c.kind == "clf" and ml.MLPClassifier or ml.MLPRegressor
  local m = C(c.opts):fit(X, y)
  local name = ("#%d %s %s %s"):format(i, c.kind, c.data, c.opts.solver or "adam")
  if c.loss_curve then
    T.eq(m.n_iter_, c.n_iter, name .. " n_iter_")
    T.eq(m.t_, c.t, name .. " t_")
    T.close(m.loss_curve_, c.loss_curve, RT, AT, name .. " loss_curve_")
    T.close(m.loss_, c.loss, RT, AT, name .. " loss_")
    for l = 1, #c.coefs do
      T.close(m.coefs_[l], c.coefs[l], RT, AT, name .. " coefs_[" .. l .. "]")
      T.close(m.intercepts_[l], c.intercepts[l], RT, AT, name .. " intercepts_[" .. l .. "]")
    end
    T.close(c.kind == "clf" and m:predict_proba(X[{{1, -1, 30}}]) or m:predict(X[{{1, -1, 30}}]), c.pred5,
      RT, AT, name .. " predictions")
    if c.validation_scores then
      T.close(m.validation_scores_, c.validation_scores, 0, 0, name .. " validation_scores_")
      T.close(m.best_validation_score_, c.best_validation_score, 0, 0, name .. " best_validation_score_")
    end
  else
    -- lbfgs: scipy's L-BFGS-B iteration up to rounding (tests/ml/ml_lbfgs.lua
    -- checks it closely); here only the loss and the predictions
    T.close(m.loss_, c.loss, 1e-4, 0, name .. " loss_ at the minimum")
    T.close(c.kind == "clf" and m:predict_proba(X[{{1, -1, 30}}]) or m:predict(X[{{1, -1, 30}}]), c.pred5,
      1e-2, 1e-3, name .. " predictions")
  end
  if c.score then T.close(m:score(X, y), c.score, c.loss_curve and 1e-6 or 1e-3, 0, name .. " score") end
end

-- digits: accuracy on sklearn's held-out split (the same 30 epochs)
local dg = ml.datasets.load_digits()
local Xtr, Xte, ytr, yte = ml.train_test_split(dg.data / 16.0, dg.target, {test_size = 0.25, random_state = 0})
local md = ml.MLPClassifier{hidden_layer_sizes = {32}, max_iter = 30, random_state = 0}:fit(Xtr, ytr)
T.close(md:score(Xte, yte), F.digits.score, 0, 1 / 450 + 1e-12, "digits accuracy (one test digit at most)")
T.close(md.loss_, F.digits.loss, 1e-6, 0, "digits loss_")

-- string labels, binary and multiclass, predict_proba rows sum to 1
local names = {}
for i = 1, 150 do names[i] = ({"setosa", "versicolor", "virginica"})[yi[i] + 1] end
local mc = ml.MLPClassifier{hidden_layer_sizes = {5}, max_iter = 300, learning_rate_init = 0.01,
  random_state = 0}:fit(Xi, names)
T.eq(mc.classes_, {"setosa", "versicolor", "virginica"})
T.eq(mc:predict(Xi[{{1, 2}}]), {"setosa", "setosa"})
T.close(mc:predict_proba(Xi):sum(), 150, 1e-12)
T.eq(mc.out_activation_, "softmax")
T.eq(ml.MLPClassifier{max_iter = 5, random_state = 0}:fit(Xi, ybin).out_activation_, "logistic")
T.eq(ml.MLPRegressor{max_iter = 5, random_state = 0}:fit(Xd, yd).out_activation_, "identity")
-- warm_start continues from the current weights; partial_fit does one epoch
local w = ml.MLPClassifier{hidden_layer_sizes = {5}, max_iter = 10, random_state = 0, warm_start = true}:fit(Xi, yi)
local l10 = w.loss_
w:fit(Xi, yi)
T.eq(#w.loss_curve_, 20); T.ok(w.loss_ < l10, "warm_start keeps training")
local pf = ml.MLPClassifier{hidden_layer_sizes = {5}, random_state = 0}
pf:partial_fit(Xi[{{1, 60}}], yi[{{1, 60}}], {classes = {0, 1, 2}})
pf:partial_fit(Xi, yi)
T.eq(pf.n_iter_, 1); T.eq(#pf.loss_curve_, 2); T.eq(pf.classes_, {0, 1, 2})
-- float32 in, float32 out
local m32 = ml.MLPRegressor{hidden_layer_sizes = {4}, max_iter = 5, random_state = 0}:fit(Xd:astype("float32"), yd)
T.eq(m32.coefs_[1].dtype, "float32"); T.eq(m32:predict(Xd:astype("float32")).dtype, "float32")
-- errors
T.err("ml.MLPClassifier.fit: hidden_layer_sizes must be > 0, got [5, 0]", function()
  ml.MLPClassifier{hidden_layer_sizes = {5, 0}}:fit(Xi, yi) end)
T.err("ml.MLPClassifier.fit: activation must be one of ['identity', 'logistic', 'tanh', 'relu'], got 'sigmoid'",
  function() ml.MLPClassifier{activation = "sigmoid"}:fit(Xi, yi) end)
T.err("ml.MLPRegressor.fit: solver must be one of ['lbfgs', 'sgd', 'adam'], got 'Adam'",
  function() ml.MLPRegressor{solver = "Adam"}:fit(Xd, yd) end)
T.err("batch_size must be 'auto' or an integer >= 1, got 0", function() ml.MLPRegressor{batch_size = 0}:fit(Xd, yd) end)
T.err("ml.MLPClassifier: unknown option 'hidden_layer_size' (did you mean 'hidden_layer_sizes'?)", ml.MLPClassifier,
  {hidden_layer_size = {3}})
T.err("partial_fit is only available for the stochastic solvers", function()
  ml.MLPClassifier{solver = "lbfgs"}:partial_fit(Xi, yi) end)
T.eq(tostring(ml.MLPClassifier{hidden_layer_sizes = {10, 5}, max_iter = 300}),
  "MLPClassifier(hidden_layer_sizes=[10, 5], max_iter=300)")
T.done()
