-- ml_contract.lua: every ml estimator through the same contract (after
-- scikit-learn's estimator_checks): constructor stores options only, unknown
-- options suggest the nearest name, get_params/set_params/clone/tostring,
-- fit returns self, predict before fit, feature count at predict time,
-- NaN/inf in X, X and y of different lengths, one class only, float32 kept
-- where sklearn keeps it, and the same random_state gives the same result.
local T = require "testlib"

local rng = np.random.Generator(3)
local X = rng:normal(0, 1, {60, 4})
local yc = {}
for i = 1, 60 do yc[i] = (X[{i, 1}] + X[{i, 2}] > 0) and "yes" or "no" end
local y3 = {}
for i = 1, 60 do y3[i] = ({"a", "b", "c"})[(i % 3) + 1] end
local yr = X:matmul(np.array{1.0, -2.0, 0.5, 0.0}) + rng:normal(0, 0.1, {60})

local classifiers = {
  {"LogisticRegression", {C = 2.0}},
  {"KNeighborsClassifier", {n_neighbors = 3}},
  {"DecisionTreeClassifier", {max_depth = 3}},
  {"RandomForestClassifier", {n_estimators = 10, random_state = 0}},
  {"ExtraTreesClassifier", {n_estimators = 10, random_state = 0}},
  {"GradientBoostingClassifier", {n_estimators = 10, random_state = 0}},
  {"SVC", {C = 3.0}},
  {"LinearSVC", {C = 0.5}},
  {"GaussianNB", {}},
  {"LinearDiscriminantAnalysis", {solver = "lsqr", shrinkage = "auto"}},
  {"MLPClassifier", {hidden_layer_sizes = {8}, learning_rate_init = 0.01, max_iter = 300, random_state = 0}},
}
local regressors = {
  {"LinearRegression", {}},
  {"Ridge", {alpha = 0.5}},
  {"Lasso", {alpha = 0.01}},
  {"ElasticNet", {alpha = 0.01}},
  {"HuberRegressor", {}},
  {"RANSACRegressor", {random_state = 0}},
  {"SVR", {C = 2.0}},
  {"KNeighborsRegressor", {n_neighbors = 3}},
  {"DecisionTreeRegressor", {max_depth = 4}},
  {"RandomForestRegressor", {n_estimators = 10, random_state = 0}},
  {"ExtraTreesRegressor", {n_estimators = 10, random_state = 0}},
  {"GradientBoostingRegressor", {n_estimators = 10, random_state = 0}},
  {"MLPRegressor", {hidden_layer_sizes = {8}, learning_rate_init = 0.01, max_iter = 300, random_state = 0}},
}
local transformers = {
  {"StandardScaler", {}}, {"MinMaxScaler", {}}, {"RobustScaler", {}}, {"Normalizer", {}},
  {"PolynomialFeatures", {degree = 2}}, {"SimpleImputer", {}},
}

local function same(a, b)
  if type(a) == "userdata" then return a == b end
  return T.show(a) == T.show(b)
end

local function common(name, opts, y)
  local C = ml[name]
  local e = C(opts)
  T.eq(getmetatable(e).__name, name)
  -- options stored as given, no validation
  for k, v in pairs(opts) do T.eq(e[k], v, name .. " stores " .. k) end
  local s = tostring(e)
  T.ok(s:sub(1, #name + 1) == name .. "(", name .. " tostring: " .. s)
  -- unknown option with a suggestion
  local params, names = e:get_params(), {}
  for k in pairs(params) do if #k > 3 then names[#names + 1] = k end end
  table.sort(names)
  local first = names[1]
  if first then
    local typo = first:sub(1, -2) .. "x"
    T.err(("ml.%s: unknown option '%s' (did you mean '%s'?)"):format(name, typo, first), C, {[typo] = 1})
    T.err("unknown option", function() return C():set_params{[typo] = 1} end)
  end
  -- set_params is the same as building anew; clone copies the parameters
  local e2 = C():set_params(opts)
  T.eq(tostring(e2), tostring(e))
  T.eq(tostring(ml.clone(e)), tostring(e))
  -- predict before fit
  local mt = getmetatable(e)   -- models are strict: probe methods on the class
  local m = rawget(mt, "predict") or rawget(mt, "transform")
  T.err("is not fitted yet; call fit first", m, C(opts), X)
  -- NaN and inf in X
  local Xn = X:copy(); Xn[{3, 2}] = np.nan
  if name ~= "SimpleImputer" then
    T.err("Input X contains NaN (use ml.SimpleImputer or df:dropna() first)", function() C(opts):fit(Xn, y) end)
    local Xi = X:copy(); Xi[{5, 1}] = np.inf
    T.err("Input X contains infinity", function() C(opts):fit(Xi, y) end)
  end
  -- fit returns self, then wrong feature count
  local f = C(opts)
  T.ok(f:fit(X, y) == f, name .. ":fit returns self")
  if name ~= "Normalizer" then
    T.err(("X has 3 features, but %s was fitted with 4"):format(name), m, f, X[{{}, {1, 3}}])
  end
  return f
end

for _, spec in ipairs(classifiers) do
  local name, opts = spec[1], spec[2]
  local f = common(name, opts, yc)
  T.err("X has 60 samples but y has 59", function() ml[name](opts):fit(X, {table.unpack(yc, 1, 59)}) end)
  local one = {}
  for i = 1, 60 do one[i] = "only" end
  T.err("y has only one class ('only')", function() ml[name](opts):fit(X, one) end)
  -- string labels in, string labels out; classes_ sorted
  local p = f:predict(X)
  T.eq(type(p), "table"); T.eq(#p, 60)
  T.eq(f.classes_, {"no", "yes"})
  T.ok(f:score(X, yc) > 0.7, name .. " learns")
  -- three classes, numbers as labels
  local yn = {}
  for i = 1, 60 do yn[i] = (i % 3) * 10 end
  local g = ml[name](opts):fit(X, yn)
  T.eq(g.classes_, {0, 10, 20})
  T.eq(g:predict(X).dtype, "int64")
  if rawget(getmetatable(g), "predict_proba") and (name ~= "SVC") then   -- hasattr (models are strict)
    local P = g:predict_proba(X)
    T.close(P:sum(1), np.ones{60}, 1e-12)
  end
  -- same random_state, same result
  local a, b = ml[name](opts):fit(X, y3):predict(X), ml[name](opts):fit(X, y3):predict(X)
  T.eq(a, b, name .. " reproducible")
end

for _, spec in ipairs(regressors) do
  local name, opts = spec[1], spec[2]
  local f = common(name, opts, yr)
  T.err("X has 60 samples but y has 59", function() ml[name](opts):fit(X, yr[{{1, 59}}]) end)
  local p = f:predict(X)
  T.eq(p.shape[1], 60)
  T.ok(f:score(X, yr) > 0.5, name .. " learns")
  T.ok(ml[name](opts):fit(X, yr):predict(X) == p, name .. " reproducible")
  -- a frame works as X; a Lua table as y
  local df = pd.DataFrame{a = X[{{}, 1}], b = X[{{}, 2}], c = X[{{}, 3}], d = X[{{}, 4}]}
  local g = ml[name](opts):fit(df, yr:totable())
  T.close(g:predict(df), ml[name](opts):fit(X, yr):predict(X), 1e-12)
end

-- float32 in, float32 out (linear models, trees and scalers as sklearn)
local X32 = X:astype("float32")
for _, name in ipairs{"LinearRegression", "Ridge", "Lasso"} do
  T.eq(ml[name]():fit(X32, yr):predict(X32).dtype, "float32", name .. " float32")
end
for _, name in ipairs{"DecisionTreeRegressor", "RandomForestRegressor"} do
  T.eq(ml[name]{random_state = 0}:fit(X32, yr):predict(X32).dtype, "float32", name .. " float32")
end
for _, spec in ipairs(transformers) do
  local name, opts = spec[1], spec[2]
  common(name, opts, nil)
  T.eq(ml[name](opts):fit_transform(X32).dtype, "float32", name .. " float32")
end

-- a 1-D X is refused with scikit-learn's advice in Lua terms ("Expected 2D
-- array, got 1D array instead ... array.reshape(-1, 1)"), at fit and at
-- predict; before, it was silently taken as one feature
local x1 = X[{{}, 1}]
local ADVICE = "Expected 2D array, got 1D array instead. Reshape your data either using x:reshape(-1, 1) " ..
  "if your data has a single feature or x:reshape(1, -1) if it contains a single sample"
for _, list in ipairs{classifiers, regressors} do
  for _, spec in ipairs(list) do
    local name, opts = spec[1], spec[2]
    local y = list == classifiers and yc or yr
    T.err(ADVICE, function() ml[name](opts):fit(x1, y) end)
    T.err(ADVICE, function() ml[name](opts):fit(x1:totable(), y) end)   -- a flat Lua table too
  end
end
for _, spec in ipairs(transformers) do
  T.err(ADVICE, function() ml[spec[1]](spec[2]):fit(x1) end)
end
for _, name in ipairs{"KMeans", "DBSCAN", "PCA", "AgglomerativeClustering", "GaussianMixture", "OneHotEncoder",
    "OrdinalEncoder"} do
  T.err(ADVICE, function() ml[name]():fit(x1) end)
end
T.err("ml.StandardScaler.fit: " .. ADVICE, function() ml.StandardScaler():fit(x1) end)
local scaled = ml.StandardScaler():fit(x1:reshape(-1, 1))   -- the advice works
T.err(ADVICE, function() return scaled:transform(x1) end)
T.err(ADVICE, function() return ml.LinearRegression():fit(X, yr):predict(X[1]) end)   -- one sample
T.eq(ml.LinearRegression():fit(X, yr):predict(X[1]:reshape(1, -1)).shape, {1})
T.err([==[(for a frame column, df[{"name"}] keeps the frame 2-D, as df[["name"]] in pandas)]==],
  function() ml.StandardScaler():fit(pd.DataFrame{a = x1}.a) end)

-- meta-estimators and misc errors
T.err("ml.RandomForestClasifier does not exist (did you mean ml.RandomForestClassifier?)",
  function() return ml.RandomForestClasifier end)
T.err("ml.SVC: unknown option 'kernal' (did you mean 'kernel'?)", ml.SVC, {kernal = "rbf"})
T.err("kernel must be 'linear', 'poly', 'rbf' or 'sigmoid', got 'rfb' (did you mean 'rbf'?)",
  function() ml.SVC{kernel = "rfb"}:fit(X, yc) end)
T.err("criterion must be one of", function() ml.DecisionTreeClassifier{criterion = "ginni"}:fit(X, yc) end)
T.err("did you mean 'gini'?", function() ml.DecisionTreeClassifier{criterion = "ginni"}:fit(X, yc) end)
T.err("unknown scoring 'acuracy' (did you mean 'accuracy'?)",
  function() ml.cross_val_score(ml.GaussianNB(), X, yc, {scoring = "acuracy"}) end)
T.err("ml.train_test_split: unknown option 'test_sise' (did you mean 'test_size'?)",
  function() ml.train_test_split(X, {test_sise = 0.2}) end)
T.err("found input variables with inconsistent numbers of samples: 60 and 59",
  function() ml.train_test_split(X, yr[{{1, 59}}]) end)
T.err("predict_proba is not available when probability=false", function() ml.SVC():fit(X, yc):predict_proba(X) end)
T.err("ml.GridSearchCV", function()
  ml.GridSearchCV(ml.SVC(), {kernal = {"rbf"}}):fit(X, yc)
end)
local pipe = ml.Pipeline{{"scale", ml.StandardScaler()}, {"svc", ml.SVC()}}
T.eq(tostring(pipe), "Pipeline(steps=[('scale', StandardScaler()), ('svc', SVC())])")
pipe:set_params{svc__C = 5}
T.eq(pipe.named_steps.svc.C, 5)
T.eq(pipe:get_params().svc__C, 5)
T.ok(pipe:fit(X, yc):score(X, yc) > 0.8)
T.eq(pipe.classes_, {"no", "yes"})
T.err("unknown option 'C'", function() pipe:set_params{svc__C = 1, scale__C = 2} end)
T.eq(tostring(ml.SVC{C = 10, kernel = "linear", gamma = 0.5}), "SVC(C=10, gamma=0.5, kernel='linear')")
T.eq(tostring(ml.RandomForestClassifier{max_depth = 8, n_estimators = 500}),
  "RandomForestClassifier(max_depth=8, n_estimators=500)")
T.done()
