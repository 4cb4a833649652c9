-- array_ufunc.lua: elementwise functions where a Python habit and C or Lua
-- differ, against NumPy 1.24 (tests/fixtures/ufunc, from gen_ufunc.py):
-- np.fmod keeps the dividend's sign while np.mod/np.remainder keep the
-- divisor's (np.fmod was once an alias of np.mod); floor_divide, true_divide,
-- round half to even (integers with negative decimals), fix, trunc, abs of
-- the smallest integer; integer division by zero gives 0, float NaN; an
-- integer to a negative integer power raises as in NumPy.
local T = require "testlib"

local F = np.load("tests/fixtures/ufunc/ufunc.npz")

-- values bit for bit (NaN equals NaN, and the sign of a zero counts), and dtype
local function same(got, name)
  local want = F[name]
  T.eq(got.dtype, want.dtype, name .. " dtype")
  T.eq(got.shape, want.shape, name .. " shape")
  T.close(got, want, 0, 0, name)
  local g, w = got:flatten():totable(), want:flatten():totable()
  for i = 1, #w do
    if w[i] == 0 and 1 / w[i] ~= 1 / g[i] then
      T.ok(false, ("%s element %d: sign of zero"):format(name, i))
      return
    end
  end
end

for _, name in ipairs{"fmod", "mod", "floor_divide"} do
  local f = np[name]
  for _, t in ipairs{"int64", "int32"} do
    same(f(F.ia:astype(t), F.ib:astype(t)), name .. "_" .. t)
  end
  same(f(F.ua, F.ub), name .. "_uint8")
  for _, t in ipairs{"float64", "float32"} do
    same(f(F.fa:astype(t), F.fb:astype(t)), name .. "_" .. t)
  end
  same(f(F.ia:reshape(-1, 1)[{{1, 4}}], F.ib[{{1, 3}}]), name .. "_bcast")
  same(f(F.ia, -3), name .. "_scalar_r")
  same(f(-7, F.ib), name .. "_scalar_l")
  same(f(F.fa, -0.75), name .. "_fscalar")
  same(f(F.imin, np.array{-1, 1}), name .. "_imin")
end
same(np.remainder(F.ia, F.ib), "mod_int64")
same(F.ia % F.ib, "mod_int64")
same(F.fa % F.fb, "mod_float64")
same(F.ia // F.ib, "floor_divide_int64")

-- numbers give numbers (0-d), with C's sign rule for fmod
T.eq(np.fmod(-3, 2):item(), -1, "np.fmod(-3, 2)")
T.eq(np.mod(-3, 2):item(), 1, "np.mod(-3, 2)")
T.eq(np.fmod(3, -2):item(), 1, "np.fmod(3, -2)")
T.eq(np.fmod(-3.5, 2):item(), -1.5, "np.fmod(-3.5, 2)")
T.ok(np.fmod(1.0, 0):item() ~= np.fmod(1.0, 0):item(), "np.fmod(1.0, 0) is nan")
T.eq(np.fmod(5, 0):item(), 0, "np.fmod(5, 0) is 0 for integers")
T.eq(np.fmod(F.fa:astype("float32"), 2).dtype, "float32", "np.fmod keeps float32")
T.eq(np.fmod(np.array{true, false}, np.array{true, true}):totable(), {0, 0}, "np.fmod of bools")
T.eq(F.ia:fmod(2).dtype, "int64", "a:fmod method")

same(np.true_divide(F.ia, F.ib), "true_divide")
same(np.round(F.ra), "round_0")
T.close(np.round(F.ra, 2), F.round_2, 1e-15, 0, "round_2")  -- x*100 rounded /100: NumPy's algorithm too
same(np.round(F.ra * 100, -1), "round_m1")
same(np.round(F.ri, -2), "round_i_m2")
same(np.round(F.ri, -1), "round_i_m1")
same(np.round(F.ri:astype("int32"), -1), "round_i32_m1")
same(np.round(F.ri, 2), "round_i_2")
T.eq(np.round(np.array{1, 2}).dtype, "int64", "np.round of integers keeps the dtype")
T.eq(np.around(np.array({1, 2}, "uint8"), -3):totable(), {0, 0}, "np.around of uint8 by 1000")
same(np.fix(F.ra), "fix")
same(np.fix(F.ia), "fix_i")
same(np.trunc(F.fa), "trunc")
same(np.abs(np.array({math.mininteger, -3})), "abs_min64")
same(np.abs(np.array({-2147483648, -3}, "int32")), "abs_min32")

-- NumPy: "Integers to negative integer powers are not allowed."
T.err("np.power: integers to negative integer powers are not allowed", np.power, np.array{2, 3}, -1)
T.err("np.power: integers to negative integer powers are not allowed", np.power, 2, np.array{1, -1})
T.err("integers to negative integer powers are not allowed", function() return np.array{2} ^ -1 end)
T.eq((np.array{2} ^ -1.0):totable(), {0.5}, "a float exponent gives floats")
T.eq(np.power(np.array{2, 3}, np.array{0, 2}):totable(), {1, 9}, "non-negative integer powers")
T.eq(np.power(np.array({2}, "uint8"), 3):totable(), {8}, "uint8 powers")
-- a ^ 2 is np.square, as NumPy's array ** 2 (fast_scalar_power): x * x exactly,
-- where libm's pow(x, 2) rounds these two up (values from NumPy 1.24's x ** 2)
do
  local x = np.array{-5.69308264118637, 5.280197028741696}
  T.eq((x ^ 2):totable(), {32.41118995937757, 27.88048066233264})
  T.eq((x:astype("float32") ^ 2).dtype, "float32")
  T.eq((np.array{3} ^ 2).dtype, "int64")
  T.eq(np.power(x, 2.5):totable()[1] ~= np.power(x, 2.5):totable()[1], true)   -- NaN: pow itself
