-- bench/array_core.lua: array targets of issue 3 (paired with array_core.py).
-- Each case starts with a full collection, so that garbage left by the previous
-- case (NumPy frees its temporaries at once, by reference counting) is not
-- charged to this one; collections caused by the case itself still count.
-- Inputs are exact in binary (multiples of 1/4), so both sides' sums agree
-- to rounding; each row prints a CHECK of its result (bench/run.sh).
local B = dofile("bench/common.lua")
local quick, result, check = B.quick, B.result, B.check
local best = B.timer{reps = 10, quick_reps = 2, gc = true}

-- the geolab running this script: arg's lowest index (arg[-1] is an option
-- such as --threads' value when bench/run.sh passes one)
local function interpreter()
  local i = -1
  while arg[i - 1] do i = i - 1 end
  return arg[i]
end

-- start-up: a fresh `geolab -e ''`, best of 20
local exe = interpreter() or "build/geolab"
local ok, how, code
result("startup", best(function() ok, how, code = os.execute(exe .. " -e '' ") end, 20))
check("startup", "exit_status", code)

local n = quick and 1000000 or 10000000
local a, b, c = np.ones{n}, np.ones{n} * 2, np.ones{n} * 3
local r
result("a*b+c_10M_float64", best(function() r = a * b + c end))
check("a*b+c_10M_float64", "sum", r:sum(), "rtol=1e-12")
result("sqrt_10M_float64", best(function() r = np.sqrt(b) end))
check("sqrt_10M_float64", "sum", r:sum(), "rtol=1e-12")

local k = quick and 1000 or 4000
local m = ((np.arange(k * k) % 7) * 0.25):reshape(k, k)
for ax = 0, 1 do   -- NumPy axis numbers, as m.sum(axis=ax) in array_core.py
  for _, op in ipairs{"sum", "mean", "std"} do
    local case = ("%s_axis%d_4000x4000"):format(op, ax)
    result(case, best(function() r = m[op](m, ax) end))
    check(case, "sum", r:sum(), "rtol=1e-12")
  end
end
result("sum_all_4000x4000", best(function() r = m:sum() end))
check("sum_all_4000x4000", "value", r, "rtol=1e-12")
local x = ((np.arange(4000000) % 7) * 0.25):reshape(2000, 2000)
result("matmul_2000x2000", best(function() r = np.matmul(x, x) end, 5))
check("matmul_2000x2000", "sum", r:sum(), "rtol=1e-12")
check("matmul_2000x2000", "r[7,13]", r[{7, 13}], "rtol=1e-12")
