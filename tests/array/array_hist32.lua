-- array_hist32.lua: np.histogram of float32 data against NumPy 1.24
-- (tests/fixtures/hist32, from gen_hist32.py): bin edges come back in
-- float32 for a bin count, a rule or float32 edges (float64 for a list), and
-- values lying on or next to the rounded edges fall in NumPy's bins.
local T = require "testlib"

local F = np.load("tests/fixtures/hist32/hist32.npz")
local x, w = F.x, F.w

local function same(name, rtol, h, e)
  T.eq(h.dtype, F[name .. "_h"].dtype, name .. " counts dtype")
  T.eq(e.dtype, F[name .. "_e"].dtype, name .. " edges dtype")
  T.close(h, F[name .. "_h"], rtol, 0, name .. " counts")
  T.close(e, F[name .. "_e"], 0, 0, name .. " edges")
end

same("b7", 0, np.histogram(x, 7))
same("b10", 0, np.histogram(x))
same("b7", 0, np.histogram(x, {bins = 7}))
same("auto", 0, np.histogram(x, "auto"))
same("sturges", 0, np.histogram(x, {bins = "sturges"}))
same("range", 0, np.histogram(x, 5, {range = {-2, 3}}))
-- density: counts / (n * width) in float64, widths of the float32 edges
same("density", 1e-12, np.histogram(x, 7, {density = true}))
-- float32 weights summed in float32 by NumPy; summation order may differ
same("weights", 1e-6, np.histogram(x, 7, {weights = w}))
same("e32", 0, np.histogram(x, np.array({-5, -1, 0, 0.5, 2, 9}, "float32")))
same("elist", 0, np.histogram(x, {-5, -1, 0, 0.5, 2, 9}))
T.close(np.histogram_bin_edges(x, 7), F.edges7, 0, 0, "histogram_bin_edges")
T.eq(np.histogram_bin_edges(x, 7).dtype, "float32", "histogram_bin_edges dtype")
-- float64 data keeps float64 edges
local _, e64 = np.histogram(x:astype("float64"), 7)
T.eq(e64.dtype, "float64", "float64 edges for float64 data")
T.done()