end

-- out= writes the result into an existing array and returns it, as NumPy's
-- ufuncs do (it was silently ignored): broadcast into out, 'same_kind' casting
do
  local a, b = np.array{1.0, 2.0}, np.array{3.0, 4.0}
  local r = np.add(a, b, {out = a})
  T.ok(rawequal(r, a), "np.add returns out itself")
  T.eq(a:totable(), {4.0, 6.0}, "np.add(a, b, {out=a}) updates a")
  local o = np.zeros{2, 3}
  np.multiply(np.array{1, 2, 3}, 2, {out = o})
  T.eq(o:totable(), {{2, 4, 6}, {2, 4, 6}}, "result broadcast into out, as NumPy")
  local i = np.zeros(2, {dtype = "int64"})
  np.add(np.array{1, 2}, 5, {out = i})
  T.eq(i:totable(), {6, 7}, "int result into an int out")
  local f = np.zeros(2, {dtype = "float32"})
  np.sqrt(np.array{4.0, 9.0}, {out = f})
  T.eq({f.dtype, f:totable()}, {"float32", {2.0, 3.0}}, "float64 result into float32 out (same kind)")
  local v = np.zeros{2, 2}
  np.negative(np.array{1, 2}, {out = v[{{}, 1}]})
  T.eq(v:totable(), {{-1, 0}, {-2, 0}}, "out may be a view (a column)")
  T.err("np.add: cannot cast the float64 result to the int64 out array", np.add, np.ones(2), 1, {out = i})
  T.err("np.sqrt: result of shape (3,) does not fit out of shape (4,)", np.sqrt, np.ones(3), {out = np.zeros(4)})
  T.err("np.sqrt: argument 2 must be an options table", np.sqrt, np.ones(3), 5)
  T.err("np.add: unknown option 'where'", np.add, np.ones(3), 1, {where = np.ones(3)})
  T.eq((-np.array{1, 2}):totable(), {-1, -2}, "unary minus unaffected")
  T.eq((~np.array{true, false}):totable(), {false, true}, "~ unaffected")
end

-- a binary out= of the result's dtype and shape is written directly (in
-- place when it is an operand); overlapping shifted views still give
-- NumPy's answer (computed through a temporary)
do
  local a = np.arange(6):astype("float32"):reshape(2, 3)
  local r = np.divide(a, 4, {out = a})
  T.eq(rawequal(r, a), true, "np.divide(a, 4, {out=a}) returns a")
  T.eq(a:totable(), {{0, 0.25, 0.5}, {0.75, 1, 1.25}}, "a divided in place")
  local b = np.arange(6):astype("float32"):reshape(2, 3)
  np.add(b[{{}, {1, 2}}], b[{{}, {2, 3}}], {out = b[{{}, {2, 3}}]})
  T.eq(b:totable(), {{0, 1, 3}, {3, 7, 9}}, "overlapping shifted views as NumPy")
  local c = np.arange(4):astype("float64")
  np.subtract(c[{{1, 3}}], c[{{2, 4}}], {out = c[{{2, 4}}]})
  T.eq(c:totable(), {0, -1, -1, -1}, "out overlapping an input shifted by one")
  local d = np.zeros{2, 3}
  np.multiply(np.ones(3), 3, {out = d})
  T.eq(d:totable(), {{3, 3, 3}, {3, 3, 3}}, "broadcast result into out")
  T.err("np.divide: unknown option 'bad'", np.divide, a, 2, {out = a, bad = 1})
end

-- np.array_equal(a, b, {equal_nan=true}) as NumPy: NaN equals NaN only then
do
  local a = np.array{1, 0 / 0, 3}
  T.eq(np.array_equal(a, a), false, "NaN != NaN by default")
  T.eq(np.array_equal(a, a, {equal_nan = true}), true, "equal_nan=true")
  T.eq(np.array_equal(a, np.array{1, 0 / 0, 4}, {equal_nan = true}), false, "other elements still compared")
  T.eq(np.array_equal(a, np.array{1, 2, 3}, {equal_nan = true}), false, "NaN against a number")
  local c = np.array{1, 2}:astype("complex128") * (0 / 0)
  T.eq(np.array_equal(c, c, {equal_nan = true}), true, "complex NaN")
  T.err("np.array_equal: unknown option 'equalnan'", np.array_equal, a, a, {equalnan = true})
end

T.done()
