-- arg_fuzz.lua: every public function of every module (walked from the module
-- tables, so new functions are covered without editing this file) is called
-- with wrong argument types, counts and shapes. Each call either works or
-- raises a message that names the function, never an internal one (issue 10:
-- "No internal errors leak"). Functions that must not be called this way are
-- in arg_fuzz/allow.lua, each with its reason. Files the calls write go to
-- build/testtmp (every string argument is a path there).
local T = require "testlib"
local H = require "geolab.help"
local ALLOW = dofile("tests/core/arg_fuzz/allow.lua")
-- Functions that still leak, with the first leak seen: to be fixed, not to
-- grow. A leak in a function not listed fails the test; a listed function
-- that no longer leaks is reported so that its line can go.
local KNOWN = dofile("tests/core/arg_fuzz/known.lua")

local dir = T.tmp("arg_fuzz")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
local S = dir .. "/x"                          -- the string argument: a path
local MARK = dir .. "/start"
io.open(MARK, "w"):close()

-- Wrong arguments: types, counts and shapes.
local function arglists()
  local nan = 0 / 0
  return {
    {}, {nil}, {S}, {{}}, {true}, {nan}, {-1}, {{S}}, {{nan}},
    {np.array(1.5)}, {np.zeros{0}}, {np.zeros{2, 2, 2}}, {np.array{{nan}}},
    {S, S}, {np.zeros{3}, S}, {np.zeros{3}, np.zeros{4}}, {np.zeros{3, 2}, {S}},
    {np.zeros{3}, np.zeros{3}, {bogus_option = 1}}, {{1, 2}, {3}},
    {function() end}, {np.zeros{2}, nil, nil, S},
  }
end

-- Texts that betray an internal error.
local INTERNAL = {"axmap", "attempt to compare", "attempt to index", "attempt to perform arithmetic",
  "attempt to call", "attempt to concatenate", "attempt to get length", "[geolab.", "to '?'",
  "table index is nil", "stack overflow", "C stack overflow", "bad argument #1 to 'for iterator'"}

-- Other names of the same function (np.absolute is np.abs): a message may
-- use any of them.
local aliases = {}
for _, p in ipairs(H.public()) do
  local t = aliases[p[2]] or {}
  t[#t + 1] = p[1]:match("([^%.]+)$")
  aliases[p[2]] = t
end

-- How a message may name key: its last part (linspace, fit), an alias, or its class.
local function names_function(msg, key, f)
  local short = key:match("([^%.]+)$")
  if msg:find(short, 1, true) then return true end
  for _, a in ipairs(aliases[f] or {}) do
    if msg:find(a, 1, true) then return true end
  end
  local cls = key:match("^%w+%.(%u[%w_]*)%.") or key:match("^%w+%.([%w_]+_class)%.")
  if cls and msg:find((cls:gsub("_class$", "")), 1, true) then return true end
  return false
end

-- A fresh object for methods: ml.X.m on ml.X(), plt.Axes.m on new axes.
local function receiver(key)
  local mod, cls = key:match("^(%w+)%.(%u[%w_]*)%.[%w_]+$")
  if not cls then mod, cls = key:match("^(%w+)%.([%w_]+_class)%.[%w_]+$") end
  if not cls then return nil end
  if mod == "plt" and cls == "Axes" then local _, ax = plt.subplots(); return ax end
  if mod == "plt" and cls == "Figure" then return (plt.figure()) end
  if mod == "stats" then return stats.gaussian_kde(np.array{1.0, 2.0, 4.0}) end
  return _G[mod][cls]()
end

-- Calls are made as a user writes them, m.linspace(...) or obj:fit(...), so
-- that Lua knows the called name as it does in a script.
local callers = {}
local function caller(short, method)
  local k = (method and ":" or ".") .. short
  if not callers[k] then
    local src = method and ("return function(obj, ...) return obj:%s(...) end"):format(short)
      or ("return function(f, ...) local m = {[%q] = f}; return m[%q](...) end"):format(short, short)
    callers[k] = assert(load(src))()
  end
  return callers[k]
end

local bad, calls = {}, 0
local function check(key, f, self, args)
  local n = #args
  for i = 1, 8 do if args[i] ~= nil then n = i end end
  local short = key:match("([^%.]+)$")
  local ok, msg
  if self ~= nil then ok, msg = pcall(caller(short, true), self, table.unpack(args, 1, n))
  else ok, msg = pcall(caller(short, false), f, table.unpack(args, 1, n)) end
  calls = calls + 1
  if ok then return end
  if type(msg) ~= "string" then
    bad[#bad + 1] = ("%s: raised a %s, not a message"):format(key, type(msg))
    return
  end
  local why
  for _, s in ipairs(INTERNAL) do
    if msg:find(s, 1, true) then why = "internal error" break end
  end
  if not why and not names_function(msg, key, f) then why = "does not name the function" end
  if why then bad[#bad + 1] = ("%s (%s): %s"):format(key, why, msg) end
end

local checked = 0
for _, p in ipairs(H.public()) do
  local key, f = p[1], p[2]
  if not ALLOW[key] then
    checked = checked + 1
    local okr, self = pcall(receiver, key)
    if okr then
      for _, args in ipairs(arglists()) do
        if self ~= nil then check(key, f, self, args)
        elseif type(f) == "function" or getmetatable(f) then check(key, f, nil, args) end
        plt.close("all")
      end
    else
      bad[#bad + 1] = key .. ": cannot make an object to call it on: " .. tostring(self)
    end
  end
end

-- known leaks do not fail the test; fixed ones are reported
local leaking, still = {}, {}
for _, b in ipairs(bad) do leaking[b:match("^(%S+)")] = b end
local new_bad = {}
for _, b in ipairs(bad) do
  if not KNOWN[b:match("^(%S+)")] then new_bad[#new_bad + 1] = b end
end
for k in pairs(KNOWN) do
  if not leaking[k] then still[#still + 1] = k end
end
table.sort(still)
if #still > 0 then
  io.stderr:write("arg_fuzz: no longer leaking, remove from arg_fuzz/known.lua: ", table.concat(still, " "), "\n")
end
if os.getenv("ARG_FUZZ_ALL") then  -- the whole list, known leaks included
  io.stderr:write(table.concat(bad, "\n"), "\n")
end
bad = new_bad

T.ok(checked > 300, "functions checked: " .. checked)
T.ok(calls > 5000, "calls made: " .. calls)
table.sort(bad)
if #bad > 0 then io.stderr:write(table.concat(bad, "\n"), "\n") end
T.eq(#bad, 0, #bad .. " calls leaked an internal error or did not name their function")

-- nothing written outside build/testtmp: a call given a number or no path
-- would write into the working folder (the source root); other tests running
-- at the same time write elsewhere, so only this folder is checked
local p = io.popen(("find . -maxdepth 1 -newer '%s' -type f -print 2>/dev/null"):format(MARK))
local new = p and p:read("a") or ""
if p then p:close() end
T.eq(new, "", "files created in the working folder")
T.done()
