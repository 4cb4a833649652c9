-- slurm.lua: require "geolab.slurm" (issue 18): run N copies of a command
-- as one Slurm job array and follow them to the end. No scheduler of our
-- own: sbatch, squeue and scontrol (sacct where the site has accounting),
-- run through the host's process helper with argv arrays, never a shell
-- line. The one shell text is the generated job script, where every value
-- is single-quoted.
--
-- The shared folder DIR holds everything a later `status(DIR)` needs:
--   job.sbatch      the array script (task i runs argv with {task} -> i)
--   job.json        job id, task count, the sbatch options, and the job id
--                   of each task (a task resubmitted after NODE_FAIL moves)
--   logs/I.log      task I's stdout and stderr (appended across attempts)
--   tasks/I.done    "exit CODE" written by the script after the command
-- A task is COMPLETED only when its done file says exit 0: Slurm's own
-- state says how the batch script ended, which need not be how the command
-- ended, and its records are purged (MinJobAge) or missing (no accounting).
-- Slurm's state names the other endings (TIMEOUT, NODE_FAIL...); a task
-- that Slurm no longer knows and that left no done file is LOST, never a
-- pass. Jobs are submitted --no-requeue (Slurm would requeue a node failure
-- forever, and `scontrol requeue` is refused for such jobs), so a NODE_FAIL
-- task is submitted again once, alone (sbatch --array=I), then reported.
local json = require "geolab.report_json"
local S = {}
local HOST   -- the subcommands' host table (stdlib/report/report.lua sets it)

local FINAL = {COMPLETED = true, FAILED = true, TIMEOUT = true, PREEMPTED = true, NODE_FAIL = true,
               CANCELLED = true, OUT_OF_MEMORY = true, LOST = true}
-- Slurm's end states that geolab does not name, by the name that says the same
local ALIAS = {BOOT_FAIL = "NODE_FAIL", DEADLINE = "TIMEOUT", REVOKED = "CANCELLED", SPECIAL_EXIT = "FAILED"}
-- endings decided by Slurm, whatever the command's exit status
local SLURM_ENDS = {TIMEOUT = true, PREEMPTED = true, NODE_FAIL = true, CANCELLED = true, OUT_OF_MEMORY = true}

function S._set_host (h) HOST = h end

local function host (fn)
  if not HOST then
    error(("geolab.slurm.%s: needs the geolab host's process helpers: use it from a geolab subcommand " ..
           "(geolab grade --slurm, geolab sweep --slurm, geolab run script.lua)"):format(fn), 3)
  end
  return HOST
end

-- run(fn, argv) -> code, out, err; a program that cannot start raises
local function run (fn, argv, timeout)
  local code, out, err = host(fn).run(argv, {timeout = timeout or 120})
  if not code then error(("geolab.slurm.%s: %s"):format(fn, out), 0) end
  return code, out, err
end

local function on_path (prog)
  for d in (os.getenv("PATH") or ""):gmatch("[^:]+") do
    if fs.isfile(d .. "/" .. prog) then return d .. "/" .. prog end
  end
  return nil
end

-- available() -> true | false, message
function S.available ()
  for _, prog in ipairs {"sbatch", "squeue", "scontrol"} do
    if not on_path(prog) then
      return false, ("%s not found on PATH (install Slurm or run without --slurm)"):format(prog)
    end
  end
  return true
end

local function need_slurm (fn)
  local ok, msg = S.available()
  if not ok then error(("geolab.slurm.%s: %s"):format(fn, msg), 3) end
end

local function sq (s)   -- a single-quoted shell word
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local readfile = require("geolab.util").readfile

local function writefile (p, s)
  local tmp = p .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  f:write(s)
  f:close()
  assert(os.rename(tmp, p))
end

