-- frame_series.lua: the Series object (one column with its index) and the
-- functions shared with DataFrame: reductions, NA handling, sorting, value
-- counts, elementwise arithmetic and comparisons, datetime accessors.
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local util = require "geolab.util"

local S = {}          -- the module: constructors and helpers
local Series = { __name = "geolab.Series" }
local M = {}          -- Series methods
S.Series, S.methods = Series, M
-- for REPL completion (vm/complete.c reads these without running __index)
Series.__methods = M
Series.__fields = { "values", "index", "dtype", "shape", "size", "is_datetime", "empty", "dt", "str",
                    "loc", "iloc", "name", "plot", "ndim" }

local function new(col, index, name)
  return setmetatable({ _c = col, _index = index or C.range_index(col.n), name = name }, Series)
end
S.new = new

function S.is_series(x) return getmetatable(x) == Series end

-- {====================================================================
-- Fields
-- ====================================================================}

local accessors = {}   -- filled below: dt, loc, iloc, str

function Series.__index(s, k)
  local m = M[k]
  if m then return m end
  local c = rawget(s, "_c")
  if k == "values" then return S.values(c)
  elseif k == "index" then return rawget(s, "_index")
  elseif k == "ndim" then return 1
  elseif k == "dtype" then return C.dtype(c)
  elseif k == "shape" then return util.shape({ c.n })
  elseif k == "size" then return c.n
  elseif k == "is_datetime" then return c.kind == "datetime"
  elseif k == "empty" then return c.n == 0 end
  local acc = accessors[k]
  if acc then return acc(s) end
  if math.type(k) == "integer" then
    if k < 0 then k = c.n + k + 1 end
    if k < 1 or k > c.n then error(("Series: position %d out of range (1..%d)"):format(k, c.n), 2) end
    return C.get(c, k)
  end
  local ix = rawget(s, "_index")
  if S.is_series(k) or type(k) == "userdata" then   -- s[mask] as s.loc[mask] (pandas)
    return S.select_mask(s, S.mask_of(k, c.n, "Series"))
  end
  if type(k) == "string" and k:match("^%d") and ix.kind == "datetime" then
    return s.loc[k]
  end
  if type(k) == "string" and ix.kind == "string" then   -- a row of a frame: s.colname
    local l = C.Index.__index(ix, "get_locs")(ix, k)
    if #l == 1 then return C.get(c, l[1]) end
  end
  if type(k) == "string" and k:sub(1, 1) ~= "_" and k ~= "name" then  -- a mistyped method: s:meann
    local near = util.nearest(k, util.public_names(M))
    if near then error(("Series: no method or label '%s' (did you mean s:%s?)"):format(k, near), 2) end
    -- pandas raises for a missing attribute or label (AttributeError,
    -- KeyError); module code may still probe and get nil
    if util.user_read(2) then
      error(("Series: no method, attribute or label '%s'"):format(k), 2)
    end
  end
  return nil
end

function Series.__newindex(s, k, v)
  if k == "index" then
    rawset(s, "_index", S.as_index(v, s._c.n, "Series.index"))
  elseif k == "name" then rawset(s, "name", v)
  else error("Series: cannot set field '" .. tostring(k) .. "'", 2) end
end

function Series.__len(s) return s._c.n end
function Series.__toarray(s)
  local c = s._c
  if c.kind == "string" then error("Series '" .. tostring(s.name) .. "': string values have no array", 3) end
  return C.array(c)
end

-- An Index from an Index, Series, array or list of length n.
function S.as_index(v, n, fname)
  local ix
  if C.is_index(v) then ix = v
  elseif S.is_series(v) then ix = C.index(v._c, v.name)
  elseif type(v) == "table" then ix = C.index(C.from_list(v))
  else ix = C.index(C.from_array(v)) end
  if n and ix.n ~= n then
    error(("%s: length mismatch, expected %d elements, got %d"):format(fname, n, ix.n), 3)
  end
  return ix
end

-- {====================================================================
-- Basic methods
-- ====================================================================}

function M.copy(s) return new(s._c, s._index, s.name) end
function M.tolist(s) return util.list(C.tolist(s._c)) end
function M.to_array(s, dtype)
  if dtype then return fc.astype(Series.__toarray(s), dtype) end
  if s._c.kind == "datetime" then return s._c.data end
  return C.float_array(s._c) or Series.__toarray(s)
end
function M.to_numpy(s, dtype)
  if dtype then return M.to_array(s, dtype) end
  return S.values(s._c)
end
M.to_list = M.tolist
function M.rename(s, name)
  if type(name) == "table" or type(name) == "function" then   -- a mapping renames index labels (pandas)
    local f = name
    if type(name) == "table" then f = function(v) local r = name[v]; if r == nil then return v end return r end end
    local labels = C.tolist(s._index)
    for i = 1, s._index.n do labels[i] = f(labels[i]) end
    return new(s._c, C.index(C.from_list(labels, s._index.n), s._index.name), s.name)
  end
  return new(s._c, s._index, name)
