-- util.lua: helpers shared by the Lua fronts (geolab.util): "did you mean"
-- suggestions and option-table checks, so every module words them alike, and
-- a whole-file read.
-- Lua twin of gl_nearest_name/gl_check_options in stdlib/gl_util.c.
local util = {}

-- None: Python's None where Lua's nil cannot stand, e.g. as a value in an
-- options table ({max_depth = None} would otherwise drop the key) or in the
-- table get_params returns. Printed as "None"; the global None is this value.
util.None = setmetatable({}, {__name = "None", __tostring = function() return "None" end,
  __newindex = function() error("None is read-only", 2) end})

-- util.raise(msg[, level]): raises msg at the user's line. level counts as
-- Lua's error counts it, from the function that calls util.raise (1: that
-- function, 2: its caller); the default is 1. Frames of geolab's own Lua
-- chunks ("[geolab.ml_base]") above that level are passed over, so the
-- position is the first line outside geolab: the user's call, however deep
-- in helpers the check was and however the helpers count levels. level 0
-- gives a message without position. A module takes it as its `error`
-- (`local error = util.raise`); a wrapper such as function(m) return
-- error(m, 0) end would drop every level instead.
local getinfo = debug.getinfo   -- captured before any sandbox trims _G.debug
function util.raise(msg, level)
  if level == 0 then error(msg, 0) end
  local k = (level or 1) + 1    -- getinfo(k) here is error(msg, k)'s frame
  -- `return util.raise(m, 2)` replaced the caller's frame: one level less (Lua's
  -- error, a C function, keeps the caller's frame in a tail call)
  if getinfo(1, "t").istailcall then k = k - 1 end
  -- a C frame below that level is a pcall made by module code (or a callback
  -- of table.sort and the like): the catcher gets the bare message to reword,
  -- as gl_moderror.c does; an uncaught one gets the user's line from the host
  for i = 2, k - 1 do
    local info = getinfo(i, "S")
    if info == nil or info.what == "C" then error(msg, 0) end
  end
  while true do
    local info = getinfo(k, "S")
    if info == nil then error(msg, 0) end
    if info.source:sub(1, 9) ~= "=[geolab." then break end
    k = k + 1
  end
  error(msg, k)
end

-- Most bins of one histogram (np.histogram, plt.hist, df:hist, pd.cut): the
-- Lua twin of GL_MAX_BINS in kernels/core/gl_size.h, where the reason is.
util.MAX_BINS = 10000000
-- A drawn histogram (plt.hist, df:plot{kind="hist"}) makes one bar per bin:
-- a million bars take about 6 s to draw and save, and are already a thousand
-- times more than the pixels across any figure.
util.MAX_PLOT_BINS = 1000000

-- Levenshtein distance. Strings over 60 bytes are never close (column names
-- read from files can be long; the cost is quadratic).
function util.distance(a, b)
  local la, lb = #a, #b
  if la > 60 or lb > 60 then return 99 end
  local prev = {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    local cur = {[0] = i}
    local ca = a:byte(i)
    for j = 1, lb do
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca == b:byte(j) and 0 or 1))
    end
    prev = cur
  end
  return prev[lb]
end

