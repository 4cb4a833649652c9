-- report_kernel.lua: the Lua side of `geolab kernel`, the Jupyter kernel
-- (issue 17; the sockets, signatures and threads are vm/kernel_*.c). A
-- cell runs as the report engine runs one (report.lua): its top-level
-- locals become globals so that the next cell sees them, what it writes
-- on fd 1 and 2 is captured (C kernels' output too) and sent as stream
-- messages, figures go out as image/png display_data at plt.show() and at
-- the end of the cell, as matplotlib's inline backend does, and the value
-- of a final expression is the execute_result, shown as the REPL shows it.
local core = require "geolab.report_core"
local C = require "geolab.report_cells"
local R = require "geolab.report"
local HTML = require "geolab.report_html"
local K = {}

-- bytes of one cell's stdout (or stderr) sent to the frontend: a cell that
-- prints a million lines must not send them all to the browser
K.MAX_STREAM = 1 << 18
K.FLUSH_SECONDS = 0.5

-- {===== reading a cell
-- The last line of code if it is an expression of its own, and the lines
-- before it: `x = f(1)\nx` shows x as a notebook does.
local function split_last (code)
  local lines = {}
  for l in (code .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
  local n = #lines
  while n > 0 and (lines[n]:match("^%s*$") or lines[n]:match("^%s*%-%-")) do n = n - 1 end
  if n < 2 or lines[n]:match("^%s") then return nil end   -- an indented line is inside a block
  return table.concat(lines, "\n", 1, n - 1), lines[n]
end

-- compile(code, name) -> f, is_expression | nil, syntax error. f takes the
-- function that passes the expression's values through, as the REPL's
-- chunks do ("return (...)(expr)": not a tail call, so that an error keeps
-- the cell's line).
local function compile (code, name)
  local q = code:match("^%s*%?%s*([%w_%.:]+)%s*$")   -- "?name" asks for help, as in the REPL
  if q then code = ("help(%q)"):format(q) end
  if load("return " .. code .. ";", name, "t") then
    return load("return (...)(" .. code .. "\n);", name, "t"), true
  end
  local rest, last = split_last(code)
  if last and load("return " .. last .. ";", name, "t") and load(rest, name, "t") then
    local f = load(C.globalize(rest) .. "\nreturn (...)(" .. last .. "\n);", name, "t")
    if f then return f, true end
  end
  local f, err = load(code, name, "t")
  if not f then return nil, err end
  return load(C.globalize(code), name, "t"), false
end
-- =====}

local function is_frame (v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") == "geolab.DataFrame"
end

local function lines_of (s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

function K.new (host)
  local count = 0
  local function array (t) return setmetatable(t or {}, host.array_mt) end
  local publish = host.publish

  -- {===== output of the running cell
  -- What a cell prints is sent while it runs (every FLUSH_SECONDS, checked
  -- from a count hook) and at its end; past MAX_STREAM bytes per stream and
  -- cell the rest is dropped, and the end of the cell says how much.
  -- The hook may fire while figures are drawn (Lua code) between a collect
  -- and the next begin: `capturing` says whether there is anything to take.
  local sent, dropped, capturing = {}, {}, false
  -- An interrupt that lands just after capture_begin returns, before
  -- `capturing` is set, leaves the capture on unseen: the next begin takes it
  -- over instead of failing on every later cell ("already on").
  local function begin ()
    local ok, err = pcall(core.capture_begin)
    if not ok and not tostring(err):find("already on", 1, true) then error(err, 0) end
    capturing = true
  end
  local function collect (final)
    if not capturing then return end
    capturing = false
    local out, nout, err, nerr = core.capture_end(K.MAX_STREAM)
    for _, s in ipairs {{"stdout", out, nout}, {"stderr", err, nerr}} do
      local name, text = s[1], s[2]
      local room = K.MAX_STREAM - (sent[name] or 0)
      if #text > room then text = text:sub(1, room) end
      sent[name] = (sent[name] or 0) + #text
      dropped[name] = (dropped[name] or 0) + s[3] - #text
      if final and dropped[name] > 0 then
        text = text .. ("\n[geolab kernel: output truncated, %d more bytes not sent to the notebook]\n"):format(dropped[name])
      end
      if text ~= "" then publish("stream", {name = name, text = R.utf8_clean(text)}) end
    end
  end
  local last_flush = 0
  local function flush_hook ()
    local now = core.clock()
    if capturing and now - last_flush >= K.FLUSH_SECONDS then
      last_flush = now
      collect()
      begin()
    end
  end

  local cell, last = 0, setmetatable({}, {__mode = "k"})
  local function on_figure (fig, png, fopts)
    local l = last[fig]
    if l and l.cell == cell and l.png == png then return end   -- the same picture again
    last[fig] = {cell = cell, png = png, opts = fopts}
    collect()
    local w, h = png:byte(17) << 24 | png:byte(18) << 16 | png:byte(19) << 8 | png:byte(20),
                 png:byte(21) << 24 | png:byte(22) << 16 | png:byte(23) << 8 | png:byte(24)
    publish("display_data", {data = {["image/png"] = HTML.base64(png),
                                     ["text/plain"] = ("<Figure size %dx%d>"):format(w, h)},
                             metadata = {}, transient = {}})
    begin()
  end
  R.install_hooks(on_figure)
  local plt = require "geolab.plot"

  -- outputs redrawn in place (nn.fit's progress, util.set_display): one
  -- display_data with a display_id, then update_display_data messages that
  -- replace it, instead of a stream of lines
  local display_prefix, ndisplay = host.uuid(), 0
  require("geolab.util").set_display(function (id, data)
    local d = {}
    for k, v in pairs(data) do d[k] = R.utf8_clean(tostring(v)) end
    local was = capturing
    collect()
    local kind = "update_display_data"
    if id == nil then
      ndisplay = ndisplay + 1
      id, kind = ("%s-%d"):format(display_prefix, ndisplay), "display_data"
    end
    publish(kind, {data = d, metadata = {}, transient = {display_id = id}})
    if was then begin() end
    return id
  end)

  local function end_figures ()
    for _, fig in ipairs(plt._figures()) do
      -- drawn as savefig drew it in this cell (its dpi...): a figure saved
      -- and left open is shown once, as in geolab report
      local l = last[fig]
      local fopts = l and l.cell == cell and l.opts or nil
      local ok, png = pcall(R.render_png, fig, fopts)
      if ok then on_figure(fig, png, fopts)
      else collect(); publish("stream", {name = "stderr", text = "figure: " .. tostring(png) .. "\n"}); begin() end
    end
    plt.close("all")
  end
  -- =====}

  -- os.exit would end the kernel: the notebook would only see it die
  os.exit = function ()
    error("os.exit: not in a notebook (restart the kernel from the Kernel menu to start afresh)", 2)
  end
  -- io.read on the standard input asks the frontend (input_request)
  local real_read, real_input = io.read, io.input
  io.read = function (...)
    if real_input() ~= io.stdin then return real_read(...) end
    local fmt = ... or "l"
    if type(fmt) == "string" then fmt = fmt:gsub("^%*", "") end
    local line = host.input("", false)
    if fmt == "n" then return tonumber(line)
    elseif fmt == "L" then return line .. "\n"
    elseif math.type(fmt) == "integer" then return line:sub(1, fmt)
    else return line end
  end

  local function values (...) return ... end
  local H = {}

  function H.execute_request (c)
    local code = type(c.code) == "string" and c.code or ""
    local silent = c.silent == true
    if not silent and c.store_history ~= false then count = count + 1 end
    local n = count
    if not silent then publish("execute_input", {code = code, execution_count = n}) end
    cell = cell + 1
    local f, expr = compile(code, ("=In[%d]"):format(n))
    local r
    sent, dropped, last_flush = {}, {}, core.clock()
    begin()
    if f then
      -- a tail call: the cell's traceback shows no frame of this wrapper
      local function cell_fn (...) debug.sethook(flush_hook, "", 1000000); return f(...) end
      r = table.pack(host.docall(cell_fn, values))
    else r = {false, expr, n = 2} end
    local ok, endok, enderr = r[1], pcall(end_figures)
    if not endok then collect(); begin(); publish("stream", {name = "stderr", text = tostring(enderr) .. "\n"}) end
    collect(true)
    if ok and expr and not silent then
      local any = false
      for i = 2, r.n do any = any or r[i] ~= nil end
      if any then
        local sok, text = pcall(host.show, table.unpack(r, 2, r.n))
        local data = {["text/plain"] = sok and text or ("(cannot show the value: %s)"):format(tostring(text))}
        if r.n == 2 and is_frame(r[2]) then
          local hok, html = pcall(require("geolab.frame_print").html, r[2], nil, true)
          if hok then data["text/html"] = html end
        end
        publish("execute_result", {execution_count = n, data = data, metadata = {}})
      end
    end
    if ok then
      return {status = "ok", execution_count = n, payload = array(), user_expressions = {}}
    end
    local msg = type(r[2]) == "string" and r[2] or tostring(r[2])
    local e = {ename = msg:find("interrupted!", 1, true) and "KeyboardInterrupt" or "LuaError",
               evalue = msg:match("^[^\n]*"), traceback = array(lines_of(msg))}
    if not silent then publish("error", e) end
    e.status, e.execution_count = "error", n
    return e
  end

  -- the name being typed before cursor_pos (a character offset)
  local function before_cursor (code, pos)
    local b = utf8.offset(code, (pos or #code) + 1) or #code + 1
    return code:sub(1, b - 1)
  end

  -- completion as in the REPL (vm/complete.c): names and fields, methods
  -- after ':', a frame's columns after `df.` and inside `df["`, file names
  -- inside any other string; cursor_start/cursor_end in characters
  function H.complete_request (c)
    local code = type(c.code) == "string" and c.code or ""
    local pos = math.tointeger(c.cursor_pos) or utf8.len(code) or #code
    local head = before_cursor(code, pos)
    local matches = {}
    local ok, set, start = pcall(host.complete_line, head)
    if ok and type(set) == "table" then
      for m in pairs(set) do matches[#matches + 1] = m end
      table.sort(matches)
    else start = #head end
    local cstart = utf8.len(head, 1, math.max(start, 0)) or start
    return {status = "ok", matches = array(matches), cursor_start = pos - (utf8.len(head) or #head) + cstart,
            cursor_end = pos, metadata = {}}
  end

  -- the value a dotted name (a.b.c, a:m) holds, read without running code;
  -- a method that cannot be read as a field (a frame's __index looks for a
  -- column) gives its object, whose help entry names the method
  local function lookup (name)
    local v = _G
    for sep, part in ("." .. name):gmatch("([%.:])([%w_]+)") do
      local ok, x = pcall(function () return v[part] end)
      if not ok or x == nil then return sep == ":" and v ~= _G and v or nil end
      v = x
    end
    return v
  end

  function H.inspect_request (c)
    local code = type(c.code) == "string" and c.code or ""
    local pos = math.tointeger(c.cursor_pos) or #code
    local head = before_cursor(code, pos)
    local name = head:match("[%w_%.:]*$") .. (code:sub(#head + 1):match("^[%w_]*") or "")
    name = name:gsub("[%.:]$", "")
    if name == "" then return {status = "ok", found = false, data = {}, metadata = {}} end
    local help = require "geolab.help"
    local v = lookup(name)
    local ok, text = pcall(help.text, v ~= nil and type(v) ~= "string" and type(v) ~= "number" and v or name)
    local found = ok and type(text) == "string" and not text:find("^help: no manual entry")
    local obj = name:match("^(.+):[%w_]+$")
    if not found and obj then   -- a method without an entry of its own: its object's
      local o = lookup(obj)
      if o ~= nil and type(o) ~= "string" and type(o) ~= "number" then
        ok, text = pcall(help.text, o)
        found = ok and type(text) == "string" and not text:find("^help: no manual entry")
      end
    end
    return {status = "ok", found = found, data = found and {["text/plain"] = text} or {}, metadata = {}}
  end

  function H.is_complete_request (c)
    local code = type(c.code) == "string" and c.code or ""
    if load("return " .. code .. ";", "=cell", "t") or load(code, "=cell", "t") then return {status = "complete"} end
    local _, err = load(code, "=cell", "t")
    if err and err:find("<eof>$") then return {status = "incomplete", indent = ""} end
    return {status = "invalid"}
  end

  function H.history_request () return {status = "ok", history = array()} end
  function H.comm_info_request () return {status = "ok", comms = {}} end
  -- geolab has no comm targets (widgets): a comm the frontend opens is
  -- closed at once, as ipykernel closes one with an unknown target_name
  function H.comm_open (c)
    if type(c.comm_id) == "string" then publish("comm_close", {comm_id = c.comm_id, data = {}}) end
    return {}
  end
  function H.comm_msg () return {} end
  function H.comm_close () return {} end

  if np and np.random then np.random.seed(0) end   -- as `geolab script.lua` without --seed
  return function (msg_type, content, header)
    local h = H[msg_type]
    if h then return h(content, header) end
    return nil
  end
end

-- {===== geolab kernel install
local function mkdir_p (path)
  local fs = require "geolab.fs"
  local at = path:sub(1, 1) == "/" and "" or "."
  for part in path:gmatch("[^/]+") do
    at = at .. "/" .. part
    if not fs.isdir(at) then
      local ok, err = fs.mkdir(at)
      if not ok and not fs.isdir(at) then error(("cannot create %s: %s"):format(at, tostring(err)), 0) end
    end
  end
end

-- The logo, drawn by geolab itself: a globe of meridians and a seismogram.
local function draw_logo (path)
  local plt = require "geolab.plot"
  local fig = plt.figure{figsize = {0.64, 0.64}, dpi = 100, facecolor = "white"}
  local ax = fig:add_axes{0, 0, 1, 1}
  ax:set_axis_off()
  local t = np.linspace(0, 2 * math.pi, 121)
  ax:fill(t:cos() * 0.9, t:sin() * 0.9, {color = "#2a6f97"})
  for _, k in ipairs {0.3, 0.6} do ax:plot(t:cos() * 0.9 * k, t:sin() * 0.9, {color = "white", linewidth = 0.8}) end
  local x = np.linspace(-0.9, 0.9, 200)
  ax:plot(x, (x * 40):sin() * (x * x * -6):exp() * 0.35, {color = "#f4a259", linewidth = 1.6})
  ax:set_xlim(-1, 1); ax:set_ylim(-1, 1)
  fig:savefig(path, {dpi = 100})
  plt.close(fig)
end

local function install (exe, args, json)
  local prefix, user, name = nil, false, "geolab"
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--user" then user = true
    elseif a == "--prefix" or a == "--name" then
      local v = args[i + 1]
      if not v then error(("%s needs a value"):format(a), 0) end
      if a == "--prefix" then prefix = v else name = v end
      i = i + 1
    elseif a:match("^%-%-prefix=") then prefix = a:sub(10)
    elseif a:match("^%-%-name=") then name = a:sub(8)
    else error(("unknown option '%s' (--user, --prefix P, --name N)"):format(a), 0) end
    i = i + 1
  end
  if user and prefix then error("--user and --prefix exclude each other", 0) end
  if not name:match("^[%w%._%-]+$") then error(("kernel name '%s' must be letters, digits, . _ -"):format(name), 0) end
  local base
  if user then
    local data = os.getenv("XDG_DATA_HOME")
    if not data or data == "" then data = (os.getenv("HOME") or ".") .. "/.local/share" end
    base = data .. "/jupyter/kernels/"
  else
    base = (prefix or "/usr/local") .. "/share/jupyter/kernels/"
  end
  local dir = base .. name
  mkdir_p(dir)
  local spec = {argv = {exe, "kernel", "-f", "{connection_file}"}, display_name = "geolab (Lua 5.4)",
                language = "lua", interrupt_mode = "signal", metadata = {}}
  local f, ferr = io.open(dir .. "/kernel.json", "w")
  if not f then error(ferr, 0) end
  f:write(json(spec, 1), "\n")
  f:close()
  draw_logo(dir .. "/logo-64x64.png")
  print(("Installed the geolab kernelspec '%s' in %s"):format(name, dir))
  return true
end

-- K.install(exe, args, json) -> true | nil, message (bad options, a folder
-- that cannot be written)
function K.install (exe, args, json)
  local ok, err = pcall(install, exe, args, json)
  if not ok then return nil, tostring(err) end
  return true
end
-- =====}

return K
