-- array_reduce.lua: reductions, scans, sorting and counting against NumPy 1.24
-- (tests/fixtures/reduce, from gen_reduce.py), the call forms, error texts,
-- and results that do not depend on the thread count.
local T = require "testlib"

local F = np.load("tests/fixtures/reduce/reduce.npz")
local cases = dofile("tests/fixtures/reduce/cases.lua")

local function input (name) return F["in." .. name] end

-- {=====================================================================
-- Every fixture case
-- ======================================================================

local function call (c)
  local x = input(c.x)
  local fn = np[c.fn]
  if c.call == "red" then
    return fn(x, {axis = c.axis, keepdims = c.keepdims, ddof = c.ddof})
  elseif c.call == "q" then
    return fn(x, c.q, {axis = c.axis, keepdims = c.keepdims, method = c.method})
  elseif c.call == "scan" or c.call == "sort" then
    return fn(x, {axis = c.axis})
  elseif c.call == "diff" then
    return fn(x, {n = c.n, axis = c.axis})
  elseif c.call == "unique" then
    return fn(x, {return_index = true, return_inverse = true, return_counts = true})
  elseif c.call == "plain" then
    return fn(x)
  elseif c.call == "search" then
    return fn(x, input(c.v), {side = c.side})
  elseif c.call == "hist" then
    return fn(x, c.edges or c.bins, {range = c.range, density = c.density,
                                     weights = c.weights and input(c.weights)})
  elseif c.call == "bincount" then
    return fn(x, {minlength = c.minlength, weights = c.weights and input(c.weights)})
  elseif c.call == "isin" then
    return fn(x, c.test or input("f64_2d")[c.testrow])
  end
  error("unknown call " .. c.call)
end

-- float32 sums here run in double (NumPy: pairwise float32), so they agree
-- to float32 rounding, not bit for bit.
local function tolerance (dtype)
  if dtype == "float32" then return 2e-6, 1e-5 end
  return 1e-12, 1e-12
end

-- Where geolab differs from NumPy 1.24 on purpose: percentile/quantile of
-- float32 stay float32 (NumPy 1.24 returns float64 arrays; NumPy 2 float32).
local function expected_dtype (c, i)
  if c.x:match("^f32") and (c.fn:match("quantile") or c.fn:match("percentile")) then return "float32" end
  return c.dtype[i]
end

local function check (c, i, got)
  local exp = F["out." .. c.key .. "." .. i]
  local dtype = expected_dtype(c, i)
  local what = ("%s(%s) case %s result %d"):format(c.fn, c.x, c.key, i)
  if c.scalar[i] then
    if type(got) == "userdata" then return T.ok(false, what .. ": expected a Lua value, got an array") end
    if type(got) == "boolean" then return T.eq(got, exp:item(), what) end
    T.close(got, exp:item(), tolerance(dtype))
    return
  end
  if type(got) ~= "userdata" then return T.ok(false, what .. ": expected an array, got " .. type(got)) end
  T.eq(got.dtype, dtype, what .. " dtype")
  T.eq(got.shape, exp.shape, what .. " shape")
  local rtol, atol = tolerance(dtype)
  T.close(got, exp, rtol, atol, what)
end

for _, c in ipairs(cases) do
  local res = table.pack(pcall(call, c))
  if not res[1] then
    T.ok(false, ("%s(%s) case %s raised: %s"):format(c.fn, c.x, c.key, tostring(res[2])))
  else
    T.eq(res.n - 1, c.nres, c.key .. " number of results")
    for i = 1, c.nres do check(c, i, res[i + 1]) end
  end
end

-- Pairwise sums of float64 lines up to 8192 terms are NumPy's, bit for bit.
for _, c in ipairs(cases) do
  if c.fn == "sum" and c.x:match("^f64") and (c.axis == -1 or c.axis == 2 and c.x ~= "f64_3d") then
    local got, exp = call(c), F["out." .. c.key .. ".1"]
    T.eq(got:totable(), exp:totable(), "exact sum " .. c.key)
  end
end

-- }=====================================================================