end

-- Positions given to take (a list or an int array, 1-based) as int64; 0 is
-- refused because the column kernels read it as "missing row" (issue 10).
function S.take_positions(pos, fname)
  if type(pos) == "table" then pos = #pos > 0 and np.array(pos, "int64") or fc.full(0, 0, "int64") end
  if select(2, fc.info(pos)) > 0 and np.equal(pos, 0):any() then
    error(("%s: positions count from 1 in geolab (Lua); pandas' take([0, 2]) is take{1, 3}"):format(fname), 3)
  end
  return pos
end

function M.take(s, pos)   -- positions: int64 array (1-based)
  pos = S.take_positions(pos, "take")
  return new(C.take(s._c, pos), C.index(C.take(s._index, pos), s._index.name), s.name)
end

function M.head(s, n)
  n = math.min(n or 5, s._c.n)
  return M.take(s, fc.range(1, n))
end
function M.tail(s, n)
  n = math.min(n or 5, s._c.n)
  return M.take(s, fc.range(s._c.n - n + 1, n))
end

function M.isna(s) return new(C.new("bool", C.isna_array(s._c)), s._index, s.name) end
M.isnull = M.isna
function M.notna(s)
  local a = C.isna_array(s._c)
  return new(C.new("bool", np.logical_not(a)), s._index, s.name)
end
M.notnull = M.notna

function M.dropna(s)
  local keep = np.logical_not(C.isna_array(s._c))
  return S.select_mask(s, keep)
end

-- The bool array of a mask key (a bool Series or array) of length n.
function S.mask_of(k, n, fname)
  local a
  if S.is_series(k) then
    if k._c.kind ~= "bool" then error(("%s: a selecting Series must be boolean, got %s"):format(fname, C.dtype(k._c)), 4) end
    a = k._c.data
  else
    local dt = fc.info(k)
    if dt ~= "bool" then
      error(("%s: cannot index with an array of %s (a mask must be boolean; positions go through .iloc)"):format(fname, dt), 4)
    end
    a = k
  end
  local len = select(2, fc.info(a))
  if len ~= n then error(("%s: boolean mask of length %d for %d rows"):format(fname, len, n), 4) end
  return a
end

-- Series.values and to_numpy(): the stored dtype (int64, float64, bool; ns
-- int64 for datetimes), strings and categories as a list.
function S.values(c)
  if c.kind == "string" or c.kind == "category" then return util.list(C.tolist(c)) end
  return C.array(c)
end

function S.select_mask(s, mask)
  local pos = fc.positions(mask)
  return M.take(s, pos)
end

function M.fillna(s, value, opts)
  local c = s._c
  local method = opts and (opts.method)
  local limit = opts and opts.limit or 0
  if method == "ffill" or method == "pad" or method == "bfill" or method == "backfill" then
    local how = (method == "ffill" or method == "pad") and "ffill" or "bfill"
    if c.kind == "string" then
      local t, last = { n = c.n }, false
      local from, to, step = 1, c.n, 1
      if how == "bfill" then from, to, step = c.n, 1, -1 end
      for i = from, to, step do
        if c.data[i] then last = c.data[i] end
        t[i] = c.data[i] or last
      end
      return new(C.new("string", t), s._index, s.name)
    end
    return new(C.new(c.kind, fc.fill(c.data, how, limit, c.kind == "datetime")), s._index, s.name)
  end
  if method ~= nil then error("Series.fillna: method must be 'ffill', 'pad', 'bfill' or 'backfill', got '" .. tostring(method) .. "'", 2) end
  if value == nil then error("Series.fillna: give a value or {method='ffill'|'bfill'}", 2) end
  if c.kind == "string" then
    local t = { n = c.n }
    for i = 1, c.n do t[i] = c.data[i] or value end
    return new(C.new("string", t), s._index, s.name)
  end
  local mask = C.isna_array(c)
  local v = value
  if S.is_series(v) then v = M.to_array(v) end
  if type(v) == "number" or type(v) == "boolean" then v = fc.full(1, v, c.kind == "datetime" and "int64" or nil) end
  local out = fc.putmask(c.data, mask, v, c.kind == "datetime")
  return new(C.new(c.kind == "datetime" and "datetime" or C.array_kind(out), out), s._index, s.name)
end

