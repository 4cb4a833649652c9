-- grade.lua: geolab grade (issue 16). The grader (this file, in the parent
-- process) never runs submission code: it starts a child, this same program
-- re-executed as `geolab grade --child CONFIG`, with resource limits and a
-- wall-clock kill (vm/grade.c). The child locks itself in (Lua layer:
-- grade_sandbox.lua; path rule, Landlock and seccomp: vm/sandbox_*.c), runs
-- the script cell by cell with report.lua's engine and writes, after every
-- cell, a record of what it printed and drew. The parent then reads that
-- record, whatever became of the child, and writes summary.json and
-- report.html. Out folder layout:
--   summary.json, report.html, figures/cellNN-K.png   written by the grader
--   files/      the only folder the script may write (its arg[1] by default)
--   .grade/     the child's record, refusal log and own output
local R = require "geolab.report"
local C = require "geolab.report_cells"
local json = require "geolab.report_json"
local core = require "geolab.report_core"
local GC = require "geolab.grade_compare"
local G = {}

local MIB = 1024 * 1024
local DEFAULTS = {timeout = 120, memory = 2048 * MIB, threads = 1, seed = 0, rtol = 1e-6, atol = 1e-9,
                  max_output = 2 * MIB, max_file = 256 * MIB, max_pixels = 16 * MIB, nproc = 512, jobs = 1}

local USAGE = [==[
usage: geolab grade submission.lua|notebook.ipynb --data DIR --out DIR [--timeout S] [--memory 2G]
         [--seed N] [--threads N] [--expected reference.json] [--rtol X] [--atol X]
         [--tests exam.tests.lua] [--max-output 2M] [--max-file 256M] [-- script args]
       geolab grade --batch DIR --out DIR [--jobs N] [--force] [same options]
       geolab grade --batch DIR --out DIR --slurm [--partition P] [--time T] [--mem M]
         [--array-limit K] [--no-wait] [same options]
       geolab grade --collect DIR   (the class table of a --slurm --no-wait run)
       geolab check submission.lua --tests public.tests.lua [--data DIR] [--out DIR]]==]

local function die (cmd, msg)
  io.stderr:write(("geolab %s: %s\n"):format(cmd, msg))
  return 2
end

-- "2G", "512M", "64k", "1000000" -> bytes
local function bytes (s)
  local n, u = tostring(s):match("^(%d+%.?%d*)%s*([kKmMgGtT]?)i?[bB]?$")
  if not n then return nil end
  local mul = ({[""] = 1, k = 1024, m = MIB, g = 1024 * MIB, t = 1024 * 1024 * MIB})[u:lower()]
  return math.floor(tonumber(n) * mul)
end

