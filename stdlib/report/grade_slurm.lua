-- grade_slurm.lua: geolab grade --batch DIR --out OUT --slurm (issue 18):
-- one Slurm array task per submission, each running the very grader command
-- line that local batch grading runs (grade_batch.lua's argv_for, paths made
-- absolute: a task starts on another node), through `geolab grade --task
-- OUT/.slurm I`, which starts it as local batch grading does (its own
-- process, output in OUT/<name>/grader.log, killed a minute past its limit).
-- Then the same class.csv/class.html, plus a last column `slurm` saying how
-- each task ended. A task that timed out, was preempted or cancelled, lost
-- its node (twice: it is resubmitted once) or vanished is never read as a
-- pass: its row says so in status, score 0.
-- --no-wait submits and returns; --collect OUT assembles the table later.
-- OUT/.slurm/ holds batch.json (the tasks) and geolab.slurm's job folder.
local json = require "geolab.report_json"
local slurm = require "geolab.slurm"
local B = require "geolab.grade_batch"
local GS = {}

local function die (msg)
  io.stderr:write(("geolab grade: %s\n"):format(msg))
  return 2
end

local readfile = require("geolab.report").readfile

-- seconds -> Slurm's D-HH:MM:SS
local function slurm_time (s)
  s = math.ceil(s)
  local d, h, m = s // 86400, s % 86400 // 3600, s % 3600 // 60
  return (d > 0 and ("%d-"):format(d) or "") .. ("%02d:%02d:%02d"):format(h, m, s % 60)
end

-- what each task asks of Slurm unless told: the grader's own limits, plus
-- the minute local batch grading grants before killing a grader, plus room
-- for the grader process itself
local function requests (o)
  return {time = o.time or slurm_time(o.timeout + 60 + 30),
          mem = o.mem or ("%dM"):format(math.ceil(o.memory / 1048576) + 512),
          cpus = o.threads}
end

local function load_batch (out)
  local p = fs.join(fs.abspath(out), ".slurm", "batch.json")
  local text = readfile(p)
  if not text then return nil, ("no Slurm grading was submitted into '%s' (no %s)"):format(out, p) end
  return json.decode(text, p)
end

