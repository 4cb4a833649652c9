-- slurm_module.lua: geolab.slurm on the test cluster, through `geolab run`
-- (the module needs a subcommand's host): a 3-task array whose tasks exit
-- 0, exit 3 and are cancelled while running -> COMPLETED, FAILED (exit 3),
-- CANCELLED; status() later says the same; the job script quotes what it
-- is given; bad options are errors that name the option. Outside a
-- subcommand the module says what it needs (issue 18). Skips (77) without
-- the cluster.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local conf = os.getenv("SLURM_CONF")
local _, has = T.sh("command -v sbatch && sinfo -h")
if has ~= 0 or not conf or not fs.isfile(conf) then
  print("SKIP: no Slurm test cluster (install slurm-wlm and munge)")
  os.exit(77)
end
local dir = fs.abspath(T.tmp("slurm_module"))
os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(dir, dir))

T.write(dir .. "/array.lua", ([==[
local slurm = require "geolab.slurm"
local dir = %q
local seen = {}
local jd = dir .. "/job 100%%"   -- a space, and %% (the character of sbatch's file patterns)
local job = slurm.submit{name = "mod", dir = jd, n = 3, time = "00:02:00", mem = "100M",
  -- task 1 exits 0, task 2 exits 3, task 3 sleeps until cancelled; $'s and quotes reach it as written
  argv = {"/bin/sh", "-c", [[echo "arg: $1" '$HOME'; [ "$0" = 3 ] && exec sleep 60; exit $(( ($0 - 1) * 3 ))]],
          "{task}", "it's {task}/x"}}
local states = slurm.wait(job, {poll = 0.2, on_change = function (i, st)
  seen[#seen + 1] = i .. ":" .. st
  if i == 3 and st == "RUNNING" then os.execute("scancel " .. job.id .. "_3") end
end})
for i, s in ipairs(states) do print(i, s.state, s.exit, s.requeued, s.log == ("%%s/logs/%%d.log"):format(jd, i) and io.open(s.log) ~= nil) end
local later = slurm.status(jd)
print("status", later[1].state, later[2].state, later[2].exit, later[3].state)
print(io.open(jd .. "/logs/1.log"):read("a"):match("arg: [^\n]*"))
print(io.open(jd .. "/logs/2.log"):read("a"):match("arg: [^\n]*"))
local function err (f, ...) local ok, e = pcall(f, ...); print(ok, e) end
err(slurm.submit, {dir = dir, n = 1, argv = {"true"}, partiton = "x"})
err(slurm.submit, {dir = dir, n = 1, argv = {"true"}, partition = "a b"})
err(slurm.submit, {dir = dir, n = 0, argv = {"true"}})
err(slurm.submit, {n = 1, argv = {"true"}})
err(slurm.submit, {dir = dir, n = 1, argv = {}})
err(slurm.wait, job, {pol = 1})
err(slurm.status, dir .. "/nothere")
err(slurm.submit, {dir = dir .. "/job2", n = 1, argv = {"true"}, partition = "nopart"})
]==]):format(dir))
local out, rc = T.sh(("'%s' run '%s/array.lua'"):format(exe, dir))
T.eq(rc, 0, out)
local lines = {}
for l in out:gmatch("[^\n]*\n") do lines[#lines + 1] = l end
T.eq(lines[1], "1\tCOMPLETED\t0\tfalse\ttrue\n")
T.eq(lines[2], "2\tFAILED\t3\tfalse\ttrue\n")
T.eq(lines[3], "3\tCANCELLED\tnil\tfalse\ttrue\n")
T.eq(lines[4], "status\tCOMPLETED\tFAILED\t3\tCANCELLED\n", "status() later: the same")
T.eq(lines[5], "arg: it's 1/x $HOME\n", "quotes and $ reach the command as written")
T.eq(lines[6], "arg: it's 2/x $HOME\n")
T.eq(lines[7], "false\tgeolab.slurm.submit: unknown option 'partiton'\n")
T.eq(lines[8], "false\tgeolab.slurm.submit: option 'partition' = 'a b' is not a valid Slurm partition\n")
T.eq(lines[9], "false\tgeolab.slurm.submit: option 'n' must be an integer >= 1\n")
T.eq(lines[10], "false\tgeolab.slurm.submit: option 'dir' (the shared job folder) is required\n")
T.eq(lines[11], "false\tgeolab.slurm.submit: option 'argv' must be a non-empty list\n")
T.eq(lines[12], "false\tgeolab.slurm.wait: unknown option 'pol'\n")
T.eq(lines[13], ("false\tgeolab.slurm.status: no Slurm job was submitted from '%s/nothere' (no job.json)\n"):format(dir))
T.ok(lines[14]:find("^false\tgeolab.slurm.submit: sbatch failed %(exit 1%): sbatch: error: invalid partition specified: nopart"),
     lines[14])

-- outside a subcommand: no host, a clear error; available() works anywhere
T.write(dir .. "/plain.lua", "local s = require 'geolab.slurm'\nprint(s.available())\n" ..
  ("print(pcall(s.run, {dir = %q, n = 1, argv = {'true'}}))\n"):format(dir .. "/nohost"))
out = T.sh(("'%s' '%s/plain.lua'"):format(exe, dir))
T.eq(out, "true\nfalse\tgeolab.slurm.submit: needs the geolab host's process helpers: use it from a geolab " ..
          "subcommand (geolab grade --slurm, geolab sweep --slurm, geolab run script.lua)\n")
T.ok(not fs.exists(dir .. "/nohost"), "nothing written without a host")
T.done()
