-- array_axis.lua: dimension numbers are NumPy's, positions are Lua's
-- (issue 10). Expected values come from NumPy 1.24 (tests/fixtures/axis/gen_axis.py):
-- each call here is the Python call with the same axis numbers.
local T = require "testlib"
local F = dofile("tests/fixtures/axis/axis.lua")
local X, Y = np.array(F.X), np.array(F.Y)

-- {=====================================================================
-- axis= keyword and positional, as in Python
-- ======================================================================

T.close(X:mean{axis = 1}, F.X_mean1, 1e-15, 0, "X.mean(axis=1): row means")
T.close(X:mean(1), F.X_mean1, 1e-15, 0, "X.mean(1)")
T.close(np.mean(X, 1), F.X_mean1, 1e-15, 0, "np.mean(X, 1)")
T.close(X:mean{axis = 0}, F.X_mean0, 1e-15, 0, "X.mean(axis=0): column means")
T.close(X:mean(0), F.X_mean0, 1e-15, 0)
T.close(X:mean(-1), F.X_mean_m1, 1e-15, 0, "negative axis")
T.close(X:std{axis = 1, ddof = 1}, F.X_std1_ddof1, 1e-14, 0)
T.close(X:sum{axis = {0, 1}}, F.X_sum01, 1e-15, 0, "axis=(0, 1)")
T.close(X:sum{0, 1}, F.X_sum01, 1e-15, 0, "a tuple of axes as the positional argument")
T.eq(X:argmax(1):totable(), F.X_argmax1)             -- positions along axis 1, counted from 1
T.eq(X:argmax{axis = 0}:totable(), F.X_argmax0)
T.close(X:cumsum(1), F.X_cumsum1, 1e-15, 0)
T.close(np.sort(X, 0), F.X_sort0, 0, 0)
T.close(np.median(X, 1), F.X_median1, 0, 0)
T.close(np.percentile(X, 30, 1), F.X_pct1, 1e-14, 0)
T.close(np.percentile(X, 30, {axis = 1}), F.X_pct1, 1e-14, 0)
T.close(Y:sum(-2), F.Y_sum_m2, 1e-15, 0)
T.close(Y:max{axis = {0, 2}}, F.Y_max02, 0, 0)
T.close(Y:mean{axis = {1, -1}}, F.Y_mean12, 1e-15, 0, "mixed positive and negative axes")
T.close(np.diff(X, {axis = 0}), F.X_diff0, 1e-15, 0)
T.close(np.linalg.norm(X, {axis = 1}), F.X_norm1, 1e-15, 0)

-- }=====================================================================

-- {=====================================================================
-- Shapes: transpose, swapaxes, flip, expand_dims, squeeze, repeat, joins
-- ======================================================================

T.close(Y:transpose{2, 0, 1}, F.Y_transpose201, 0, 0, "transpose(2, 0, 1)")
T.close(Y:transpose(2, 0, 1), F.Y_transpose201, 0, 0)
T.close(Y:swapaxes(0, 2), F.Y_swap02, 0, 0)
T.close(np.flip(Y, 1), F.Y_flip1, 0, 0)
T.close(np.flip(Y, {axis = 1}), F.Y_flip1, 0, 0)
T.close(np.flip(Y, {0, 2}), F.Y_flip02, 0, 0, "flip over a tuple of axes")
T.eq(X:expand_dims(0).shape[1], F.Y_expand0_shape[1])
T.eq(X:expand_dims{axis = -1}.shape[3], F.Y_expand_m1_shape[3])
T.eq(np.zeros{3, 1}:squeeze(1).shape[1], 3)
T.eq(np.zeros{1, 3}:squeeze{axis = 0}.shape[1], 3)
local Z = np.zeros{1, 3, 1}
T.eq(Z:squeeze{0, -1}.shape, {3}, "squeeze(axis=(0, -1))")
T.eq(Z:squeeze{axis = {0, 2}}.shape, {3})
T.eq(np.zeros{2, 3}:expand_dims{0, 3}.shape, {1, 2, 3, 1}, "expand_dims(x, (0, 3))")
T.eq(np.zeros{2, 3}:expand_dims{axis = {1, -1}}.shape, {2, 1, 3, 1})
T.close(np.rep(X[{{1, 2}, {1, 2}}], 2, 1), F.X_repeat1, 0, 0, "repeat(..., axis=1)")
T.close(np.rep(X[{{1, 2}, {1, 2}}], 2, {axis = 1}), F.X_repeat1, 0, 0)
T.close(np.concatenate({X, X[{{}, {1}}]}, 1), F.X_concat1, 0, 0)
T.close(np.concatenate({X, X[{{}, {1}}]}, {axis = -1}), F.X_concat1, 0, 0)
T.close(np.stack({X[{{}, 1}], X[{{}, 2}]}, 1), F.X_stack1, 0, 0)
T.close(np.stack({X[{{}, 1}], X[{{}, 2}]}, {axis = -1}), F.X_stack1, 0, 0)

-- }=====================================================================

