-- array_limits.lua: impossible sizes are refused with the function and the
-- value, before any product can overflow (issue 12). NumPy 1.24 refuses every
-- case below too ("array is too big", "Maximum allowed size exceeded",
-- "'float' object cannot be interpreted as an integer").
local T = require "testlib"
local M = math.maxinteger
local big = 1 << 59      -- 2^59 elements: a valid view, 2^62 bytes as float64

-- broadcast_to gave size -2 (print then hung) and size 0 with sum 0.0
T.err("np.broadcast_to: array of shape (9223372036854775807,2) is too big (more than 2^63 elements)",
      np.broadcast_to, np.zeros{1}, {M, 2})
T.err("np.broadcast_to: array of shape (4294967296,4294967296) is too big",
      np.broadcast_to, np.zeros{1}, {1 << 32, 1 << 32})
T.err("np.broadcast_to: array of 9223372036854775807 uint8 elements (9.2 EB) is too big",
      np.broadcast_to, np.zeros({1}, "uint8"), {M})
local v = np.broadcast_to(np.zeros{1}, {big})   -- still allowed, as in NumPy
T.eq(v.size, big)
T.eq(v.shape[1], big)
-- a 0 elsewhere does not excuse an overflowing product (NumPy checks it too)
T.err("np.zeros: array of shape (0,1099511627776,1099511627776) is too big",
      np.zeros, {0, 1 << 40, 1 << 40})
T.eq(np.zeros{0, 5}.size, 0)

-- constructors
T.err("np.zeros: array of 9223372036854775807 float64 elements (73.8 EB) is too big", np.zeros, {M})
T.err("np.ones: array of 9223372036854775807 float64 elements (73.8 EB) is too big", np.ones, {M, 1})
T.err("np.empty: array of shape (9223372036854775807,2) is too big", np.empty, M, 2)
T.err("np.full: array of 9223372036854775807 int64 elements (73.8 EB) is too big", np.full, {M}, 1)
T.err("np.zeros: array of shape (2147483648,2147483648,4) is too big", np.zeros, 1 << 31, 1 << 31, 4)
T.err("np.zeros: negative dimensions are not allowed", np.zeros, {2, -1})
-- floats in a shape: NumPy's TypeError, with the way to write it
T.err("np.zeros: shape must contain integers, got the float 1000000000000.0 ('float' object cannot be interpreted as an integer; write 1000000000000 or math.tointeger(x))",
      np.zeros, {1e12})
T.err("np.zeros: shape must contain integers, got the float 1.5 ('float' object cannot be interpreted as an integer)",
      np.zeros, {2, 1.5})
T.err("np.ones: shape must contain integers, got the float 3.0", np.ones, 3.0)
T.err("np.linspace: array of 9223372036854775807 float64 elements (73.8 EB) is too big", np.linspace, 0, 1, M)
T.err("np.linspace: number of samples, -5, must be non-negative", np.linspace, 0, 1, -5)
T.err("np.arange: maximum allowed size exceeded", np.arange, 0, 1e300)
T.err("np.arange: maximum allowed size exceeded", np.arange, M)
T.err("np.arange: array of 4611686018427387904 float64 elements (36.9 EB) is too big", np.arange, 0, 2^62)

-- shape operations
T.err("reshape: cannot reshape array of size 3 into shape (9223372036854775807,2)", function() return np.zeros{3}:reshape{M, 2} end)
T.err("reshape: cannot reshape array of size 4 into shape (-1,9223372036854775807)", function() return np.zeros{4}:reshape{-1, M} end)
T.err("reshape: cannot reshape array of size 0 into shape (4294967296,4294967296,0)",
      function() return np.zeros{0}:reshape{1 << 32, 1 << 32, 0} end)
T.err("np.tile: array of 3 x 9223372036854775807 elements along axis 0 is too big", np.tile, np.zeros{3}, {M})
T.err("np.tile: array of shape (1099511627776,3298534883328) is too big", np.tile, np.zeros{3}, {1 << 40, 1 << 40})
T.err("np.repeat: array of 3 x 9223372036854775807 elements is too big", np["repeat"], np.zeros{3}, M)
T.err("np.repeat: array of 3 x 9223372036854775807 elements along axis 0 is too big", np["repeat"], np.zeros{3, 2}, M, 0)
local views = {}
for i = 1, 17 do views[i] = v end
T.err("np.concatenate: the joined axis would have more than 2^63 elements", np.concatenate, views)
T.err("np.concatenate: array of 2305843009213693952 float64 elements (18.4 EB) is too big",
      np.concatenate, {v, v, v, v})
