-- frame_col.lua: columns and indexes, the storage under Series and DataFrame.
-- A column is {kind=, data=, n=}: kind "float"/"int"/"bool" hold an np array,
-- "datetime" an int64 array of ns since the epoch (NaT = math.mininteger),
-- "string" a Lua list whose missing entries are false, "category" int64
-- codes (1-based, 0 missing) with `cats`, a list of strings. An index is a
-- column with a `name`, or {kind="range", n=, start=} (labels start..).
local fc = require "geolab.frame_core"
local util = require "geolab.util"
local ARRAY_MT = getmetatable(require("geolab.array").zeros{0})

local C = {}
local NAT = math.mininteger
C.NAT = NAT

local dtype_of = { float = true, int = true, bool = true }

function C.new(kind, data, extra)
  local c = { kind = kind, data = data }
  if kind == "string" then c.n = data.n or #data
  elseif kind == "range" then c.n = data
  else c.n = select(2, fc.info(data)) end
  if extra then for k, v in pairs(extra) do c[k] = v end end
  return c
end

-- Kind of an np array.
function C.array_kind(a)
  local dt = fc.info(a)
  if dt == "float64" or dt == "float32" then return "float"
  elseif dt == "bool" then return "bool" end
  return "int"
end

-- fname: the public function to blame for data that is not a 1-D array.
function C.from_array(a, kind, fname)
  if fname and (type(a) ~= "userdata" or getmetatable(a) ~= ARRAY_MT) then
    error(("%s: expected an array, a Series or a list, got %s"):format(fname, type(a)), 3)
  end
  a = fc.asarray(a)
  local dt, _, nd = fc.info(a)
  if nd ~= 1 then
    error(fname and ("%s: data must be 1-D, got a %d-D array"):format(fname, nd) or "frame: columns must be 1-D arrays", 3)
  end
  return C.new(kind or C.array_kind(a), a)
end

-- A column from a Lua list: numbers -> int/float, booleans -> bool, strings ->
-- string; nil/false holes are missing values.
function C.from_list(t, n)
  n = n or t.n or #t
  local kind
  for i = 1, n do
    local v = t[i]
    local k = type(v)
    if k == "number" then
      local nk = math.type(v) == "integer" and "int" or "float"
      if kind == nil or kind == "int" then kind = nk
      elseif kind ~= "float" then kind = "string" end
    elseif k == "boolean" and v then
      if kind == nil then kind = "bool" elseif kind ~= "bool" then kind = "string" end
    elseif k == "string" then kind = "string"
    elseif v == nil or v == false then
      if kind == "int" then kind = "float" end
    end
  end
  kind = kind or "float"
  local hasna = false
  for i = 1, n do if t[i] == nil or (t[i] == false and kind ~= "bool") then hasna = true end end
  if kind == "string" then
    local out = { n = n }
    for i = 1, n do
      local v = t[i]
      if v == nil or v == false then out[i] = false else out[i] = tostring(v) end
    end
    return C.new("string", out)
  end
  if hasna and (kind == "int" or kind == "bool") then kind = "float" end
  local vals = {}
  for i = 1, n do
    local v = t[i]
    if v == nil or (v == false and kind ~= "bool") then vals[i] = 0 / 0
    elseif kind == "bool" then vals[i] = v and true or false
    else vals[i] = v end
  end
  local dt = kind == "int" and "int64" or kind == "bool" and "bool" or "float64"
  if n == 0 then return C.new(kind, fc.full(0, 0, dt)) end
  return C.new(kind, fc.asarray(vals, dt))
end

function C.dtype(c)
  local k = c.kind
  if k == "string" then return "object"
  elseif k == "datetime" then return "datetime64[ns]"
  elseif k == "category" then return "category"
  elseif k == "range" then return "int64" end
  return (fc.info(c.data))
end

