-- ml_linreg.lua: ml.LinearRegression (QR in kernels/ml/ml_linreg.c) against
-- scikit-learn 1.2.1 (tests/fixtures/ml/gen_linreg.py): coefficients,
-- intercept, rank and singular values on well- and ill-conditioned,
-- rank-deficient (minimum-norm) and offset data, with and without intercept;
-- strided input; overflow; the same bits with 1 and 2 threads.
local T = require "testlib"
local z = np.load("tests/fixtures/ml/linreg.npz")
local cases = {{"well", true}, {"well", false}, {"ill", true}, {"def", true}, {"off", true}, {"small", true}}
for k, c in ipairs(cases) do
  local name, fi = c[1], c[2]
  local tag = ("%s fit_intercept=%s"):format(name, tostring(fi))
  local m = ml.LinearRegression{fit_intercept = fi}:fit(z[name .. "_X"], z[name .. "_y"])
  local i = k - 1
  -- 1e-10 relative; the ill-conditioned case (cond 2e7) loses that factor
  -- of accuracy in any backward-stable solver, so its coefficients agree
  -- with gelsd's to about cond * eps
  local rt = name == "ill" and 1e-8 or 1e-10
  T.close(m.coef_, z["coef" .. i], rt, 1e-12, tag .. ": coef_")
  T.close(m.intercept_, z["intercept" .. i][1], rt, 1e-12, tag .. ": intercept_")
  T.eq(m.rank_, z["rank" .. i][1], tag .. ": rank_")
  -- singular values below eps * largest are rounding noise on both sides
  local sv, ref = m.singular_, z["singular" .. i]
  local big = ref[1]
  for j = 1, ref.shape[1] do
    -- (a singular value is accurate to about eps times the largest)
    if ref[j] > 1e-10 * big then T.close(sv[j], ref[j], 1e-10, 1e-13 * big, tag .. ": singular_ " .. j)
    else T.ok(sv[j] < 1e-10 * big, tag .. ": tiny singular value " .. j) end
  end
end
-- a strided view (every other row, reversed columns) gives the copy's answer
local X, y = z.well_X, z.well_y
local v = X[{{1, -1, 2}, {-1, 1, -1}}]
T.close(ml.LinearRegression():fit(v, y[{{1, -1, 2}}]).coef_,
        ml.LinearRegression():fit(v:copy(), y[{{1, -1, 2}}]:copy()).coef_, 0, 0, "strided X")
-- float32 keeps the general path and dtype
T.eq(ml.LinearRegression():fit(X:astype("float32"), y).coef_.dtype, "float32")
-- finite data whose centring overflows
local big = np.array{{1e308, 1}, {1e308, 2}, {1e308, 3}, {-1e308, 4}}
T.err("too large for float64", function() ml.LinearRegression():fit(big, np.array{1, 2, 3, 4}) end)
T.same_bits("linreg", [[
  local g = np.random.Generator(5)
  local X = g:normal(0, 1, {200000, 8})
  local m = ml.LinearRegression():fit(X, X:matmul(np.arange(1, 9):astype("float64")) + g:normal(0, 1, {200000}))
  return {coef = m.coef_, intercept = np.array{m.intercept_}, sv = m.singular_}]])
T.done()