-- {=====================================================================
-- Errors: NumPy's text for axes, the translation for position 0
-- ======================================================================

T.err("np.mean: axis 2 is out of bounds for array of dimension 2", function () return X:mean{axis = 2} end)
T.err("np.sum: axis -3 is out of bounds for array of dimension 2", np.sum, X, -3)
T.err("np.sum: axis 3 is out of bounds for array of dimension 3", np.sum, Y, {axis = {0, 3}})
T.err("np.sum: duplicate value in 'axis'", np.sum, X, {0, -2})
T.err("transpose: axis 3 is out of bounds for array of dimension 3", Y.transpose, Y, {3, 0, 1})
T.err("swapaxes: axis 3 is out of bounds for array of dimension 3", Y.swapaxes, Y, 0, 3)
T.err("expand_dims: axis 3 is out of bounds for array of dimension 3", X.expand_dims, X, 3)
T.err("squeeze: cannot select an axis to squeeze out which has size not equal to one", Z.squeeze, Z, 1)
T.err("squeeze: repeated axis", Z.squeeze, Z, {0, -3})
T.err("expand_dims: axis 4 is out of bounds for array of dimension 4", X.expand_dims, X, {0, 4})
T.err("np.concatenate: axis 2 is out of bounds for array of dimension 2", np.concatenate, {X, X}, 2)
T.err("np.flip: axis -4 is out of bounds for array of dimension 3", np.flip, Y, -4)
T.err("np.repeat: axis 2 is out of bounds for array of dimension 2", np.rep, X, 2, 2)
T.err("np.linalg.norm: axis 2 is out of bounds for array of dimension 2", np.linalg.norm, X, {axis = 2})
T.err("np.concatenate: unknown option 'axes' (did you mean 'axis'?)", np.concatenate, {X, X}, {axes = 1})

local v = np.arange(10)
local HINT = "positions count from 1 in geolab (Lua)"
T.err("index: position 0 along axis 0: " .. HINT .. "; NumPy's a[0] is a[1]", function () return v[0] end)
T.err("position 0 along axis 1", function () return X[{1, 0}] end)
T.err("index: range {0, 3}: " .. HINT .. "; NumPy's a[0:3] is a[{{1, 3}}]", function () return v[{{0, 3}}] end)
T.err("range {0, 2}", function () return X[{{}, {0, 2}}] end)
T.err("range {3, 0}: " .. HINT, function () return v[{{3, 0, -1}}] end)
T.err("index array holds 0 (item 2): " .. HINT, function () return v[np.array{1, 0, 3}] end)
T.err("index array holds 0", function () return X[{np.array{0}, {}}] end)
T.err("position 0 along axis 0", function () v[0] = 1 end)
T.err("range {0, 2}", function () X[{{0, 2}, {}}] = 0 end)
T.err("index array holds 0", function () v[np.array{0}] = 1 end)
T.err("np.split: split point 0: " .. HINT, np.split, v, {0, 3})
T.eq(v[{{1, 0}}].shape[1], 0)                         -- {1, 0} stays the empty range
T.eq(v[{{3, 1, -1}}]:totable(), {2, 1, 0})
T.eq(v[-1], 9)
T.eq(v[np.array{-1, 1}]:totable(), {9, 0})

-- }=====================================================================

-- many inputs: each is pushed again with its view (a stack of 64 once overflowed Lua's stack)
do
  local rows = {}
  for r = 1, 600 do rows[r] = np.full({5}, r) end
  local m, v, c = np.stack(rows), np.vstack(rows), np.column_stack(rows)
  T.eq(tostring(m.shape), "(600, 5)"); T.eq(tostring(v.shape), "(600, 5)"); T.eq(tostring(c.shape), "(5, 600)")
  T.eq({m[{600, 5}], v[{37, 1}], c[{2, 599}]}, {600, 37, 599})
  T.eq(m:sum(), 5 * 600 * 601 / 2)
end

T.done()