T.err("np.stack: array of 1152921504606846976 float64 elements (9.2 EB) is too big", np.stack, {v, v})

-- an allocation the system refuses names the function and the size, and is
-- an ordinary error (Lua's own "not enough memory" has neither)
T.err("np.zeros: cannot allocate 800.0 GB", np.zeros, {100000000000})
T.err("np.ones: cannot allocate 4.6 EB", np.ones, {big})
T.err("cannot allocate 4.6 EB", np.array, v)

-- histogram bins: NumPy 1.24 refuses a float count, even 10.0 ("TypeError:
-- `bins` must be an integer, a string, or an array"); a count above the
-- documented cap (docs/dev/guarantees.md) is refused at once instead of
-- running for minutes (plt.hist with bins=1e9 did)
local x = np.arange(10.0)
T.err("np.histogram: `bins` must be an integer, a string, or an array (got the float 10.0)", np.histogram, x, 10.0)
T.err("np.histogram: `bins` must be an integer, a string, or an array (got the float 1.5)", np.histogram, x, {bins = 1.5})
T.err("np.histogram: bins=1000000000 is more than the limit of 10000000 bins", np.histogram, x, 1000000000)
T.err("np.histogram_bin_edges: bins=10000001 is more than the limit of 10000000 bins", np.histogram_bin_edges, x, 10000001)
T.err("np.histogram_bin_edges: `bins` must be an integer, a string, or an array", np.histogram_bin_edges, x, 3.0)
T.eq(np.histogram(x, 5):totable(), {2, 2, 2, 2, 2})
-- a rule that asks for absurdly many bins (one far outlier with 'fd')
local outl = np.concatenate{np.random.normal{size = 1000}, np.array{1e12}}
T.err("np.histogram: the 'fd' rule asks for", np.histogram, outl, "fd")
T.err("more than the limit of 10000000 bins", np.histogram, outl, "fd")
local fig, ax = plt.subplots()
T.err("hist: `bins` must be an integer, a string, or an array (got the float 1000000000.0)", function() return ax:hist(x, {bins = 1e9}) end)
T.err("hist: `bins` must be an integer, a string, or an array (got the float 10.0)", function() return ax:hist(x, {bins = 10.0}) end)
T.err("hist: bins=1000001 is more than the limit of 1000000 bins for a drawn histogram", function() return ax:hist(x, {bins = 1000001}) end)
T.err("plt.hist: `bins` must be an integer, a string, or an array", plt.hist, x, {bins = 1e9})
local df = pd.DataFrame{a = x}
T.err("bins=1000000000 is more than the limit of 1000000 bins", function() return df:plot{kind = "hist", bins = 1000000000} end)
T.err("pd.cut: bins=1000000000 is more than the limit of 10000000 bins", pd.cut, x, 1000000000)
plt.close("all")

-- decompression is bounded by what the .npy header declares: a 20 kB .gz
-- whose header declares 2 numbers followed by 20 MB is refused, not inflated
-- (a 6 MB one took 37 s and 6.3 GB); fixtures from tests/fixtures/limits/gen_limits.py
local FX = "tests/fixtures/limits/"
T.err("np.load: " .. FX .. "bomb.npy.gz: data after the declared array (corrupt or not a .npy)",
      np.load, FX .. "bomb.npy.gz")
T.err("np.load: " .. FX .. "bomb.npz: data after the declared array in member 'x.npy' (corrupt or not a .npy)",
      np.load, FX .. "bomb.npz")
T.eq(np.load(FX .. "good.npy.gz"):totable(), {1.5, 2.5})
-- a .npy.gz larger than the first inflated block still loads whole
local bigpath = T.tmp("limits_big.npy.gz")
np.save(bigpath, np.arange(100000))
T.eq(np.load(bigpath):sum(), 4999950000)
local zpath = T.tmp("limits_big.npz")
np.savez_compressed(zpath, {a = np.arange(100000), b = np.array{1, 2}})
local z = np.load(zpath)
T.eq(z.a:sum(), 4999950000)
T.eq(z.b:totable(), {1, 2})

-- and the program goes on
T.eq(np.zeros{3}:sum(), 0.0)

T.done()