function M.astype(s, dtype)
  local c = s._c
  if dtype == "str" or dtype == "string" or dtype == "object" then
    local t = { n = c.n }
    local strs = C.format(c, (function() local r = {} for i = 1, c.n do r[i] = i end return r end)())
    for i = 1, c.n do t[i] = C.get(c, i) ~= nil and (c.kind == "float" and tostring(C.get(c, i)) or strs[i]) or false end
    return new(C.new("string", t), s._index, s.name)
  elseif dtype == "category" then
    local codes, cats = S.factorize(c)
    return new(C.new("category", codes, { cats = cats }), s._index, s.name)
  elseif dtype == "datetime64[ns]" or dtype == "datetime" then
    return new(S.to_datetime_col(c, "astype"), s._index, s.name)
  end
  if c.kind == "string" then
    local t = {}
    for i = 1, c.n do
      local v = c.data[i]
      local x = v and fc.parse_number(v)
      if v and x == nil then error(("astype: cannot convert '%s' to %s"):format(v, dtype), 2) end
      t[i] = x or (0 / 0)
    end
    local a = c.n > 0 and fc.asarray(t, dtype) or fc.full(0, 0, dtype)
    return new(C.new(C.array_kind(a), a), s._index, s.name)
  end
  if c.kind == "float" and (dtype == "int64" or dtype == "int32" or dtype == "uint8") then
    if np.any(C.isna_array(c)) then error("astype: cannot convert NaN to integer", 2) end
  end
  local a = fc.astype(C.array(c), dtype)
  return new(C.new(C.array_kind(a), a), s._index, s.name)
end