-- Element i (1-based) as a Lua value: number, boolean, string, ns integer;
-- missing values give nil.
function C.get(c, i)
  local k = c.kind
  if k == "range" then return c.start + i - 1
  elseif k == "string" then return c.data[i] or nil
  elseif k == "category" then
    local code = fc.get(c.data, i)
    return code > 0 and c.cats[code] or nil
  end
  local v = fc.get(c.data, i)
  if k == "datetime" then return v ~= NAT and v or nil end
  if k == "float" and v ~= v then return nil end
  return v
end

function C.isna_array(c)
  local k = c.kind
  if k == "range" then return fc.full(c.n, false, "bool") end
  if k == "string" then
    local t = {}
    for i = 1, c.n do t[i] = c.data[i] == false end
    if c.n == 0 then return fc.full(0, false, "bool") end
    return fc.asarray(t, "bool")
  elseif k == "category" then
    local t = {}
    for i = 1, c.n do t[i] = fc.get(c.data, i) == 0 end
    if c.n == 0 then return fc.full(0, false, "bool") end
    return fc.asarray(t, "bool")
  end
  return fc.isna(c.data, k == "datetime")
end

-- The column as an np array: the ns ints of datetimes, codes of categories.
function C.array(c)
  if c.kind == "range" then return fc.range(c.start, c.n) end
  if c.kind == "string" then error("frame: a string column has no numeric array", 3) end
  return c.data
end

function C.float_array(c)
  if c.kind == "float" then return fc.asarray(c.data, "float64") end
  if c.kind == "int" or c.kind == "bool" then return fc.astype(c.data, "float64") end
  if c.kind == "range" then return fc.astype(fc.range(c.start, c.n), "float64") end
  if c.kind == "datetime" then
    local a = fc.astype(c.data, "float64")
    return fc.putmask(a, fc.isna(c.data, true), fc.full(1, 0 / 0, "float64"))
  end
  return nil
end

-- Positions (1-based int64 array, 0 = missing row) -> new column.
function C.take(c, pos)
  local k = c.kind
  if k == "range" then
    local t = fc.take(fc.range(c.start, c.n), pos)
    return C.new(C.array_kind(t), t)
  elseif k == "string" then
    local t, lst = { n = 0 }, fc.tolist(pos)
    for i = 1, #lst do local p = lst[i]; t[i] = p > 0 and c.data[p] or false end
    t.n = #lst
    return C.new("string", t)
  elseif k == "category" then
    local codes = fc.take(c.data, pos)
    if C.array_kind(codes) == "float" then   -- missing rows: code 0
      codes = fc.putmask(codes, fc.isna(codes), fc.full(1, 0, "float64"))
      codes = fc.astype(codes, "int64")
    end
    return C.new("category", codes, { cats = c.cats })
  end
  local t = fc.take(c.data, pos, k == "datetime")
  return C.new(k == "datetime" and "datetime" or C.array_kind(t), t)
end

function C.compress(c, mask)
  if c.kind == "range" or c.kind == "string" then return C.take(c, fc.positions(mask)) end
  local t = fc.compress(c.data, mask)
  return C.new(c.kind, t, { cats = c.cats })
end

function C.slice(c, a, b)   -- rows a..b (1-based, inclusive)
  if b < a then return C.take(c, fc.full(0, 0, "int64")) end
  if c.kind == "range" then return C.new("range", b - a + 1, { start = c.start + a - 1 }) end
  return C.take(c, fc.range(a, b - a + 1))
end

