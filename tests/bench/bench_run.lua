-- tests/bench/bench_run.lua: bench/run.sh end to end on toy cases in a scratch
-- root (BENCH_ROOT), both "sides" Lua scripts run by geolab (PY=geolab), so no
-- Python is needed: the case list comes from bench/TITLES, rounds interleave,
-- both sides get the same environment, a case without RESULT lines is an
-- error naming it (after the other cases ran and the page was written), a
-- pair missing from TITLES and an unknown case name are errors.
local T = require "testlib"
local pwd = assert(io.popen("pwd"))
local cwd = pwd:read("l")   -- ctest's working directory: the source root
pwd:close()
local exe = arg[-1] or "geolab"
if exe:sub(1, 1) ~= "/" then exe = cwd .. "/" .. exe end   -- run.sh runs from the scratch root
local root = T.tmp("bench_run")
os.execute(("rm -rf '%s' && mkdir -p '%s/bench' '%s/docs'"):format(root, root, root))
local function write(name, text)
  local f = assert(io.open(root .. "/" .. name, "w"))
  f:write(text)
  f:close()
end
local function slurp(name)
  local f = io.open(root .. "/" .. name)
  if not f then return "" end
  local s = f:read("a")
  f:close()
  return s
end
-- each side logs its turn and the environment it saw
local SIDE = [[
os.execute("mkdir -p bench/out")
local f = io.open("bench/out/order.txt", "a"); f:write("%s\n"); f:close()
f = io.open("bench/out/env_%s.txt", "w")
for _, k in ipairs{"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "BENCH_QUICK"} do
  f:write(k, "=", os.getenv(k) or "unset", "\n")
end
f:close()
]]
write("bench/TITLES", "good Good: a case that passes\nempty Empty: geolab prints no RESULT\nnn_toy nn: BLAS on one thread\n")
write("bench/good.lua", SIDE:format("geolab", "geolab") .. 'print("RESULT op 1.0")\nprint("CHECK op n 3")\n')
write("bench/good.py", SIDE:format("python", "python") .. 'print("RESULT op 2.0")\nprint("CHECK op n 3")\n')
write("bench/empty.lua", 'print("nothing timed")\n')
write("bench/empty.py", 'print("RESULT op 1.0")\n')
write("bench/nn_toy.lua", SIDE:format("nn_geolab", "nn_geolab") .. 'print("RESULT op 1.0")\nprint("VERIFIED op x fine")\n')
write("bench/nn_toy.py", SIDE:format("nn_python", "nn_python") .. 'print("RESULT op 4.0")\n')
write("bench/env.py", 'print("openblas_core Toy")\n')   -- run.sh's helper, here in Lua
write("bench/helper.lua", "-- a helper: no .py beside it, so not a case\n")

local function run(env, args)
  local cmd = ("cd '%s' && env %s BENCH_ROOT='%s' GEOLAB='%s' PY='%s' bash '%s/bench/run.sh' %s 2>&1"):format(
    root, env, root, exe, exe, cwd, args or "")
  local p = assert(io.popen(cmd))
  local text = p:read("a")
  local ok, _, code = p:close()
  return ok and 0 or code, text
end

local code, text = run("BENCH_N=2 BENCH_N_nn_toy=1 OPENBLAS_CORETYPE=Haswell OPENBLAS_L2_SIZE=512 BENCH_THREADS=2")
T.eq(code, 1, "run.sh must fail when a case prints no RESULT line")
T.ok(text:find("bench/run.sh: case empty: geolab printed no RESULT (or MEM) line in round 1", 1, true), text)
T.ok(text:find("bench/run.sh: failed cases: empty", 1, true), text)
-- the good case still ran, interleaved, and the page was written
-- (BENCH_N_nn_toy=1: one round for that case)
T.eq(slurp("bench/out/order.txt"), "geolab\npython\ngeolab\npython\nnn_geolab\nnn_python\n")
local want = "OPENBLAS_CORETYPE=unset\nOPENBLAS_NUM_THREADS=2\nOMP_NUM_THREADS=2\nBENCH_QUICK=0\n"
T.eq(slurp("bench/out/env_geolab.txt"), want, "geolab's environment")
T.eq(slurp("bench/out/env_python.txt"), want, "Python's environment (the same)")
local want_nn = want:gsub("NUM_THREADS=2\nOMP", "NUM_THREADS=1\nOMP")
T.eq(slurp("bench/out/env_nn_geolab.txt"), want_nn, "nn cases: OpenBLAS on one thread")
T.eq(slurp("bench/out/env_nn_python.txt"), want_nn, "nn cases: OpenBLAS on one thread, both sides")
local page = slurp("docs/performance.md")
T.ok(page:find("| op | 1.00 (1.00–1.00) | 2.00 (2.00–2.00) | **0.500 (0.500–0.500)** |", 1, true), page)
T.ok(page:find("**This case failed: geolab printed no RESULT (or MEM) line in round 1**", 1, true), page)
T.ok(page:find("| op | 1.00 | 4.00 | **0.250** |", 1, true), "a VERIFIED row is comparable")
T.ok(page:find("core type Toy", 1, true), "bench/env.py's lines reach the page")
T.ok(slurp("bench/out/run.env"):find("rounds 2\n", 1, true), "run.env records the rounds")
T.ok(slurp("bench/out/results/good/runs"):find("run 2 python rc=0 load_before=", 1, true), "the round log")

-- a subset, or a quick run, never rewrites docs/
os.remove(root .. "/docs/performance.md")
code, text = run("BENCH_N=1", "good")
T.eq(code, 0, text)
T.ok(slurp("bench/out/performance.md"):find("| op | 1.00 | 2.00 | **0.500** |", 1, true), "subset page in bench/out")
T.eq(slurp("docs/performance.md"), "", "a subset must not write docs/performance.md")

-- errors that stop before running anything
code, text = run("", "nope")
T.eq(code, 1); T.ok(text:find("bench/run.sh: unknown case 'nope'", 1, true), text)
write("bench/stray.lua", 'print("RESULT op 1")\n'); write("bench/stray.py", 'print("RESULT op 1")\n')
code, text = run("", "good")
T.eq(code, 1); T.ok(text:find("bench/run.sh: bench/stray.lua and bench/stray.py are not listed in bench/TITLES", 1, true), text)
os.remove(root .. "/bench/stray.py")
write("bench/TITLES", "good Good\nghost Ghost: no files\n")
code, text = run("", "good")
T.eq(code, 1); T.ok(text:find("bench/run.sh: case 'ghost' of bench/TITLES has no bench/ghost.lua", 1, true), text)
code, text = run("BENCH_N=0", "good")
T.eq(code, 1); T.ok(text:find("BENCH_N must be a positive integer", 1, true), text)
T.done()