-- util.nearest(word, names[, limit[, case]]): the closest of names (a list; the
-- first wins a tie) to word, or nil when it is more than limit edits away.
-- Default limit max(2, #word // 3) (ml, plt); pd and spatial pass #word // 3 + 1
-- (as C's gl_nearest_name). Case is ignored unless case is true.
function util.nearest(word, names, limit, case)
  limit = limit or math.max(2, #word // 3)
  local w = case and word or word:lower()
  local best, bd = nil, math.huge
  for _, n in ipairs(names) do
    local s = tostring(n)
    local d = util.distance(w, case and s or s:lower())
    if d < bd then best, bd = n, d end
  end
  if best and bd <= limit then return best end
  return nil
end

-- The keys of t, sorted (so suggestions from a set do not depend on hashing).
function util.sorted_keys(t)
  local k = {}
  for n in pairs(t) do k[#k + 1] = n end
  table.sort(k)
  return k
end

-- util.check_options(opts, allowed, fname[, level[, how]]) -> opts, or {} for nil.
-- Raises "<fname>: unknown option 'x' (did you mean 'y'?)" for a key not
-- allowed. allowed is a list (suggestions in its order) or a set {name = true}
-- (suggestions in sorted order). level is error()'s, seen from the caller; 0 for
-- no position; raised through util.raise, so at the user's line. how keeps
-- each front's historic rules (tests assert the texts):
--   how.notable  format of the "not a table" error, given fname and the type
--   how.strict   suggest as pd and C do (case kept, #k // 3 + 1 edits)
--   how.skip     ignore keys that are not strings (plt options tables)
function util.check_options(opts, allowed, fname, level, how)
  level = level or 1
  level = level > 0 and level + 1 or 0
  how = how or {}
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    util.raise((how.notable or "%s: options must be a table, got %s"):format(fname, type(opts)), level)
  end
  local set, names = allowed, nil
  if allowed[1] ~= nil then
    set, names = {}, allowed
    for _, n in ipairs(allowed) do set[n] = true end
  end
  for k in pairs(opts) do
    if not set[k] and not (how.skip and type(k) ~= "string") then
      local near
      if type(k) == "string" then
        names = names or util.sorted_keys(set)
        if how.strict then near = util.nearest(k, names, #k // 3 + 1, true)
        else near = util.nearest(k, names) end
      end
      util.raise(("%s: unknown option '%s'%s"):format(fname, tostring(k),
        near and (" (did you mean '" .. near .. "'?)") or ""), level)
    end
  end
  return opts
end

-- {======================================================================
-- Printable results. Tables that functions return (shapes, column names,
-- string labels, parameter dicts) carry a metatable whose __tostring shows
-- them as a reader expects, so `print(a.shape)` says (3, 4), not table: 0x...
-- They stay plain tables otherwise: #t, ipairs, indexing, table.concat work.
-- The metatables hold __plain = true, so code that tells data tables from
-- objects asks util.bare(x) instead of getmetatable(x) == nil.
-- ======================================================================

-- Shortest text that reads back as the same number (Python's repr rule).
local function num_repr(x)
  if math.type(x) == "integer" then return tostring(x) end
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" elseif x == -math.huge then return "-inf" end
  local s
  for p = 15, 17 do
    s = ("%." .. p .. "g"):format(x)
    if tonumber(s) == x then break end
  end
  if not s:find("[%.eni]") then s = s .. ".0" end
  return s
end

local repr
local LIST, DICT, TUPLE = {__plain = true, __name = "list"}, {__plain = true, __name = "dict"},
  {__plain = true, __name = "tuple"}
local EDGE = 3  -- items shown at each end of a long list (NumPy shows 3 past 1000)

local function seq_items(t, n)
  local parts = {}
  if n > 1000 then
    for i = 1, EDGE do parts[#parts + 1] = repr(t[i]) end
    parts[#parts + 1] = "..."
    for i = n - EDGE + 1, n do parts[#parts + 1] = repr(t[i]) end
  else
    for i = 1, n do parts[i] = repr(t[i]) end
  end
  return parts
end

local function key_repr(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  return "[" .. repr(k) .. "]"
end

local function dict_items(t)
  local n = #t
  local parts = seq_items(t, n)
  local keys = {}
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
    return type(a) < type(b)
  end)
  for _, k in ipairs(keys) do parts[#parts + 1] = key_repr(k) .. " = " .. repr(t[k]) end
  return parts
end

-- repr(v): one value as Lua source would write it (strings quoted), nested
-- plain tables included; other objects through their own __tostring.
function repr(v, seen)
  local tv = type(v)
  if tv == "number" then return num_repr(v) end
  if tv == "string" then return (("%q"):format(v):gsub("\\\n", "\\n")) end
  if tv ~= "table" then return tostring(v) end
  local mt = getmetatable(v)
  if mt == TUPLE or (mt and mt.__tostring and not mt.__plain) then return tostring(v) end
  seen = seen or {}
  if seen[v] then return "{...}" end
  seen[v] = true
  local s = "{" .. table.concat(dict_items(v), ", ") .. "}"
  seen[v] = nil
  return s
end
util.repr = repr

LIST.__tostring = function(t) return "{" .. table.concat(seq_items(t, #t), ", ") .. "}" end
DICT.__tostring = function(t) return "{" .. table.concat(dict_items(t), ", ") .. "}" end
TUPLE.__tostring = function(t)
  local parts = seq_items(t, #t)
  if #parts == 1 then return "(" .. parts[1] .. ",)" end
  return "(" .. table.concat(parts, ", ") .. ")"
end

-- util.list(t), util.dict(t), util.shape(t): t itself, made printable as a
-- list {1, 2}, a record {C = 10, kernel = "rbf"} or a NumPy shape (3, 4).
-- A table that already has a metatable is returned unchanged. These stay open
-- on purpose (no __index): they are Lua data, read with t[k], #t, ipairs and
-- pairs, where a missing key is nil, not objects with methods to mistype.
local function mark(t, mt)
  if type(t) == "table" and getmetatable(t) == nil then setmetatable(t, mt) end
  return t
end
function util.list(t) return mark(t, LIST) end
function util.dict(t) return mark(t, DICT) end
function util.shape(t) return mark(t, TUPLE) end

-- util.bare(x): x is a table that is data, not an object: no metatable, or
-- one of the printable ones above (or the C twin for array shapes).
function util.bare(x)
  if type(x) ~= "table" then return false end
  local mt = getmetatable(x)
  return mt == nil or (type(mt) == "table" and rawget(mt, "__plain") == true)
end
-- }======================================================================

-- {======================================================================
-- Strict modules: reading a missing field of a geolab module is an error
-- with a suggestion ("np.interpp does not exist (did you mean np.interp?)"),
-- not a nil that fails later, far from the typo. Names starting with "_"
-- still read as nil: internal code may probe them. Code that asks whether an
-- optional field exists uses rawget.
-- ======================================================================

-- The public names of module t (functions, submodules, constants), sorted.
local function public_names(t)
  local names = {}
  for k in pairs(t) do
    if type(k) == "string" and k:sub(1, 1) ~= "_" then names[#names + 1] = k end
  end
  table.sort(names)
  return names
end
util.public_names = public_names

-- util.missing(t, name, k, level): raises the error for module t (shown as
-- name) lacking field k.
function util.missing(t, name, k, level)
  local names = public_names(t)
  local near = util.nearest(k, names)
  if not near and #k >= 4 then  -- a truncated name: ml.RandomForest
    local lk = k:lower()
    for _, n in ipairs(names) do
      if n:lower():sub(1, #lk) == lk and (not near or #n < #near) then near = n end
    end
  end
  error(("%s.%s does not exist%s"):format(name, k,
    near and (" (did you mean " .. name .. "." .. near .. "?)") or ""), level and level + 1 or 2)
end

-- util.strict(t, name): makes module table t (and its lower-case submodule
-- tables, np.random, np.linalg ...) strict. A table with its own __index is
-- left alone. Returns t.
function util.strict(t, name, seen)
  seen = seen or {}
  if seen[t] then return t end
  seen[t] = true
  local mt = getmetatable(t)
  if mt == nil then mt = {}; setmetatable(t, mt) end
  if type(mt) ~= "table" or rawget(mt, "__index") ~= nil then return t end
  mt.__index = function(_, k)
    if type(k) ~= "string" or k:sub(1, 1) == "_" then return nil end
    util.missing(t, name, k, 2)
  end
  mt.__strict = name
  for _, k in ipairs(public_names(t)) do
    local v = rawget(t, k)
    -- a class table (it is some object's __index) is not a module: its
    -- instances read missing fields as nil
    if type(v) == "table" and k:match("^[a-z]") and getmetatable(v) == nil and rawget(v, "__index") == nil then
      local fn = false
      for _, x in pairs(v) do if type(x) == "function" then fn = true break end end
      if fn then util.strict(v, name .. "." .. k, seen) end
    end
  end
  return t
end
-- }======================================================================

-- {======================================================================
-- Strict objects: ax:plott(...) raises "Axes has no method 'plott' (did you
-- mean 'plot'?)" instead of "attempt to call a nil value". Module code may
-- still probe an unset field (self._margins or {}, rawget-free), so only a
-- read made by user code raises: the reading frame is told apart by its
-- chunk name, as gl_moderror.c does for positions; a C caller counts as
-- module code (REPL completion, lua_getfield in bindings).
-- ======================================================================

local function user_read(level)
  local info = debug.getinfo(level + 1, "S")
  return info ~= nil and info.what ~= "C" and info.source:sub(1, 9) ~= "=[geolab."
end
util.user_read = user_read

-- Names a user may mean on obj: methods (through tables chained by
-- __index tables) and the object's own public fields.
local function member_names(obj, methods)
  local seen, names = {}, {}
  local t, depth = methods, 0
  while type(t) == "table" and depth < 8 do
    for k in pairs(t) do
      if type(k) == "string" and k:sub(1, 1) ~= "_" and not seen[k] then seen[k] = true; names[#names + 1] = k end
    end
    local mt = getmetatable(t)
    t = mt and rawget(mt, "__index")
    depth = depth + 1
  end
  if type(obj) == "table" then
    for k in next, obj do
      if type(k) == "string" and k:sub(1, 1) ~= "_" and not seen[k] then seen[k] = true; names[#names + 1] = k end
    end
  end
  table.sort(names)
  return names
end

-- util.no_member(obj, methods, name, k, level): raises "<name> has no method
-- 'k' (did you mean 'm'?)" (or attribute, when the closest name is data).
function util.no_member(obj, methods, name, k, level)
  local near = util.nearest(k, member_names(obj, methods))
  local what = "method or attribute"
  if near then
    local v = methods[near]
    if v == nil and type(obj) == "table" then v = rawget(obj, near) end
    what = type(v) == "function" and "method" or "attribute"
  end
  error(("%s has no %s '%s'%s"):format(name, what, k,
    near and (" (did you mean '" .. near .. "'?)") or ""), level and level + 1 or 2)
end

-- util.member_index(methods, name[, fallback]): an __index function for
-- instances whose methods are in `methods` (shown as `name`). fallback(obj,
-- k), when given, is tried before the error: it returns the value of a
-- computed attribute, or nil, true for a known attribute that is unset (an
-- estimator parameter left at None).
function util.member_index(methods, name, fallback)
  return function(obj, k)
    local v = methods[k]
    if v ~= nil then return v end
    if fallback then
      local known
      v, known = fallback(obj, k)
      if v ~= nil or known then return v end
    end
    if type(k) ~= "string" or k:sub(1, 1) == "_" or not user_read(2) then return nil end
    util.no_member(obj, methods, name, k, 2)
  end
end
-- }======================================================================

-- util.asarray(x, fname[, dtype[, level]]): np.array(x, dtype) for a Lua
-- table, with a failure reported as fname's ("spatial.KDTree: expected
-- numbers or booleans, got string"), not np.array's.
function util.asarray(x, fname, dtype, level)
  local np = require "geolab.array"
  local ok, a = pcall(np.array, x, dtype)
  if ok then return a end
  a = tostring(a):gsub("^np%.as?array: ", "")
  error(fname .. ": " .. a, (level or 1) + 1)
end

-- A frontend that can redraw an output in place (the Jupyter kernel,
-- stdlib/report/report_kernel.lua) installs its display function here:
-- display(nil, data) shows a new output and returns its id, display(id,
-- data) replaces that output; data maps MIME types to text ("text/plain",
-- "text/html"). Progress displays (nn.fit) draw through it instead of
-- writing lines; without one (a terminal, a script, a report) util.display()
-- is nil and they print as before.
local display_fn = nil
function util.set_display(fn) display_fn = fn end
function util.display() return display_fn end

-- util.readfile(path): the whole file as a string, or nil and io.open's message.
function util.readfile(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

return util
