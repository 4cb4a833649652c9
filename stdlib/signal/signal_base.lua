-- signal_base.lua: helpers shared by the parts of the signal module:
-- Python-style arguments (positional, then one options table holding any
-- keyword), signals as float64 arrays, and moving the working axis last so
-- that the C kernels see C-contiguous (rows, n) arrays.
local np = require "geolab.array"
local util = require "geolab.util"

local B = {}

-- Errors carry no source position: the message names the public function.
function B.error(fname, msg, ...)
  error(fname .. ": " .. (select("#", ...) > 0 and msg:format(...) or msg), 0)
end
local err = B.error

-- A plain Lua table whose keys are all strings: the options table (a list
-- such as Wn = {1, 10} is data).
local function is_opts(t)
  if type(t) ~= "table" or getmetatable(t) ~= nil and not util.bare(t) then return false end
  if next(t) == nil then return true end
  for k in pairs(t) do if type(k) ~= "string" then return false end end
  return true
end
B.is_opts = is_opts

-- B.args(fname, names, allowed, ...) -> table of arguments by name.
-- names: the positional parameters in Python's order; allowed: the other
-- keywords. A trailing table with string keys is the options table; it may
-- name positional parameters too (Python keywords), but not twice.
function B.args(fname, names, allowed, ...)
  local n = select("#", ...)
  local a = {...}
  local opts = {}
  while n > 0 and a[n] == nil do n = n - 1 end
  if n > 0 and is_opts(a[n]) then
    opts = a[n]; n = n - 1
  end
  if n > #names then
    err(fname, "takes at most %d positional arguments (%s), got %d; pass the others in the options table",
        #names, table.concat(names, ", "), n)
  end
  local all = {}
  for _, k in ipairs(names) do all[#all + 1] = k end
  for _, k in ipairs(allowed) do all[#all + 1] = k end
  util.check_options(opts, all, fname, 0)
  local out = {}
  for k, v in pairs(opts) do out[k] = v end
  for i = 1, n do
    if a[i] ~= nil then
      if opts[names[i]] ~= nil then err(fname, "got multiple values for argument '%s'", names[i]) end
      out[names[i]] = a[i]
    end
  end
  return out
end

-- The dtype of an array (nil for anything else).
function B.dtype(x)
  local ok, d = pcall(function() return x.dtype end)
  return ok and type(d) == "string" and d or nil
end

-- x as a float64 array of at least one dimension.
function B.signal(x, fname, what)
  what = what or "x"
  if x == nil then err(fname, "%s is required (an array or a table of numbers)", what) end
  if type(x) == "table" and util.bare(x) then x = util.asarray(x, fname, "float64", -1)
  elseif type(x) == "number" then err(fname, "%s must be at least 1-D, got a number", what)
  elseif type(x) ~= "userdata" or not pcall(function() return x.ndim + 0 end) then
    err(fname, "%s must be an array or a table of numbers, got %s", what, type(x))
  end
  if x.ndim == 0 then err(fname, "%s must be at least 1-D", what) end
  if x.dtype == "complex128" or x.dtype == "complex64" then
    err(fname, "%s must be real, got a %s array (use np.real(%s) or np.abs(%s))", what, x.dtype, what, what)
  end
  if x.dtype ~= "float64" then x = x:astype("float64") end
  return x
end

function B.int(v, fname, name, min)
  if v == nil then return nil end
  if math.type(v) ~= "integer" then
    if type(v) == "number" and v == math.floor(v) and v == v then v = math.tointeger(v)
    else err(fname, "%s must be an integer, got %s", name, type(v) == "number" and tostring(v) or type(v)) end
  end
  if min and v < min then err(fname, "%s must be >= %d, got %d", name, min, v) end
  return v
end

function B.num(v, fname, name)
  if v ~= nil and type(v) ~= "number" then err(fname, "%s must be a number, got %s", name, type(v)) end
  return v
end

function B.str(v, fname, name, choices)
  if v == nil then return nil end
  if type(v) ~= "string" then err(fname, "%s must be a string, got %s", name, type(v)) end
  if choices then
    for _, c in ipairs(choices) do if c == v then return v end end
    local near = util.nearest(v, choices)
    err(fname, "%s must be one of '%s', got '%s'%s", name, table.concat(choices, "', '"), v,
        near and (" (did you mean '" .. near .. "'?)") or "")
  end
  return v
end

-- NumPy's axis number (from 0, negative from the end) -> 0-based positive.
function B.axis(ax, ndim, fname)
  ax = B.int(ax == nil and -1 or ax, fname, "axis")
  if ax < -ndim or ax >= ndim then
    err(fname, "axis %d is out of bounds for array of dimension %d", ax, ndim)
  end
  return ax < 0 and ax + ndim or ax
end

-- numpy.moveaxis(a, src, dst) for one axis (0-based positive numbers).
function B.moveaxis(a, src, dst)
  if src == dst then return a end
  local perm = {}
  for i = 0, a.ndim - 1 do if i ~= src then perm[#perm + 1] = i end end
  table.insert(perm, dst + 1, src)
  return a:transpose(perm)
end

-- x with axis ax moved last, as a contiguous (rows, n) array, and a function
-- that puts a (rows, m) result back into x's layout (m may differ from n).
function B.rows(x, ax)
  local nd = x.ndim
  local xm = B.moveaxis(x, ax, nd - 1)
  local shape = {}
  for i = 1, nd do shape[i] = xm.shape[i] end
  local n = shape[nd]
  local rows = 1
  for i = 1, nd - 1 do rows = rows * shape[i] end
  -- a view when the data is already in that order (the kernels only read it)
  local x2 = xm:reshape{rows, n}
  local function back(y2)
    local s = {}
    for i = 1, nd - 1 do s[i] = shape[i] end
    s[nd] = y2.shape[2]
    local y = y2:reshape(s)
    return B.moveaxis(y, nd - 1, ax)
  end
  return x2, back, rows, n
end

-- A float64 1-D array from an array or a table of numbers.
function B.vec(v, fname, name)
  if v == nil then err(fname, "%s is required", name) end
  local a = B.signal(v, fname, name)
  if a.ndim ~= 1 then err(fname, "%s must be 1-D, got %d-D", name, a.ndim) end
  return a
end

return B
