-- array_core.lua: construction, printing, promotion, broadcasting, indexing,
-- elementwise math and error messages, against NumPy 1.24 (fixtures/core).
local T = require "testlib"
local F = dofile("tests/fixtures/core/core_fixtures.lua")

-- printing: every repr matches NumPy's exactly
for _, case in ipairs(F.reprs) do
  local a = load("return " .. case[1], "=repr", "t", _ENV)()
  T.eq(tostring(a), case[2], "repr of " .. case[1])
end

-- promotion
local env = setmetatable({
  I64 = np.array{1, 2}, F32 = np.array({1, 2}, "float32"), I32 = np.array({1, 2}, "int32"),
  U8 = np.array({1, 2}, "uint8"), B = np.array{true, false}}, {__index = _ENV})
for _, case in ipairs(F.promotion) do
  local r = load("return " .. case[1]:gsub("%^", "^"), "=prom", "t", env)()
  T.eq(r.dtype, case[2], "dtype of " .. case[1])
end

-- elementwise against NumPy
local x, y, xi, yi = np.array(F.x), np.array(F.y), np.array(F.xi), np.array(F.yi)
local E = F.elementwise
T.close(x + y, E.add); T.close(x - y, E.sub); T.close(x * y, E.mul); T.close(x / y, E.div)
T.close(x % y, E.mod); T.close(x // y, E.floordiv); T.close(np.abs(x) ^ y, E.pow, 1e-15)
T.close(np.maximum(x, y), E.maximum); T.close(np.arctan2(x, y), E.arctan2, 1e-15)
T.close(np.hypot(x, y), E.hypot, 1e-15); T.close(np.round(x), E.round); T.close(x:floor(), E.floor)
T.close(np.ceil(x), E.ceil); T.close(np.sign(x), E.sign); T.close(np.exp(x), E.exp, 1e-15)
T.close(np.log1p(np.abs(x)), E.log1p, 1e-15); T.close(np.tanh(x), E.tanh, 1e-15); T.close(x:abs(), E.abs)
T.close(np.round(np.array{1.005, 2.675, -1.255, 0.125}, 2), E.round2)
T.eq((xi % yi):totable(), E.imod); T.eq((xi // yi):totable(), E.ifloordiv)
T.eq((np.abs(xi) ^ 3):totable(), E.ipow)
T.eq((xi % yi).dtype, "int64")

-- broadcasting
local a = np.arange(6):reshape{2, 3}
T.eq((a + np.array{{10}, {20}}):totable(), F.bcast_add)
T.eq((a * np.array{1, 2, 3}):totable(), F.bcast_row)
T.err("operands could not be broadcast together with shapes (2,3) (2,)", function() return a + np.array{1, 2} end)
T.err("np.add: operands could not be broadcast", np.add, a, np.zeros{4})

-- indexing: views, steps, negatives, fancy, masks
local m = np.arange(30):reshape{5, 6}
T.eq(m[{{1, 3}}]:totable(), F.idx_rows)
T.eq(m[{{1, -1, 2}, {2, -1, 2}}]:totable(), F.idx_step)
T.eq(m[{{-1, 1, -1}, 1}]:totable(), F.idx_rev)
T.eq(m[np.array{5, 1, 3}]:totable(), F.idx_fancy)
T.eq(m[{{}, np.array{6, 1}}]:totable(), F.idx_fancy_cols)
T.eq(m[(m % 4):eq(0)]:totable(), F.idx_mask)
T.eq(m[{2, 3}], 8)                 -- an element is a Lua number
T.eq(math.type(m[{2, 3}]), "integer")
T.eq(m[2][3], 8)
T.eq(m[-1][-1], 29)
T.eq(m[{{2}}].shape, {1, 6})       -- {i} keeps the axis
T.eq(np.array{1.5, 2.5}[2], 2.5)
T.eq(np.array{true, false}[2], false)

-- views share memory; copies do not
local v = m[{{}, 2}]
v[1] = 100
T.eq(m[{1, 2}], 100)
local c = m:copy(); c[{1, 1}] = -5
T.eq(m[{1, 1}], 0)
local r = m:reshape{6, 5}; r[{1, 1}] = 7
T.eq(m[{1, 1}], 7)
local t = m.T; T.eq(t.shape, {6, 5}); T.eq(t[{2, 1}], 100)

-- assignment forms
local z = np.zeros{3, 4}
z[{{}, 2}] = 5
z[{2, {}}] = np.array{1, 2, 3, 4}
z[3] = 9
z[z:gt(8)] = -1
z[{{}, np.array{4}}] = 3
T.eq(z:totable(), {{0, 5, 0, 3}, {1, 2, 3, 3}, {-1, -1, -1, 3}})
local w = np.arange(5) * 1.0
w[w:lt(2)] = np.array{10, 20}
T.eq(w:totable(), {10, 20, 2, 3, 4})
T.err("could not broadcast input array from shape (3,) into shape (4,)", function() z[1] = np.array{1, 2, 3} end)

-- index errors
T.err("index 6 is out of bounds for axis 0 with size 5", function() return m[6] end)
T.err("index -7 is out of bounds for axis 1 with size 6", function() return m[{1, -7}] end)
T.err("too many indices for array: array is 2-dimensional, but 3 were indexed", function() return m[{1, 1, 1}] end)
T.err("indices must be integers", function() return m[1.5] end)
T.err("boolean index of shape (3,) does not match array of shape (5,6)", function() return m[np.array{true, false, true}] end)

-- construction
T.eq(np.arange(5):totable(), {0, 1, 2, 3, 4})
T.eq(np.arange(2, 10, 3):totable(), {2, 5, 8})
T.close(np.arange(0, 1, 0.25), {0, 0.25, 0.5, 0.75})
T.eq(np.arange(5).dtype, "int64"); T.eq(np.arange(0.0, 5).dtype, "float64")
T.close(np.linspace(2, 3, 5), {2, 2.25, 2.5, 2.75, 3})
T.close(np.linspace(0, 1, 4, {endpoint = false}), {0, 0.25, 0.5, 0.75})
T.close(np.logspace(0, 3, 4), {1, 10, 100, 1000})
T.eq(np.eye(2, 3, {k = 1}):totable(), {{0, 1, 0}, {0, 0, 1}})
T.eq(np.full({2}, 7).dtype, "int64"); T.eq(np.full({2}, 7.5):totable(), {7.5, 7.5})
T.eq(np.ones_like(np.zeros({2}, "float32")).dtype, "float32")
T.eq(np.zeros({2, 3}, {dtype = "int32"}).dtype, "int32")
T.eq(np.array{{1, 2}, {3, 4.5}}.dtype, "float64")
T.eq(np.array{np.array{1, 2}, np.array{3, 4}}.shape, {2, 2})
T.eq(np.array{1, 2}:astype("uint8").dtype, "uint8")
T.eq(np.array{300, -1}:astype("uint8"):totable(), {44, 255})
T.eq(np.array{2.7, -2.7, 0/0}:astype("int64"):totable(), {2, -2, math.mininteger})
T.eq(np.array{{1, 2}, {3, 4}}:flatten():totable(), {1, 2, 3, 4})
T.eq(np.arange(6):reshape{-1, 2}.shape, {3, 2})
T.eq(np.arange(6):reshape(2, 3).shape, {2, 3})
T.eq(np.zeros{1, 3, 1}:squeeze().shape, {3})
T.eq(np.zeros{3}:expand_dims(0).shape, {1, 3})
T.eq(np.zeros{2, 3, 4}:transpose{2, 0, 1}.shape, {4, 2, 3})
T.eq(np.tile(np.array{{1, 2}, {3, 4}}, {2, 3}):totable(), F.tile)
T.eq(np.rep(np.array{{1, 2}, {3, 4}}, 2, 1):totable(), F.repeat_axis)
T.eq(np.concatenate({np.array{1, 2}, np.array{3}}):totable(), {1, 2, 3})
T.eq(np.vstack{np.array{1, 2}, np.array{3, 4}}:totable(), {{1, 2}, {3, 4}})
T.eq(np.hstack{np.array{1, 2}, np.array{3, 4}}:totable(), {1, 2, 3, 4})
T.eq(np.column_stack{np.array{1, 2}, np.array{3, 4}}:totable(), {{1, 3}, {2, 4}})
local parts = np.split(np.arange(6), 3)
T.eq(#parts, 3); T.eq(parts[3]:totable(), {4, 5})
T.eq(np.split(np.arange(6), {3, 5})[2]:totable(), {2, 3})
T.eq(np.flip(np.arange(4)):totable(), {3, 2, 1, 0})
T.eq(np.where(np.array{true, false, true}, 1, np.array{7, 8, 9}):totable(), {1, 8, 1})
T.eq(np.clip(np.array{-2, 0.5, 3}, 0, 1):totable(), {0, 0.5, 1})
T.ok(np.allclose(np.array{1, 2}, np.array{1, 2 + 1e-9}))
T.ok(not np.allclose(np.array{1, 0/0}, np.array{1, 0/0}))
T.ok(np.array{1, 2} == np.array{1, 2})
T.eq((np.array{true, false} & np.array{true, true}):totable(), {true, false})
T.eq((~np.array{true, false}):totable(), {false, true})
T.eq(#np.zeros{4, 2}, 4)
T.eq(np.zeros{4, 2}.size, 8); T.eq(np.zeros{4, 2}.ndim, 2)

-- errors name the function and the problem
T.err("np.zeros: negative dimensions are not allowed", np.zeros, {-1})
T.err("np.zeros: unknown dtype 'flaot32' (did you mean 'float32'?)", np.zeros, {2}, "flaot32")
T.err("np.linspace: unknown option 'endpiont' (did you mean 'endpoint'?)", np.linspace, 0, 1, 5, {endpiont = true})
T.err("np.array: inhomogeneous nested tables", np.array, {{1, 2}, {3}})
-- a number before a table at the same level (it once made a (3, 2) array of
-- uninitialised memory): NumPy's ValueError for inhomogeneous shapes
T.err("np.array: inhomogeneous nested tables: a table at depth 2 where a number was met before",
  np.array, {0, 0.05, {20, 3}})
T.err("np.array: inhomogeneous nested tables: an array at depth 2 where a number was met before",
  np.array, {1, np.array{1, 2}})
T.err("np.array: inhomogeneous nested tables: a number where a table was expected", np.array, {{1, 2}, 3})
T.err("np.array: expected numbers or booleans, got string", np.array, {1, "a"})
T.err("reshape: cannot reshape array of size 6 into shape (4,)", function() return np.arange(6):reshape{4} end)
T.err("np.concatenate: all the input array dimensions except for the concatenation axis must match exactly",
  np.concatenate, {np.zeros{2, 2}, np.zeros{2, 3}})
T.err("no field or method 'shap' (did you mean 'shape'?)", function() return np.zeros{2}.shap end)
T.err("use a:lt(b)", function() return np.zeros{2} < np.ones{2} end)
T.err("np.arange: step must not be zero", np.arange, 0, 1, 0)

-- closing an array
do
  local q <close> = np.ones{3}
  T.eq(q.size, 3)
end
local q = np.ones{3}; q:close()
T.err("attempt to use a closed array", function() return q + 1 end)

-- NaN handling
local nanv = np.array{1, 0/0, 3}
T.eq(np.isnan(nanv):totable(), {false, true, false})
T.eq(np.isfinite(np.array{1, 1/0, 0/0}):totable(), {true, false, false})
T.eq(np.isnan(np.array{1, 2}):totable(), {false, false})

-- float32 stays float32 through arithmetic with Lua numbers and math
local f = np.array({1, 4, 9}, "float32")
T.eq((f * 2.5).dtype, "float32"); T.eq(np.sqrt(f).dtype, "float32"); T.close(np.sqrt(f), {1, 2, 3})
T.eq((f + np.array({1, 2, 3}, "float32")).dtype, "float32")

-- memory: a loop of large temporaries is reclaimed by the GC
collectgarbage(); local before = collectgarbage("count")
for _ = 1, 30 do local big = np.zeros{12500000}; big = big + 1 end  -- 100 MB each
collectgarbage(); T.ok(collectgarbage("count") - before < 50 * 1024, "memory returned after a loop of 100 MB arrays")

T.done()
