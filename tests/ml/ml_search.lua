-- ml_search.lua: TimeSeriesSplit, GroupKFold, ml.stats distributions,
-- ParameterSampler and RandomizedSearchCV against scikit-learn 1.2.1 and
-- scipy 1.10.1 (fixtures from tests/fixtures/ml/gen_search.py): the same
-- folds, the same random draws and candidates for the same random_state.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/search.lua")

local function totable(folds)
  local out = {}
  for i, f in ipairs(folds) do out[i] = {f[1]:totable(), f[2]:totable()} end
  return out
end

-- {====== TimeSeriesSplit ======
local X23 = np.zeros{23, 1}
for _, c in ipairs(F.tss) do
  local cv = ml.TimeSeriesSplit(c.opts)
  T.eq(totable(cv:folds(X23)), c.folds, "TimeSeriesSplit " .. tostring(cv))
end
local n = 0
for i, tr, te in ml.TimeSeriesSplit{n_splits = 3}:split(X23) do
  n = i
  T.ok(tr:max() < te:min(), "train before test")
end
T.eq(n, 3)
T.err("ml.TimeSeriesSplit.split: too many splits=5 for number of samples=23 with test_size=5 and gap=0",
  function() ml.TimeSeriesSplit{test_size = 5}:folds(X23) end)
T.err("cannot have number of folds=6 greater than the number of samples=5",
  function() ml.TimeSeriesSplit():folds(np.zeros{5, 1}) end)
T.err("ml.TimeSeriesSplit: unknown option 'test_sise' (did you mean 'test_size'?)", ml.TimeSeriesSplit, {test_sise = 2})
T.eq(tostring(ml.TimeSeriesSplit{n_splits = 3, gap = 2}), "TimeSeriesSplit(gap=2, n_splits=3)")

-- {====== GroupKFold ======
for _, c in ipairs(F.gkf) do
  local Xg = np.zeros{#c.groups, 1}
  local cv = ml.GroupKFold{n_splits = c.n_splits}
  T.eq(totable(cv:folds(Xg, nil, c.groups)), c.folds, "GroupKFold " .. c.n_splits)
  -- no group on both sides
  for _, tr, te in cv:split(Xg, nil, c.groups) do
    local seen = {}
    for _, i in ipairs(te:totable()) do seen[c.groups[i]] = true end
    for _, i in ipairs(tr:totable()) do T.ok(not seen[c.groups[i]], "group on both sides") end
  end
end
T.err("ml.GroupKFold.split: the groups parameter should not be None", function() ml.GroupKFold():folds(X23) end)
T.err("cannot have number of splits n_splits=5 greater than the number of groups: 2",
  function() ml.GroupKFold():folds(np.zeros{4, 1}, nil, {1, 1, 2, 2}) end)
T.err("X has 4 samples but groups has 3", function() ml.GroupKFold{n_splits = 2}:folds(np.zeros{4, 1}, nil, {1, 2, 2}) end)

-- {====== distributions ======
local RT = 1e-15   -- a * (b/a)^u and u * scale + loc: pow may differ in the last bit
for name, want in pairs(F.rvs) do
  local d = ({uniform = ml.stats.uniform(2, 3), loguniform = ml.stats.loguniform(1e-3, 1e2),
              randint = ml.stats.randint(3, 17), norm = ml.stats.norm(1, 2), expon = ml.stats.expon(0.5, 2)})[name]
  T.close(d:rvs{size = 6, random_state = 42}, want, RT, 0, name)
end
T.eq(math.type(ml.stats.randint(1, 5):rvs{random_state = 0}), "integer")
T.eq(type(ml.stats.uniform():rvs()), "number")
T.eq(tostring(ml.stats.loguniform(0.01, 100)), "loguniform(a=0.01, b=100)")
T.eq(tostring(ml.stats.uniform{loc = 1, scale = 2}), "uniform(loc=1, scale=2)")
T.err("ml.stats.loguniform: needs 0 < a < b", ml.stats.loguniform, 0, 1)
T.err("ml.stats.randint: needs integers low < high", ml.stats.randint, 5, 5)
T.err("ml.stats: no distribution 'unifrom' (did you mean ml.stats.uniform?)", function() return ml.stats.unifrom end)
T.err("ml.stats.uniform:rvs: unknown option 'sise' (did you mean 'size'?)", function() ml.stats.uniform():rvs{sise = 2} end)

-- {====== ParameterSampler ======
local U = ml.stats
local dists = {
  {C = {0.1, 1, 10}, kernel = {"rbf", "linear"}, x = {1, 2, 3, 4}},
  {C = U.loguniform(1e-2, 1e2), gamma = U.uniform(0, 1), degree = U.randint(1, 5), kernel = {"rbf", "poly"}},
  {{a = U.norm(0, 1)}, {b = {1, 2, 3}, c = U.expon()}},
}
for i, c in ipairs(F.sampler) do
  local got = ml.ParameterSampler(dists[i], c.n_iter, {random_state = c.random_state})
  T.eq(#got, #c.out)
  for j = 1, #got do
    for k, v in pairs(c.out[j]) do
      if type(v) == "number" then T.close(got[j][k], v, RT, 0, ("sampler %d/%d %s"):format(i, j, k))
      else T.eq(got[j][k], v) end
    end
    for k in pairs(got[j]) do T.ok(c.out[j][k] ~= nil, "extra parameter " .. k) end
  end
end
T.err("ml.ParameterSampler: parameter 'C' must be a non-empty list or a distribution",
  ml.ParameterSampler, {C = 3}, 2)

-- {====== RandomizedSearchCV ======
local iris = ml.datasets.load_iris()
local rs = ml.RandomizedSearchCV(ml.SVC(), {C = U.loguniform(1e-1, 1e2), gamma = U.loguniform(1e-3, 1e0)},
  {n_iter = 6, random_state = 0, cv = 3}):fit(iris.data, iris.target)
local S = F.search
for c = 1, #S.params do
  T.close(rs.cv_results_["param_C"]:to_numpy()[c], S.params[c].C, RT, 0, "candidate C")
  T.close(rs.cv_results_["param_gamma"]:to_numpy()[c], S.params[c].gamma, RT, 0, "candidate gamma")
end
-- SVC agrees with libsvm to ~1e-8 in decision values; the accuracies are exact
T.close(rs.cv_results_["mean_test_score"]:to_numpy(), S.mean_test_score, 1e-12)
T.close(rs.best_score_, S.best_score, 1e-12)
T.close(rs.best_params_.C, S.best_params.C, RT)
T.ok(rs:score(iris.data, iris.target) > 0.9, "refit best estimator")
T.eq(tostring(ml.RandomizedSearchCV{estimator = ml.SVC(), param_distributions = {C = {1, 2}}, n_iter = 2}):sub(1, 19),
  "RandomizedSearchCV(")
T.err("ml.RandomizedSearchCV: unknown option 'n_iters' (did you mean 'n_iter'?)",
  ml.RandomizedSearchCV, ml.SVC(), {C = {1}}, {n_iters = 3})
T.err("ml.RandomizedSearchCV.fit: invalid parameter 'CC' for SVC (did you mean 'C'?)", function()
  ml.RandomizedSearchCV(ml.SVC(), {CC = {1, 2}}, {n_iter = 1}):fit(iris.data, iris.target) end)
T.err("ml.RandomizedSearchCV.predict: this RandomizedSearchCV instance is not fitted yet",
  function() ml.RandomizedSearchCV(ml.SVC(), {C = {1}}):predict(iris.data) end)

-- groups reach a group splitter through cross-validation and the searches
local groups = {}
for i = 1, 150 do groups[i] = (i - 1) % 7 end
local sc = ml.cross_val_score(ml.LogisticRegression{max_iter = 1000}, iris.data, iris.target,
  {groups = groups, cv = ml.GroupKFold{n_splits = 3}})
T.close(sc, F.group_cv, 1e-12)
local gs = ml.GridSearchCV(ml.LogisticRegression{max_iter = 1000}, {C = {1.0}}, {cv = ml.GroupKFold{n_splits = 3}})
gs:fit(iris.data, iris.target, {groups = groups})
local m = 0
for _, v in ipairs(F.group_cv) do m = m + v / 3 end
T.close(gs.best_score_, m, 1e-12)
T.err("ml.GridSearchCV.fit: unknown option 'group' (did you mean 'groups'?)",
  function() gs:fit(iris.data, iris.target, {group = groups}) end)
T.done()