-- the class table rows from the tasks' states
local function assemble (batch, states)
  local task_of = {}
  for i, t in ipairs(batch.tasks) do task_of[t.name] = i end
  local rows, unfinished = {}, {}
  for _, stem in ipairs(batch.rows) do
    local out = fs.join(batch.out, stem)
    local i = task_of[stem]
    local r
    if not i then
      r = B.row_of(stem, out)   -- graded before this job (not graded again without --force)
      r.slurm = "graded before"
    else
      local st = states[i]
      local s = st.state
      if s == "COMPLETED" or s == "FAILED" then
        -- the grader ran to its end (exit 1: the submission is not ok)
        r = B.row_of(stem, out)
        if r.status == "not graded" then r.status = ("not graded (grader exit %s)"):format(st.exit or "?") end
        if s == "FAILED" then s = ("FAILED, exit %s"):format(st.exit or "?") end
      elseif slurm.final_states[s] then
        r = {name = stem, status = "slurm: " .. s, score = 0, total = 0}
      else
        r = {name = stem, status = "not finished: " .. s, score = 0, total = 0}
        unfinished[#unfinished + 1] = stem
      end
      r.slurm = (st.requeued and "NODE_FAIL, requeued once: " or "") .. s
    end
    rows[#rows + 1] = r
  end
  return rows, unfinished
end

local EXTRA = {name = "slurm", field = "slurm"}

local function finish (batch, states, o)
  local rows, unfinished = assemble(batch, states)
  B.write_tables({out = batch.out}, rows, EXTRA)
  local csv = fs.join(batch.out, "class.csv")
  if #unfinished > 0 then
    print(("geolab grade: %d of %d tasks not finished yet (%s); collect again later: geolab grade --collect %s")
      :format(#unfinished, #batch.tasks, table.concat(unfinished, ", "), o.collect or o.out))
    return 1
  end
  print(("geolab grade: %d submissions, %d graded now on Slurm (job %s) -> %s"):format(#batch.rows, #batch.tasks,
    batch.job_id or "?", csv))
  return 0
end

function GS.run (o, host)
  local ok, msg = slurm.available()
  if not ok then
    return die(("--slurm: %s; to grade on this machine instead: geolab grade --batch DIR --out DIR --jobs N"):format(msg))
  end
  local pending, rows = B.list(o)
  if not pending then return die(rows) end
  local out = fs.abspath(o.out)
  local jobdir = fs.join(out, ".slurm")
  -- every path absolute: the task runs on another node, maybe from another folder
  local oa = setmetatable({data = {}}, {__index = o})
  for k, d in ipairs(o.data) do oa.data[k] = fs.abspath(d) end
  oa.expected = o.expected and fs.abspath(o.expected)
  oa.tests = o.tests and fs.abspath(o.tests)
  local batch = {out = out, rows = rows, tasks = {}, timeout = o.timeout}
  for i, j in ipairs(pending) do
    local jout = fs.abspath(j.out)
    fs.makedirs(jout, {exist_ok = true})
    os.remove(fs.join(jout, "summary.json"))   -- a row is read only from this run's grader
    batch.tasks[i] = {name = j.name, out = jout, argv = B.argv_for(oa, fs.abspath(j.script), jout)}
  end
  if #pending == 0 then
    fs.makedirs(jobdir, {exist_ok = true})
    B.write_tables(o, assemble(batch, {}), EXTRA)
    print(("geolab grade: %d submissions, all graded before (--force grades them again) -> %s")
      :format(#rows, fs.join(out, "class.csv")))
    return 0
  end
  fs.makedirs(jobdir, {exist_ok = true})
  local function save ()   -- before submitting too: a task may start at once and read it
    local f = assert(io.open(fs.join(jobdir, "batch.json.tmp"), "wb"))
    f:write(json.encode(batch, 1))
    f:close()
    assert(os.rename(fs.join(jobdir, "batch.json.tmp"), fs.join(jobdir, "batch.json")))
  end
  save()
  local r = requests(o)
  local sok, job = pcall(slurm.submit, {name = "geolab-grade", dir = jobdir, n = #pending,
    argv = {host.self_exe(), "grade", "--task", jobdir, "{task}"},
    partition = o.partition, time = r.time, mem = r.mem, cpus = r.cpus, array_limit = o.array_limit})
  if not sok then return die(job) end
  batch.job_id = job.id
  save()
  print(("geolab grade: Slurm job %s: %d submissions as array tasks 1-%d (time %s, mem %s, cpus %d each)")
    :format(job.id, #pending, #pending, r.time, r.mem, r.cpus))
  if o.no_wait then
    print(("geolab grade: not waiting; when the job has ended: geolab grade --collect %s"):format(o.out))
    return 0
  end
  local states = slurm.wait(job, {poll = 1, requeue_node_fail = true, on_change = function (i, st)
    print(("geolab grade: %s: %s"):format(batch.tasks[i].name, st))
  end})
  return finish(batch, states, o)
end

-- geolab grade --collect OUT
function GS.collect (o)
  local batch, err = load_batch(o.collect)
  if not batch then return die(err) end
  if not batch.job_id then return die(("the Slurm job of '%s' was never submitted"):format(o.collect)) end
  local ok, states = pcall(slurm.status, fs.join(batch.out, ".slurm"), {requeue_node_fail = true,
    on_change = function (i, st)
      if st == "REQUEUED" then print(("geolab grade: %s: lost its node; submitted again"):format(batch.tasks[i].name)) end
    end})
  if not ok then return die(states) end
  return finish(batch, states, o)
end

-- geolab grade --task OUT/.slurm I: array task I (run by job.sbatch)
function GS.task (o, host)
  local i = math.tointeger(tonumber(o.script or ""))
  if not i then return die("--task DIR I: I must be the task number") end
  local p = fs.join(o.task, "batch.json")
  local text = readfile(p)
  if not text then return die(("--task: cannot read %s"):format(p)) end
  local batch = json.decode(text, p)
  local t = batch.tasks[i]
  if not t then return die(("--task: no task %d in %s"):format(i, p)) end
  local clock = require("geolab.report_core").clock
  local pid, t0 = host.grade_start(t.argv, fs.join(t.out, "grader.log")), clock()
  local code
  repeat
    host.sleep(0.05)
    code = host.grade_poll(pid)
    if code == nil and clock() - t0 > batch.timeout + 60 then host.grade_kill(pid) end
  until code ~= nil
  -- exit 1 means graded, the submission not ok: the task did its job
  -- (COMPLETED in Slurm's terms); any other failure is the task's own
  local graded = fs.isfile(fs.join(t.out, "summary.json"))
  print(("geolab grade: %s: graded (exit %d)"):format(t.name, code))
  if code == 1 and graded then return 0 end
  return code
end

return GS
