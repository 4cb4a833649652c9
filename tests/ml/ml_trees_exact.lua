-- ml_trees_exact.lua: trees and forests equal to scikit-learn 1.2.1's for the
-- same random_state, node by node, on the samples of practical 1 (fixture
-- from tests/fixtures/ml/gen_calibration_forest.py). A tree is grown by the
-- same arithmetic as sklearn's (running sums, children impurities, its sort),
-- so a rounding residue splits a node in both or in neither, and the random
-- streams never part: node counts are exact and values agree to 1e-12.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/calibration_forest.lua")
local RT = 1e-12

local X, y = np.array(F.X), np.array(F.y)
local itr, ite = np.array(F.train), np.array(F.test)

-- the practical's split is sklearn's
local Xtr, Xte, ytr, yte = ml.train_test_split(X, y, {test_size = 0.3, random_state = 42})
T.close(Xtr, X[itr], 0); T.close(yte, y[ite], 0)

local function take(l, idx) local o = {}; for i, k in ipairs(idx:totable()) do o[i] = l[k] end; return o end
local ctr, cte = take(F.classes, itr), take(F.classes, ite)

local function check_forest(name, m, yb, yt, classify)
  local E = F[name]
  m:fit(Xtr, yb)
  local counts = {}
  for k, e in ipairs(m.estimators_) do counts[k] = e.tree_.node_count end
  T.eq(counts, E.node_counts, name .. " node counts")
  T.close(m:score(Xtr, yb), E.score_train, RT, 0, name .. " train score")
  T.close(m:score(Xte, yt), E.score_test, RT, 0, name .. " test score")
  T.close(m.feature_importances_, E.importances, RT, 1e-15, name .. " importances")
  T.close(classify and m:predict_proba(Xte) or m:predict(Xte), E.pred_test, RT, 1e-15, name .. " predictions")
end

check_forest("rf_default", ml.RandomForestRegressor{random_state = 0}, ytr, yte)
check_forest("rf_practical", ml.RandomForestRegressor{n_estimators = 200, min_samples_leaf = 3, random_state = 0},
  ytr, yte)
check_forest("et_reg", ml.ExtraTreesRegressor{n_estimators = 50, random_state = 0}, ytr, yte)
check_forest("rf_gini", ml.RandomForestClassifier{n_estimators = 50, random_state = 0}, ctr, cte, true)
check_forest("rf_entropy", ml.RandomForestClassifier{n_estimators = 50, criterion = "entropy", random_state = 0},
  ctr, cte, true)
check_forest("et_gini", ml.ExtraTreesClassifier{n_estimators = 50, random_state = 0}, ctr, cte, true)

-- single trees node by node (impurities are sklearn's running-sum values)
local function check_tree(name, t)
  local E = F[name]
  T.eq(t.node_count, E.node_count, name .. " node count")
  if t.node_count ~= E.node_count then return end
  T.close(t.feature, E.feature, 0, 0, name .. " features")
  T.close(t.threshold, E.threshold, 0, 0, name .. " thresholds")
  T.close(t.n_node_samples, E.n_node_samples, 0, 0, name .. " n_node_samples")
  T.close(t.impurity, E.impurity, RT, 1e-15, name .. " impurities")
  T.close(t.value, E.value, RT, 1e-15, name .. " values")
end
check_tree("tree_reg", ml.DecisionTreeRegressor{random_state = 0}:fit(X, y).tree_)
check_tree("tree_gini", ml.DecisionTreeClassifier{random_state = 0}:fit(X, F.classes).tree_)
check_tree("tree_entropy", ml.DecisionTreeClassifier{criterion = "entropy", random_state = 0}:fit(X, F.classes).tree_)
check_tree("rf_default_tree1", ml.RandomForestRegressor{random_state = 0}:fit(Xtr, ytr).estimators_[1].tree_)

T.done()