function C.concat(cols)
  -- empty parts (a frame grown from pd.DataFrame{columns=...}) take the
  -- kind of the others, as pandas' empty object columns do
  local nz = {}
  for _, c in ipairs(cols) do if c.n > 0 then nz[#nz + 1] = c end end
  if #nz > 0 and #nz < #cols and cols[1].kind ~= "range" then return C.concat(nz) end
  local kind = cols[1].kind
  for i = 2, #cols do
    local k = cols[i].kind
    if k ~= kind then
      if (k == "int" or k == "float" or k == "bool" or k == "range") and
         (kind == "int" or kind == "float" or kind == "bool" or kind == "range") then
        kind = (k == "float" or kind == "float") and "float" or "int"
      else kind = "string" end
    end
  end
  if kind == "range" then
    local ok = true
    for i = 2, #cols do if cols[i].start ~= cols[i - 1].start + cols[i - 1].n then ok = false end end
    if ok then
      local n = 0
      for i = 1, #cols do n = n + cols[i].n end
      return C.new("range", n, { start = cols[1].start })
    end
    kind = "int"
  end
  if kind == "string" or kind == "category" then
    local t, n = {}, 0
    for _, c in ipairs(cols) do
      for i = 1, c.n do
        n = n + 1
        local v = C.get(c, i)
        if v == nil then t[n] = false
        else t[n] = c.kind == "datetime" and fc.dt_format(fc.full(1, v, "int64"))[1] or tostring(v) end
      end
    end
    t.n = n
    return C.new("string", t)
  end
  local arrs = {}
  for i, c in ipairs(cols) do arrs[i] = c.kind == "range" and fc.range(c.start, c.n) or c.data end
  local a = fc.concat(arrs)
  return C.new(kind == "datetime" and "datetime" or C.array_kind(a), a)
end

function C.tolist(c)
  if c.kind == "string" then
    local t = {}
    for i = 1, c.n do t[i] = c.data[i] or nil end
    return t
  elseif c.kind == "range" then
    local t = {}
    for i = 1, c.n do t[i] = c.start + i - 1 end
    return t
  elseif c.kind == "category" then
    local t = {}
    for i = 1, c.n do t[i] = C.get(c, i) end
    return t
  end
  local t = fc.tolist(c.data, c.kind == "datetime")
  if c.kind == "datetime" then for i = 1, c.n do if t[i] == false then t[i] = nil end end end
  return t
end

-- Strings of rows `rows` (list of 1-based positions) as pandas prints them.
function C.format(c, rows, opts)
  local k, out = c.kind, {}
  if k == "float" then
    if #rows == 0 then return out end
    return fc.fmt_floats(fc.asarray(c.data, "float64"), rows, 6)
  elseif k == "datetime" then
    if #rows == 0 then return out end
    local sub = fc.take(c.data, fc.asarray(rows, "int64"), true)
    return fc.dt_format(sub, fc.dt_digits(sub))
  end
  for i, r in ipairs(rows) do
    local v = C.get(c, r)
    if v == nil then out[i] = (k == "string" or k == "category") and "NaN" or "NaN"
    elseif k == "bool" then out[i] = v and "True" or "False"
    elseif k == "string" and type(v) ~= "string" then out[i] = C.object_summary(v)
    elseif k == "string" or k == "category" then
      out[i] = (opts and opts.quote) and ("'" .. v .. "'") or v
    else out[i] = tostring(v) end
  end
  return out
end

-- How an object cell (an array, a table) prints: array(float64, (8192,))
function C.object_summary(v)
  if type(v) == "userdata" then
    local ok, dt, shape = pcall(function() return v.dtype, v.shape end)
    if ok and dt then
      local sh = {}
      for i, d in ipairs(shape) do sh[i] = tostring(d) end
      return ("array(%s, (%s%s))"):format(dt, table.concat(sh, ", "), #sh == 1 and "," or "")
    end
  end
  if type(v) == "number" then return tostring(v) end
  if type(v) == "boolean" then return v and "True" or "False" end
  local mt = getmetatable(v)
  if type(mt) == "table" and mt.__tostring then return tostring(v) end
  if type(v) == "table" then return ("table(%d items)"):format(#v) end
  return tostring(v)
end

function C.is_numeric(c)
  local k = c.kind
  return k == "float" or k == "int" or k == "bool" or k == "range"
end

-- {====================================================================
-- Index: a column with a name, plus label lookups
-- ====================================================================}

local Index = { __name = "geolab.Index" }
local Index_methods = {}
-- what a user may mean on an Index: its methods and computed attributes
-- (util.no_member looks names up here through __index)
local Index_members = setmetatable({ values = true, dtype = true, is_datetime = true, name = true, kind = true },
  { __index = Index_methods })
C.Index, C.Index_methods = Index, Index_methods

function Index.__index(ix, k)
  local m = Index_methods[k]
  if m then return m end
  if k == "values" then return (ix.kind == "string" or ix.kind == "category") and C.tolist(ix) or C.array(ix)
  elseif k == "dtype" then return C.dtype(ix)
  elseif k == "is_datetime" then return ix.kind == "datetime" end
  if math.type(k) == "integer" then return C.get(ix, k) end
  -- strict for user code (df.columns.tolsit says "did you mean 'tolist'?");
  -- name may be unset, and module code probes fields freely
  if type(k) ~= "string" or k:sub(1, 1) == "_" or k == "name" or not util.user_read(2) then return nil end
  util.no_member(ix, Index_members, "Index", k, 2)
end

function C.index(c, name)
  local ix = { kind = c.kind, data = c.data, n = c.n, cats = c.cats, start = c.start, name = name }
  return setmetatable(ix, Index)
end

function C.range_index(n, start)
  return setmetatable({ kind = "range", n = n, start = start or 1 }, Index)
end

function C.is_index(x) return getmetatable(x) == Index end

function Index_methods.tolist(ix) return C.tolist(ix) end
function Index_methods.to_array(ix) return C.array(ix) end
function Index.__tostring(ix)
  if ix.kind == "range" then
    return ("RangeIndex(start=%d, stop=%d, step=1%s)"):format(ix.start, ix.start + ix.n,
      ix.name and (", name='" .. tostring(ix.name) .. "'") or "")
  end
  local rows = {}
  local n = ix.n
  local show = n <= 20 and n or 10
  for i = 1, math.min(n, show) do rows[#rows + 1] = i end
  local strs = C.format(ix, rows, { quote = true })
  local parts = {}
  for i, s in ipairs(strs) do
    parts[i] = ix.kind == "datetime" and ("'" .. s .. "'") or s
  end
  local body = table.concat(parts, ", ")
  if n > show then body = body .. ", ..." end
  local kind = ix.kind == "datetime" and "DatetimeIndex" or ix.kind == "range" and "RangeIndex" or "Index"
  return ("%s([%s], dtype='%s'%s, length=%d)"):format(kind, body, C.dtype(ix),
    ix.name and (", name='" .. tostring(ix.name) .. "'") or "", n)
end

function Index.__len(ix) return ix.n end
-- np.array(index): the labels as Series.values gives them (datetimes as ns int64)
function Index.__toarray(ix)
  if ix.kind == "string" or ix.kind == "category" then
    error("np.array: an Index of strings has no numeric array (use index:tolist())", 3)
  end
  return C.array(ix)
end
function Index_methods.to_numpy(ix)
  if ix.kind == "string" or ix.kind == "category" then return C.tolist(ix) end
  return C.array(ix)
end

-- Positions of the label v (a list of 1-based positions).
function Index_methods.get_locs(ix, v)
  if ix.kind == "range" then
    if math.type(v) == "integer" and v >= ix.start and v < ix.start + ix.n then return { v - ix.start + 1 } end
    return {}
  end
  if not ix._map then
    local m = {}
    local vals = C.tolist(ix)
    for i = 1, ix.n do
      local key = vals[i]
      if key ~= nil then
        local l = m[key]
        if l then l[#l + 1] = i else m[key] = { i } end
      end
    end
    ix._map = m
  end
  return ix._map[v] or {}
end

function Index_methods.is_unique(ix)
  if ix.kind == "range" then return true end
  if ix._unique == nil then
    local seen, u = {}, true
    for _, v in ipairs(C.tolist(ix)) do
      if seen[v] then u = false break end
      seen[v] = true
    end
    ix._unique = u
  end
  return ix._unique
end

function Index_methods.equals(a, b)
  if a == b then return true end
  if a.n ~= b.n then return false end
  if a.kind == "range" and b.kind == "range" then return a.start == b.start end
  if (a.kind == "datetime") ~= (b.kind == "datetime") then return false end
  local la, lb = C.tolist(a), C.tolist(b)
  for i = 1, a.n do if la[i] ~= lb[i] then return false end end
  return true
end

return C
