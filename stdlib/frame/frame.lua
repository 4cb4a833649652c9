-- frame.lua: the frame module (global `pd`/`frame`), modelled on pandas:
-- read_csv, DataFrame, Series, to_datetime, date_range, Timedelta, concat,
-- merge, merge_asof. The object model lives in frame_col/frame_series/
-- frame_df, time series in frame_ts, combining in frame_join, printing in
-- frame_print; the C half is geolab.frame_core.
local fc = require "geolab.frame_core"
local util = require "geolab.util"
local ARRAY_MT = getmetatable(require("geolab.array").zeros{0})
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local T = require "geolab.frame_ts"
local J = require "geolab.frame_join"
local R = require "geolab.frame_reshape"
require "geolab.frame_query"
require "geolab.frame_arith"
require "geolab.frame_print"

local pd = {}
-- pandas' plotting functions (frame_plot.lua draws through plt)
local FP = require "geolab.frame_plot"
pd.plotting = setmetatable({ scatter_matrix = FP.scatter_matrix }, { __index = function(_, k)
  if type(k) == "string" and k:sub(1, 1) ~= "_" then
    util.missing({scatter_matrix = true}, "pd.plotting", k, 2)
  end
end })

-- Raises at the caller of the pd function; pd keeps C's suggestion rule.
local PD_OPTS = {notable = "%s: options must be a table", strict = true}
local function check_options(opts, allowed, fname)
  util.check_options(opts, allowed, fname, 3, PD_OPTS)
end
pd._check_options = check_options

-- {====================================================================
-- read_csv
-- ====================================================================}

local read_opts = { "sep", "delimiter", "quotechar", "quoting", "comment", "header", "names", "na_values",
  "keep_default_na", "usecols", "skiprows", "nrows", "decimal", "thousands", "encoding", "dtype",
  "parse_dates", "index_col", "dayfirst", "keep_date_col", "encoding_errors" }

