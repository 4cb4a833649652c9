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
  if type(x) == "userdata" then return S.new(C.from_array(x, nil, fname)) end
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
    if bins > util.MAX_BINS then
      error(("pd.cut: bins=%d is more than the limit of %d bins"):format(bins, util.MAX_BINS), 2)
    end
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

-- A list of key column names from index= / columns= (a name or a list).
local function key_list(df, k, what, fname)
  if k == nil then return {} end
  if type(k) ~= "table" then k = { k } end
  if #k == 0 then error(("%s: %s= is an empty list"):format(fname, what), 3) end
  for _, nm in ipairs(k) do D.col(df, nm, fname, 3) end
  return k
end

-- Label text of a key value, as pandas prints it inside a tuple.
local function key_text(v)
  if type(v) == "number" and math.type(v) == "float" then return pyfloat(v) end
  return tostring(v)
end

-- The distinct combinations of several key columns present in the rows, in
-- key order (pandas' groupby): code of each row's combination (0 when a key
-- is missing), and per combination the list of its key values.
local function combine_keys(df, keys)
  local codes, uniqs = {}, {}
  for j, nm in ipairs(keys) do
    local cd, u = S.factorize(df._cols[nm])
    codes[j], uniqs[j] = fc.tolist(cd), u
  end
  local combo, at, rows = {}, {}, {}
  for r = 1, df._n do
    local parts, ok = {}, true
    for j = 1, #keys do
      local c = codes[j][r]
      if c == 0 then ok = false break end
      parts[j] = c
    end
    if ok then
      local k = table.concat(parts, ",")
      if not at[k] then combo[#combo + 1] = parts; at[k] = #combo end
      rows[r] = k
    end
  end
  table.sort(combo, function(x, y)
    for j = 1, #x do if x[j] ~= y[j] then return x[j] < y[j] end end
    return false
  end)
  local vals = {}
  for i, parts in ipairs(combo) do
    at[table.concat(parts, ",")] = i
    local v = {}
    for j = 1, #keys do v[j] = uniqs[j][parts[j]] end
    vals[i] = v
  end
  local code = {}
  for r = 1, df._n do code[r] = rows[r] and at[rows[r]] or 0 end
  return code, vals
end

-- The aggregations of aggfunc: a list of {name, f}, whether aggfunc was a
-- list (a column level, as pandas), and per value column overrides (a table
-- {col = "sum"}).
-- NumPy's reductions given as aggfunc are pandas' named ones (pandas maps
-- np.std to its std, ddof = 1), and name their column by the function's
-- __name__ in NumPy 1.24 ("amax" for np.max), not "<lambda>".
local NP_AGG
local function np_agg(f)
  if not NP_AGG then
    NP_AGG = {}
    local npm = require "geolab.array"
    for _, nm in ipairs { "mean", "sum", "median", "std", "var", "min", "max", "prod", "nanmean", "nansum",
                          "nanmedian", "nanstd", "nanvar", "nanmin", "nanmax", "nanprod", "amin", "amax" } do
      local fn = rawget(npm, nm)
      if type(fn) == "function" and not NP_AGG[fn] then
        local op = nm:gsub("^nan", ""):gsub("^a(m[ia][nx])$", "%1")
        NP_AGG[fn] = { (nm:gsub("^(m[ia][nx])$", "a%1")), op }
      end
    end
  end
  return NP_AGG[f]
end

local function agg_list(agg, fname)
  local function one(a)
    if type(a) == "function" and np_agg(a) then return np_agg(a) end
    if type(a) == "string" then
      if not AGG[a] then error(("%s: unknown aggfunc '%s'"):format(fname, a), 4) end
      return { a, a }
    elseif type(a) == "function" then return { "<lambda>", a }   -- pandas names a lambda so
    end
    error(fname .. ": aggfunc must be a name ('mean', 'sum', ...), a function(Series), a list of them or a table {column = aggfunc}", 4)
  end
  if type(agg) == "table" and util.bare(agg) and #agg > 0 then
    local list = {}
    for i, a in ipairs(agg) do list[i] = one(a) end
    return list, true
  elseif type(agg) == "table" and util.bare(agg) and next(agg) ~= nil then
    local per = {}
    for k, a in pairs(agg) do
      if type(a) == "table" then error(fname .. ": lists inside an aggfunc table are not supported; give aggfunc a list instead", 3) end
      per[k] = one(a)
    end
    return nil, false, per
  end
  return { one(agg) }, false
end

-- pd.pivot_table(df, {values=, index=, columns=, aggfunc="mean", fill_value=, dropna=true}).
-- pandas' MultiIndex is flattened (docs/frames.md "Pivot tables"): several
-- index keys give labels "A, g1" (an index named "site, g", as
-- DataFrame:value_counts), and the column levels (aggfunc when a list, the
-- value column when values is a list or nil, then the columns keys) are
-- joined with "_" into one name ("mean_v_x"), pandas' usual
-- "_".join(col) flattening; with one level the names are pandas' own.
function R.pivot_table(df, opts)
  local fname = "pivot_table"
  local o = util.check_options(opts, { "values", "index", "columns", "aggfunc", "fill_value", "margins",
    "dropna", "margins_name", "observed", "sort" }, fname, 2, { notable = "%s: options must be a table", strict = true })
  if not D.is_frame(df) then error("pivot_table: expected a DataFrame", 2) end
  if o.margins then error("pivot_table: margins=true is not supported", 2) end
  local aggs, agg_multi, per = agg_list(o.aggfunc or "mean", fname)
  local ik, ck = key_list(df, o.index, "index", fname), key_list(df, o.columns, "columns", fname)
  if #ik == 0 then error("pivot_table: give index=", 2) end
  local vals, values_multi = o.values, true
  if per then   -- aggfunc {col = f}: its columns are the values (pandas)
    vals = {}
    for k in pairs(per) do vals[#vals + 1] = k end
    values_multi = o.values == nil or type(o.values) == "table"
  end
  if vals == nil then
    local used = {}
    for _, k in ipairs(ik) do used[k] = true end
    for _, k in ipairs(ck) do used[k] = true end
    vals = {}
    for _, nm in ipairs(D.numeric_names(df)) do if not used[nm] then vals[#vals + 1] = nm end end
  elseif type(vals) ~= "table" then vals, values_multi = { vals }, false
  else vals = table.move(vals, 1, #vals, 1, {}) end
  -- pandas returns the value columns sorted by name
  table.sort(vals, function(a, b) return tostring(a) < tostring(b) end)
  for _, v in ipairs(vals) do D.col(df, v, fname, 2) end
  local icode, ivals = combine_keys(df, ik)
  local ccode, cvals = { }, { {} }
  if #ck > 0 then ccode, cvals = combine_keys(df, ck) end
  local function reduce_list(list, c, f)
    if f == "size" then return #list end
    local s = S.new(C.take(c, ints(list)))
    if type(f) == "function" then return f(s) end
    return SM[f](s)
  end
  local names, cols = {}, {}
  local function level_name(parts)
    local t = {}
    for i, p in ipairs(parts) do t[i] = key_text(p) end
    return table.concat(t, "_")
  end
  for _, ag in ipairs(aggs or { false }) do
    for _, vname in ipairs(vals) do
      local a = ag or per[vname]
      local c = df._cols[vname]
      for j = 1, #cvals do
        local groups = {}
        for r = 1, df._n do
          if icode[r] > 0 and (#ck == 0 or ccode[r] == j) then
            local g = groups[icode[r]]
            if g then g[#g + 1] = r else groups[icode[r]] = { r } end
          end
        end
        local out, any = {}, false
        for i = 1, #ivals do
          local g = groups[i]
          local v = g and reduce_list(g, c, a[2]) or nil
          if v ~= nil and v == v then any = true end
          if (v == nil or v ~= v) and o.fill_value ~= nil then v = o.fill_value end
          out[i] = v
        end
        if any or o.dropna == false then
          local parts = {}
          if agg_multi then parts[#parts + 1] = a[1] end
          if values_multi and #ck > 0 or #ck == 0 then parts[#parts + 1] = vname end
          for _, kv in ipairs(cvals[j]) do parts[#parts + 1] = kv end
          names[#names + 1] = level_name(parts)
          cols[#cols + 1] = C.from_list(out, #ivals)
        end
      end
    end
  end
  local ix
  if #ik == 1 then
    local iu = {}
    for i, v in ipairs(ivals) do iu[i] = v[1] end
    ix = df._cols[ik[1]].kind == "datetime" and C.index(C.new("datetime", ints(iu)), ik[1])
      or C.index(C.from_list(iu, #iu), ik[1])
  else
    local lab = {}
    for i, v in ipairs(ivals) do
      local t = {}
      for j, x in ipairs(v) do t[j] = key_text(x) end
      lab[i] = table.concat(t, ", ")
    end
    ix = C.index(C.from_list(lab, #lab), table.concat(ik, ", "))
  end
  local r = D.from_cols(names, cols, ix)
  if o.dropna ~= false and #names > 0 then   -- rows with no value at all go (pandas dropna)
    local any = fc.full(#ivals, false, "bool")
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

-- Value order of groupby keys: numbers before strings, each in natural order.
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta == "number" end
  if ta == "boolean" then return (not a) and b end
  return a < b
end

-- DataFrame:value_counts(subset, {normalize, sort, ascending, dropna}):
-- counts of each distinct row, labelled "a, b" (pandas' MultiIndex flattened
-- as geolab's pivot_table does), the index named "site, kind". As pandas
-- 1.5.3: distinct rows in key order, then a sort by count that keeps ties in
-- that order; the counts are unnamed (pandas 2 names them "count").
function DM.value_counts(df, cols, opts)
  opts = opts or {}
  cols = cols or df._names
  if type(cols) == "string" then cols = { cols } end
  for _, nm in ipairs(cols) do D.col(df, nm, "DataFrame.value_counts", 3) end
  local cnt, order, raw = {}, {}, {}
  for i = 1, df._n do
    local parts, vals, na = {}, {}, false
    for j, nm in ipairs(cols) do
      local v = C.get(df._cols[nm], i)
      if v == nil then na = true end
      vals[j] = v
      parts[j] = v == nil and "NaN" or (type(v) == "number" and math.type(v) == "float" and pyfloat(v)) or tostring(v)
    end
    if not (na and opts.dropna ~= false) then
      local key = table.concat(parts, ", ")
      if not cnt[key] then cnt[key] = 0; order[#order + 1] = key; raw[key] = vals end
      cnt[key] = cnt[key] + 1
    end
  end
  -- key order (missing keys last), as groupby sorts them
  local rank = {}
  local byval = table.move(order, 1, #order, 1, {})
  table.sort(byval, function(a, b)
    local va, vb = raw[a], raw[b]
    for j = 1, #cols do
      local x, y = va[j], vb[j]
      if x ~= y then
        if x == nil then return false elseif y == nil then return true end
        return key_less(x, y)
      end
    end
    return false
  end)
  for i, k in ipairs(byval) do rank[k] = i end
  order = byval
  if opts.sort ~= false then
    local asc = opts.ascending == true
    table.sort(order, function(a, b)
      if cnt[a] ~= cnt[b] then if asc then return cnt[a] < cnt[b] end return cnt[a] > cnt[b] end
      return rank[a] < rank[b]
    end)
  end
  local counts, total = {}, 0
  for i, k in ipairs(order) do counts[i] = cnt[k]; total = total + cnt[k] end
  local lab = C.index(C.from_list(order, #order), table.concat(cols, ", "))
  if opts.normalize then
    for i = 1, #counts do counts[i] = counts[i] / total end
    return S.new(C.from_list(counts, #counts), lab, nil)
  end
  return S.new(C.from_list(counts, #counts), lab, nil)
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
  -- strict, as a namedtuple: row.Mass of a missing value is nil, row.Mas an
  -- error with a suggestion
  local known = { Index = withindex or nil }
  for _, nm in ipairs(df._names) do known[nm] = true end
  mt.__index = function(row, k)
    if known[k] or type(k) ~= "string" or k:sub(1, 1) == "_" or not util.user_read(2) then return nil end
    util.no_member(row, known, mt.__name, k, 2)
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