-- {===== submit
local SPEC = {name = "string", dir = "string", n = "number", argv = "table", partition = "string",
              time = "string", mem = "string", cpus = "number", array_limit = "number"}
-- values that go into #SBATCH lines and sbatch's argv: Slurm's own syntax only
local SAFE = {name = "^[%w_.+-]+$", partition = "^[%w_.,-]+$", time = "^[%d:-]+$", mem = "^%d+[KMGTkmgt]?$"}

local function check_spec (spec)
  if type(spec) ~= "table" then error("geolab.slurm.submit: expected a table of options", 3) end
  for k, v in pairs(spec) do
    if not SPEC[k] then error(("geolab.slurm.submit: unknown option '%s'"):format(tostring(k)), 3) end
    if type(v) ~= SPEC[k] then
      error(("geolab.slurm.submit: option '%s' must be a %s, got %s"):format(k, SPEC[k], type(v)), 3)
    end
    if SAFE[k] and not v:match(SAFE[k]) then
      error(("geolab.slurm.submit: option '%s' = '%s' is not a valid Slurm %s"):format(k, v, k), 3)
    end
  end
  if not spec.dir then error("geolab.slurm.submit: option 'dir' (the shared job folder) is required", 3) end
  local n = spec.n
  if not (n and math.tointeger(n) and n >= 1) then error("geolab.slurm.submit: option 'n' must be an integer >= 1", 3) end
  if not spec.argv or #spec.argv == 0 then error("geolab.slurm.submit: option 'argv' must be a non-empty list", 3) end
  for i, a in ipairs(spec.argv) do
    if type(a) ~= "string" then error(("geolab.slurm.submit: argv[%d] must be a string"):format(i), 3) end
  end
  for _, k in ipairs {"cpus", "array_limit"} do
    local v = spec[k]
    if v ~= nil and not (math.tointeger(v) and v >= 1) then
      error(("geolab.slurm.submit: option '%s' must be an integer >= 1"):format(k), 3)
    end
  end
end

-- the command line, "{task}" anywhere in a word replaced by the task index
local function command_line (argv)
  local words = {}
  for _, a in ipairs(argv) do
    local parts, pos = {}, 1
    while true do
      local s, e = a:find("{task}", pos, true)
      if not s then break end
      if s > pos then parts[#parts + 1] = sq(a:sub(pos, s - 1)) end
      parts[#parts + 1] = '"$i"'
      pos = e + 1
    end
    if pos <= #a or #parts == 0 then parts[#parts + 1] = sq(a:sub(pos)) end
    words[#words + 1] = table.concat(parts)
  end
  return table.concat(words, " ")
end

local function script_text (job)
  local d = job.dir
  local h = {"#!/bin/sh",
    ("# generated by geolab.slurm: job array '%s', tasks 1-%d (geolab submits it with"):format(job.name, job.n),
    "# the #SBATCH lines below; logs and done files are set on the sbatch command line)"}
  for _, o in ipairs(job.sbatch) do h[#h + 1] = "#SBATCH " .. o end
  h[#h + 1] = [[
# Task i runs the command, then writes its exit status to tasks/i.done
# (a temporary name renamed: a reader never sees half a file). geolab trusts
# that file, not Slurm's record, to say the command succeeded.
i=$SLURM_ARRAY_TASK_ID]]
  h[#h + 1] = ("d=%s"):format(sq(d))
  h[#h + 1] = [[rm -f "$d/tasks/$i.done"
echo "geolab.slurm: task $i, job ${SLURM_JOB_ID:-?} on $(hostname) at $(date -u +%FT%TZ)" >&2]]
  h[#h + 1] = command_line(job.argv)
  h[#h + 1] = [[code=$?
printf 'exit %s job %s\n' "$code" "${SLURM_JOB_ID:-?}" > "$d/tasks/$i.done.tmp" && mv -f "$d/tasks/$i.done.tmp" "$d/tasks/$i.done"
exit $code
]]
  return table.concat(h, "\n")
end

-- sbatch [--array=SPEC] script -> job id
local function sbatch (fn, job, array)
  -- in sbatch's file patterns "%%" is a literal % (a folder named "100%")
  local argv = {"sbatch", "--parsable", "--array=" .. array, "--output=" .. job.dir:gsub("%%", "%%%%") .. "/logs/%a.log",
                "--open-mode=append", job.script}
  local code, out, err = run(fn, argv)
  local id = out:match("^(%d+)")
  if code ~= 0 or not id then
    error(("geolab.slurm.%s: sbatch failed (exit %d): %s"):format(fn, code, (err .. out):gsub("%s+$", "")), 0)
  end
  return id
end

local function save (job)
  writefile(job.dir .. "/job.json", json.encode({id = job.id, name = job.name, n = job.n, argv = job.argv,
    sbatch = job.sbatch, task_ids = job.task_ids, requeued = job.requeued}, 1))
end

-- submit(spec) -> job {id, script, dir, n, ...}; writes DIR/job.sbatch, DIR/job.json
function S.submit (spec)
  check_spec(spec)
  host("submit")   -- before anything is written
  need_slurm("submit")
  local dir = fs.abspath(spec.dir)
  fs.makedirs(dir .. "/logs", {exist_ok = true})
  fs.makedirs(dir .. "/tasks", {exist_ok = true})
  for _, f in ipairs(fs.listdir(dir .. "/tasks")) do os.remove(dir .. "/tasks/" .. f) end   -- a fresh run
  for _, f in ipairs(fs.listdir(dir .. "/logs")) do os.remove(dir .. "/logs/" .. f) end
  local job = {name = spec.name or "geolab", dir = dir, n = spec.n, argv = spec.argv, script = dir .. "/job.sbatch"}
  local o = {"--job-name=" .. job.name, "--no-requeue", "--cpus-per-task=" .. (spec.cpus or 1)}
  if spec.partition then o[#o + 1] = "--partition=" .. spec.partition end
  if spec.time then o[#o + 1] = "--time=" .. spec.time end
  if spec.mem then o[#o + 1] = "--mem=" .. spec.mem end
  job.sbatch = o
  writefile(job.script, script_text(job))
  local array = "1-" .. job.n .. (spec.array_limit and ("%" .. spec.array_limit) or "")
  job.id = sbatch("submit", job, array)
  job.task_ids, job.requeued = {}, {}
  for i = 1, job.n do job.task_ids[i] = job.id; job.requeued[i] = false end
  save(job)
  return job
end
-- =====}

-- {===== following the tasks
local function load (fn, dir)
  dir = fs.abspath(dir)
  local text = readfile(dir .. "/job.json")
  if not text then error(("geolab.slurm.%s: no Slurm job was submitted from '%s' (no job.json)"):format(fn, dir), 3) end
  local j = json.decode(text, dir .. "/job.json")
  j.dir, j.script = dir, dir .. "/job.sbatch"
  return j
end

-- squeue: {["ID_I"] = state} of the tasks still queued or running; nil when
-- slurmctld does not answer
local function queued (job)
  local ids, seen = {}, {}
  for _, id in ipairs(job.task_ids) do
    if not seen[id] then seen[id] = true; ids[#ids + 1] = id end
  end
  local code, out, err = run("wait", {"squeue", "-h", "-r", "-j", table.concat(ids, ","), "-o", "%i|%T"}, 60)
  if code ~= 0 and not (err .. out):find("Invalid job id", 1, true) then return nil end
  local q = {}
  for key, st in out:gmatch("([%d_]+)|(%S+)") do q[key] = st end
  return q
end

-- the end state Slurm recorded for task i of job id: scontrol, then sacct
local function ended (id, i)
  local key = id .. "_" .. i
  local code, out = run("wait", {"scontrol", "-o", "show", "job", key}, 60)
  if code == 0 then
    for line in out:gmatch("[^\n]+") do
      if line:match("ArrayTaskId=(%d+)") == tostring(i) then
        local ec = line:match("ExitCode=(%d+):")
        return line:match("JobState=(%S+)"), tonumber(ec)
      end
    end
  end
  if on_path("sacct") then
    code, out = run("wait", {"sacct", "-n", "-P", "-X", "-j", key, "-o", "State,ExitCode"}, 60)
    local st, ec = out:match("^(%S+)[^|]*|(%d+):")
    if code == 0 and st then return st, tonumber(ec) end
  end
  return nil
end

local function done_file (job, i)
  local s = readfile(("%s/tasks/%d.done"):format(job.dir, i))
  local code = s and s:match("^exit (%d+)")
  return code and tonumber(code)
end

-- The state of task i once it left the queue.
local function final (job, i)
  local slurm, slurm_exit = ended(job.task_ids[i], i)
  slurm = slurm and (ALIAS[slurm] or slurm)
  local code = done_file(job, i)
  local st = {log = ("%s/logs/%d.log"):format(job.dir, i), requeued = job.requeued[i], slurm_state = slurm}
  if slurm and not FINAL[slurm] and code == nil then
    st.state = slurm   -- still PENDING, RUNNING, COMPLETING... (squeue missed it)
  elseif slurm and SLURM_ENDS[slurm] then
    -- Slurm ended the command: whether its shell still wrote a status (143
    -- after SIGTERM) depends on which process the signal reached first, so
    -- none is reported
    st.state = slurm
  elseif code == 0 then
    st.state, st.exit = "COMPLETED", 0
  elseif code then
    st.state, st.exit = "FAILED", code
  elseif slurm == "FAILED" then
    st.state, st.exit = "FAILED", slurm_exit
  else
    -- no exit status from the command: Slurm says COMPLETED (the done file
    -- did not reach the shared folder), or nothing at all
    st.state = "LOST"
  end
  return st
end

local function resubmit (job, i)
  job.task_ids[i] = sbatch("wait", job, tostring(i))
  job.requeued[i] = true
  os.remove(("%s/tasks/%d.done"):format(job.dir, i))
  save(job)
end

-- One look at every task not yet final. Returns the number still unfinished.
local function poll (job, states, opts, unanswered)
  local q = queued(job)
  if not q then return nil end
  local left = 0
  for i = 1, job.n do
    local cur = states[i]
    if not FINAL[cur.state] then
      local st = q[job.task_ids[i] .. "_" .. i]
      local new
      if st then
        new = {state = st, requeued = job.requeued[i], log = cur.log}
      else
        new = final(job, i)
        -- a done file may trail the job's end on a shared file system
        if new.state == "LOST" and new.slurm_state and (unanswered[i] or 0) < (opts.grace_polls or 0) then
          unanswered[i] = (unanswered[i] or 0) + 1
          new = cur
        end
      end
      if new.state == "NODE_FAIL" and opts.requeue_node_fail ~= false and not job.requeued[i] then
        if opts.on_change then opts.on_change(i, "NODE_FAIL") end
        resubmit(job, i)
        new = {state = "REQUEUED", requeued = true, log = cur.log}
      end
      if new.state ~= cur.state and opts.on_change then opts.on_change(i, new.state) end
      states[i] = new
      if not FINAL[new.state] then left = left + 1 end
    end
  end
  return left
end

local WAIT_OPTS = {poll = "number", requeue_node_fail = "boolean", on_change = "function", done_grace = "number",
                   lost_after = "number"}

local function check_opts (fn, opts)
  opts = opts or {}
  if type(opts) ~= "table" then error(("geolab.slurm.%s: options must be a table"):format(fn), 3) end
  for k, v in pairs(opts) do
    if not WAIT_OPTS[k] then error(("geolab.slurm.%s: unknown option '%s'"):format(fn, tostring(k)), 3) end
    if type(v) ~= WAIT_OPTS[k] then
      error(("geolab.slurm.%s: option '%s' must be a %s"):format(fn, k, WAIT_OPTS[k]), 3)
    end
  end
  return opts
end

local function fresh_states (job)
  local states = {}
  for i = 1, job.n do
    states[i] = {state = "PENDING", requeued = job.requeued[i], log = ("%s/logs/%d.log"):format(job.dir, i)}
  end
  return states
end

-- wait(job, {poll = 1, requeue_node_fail = true, on_change = f(i, state)}) -> states
-- Returns when every task ended. A slurmctld that does not answer for
-- lost_after seconds (default 600) leaves the unfinished tasks LOST; a task
-- Slurm says ended but whose done file has not shown up in done_grace
-- seconds (default 10: a shared file system's lag) is LOST.
function S.wait (job, opts)
  opts = check_opts("wait", opts)
  if type(job) ~= "table" or not job.dir then error("geolab.slurm.wait: expected the job that submit returned", 2) end
  job = load("wait", job.dir)
  local states, unanswered = fresh_states(job), {}
  local period, lost_after = opts.poll or 1, opts.lost_after or 600
  if not (period > 0) then error("geolab.slurm.wait: option 'poll' must be a positive number of seconds", 2) end
  local clock = require("geolab.report_core").clock
  local last_answer = clock()
  local po = setmetatable({grace_polls = math.ceil((opts.done_grace or 10) / period)}, {__index = opts})
  while true do
    local left = poll(job, states, po, unanswered)
    if left then last_answer = clock() end
    if left == 0 then break end
    if not left and clock() - last_answer > lost_after then
      for i = 1, job.n do
        if not FINAL[states[i].state] then
          states[i] = {state = "LOST", requeued = job.requeued[i], log = states[i].log}
          if opts.on_change then opts.on_change(i, "LOST") end
        end
      end
      break
    end
    host("wait").sleep(period)
  end
  return states
end

-- run(spec, wait_opts) -> states, job
function S.run (spec, opts)
  local job = S.submit(spec)
  return S.wait(job, opts), job
end

-- status(dir [, {requeue_node_fail = false}]) -> states, job: one look, no
-- waiting; tasks still queued or running have Slurm's state (PENDING,
-- RUNNING...), which is not one of the final states.
function S.status (dir, opts)
  opts = check_opts("status", opts)
  if type(dir) ~= "string" then error("geolab.slurm.status: expected the job folder (a string)", 2) end
  local job = load("status", dir)
  local states = fresh_states(job)
  local o = {requeue_node_fail = opts.requeue_node_fail == true, on_change = opts.on_change, grace_polls = 0}
  local left = poll(job, states, o, {})
  if not left then
    -- slurmctld does not answer: what the done files say, the rest unknown
    for i = 1, job.n do
      local code = done_file(job, i)
      if code then states[i] = {state = code == 0 and "COMPLETED" or "FAILED", exit = code,
                                requeued = job.requeued[i], log = states[i].log}
      else states[i].state = "UNKNOWN" end
    end
  end
  return states, job
end

S.final_states = FINAL
-- =====}

return S
