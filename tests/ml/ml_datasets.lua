-- ml_datasets.lua: ml.datasets against scikit-learn 1.2.1 (fixtures from
-- tests/fixtures/ml/gen_datasets.py): the bundled toy datasets, and the
-- make_* generators, which draw NumPy's RandomState stream in sklearn's order.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/datasets.lua")
local D = ml.datasets

-- {====== load_* ======
for name, c in pairs(F.load) do
  if c.shape then
    local b = D["load_" .. name]()
    T.eq(b.data.shape, c.shape, name .. " shape")
    T.eq(b.data.dtype, "float64")
    T.close(b.data:sum(), c.sum, 1e-12, 0, name .. " sum")
    T.close(b.data[1], c.row1, 0, 0, name .. " first row")
    T.close(b.data[-1], c.rowlast, 0, 0, name .. " last row")
    T.close(b.target:sum(), c.target_sum, 1e-12, 0, name .. " target sum")
    T.close(b.target[{{1, 5}}], c.target_first, 0, 0, name .. " targets")
    T.eq(b.feature_names, c.feature_names, name .. " feature_names")
    if c.target_names then T.eq(b.target_names, c.target_names, name .. " target_names") end
    T.eq(b.DESCR:sub(1, 60), c.descr_head)
    T.eq(#b.DESCR, c.descr_len)
    local X, y = D["load_" .. name]{return_X_y = true}
    T.ok(X.shape[1] == c.shape[1] and y.shape[1] == c.shape[1], name .. " return_X_y")
    local f = D["load_" .. name]{as_frame = true}
    T.eq(f.frame.shape, {c.shape[1], c.shape[2] + 1}, name .. " frame")
    T.eq(f.frame.columns[c.shape[2] + 1], "target")
    T.close(f.data[c.feature_names[1]]:to_numpy(), b.data[{{}, 1}], 0, 0, name .. " frame column")
    T.eq(f.target.name, "target")
  end
end
-- classes are sklearn's values 0..K-1: labels, not positions
T.eq(D.load_iris().target[1], 0)
T.close(D.load_diabetes{scaled = false}.data[1], F.load.diabetes_raw_row1, 0, 0, "diabetes unscaled")
local d3 = D.load_digits{n_class = 3}
T.eq(d3.data.shape[1], F.load.digits3.n)
T.eq(d3.target_names, F.load.digits3.target_names)
T.eq(d3.images.shape, {F.load.digits3.n, 8, 8})
T.err("ml.datasets.load_iris: unknown option 'return_xy' (did you mean 'return_X_y'?)", D.load_iris, {return_xy = true})
T.err("the result has no field 'targets' (did you mean 'target'?)", function() return D.load_iris().targets end)
T.err("ml.datasets: no function 'load_irsi' (did you mean ml.datasets.load_iris?)", function() return D.load_irsi end)
T.ok(tostring(D.load_iris()):match("^Bunch%(DESCR, data"), "Bunch prints its keys")

-- {====== make_* ======
-- sin/cos and the matrix products may differ from NumPy's in the last bits
local RT, AT = 1e-12, 1e-13
for i, c in ipairs(F.make) do
  local o = {}
  for k, v in pairs(c.opts) do o[k] = (v == "None") and None or v end
  local out = {D[c.fn](o)}
  T.eq(#out, #c.out, c.fn .. " #" .. i .. " results")
  for r = 1, #c.out do
    T.close(out[r], c.out[r], RT, AT, c.fn .. " #" .. i .. " result " .. r)
  end
  if out[2] and out[2].dtype then
    local want = (c.fn == "make_regression") and "float64" or "int64"
    T.eq(out[2].dtype, want, c.fn .. " y dtype")
  end
end
T.err("ml.datasets.make_moons: unknown option 'nosie' (did you mean 'noise'?)", D.make_moons, {nosie = 1})
T.err("factor has to be between 0 and 1", D.make_circles, {factor = 1.5})
T.err("n_classes * n_clusters_per_class must be smaller or equal 2**n_informative", D.make_classification,
  {n_informative = 2, n_classes = 3, n_clusters_per_class = 2})
T.err("must sum to less than the number of total features", D.make_classification, {n_features = 3})
T.err("effective_rank must be a number", D.make_regression, {effective_rank = "5"})
T.err("n_samples must be an integer >= 1", D.make_blobs, {n_samples = 0})
T.done()