local function expand_paths(src)
  local list = type(src) == "table" and src or { src }
  local paths = {}
  for _, p in ipairs(list) do
    if type(p) ~= "string" then error("pd.read_csv: paths must be strings", 3) end
    if p:find("[%*%?%[]") then
      local m = fc.glob(p)
      if #m == 0 then error(("pd.read_csv: no file matches '%s'"):format(p), 3) end
      for _, f in ipairs(m) do paths[#paths + 1] = f end
    else
      paths[#paths + 1] = p
    end
  end
  if #paths == 0 then error("pd.read_csv: no file given", 3) end
  return paths
end

-- One file -> names, columns (C columns)
local function read_one(path, o)
  local names, cols, kinds = fc.read_csv(path, o)
  local out = {}
  for i = 1, #names do
    local k = kinds[i]
    out[i] = C.new(k, cols[i])
  end
  return names, out
end

function pd.read_csv(src, opts)
  check_options(opts, read_opts, "pd.read_csv")
  opts = opts or {}
  local o = {
    sep = opts.sep or opts.delimiter, quotechar = opts.quotechar, comment = opts.comment,
    decimal = opts.decimal, thousands = opts.thousands, encoding = opts.encoding,
    encoding_errors = opts.encoding_errors,
    dayfirst = opts.dayfirst, keep_default_na = opts.keep_default_na, nrows = opts.nrows,
    skiprows = opts.skiprows, names = opts.names, usecols = opts.usecols,
  }
  if opts.quoting == 3 then o.quotechar = false   -- csv.QUOTE_NONE
  elseif opts.quoting ~= nil and opts.quoting ~= 0 then
    error("pd.read_csv: option 'quoting' must be 0 (minimal) or 3 (none)", 2)
  end
  -- header: a 0-based row number (default 0; true = 0, kept for old scripts),
  -- false (pandas' header=None); with names and no header, the file has none
  local h = opts.header
  if h == true then h = 0 end
  if h == nil then h = 0; if opts.names then h = false end end
  if h ~= false and not (math.type(h) == "integer" and h >= 0) then
    local lbl = type(src) == "table" and tostring(src[1]) or tostring(src)
    error(("pd.read_csv: %s: option 'header' must be a row number (0-based integer), nil or false, got %s"):format(
      lbl, math.type(h) == "integer" and tostring(h) or type(h) == "number" and tostring(h) or type(h)), 2)
  end
  o.header = h
  if opts.names ~= nil and type(opts.names) ~= "table" then
    error("pd.read_csv: option 'names' must be a list of column names", 2)
  end
  if opts.names then   -- pandas refuses these up front, whatever the file holds
    local seen = {}
    for _, n in ipairs(opts.names) do
      if seen[n] then error("pd.read_csv: Duplicate names are not allowed ('" .. tostring(n) .. "' twice in names)", 2) end
      seen[n] = true
    end
  end
  -- missing values: a list (global) or a table by column name
  local na = opts.na_values
  if type(na) == "string" or type(na) == "number" then na = { na } end
  if type(na) == "table" then
    local glob, bycol = {}, nil
    for k, v in pairs(na) do
      if math.type(k) == "integer" and k >= 1 and k <= #na then glob[k] = v
      else
        bycol = bycol or {}
        bycol[k] = type(v) == "table" and v or { v }
      end
    end
    o.na, o.na_cols = glob, bycol
  elseif na ~= nil then error("pd.read_csv: option 'na_values' must be a list or a table by column", 2) end
  -- dtypes ("category": read as strings, converted after)
  local cats = {}
  if opts.dtype then
    if type(opts.dtype) ~= "table" then error("pd.read_csv: option 'dtype' must be a table {column = dtype}", 2) end
    o.dtype = {}
    for k, v in pairs(opts.dtype) do
      if v == "category" then cats[#cats + 1] = k; v = "str" end
      o.dtype[k] = v
    end
  end
  -- dates: single columns parse in C; combinations are read as strings
  local combos = {}
  local pdates = opts.parse_dates
  if pdates == true then
    if opts.index_col == nil then error("pd.read_csv: parse_dates=true needs index_col", 2) end
    pdates = { opts.index_col }
  end
  if pdates ~= nil and type(pdates) ~= "table" then pdates = { pdates } end
  if pdates then
    local single = {}
    for k, v in pairs(pdates) do
      if math.type(k) == "integer" and type(v) ~= "table" then single[#single + 1] = v
      else
        local parts = v
        if type(parts) ~= "table" or #parts < 1 then error("pd.read_csv: parse_dates combinations are lists of columns", 2) end
        local name = math.type(k) == "integer" and table.concat(parts, "_") or k
        combos[#combos + 1] = { name = name, parts = parts }
        o.dtype = o.dtype or {}
        for _, p in ipairs(parts) do o.dtype[p] = "str" end
      end
    end
    table.sort(combos, function(a, b) return tostring(a.name) < tostring(b.name) end)
    o.dates = single
  end
  local paths = expand_paths(src)
  local names, cols
  for fi, path in ipairs(paths) do
    o.label = path
    local nm, cl = read_one(path, o)
    if fi == 1 then names, cols = nm, { }
      for i = 1, #cl do cols[i] = { cl[i] } end
    else
      if #nm ~= #names then
        error(("pd.read_csv: %s has %d columns, %s had %d"):format(path, #nm, paths[1], #names), 2)
      end
      for i = 1, #nm do
        if nm[i] ~= names[i] then
          error(("pd.read_csv: %s: column %d is '%s', %s has '%s'"):format(path, i, nm[i], paths[1], names[i]), 2)
        end
        cols[i][#cols[i] + 1] = cl[i]
      end
    end
  end
  local ncols, byname = {}, {}
  for i = 1, #names do
    local parts = cols[i]
    if #parts == 1 then ncols[i] = parts[1]
    else
      -- an int column in one file and float in another become float, as one read would
      local kinds = {}
      for _, p in ipairs(parts) do kinds[p.kind] = true end
      if kinds.float and kinds.int then
        for j, p in ipairs(parts) do if p.kind == "int" then parts[j] = C.new("float", fc.astype(p.data, "float64")) end end
      end
      if kinds.datetime and (kinds.float or kinds.string) then
        for j, p in ipairs(parts) do   -- all-missing date columns read as float
          if p.kind ~= "datetime" then parts[j] = C.new("datetime", fc.full(p.n, C.NAT, "int64")) end
        end
      end
      ncols[i] = C.concat(parts)
      -- the files' parts are garbage now: collect them before the next column
      -- is joined, or they all stay alive beside the result (pandas frees
      -- them by reference counting); only worth it for large columns
      cols[i] = nil
      parts = nil
      if ncols[i].n >= 100000 then collectgarbage() end
    end
    byname[names[i]] = ncols[i]
  end
  -- combined date columns go first, their parts are dropped (pandas)
  local drop = {}
  local pre_names, pre_cols = {}, {}
  for _, cb in ipairs(combos) do
    local strs = {}
    local n = ncols[1] and ncols[1].n or 0
    local pieces = {}
    for j, p in ipairs(cb.parts) do
      local c = byname[p]
      if c == nil and math.type(p) == "integer" then c = ncols[p]; p = names[p] end
      if c == nil then
        local df = D.from_cols(names, ncols)
        D.col(df, p, "pd.read_csv", 3)
      end
      pieces[j] = c.kind == "string" and c.data or C.tolist(c)
      if not opts.keep_date_col then drop[p] = true end
    end
    for r = 1, n do
      local parts, missing = {}, false
      for j = 1, #pieces do
        local v = pieces[j][r]
        if not v then missing = true break end
        parts[j] = tostring(v)
      end
      strs[r] = not missing and table.concat(parts, " ") or false
    end
    strs.n = n
    local arr, bad, msg = fc.to_datetime(strs, opts.dayfirst)
    if not arr then
      error(("pd.read_csv: %s, data row %d, columns %s: cannot parse '%s' as a date (%s)"):format(
        paths[1], bad, table.concat(cb.parts, "+"), tostring(strs[bad]), msg), 2)
    end
    pre_names[#pre_names + 1] = cb.name
    pre_cols[#pre_cols + 1] = C.new("datetime", arr)
  end
  for i, nm in ipairs(names) do
    if not drop[nm] then pre_names[#pre_names + 1] = nm; pre_cols[#pre_cols + 1] = ncols[i] end
  end
  local df = D.from_cols(pre_names, pre_cols)
  for _, k in ipairs(cats) do
    local nm = math.type(k) == "integer" and names[k] or k
    if df._cols[nm] then df[nm] = D.series(df, nm):astype("category") end
  end
  local ic = opts.index_col
  if ic ~= nil and ic ~= false then
    if math.type(ic) == "integer" then
      if ic == 0 then   -- pandas' index_col=0, copied from a notebook
        error("pd.read_csv: index_col=0: columns count from 1 in geolab (Lua); pandas' index_col=0 is index_col=1 here (or give the column's name)", 2)
      end
      if ic < 1 or ic > #pre_names then error(("pd.read_csv: index_col %d out of range (1..%d)"):format(ic, #pre_names), 2) end
      ic = pre_names[ic]
    end
    D.col(df, ic, "pd.read_csv", 2)
    df = df:set_index(ic)
  end
  return df
end

-- {====================================================================
-- Constructors
-- ====================================================================}

-- pd.DataFrame{a = array, b = {1,2,3}} (columns sorted by name unless
-- opts.columns gives the order), or pd.DataFrame{{"a", array}, {"b", list}}.
local DF_KEYS = { data = true, columns = true, index = true, dtype = true }

-- Is t pandas' keyword form pd.DataFrame{data=, columns=, index=}?
local function keyword_form(t)
  if t.columns == nil and t.data == nil then return false end
  if type(t.columns) == "table" and type(t.columns[1]) ~= "string" and t.columns[1] ~= nil then return false end
  for k in pairs(t) do if not DF_KEYS[k] then return false end end
  return true
end

-- A list of records {{waveform = array, label = "VT"}, ...} (pandas'
-- DataFrame(list_of_dicts)): one column per key, arrays kept in object columns.
local function from_records(data, opts)
  local names, seen = {}, {}
  if opts and opts.columns then names = opts.columns
  else
    for _, rec in ipairs(data) do
      for k in pairs(rec) do
        if type(k) ~= "string" then error("pd.DataFrame: record keys must be column names (strings)", 3) end
        if not seen[k] then seen[k] = true; names[#names + 1] = k end
      end
    end
    table.sort(names)
  end
  local n = #data
  local cols = {}
  for j, nm in ipairs(names) do
    local t, object = { n = n }, false
    for i, rec in ipairs(data) do
      if not util.bare(rec) then error(("pd.DataFrame: record %d is not a table"):format(i), 3) end
      local v = rec[nm]
      if type(v) == "userdata" or type(v) == "table" then object = true end
      t[i] = v
    end
    if object then
      for i = 1, n do if t[i] == nil then t[i] = false end end
      cols[j] = C.new("string", t)
    else cols[j] = C.from_list(t, n) end
  end
  local index = opts and opts.index and S.as_index(opts.index, n, "pd.DataFrame") or nil
  return D.from_cols(names, cols, index)
end

-- A 2-D array as a table of columns named by opts.columns: pandas names
-- them 0, 1, ... but geolab's column names are strings, so they are asked for.
local function array_columns(a, opts)
  if a.ndim ~= 2 then
    error(("pd.DataFrame: an array must be 2-D (rows x columns), got %d-D%s"):format(a.ndim,
      a.ndim == 1 and "; a 1-D array is pd.Series(a) or pd.DataFrame{name = a}" or ""), 3)
  end
  local names = opts and opts.columns
  if type(names) ~= "table" or #names ~= a.shape[2] then
    error(("pd.DataFrame: give the %d column names of a 2-D array: pd.DataFrame(a, {columns = {...}})"):format(a.shape[2]), 3)
  end
  local t = {}
  for j, nm in ipairs(names) do t[#t + 1] = { nm, a[{ {}, j }] } end
  return t
end

function pd.DataFrame(data, opts)
  if opts == nil and util.bare(data) and keyword_form(data) then
    opts = { columns = data.columns, index = data.index }
    if data.dtype ~= nil then error("pd.DataFrame: dtype= is not supported (use astype)", 2) end
    data = data.data
  end
  check_options(opts, { "index", "columns" }, "pd.DataFrame")
  data = data or {}
  if D.is_frame(data) then return data:copy() end
  if type(data) == "userdata" and getmetatable(data) == ARRAY_MT then
    data = array_columns(data, opts)
    opts = opts and { index = opts.index } or nil
  elseif type(data) ~= "table" then
    error("pd.DataFrame: data must be a table of columns, a list of records, a 2-D array or a DataFrame, got " .. type(data), 2)
  end
  if util.bare(data[1]) and next(data[1]) ~= nil and data[1][1] == nil then return from_records(data, opts) end
  local names, vals = {}, {}
  if next(data) == nil and opts and opts.columns then   -- an empty frame that grows (df.loc[n] = row, pd.concat)
    local index = opts.index and S.as_index(opts.index, nil, "pd.DataFrame") or nil
    local n = index and index.n or 0
    local cols = {}
    for i = 1, #opts.columns do
      local t = { n = n }
      for r = 1, n do t[r] = false end
      cols[i] = C.new("string", t)
    end
    return D.from_cols(opts.columns, cols, index or C.range_index(0))
  end
  if data[1] ~= nil and type(data[1]) == "table" and data[1][2] ~= nil and type(data[1][1]) == "string" then
    for i, pair in ipairs(data) do names[i] = pair[1]; vals[i] = pair[2] end
  else
    if opts and opts.columns then
      for i, nm in ipairs(opts.columns) do
        if data[nm] == nil then error(("pd.DataFrame: no data for column '%s'"):format(nm), 2) end
        names[i] = nm
      end
    else
      for k in pairs(data) do
        if type(k) ~= "string" then error("pd.DataFrame: column names must be strings", 2) end
        names[#names + 1] = k
      end
      table.sort(names)
    end
    for i, nm in ipairs(names) do vals[i] = data[nm] end
  end
  local n
  for _, v in ipairs(vals) do
    if S.is_series(v) then n = v._c.n break
    elseif type(v) == "userdata" then n = select(2, fc.info(v)) break
    elseif type(v) == "table" then n = #v break end
  end
  local index = opts and opts.index and S.as_index(opts.index, nil, "pd.DataFrame") or nil
  if not n then n = index and index.n or 1 end
  local cols = {}
  for i, v in ipairs(vals) do
    cols[i] = D.as_col(v, n, nil, "pd.DataFrame")
    if S.is_series(v) and not index and v._index.kind ~= "range" then index = v._index end
  end
  return D.from_cols(names, cols, index)
end

function pd.from_arrays(arrays, names, opts)
  if type(names) ~= "table" or #names ~= #arrays then
    error("pd.from_arrays: give one name per array", 2)
  end
  local pairs_ = {}
  for i, a in ipairs(arrays) do pairs_[i] = { names[i], a } end
  return pd.DataFrame(pairs_, opts)
end

function pd.Series(values, opts)
  check_options(opts, { "index", "name", "dtype" }, "pd.Series")
  local c
  if S.is_series(values) then c = values._c
  elseif C.is_index(values) then
    c = values.kind == "range" and C.new("int", fc.range(values.start, values.n)) or C.new(values.kind, values.data, { cats = values.cats })
  elseif type(values) == "userdata" then c = C.from_array(values, nil, "pd.Series")
  elseif type(values) == "table" then c = C.from_list(values)
  else error("pd.Series: expected an array or a list", 2) end
  local ix = opts and opts.index and S.as_index(opts.index, c.n, "pd.Series") or nil
  local s = S.new(c, ix, opts and opts.name)
  if opts and opts.dtype then s = s:astype(opts.dtype) end
  return s
end

-- pd functions check their keywords as the methods do (frame_opts)
local function checked(fn, fname, allowed, at)
  return function(...)
    local args = table.pack(...)
    local o = args[at]
    if o ~= nil and not (util.bare(o) and (next(o) == nil or type(next(o)) == "string")) then
      if at > 1 or util.bare(o) then error(("%s: options must be a table, got %s"):format(fname, type(o)), 2) end
    end
    if util.bare(o) then check_options(o, allowed, fname) end
    return fn(table.unpack(args, 1, args.n))
  end
end
pd.to_datetime = checked(T.to_datetime, "pd.to_datetime", { "dayfirst", "unit" }, 2)
pd.date_range = function(start, stop, opts)
  if util.bare(start) and stop == nil and opts == nil then start, stop = nil, start end   -- pd.date_range{start=, ...}
  local o = opts
  if util.bare(stop) and opts == nil then o = stop end
  check_options(o, { "start", "end", "periods", "freq", "name", "tz", "normalize", "inclusive" }, "pd.date_range")
  if o and (o.tz or o.normalize or o.inclusive) then error("pd.date_range: tz, normalize and inclusive are not supported", 2) end
  if o and (o.start or o["end"]) then
    start = start or o.start
    if util.bare(stop) or stop == nil then stop = o["end"] end
    o = { periods = o.periods, freq = o.freq, name = o.name }
    return T.date_range(start, stop, o)
  end
  return T.date_range(start, stop, opts)
end
-- pd.Timedelta("5s"), or pd.Timedelta(value[, unit = "ns"]) as pandas.
function pd.Timedelta(x, unit)
  if unit ~= nil then
    local u = T.unit_ns(unit)
    if type(x) ~= "number" then error("pd.Timedelta: a unit goes with a number, got " .. type(x), 2) end
    if not u then error(("pd.Timedelta: unknown unit '%s'"):format(tostring(unit)), 2) end
    return T.timedelta(math.floor(x * u + 0.5))
  end
  return T.timedelta(T.parse_timedelta(x, "pd.Timedelta"))
end
function pd.Timestamp(x) return T.timestamp((T.ns_of(x, "pd.Timestamp"))) end
pd.concat = checked(J.concat, "pd.concat", { "axis", "ignore_index" }, 2)
pd.merge = checked(J.merge, "pd.merge", { "how", "on", "left_on", "right_on", "suffixes" }, 3)
pd.merge_asof = checked(J.merge_asof, "pd.merge_asof", { "on", "left_on", "right_on", "left_index", "right_index",
  "direction", "tolerance" }, 3)
pd.cut, pd.get_dummies, pd.pivot_table = R.cut, R.get_dummies, R.pivot_table
pd.NaT = nil

function pd.isna(x)
  if x == nil then return true end
  if type(x) == "number" then return x ~= x end
  if S.is_series(x) or D.is_frame(x) then return x:isna() end
  if type(x) == "userdata" then return require("geolab.array").isnan(x) end  -- pandas: elementwise
  return false
end
function pd.notna(x)
  local r = pd.isna(x)
  if type(r) == "boolean" then return not r end
  return x:notna()
end

-- Is x a frame object? (for other modules)
pd.is_frame, pd.is_series = D.is_frame, S.is_series

-- last: every method of DataFrame and Series checks its keywords
require("geolab.frame_opts").install()

return pd
