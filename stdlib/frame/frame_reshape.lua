-- frame_reshape.lua: pandas' binning and reshaping (pd.cut, pd.get_dummies,
-- pivot_table), sampling (sample, with NumPy's legacy RandomState stream so
-- a random_state draws pandas' rows), value_counts of frames, itertuples,
-- truncate, and min/max/argmin of an Index.
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local T = require "geolab.frame_ts"
local util = require "geolab.util"

local R = {}
local SM, DM = S.methods, D.methods

local function ints(t)
  if #t == 0 then return fc.full(0, 0, "int64") end
  return fc.asarray(t, "int64")
end

-- {====================================================================
-- pd.cut
-- ====================================================================}

-- Python's repr of a float (shortest round-trip digits, ".0" on integers).
local function pyfloat(x)
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" elseif x == -math.huge then return "-inf" end
  local s
  for p = 1, 17 do
    s = ("%." .. p .. "g"):format(x)
    if tonumber(s) == x then break end
  end
  local m, e = s:match("^(-?[%d%.]+)e([-+]%d+)$")
  if m then
    local ei = tonumber(e)
    if ei >= -4 and ei < 16 then s = ("%.17f"):format(x):gsub("0+$", "")   -- Python prints these positionally
      if s:sub(-1) == "." then s = s .. "0" end
      return s
    end
    return ("%se%s%02d"):format(m, ei < 0 and "-" or "+", math.abs(ei))
  end
  if not s:find("[%.n]") then s = s .. ".0" end
  return s
end

-- numpy.around(x, digits) (round half to even on the scaled value)
local function around(x, d)
  local m = 10.0 ^ d
  local y = x * m
  local r = math.floor(y + 0.5)
  if r - y == 0.5 and r % 2 == 1 then r = r - 1 end
  return r / m
end

-- pandas.core.reshape.tile._round_frac
local function round_frac(x, precision)
  if x ~= x or x == math.huge or x == -math.huge or x == 0 then return x end
  local whole = x < 0 and math.ceil(x) or math.floor(x)
  local frac = x - whole
  local digits
  if whole == 0 then digits = -math.floor(math.log(math.abs(frac), 10)) - 1 + precision
  else digits = precision end
  return around(x, digits)
end

-- pandas' _infer_precision: the smallest precision keeping the edges distinct
local function infer_precision(base, edges)
  for p = base, 19 do
    local seen, k = {}, 0
    for _, b in ipairs(edges) do
      local v = round_frac(b, p)
      if not seen[v] then seen[v] = true; k = k + 1 end
    end
    if k == #edges then return p end
  end
  return base
end

local function values_of(x, fname)
  if S.is_series(x) then return x end
  if type(x) == "userdata" then return S.new(C.from_array(x)) end
  if util.bare(x) then return S.new(C.from_list(x)) end
  error(fname .. ": x must be a Series, an array or a list", 3)
end

-- pd.cut(x, bins, {right=true, labels=, include_lowest=false, precision=3}):
-- a category Series whose categories are pandas' interval labels "(0, 1]";
-- labels=false gives bin numbers counting from 1 (geolab's positions).
function R.cut(x, bins, opts)
  local o = util.check_options(opts, { "bins", "right", "labels", "retbins", "precision", "include_lowest",
    "duplicates", "ordered" }, "pd.cut", 2, { notable = "%s: options must be a table", strict = true })
  bins = bins or o.bins
  local s = values_of(x, "pd.cut")
  local right = o.right ~= false
  local precision = o.precision or 3
  local v = C.float_array(s._c)
  if not v then error("pd.cut: x must be numeric", 2) end
  local edges, intedges = {}, false
  if math.type(bins) == "integer" then
    if bins < 1 then error("pd.cut: bins must be a positive integer or a list of edges", 2) end
    local mn, mx = math.huge, -math.huge
    for _, y in ipairs(fc.tolist(v)) do if y == y then mn = math.min(mn, y); mx = math.max(mx, y) end end
    if mn == math.huge then error("pd.cut: cannot cut an empty or all-missing x into bins", 2) end
    if mn == mx then   -- pandas widens a point by 0.1%
      local d = mn ~= 0 and math.abs(mn) * 0.001 or 0.001
      mn, mx = mn - d, mx + d
      for i = 0, bins do edges[i + 1] = mn + (mx - mn) * i / bins end
    else
      local lin = np.linspace(mn, mx, bins + 1):totable()
      for i = 1, bins + 1 do edges[i] = lin[i] end
      local adj = (mx - mn) * 0.001
      if right then edges[1] = edges[1] - adj else edges[#edges] = edges[#edges] + adj end
    end
  elseif type(bins) == "userdata" or util.bare(bins) then
    local t = type(bins) == "userdata" and bins:totable() or bins
    intedges = true
    for i, b in ipairs(t) do
      if type(b) ~= "number" then error("pd.cut: bin edges must be numbers", 2) end
      edges[i] = b
      if math.type(b) ~= "integer" then intedges = false end
    end
    if type(bins) == "userdata" and bins.dtype:find("float") then intedges = false end
    if #edges < 2 then error("pd.cut: give at least two bin edges", 2) end
    for i = 2, #edges do
      if edges[i] <= edges[i - 1] then
        if edges[i] == edges[i - 1] and o.duplicates == "drop" then
        else error("pd.cut: bins must increase monotonically", 2) end
      end
    end
    if o.duplicates == "drop" then
      local u = { edges[1] }
      for i = 2, #edges do if edges[i] ~= u[#u] then u[#u + 1] = edges[i] end end
      edges = u
    end
  else
    error("pd.cut: bins must be an integer or a list of edges", 2)
  end
  local nb = #edges - 1
  -- labels
  local labels = o.labels
  local cats
  if labels == nil or labels == true then
    local br = {}
    local fmt
    if intedges then
      for i, b in ipairs(edges) do br[i] = b end
      fmt = function(b) return math.type(b) == "integer" and tostring(b) or pyfloat(b) end
      if right and o.include_lowest then br[1] = br[1] - 10.0 ^ -precision; fmt = pyfloat end
    else
      local p = infer_precision(precision, edges)
      for i, b in ipairs(edges) do br[i] = round_frac(b, p) end
      if right and o.include_lowest then br[1] = br[1] - 10.0 ^ -p end
      fmt = pyfloat
    end
    cats = {}
    for i = 1, nb do
      local a, b = fmt(br[i]), fmt(br[i + 1])
      if intedges and right and o.include_lowest then a, b = pyfloat(br[i] + 0.0), pyfloat(br[i + 1] + 0.0) end
      cats[i] = right and ("(" .. a .. ", " .. b .. "]") or ("[" .. a .. ", " .. b .. ")")
    end
  elseif labels ~= false then
    if not util.bare(labels) or #labels ~= nb then
      error(("pd.cut: labels must be a list of %d names (one per bin) or false"):format(nb), 2)
    end
    cats = {}
    for i, l in ipairs(labels) do cats[i] = tostring(l) end
  end
  -- codes: right-closed bins (a, b] (the first also holds a with
  -- include_lowest), or left-closed [a, b)
  local codes, vals = {}, fc.tolist(v)
  local lo, hi = edges[1], edges[#edges]
  for i = 1, #vals do
    local y, code = vals[i], 0
    if y == y then
      local lb, ub = 1, #edges   -- first edge >= y (right) or > y (left)
      while lb < ub do
        local mid = (lb + ub) // 2
        if (right and edges[mid] >= y) or (not right and edges[mid] > y) then ub = mid else lb = mid + 1 end
      end
      if right then
        if y > lo and y <= hi then code = lb - 1
        elseif y == lo and o.include_lowest then code = 1 end
      else
        if y >= lo and y < hi then code = lb - 1 end
      end
    end
    codes[i] = code
  end
  local col
  if labels == false then
    local t = {}
    for i, c in ipairs(codes) do t[i] = c > 0 and c or nil end
    col = C.from_list(t, #codes)
  else
    col = C.new("category", ints(codes), { cats = cats })
  end
  local r = S.new(col, s._index, s.name)
  if o.retbins then return r, np.array(edges) end
  return r
end

-- {====================================================================
-- pd.get_dummies
-- ====================================================================}

local DUMMY_OPTS = { "prefix", "prefix_sep", "dummy_na", "columns", "drop_first", "dtype", "sparse" }

local function dummies_of(c, prefix, sep, o, names, cols)
  local kinds = { uint8 = true, bool = true, int64 = true, int32 = true, float64 = true, float32 = true }
  local dtype = o.dtype or "uint8"   -- pandas 1.5's default (2.0 changed it to bool)
  if not kinds[dtype] then error("pd.get_dummies: dtype must be uint8, bool, int64, int32, float64 or float32", 4) end
  local codes, uniq = S.factorize(c)
  local cl = fc.tolist(codes)
  local first = o.drop_first and 2 or 1
  local function label(v)
    local t = type(v) == "number" and math.type(v) == "float" and pyfloat(v) or tostring(v)
    if prefix == nil then return t end
    return tostring(prefix) .. sep .. t
  end
  for k = first, #uniq do
    local t = {}
    for i = 1, c.n do t[i] = cl[i] == k end
    local a = c.n > 0 and fc.asarray(t, "bool") or fc.full(0, false, "bool")
    if dtype ~= "bool" then a = fc.astype(a, dtype) end
    names[#names + 1] = label(uniq[k])
    cols[#cols + 1] = C.new(C.array_kind(a), a)
  end
  if o.dummy_na then
    local na = C.isna_array(c)
    if dtype ~= "bool" then na = fc.astype(na, dtype) end
    names[#names + 1] = label("nan")
    cols[#cols + 1] = C.new(C.array_kind(na), na)
  end
end

-- pd.get_dummies(data, {prefix=, prefix_sep="_", columns=, drop_first=, dtype=, dummy_na=})
function R.get_dummies(data, opts)
  local o = util.check_options(opts, DUMMY_OPTS, "pd.get_dummies", 2, { notable = "%s: options must be a table", strict = true })
  if o.sparse then error("pd.get_dummies: sparse=true is not supported", 2) end
  local sep = o.prefix_sep or "_"
  local names, cols = {}, {}
  if not D.is_frame(data) then
    local s = values_of(data, "pd.get_dummies")
    dummies_of(s._c, o.prefix, sep, o, names, cols)
    return D.from_cols(names, cols, s._index)
  end
  local enc = o.columns
  if enc == nil then
    enc = {}
    for _, nm in ipairs(data._names) do
      local k = data._cols[nm].kind
      if k == "string" or k == "category" then enc[#enc + 1] = nm end
    end
  elseif type(enc) == "string" then enc = { enc } end
  local isenc = {}
  for _, nm in ipairs(enc) do D.col(data, nm, "pd.get_dummies", 2); isenc[nm] = true end
  for _, nm in ipairs(data._names) do
    if not isenc[nm] then names[#names + 1] = nm; cols[#cols + 1] = data._cols[nm] end
  end
  for i, nm in ipairs(enc) do
    local p = o.prefix
    if type(p) == "table" then p = p[nm] or p[i] elseif p == nil then p = nm end
    local sp = type(sep) == "table" and (sep[nm] or "_") or sep
    dummies_of(data._cols[nm], p, sp, o, names, cols)
  end
  return D.from_cols(names, cols, data._index)
end

-- {====================================================================
-- pivot_table
-- ====================================================================}

local AGG = { mean = true, sum = true, count = true, min = true, max = true, median = true, std = true,
              var = true, first = true, last = true, prod = true, size = true }

-- pd.pivot_table(df, {values=, index=, columns=, aggfunc="mean", fill_value=, dropna=true})
function R.pivot_table(df, opts)
  local fname = "pivot_table"
  local o = util.check_options(opts, { "values", "index", "columns", "aggfunc", "fill_value", "margins",
    "dropna", "margins_name", "observed", "sort" }, fname, 2, { notable = "%s: options must be a table", strict = true })
  if not D.is_frame(df) then error("pivot_table: expected a DataFrame", 2) end
  if o.margins then error("pivot_table: margins=true is not supported", 2) end
  local agg = o.aggfunc or "mean"
  if type(agg) == "string" and not AGG[agg] then
    error(("pivot_table: unknown aggfunc '%s'"):format(agg), 2)
  elseif type(agg) ~= "string" and type(agg) ~= "function" then
    error("pivot_table: aggfunc must be a name ('mean', 'sum', ...) or a function(Series)", 2)
  end
  local function one(k, what)
    if type(k) == "table" then
      if #k ~= 1 then error(("pivot_table: several %s keys (a MultiIndex) are not supported"):format(what), 3) end
      k = k[1]
    end
    if k ~= nil then D.col(df, k, fname, 3) end
    return k
  end
  local ik, ck = one(o.index, "index"), one(o.columns, "columns")
  if ik == nil then error("pivot_table: give index=", 2) end
  local vals = o.values
  if vals == nil then
    vals = {}
    for _, nm in ipairs(D.numeric_names(df)) do if nm ~= ik and nm ~= ck then vals[#vals + 1] = nm end end
  elseif type(vals) ~= "table" then vals = { vals }
  else   -- pandas returns the value columns of a list sorted by name
    vals = table.move(vals, 1, #vals, 1, {})
    table.sort(vals, function(a, b) return tostring(a) < tostring(b) end)
  end
  if ck and #vals ~= 1 then error("pivot_table: with columns=, give one column in values= (MultiIndex columns are not supported)", 2) end
  for _, v in ipairs(vals) do D.col(df, v, fname, 2) end
  local icodes, iu = S.factorize(df._cols[ik])
  local icl = fc.tolist(icodes)
  local ccl, cu = nil, { false }
  if ck then local cc; cc, cu = S.factorize(df._cols[ck]); ccl = fc.tolist(cc) end
  local function reduce_list(list, c)
    local sub = C.take(c, ints(list))
    local s = S.new(sub)
    if agg == "size" then return #list end
    if type(agg) == "function" then return agg(s) end
    return SM[agg](s)
  end
  local names, cols = {}, {}
  local keep = {}
  for _, vname in ipairs(vals) do
    local c = df._cols[vname]
    for j = 1, #cu do
      local groups = {}
      for r = 1, df._n do
        if icl[r] > 0 and (not ccl or ccl[r] == j) then
          local g = groups[icl[r]]
          if g then g[#g + 1] = r else groups[icl[r]] = { r } end
        end
      end
      local out, any = {}, false
      for i = 1, #iu do
        local g = groups[i]
        local v = g and reduce_list(g, c) or nil
        if v ~= nil and v == v then any = true end
        if v == nil and o.fill_value ~= nil then v = o.fill_value end
        if v ~= v and o.fill_value ~= nil then v = o.fill_value end
        out[i] = v
      end
      if any or o.dropna == false then
        names[#names + 1] = ck and tostring(cu[j]) or vname
        cols[#cols + 1] = C.from_list(out, #iu)
        keep[#keep + 1] = true
      end
    end
  end
  local ix = df._cols[ik].kind == "datetime" and C.index(C.new("datetime", ints(iu)), ik)
    or C.index(C.from_list(iu, #iu), ik)
  local r = D.from_cols(names, cols, ix)
  if o.dropna ~= false and #names > 0 then   -- rows with no value at all go (pandas dropna)
    local any = fc.full(#iu, false, "bool")
    for _, c in ipairs(cols) do any = np.logical_or(any, np.logical_not(C.isna_array(c))) end
    r = DM.take(r, fc.positions(any))
  end
  return r
end
DM.pivot_table = function(df, opts) return R.pivot_table(df, opts) end

-- {====================================================================
-- sample
-- ====================================================================}

-- pandas' random_state: an integer seeds NumPy's legacy RandomState (so the
-- rows drawn are pandas'); nil draws a seed from geolab's seeded generator.
local function legacy_rng(rs, fname)
  if rs == nil then rs = math.floor(np.random.uniform(0, 1, 1):totable()[1] * 4294967295) end
  if math.type(rs) ~= "integer" or rs < 0 or rs > 0xFFFFFFFF then
    error(fname .. ": random_state must be an integer in 0..2^32-1", 4)
  end
  return require("geolab.ml_core").random_state(rs)
end

-- Python's round() (half to even), as pandas rounds frac * n.
local function pyround(x)
  local r = math.floor(x + 0.5)
  if r - x == 0.5 and r % 2 == 1 then r = r - 1 end
  return math.tointeger(r)
end

local function sample(obj, n, opts)
  local fname = (S.is_series(obj) and "Series" or "DataFrame") .. ".sample"
  opts = opts or {}
  if opts.weights ~= nil then error(fname .. ": weights are not supported", 2) end
  if D.axis_number(opts.axis, fname) ~= 0 then error(fname .. ": only axis=0 (rows) is supported", 2) end
  local N = obj._index.n
  if n ~= nil and opts.frac ~= nil then error(fname .. ": give n or frac, not both", 2) end
  if opts.frac ~= nil then
    if type(opts.frac) ~= "number" or opts.frac < 0 then error(fname .. ": frac must be a number >= 0", 2) end
    if opts.frac > 1 and not opts.replace then error(fname .. ": frac > 1 needs replace=true", 2) end
    n = pyround(opts.frac * N)
  end
  n = n or 1
  if math.type(n) ~= "integer" or n < 0 then error(fname .. ": n must be an integer >= 0", 2) end
  if not opts.replace and n > N then
    error(("%s: cannot take a larger sample (%d) than the population (%d) when replace=false"):format(fname, n, N), 2)
  end
  local rng = legacy_rng(opts.random_state, fname)
  local pos
  if opts.replace then   -- RandomState.choice with replacement: randint(0, N, n)
    pos = N > 0 and np.add(rng:randint(N, n), 1) or fc.full(0, 0, "int64")
  else                   -- choice without: permutation(N)[:n]
    local perm = rng:permutation(N)
    pos = n > 0 and fc.take(perm, fc.range(1, n)) or fc.full(0, 0, "int64")
  end
  local r = obj:take(pos)
  if opts.ignore_index then rawset(r, "_index", C.range_index(n)) end
  return r
end
SM.sample, DM.sample = sample, sample

-- {====================================================================
-- value_counts of a frame, itertuples, truncate
-- ====================================================================}

-- DataFrame:value_counts(subset, {normalize, sort, ascending, dropna}):
-- counts of each distinct row, labelled "a, b" (no MultiIndex here).
function DM.value_counts(df, cols, opts)
  opts = opts or {}
  cols = cols or df._names
  if type(cols) == "string" then cols = { cols } end
  for _, nm in ipairs(cols) do D.col(df, nm, "DataFrame.value_counts", 3) end
  local keys, cnt, order = {}, {}, {}
  for i = 1, df._n do
    local parts, na = {}, false
    for j, nm in ipairs(cols) do
      local v = C.get(df._cols[nm], i)
      if v == nil then na = true end
      parts[j] = v == nil and "NaN" or (type(v) == "number" and math.type(v) == "float" and pyfloat(v)) or tostring(v)
    end
    if not (na and opts.dropna ~= false) then
      local key = table.concat(parts, ", ")
      if not cnt[key] then cnt[key] = 0; order[#order + 1] = key; keys[key] = #order end
      cnt[key] = cnt[key] + 1
    end
  end
  if opts.sort ~= false then
    local asc = opts.ascending == true
    table.sort(order, function(a, b)
      if cnt[a] ~= cnt[b] then if asc then return cnt[a] < cnt[b] end return cnt[a] > cnt[b] end
      return keys[a] < keys[b]
    end)
  end
  local counts, total = {}, 0
  for i, k in ipairs(order) do counts[i] = cnt[k]; total = total + cnt[k] end
  local lab = C.index(C.from_list(order, #order))
  if opts.normalize then
    for i = 1, #counts do counts[i] = counts[i] / total end
    return S.new(C.from_list(counts, #counts), lab, "proportion")
  end
  return S.new(C.from_list(counts, #counts), lab, "count")
end

-- Series:value_counts{normalize, sort, ascending, dropna}
local svc = SM.value_counts
function SM.value_counts(s, opts)
  opts = opts or {}
  local r = svc(s, { normalize = opts.normalize, dropna = opts.dropna })
  if opts.sort == false then   -- order of first appearance
    local seen, pos = {}, {}
    local vals = C.tolist(s._c)
    local lab = C.tolist(r._index)
    local at = {}
    for i = 1, r._index.n do at[lab[i] == nil and "\0nan" or lab[i]] = i end
    for i = 1, s._c.n do
      local v = vals[i]
      local key = (v == nil or v ~= v) and "\0nan" or v
      if at[key] and not seen[key] then seen[key] = true; pos[#pos + 1] = at[key] end
    end
    return r:take(ints(pos))
  elseif opts.ascending then   -- stable: ties keep their order
    local n = r._c.n
    local cnt = C.tolist(r._c)
    local idx = {}
    for i = 1, n do idx[i] = i end
    table.sort(idx, function(a, b) if cnt[a] ~= cnt[b] then return cnt[a] < cnt[b] end return a < b end)
    return r:take(ints(idx))
  end
  return r
end

-- for row in df:itertuples() do print(row.Index, row.a) end: a table by
-- column name, with Index (unless index=false) and positions 1.. in order.
function DM.itertuples(df, opts)
  opts = opts or {}
  local withindex = opts.index ~= false
  local i = 0
  local mt = { __name = opts.name or "Pandas" }
  mt.__tostring = function(row)
    local parts = {}
    if withindex then parts[1] = "Index=" .. tostring(row.Index) end
    for _, nm in ipairs(df._names) do parts[#parts + 1] = tostring(nm) .. "=" .. tostring(row[nm]) end
    return mt.__name .. "(" .. table.concat(parts, ", ") .. ")"
  end
  return function()
    i = i + 1
    if i > df._n then return nil end
    local row, k = {}, 0
    if withindex then k = 1; row.Index = C.get(df._index, i); row[1] = row.Index end
    for j, nm in ipairs(df._names) do
      local v = C.get(df._cols[nm], i)
      row[nm] = v
      row[k + j] = v
    end
    return setmetatable(row, mt)
  end
end

-- truncate{before=, after=}: rows whose labels lie in [before, after] on a
-- sorted index (pandas), dates as strings or Timestamps.
local function truncate(obj, before, after, opts)
  local fname = (S.is_series(obj) and "Series" or "DataFrame") .. ".truncate"
  if D.axis_number(opts and opts.axis, fname) ~= 0 then error(fname .. ": only axis=0 is supported", 2) end
  local ix = obj._index
  local function bound(v)
    if v == nil then return nil end
    if ix.kind == "datetime" then return (T.ns_of(v, fname)) end
    if type(v) ~= "number" and ix.kind ~= "string" then error(fname .. ": before/after must be labels of the index", 3) end
    return v
  end
  local lo, hi = bound(before), bound(after)
  if lo ~= nil and hi ~= nil and lo > hi then error(fname .. ": truncate before must be earlier than after", 2) end
  local labels = C.tolist(ix)
  for i = 2, ix.n do
    if labels[i] ~= nil and labels[i - 1] ~= nil and labels[i] < labels[i - 1] then
      error(fname .. ": the index must be sorted (use sort_index first)", 2)
    end
  end
  local pos = {}
  for i = 1, ix.n do
    local l = labels[i]
    if l ~= nil and (lo == nil or l >= lo) and (hi == nil or l <= hi) then pos[#pos + 1] = i end
  end
  return obj:take(ints(pos))
end
SM.truncate, DM.truncate = truncate, truncate

-- {====================================================================
-- min/max/argmin/argmax of an Index (Timestamps for dates)
-- ====================================================================}

local IM = C.Index_methods
local function index_extreme(how)
  return function(ix)
    local s = S.new(ix.kind == "range" and C.new("int", fc.range(ix.start, ix.n)) or ix)
    local v = SM[how](s)
    if v ~= nil and ix.kind == "datetime" then return T.timestamp(v) end
    return v
  end
end
IM.min, IM.max = index_extreme("min"), index_extreme("max")
local function index_arg(better)
  return function(ix)
    local vals, best, bi = C.tolist(ix), nil, nil
    for i = 1, ix.n do
      local v = vals[i]
      if v ~= nil and v == v and (best == nil or better(v, best)) then best, bi = v, i end
    end
    return bi   -- 1-based position
  end
end
IM.argmin = index_arg(function(a, b) return a < b end)
IM.argmax = index_arg(function(a, b) return a > b end)
SM.argmin = function(s) return index_arg(function(a, b) return a < b end)(s._c) end
SM.argmax = function(s) return index_arg(function(a, b) return a > b end)(s._c) end

R.pyfloat = pyfloat
return R
