-- slurm_grade.lua: geolab grade --batch --slurm on the test cluster against
-- local --jobs 2 grading of the same class (good submissions and hostile
-- ones of tests/grade/hostile): row by row the same status, limit, scores,
-- refusals, and per submission the same summary.json (printed values,
-- numbers, figure hashes, tests) apart from measured times and the out
-- folder's name. Submitted with --no-wait, assembled with --collect
-- (issue 18). Skips (77) without the Slurm test cluster.
local T = require "testlib"
local json = require "geolab.report_json"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local conf = os.getenv("SLURM_CONF")
local _, has = T.sh("command -v sbatch && sinfo -h")
if has ~= 0 or not conf or not fs.isfile(conf) then
  print("SKIP: no Slurm test cluster (install slurm-wlm and munge)")
  os.exit(77)
end
local dir = fs.abspath(T.tmp("slurm_grade"))
local subs = dir .. "/subs"
os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(dir, subs))
local F, H = "tests/fixtures/grade/", "tests/grade/hostile/"
os.execute(("cp %ssubmission.lua '%s/alice.lua' && cp %ssubmission_off.lua '%s/bob.lua'"):format(F, subs, F, subs))
-- infinite_loop runs into the 6 s wall-clock limit; the rest end in about
-- 1-2 s, well within it even on a loaded machine. Under AddressSanitizer
-- (setup.sh test-asan) everything is slower: a 30 s limit, and no
-- infinite loop to wait that long for.
local asan = os.getenv("ASAN_OPTIONS") ~= nil
local hostile = {"read_passwd", "socket", "spawn", "write_outside"}
if not asan then table.insert(hostile, 1, "infinite_loop") end
for _, h in ipairs(hostile) do os.execute(("cp %s%s.lua '%s/'"):format(H, h, subs)) end
local N = 2 + #hostile
local function geolab (args) return T.sh(("'%s' %s"):format(exe, args)) end
local opts = ("--timeout %d --memory 512M --data data --tests %sexam.tests.lua"):format(asan and 30 or 6, F)

-- {===== Slurm, --no-wait, then --collect until every task has ended
local out, rc = geolab(("grade --batch '%s' --out '%s/slurm' --slurm --no-wait --array-limit 2 --time 00:05:00 %s")
  :format(subs, dir, opts))
T.eq(rc, 0, out)
local id = out:match(("Slurm job (%%d+): %d submissions as array tasks 1%%-%d %%(time 00:05:00, mem 1024M, cpus 1 each%%)\n"):format(N, N))
T.ok(id, out)
T.ok(out:find(("geolab grade: not waiting; when the job has ended: geolab grade --collect %s/slurm\n"):format(dir), 1, true), out)
local sb = T.read(dir .. "/slurm/.slurm/job.sbatch")
T.ok(sb:find("#SBATCH --time=00:05:00\n", 1, true) and sb:find("#SBATCH --mem=1024M\n", 1, true) and
     sb:find("#SBATCH --no-requeue\n", 1, true), sb)
out = T.sh("scontrol -o show job " .. id .. "_1")
T.ok(out:find("TimeLimit=00:05:00", 1, true) and out:find("ArrayTaskThrottle=2", 1, true), out)
-- right after submitting the job is not done: --collect says so, exit 1
out, rc = geolab(("grade --collect '%s/slurm'"):format(dir))
T.eq(rc, 1, out)
T.ok(out:find("tasks not finished yet", 1, true), out)
for _ = 1, 120 do
  os.execute("sleep 1")
  out, rc = geolab(("grade --collect '%s/slurm'"):format(dir))
  if rc ~= 1 then break end
end
T.eq(rc, 0, out)
T.eq(out, ("geolab grade: %d submissions, %d graded now on Slurm (job %s) -> %s/slurm/class.csv\n"):format(N, N, id, dir))
-- =====}

-- {===== the same class graded here, two at a time
out, rc = geolab(("grade --batch '%s' --out '%s/local' --jobs 2 %s"):format(subs, dir, opts))
T.eq(rc, 0, out)

local function rows (path)
  local r, lines = {}, {}
  for line in T.read(path):gmatch("[^\n]+") do lines[#lines + 1] = line end
  for k = 2, #lines do
    local f = {}
    for v in (lines[k] .. ","):gmatch('("?[^"]-"?),') do f[#f + 1] = v end
    r[#r + 1] = f
  end
  return lines[1], r
end
local lhead, lrows = rows(dir .. "/local/class.csv")
local shead, srows = rows(dir .. "/slurm/class.csv")
T.eq(lhead, "submission,status,limit,score,total,differences,refused,wall_s")
T.eq(shead, lhead .. ",slurm", "one more column: how each task ended")
T.eq(#srows, N)
for k = 1, #lrows do
  local l, s = lrows[k], srows[k]
  T.eq({s[1], s[2], s[3], s[4], s[5], s[6], s[7]}, {l[1], l[2], l[3], l[4], l[5], l[6], l[7]}, "row " .. k)
  T.eq(s[9], "COMPLETED", l[1] .. ": the task graded it")
end
-- what the rows must be (the same as tests/grade's expectations)
local status = {}
for _, l in ipairs(lrows) do status[l[1]] = l[2] .. "/" .. l[3] end
T.eq(status, {alice = "ok/", bob = "ok/", infinite_loop = (not asan) and "stopped/wall" or nil,
              read_passwd = "errors/", socket = "errors/", spawn = "errors/", write_outside = "ok/"})

-- each summary.json: the same but for the measured values and the out folder
local function stable (which, name)
  local text = T.read(("%s/%s/%s/summary.json"):format(dir, which, name))
  text = text:gsub('\n "measured": %b{},?', "")
  return (text:gsub((dir .. "/" .. which .. "/"):gsub("%p", "%%%0"), "OUT/"))
end
for _, l in ipairs(lrows) do
  T.eq(stable("slurm", l[1]), stable("local", l[1]), l[1] .. ": summary.json")
end
local s = json.decode(T.read(dir .. "/slurm/alice/summary.json"))
-- KMeans inertia 53.80997864410693 (scikit-learn 1.2.1; tests/fixtures/grade/reference_values.py)
T.close(s.cells[2].numbers[1], 53.80997864410693, 1e-12)
T.ok(fs.isfile(dir .. "/slurm/alice/report.html") and fs.isfile(dir .. "/slurm/alice/grader.log"))
T.ok(T.read(dir .. "/slurm/class.html"):find("<th>slurm</th>", 1, true))
-- =====}
T.done()