-- {=====================================================================
-- Call forms, dtypes, special values
-- ======================================================================

local a = np.array{{1, 2, 3}, {4, 5, 6}}
T.eq(a:sum(), 21)
T.eq(math.type(a:sum()), "integer")
T.eq(a:sum(0):totable(), {5, 7, 9})
T.eq(np.sum(a, 1):totable(), {6, 15})
T.eq(np.sum(a, -1):totable(), {6, 15})
T.eq(a:sum{axis = 1, keepdims = true}:totable(), {{6}, {15}})
T.eq(a:sum(1, {keepdims = true}).shape, {2, 1})
T.eq(a:sum{0, 1}, 21)
T.eq(a:sum{axis = {0, 1}, keepdims = true}:totable(), {{21}})
T.eq(np.sum({1, 2, 3.5}), 6.5)
T.eq(a:mean(), 3.5)
T.eq(a:mean(0).dtype, "float64")
T.close(a:std{axis = 0, ddof = 1}, {math.sqrt(4.5), math.sqrt(4.5), math.sqrt(4.5)})   -- each column is {x, x + 3}
T.eq(a:argmax(), 6)
T.eq(a:argmin(1):totable(), {1, 1})
T.eq(a:max(0):totable(), {4, 5, 6})
T.eq(a:max(0).dtype, "int64")
T.eq(np.array({1, 2}, "int32"):max(), 2)
T.eq(np.array({1, 2}, "int32"):sum(nil, {dtype = "float32"}), 3.0)
T.eq(a:ptp(), 5)
T.eq(a:median(), 3.5)
T.eq(a:percentile(50), 3.5)
T.eq(a:quantile({0, 1}):totable(), {1, 6})
T.eq(a:cumsum():totable(), {1, 3, 6, 10, 15, 21})
T.eq(a:cumsum(0):totable(), {{1, 2, 3}, {5, 7, 9}})
T.eq(a:cumprod(1):totable(), {{1, 2, 6}, {4, 20, 120}})
T.eq(a:gt(2):any(), true)
T.eq(a:gt(2):all(), false)
T.eq(a:gt(2):any(0):totable(), {true, true, true})
T.eq(np.count_nonzero(a:gt(2)), 4)
local f32 = np.array({1.5, 2.5, 4}, "float32")
T.eq(f32:sum(), 8.0)
T.eq(f32:mean(1 - 1 + 0 * 1), f32:mean())
T.eq(f32:sum{axis = 0, keepdims = true}.dtype, "float32")
T.eq(f32:std{keepdims = true}.dtype, "float32")
T.eq(np.array{true, false, true}:sum(), 2)
T.eq(np.array{true, false, true}:mean(), 2 / 3)
-- a float32 sum is accumulated in double (in float32, 2^24 + 1 + 1 is 2^24)
T.eq(np.array({16777216, 1, 1}, "float32"):sum(), 16777218.0)
-- NaN rules
local n = np.array{1, 0 / 0, 3}
T.ok(n:sum() ~= n:sum(), "sum propagates NaN")
T.eq(n:nansum(), 4.0)
T.eq(n:nanmean(), 2.0)
T.eq(n:nanmax(), 3.0)
T.eq(n:argmax(), 2)
T.eq(n:nanargmax(), 3)
T.ok(np.nanmean(np.array{0 / 0, 0 / 0}) ~= np.nanmean(np.array{0 / 0, 0 / 0}), "nanmean of all-NaN is NaN")
T.eq(np.sort(np.array{3, 0 / 0, 1}):totable()[2], 3.0)
-- empty
T.eq(np.sum(np.zeros{0}), 0.0)
T.eq(np.zeros{0, 3}:sum(0):totable(), {0.0, 0.0, 0.0})
T.eq(np.zeros{0, 3}:max(1).shape, {0})
-- non-contiguous views read in place or through a copy
local m = np.arange(24):reshape{2, 3, 4}
local mt = m:transpose()
T.eq(mt:sum(0):totable(), m:sum(2):transpose():totable())
T.eq(m:sum{0, 2}:totable(), {60, 92, 124})
T.eq(m[{{}, {}, {2, 3}}]:sum(2):totable(), {{3, 11, 19}, {27, 35, 43}})
T.eq(mt:cumsum(1):totable(), m:cumsum(1):transpose():totable())
T.eq(mt:sort(0):totable(), mt:totable())
-- sorting and searching
local s = np.array{3, 1, 2, 1}
T.eq(np.sort(s):totable(), {1, 1, 2, 3})
T.eq(np.argsort(s):totable(), {2, 4, 3, 1})
T.eq(s:argsort():totable(), {2, 4, 3, 1})
T.eq(s:sort(), s)
T.eq(s:totable(), {1, 1, 2, 3})   -- the method sorts in place, like NumPy's
T.eq(np.array({3, 1, 2}, "int32"):sort().dtype, "int32")
T.eq(np.searchsorted(np.array{1, 2, 3}, 2), 2)
T.eq(np.searchsorted(np.array{1, 2, 3}, 2, "right"), 3)
T.eq(np.searchsorted(np.array{1, 2, 3}, {0, 4}):totable(), {1, 4})
local u, cnt = np.unique(np.array{2, 1, 2, 5}, {return_counts = true})
T.eq(u:totable(), {1, 2, 5})
T.eq(cnt:totable(), {1, 2, 1})
T.eq(np.isin(np.array{1, 2, 3}, {2}, {invert = true}):totable(), {true, false, true})
local counts, edges = np.histogram(np.array{1, 2, 2, 3}, 2)
T.eq(counts:totable(), {1, 3})
T.eq(edges:totable(), {1.0, 2.0, 3.0})
T.eq(np.bincount(np.array{0, 1, 1, 3}):totable(), {1, 2, 0, 1})
local r, c = np.nonzero(np.array{{0, 1}, {1, 0}})
T.eq(r:totable(), {1, 2})
T.eq(c:totable(), {2, 1})
T.eq(np.where(np.array{0, 2, 0, 3}):totable(), {2, 4})
T.eq(np.diff(np.array{1, 4, 9, 16}):totable(), {3, 5, 7})
T.eq(np.diff(np.array{1, 4, 9, 16}, 2):totable(), {2, 2})
T.eq(np.diff(np.array{true, false, false}):totable(), {true, false})

-- }=====================================================================

