-- bench/memory.lua: peak resident memory (VmHWM) of a fresh geolab process
-- doing one of the main cases, paired with bench/memory.py (a fresh python3
-- doing the same). Each child prints its CHECK values and its peak; this
-- script passes them on as "CHECK <row> ..." and "MEM <row> <MB>". Inputs are
-- the files the other cases wrote to bench/out/ (frame_csv, ml, spatial,
-- scaling run before this one in bench/TITLES).
-- the geolab running this script: arg's lowest index (arg[-1] is an option
-- such as --threads' value when bench/run.sh passes one)
local function interpreter()
  local i = -1
  while arg[i - 1] do i = i - 1 end
  return arg[i]
end
local exe = interpreter() or "build/geolab"
local PEAK = [[
for line in io.lines("/proc/self/status") do
  local kb = line:match("^VmHWM:%s*(%d+)")
  if kb then print("PEAK_KB " .. kb) end
end
]]
local CASES = {
  {"startup", ""},
  {"read_csv_numeric_1Mx4", [[
local df = pd.read_csv("bench/out/numeric_1M.csv")
print(("CHECK rows %d"):format(df.shape[1]))]]},
  {"read_csv_hydrology_8_files", [[
local h = pd.read_csv("data/calibration/hydrology/*.csv.gz",
  {comment = "#", na_values = {-30000, "NAN", 1e10}, parse_dates = {"datetime"}, index_col = "datetime"})
print(("CHECK rows %d"):format(h.shape[1]))]]},
  {"kmeans_k8_1M_lloyd", [[
local P = np.load("bench/out/spatial_1M.npy")
local km = ml.KMeans{n_clusters = 8, n_init = 1, init = P[{{1, 8}}]:copy()}:fit(P)
print(("CHECK inertia %.17g rtol=1e-9"):format(km.inertia_))]]},
  {"kdtree_build_query10_1M", [[
local P = np.load("bench/out/spatial_1M.npy")
local d = spatial.KDTree(P):query(P, {k = 10})
print(("CHECK sum_distances %.17g rtol=1e-12"):format(d:sum()))]]},
  {"dbscan_dunes_4x", [[
local P = np.load("bench/out/scaling_4x.npy")
local db = ml.DBSCAN{eps = 0.008, min_samples = 8}:fit(P)
print(("CHECK clusters %d"):format(db.labels_:max()))]]},
  {"eigenfeatures_r0.1_44677", [[
local P = np.load("bench/out/scaling_1x.npy")
local f = spatial.eigenfeatures(P, {radius = {0.1}})
print(("CHECK sum_lambda1 %.17g rtol=1e-9"):format(np.nansum(f.eigenvalues[{{}, 1, 1}])))]]},
  {"random_forest_100_fit_predict_20000x20", [[
local X, y = np.load("bench/out/ml_X.npy"), np.load("bench/out/ml_y.npy")
local rf = ml.RandomForestClassifier{n_estimators = 100, random_state = 0, n_jobs = 2}:fit(X, y)
print(("CHECK train_accuracy %.17g"):format(ml.accuracy_score(y, rf:predict(X))))]]},
  {"linear_regression_1000000x10", [[
local m = ml.LinearRegression():fit(np.load("bench/out/ml_Xl.npy"), np.load("bench/out/ml_yl.npy"))
print(("CHECK coef_10 %.17g rtol=1e-10"):format(m.coef_[10]))]]},
}
os.execute("mkdir -p bench/out")
local path = "bench/out/memory_case.lua"
for _, c in ipairs(CASES) do
  local f = assert(io.open(path, "w"))
  f:write(c[2], "\n", PEAK)
  f:close()
  local p = assert(io.popen(("'%s' %s"):format(exe, path)))
  local text = p:read("a")
  local ok, _, code = p:close()
  if not ok then error(("bench/memory.lua: %s: the child failed (status %s)"):format(c[1], code)) end
  for l in text:gmatch("[^\n]+") do
    local rest = l:match("^CHECK (.*)$")
    if rest then print(("CHECK %s %s"):format(c[1], rest)) end
    local kb = l:match("^PEAK_KB (%d+)$")
    if kb then print(("MEM %s %.1f"):format(c[1], tonumber(kb) / 1024)) end
  end
  io.stdout:flush()
end
