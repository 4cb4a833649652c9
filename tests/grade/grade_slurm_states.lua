-- grade_slurm_states.lua: the Slurm endings the one-node test cluster cannot
-- produce in a test's time (a TIMEOUT took 91 s there; PREEMPTED needs a
-- preemption policy, OUT_OF_MEMORY cgroups), through a fake sbatch, squeue
-- and scontrol on PATH that answer as Slurm does: each is reported as such
-- in the class table, scored 0, never as a pass; DEADLINE reads as TIMEOUT
-- and BOOT_FAIL as NODE_FAIL, which is submitted again once (issue 18).
-- Needs no cluster.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = fs.abspath(T.tmp("grade_slurm_states"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "/subs' '" .. dir .. "/bin'")
local names = {"a_timeout", "b_preempted", "c_oom", "d_deadline", "e_bootfail"}
local states = {"TIMEOUT", "PREEMPTED", "OUT_OF_MEMORY", "DEADLINE", "BOOT_FAIL"}
for _, n in ipairs(names) do os.execute(("cp tests/fixtures/grade/submission.lua '%s/subs/%s.lua'"):format(dir, n)) end

-- sbatch --parsable prints the job id; the array's tasks never run (squeue
-- lists nothing), and scontrol shows each task's end as Slurm records it
local function script (name, body)
  T.write(("%s/bin/%s"):format(dir, name), "#!/bin/sh\n" .. body .. "\n")
  os.execute(("chmod +x '%s/bin/%s'"):format(dir, name))
end
script("sbatch", 'echo "$@" >> "$(dirname "$0")/sbatch.log"; echo 4242')
script("squeue", "exit 0")
local cases = {}
for i, st in ipairs(states) do
  cases[#cases + 1] = ('  *_%d) s=%s ;;'):format(i, st)
end
script("scontrol", ([[
key="$4"; task="${key##*_}"
case "$key" in
%s
  *) exit 1 ;;
esac
echo "JobId=$((4242 + task)) ArrayJobId=4242 ArrayTaskId=$task JobName=geolab-grade JobState=$s Reason=None ExitCode=0:15"]]):format(
  table.concat(cases, "\n")))

local out, rc = T.sh(("env PATH='%s/bin:/usr/bin:/bin' '%s' grade --batch '%s/subs' --out '%s/class' --slurm --data data"):format(
  dir, exe, dir, dir))
T.eq(rc, 0, out)
local log = T.read(dir .. "/bin/sbatch.log")
T.ok(log:find("--array=1-5", 1, true), "one array of five tasks: " .. log)
-- a node failure (BOOT_FAIL) is submitted again once, alone; the others are not
local _, nsub = log:gsub("\n", "")
T.eq(nsub, 2, log)
T.ok(log:find("--array=5 ", 1, true), "task 5 resubmitted alone: " .. log)
local csv = T.read(dir .. "/class/class.csv")
local header = csv:match("^[^\n]+")
T.ok(header:find(",slurm$"), "the class table ends with a slurm column: " .. header)
local want = {a_timeout = "TIMEOUT", b_preempted = "PREEMPTED", c_oom = "OUT_OF_MEMORY", d_deadline = "TIMEOUT",
              e_bootfail = "NODE_FAIL"}
local seen = 0
for line in csv:gmatch("[^\n]+") do
  local name = line:match("^([%w_]+),")
  if want[name] then
    seen = seen + 1
    T.ok(line:find(want[name], 1, true), ("%s: %s in its row: %s"):format(name, want[name], line))
    T.ok(not line:find("ok", 1, true) and not line:find("COMPLETED", 1, true), name .. " is not a pass: " .. line)
    local fields = {}
    for f in (line .. ","):gmatch("([^,]*),") do fields[#fields + 1] = f end
    T.eq(fields[4], "0", name .. " scores 0: " .. line)
  end
end
T.eq(seen, 5, csv)
T.done()