-- {=====================================================================
-- Errors
-- ======================================================================

T.err("np.sum: axis 2 is out of bounds for array of dimension 2", np.sum, a, 2)
T.err("np.sum: axis 2 is out of bounds for array of dimension 2", function () return a:sum(2) end)
T.err("np.mean: axis -3 is out of bounds for array of dimension 2", np.mean, a, -3)
T.err("np.sum: axis must be an integer, got a non-integral number", np.sum, a, 0.5)
T.err("np.sum: duplicate value in 'axis'", np.sum, a, {0, 0})
T.err("np.std: unknown option 'dof' (did you mean 'ddof'?)", np.std, a, {dof = 1})
T.err("np.sum: unknown option 'keepdim' (did you mean 'keepdims'?)", np.sum, a, {keepdim = true})
T.err("np.sum: option 'keepdims' must be a boolean", np.sum, a, {keepdims = 1})
T.err("np.min: zero-size array to reduction operation minimum which has no identity", np.min, np.zeros{0})
T.err("np.max: zero-size array to reduction operation maximum which has no identity", np.max, np.zeros{3, 0}, 1)
T.err("np.argmax: attempt to get argmax of an empty sequence", np.argmax, np.zeros{0})
T.err("np.nanargmin: All-NaN slice encountered", np.nanargmin, np.array{0 / 0})
T.err("np.percentile: Percentiles must be in the range [0, 100]", np.percentile, a, 101)
T.err("np.quantile: Quantiles must be in the range [0, 1]", np.quantile, a, {0.5, -0.1})
T.err("np.percentile: 'cubic' is not a valid method", np.percentile, a, 50, {method = "cubic"})
T.err("np.sort: sort kind must be one of", np.sort, a, {kind = "bogo"})
T.err("np.cumsum: axis must be an integer", np.cumsum, a, {1, 2})
T.err("np.diff: order must be non-negative but got -1", np.diff, a, -1)
T.err("np.searchsorted: side must be 'left' or 'right', got 'middle'", np.searchsorted, np.array{1}, 1, "middle")
T.err("np.bincount: the input must have no negative elements", np.bincount, np.array{1, -1})
T.err("np.bincount: x must be of an integer type, got float64", np.bincount, np.array{1.5})
T.err("np.histogram: autodetected range of [nan, nan] is not finite", np.histogram, np.array{1, 0 / 0})
T.err("np.histogram: bins must increase monotonically, when an array", np.histogram, a, {3, 1, 2})
T.err("np.histogram: max must be larger than min in range parameter.", np.histogram, a, 3, {range = {2, 1}})
T.err("array expected, got string", np.sum, "x")
T.err("array expected, got string", np.sort, "x")

-- }=====================================================================