-- {===== options
local function parse (cmd, argv)
  local o = {args = {}, data = {}}
  for k, v in pairs(DEFAULTS) do o[k] = v end
  local i = 1
  local numeric = {["--timeout"] = "timeout", ["--seed"] = "seed", ["--threads"] = "threads",
                   ["--rtol"] = "rtol", ["--atol"] = "atol", ["--jobs"] = "jobs"}
  local sizes = {["--memory"] = "memory", ["--max-output"] = "max_output", ["--max-file"] = "max_file"}
  local paths = {["--out"] = "out", ["--expected"] = "expected", ["--tests"] = "tests", ["--batch"] = "batch",
                 ["--child"] = "child", ["--collect"] = "collect", ["--task"] = "task"}
  -- Slurm's resource requests, passed to sbatch as given (geolab.slurm checks their syntax)
  local slurm_opts = {["--partition"] = "partition", ["--time"] = "time", ["--mem"] = "mem",
                      ["--array-limit"] = "array_limit"}
  while i <= #argv do
    local a = argv[i]
    local name, val = a:match("^(%-%-[%w-]+)=(.*)$")
    name = name or a
    local function value ()
      if val then return val end
      i = i + 1
      if argv[i] == nil then error(("%s needs a value"):format(name), 0) end
      return argv[i]
    end
    if a == "--" then
      for k = i + 1, #argv do o.args[#o.args + 1] = argv[k] end
      o.explicit_args = true
      break
    elseif numeric[name] then
      local v = value()
      local x = tonumber(v)
      if not x or x < 0 or x ~= x then error(("%s needs a non-negative number, got '%s'"):format(name, v), 0) end
      if (name == "--seed" or name == "--threads" or name == "--jobs") and not math.tointeger(x) then
        error(("%s needs an integer, got '%s'"):format(name, v), 0)
      end
      if (name == "--threads" or name == "--jobs" or name == "--timeout") and x <= 0 then
        error(("%s must be positive, got '%s'"):format(name, v), 0)
      end
      o[numeric[name]] = math.tointeger(x) or x
      if name == "--jobs" then o.jobs_given = true end
    elseif sizes[name] then
      local v = value()
      o[sizes[name]] = bytes(v) or error(("%s needs a size such as 2G or 512M, got '%s'"):format(name, v), 0)
    elseif name == "--data" then o.data[#o.data + 1] = value()
    elseif paths[name] then o[paths[name]] = value()
    elseif name == "--force" then o.force = true
    elseif name == "--slurm" then o.slurm = true
    elseif name == "--no-wait" then o.no_wait = true
    elseif slurm_opts[name] then
      local v = value()
      if name == "--array-limit" then
        v = math.tointeger(tonumber(v))
        if not v or v < 1 then error(("--array-limit needs an integer >= 1, got '%s'"):format(argv[i]), 0) end
      end
      o[slurm_opts[name]] = v
      o.slurm_given = o.slurm_given or name
    elseif a:sub(1, 1) == "-" then error(("unrecognized option '%s'"):format(a), 0)
    elseif not o.script then o.script = a
    else error(("unexpected argument '%s' (script arguments go after --)"):format(a), 0) end
    i = i + 1
  end
  return o
end
-- =====}

local function write_file (path, data)
  local f, err = io.open(path, "wb")
  if not f then error("cannot write " .. err, 0) end
  f:write(data)
  f:close()
end

local function read_capped (path, max)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read(max)
  f:close()
  return s or ""
end

-- Removes what a previous grading left in out (the grader's files only).
local function clear_out (out)
  for _, sub in ipairs {"figures", ".grade/tmp", ".grade"} do
    local d = fs.join(out, sub)
    if fs.isdir(d) then
      for _, name in ipairs(fs.listdir(d)) do
        local p = fs.join(d, name)
        if fs.isfile(p) or fs.islink(p) then os.remove(p) end
      end
    end
  end
  os.remove(fs.join(out, "summary.json"))
end

-- {===== the child: runs in the sandbox, writes its record
local function child (o, host)
  local cfg = json.decode(assert(R.readfile(o.child)), o.child)
  local real_open, real_rename = io.open, os.rename
  core.set_threads(cfg.threads)
  np.random.seed(cfg.seed)
  R.tmpdir = cfg.tmp
  local recpath = cfg.grade .. "/run.json"
  local record = {cells = {}, layers = {}}
  local function save ()
    local f = real_open(recpath .. ".tmp", "wb")
    if not f then return end
    f:write(json.encode(record))
    f:close()
    real_rename(recpath .. ".tmp", recpath)
  end
  local runner, outs = nil, {}
  if cfg.tests then
    local ok, r = pcall(require("geolab.grade_tests").runner, cfg.tests)
    if not ok then record.fatal = r; record.done = true; save(); host.exit_now(0) end
    runner = r
    record.tests = runner.results()
  end
  host.sandbox_paths(cfg.read, cfg.write, cfg.grade .. "/refusals.log")
  local env = require("geolab.grade_sandbox").install(host, cfg)
  local ll = {}
  for _, d in ipairs(cfg.read) do ll[#ll + 1] = d end
  local layers = host.sandbox_lock {read = ll, write = {cfg.out}}
  record.layers = {landlock = layers.landlock, seccomp = layers.seccomp}
  save()
  local nfig = 0
  local function on_cell (c, phase)
    if phase == "start" then
      record.current = {count = c.count, line = c.line}
      save()
      return
    end
    local cell = {count = c.count, line = c.line, title = c.title, seconds = c.seconds, outputs = {}}
    local k = 0
    for _, out in ipairs(c.outputs or {}) do
      if out.type == "image" then
        k, nfig = k + 1, nfig + 1
        local name = ("figures/cell%02d-%d.png"):format(c.count, k)
        local f = real_open(cfg.out .. "/" .. name, "wb")
        if f then f:write(out.png); f:close() end
        cell.outputs[#cell.outputs + 1] = {type = "image", file = name, sha256 = core.sha256(out.png), bytes = #out.png}
      else
        cell.outputs[#cell.outputs + 1] = out
      end
    end
    record.cells[#record.cells + 1] = cell
    record.current = nil
    if runner then
      local text = {}
      for _, out in ipairs(c.outputs or {}) do
        if out.type == "stream" and out.name == "stdout" then text[#text + 1] = out.text end
      end
      outs[c.count] = table.concat(text)
      save()   -- the cell is recorded before its tests run
      runner.after_cell(c.count, env, outs)
      record.tests = runner.results()
    end
    save()
  end
  local ok, run = pcall(R.run, cfg.script, {env = env, seed = cfg.seed, args = cfg.args, version = host.version,
                                            docall = host.docall, on_cell = on_cell})
  if not ok then record.fatal = tostring(run) end
  record.exit = ok and run.exit or nil
  record.output_capped = require("geolab.grade_sandbox").capped()
  if runner then
    runner.finish(env, outs)
    record.tests = runner.results()
  end
  record.done = true
  save()
  host.exit_now(0)   -- no lua_close: no __gc of the script runs after this
end
-- =====}

-- {===== the parent: one submission
local function abs (p) return fs.abspath(p) end

local function prepare (o)
  if not o.script then error("no submission given", 0) end
  if not fs.isfile(o.script) then error(("cannot open submission '%s'"):format(o.script), 0) end
  if not o.out then error("--out DIR is required", 0) end
  for _, d in ipairs(o.data) do
    if not fs.isdir(d) then error(("--data '%s' is not a folder"):format(d), 0) end
  end
  if o.expected and not fs.isfile(o.expected) then error(("cannot open --expected '%s'"):format(o.expected), 0) end
  if o.tests and not fs.isfile(o.tests) then error(("cannot open --tests '%s'"):format(o.tests), 0) end
  local ok, err = pcall(fs.makedirs, o.out, {exist_ok = true})
  if not ok then error(("cannot create --out '%s': %s"):format(o.out, err), 0) end
  for _, sub in ipairs {"files", "figures", ".grade", ".grade/tmp"} do fs.makedirs(fs.join(o.out, sub), {exist_ok = true}) end
  clear_out(o.out)
end

local function real (p)   -- a folder's real path, through the child's own check later
  return abs(p)
end

-- G.grade_one(o, host) -> summary (also written to o.out)
function G.grade_one (o, host)
  prepare(o)
  local out = real(o.out)
  local script = abs(o.script)
  local read = {fs.dirname(script)}
  for _, d in ipairs(o.data) do read[#read + 1] = real(d) end
  if o.tests then read[#read + 1] = fs.dirname(abs(o.tests)) end
  -- the datasets geolab ships (ml.datasets.load_iris...): read-only, harmless
  local mok, mcore = pcall(require, "geolab.ml_core")
  local shipped = mok and mcore.data_dir and mcore.data_dir()
  if shipped and fs.isdir(shipped) then read[#read + 1] = real(shipped) end
  local args = o.explicit_args and o.args or {out .. "/files"}
  local cfg = {script = script, out = out, grade = out .. "/.grade", tmp = out .. "/.grade/tmp",
               read = read, write = {out .. "/files", out .. "/.grade/tmp"}, seed = o.seed, threads = o.threads,
               args = args, max_output = o.max_output, max_pixels = o.max_pixels,
               tests = o.tests and abs(o.tests) or nil, hidden = o.hidden}
  local cfgpath = out .. "/.grade/config.json"
  write_file(cfgpath, json.encode(cfg, 1))
  local res = host.grade_spawn({"geolab", "grade", "--child", cfgpath},
    {timeout = o.timeout, cpu = math.ceil(o.timeout * o.threads) + 1, memory = o.memory, fsize = o.max_file,
     nproc = o.nproc, log = out .. "/.grade/child.log"})
  o.address_limit = host.address_limit
  local S = require("geolab.grade_summary")
  local summary, run = S.build(o, res, cfg)
  if o.expected then
    local ref = json.decode(assert(R.readfile(o.expected)), o.expected)
    summary.comparison = GC.compare(summary, ref, o.rtol, o.atol)
  end
  write_file(out .. "/summary.json", S.encode(summary))
  run.header[#run.header + 1] = S.headline(summary)
  if summary.comparison then run.header[#run.header + 1] = GC.headline(summary.comparison) end
  write_file(out .. "/report.html", require("geolab.report_html").page(run))
  return summary
end
-- =====}

local function status_code (s)
  if s.status == "ok" and (not s.comparison or s.comparison.equal) then return 0 end
  return 1
end

function G.main (cmd, argv, host)
  R.version = host.version
  local ok, o = pcall(parse, cmd, argv)
  if not ok then return die(cmd, o .. "\n" .. USAGE) end
  if o.child then return child(o, host) end
  if cmd == "check" then return require("geolab.grade_tests").check(o, host, G) end
  if o.slurm_given and not o.slurm then return die(cmd, ("%s needs --slurm"):format(o.slurm_given)) end
  if o.no_wait and not o.slurm then return die(cmd, "--no-wait needs --slurm") end
  if o.slurm and not o.batch then return die(cmd, "--slurm grades a folder: give --batch DIR") end
  if o.slurm and o.jobs_given then
    return die(cmd, "--jobs is for grading on this machine; with --slurm, --array-limit K caps the tasks running at once")
  end
  if o.collect then return require("geolab.grade_slurm").collect(o, host) end
  if o.task then return require("geolab.grade_slurm").task(o, host) end
  if o.batch then return require("geolab.grade_batch").run(o, host, G) end
  local gok, s = pcall(G.grade_one, o, host)
  if not gok then return die(cmd, s) end
  print(("geolab grade: %s: %s%s%s -> %s"):format(o.script, s.status, s.limit and (" (" .. s.limit .. ")") or "",
    s.tests and (", tests %g/%g points"):format(s.tests.score, s.tests.total) or "",
    fs.join(o.out, "summary.json")))
  if s.comparison then print("geolab grade: " .. GC.headline(s.comparison)) end
  return status_code(s)
end

return G
