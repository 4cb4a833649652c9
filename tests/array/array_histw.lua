-- array_histw.lua: np.histogram with weights and np.bincount against NumPy
-- 1.24 (tests/fixtures/histw, from gen_histw.py). The counts of a weighted
-- histogram take the weights' dtype (float32 weights on float64 data give
-- float32 counts; int32 int32; bool a logical or), summed blockwise as
-- NumPy sums them, so the values agree to the last bit; bincount's weighted
-- result is always float64. Before: every weighted histogram came back
-- float64, summed in one pass.
local T = require "testlib"
local F = np.load("tests/fixtures/histw/histw.npz")

local n = 200000
local i = np.arange(n)
local x64 = (i * 7919 % 10007) / 10007 * 6 - 3
local w64 = (i * 104729 % 1000 + 1) / 997
local wi = i * 104729 % 1000 - 300
local W = {w64 = w64, w32 = w64:astype("float32"), wi = wi, wi32 = wi:astype("int32"),
  wu8 = (i % 3):astype("uint8"), wb = (i % 5):eq(0)}
local X = {x64 = x64, x32 = x64:astype("float32"), xi = i * 7919 % 10007 - 5000}
local edges = {-3, -1.5, -0.2, 0, 0.1, 1, 2.5, 3}

local function same(name, h, want)
  T.eq(h.dtype, want.dtype, name .. " dtype")
  T.eq(h.shape, want.shape, name .. " shape")
  -- equal bits: NumPy's order of additions is reproduced
  T.ok(h:astype("float64"):eq(want:astype("float64")):all(), name .. " values: " .. tostring(h) .. " vs " .. tostring(want))
end

for _, xn in ipairs{"x64", "x32", "xi"} do
  for _, wn in ipairs{"w64", "w32", "wi", "wi32", "wu8", "wb"} do
    local key = xn .. "_" .. wn
    local h, e = np.histogram(X[xn], 7, {weights = W[wn]})
    same(key, h, F[key .. "_h"])
    T.close(e, F[key .. "_e"], 0, 0, key .. " edges")
    T.eq(e.dtype, F[key .. "_e"].dtype, key .. " edges dtype")
    if wn ~= "wb" then
      same(key .. " edges", (np.histogram(X[xn], edges, {weights = W[wn]})), F[key .. "_edges_h"])
    end
    local d = np.histogram(X[xn], {bins = 7, weights = W[wn], density = true})
    T.eq(d.dtype, "float64", key .. " density dtype")
    -- widths and the total as NumPy takes them; the division order may differ by an ulp
    T.close(d, F[key .. "_density_h"], 1e-15, 0, key .. " density")
  end
end
same("small", (np.histogram(x64[{{1, 1000}}], 5, {weights = W.w32[{{1, 1000}}]})), F.small_h)
T.err("np.histogram: bool weights need a count of bins", function() return np.histogram(x64, edges, {weights = W.wb}) end)
T.err("np.histogram: weights should have the same shape as a", function() return np.histogram(x64, 7, {weights = W.w32[{{1, 10}}]}) end)

-- bincount: float64 whatever the weights' dtype
local b = i % 11
for _, wn in ipairs{"w64", "w32", "wi", "wi32", "wu8", "wb"} do
  same("bincount " .. wn, np.bincount(b, W[wn]), F["bincount_" .. wn])
  same("bincount{weights} " .. wn, np.bincount(b, {weights = W[wn]}), F["bincount_" .. wn])
end
same("bincount uint8 x", np.bincount(b:astype("uint8")), F.bincount_u8x)
same("bincount bool x", np.bincount((i % 3):eq(0), W.w32), F.bincount_boolx)

-- the private argsort that reproduces NumPy's order of equal keys
T.eq(np._argsort_numpy(F.argsort_keys):totable(), (F.argsort_order + 1):totable(), "NumPy's argsort order")
T.done()
