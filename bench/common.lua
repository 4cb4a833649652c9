-- bench/common.lua: what every geolab bench case shares with its Python twin
-- (bench/common.py): the quick switch, the timer, and the RESULT and CHECK
-- lines bench/run.sh reads. A case loads it with dofile("bench/common.lua").
local B = {}

B.quick = (os.getenv("BENCH_QUICK") or "0") ~= "0"

-- B.timer{reps = 3, quick_reps = 1, gc = false}: a function best(f [, reps])
-- giving the fastest of reps runs of f in ms (quick_reps under BENCH_QUICK);
-- gc: a full collection first, so no earlier garbage is collected inside
function B.timer(o)
  o = o or {}
  return function(f, reps)
    if o.gc then collectgarbage() end
    local m = math.huge
    for _ = 1, B.quick and (o.quick_reps or 1) or reps or o.reps or 3 do
      local t = os.perf_counter(); f(); m = math.min(m, os.perf_counter() - t)
    end
    return m * 1000
  end
end

function B.result(case, ms)
  print(("RESULT %s %.3f"):format(case, ms))
  io.stdout:flush()
end

-- a value both sides print; tol ("rtol=1e-9") when they may differ in rounding
function B.check(case, what, v, tol)
  print(("CHECK %s %s %.17g%s"):format(case, what, v, tol and " " .. tol or ""))
end

return B
