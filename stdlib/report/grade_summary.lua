-- grade_summary.lua: what the grader writes after a child has run:
-- summary.json (status, the limit that stopped the script, each cell's
-- printed values and figure hashes, the sandbox layers, and apart under
-- "measured" the times and memory that change from run to run) and the
-- record report.html is made from.
local R = require "geolab.report"
local C = require "geolab.report_cells"
local json = require "geolab.report_json"
local GC = require "geolab.grade_compare"
local S = {}

local MIB = 1024 * 1024
local MAX_RECORD = 256 * MIB   -- a record larger than this is not read
local MAX_STDOUT = 64 * 1024    -- bytes of a cell's printed text kept in summary.json
local MAX_NUMBERS = 10000       -- printed numbers kept (and compared) per cell
local SIGNALS = {XCPU = "cpu", XFSZ = "file size", KILL = nil, SEGV = "crash", ABRT = "crash", BUS = "crash"}

local function lines_of (s)
  local t = {}
  for l in (s or ""):gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

-- The refusal log: "what<TAB>detail" lines, as vm/sandbox_paths.c writes them.
local function refusals (path)
  local out = {}
  for _, l in ipairs(lines_of(R.readfile(path))) do
    local what, detail = l:match("^([^\t]*)\t(.*)$")
    if what then out[#out + 1] = {what = what, detail = detail} end
  end
  return out
end

-- Why the child stopped: the limit's name, or nil.
local function which_limit (o, res, rec)
  if res.timed_out then return "wall" end
  local sig = res.signame
  if sig == "XCPU" or (sig == "KILL" and res.user + res.sys >= o.timeout * o.threads) then return "cpu" end
  if sig == "KILL" then return "memory" end   -- the kernel's OOM killer
  if sig and SIGNALS[sig] then return SIGNALS[sig] end
  if rec and rec.output_capped then return "output" end
  for _, c in ipairs(rec and rec.cells or {}) do
    for _, out in ipairs(c.outputs) do
      if out.type == "error" and (out.text:find("not enough memory", 1, true) or out.text:find("was refused)", 1, true)) then
        return "memory"
      end
    end
  end
  return nil
end

local LIMIT_TEXT = {
  wall = "stopped: the wall-clock limit (%g s) was reached",
  cpu = "stopped: the CPU-time limit was reached",
  memory = "stopped: the memory limit was reached",
  output = "stopped: printed output over the limit",
  ["file size"] = "stopped: a file over the size limit",
  crash = "the grading process crashed",
}

-- S.build(o, res, cfg) -> summary, run (for report_html.page)
function S.build (o, res, cfg)
  local recs = R.readfile(cfg.grade .. "/run.json")
  local rec
  if recs and #recs <= MAX_RECORD then
    local ok, r = pcall(json.decode, recs, "run.json")
    rec = ok and r or nil
  end
  local limit = which_limit(o, res, rec)
  local layers = rec and rec.layers or {}
  local s = {
    format = "geolab-grade 1", geolab = R.version or "?", script = o.script, seed = o.seed, threads = o.threads,
    limits = {timeout_s = o.timeout, memory_bytes = o.memory, cpu_s = math.ceil(o.timeout * o.threads) + 1,
              file_size_bytes = o.max_file, output_bytes = o.max_output, figure_pixels = o.max_pixels,
              processes = o.nproc},
    sandbox = {
      lua = "active (no os.execute, io.popen, package.loadlib, debug, C modules; text chunks only)",
      paths = rec and "active (read: --data, the script's folder, --out, geolab's datasets; write: --out/files)" or "unknown (no record)",
      rlimits = o.address_limit == false and
        "active (CPU, file size, processes; wall-clock kill by the grader); address space: not set (sanitizer build)"
        or "active (CPU, address space, file size, processes; wall-clock kill by the grader)",
      seccomp = layers.seccomp or "unknown (the child stopped before reporting)",
      landlock = layers.landlock or "unknown (the child stopped before reporting)"},
    exit = json.object({code = res.code, signal = res.signame}),
    limit = limit, refused = refusals(cfg.grade .. "/refusals.log"),
    cells = {}, figures = {},
  }
  local measured = {wall_s = res.wall, cpu_s = res.user + res.sys, peak_memory_mib = res.maxrss / 1024, cells_s = {}}
  s.measured = measured
  -- the script's cells, with what the record says of each
  local sok, src = pcall(R.source, o.script)   -- a notebook: its cells, as the child ran them
  src = sok and src or ""
  local cells = C.split(src)
  local byno = {}
  for _, c in ipairs(rec and rec.cells or {}) do byno[c.count] = c end
  local run = {script = o.script, version = R.version or "?", seed = o.seed, threads = o.threads,
               date = os.date("!%Y-%m-%d %H:%M:%S UTC"), seconds = res.wall, nerrors = 0, cells = cells, header = {}}
  local no, nerr = 0, 0
  local current = rec and rec.current and rec.current.count
  for _, c in ipairs(cells) do
    if c.kind == "code" then
      no = no + 1
      local r = byno[no]
      local cs = {index = no, line = c.line, status = "not run", stdout = "", numbers = {}, figures = {}}
      if r then
        c.count, c.seconds, c.outputs = no, r.seconds, {}
        measured.cells_s[no] = r.seconds
        cs.status = "ok"
        local errs = {}
        for _, out in ipairs(r.outputs) do
          if out.type == "stream" then
            if out.name == "stdout" then cs.stdout = cs.stdout .. out.text end
            c.outputs[#c.outputs + 1] = out
          elseif out.type == "error" then
            cs.status = "error"; errs[#errs + 1] = out.text
            c.outputs[#c.outputs + 1] = out
          elseif out.type == "image" then
            cs.figures[#cs.figures + 1] = out.sha256
            s.figures[#s.figures + 1] = {cell = no, file = out.file, sha256 = out.sha256, bytes = out.bytes}
            local png = R.readfile(cfg.out .. "/" .. out.file)
            if png then c.outputs[#c.outputs + 1] = {type = "image", png = png} end
          end
        end
        if #errs > 0 then cs.error = table.concat(errs, "\n"); nerr = nerr + 1 end
        cs.numbers = GC.numbers(cs.stdout)
        if #cs.numbers > MAX_NUMBERS then
          for k = #cs.numbers, MAX_NUMBERS + 1, -1 do cs.numbers[k] = nil end
          cs.numbers_truncated = true
        end
        if #cs.stdout > MAX_STDOUT then   -- the report keeps more (report.lua's own cap)
          cs.stdout_bytes = #cs.stdout
          cs.stdout = R.utf8_clean(cs.stdout:sub(1, MAX_STDOUT)) .. ("\n[... %d more bytes in report.html]\n"):format(#cs.stdout - MAX_STDOUT)
        end
      elseif no == current or (current == nil and not (rec and rec.done) and no == #(rec and rec.cells or {}) + 1) then
        cs.status = "stopped"
        local why = (LIMIT_TEXT[limit] or "stopped: the grading process ended (%s)"):format(
          limit == "wall" and o.timeout or (res.signame or res.code))
        cs.error = why
        c.count, c.outputs = no, {{type = "error", text = why}}
        nerr = nerr + 1
      end
      s.cells[#s.cells + 1] = cs
    end
  end
  run.nerrors = nerr
  for i = 1, no do if measured.cells_s[i] == nil then measured.cells_s[i] = json.null end end
  if rec and rec.tests then s.tests = rec.tests
  elseif cfg.tests then   -- the child stopped before any test ran: all failed
    local ok, r = pcall(require("geolab.grade_tests").runner, cfg.tests)
    s.tests = ok and r.results() or {score = 0, total = 0, results = {}, error = tostring(r)}
  end
  if rec and rec.fatal then s.error = rec.fatal end
  -- the overall status
  if limit then s.status = "stopped"
  elseif not rec then s.status = "crashed"
  elseif not rec.done then s.status = "crashed"
  elseif nerr > 0 or rec.fatal then s.status = "errors"
  else s.status = "ok" end
  if s.status == "crashed" then
    local log = R.readfile(cfg.grade .. "/child.log") or ""
    s.error = s.error or ("the grading process ended without a record: " .. log:sub(-2000))
  end
  run.header = {
    ("graded in a sandbox: lua %s; paths %s; rlimits %s"):format("active", rec and "active" or "unknown", "active"),
    "seccomp: " .. s.sandbox.seccomp, "landlock: " .. s.sandbox.landlock,
    ("limits: wall %g s, memory %.0f MiB, output %.0f MiB"):format(o.timeout, o.memory / MIB, o.max_output / MIB),
  }
  if s.tests then   -- feedback: hidden tests show pass/fail and points only
    for _, l in ipairs(require("geolab.grade_tests").feedback(s.tests)) do run.header[#run.header + 1] = l end
  end
  if #s.refused > 0 then
    local t = {}
    for i = 1, math.min(#s.refused, 5) do t[i] = s.refused[i].what .. " " .. s.refused[i].detail end
    run.header[#run.header + 1] = ("refused by the sandbox (%d): %s"):format(#s.refused, table.concat(t, "; "))
  end
  return s, run
end

function S.headline (s)
  return ("status: %s%s"):format(s.status, s.limit and (" (limit: " .. s.limit .. ")") or "")
end

-- summary.json: keys sorted, one per line, measured values last under "measured"
function S.encode (s)
  return json.encode(s, 1) .. "\n"
end

return S
