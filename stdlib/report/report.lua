-- report.lua: runs a script cell by cell (geolab report, geolab run
-- --manifest, geolab verify) and records what each cell printed, the errors
-- it raised and the figures it drew. The cells run in order in one state and
-- share one environment, so a top-level local of one cell is seen by the
-- next, as a notebook's variables are. Figures follow Jupyter's inline
-- backend: a figure saved or shown is captured then; at the end of a cell
-- every open figure is captured (unless unchanged since it was saved in that
-- cell) and closed.
local core = require "geolab.report_core"
local C = require "geolab.report_cells"
local R = {}

local MAX_OUTPUT = 1 << 22   -- bytes of one stream segment kept in a report
local EXIT_MARK = "geolab report: os.exit was called"

-- Replaces invalid UTF-8 (binary written to stdout) by U+FFFD, so the HTML
-- and JSON written from it are valid.
local function utf8_clean (s)
  if utf8.len(s) then return s end
  local out, i, n = {}, 1, #s
  while i <= n do
    local ok, j = pcall(utf8.offset, s, 2, i)
    local ch = ok and j and s:sub(i, j - 1)
    if ch and utf8.len(ch) then out[#out + 1] = ch; i = j
    else out[#out + 1] = "\u{FFFD}"; i = i + 1 end
  end
  return table.concat(out)
end
R.utf8_clean = utf8_clean

local readfile = require("geolab.util").readfile
R.readfile = readfile

-- {===== figures
local hooks   -- while a run is on: {plt, savefig, show, on_figure}

-- Renders fig to PNG bytes with savefig's options opts (dpi, facecolor...).
local function render_png (fig, opts)
  local tmp = R.tmpdir and R.tmpdir .. "/render" or os.tmpname()   -- grading: a folder of its own
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.format = "png"
  local ok, err = pcall(hooks.savefig, fig, tmp .. ".png", o)
  local png = ok and readfile(tmp .. ".png")
  os.remove(tmp .. ".png"); os.remove(tmp)
  if not ok then error(err, 0) end
  return png
end

local function install_hooks (on_figure)
  local ok, plt = pcall(require, "geolab.plot")
  if not ok then return end
  hooks = {plt = plt, savefig = plt.Figure.savefig, show = plt.show, on_figure = on_figure}
  local savefig = hooks.savefig
  plt.Figure.savefig = function (fig, path, opts)
    local p = savefig(fig, path, opts)
    local fmt = (type(opts) == "table" and opts.format or p:match("%.(%w+)$") or "png"):lower()
    local png = fmt == "png" and readfile(p) or render_png(fig, opts)
    if png then hooks.on_figure(fig, png, opts) end
    return p
  end
  -- plt.show() shows the open figures in the report and closes them
  plt.show = function ()
    for _, fig in ipairs(plt._figures()) do hooks.on_figure(fig, render_png(fig, nil), nil) end
    plt.close("all")
  end
end

local function remove_hooks ()
  if hooks then
    hooks.plt.Figure.savefig, hooks.plt.show = hooks.savefig, hooks.show
    hooks = nil
  end
end
-- for the Jupyter kernel (report_kernel.lua), which shows figures the same way
R.install_hooks, R.remove_hooks, R.render_png = install_hooks, remove_hooks, render_png
-- =====}

-- The environment the cells share: reads fall back to the globals, new
-- names stay in it (a script's `local` cannot clobber what modules use).
local function cell_env ()
  return setmetatable({}, {__index = _G, __name = "cells"})
end

-- R.run(path, opts) -> record of the run:
--   {script, version, seed, threads, date, seconds, nerrors, cells = {cell...}}
-- with each code cell's outputs, in order: {type = "stream", name, text},
-- {type = "image", png}, {type = "error", text}. opts: seed, args (list),
-- version, docall (the host's protected call: ok, ... or false, message
-- with traceback), echo (copy each output to the real stdout/stderr as it
-- is collected: geolab run --manifest).
-- R.source(path) -> the text of a script, or of a notebook as the script
-- `geolab convert` makes of it (its cells in order; line numbers are that
-- script's); nil, message when it cannot be read. geolab run, report and
-- grade (the run and its summary) all read a submission through this.
function R.source (path)
  local src, err = readfile(path)
  if not src then return nil, err end
  if path:lower():match("%.ipynb$") then src = C.join(require("geolab.report_ipynb").read(src, path)) end
  return src
end

function R.run (path, opts)
  local src, err = R.source(path)
  if not src then error(("cannot open %s"):format(err:gsub("^[^:]*: ", path .. ": ")), 0) end
  local cells = C.split(src)
  local ncode = 0
  for _, c in ipairs(cells) do if c.kind == "code" then ncode = ncode + 1 end end
  local env = opts.env or (ncode > 1 and cell_env() or _G)
  local docall = opts.docall or function (f, ...)
    return xpcall(f, debug.traceback, ...)
  end
  local args = opts.args or {}
  local run = {script = path, version = opts.version or "?", seed = opts.seed or 0, threads = core.threads(),
               date = os.date("!%Y-%m-%d %H:%M:%S UTC"), cells = cells, nerrors = 0}
  local outputs, cellno, last = nil, 0, setmetatable({}, {__mode = "k"})
  local function add (o)
    local prev = outputs[#outputs]
    if o.type == "stream" and prev and prev.type == "stream" and prev.name == o.name then prev.text = prev.text .. o.text
    else outputs[#outputs + 1] = o end
  end
  local function collect ()   -- what was printed since the last segment
    local out, nout, errs, nerr = core.capture_end(MAX_OUTPUT)
    for _, s in ipairs {{"stdout", out, nout}, {"stderr", errs, nerr}} do
      local text = s[2]
      if s[3] > #text then text = text .. ("\n[... %d more bytes not shown]\n"):format(s[3] - #text) end
      if text ~= "" then
        add {type = "stream", name = s[1], text = utf8_clean(text)}
        if opts.echo then io[s[1]]:write(s[2]); io[s[1]]:flush() end
      end
    end
  end
  local function on_figure (fig, png, fopts)
    local l = last[fig]
    if l and l.cell == cellno and l.png == png then return end   -- the same picture again
    last[fig] = {cell = cellno, png = png, opts = fopts}
    collect()
    add {type = "image", png = png}
    core.capture_begin()
  end
  install_hooks(on_figure)
  local t_start = core.clock()
  local old_arg = rawget(_G, "arg")
  local argt = {[0] = path}
  for i, a in ipairs(args) do argt[i] = a end
  _G.arg = argt
  if opts.env then rawset(opts.env, "arg", argt) end
  -- os.exit in a cell ends the run there, as it ends a plain run, but the
  -- report is still written: it raises a marked error that stops the cells
  local real_exit, exited = os.exit, nil
  local envos = opts.env and rawget(opts.env, "os")   -- a sandbox's own os table
  local env_exit = envos and envos.exit
  os.exit = function (code)
    exited = code == nil and true or code
    error(EXIT_MARK, 0)
  end
  if envos then envos.exit = os.exit end
  local ok_all, e_all = pcall(function ()
    for _, c in ipairs(cells) do
      if c.kind ~= "code" or exited ~= nil then goto next end
      cellno = cellno + 1
      c.count, c.outputs, outputs = cellno, {}, nil
      outputs = c.outputs
      local code = ncode > 1 and C.globalize(c.code) or c.code
      local t0 = core.clock()
      if opts.on_cell then opts.on_cell(c, "start") end
      core.capture_begin()
      local f, lerr = load(code, "@" .. path, "t", env)
      local ok, msg
      if f then
        local r = table.pack(docall(f, table.unpack(args)))
        ok, msg = r[1], r[2]
      else ok, msg = false, lerr end
      -- open figures are shown at the end of the cell, then closed
      if hooks then
        for _, fig in ipairs(hooks.plt._figures()) do
          local l = last[fig]
          local rok, png = pcall(render_png, fig, l and l.cell == cellno and l.opts or nil)
          if rok then on_figure(fig, png, l and l.cell == cellno and l.opts or nil)
          else collect(); add {type = "error", text = "figure: " .. tostring(png)}; core.capture_begin() end
        end
        hooks.plt.close("all")
      end
      collect()
      if not ok and exited ~= nil and tostring(msg):find(EXIT_MARK, 1, true) then
        ok = exited == true or exited == 0
        msg = ("os.exit(%s): the script stopped here"):format(tostring(exited))
        add {type = ok and "stream" or "error", name = "stderr", text = msg .. (ok and "\n" or "")}
        if not ok then run.nerrors = run.nerrors + 1 end
        ok = true
      end
      if not ok then
        msg = type(msg) == "string" and msg or tostring(msg)
        add {type = "error", text = utf8_clean(msg)}
        run.nerrors = run.nerrors + 1
        if opts.echo then io.stderr:write(msg, "\n"); io.stderr:flush() end
      end
      c.seconds = core.clock() - t0
      if opts.on_cell then opts.on_cell(c, "end") end
      ::next::
    end
  end)
  _G.arg = old_arg
  os.exit = real_exit
  if envos then envos.exit = env_exit end
  run.exit = exited
  remove_hooks()
  if not ok_all then pcall(core.capture_end, 0); error(e_all, 0) end
  run.seconds = core.clock() - t_start
  return run
end

-- {===== command line: geolab report | convert | run --manifest | verify
local USAGE = {
  report = "usage: geolab report [--seed N] [--threads N] script.lua [-o report.html|report.ipynb] [-- args]",
  convert = "usage: geolab convert notebook.ipynb -o script.lua  |  geolab convert script.lua -o notebook.ipynb",
  run = "usage: geolab run [--manifest m.json] [--seed N] [--threads N] script.lua|notebook.ipynb [args]",
  verify = "usage: geolab verify [--threads N] manifest.json [script.lua]",
}

local function die (cmd, msg)
  io.stderr:write(("geolab %s: %s\n"):format(cmd, msg))
  return 1
end

-- Options before the script (and -o anywhere before `--`), then the script
-- and its arguments.
local function parse (cmd, argv)
  local o, i = {args = {}}, 1
  while i <= #argv do
    local a = argv[i]
    local name, val = a:match("^(%-%-[%w-]+)=(.*)$")
    name = name or a
    local function value () if val then return val end i = i + 1; return argv[i] end
    if o.script and cmd == "run" then o.args[#o.args + 1] = a
    elseif a == "--" then
      for k = i + 1, #argv do
        if not o.script then o.script = argv[k] else o.args[#o.args + 1] = argv[k] end
      end
      break
    elseif name == "--seed" then
      local v = value()
      o.seed = math.tointeger(tonumber(v or ""))
      if not o.seed then return nil, ("--seed needs an integer, got '%s'"):format(v or "") end
    elseif name == "--threads" then
      local v = value()
      o.threads = math.tointeger(tonumber(v or ""))
      if not o.threads or o.threads < 1 or o.threads > 4096 then
        return nil, ("--threads needs a positive integer, got '%s'"):format(v or "")
      end
    elseif (a == "-o" or name == "--output") and cmd ~= "run" and cmd ~= "verify" then
      o.output = value()
      if not o.output then return nil, "-o needs a file name" end
    elseif name == "--manifest" and cmd == "run" then
      o.manifest = value()
      if not o.manifest then return nil, "--manifest needs a file name" end
    elseif a:sub(1, 1) == "-" and a ~= "-" then return nil, ("unrecognized option '%s'"):format(a)
    elseif not o.script then o.script = a
    elseif cmd == "verify" and not o.script2 then o.script2 = a
    else o.args[#o.args + 1] = a end
    i = i + 1
  end
  return o
end

local function write_file (path, data)
  local f, err = io.open(path, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(data)
  local cok, cerr = f:close()
  if not ok or not cok then return nil, ("%s: %s"):format(path, werr or cerr) end
  return true
end

local function start (o, host)
  if o.threads then core.set_threads(o.threads) end
  o.seed = o.seed or 0
  np.random.seed(o.seed)
  return {seed = o.seed, args = o.args, version = host.version, docall = host.docall}
end

local commands = {}

function commands.report (o, host)
  if not o.script then return die("report", "no script given\n" .. USAGE.report) end
  local out = o.output or (o.script:match("([^/]+)$"):gsub("%.lua$", ""):gsub("%.ipynb$", "") .. ".html")
  local fmt = out:match("%.(%w+)$")
  fmt = fmt and fmt:lower()
  if fmt ~= "html" and fmt ~= "htm" and fmt ~= "ipynb" then
    return die("report", ("cannot tell the format of '%s': name it .html or .ipynb"):format(out))
  end
  local ok, run = pcall(R.run, o.script, start(o, host))
  if not ok then return die("report", run) end
  local text = fmt == "ipynb" and require("geolab.report_ipynb").write(run) or require("geolab.report_html").page(run)
  local wok, werr = write_file(out, text)
  if not wok then return die("report", "cannot write " .. werr) end
  local n = 0
  for _, c in ipairs(run.cells) do if c.count then n = n + 1 end end
  print(("geolab report: %s: %d cells run, %d with errors"):format(out, n, run.nerrors))
  return run.nerrors > 0 and 1 or 0
end

function commands.convert (o)
  if not o.script or not o.output then return die("convert", "needs an input and -o output\n" .. USAGE.convert) end
  local I = require "geolab.report_ipynb"
  local src, err = readfile(o.script)
  if not src then return die("convert", "cannot open " .. err) end
  local text
  if o.script:lower():match("%.ipynb$") and o.output:lower():match("%.lua$") then
    local ok, cells = pcall(I.read, src, o.script)
    if not ok then return die("convert", cells) end
    text = C.join(cells)
  elseif o.script:lower():match("%.lua$") and o.output:lower():match("%.ipynb$") then
    text = I.write {script = o.script, cells = (C.split(src)), notebook_only = true}
  else
    return die("convert", "converts .ipynb to .lua or .lua to .ipynb\n" .. USAGE.convert)
  end
  local wok, werr = write_file(o.output, text)
  if not wok then return die("convert", "cannot write " .. werr) end
  return 0
end

function commands.run (o, host)
  if not o.script then return die("run", "no script given\n" .. USAGE.run) end
  local Mf = require "geolab.report_manifest"
  local opts = start(o, host)
  opts.echo = true
  local ok, res = pcall(Mf.make, o.script, opts, o.manifest)
  if not ok then return die("run", res) end
  if o.manifest then
    local wok, werr = write_file(o.manifest, res.text)
    if not wok then return die("run", "cannot write " .. werr) end
  end
  local ex = res.run.exit   -- os.exit(code) in the script: its status, as a plain run
  if ex ~= nil then return ex == true and 0 or ex == false and 1 or math.tointeger(ex) or 1 end
  return res.run.nerrors > 0 and 1 or 0
end

function commands.verify (o, host)
  if not o.script then return die("verify", "no manifest given\n" .. USAGE.verify) end
  return require("geolab.report_manifest").verify(o.script, o.script2, o, host, start)
end

-- R.main(cmd, argv, host) -> exit status. host: {docall, version}.
function R.main (cmd, argv, host)
  -- geolab.slurm drives sbatch through the host's process helpers; never in
  -- a grading child, where submission code runs
  if host and not (cmd == "grade" and argv[1] == "--child") then require("geolab.slurm")._set_host(host) end
  if cmd == "grade" or cmd == "check" then return require("geolab.grade").main(cmd, argv, host or {}) end
  if cmd == "sweep" then return require("geolab.sweep").main(argv, host or {}) end
  if cmd == "tiles" then return require("geolab.spatial_tiles_cli").main(argv, host or {}) end
  local o, err = parse(cmd, argv)
  if not o then return die(cmd, err .. "\n" .. USAGE[cmd]) end
  return commands[cmd](o, host or {})
end
-- =====}

return R
