-- ml_determinism.lua: forests, kNN, MLP and the practical give bit-identical
-- results for any thread count (--threads 1 vs 2) and on every run.
local T = require "testlib"
local exe = arg[-1] or "geolab"

local prog = [[
local rng = np.random.Generator(7)
local X = rng:normal(0, 1, {600, 8})
local y = (X[{{}, 1}] + X[{{}, 2}] * X[{{}, 3}]):gt(0):astype("int64")
local rf = ml.RandomForestClassifier{n_estimators = 40, oob_score = true, random_state = 3, n_jobs = %s}:fit(X, y)
local P = rf:predict_proba(X)
local et = ml.ExtraTreesRegressor{n_estimators = 20, random_state = 1}:fit(X, X[{{}, 4}])
local kn = ml.KNeighborsClassifier{n_neighbors = 5, algorithm = "brute"}:fit(X, y):predict_proba(X + 0.01)
local out = {("%%.17g %%.17g"):format(rf.oob_score_, P:sum())}
for _, v in ipairs(rf.feature_importances_:totable()) do out[#out + 1] = ("%%.17g"):format(v) end
out[#out + 1] = ("%%.17g %%.17g"):format(et:predict(X):sum(), kn:sum())
local mlp = ml.MLPClassifier{hidden_layer_sizes = {16}, max_iter = 5, random_state = 0}:fit(X, y)
out[#out + 1] = ("%%.17g %%.17g"):format(mlp.loss_, mlp:predict_proba(X):sum())
io.write(table.concat(out, "\n"), "\n")
]]

local function run(threads, jobs)
  local src = T.tmp("ml_det.lua")
  local f = assert(io.open(src, "w")); f:write(prog:format(jobs)); f:close()
  local p = assert(io.popen(("'%s' --threads %d '%s'"):format(exe, threads, src)))
  local s = p:read("a"); p:close()
  return s
end

local a, b, c = run(1, "nil"), run(2, "nil"), run(2, "-1")
T.ok(#a > 50, "the program ran: " .. a)
T.eq(a, b, "--threads 1 and 2")
T.eq(a, c, "n_jobs = -1")
T.eq(run(2, "2"), a, "same on a rerun")
T.done()
