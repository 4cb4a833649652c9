-- task_runner.lua: runs the N tasks of a plan folder (geolab sweep, geolab
-- tiles). A task is one command line, `geolab <thing> --task DIR i`, that
-- reads its inputs from DIR and writes its outputs there; this module only
-- decides where those commands run:
--   locally, `jobs` at a time, as processes of this program (the host's
--     grade_start/grade_poll, as geolab grade --batch uses), each logging to
--     DIR/logs/<i>.log;
--   on Slurm, as one job array (geolab.slurm: the same argv, "{task}" for i);
--   in this process, one after another (a script calling spatial.tiles.run
--     has no host: `inproc`).
-- The same command does the same work wherever it runs, so the results of
-- a local and a Slurm run are the same bytes.
local M = {}

local function exe_path (host)
  if host and host.self_exe then return host.self_exe() end
  local a0 = rawget(_G, "arg") and arg[-1]   -- geolab script.lua: the interpreter
  if type(a0) == "string" and a0:find("/", 1, true) then
    if a0:sub(1, 1) ~= "/" then a0 = fs.join(fs.getcwd(), a0) end
    return a0
  end
  return "geolab"   -- from PATH, on the nodes as here
end
M.exe_path = exe_path

-- M.task_threads(o) -> the thread count each task gets: --threads when
-- given; on Slurm the CPUs asked per task (--cpus, default 1); here this
-- machine's cores shared among the --jobs running at once. Results do not
-- depend on it (GUIDE: never on the thread count); it only keeps N tasks
-- from each starting a thread per core.
function M.task_threads (o)
  if o.threads then return o.threads end
  if o.slurm then return o.slurm.cpus or 1 end
  local cores = require("geolab.report_core").threads()
  return math.max(1, cores // (o.jobs or 1))
end

-- M.slurm_ready() -> true, or nil and why not (sbatch missing...): asked
-- before anything is planned or written
function M.slurm_ready ()
  local ok, slurm = pcall(require, "geolab.slurm")
  if not ok then return nil, "Slurm runs need the geolab.slurm module: " .. tostring(slurm) end
  local avail, why = slurm.available()
  if not avail then return nil, why or "Slurm is not available" end
  return true
end

-- M.run(spec, host) -> states: states[i] = {state = "COMPLETED" | "FAILED" |
-- ..., exit = code, log = path}. spec: name, dir, n, argv (function (i) ->
-- the arguments after the program name; i is a number, or the string
-- "{task}" for Slurm), jobs (default 1), slurm (nil, or a table of
-- partition, time, mem, cpus, array_limit), inproc (function (i), for the
-- in-process runner), quiet.
function M.run (spec, host)
  local n, dir = spec.n, spec.dir
  local logs = fs.join(dir, "logs")
  fs.makedirs(logs, {exist_ok = true})
  local function logpath (i) return fs.join(logs, ("%04d.log"):format(i)) end
  local states = {}
  if spec.slurm then
    local ready, why = M.slurm_ready()
    if not ready then error(why, 0) end
    local slurm = require "geolab.slurm"
    local argv = {exe_path(host)}
    for _, a in ipairs(spec.argv("{task}")) do argv[#argv + 1] = a end
    local s = spec.slurm
    local job = {name = spec.name:gsub("%s", "-"), dir = fs.join(dir, "slurm"), n = n, argv = argv, partition = s.partition, time = s.time,
                 mem = s.mem, cpus = s.cpus, array_limit = s.array_limit}
    if spec.no_wait then return nil, slurm.submit(job) end   -- submitted; M.slurm_states later
    local got = slurm.run(job, {poll = s.poll or 1, requeue_node_fail = true})
    for i = 1, n do
      local st = got[i] or {state = "LOST"}
      states[i] = {state = st.state, exit = st.exit, log = st.log, requeued = st.requeued}
    end
    return states
  end
  local jobs = math.tointeger(spec.jobs or 1)
  if not jobs or jobs < 1 then error("jobs must be a positive integer", 0) end
  if not (host and host.grade_start) and jobs > 1 then return M.run_shell(spec, jobs, logpath) end
  if not (host and host.grade_start) then
    if not spec.inproc then error("no way to run tasks here (no host, no in-process runner)", 0) end
    for i = 1, n do
      local ok, err = pcall(spec.inproc, i)
      states[i] = ok and {state = "COMPLETED", exit = 0} or {state = "FAILED", exit = 1, error = tostring(err)}
    end
    return states
  end
  local running, nextjob = {}, 1
  while nextjob <= n or #running > 0 do
    while nextjob <= n and #running < jobs do
      local i = nextjob
      nextjob = nextjob + 1
      local argv = {"geolab"}
      for _, a in ipairs(spec.argv(i)) do argv[#argv + 1] = a end
      running[#running + 1] = {i = i, pid = host.grade_start(argv, logpath(i))}
    end
    for k = #running, 1, -1 do
      local j = running[k]
      local code = host.grade_poll(j.pid)
      if code ~= nil then
        table.remove(running, k)
        states[j.i] = {state = code == 0 and "COMPLETED" or "FAILED", exit = code, log = logpath(j.i)}
        if not spec.quiet then print(("%s: task %d of %d done (exit %d)"):format(spec.name, j.i, n, code)) end
      end
    end
    if #running > 0 then host.sleep(0.02) end
  end
  return states
end

-- The states of a plan's tasks submitted earlier (--no-wait): nil when no
-- Slurm job was submitted from dir. A task still queued or running has
-- Slurm's state (PENDING, RUNNING...), final = false.
function M.slurm_states (dir)
  local sdir = fs.join(dir, "slurm")
  if not fs.isfile(fs.join(sdir, "job.json")) then return nil end
  local slurm = require "geolab.slurm"
  local states = slurm.status(sdir)
  for _, st in pairs(states) do st.final = slurm.final_states[st.state] == true end
  return states
end

-- A script has no host (no grade_start): jobs > 1 then runs the same task
-- commands through the shell, `jobs` at a time (each waits for its group),
-- each writing its exit status beside its log.
local function q (s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
function M.run_shell (spec, jobs, logpath)
  local exe, states = exe_path(nil), {}
  for first = 1, spec.n, jobs do
    local parts = {}
    for i = first, math.min(spec.n, first + jobs - 1) do
      local words = {q(exe)}
      for _, a in ipairs(spec.argv(i)) do words[#words + 1] = q(a) end
      os.remove(logpath(i) .. ".exit")
      parts[#parts + 1] = ("(%s > %s 2>&1; echo $? > %s) &"):format(table.concat(words, " "), q(logpath(i)), q(logpath(i) .. ".exit"))
    end
    os.execute(table.concat(parts, " ") .. " wait")
    for i = first, math.min(spec.n, first + jobs - 1) do
      local f = io.open(logpath(i) .. ".exit")
      local code = f and math.tointeger(tonumber(f:read("l") or "")) or nil
      if f then f:close() end
      os.remove(logpath(i) .. ".exit")
      states[i] = {state = code == 0 and "COMPLETED" or "FAILED", exit = code, log = logpath(i)}
    end
  end
  return states
end

-- One line per task that did not complete: "task 3: FAILED (exit 1), see DIR/logs/0003.log"
function M.failures (states)
  local bad = {}
  for i, s in ipairs(states) do
    if s.state ~= "COMPLETED" then
      local why = s.error or (s.log and ("see " .. s.log)) or ""
      bad[#bad + 1] = ("task %d: %s (exit %s)%s"):format(i, s.state, tostring(s.exit), why ~= "" and (", " .. why) or "")
    end
  end
  return bad
end

-- Command-line options shared by geolab sweep and geolab tiles: --jobs N,
-- --slurm, --partition P, --time T, --mem M, --cpus C, --array-limit K,
-- --threads N. M.option(o, name, value) takes one: true when it was one of
-- them, nil + message when its value is bad, false when it is another option.
-- value() fetches the option's value (from --name=value or the next word).
M.USAGE = "[--jobs N | --slurm [--partition P] [--time T] [--mem M] [--cpus C] [--array-limit K]] [--threads N]"
function M.option (o, name, value)
  if name == "--slurm" then o.slurm = o.slurm or {}; return true end
  local slurm_key = ({["--partition"] = "partition", ["--time"] = "time", ["--mem"] = "mem",
                      ["--cpus"] = "cpus", ["--array-limit"] = "array_limit"})[name]
  if slurm_key then
    local v = value()
    if not v then return nil, name .. " needs a value" end
    o.slurm = o.slurm or {}
    o.slurm[slurm_key] = (slurm_key == "cpus" or slurm_key == "array_limit") and math.tointeger(tonumber(v)) or v
    if o.slurm[slurm_key] == nil then return nil, ("%s needs an integer, got '%s'"):format(name, v) end
    return true
  end
  if name == "--jobs" or name == "--threads" then
    local v = value()
    local k = math.tointeger(tonumber(v or ""))
    if not k or k < 1 or k > 4096 then return nil, ("%s needs a positive integer, got '%s'"):format(name, v or "") end
    o[name:sub(3)] = k
    return true
  end
  return false
end

return M
