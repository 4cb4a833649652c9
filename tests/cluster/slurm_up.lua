-- slurm_up.lua: the test cluster (slurm_cluster.sh, ctest fixture `slurm`)
-- is up and runs a job array: each task sees its index, and a task's exit
-- status reaches `scontrol show job`. Skips (77) without Slurm.
local T = require "testlib"
local conf = os.getenv("SLURM_CONF")
local _, has = T.sh("command -v sbatch")
if has ~= 0 or not conf or not fs.isfile(conf) then
  print("SKIP: no Slurm test cluster (install slurm-wlm and munge)")
  os.exit(77)
end
local dir = fs.abspath(T.tmp("slurm_up"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
local out, rc = T.sh("sinfo -h -o '%P %t %c'")
T.eq(rc, 0, out)
T.ok(out:match("^debug%* %a+ %d+\n$"), "one partition, one node: " .. out)
T.write(dir .. "/job.sh", "#!/bin/sh\necho task $SLURM_ARRAY_TASK_ID\nexit $((SLURM_ARRAY_TASK_ID - 1))\n")
out, rc = T.sh(("sbatch --parsable --array=1-2 -o '%s/%%a.log' '%s/job.sh'"):format(dir, dir))
T.eq(rc, 0, out)
local id = out:match("^(%d+)")
T.ok(id, out)
-- (sbatch --wait polls every few seconds; squeue every 0.2 s is quicker)
for _ = 1, 300 do
  if T.sh("squeue -h -r -j " .. id) == "" then break end
  os.execute("sleep 0.2")
end
T.eq(T.read(dir .. "/1.log"), "task 1\n")
T.eq(T.read(dir .. "/2.log"), "task 2\n")
out = T.sh(("scontrol show job %s_1; scontrol show job %s_2"):format(id, id))
local states = {}
for st in out:gmatch("JobState=(%S+)") do states[#states + 1] = st end
T.eq(states, {"COMPLETED", "FAILED"}, out)
T.done()
