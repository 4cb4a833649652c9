-- grade_sandbox.lua: the Lua layer of the grading sandbox (geolab grade),
-- set up in the grading child before the submission runs. The library
-- functions that reach the system are replaced in place (so geolab's own
-- Lua code, fs.remove or seis.read, obeys the same rule), and the script
-- gets an environment of its own: copies of the standard library tables, so
-- that what it changes there (string.format = ..., _G.print = ...) never
-- reaches the engine that records its results. File paths go through the
-- host's path check (vm/sandbox_paths.c), the same one every C reader and
-- writer calls; a refusal is logged so that pcall cannot hide it.
local S = {}

local MIB = 1024 * 1024

-- S.install(host, o) -> env. o: {max_output (bytes), max_pixels}.
-- host: sandbox_check(path, "r"|"w") -> nil | why; sandbox_refuse(what, detail).
function S.install (host, o)
  local check, refuse = host.sandbox_check, host.sandbox_refuse
  local real = {open = io.open, lines = io.lines, input = io.input, output = io.output,
                remove = os.remove, rename = os.rename, load = load, print = print, write = io.write}

  local function refused (name)
    return function (...)
      local detail = select("#", ...) > 0 and tostring((...)) or ""
      refuse("call " .. name, detail)
      error(name .. ": not allowed in the grading sandbox", 2)
    end
  end
  local function checked (p, mode)
    if type(p) ~= "string" then return nil end
    return check(p, mode)
  end

  -- {===== in place: the real library tables, seen by geolab's modules too
  io.open = function (p, mode)
    local w = type(mode) == "string" and mode:find("[wa+]") and "w" or "r"
    local why = checked(p, w)
    if why then return nil, ("%s: %s"):format(p, why), 13 end
    return real.open(p, mode)
  end
  io.lines = function (p, ...)
    if p ~= nil then
      local why = checked(p, "r")
      if why then error(("io.lines: %s: %s"):format(p, why), 2) end
    end
    return real.lines(p, ...)
  end
  local function redirect (name, f, m)
    return function (p, ...)
      if type(p) == "string" then
        local why = checked(p, m)
        if why then error(("%s: %s: %s"):format(name, p, why), 2) end
      end
      return f(p, ...)
    end
  end
  io.input = redirect("io.input", real.input, "r")
  io.output = redirect("io.output", real.output, "w")
  io.popen = refused("io.popen")
  io.tmpfile = refused("io.tmpfile")
  os.execute = refused("os.execute")
  os.tmpname = refused("os.tmpname")
  os.remove = function (p)
    local why = checked(p, "w")
    if why then return nil, ("%s: %s"):format(p, why), 13 end
    return real.remove(p)
  end
  os.rename = function (a, b)
    local why = checked(a, "w") or checked(b, "w")
    if why then return nil, ("%s: %s"):format(a, why), 13 end
    return real.rename(a, b)
  end
  package.loadlib = refused("package.loadlib")
  package.cpath = ""
  -- only preloaded modules (geolab's) and Lua files the path check allows;
  -- no C searchers: no shared library is ever loaded
  local searchpath = package.searchpath
  package.searchers = {package.searchers[1], function (name)
    local p, err = searchpath(name, package.path)
    if not p then return "\n\t" .. err end
    local why = check(p, "r")
    if why then return ("\n\t%s: %s"):format(p, why) end
    local f, lerr = loadfile(p, "t")
    if not f then error(lerr, 0) end
    return f, p
  end}
  -- =====}

  -- {===== the script's environment
  local lazy = getmetatable(_G) and getmetatable(_G).__lazy
  for _, name in ipairs(lazy or {}) do local _ = _G[name] end   -- every module loaded now
  for name in pairs(type(lazy) == "table" and #lazy == 0 and lazy or {}) do local _ = _G[name] end
  local env = {}
  local skip = {debug = true, _G = true, load = true, loadfile = true, dofile = true, require = true}
  for k, v in pairs(_G) do if not skip[k] then env[k] = v end end
  for _, lib in ipairs {"string", "table", "math", "utf8", "coroutine", "os", "io", "package"} do
    local copy = {}
    for k, v in pairs(_G[lib]) do copy[k] = v end
    env[lib] = copy
  end
  env._G = env
  env.package.loaded = setmetatable({}, {__index = function (_, k) return env[k] end})
  env.load = function (chunk, name, mode, e)
    if (mode ~= nil and mode ~= "t") or (type(chunk) == "string" and chunk:byte(1) == 27) then
      refuse("load bytecode", tostring(name or "=(load)"))
      return nil, "load: only text chunks (mode \"t\") in the grading sandbox"
    end
    return real.load(chunk, name, "t", e == nil and env or e)
  end
  env.loadfile = function (p, mode, e)
    local why = checked(p, "r")
    if why then return nil, ("%s: %s"):format(p, why) end
    if mode ~= nil and mode ~= "t" then refuse("load bytecode", tostring(p)); return nil, "loadfile: only text chunks in the grading sandbox" end
    return loadfile(p, "t", e == nil and env or e)
  end
  env.dofile = function (p)
    local f, err = env.loadfile(p)
    if not f then error(err, 2) end
    return f()
  end
  local own = {_G = env, string = env.string, table = env.table, math = env.math, utf8 = env.utf8,
               coroutine = env.coroutine, os = env.os, io = env.io, package = env.package}
  env.require = function (name)
    if name == "debug" then
      refuse("require", "debug")
      error("require: 'debug' is not available in the grading sandbox", 2)
    end
    if own[name] then return own[name] end
    return require(name)
  end
  env.debug = nil
  -- printed output is capped: a billion-line print stops with a clear
  -- error instead of filling the disk; later prints stop too
  local printed, capped = 0, false
  local function count (n)
    printed = printed + n
    if printed > o.max_output then
      if not capped then refuse("output limit", tostring(o.max_output)) end
      capped = true
      error(("grade: printed output over the limit of %g MiB: the script was stopped"):format(o.max_output / MIB), 3)
    end
  end
  env.print = function (...)
    local n = select("#", ...)
    local len = n
    for i = 1, n do local s = tostring((select(i, ...))); len = len + #s end
    count(len)
    return real.print(...)
  end
  env.io.write = function (...)
    local len = 0
    for i = 1, select("#", ...) do local v = select(i, ...); len = len + #tostring(v) end
    count(len)
    return real.write(...)
  end
  -- strings share one metatable with the engine: the script cannot reach it
  getmetatable("").__metatable = false
  -- }=====

  -- figures: the grader's pixel limit, below savefig's own
  local ok, plt = pcall(require, "geolab.plot")
  if ok then
    local savefig = plt.Figure.savefig
    plt.Figure.savefig = function (fig, path, fo)
      local dpi = type(fo) == "table" and type(fo.dpi) == "number" and fo.dpi or fig.dpi
      local w, h = fig.figsize[1] * dpi, fig.figsize[2] * dpi
      if type(w) == "number" and w * h > o.max_pixels then
        refuse("figure size", ("%dx%d"):format(w // 1, h // 1))
        error(("savefig: a figure of %dx%d pixels is over the grading limit of %d pixels"):format(
          w // 1, h // 1, o.max_pixels), 2)
      end
      return savefig(fig, path, fo)
    end
  end
  S.capped = function () return capped end
  return env
end

return S