-- {=====================================================================
-- Same bits for any thread count (the host's --threads), on arrays large
-- enough to be split: a whole-array sum, each axis, std, nan-forms, median.
-- ======================================================================

local exe = arg and arg[-1]
if exe then
  for i = -2, -10, -1 do if arg[i] then exe = arg[i] else break end end
  local script = [[
local g = np.random.Generator(7)
local x = g:normal(0, 1, {700, 900})
x[{{1, 700, 13}, {}}] = 0 / 0
local out = {}
local function put (v)
  if type(v) == "number" then out[#out + 1] = ("%a"):format(v); return end
  for _, e in ipairs(v:flatten():totable()) do out[#out + 1] = ("%a"):format(e) end
end
local y = g:normal(0, 1, {1000, 700})
put(y:sum()); put(y:sum(0)); put(y:sum(1)); put(y:mean(0)); put(y:std(0)); put(y:var{axis = 1, ddof = 1})
put(x:nansum()); put(x:nansum(1)); put(x:nanmean(0)); put(x:nanstd{axis = 1, ddof = 1})
put(x[{{2, 700, 13}, {}}]:std(0)); put(x:nanmedian(0)); put(x:ravel():nansum()); put(x:cumsum(0):nansum())
print(#out, table.concat(out, " "):len(), (table.concat(out, " ")))
]]
  local path = T.tmp("reduce_threads.lua")
  local f = assert(io.open(path, "w"))
  f:write(script)
  f:close()
  local function run (threads)
    local p = io.popen(("'%s' --threads %d '%s' 2>&1"):format(exe, threads, path))
    local text = p:read("a")
    p:close()
    return text
  end
  local one, two = run(1), run(2)
  T.ok(#one > 1000, "threads script ran: " .. one:sub(1, 200))
  T.ok(one == two, "results differ between --threads 1 and --threads 2")
end

-- }=====================================================================

-- sorting values of 256 or more floats takes a radix sort (kernels/array/sort.c):
-- the same bits as the stable merge sort that argsort uses, -0.0 and NaN
-- included (those lines go to the merge sort, which keeps them in input order)
do
  -- every bit, signed zeros and NaN payloads included
  local function same_bits(a, b)
    if a.size ~= b.size then return false end
    local fmt = a.dtype == "float32" and "f" or "d"
    local ta, tb = a:totable(), b:totable()
    for i = 1, #ta do if string.pack(fmt, ta[i]) ~= string.pack(fmt, tb[i]) then return false end end
    return true
  end
  local g = np.random.Generator(11)
  for _, n in ipairs{255, 256, 300, 5000} do
    local x = g:normal{size = n} * 100
    local r = np.round(x / 10)                  -- duplicates and zeros
    local z = x:copy(); z[3] = 0.0; z[5] = -0.0; z[7] = 0 / 0
    for name, v in pairs{x = x, r = r, z = z, f = x:astype("float32"), big = x * 1e300 + 1e-300} do
      local s = np.sort(v)
      T.ok(same_bits(s, v[np.argsort(v)]), ("np.sort %s %d: the merge sort's bits"):format(name, n))
    end
    T.ok(np.sort(z)[-1] ~= np.sort(z)[-1], "NaN last")
  end
  local m = g:normal{size = {40, 700}}
  T.ok(same_bits(np.sort(m, 1)[7], m[7][np.argsort(m[7])]), "rows of a 2-D sort")
  T.ok(same_bits(np.sort(m, 0)[{{}, 9}], np.sort(m[{{}, 9}]:copy())), "columns of a 2-D sort")
  T.ok(not same_bits(np.array{0.0, -0.0}, np.array{-0.0, 0.0}), "same_bits sees signed zeros")
end

T.done()
