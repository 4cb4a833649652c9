-- ml_forest_ties.lua: forests and a tree equal to scikit-learn 1.2.1's on 1,500
-- rows full of tied values (tests/fixtures/ml/gen_forest_ties.py), large enough
-- that nodes of 256 rows or more are sorted by the radix sort (whole class
-- counts: ties may come out in any order) while weighted ("balanced") forests
-- keep sklearn's introsort. Node counts exact, values to 1e-12.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/forest_ties.lua")
local RT = 1e-12

local n, p = 1500, 6
local i = np.arange(n):reshape{n, 1}
local j = np.arange(p):reshape{1, p}
local X = ((i * (2 * j + 3) * 7919 + j * 104729) % 401) / 8.0 - 25.0
local y = (X[{{}, 1}] + X[{{}, 2}] * 0.5 - X[{{}, 3}]):gt(0):astype("int64") + X[{{}, 4}]:gt(10):astype("int64")
local flip = ((np.arange(n) * 31) % 17):eq(0)
y[flip] = -y[flip] + 2
T.eq((y + 1):tolist(), F.y, "labels built as in the fixture")
local sw = (np.arange(n) % 3 + 1):astype("float64")

local function check_forest(name, m, weights)
  local E = F[name]
  m:fit(X, y, weights)
  local counts, tsum = {}, 0
  for k, e in ipairs(m.estimators_) do
    counts[k] = e.tree_.node_count
    tsum = tsum + e.tree_.threshold:sum()
  end
  T.eq(counts, E.node_counts, name .. " node counts")
  T.close(tsum, E.threshold_sum, RT, 0, name .. " thresholds")
  T.close(m.feature_importances_, E.importances, RT, 1e-15, name .. " importances")
  local P = m:predict_proba(X)
  T.close(P:sum(0), E.proba_sum_by_class, RT, 1e-12, name .. " probabilities by class")
  T.close(P[{{1, 12}}], E.proba_rows, RT, 1e-15, name .. " first rows' probabilities")
end

check_forest("rf_gini", ml.RandomForestClassifier{n_estimators = 8, random_state = 0})
check_forest("rf_entropy", ml.RandomForestClassifier{n_estimators = 8, criterion = "entropy", max_features = 3,
                                                     random_state = 1})
check_forest("rf_weighted", ml.RandomForestClassifier{n_estimators = 8, random_state = 2}, sw)
check_forest("rf_balanced", ml.RandomForestClassifier{n_estimators = 8, class_weight = "balanced", random_state = 3})

local dt = ml.DecisionTreeClassifier{random_state = 0}:fit(X, y)
T.eq(dt.tree_.node_count, F.tree_gini.node_count, "tree node count")
T.close(dt.tree_.threshold:sum(), F.tree_gini.threshold_sum, RT, 0, "tree thresholds")
T.close(dt.feature_importances_, F.tree_gini.importances, RT, 1e-15, "tree importances")
T.done()
