-- slurm_nodefail.lua: the node crashes (slurm_cluster.sh crash-node: slurmd,
-- the job steps and everything they started are killed, slurmd restarted)
-- while two tasks run: a submission graded by `geolab grade --slurm` and a
-- plain geolab.slurm task with requeue_node_fail = false. Slurm ends both
-- NODE_FAIL; the grading task is submitted again once and completes, and
-- the class table says so; the other is reported NODE_FAIL, never a pass.
-- Then tasks whose job Slurm never knew: LOST, in geolab.slurm.status and in
-- the class table of --collect; and a --no-wait run whose node an
-- administrator sets DOWN: --collect submits the task again once (issue 18).
-- Skips (77) without the cluster.
local T = require "testlib"
local json = require "geolab.report_json"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local conf, state = os.getenv("SLURM_CONF"), os.getenv("GEOLAB_SLURM_STATE")
local _, has = T.sh("command -v sbatch && sinfo -h")
if has ~= 0 or not conf or not fs.isfile(conf) or not state then
  print("SKIP: no Slurm test cluster (install slurm-wlm and munge)")
  os.exit(77)
end
local dir = fs.abspath(T.tmp("slurm_nodefail"))
os.execute(("rm -rf '%s' && mkdir -p '%s/subs'"):format(dir, dir))
T.write(dir .. "/subs/slow.lua", [[
-- %%
-- works for 3 s of CPU time, then prints
local t0, n = os.clock(), 0
while os.clock() - t0 < 3 do n = n + 1 end
print("done", n > 0)
]])
-- the plain task, through geolab run (geolab.slurm needs a subcommand's host)
T.write(dir .. "/plain.lua", ([[
local slurm = require "geolab.slurm"
local states = slurm.run({name = "plain", dir = %q, n = 1, argv = {"/bin/sleep", "60"}},
                         {poll = 0.5, requeue_node_fail = false})
print("plain", states[1].state, states[1].exit, states[1].requeued)
]]):format(dir .. "/plain"))
local function bg (cmd, name)
  os.execute(("(%s > '%s/%s.out' 2>&1; echo $? > '%s/%s.rc') &"):format(cmd, dir, name, dir, name))
end
bg(("'%s' grade --batch '%s/subs' --out '%s/class' --slurm --timeout 60"):format(exe, dir, dir), "grade")
bg(("'%s' run '%s/plain.lua'"):format(exe, dir), "plain")

-- both running, the grader well into the submission: crash the node
local running
for _ = 1, 150 do
  os.execute("sleep 0.2")
  running = select(2, T.sh("squeue -h -r -t RUNNING -o %j"):gsub("\n", ""))
  if running == 2 and fs.isfile(dir .. "/class/slow/.grade/run.json") then break end
end
T.eq(running, 2, "two tasks running")
os.execute("sleep 1")
local out, rc = T.sh(("tests/cluster/slurm_cluster.sh crash-node '%s'"):format(state))
T.eq(rc, 0, out)
for _ = 1, 240 do
  if fs.isfile(dir .. "/grade.rc") and fs.isfile(dir .. "/plain.rc") then break end
  os.execute("sleep 0.5")
end
local gout, pout = T.read(dir .. "/grade.out"), T.read(dir .. "/plain.out")
T.eq(T.read(dir .. "/grade.rc"), "0\n", gout)
T.eq(T.read(dir .. "/plain.rc"), "0\n", pout)

-- {===== requeued once, then graded; the table names it
T.ok(gout:find("geolab grade: slow: NODE_FAIL\n", 1, true) and gout:find("geolab grade: slow: REQUEUED\n", 1, true) and
     gout:find("geolab grade: slow: COMPLETED\n", 1, true), gout)
T.eq((T.read(dir .. "/class/class.csv"):gsub(",%d+%.%d+,", ",W,")),
     "submission,status,limit,score,total,differences,refused,wall_s,slurm\n" ..
     "slow,ok,,0,0,,0,W,\"NODE_FAIL, requeued once: COMPLETED\"\n")
local job = json.decode(T.read(dir .. "/class/.slurm/job.json"))
T.eq(job.requeued, {true})
T.ok(job.task_ids[1] ~= job.id, "task 1 moved to a job of its own")
T.ok(T.read(dir .. "/class/slow/summary.json"):find('"stdout": "done\\ttrue\\n"', 1, true), "the second attempt ran it whole")
-- =====}

-- {===== requeue_node_fail = false: reported as it is
T.eq(pout, "plain\tNODE_FAIL\tnil\tfalse\n")
-- =====}

-- {===== --no-wait, the node set DOWN (NODE_FAIL at once), --collect resubmits once
out, rc = T.sh(("'%s' grade --batch '%s/subs' --out '%s/nw' --slurm --no-wait --timeout 60"):format(exe, dir, dir))
T.eq(rc, 0, out)
local nid = out:match("Slurm job (%d+):")
for _ = 1, 150 do
  if T.sh("squeue -h -r -t RUNNING -o %i -j " .. nid) ~= "" and fs.isfile(dir .. "/nw/slow/.grade/run.json") then break end
  os.execute("sleep 0.2")
end
out, rc = T.sh("scontrol update nodename=localhost state=down reason=geolab-test")
T.eq(rc, 0, out)
T.sh("scontrol update nodename=localhost state=resume")   -- (ReturnToService=2 may have done it already)
for _ = 1, 50 do
  if T.sh("sinfo -h -o %t"):match("^idle") or T.sh("sinfo -h -o %t"):match("^mix") then break end
  os.execute("sleep 0.2")
end
out, rc = T.sh(("'%s' grade --collect '%s/nw'"):format(exe, dir))
T.eq(rc, 1, out)
T.ok(out:find("geolab grade: slow: lost its node; submitted again\n", 1, true) and
     out:find("1 of 1 tasks not finished yet (slow)", 1, true), out)
for _ = 1, 120 do
  os.execute("sleep 0.5")
  out, rc = T.sh(("'%s' grade --collect '%s/nw'"):format(exe, dir))
  if rc ~= 1 then break end
end
T.eq(rc, 0, out)
T.eq((T.read(dir .. "/nw/class.csv"):gsub(",%d+%.%d+,", ",W,")),
     "submission,status,limit,score,total,differences,refused,wall_s,slurm\n" ..
     "slow,ok,,0,0,,0,W,\"NODE_FAIL, requeued once: COMPLETED\"\n")
-- =====}

-- {===== a job Slurm does not know (purged, another cluster...): LOST
local lost = dir .. "/lost"
fs.makedirs(lost .. "/.slurm/tasks", {exist_ok = true})
T.write(lost .. "/.slurm/job.json", json.encode({id = "999999", name = "x", n = 2, argv = {"true"}, sbatch = {},
  task_ids = {"999999", "999999"}, requeued = {false, false}}))
T.write(lost .. "/.slurm/tasks/2.done", "exit 0 job 999999\n")
T.write(lost .. "/.slurm/batch.json", json.encode({out = lost, rows = {"a", "b"}, job_id = "999999", timeout = 5,
  tasks = {{name = "a", out = lost .. "/a", argv = {"true"}}, {name = "b", out = lost .. "/b", argv = {"true"}}}}))
T.write(dir .. "/status.lua", ("local st = require('geolab.slurm').status(%q)\n" ..
  "print(st[1].state, st[2].state, st[2].exit)\n"):format(lost .. "/.slurm"))
out, rc = T.sh(("'%s' run '%s/status.lua'"):format(exe, dir))
T.eq(out, "LOST\tCOMPLETED\t0\n", "no record and no done file: LOST; a done file with exit 0: COMPLETED")
out, rc = T.sh(("'%s' grade --collect '%s'"):format(exe, lost))
T.eq(rc, 0, out)
T.eq(T.read(lost .. "/class.csv"), "submission,status,limit,score,total,differences,refused,wall_s,slurm\n" ..
  "a,slurm: LOST,,0,0,,,,LOST\nb,not graded (grader exit 0),,0,0,,,,COMPLETED\n")
-- =====}
T.done()
