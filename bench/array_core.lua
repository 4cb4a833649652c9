-- bench/array_core.lua: array targets of issue 3 (paired with array_core.py).
-- Each case starts with a full collection, so that garbage left by the previous
-- case (NumPy frees its temporaries at once, by reference counting) is not
-- charged to this one; collections caused by the case itself still count.
local function best(f, reps)
  collectgarbage()
  local m = math.huge
  for _ = 1, reps or 10 do
    local t = os.perf_counter(); f(); m = math.min(m, os.perf_counter() - t)
  end
  return m * 1000
end
local function result(case, ms) print(("RESULT %s %.3f"):format(case, ms)) end

-- start-up: a fresh `geolab -e ''`, best of 20
local exe = arg[-1] or "build/geolab"
result("startup", best(function() os.execute(exe .. " -e '' ") end, 20))

local n = 10000000
local a, b, c = np.ones{n}, np.ones{n} * 2, np.ones{n} * 3
result("a*b+c_10M_float64", best(function() local r = a * b + c end))
result("sqrt_10M_float64", best(function() local r = np.sqrt(b) end))

if a.sum then
  local m = np.ones{4000, 4000} * 0.5
  for ax = 0, 1 do   -- NumPy axis numbers, as m.sum(axis=ax) in array_core.py
    result("sum_axis" .. ax .. "_4000x4000", best(function() local r = m:sum(ax) end))
    result("mean_axis" .. ax .. "_4000x4000", best(function() local r = m:mean(ax) end))
    result("std_axis" .. ax .. "_4000x4000", best(function() local r = m:std(ax) end))
  end
  result("sum_all_4000x4000", best(function() local r = m:sum() end))
end
if np.matmul then
  local x = np.ones{2000, 2000} * 0.5
  result("matmul_2000x2000", best(function() local r = np.matmul(x, x) end, 5))
end