-- codes (int64, 1-based, 0 missing) and sorted unique values of a column.
function S.factorize(c)
  if c.kind == "string" or c.kind == "category" then
    local vals = C.tolist(c)
    local set, uniq = {}, {}
    for i = 1, c.n do
      local v = vals[i]
      if v ~= nil and not set[v] then set[v] = true; uniq[#uniq + 1] = v end
    end
    table.sort(uniq)
    local pos = {}
    for i, v in ipairs(uniq) do pos[v] = i end
    local codes = {}
    for i = 1, c.n do codes[i] = vals[i] ~= nil and pos[vals[i]] or 0 end
    return (c.n > 0 and fc.asarray(codes, "int64") or fc.full(0, 0, "int64")), uniq
  end
  local a = c.kind == "range" and fc.range(c.start, c.n) or c.data
  local codes, u = fc.factorize(a, c.kind == "datetime")
  return codes, C.tolist(C.new(c.kind == "range" and "int" or c.kind, u))
end

-- {====================================================================
-- Reductions (NaN skipped, as pandas)
-- ====================================================================}

local function numeric(s, fname)
  local a = C.float_array(s._c)
  if not a then error(("%s: column '%s' is not numeric"):format(fname, tostring(s.name)), 3) end
  return a
end

local function reduce(s, how, ddof)
  local c = s._c
  if c.kind == "datetime" and (how == "min" or how == "max" or how == "first" or how == "last" or how == "median") then
    local a = numeric(s, how)
    local r = fc.group_reduce(fc.full(c.n, 0, "int64"), 1, a, how, ddof or 1)
    local v = fc.get(r, 1)
    return v == v and math.tointeger(v) or nil
  end
  if c.kind == "string" and (how == "min" or how == "max") then
    local best
    for i = 1, c.n do
      local v = c.data[i]
      if v and (best == nil or (how == "min" and v < best) or (how == "max" and v > best)) then best = v end
    end
    return best
  end
  if c.kind == "string" and how == "count" then
    local k = 0
    for i = 1, c.n do if c.data[i] then k = k + 1 end end
    return k
  end
  local a = numeric(s, how)
  local r = fc.get(fc.group_reduce(fc.full(c.n, 0, "int64"), 1, a, how, ddof or 1), 1)
  if how == "count" or how == "size" then return math.tointeger(r) end
  if how == "sum" and c.kind ~= "float" and r == r and math.abs(r) < 2 ^ 53 then return math.tointeger(r) end
  if (how == "min" or how == "max" or how == "first" or how == "last") and c.kind == "int" and r == r then
    return math.tointeger(r)
  end
  if how == "sum" and r ~= r then return 0.0 end
  return r
end
S.reduce = reduce

-- Reductions take pandas' keywords: axis (0 only for a Series), skipna
-- (false: a missing value makes the result missing), ddof.
local function reducer(how)
  return function(s, o)
    o = o or {}
    local ax = o.axis
    if ax ~= nil and ax ~= 0 and ax ~= "index" then
      error(("Series.%s: a Series has only axis 0, got %s"):format(how, tostring(ax)), 3)
    end
    if o.skipna == false and how ~= "count" and np.any(C.isna_array(s._c)) then
      if s._c.kind == "datetime" or s._c.kind == "string" then return nil end
      return 0 / 0
    end
    local ddof = o.ddof
    if ddof ~= nil and math.type(ddof) ~= "integer" then error(("Series.%s: ddof must be an integer"):format(how), 3) end
    local r = reduce(s, how, ddof or 1)
    if (how == "sum" or how == "prod") and o.min_count and o.min_count > 0 then
      local k = reduce(s, "count")
      if k < o.min_count then return 0 / 0 end
    end
    return r
  end
end
for _, how in ipairs { "sum", "mean", "min", "max", "median", "count", "first", "last", "prod", "std", "var" } do
  M[how] = reducer(how)
end

function M.quantile(s, q)
  local a = numeric(s, "quantile")
  if type(q) == "table" then
    local _, _, _, _, qs = fc.stats(a, q)
    return new(C.from_list(qs), C.index(C.from_list(q)), s.name)
  end
  local _, _, _, _, qs = fc.stats(a, { q or 0.5 })
  return qs[1]
end

function M.idxmax(s)
  local best, bi
  for i = 1, s._c.n do
    local v = C.get(s._c, i)
    if v ~= nil and (best == nil or v > best) then best, bi = v, i end
  end
  return bi and C.get(s._index, bi)
end
function M.idxmin(s)
  local best, bi
  for i = 1, s._c.n do
    local v = C.get(s._c, i)
    if v ~= nil and (best == nil or v < best) then best, bi = v, i end
  end
  return bi and C.get(s._index, bi)
end

function M.unique(s)
  local vals, seen, out = C.tolist(s._c), {}, {}
  for i = 1, s._c.n do
    local v = vals[i]
    local key = v == nil and seen or v
    if v ~= v then key = "NaN" end
    if not seen[key] then
      seen[key] = true
      if v ~= nil then out[#out + 1] = v
      elseif s._c.kind == "string" then out[#out + 1] = false
      else out[#out + 1] = 0 / 0 end
    end
  end
  return util.list(out)
end

function M.nunique(s)
  local vals, seen, k = C.tolist(s._c), {}, 0
  for i = 1, s._c.n do
    local v = vals[i]
    if v ~= nil and v == v and not seen[v] then seen[v] = true; k = k + 1 end
  end
  return k
end

-- value_counts: counts of each value, most frequent first (ties in order of
-- first appearance, as pandas' sort is stable on a hash table order).
function M.value_counts(s, opts)
  local vals, cnt, order = C.tolist(s._c), {}, {}
  local dropna = not (opts and opts.dropna == false)
  local nkey = {}
  for i = 1, s._c.n do
    local v = vals[i]
    if v ~= v then v = nil end
    local key = v == nil and nkey or v
    if v ~= nil or not dropna then
      if not cnt[key] then cnt[key] = 0; order[#order + 1] = key end
      cnt[key] = cnt[key] + 1
    end
  end
  local idx = {}
  for i = 1, #order do idx[i] = i end
  table.sort(idx, function(a, b)
    local ca, cb = cnt[order[a]], cnt[order[b]]
    if ca ~= cb then return ca > cb end
    return a < b
  end)
  local labels, counts = { n = #idx }, {}
  for i, k in ipairs(idx) do
    local key = order[k]
    if key == nkey then labels[i] = false else labels[i] = key end
    counts[i] = cnt[key]
  end
  local lab
  if s._c.kind == "datetime" then
    local t = {}
    for i = 1, #idx do t[i] = labels[i] or false end
    lab = C.new("datetime", #idx > 0 and fc.to_datetime(t) or fc.full(0, 0, "int64"))
  else lab = C.from_list(labels, #idx) end
  -- pandas 1.5.3 names the counts after the series and leaves the index
  -- unnamed (pandas 2 names them "count"/"proportion", the index after the series)
  local r = new(C.from_list(counts), C.index(lab), s.name)
  if opts and opts.normalize then
    local tot = 0
    for _, v in ipairs(counts) do tot = tot + v end
    r = new(C.from_array(np.array(counts) / tot), r._index, s.name)
  end
  return r
end

-- {====================================================================
-- Sorting
-- ====================================================================}

-- Positions that sort column c (stable); missing values last, or first
-- with na_position="first" (pandas).
function S.order(c, ascending, na_position, fname)
  if na_position ~= nil and na_position ~= "last" and na_position ~= "first" then
    error(("%s: na_position must be 'last' or 'first'"):format(fname or "sort"), 3)
  end
  local o = S.order_last(c, ascending)
  if na_position == "first" and c.n > 0 then
    local na = fc.take(C.isna_array(c), o)
    o = fc.concat { fc.compress(o, na), fc.compress(o, np.logical_not(na)) }
  end
  return o
end

function S.order_last(c, ascending)
  if c.kind == "string" or c.kind == "category" then
    local vals, idx = C.tolist(c), {}
    for i = 1, c.n do idx[i] = i end
    table.sort(idx, function(a, b)
      local x, y = vals[a], vals[b]
      if x == nil or y == nil then
        if x == nil and y == nil then return a < b end
        return y == nil
      end
      if x ~= y then if ascending then return x < y else return x > y end end
      return a < b
    end)
    return c.n > 0 and fc.asarray(idx, "int64") or fc.full(0, 0, "int64")
  end
  local a = c.kind == "range" and fc.range(c.start, c.n) or c.data
  return fc.argsort(a, not ascending, c.kind == "datetime")
end

function M.sort_values(s, opts)
  opts = opts or {}
  local asc = opts.ascending ~= false
  local r = M.take(s, S.order(s._c, asc, opts.na_position, "Series.sort_values"))
  if opts.ignore_index then rawset(r, "_index", C.range_index(r._c.n)) end
  return r
end
function M.sort_index(s, opts)
  opts = opts or {}
  local asc = opts.ascending ~= false
  local r = M.take(s, S.order(s._index, asc, opts.na_position, "Series.sort_index"))
  if opts.ignore_index then rawset(r, "_index", C.range_index(r._c.n)) end
  return r
end
function M.argsort(s) return S.order(s._c, true) end

-- {====================================================================
-- Elementwise: apply/map, arithmetic, comparisons
-- ====================================================================}

function M.apply(s, f)
  local vals, out = C.tolist(s._c), {}
  for i = 1, s._c.n do out[i] = f(vals[i]) end
  return new(C.from_list(out, s._c.n), s._index, s.name)
end
function M.map(s, f)
  if type(f) == "table" then
    local t = f
    f = function(v) return t[v] end
  end
  return M.apply(s, f)
end

-- {====================================================================
-- Alignment on index labels (pandas' Series.align with join="outer")
-- ====================================================================}

-- pandas' get_op_result_name: the name when both are equal, else none.
local function op_name(a, b)
  if a == b then return a end
  return nil
end

-- The labels of an index as a numeric array (ranges, numbers, datetime ns),
-- or nil for string/category labels.
local function label_array(ix)
  local k = ix.kind
  if k == "range" then return fc.range(ix.start, ix.n) end
  if k == "int" or k == "float" or k == "bool" or k == "datetime" then return ix.data end
  return nil
end

-- Do two indexes hold the same labels in the same order? (pandas'
-- Index.equals; cheap when they share storage)
function S.same_index(a, b)
  if rawequal(a, b) then return true end
  if a.n ~= b.n then return false end
  if a.kind == "range" and b.kind == "range" then return a.start == b.start end
  if (a.kind == "datetime") ~= (b.kind == "datetime") then return false end
  if a.kind == b.kind and rawequal(a.data, b.data) and rawequal(a.cats, b.cats) then return true end
  local x, y = label_array(a), label_array(b)
  if x and y then return a.n == 0 or np.array_equal(x, y) end
  if x or y then return a.n == 0 end
  local la, lb = C.tolist(a), C.tolist(b)
  for i = 1, a.n do if la[i] ~= lb[i] then return false end end
  return true
end

local function align_error(fname, what)
  error(("%s: cannot align on the index: %s"):format(fname, what), 5)
end

-- Unique labels of index ix: checks there are no missing or repeated labels.
local function check_labels(ix, fname)
  if ix.kind == "range" then return end
  if np.any(C.isna_array(ix)) then align_error(fname, "it has missing labels") end
  local x = label_array(ix)
  local unique
  if x then unique = select(2, fc.info(select(2, fc.factorize(x, ix.kind == "datetime")))) == ix.n
  else unique = C.Index.__index(ix, "is_unique")(ix) end
  if not unique then align_error(fname, "it has repeated labels") end
end

-- The sorted union of the labels of a and b (both unique, no missing).
local function union_index(a, b, fname)
  local name = op_name(a.name, b.name)
  local x, y = label_array(a), label_array(b)
  if (a.kind == "datetime") ~= (b.kind == "datetime") or (x == nil) ~= (y == nil) then
    align_error(fname, ("labels of types %s and %s"):format(C.dtype(a), C.dtype(b)))
  end
  if a.kind == "range" and b.kind == "range" then   -- contiguous: still a range
    local lo, hi = math.min(a.start, b.start), math.max(a.start + a.n, b.start + b.n)
    if math.max(a.start, b.start) <= math.min(a.start + a.n, b.start + b.n) then
      local ix = C.range_index(hi - lo, lo)
      ix.name = name
      return ix
    end
  end
  if x then
    local _, u = fc.factorize(fc.concat { x, y }, a.kind == "datetime")
    local kind = a.kind == "datetime" and "datetime" or C.array_kind(u)
    return C.index(C.new(kind, u), name)
  end
  local la, lb = C.tolist(a), C.tolist(b)
  local seen, u = {}, {}
  for _, l in ipairs { la, lb } do
    for i = 1, #l do
      local v = l[i]
      if not seen[v] then seen[v] = true; u[#u + 1] = v end
    end
  end
  table.sort(u)
  u.n = #u
  return C.index(C.new("string", u), name)
end

-- Positions (1-based, 0 missing) of the labels of tgt in the unique index src.
local function indexer(src, tgt)
  local x, y = label_array(src), label_array(tgt)
  if x and y and C.array_kind(x) == "int" and C.array_kind(y) == "int" then
    return fc.index_match(fc.astype(x, "int64"), fc.astype(y, "int64"), "exact")
  end
  return require("geolab.frame_df").indexer(src, tgt)
end

-- s reindexed on the labels of index ix (labels absent from s give NaN).
local function reindex_on(s, ix)
  if S.same_index(s._index, ix) then return new(s._c, ix, s.name) end
  return new(C.take(s._c, indexer(s._index, ix)), ix, s.name)
end

-- a and b on one index: as they are when their indexes are equal, else
-- both reindexed on the sorted union of their labels (pandas).
function S.align(a, b, fname)
  local ia, ib = a._index, b._index
  if S.same_index(ia, ib) then return a, b end
  fname = fname or "Series"
  local u
  if ib.n == 0 then u = ia         -- pandas keeps the other index as it is
  elseif ia.n == 0 then u = ib
  else
    check_labels(ia, fname)
    check_labels(ib, fname)
    u = union_index(ia, ib, fname)
  end
  return reindex_on(a, u), reindex_on(b, u)
end

local function operand(x, n)
  if S.is_series(x) then
    if x._c.n ~= n then error(("Series: lengths differ (%d and %d)"):format(n, x._c.n), 4) end
    return x._c.kind == "datetime" and x._c.data or C.float_array(x._c) or C.tolist(x._c), x
  end
  if type(x) == "userdata" then   -- an array: by position, as pandas with an ndarray
    local _, size, nd = fc.info(x)
    if nd == 1 and size ~= n then error(("Series: lengths differ (%d and %d)"):format(n, size), 4) end
  end
  return x
end

local logical = { logical_and = true, logical_or = true, logical_xor = true }
local exact_int = { add = true, subtract = true, multiply = true }
local function int_operand(x)
  if S.is_series(x) then return x._c.kind == "int" end
  return math.type(x) == "integer"
end

-- Values of a column as booleans, missing values false (pandas' fill_bool).
local function bool_values(c)
  if c.kind == "bool" then return c.data end
  local a = C.float_array(c)
  if not a then error(("Series: cannot use %s values as booleans"):format(C.dtype(c)), 4) end
  return np.logical_and(np.not_equal(a, 0), np.logical_not(fc.isna(a)))
end

local function binop(op)
  return function(a, b)
    local sa = S.is_series(a) and a or b
    local name = sa.name
    if S.is_series(a) and S.is_series(b) then   -- on the union of the labels (pandas)
      a, b = S.align(a, b, "Series")
      sa, name = a, op_name(a.name, b.name)
      if logical[op] then   -- missing on the left gives false, on the right counts as false
        local r = np[op](bool_values(a._c), bool_values(b._c))
        r = fc.putmask(r, C.isna_array(a._c), fc.full(1, false, "bool"))
        return new(C.new("bool", r), a._index, name)
      end
      if a._c.kind == "datetime" and b._c.kind == "datetime" and op == "subtract" then
        local d = np.subtract(a._c.data, b._c.data)
        local na = np.logical_or(C.isna_array(a._c), C.isna_array(b._c))
        if np.any(na) then   -- ns differences; NaN where a time is missing
          return new(C.new("float", fc.putmask(fc.astype(d, "float64"), na, fc.full(1, 0 / 0))), a._index, name)
        end
        return new(C.new("int", d), a._index, name)   -- ns differences
      end
    end
    local n = sa._c.n
    local x, y = operand(a, n), operand(b, n)
    if exact_int[op] and int_operand(a) and int_operand(b) then   -- int64 stays int64 (pandas)
      x, y = S.is_series(a) and a._c.data or a, S.is_series(b) and b._c.data or b
    end
    local r = np[op](x, y)
    return new(C.from_array(r), sa._index, name)
  end
end
Series.__add, Series.__sub, Series.__mul = binop("add"), binop("subtract"), binop("multiply")
Series.__div, Series.__pow, Series.__mod = binop("divide"), binop("power"), binop("mod")
Series.__idiv = binop("floor_divide")
function Series.__unm(s) return new(C.from_array(np.negative(C.float_array(s._c))), s._index, s.name) end
function Series.__band(a, b) return binop("logical_and")(a, b) end
function Series.__bor(a, b) return binop("logical_or")(a, b) end
function Series.__bxor(a, b) return binop("logical_xor")(a, b) end
function Series.__bnot(a) return new(C.new("bool", np.logical_not(C.array(a._c))), a._index, a.name) end

local function compare(op, lop, pname)
  local ne = op == "not_equal"   -- missing values compare false, except for ne
  return function(s, v)
    local name = s.name
    if S.is_series(v) then   -- on the union of the labels (pandas)
      s, v = S.align(s, v, "Series." .. pname)
      name = op_name(s.name, v.name)
    end
    local c = s._c
    if c.kind == "string" or c.kind == "category" or type(v) == "string" and c.kind ~= "datetime" then
      local vals, out = C.tolist(c), {}
      local other = S.is_series(v) and C.tolist(v._c) or nil
      for i = 1, c.n do
        local x, y = vals[i], v
        if other then y = other[i] end
        if x ~= nil and y ~= nil then out[i] = lop(x, y) else out[i] = ne end
      end
      return new(C.new("bool", c.n > 0 and fc.asarray(out, "bool") or fc.full(0, false, "bool")), s._index, name)
    end
    if c.kind == "datetime" and type(v) == "string" then v = S.parse_time(v, op) end
    local x = c.kind == "datetime" and c.data or C.float_array(c)
    local y = operand(v, c.n)
    local r = np[op](x, y)
    if c.kind == "datetime" then   -- NaT compares false (true for ne)
      r = fc.putmask(r, fc.isna(c.data, true), fc.full(1, ne, "bool"))
    end
    if S.is_series(v) and v._c.kind == "datetime" then
      r = fc.putmask(r, fc.isna(v._c.data, true), fc.full(1, ne, "bool"))
    end
    return new(C.new("bool", r), s._index, name)
  end
end
M.gt = compare("greater", function(a, b) return a > b end, "gt")
M.ge = compare("greater_equal", function(a, b) return a >= b end, "ge")
M.lt = compare("less", function(a, b) return a < b end, "lt")
M.le = compare("less_equal", function(a, b) return a <= b end, "le")
M.eq = compare("equal", function(a, b) return a == b end, "eq")
M.ne = compare("not_equal", function(a, b) return a ~= b end, "ne")

function M.isin(s, values)
  local set = {}
  for _, v in ipairs(values) do set[v] = true end
  local vals, out = C.tolist(s._c), {}
  for i = 1, s._c.n do out[i] = vals[i] ~= nil and set[vals[i]] or false end
  return new(C.new("bool", s._c.n > 0 and fc.asarray(out, "bool") or fc.full(0, false, "bool")), s._index, s.name)
end

function M.between(s, lo, hi) return s:ge(lo) & s:le(hi) end

for _, f in ipairs { "abs", "sqrt", "exp", "log", "floor", "ceil", "round" } do
  M[f] = function(s) return new(C.from_array(np[f](C.float_array(s._c))), s._index, s.name) end
end
function M.log10(s)
  local a = C.float_array(s._c)
  local r = np.log10 and np.log10(a) or np.log(a) / math.log(10)
  return new(C.from_array(r), s._index, s.name)
end
function M.clip(s, lo, hi)
  return new(C.from_array(np.clip(C.float_array(s._c), lo or -math.huge, hi or math.huge)), s._index, s.name)
end

function M.cumsum(s)
  local vals, out, acc = C.tolist(s._c), {}, 0
  for i = 1, s._c.n do
    local v = vals[i]
    if v ~= nil and v == v then acc = acc + v; out[i] = acc else out[i] = 0 / 0 end
  end
  return new(C.from_list(out, s._c.n), s._index, s.name)
end

function M.shift(s, n)
  n = n or 1
  local c = s._c
  if c.kind == "string" then
    local t = { n = c.n }
    for i = 1, c.n do t[i] = (i - n >= 1 and i - n <= c.n) and c.data[i - n] or false end
    return new(C.new("string", t), s._index, s.name)
  end
  local a = fc.shift(c.kind == "range" and fc.range(c.start, c.n) or c.data, n, c.kind == "datetime")
  return new(C.new(c.kind == "datetime" and "datetime" or C.array_kind(a), a), s._index, s.name)
end

function M.diff(s, n)
  n = n or 1
  local c = s._c
  if c.kind == "datetime" then
    local a = fc.astype(c.data, "float64")
    a = fc.putmask(a, fc.isna(c.data, true), fc.full(1, 0 / 0))
    local d = np.subtract(a, fc.shift(a, n))
    return new(C.from_array(d), s._index, s.name)   -- ns as float (NaN for NaT)
  end
  local a = C.float_array(c)
  return new(C.from_array(np.subtract(a, fc.shift(a, n))), s._index, s.name)
end

function M.describe(s)
  local count, mean, std, mn, qs, mx = fc.stats(numeric(s, "describe"), { 0.25, 0.5, 0.75 })
  local ix = C.index(C.from_list { "count", "mean", "std", "min", "25%", "50%", "75%", "max" })
  return new(C.from_list { count + 0.0, mean, std, mn, qs[1], qs[2], qs[3], mx }, ix, s.name)
end

function M.to_frame(s, name)
  local D = require "geolab.frame_df"
  return D.from_cols({ name or s.name or "0" }, { s._c }, s._index)
end

function M.items(s)
  local i = 0
  return function()
    i = i + 1
    if i <= s._c.n then return C.get(s._index, i), C.get(s._c, i) end
  end
end

-- {====================================================================
-- Accessors: dt, str
-- ====================================================================}

local DT = {}
-- names for "did you mean" (fc.dt_field's fields and the ones handled here)
local DT_NAMES = { "date", "day", "dayofweek", "dayofyear", "days_in_month", "hour", "microsecond", "minute",
  "month", "nanosecond", "normalize", "quarter", "second", "strftime", "weekday", "year" }
DT.__index = function(acc, k)
  local s = rawget(acc, "s")
  if s._c.kind ~= "datetime" then error("Series.dt: values are not datetimes", 2) end
  if k == "dayofweek" or k == "weekday" then k = "dayofweek" end
  if k == "date" or k == "normalize" then
    return new(C.new("datetime", fc.dt_field(s._c.data, "date")), s._index, s.name)
  end
  if k == "strftime" then
    return function(_, fmt) return S.strftime(s, fmt) end
  end
  local ok, r = pcall(fc.dt_field, s._c.data, k)
  if not ok then
    local near = type(k) == "string" and util.nearest(k, DT_NAMES)
    error("Series.dt: unknown field '" .. tostring(k) .. "'" .. (near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
  return new(C.from_array(r), s._index, s.name)
end
accessors.dt = function(s) return setmetatable({ s = s }, DT) end

-- strftime on a datetime Series: %Y %m %d %H %M %S %j %f and %%
function S.strftime(s, fmt)
  local c = s._c
  local fields = {}
  for _, f in ipairs { "year", "month", "day", "hour", "minute", "second", "dayofyear", "microsecond" } do
    fields[f] = fc.tolist(fc.dt_field(c.data, f))
  end
  local out = {}
  for i = 1, c.n do
    if fc.get(c.data, i) == math.mininteger then out[i] = nil
    else
      local function g(f) return math.tointeger(fields[f][i]) or 0 end
      out[i] = fmt:gsub("%%(.)", function(k)
        if k == "Y" then return ("%04d"):format(g("year"))
        elseif k == "m" then return ("%02d"):format(g("month"))
        elseif k == "d" then return ("%02d"):format(g("day"))
        elseif k == "H" then return ("%02d"):format(g("hour"))
        elseif k == "M" then return ("%02d"):format(g("minute"))
        elseif k == "S" then return ("%02d"):format(g("second"))
        elseif k == "j" then return ("%03d"):format(g("dayofyear"))
        elseif k == "f" then return ("%06d"):format(g("microsecond"))
        elseif k == "%" then return "%" end
        error("strftime: unsupported directive %" .. k, 4)
      end)
    end
  end
  return new(C.from_list(out, c.n), s._index, s.name)
end

local STR = {}
STR.__index = function(acc, k)
  local s = rawget(acc, "s")
  if s._c.kind ~= "string" then error("Series.str: values are not strings", 2) end
  local fns = {
    lower = string.lower, upper = string.upper, len = string.len,
    strip = function(v) return (v:gsub("^%s+", ""):gsub("%s+$", "")) end,
    contains = function(v, pat, plain) return v:find(pat, 1, plain ~= false) ~= nil end,
    startswith = function(v, p) return v:sub(1, #p) == p end,
    endswith = function(v, p) return p == "" or v:sub(-#p) == p end,
    replace = function(v, a, b) return (v:gsub(a, b)) end,
  }
  if S.str_extra and S.str_extra[k] then   -- str.cat (frame_arith)
    return function(_, ...) return S.str_extra[k](s, ...) end
  end
  local f = fns[k]
  if not f then
    local names = util.sorted_keys(fns)
    for n in pairs(S.str_extra or {}) do names[#names + 1] = n end
    table.sort(names)
    local near = type(k) == "string" and util.nearest(k, names)
    error("Series.str: unknown method '" .. tostring(k) .. "'" .. (near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
  return function(_, ...)
    local out, args = {}, { ... }
    for i = 1, s._c.n do
      local v = s._c.data[i]
      if v then out[i] = f(v, table.unpack(args)) else out[i] = nil end
    end
    return new(C.from_list(out, s._c.n), s._index, s.name)
  end
end
accessors.str = function(s) return setmetatable({ s = s }, STR) end
S.accessors = accessors

return S
