-- frame_df.lua: the DataFrame object: ordered named columns sharing one
-- index; selection, NA handling, sorting, statistics, conversion to arrays.
-- Time-series methods are added by frame_ts.lua, printing by frame_print.lua.
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local util = require "geolab.util"

local D = {}
local DataFrame = { __name = "geolab.DataFrame" }
local M = {}
D.DataFrame, D.methods = DataFrame, M
-- for REPL completion (vm/complete.c reads these without running __index)
DataFrame.__methods = M
DataFrame.__fields = { "columns", "index", "shape", "size", "ndim", "empty", "dtypes", "values", "loc", "iloc", "plot" }

function D.is_frame(x) return getmetatable(x) == DataFrame end

-- names: list; cols: list of columns; index: Index or nil (range).
function D.from_cols(names, cols, index)
  local n = cols[1] and cols[1].n or (index and index.n or 0)
  local map = {}
  for i, name in ipairs(names) do
    local c = cols[i]
    if c.n ~= n then
      error(("DataFrame: column '%s' has %d rows, expected %d"):format(tostring(name), c.n, n), 3)
    end
    if map[name] then error(("DataFrame: duplicate column name '%s'"):format(tostring(name)), 3) end
    map[name] = c
  end
  index = index or C.range_index(n)
  if index.n ~= n then error(("DataFrame: index has %d rows, columns %d"):format(index.n, n), 3) end
  local nm = {}
  for i, v in ipairs(names) do nm[i] = v end
  return setmetatable({ _names = nm, _cols = map, _index = index, _n = n }, DataFrame)
end

local function suggest(df, name)
  local w = tostring(name)
  return util.nearest(w, df._names, #w // 3 + 1)
end

-- The column named name, or an error naming the nearest column.
function D.col(df, name, fname, level)
  local c = df._cols[name]
  if c then return c end
  local near = suggest(df, name)
  error(("%s: column '%s' not found%s"):format(fname or "DataFrame", tostring(name),
    near and (" (did you mean '" .. near .. "'?)") or ""), (level or 2) + 1)
end

-- df.name / df["name"]: a Series that remembers its frame, so that
-- inplace=true on it writes back as in pandas.
function D.column_series(df, k)
  local s = S.new(df._cols[k], df._index, k)
  rawset(s, "_parent", df); rawset(s, "_pname", k)
  return s
end

function D.series(df, name)
  return S.new(D.col(df, name, "DataFrame", 3), df._index, name)
end

function DataFrame.__index(df, k)
  local m = M[k]
  if m then return m end
  if k == "columns" then
    local t = {}
    for i, v in ipairs(df._names) do t[i] = v end
    return util.list(t)
  elseif k == "index" then return rawget(df, "_index")
  elseif k == "shape" then return util.shape({ df._n, #df._names })
  elseif k == "size" then return df._n * #df._names
  elseif k == "ndim" then return 2
  elseif k == "empty" then return df._n == 0 or #df._names == 0
  elseif k == "dtypes" then
    local t = {}
    for i, nm in ipairs(df._names) do t[i] = C.dtype(df._cols[nm]) end
    return S.new(C.from_list(t), C.index(C.from_list(df._names)), nil)
  elseif k == "values" then return M.to_array(df)
  end
  local acc = D.accessors[k]
  if acc then return acc(df) end
  local tk = type(k)
  if tk == "string" then
    if df._cols[k] then return D.column_series(df, k) end
    if k:sub(1, 1) ~= "_" and not suggest(df, k) then  -- a mistyped method: df:groupbyy
      local near = util.nearest(k, util.public_names(M))
      if near then
        error(("DataFrame: no column or method '%s' (did you mean df:%s?)"):format(k, near), 2)
      end
    end
    D.col(df, k, "DataFrame", 2)
  elseif tk == "number" and df._cols[k] then   -- a numbered column (names={1, 2})
    return D.column_series(df, k)
  elseif tk == "table" and not S.is_series(k) then
    return M.select(df, k)
  elseif S.is_series(k) then
    if k._c.kind ~= "bool" then error("DataFrame: a selecting Series must be boolean", 2) end
    return M.take(df, fc.positions(k._c.data))
  elseif tk == "userdata" then
    return M.take(df, fc.positions(k))
  end
  error("DataFrame: cannot index with " .. tostring(k) .. " (use df.iloc or df.loc)", 2)
end

-- A column from any value for a frame of n rows with index ix.
function D.as_col(v, n, ix, fname)
  local c
  if S.is_series(v) then
    c = v._c
    if ix and v._index.kind ~= "range" and not S.same_index(ix, v._index) then
      -- align on labels (pandas): positions of ix labels in v's index
      local vi = v._index
      if not C.Index.__index(vi, "is_unique")(vi) then
        error(("%s: cannot align the Series on the index: it has repeated labels"):format(fname or "DataFrame"), 3)
      end
      c = C.take(c, D.indexer(vi, ix))
    end
  elseif type(v) == "userdata" then c = C.from_array(v)
  elseif type(v) == "table" and not C.is_index(v) then c = C.from_list(v)
  elseif C.is_index(v) then c = v
  elseif type(v) == "number" then
    c = C.new(math.type(v) == "integer" and "int" or "float", fc.full(n, v, math.type(v) == "integer" and "int64" or "float64"))
  elseif type(v) == "boolean" then c = C.new("bool", fc.full(n, v, "bool"))
  elseif type(v) == "string" then
    local t = { n = n }
    for i = 1, n do t[i] = v end
    c = C.new("string", t)
  else error(("%s: cannot make a column from %s"):format(fname or "DataFrame", type(v)), 3) end
  if c.n ~= n then
    error(("%s: length of values (%d) does not match length of index (%d)"):format(fname or "DataFrame", c.n, n), 3)
  end
  if c.kind == "range" then c = C.new("int", fc.range(c.start, c.n)) end
  return c
end

-- positions (1-based, 0 missing) of the labels of index `tgt` in index `src`
function D.indexer(src, tgt)
  if src.kind == "datetime" and tgt.kind == "datetime" then
    return fc.index_match(src.data, tgt.data, "exact")
  end
  local lt, out = C.tolist(tgt), {}
  for i = 1, tgt.n do
    local l = lt[i] ~= nil and C.Index.__index(src, "get_locs")(src, lt[i]) or {}
    out[i] = l[1] or 0
  end
  return tgt.n > 0 and fc.asarray(out, "int64") or fc.full(0, 0, "int64")
end

function DataFrame.__newindex(df, k, v)
  if k == "index" then
    rawset(df, "_index", S.as_index(v, df._n, "DataFrame.index"))
    return
  elseif k == "columns" then
    if #v ~= #df._names then error(("DataFrame.columns: expected %d names, got %d"):format(#df._names, #v), 2) end
    local map = {}
    for i, nm in ipairs(v) do map[nm] = df._cols[df._names[i]] end
    rawset(df, "_names", { table.unpack(v) })
    rawset(df, "_cols", map)
    return
  end
  if type(k) ~= "string" then error("DataFrame: column names must be strings", 2) end
  if v == nil then D.drop_inplace(df, k) return end
  local c = D.as_col(v, df._n, df._index, "DataFrame")
  if not df._cols[k] then df._names[#df._names + 1] = k end
  df._cols[k] = c
end

function DataFrame.__len(df) return df._n end

-- {====================================================================
-- Selection
-- ====================================================================}

function M.get(df, name, default)
  if df._cols[name] then return S.new(df._cols[name], df._index, name) end
  return default
end

function M.select(df, names)
  local cols = {}
  for i, nm in ipairs(names) do cols[i] = D.col(df, nm, "DataFrame", 3) end
  return D.from_cols(names, cols, df._index)
end

function M.take(df, pos)
  pos = S.take_positions(pos, "take")
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = C.take(df._cols[nm], pos) end
  local ix = C.index(C.take(df._index, pos), df._index.name)
  if df._index.kind == "range" then
    ix = C.index(C.take(df._index, pos), df._index.name)
  end
  return D.from_cols(df._names, cols, ix)
end

function M.head(df, n)
  n = math.max(0, math.min(n or 5, df._n))
  return M.take(df, fc.range(1, n))
end
function M.tail(df, n)
  n = math.max(0, math.min(n or 5, df._n))
  return M.take(df, fc.range(df._n - n + 1, n))
end

function M.copy(df)
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = df._cols[nm] end
  return D.from_cols(df._names, cols, df._index)
end

-- A mapping as pandas takes it: a {old = new} table or a function.
local function mapper_fn(m, fname)
  if type(m) == "function" then return m end
  if type(m) == "table" then return function(v) local r = m[v]; if r == nil then return v end return r end end
  error(fname .. ": a mapping must be a table {old = new} or a function", 4)
end

-- rename(mapper) renames columns (pandas needs columns=; a bare mapping
-- renames index labels there, which a geolab script never wants);
-- {columns=, index=, axis=}.
function M.rename(df, mapper, opts)
  opts = opts or {}
  local cmap, imap = opts.columns, opts.index
  if mapper ~= nil then
    if D.axis_number(opts.axis, "DataFrame.rename", 3) == 0 and opts.axis ~= nil then imap = mapper else cmap = mapper end
  end
  local names, cols = {}, {}
  local f = cmap and mapper_fn(cmap, "DataFrame.rename")
  for i, nm in ipairs(df._names) do
    names[i] = f and f(nm) or nm
    cols[i] = df._cols[nm]
  end
  local ix = df._index
  if imap then
    local g, labels = mapper_fn(imap, "DataFrame.rename"), C.tolist(ix)
    for i = 1, ix.n do labels[i] = g(labels[i]) end
    ix = C.index(C.from_list(labels, ix.n), ix.name)
  end
  return D.from_cols(names, cols, ix)
end

-- drop(labels [, {axis=}]), drop{labels..., axis=}, drop{columns=}, drop{index=}:
-- pandas' rules, so labels alone are row labels (axis 0) and columns need
-- axis = 1 or columns =.
local drop_opts = { "axis", "columns", "errors", "index", "labels" }
local function as_list(v) if v == nil then return nil end; return type(v) == "table" and v or { v } end

local function drop_rows(df, labels, strict)
  local gone = {}
  for _, v in ipairs(labels) do
    local locs = df._index:get_locs(v)
    if #locs == 0 and strict then
      local hint = df._cols[v] ~= nil and (" ('%s' is a column: drop it with {axis = 1} or {columns = ...}, as in pandas)"):format(tostring(v)) or ""
      error(("drop: label %s not found in axis 0 (the index)%s"):format(tostring(v), hint), 4)
    end
    for _, i in ipairs(locs) do gone[i] = true end
  end
  local keep = {}
  for i = 1, df._n do if not gone[i] then keep[#keep + 1] = i end end
  return M.take(df, #keep > 0 and np.array(keep, "int64") or fc.full(0, 0, "int64"))
end

function M.drop(df, labels, opts)
  if type(labels) == "table" and opts == nil and (labels.axis ~= nil or labels.columns ~= nil
      or labels.index ~= nil or labels.labels ~= nil or labels.errors ~= nil) then
    labels, opts = nil, labels                     -- keyword form: drop{..., axis = 1}
  end
  util.check_options(opts, drop_opts, "drop", 2, { skip = true })
  opts = opts or {}
  local lab = as_list(labels) or as_list(opts.labels) or (opts[1] ~= nil and opts) or nil
  local errors = opts.errors or "raise"
  if errors ~= "raise" and errors ~= "ignore" then error("drop: errors must be 'raise' or 'ignore'", 2) end
  local strict = errors == "raise"
  local cols, rows = as_list(opts.columns), as_list(opts.index)
  if lab then
    if cols or rows then error("drop: cannot specify both 'labels' and 'index'/'columns'", 2) end
    if D.axis_number(opts.axis, "drop") == 1 then cols = lab else rows = lab end
  elseif not (cols or rows) then
    error("drop: need at least one of 'labels', 'index' or 'columns'", 2)
  end
  local r = df
  if cols then
    local gone = {}
    for _, nm in ipairs(cols) do
      if strict then D.col(df, nm, "drop", 3) end
      gone[nm] = true
    end
    local names, cs = {}, {}
    for _, nm in ipairs(df._names) do
      if not gone[nm] then names[#names + 1] = nm; cs[#cs + 1] = df._cols[nm] end
    end
    r = D.from_cols(names, cs, df._index)
  end
  if rows then r = drop_rows(r, rows, strict) end
  return r
end

-- df.loc[label] = row for a new label (pandas' setting with enlargement):
-- row is a list in column order, a {name = value} table, a Series by column
-- label or one value for every column.
function D.append_row(df, label, row, fname)
  local vals = {}
  if S.is_series(row) then
    local labels = C.tolist(row._index)
    local byl = {}
    for i = 1, row._c.n do byl[labels[i]] = C.get(row._c, i) end
    for i, nm in ipairs(df._names) do vals[i] = byl[nm] end
  elseif util.bare(row) then
    if #row > 0 then
      if #row ~= #df._names then
        error(("%s: cannot set a row with %d values in a frame of %d columns"):format(fname, #row, #df._names), 3)
      end
      for i = 1, #row do vals[i] = row[i] end
    else
      for k in pairs(row) do D.col(df, k, fname, 3) end
      for i, nm in ipairs(df._names) do vals[i] = row[nm] end
    end
  else
    for i = 1, #df._names do vals[i] = row end
  end
  local cols = {}
  for i, nm in ipairs(df._names) do
    local v = vals[i]
    local new = (type(v) == "userdata" or type(v) == "table") and C.new("string", { v, n = 1 }) or C.from_list({ v }, 1)
    local old = df._cols[nm]
    cols[nm] = old.n == 0 and new or C.concat { old, new }
  end
  local ix = df._index
  local textual = ix.kind == "string" or ix.kind == "category"
  if ix.n > 0 and (type(label) == "string") ~= textual then
    error(("%s: label %s does not match the index labels (%s); a mixed index is not supported"):format(
      fname, type(label) == "string" and ("'" .. label .. "'") or tostring(label), C.dtype(ix)), 3)
  end
  if ix.kind == "range" and math.type(label) == "integer" and (label == ix.start + ix.n or ix.n == 0 and label >= 0) then
    ix = C.range_index(ix.n + 1, ix.n == 0 and label or ix.start)
    ix.name = df._index.name
  else
    local old = ix.kind == "range" and C.new("int", fc.range(ix.start, ix.n)) or ix
    ix = C.index(C.concat { old, C.from_list({ label }, 1) }, df._index.name)
  end
  rawset(df, "_cols", cols); rawset(df, "_index", ix); rawset(df, "_n", df._n + 1)
end

function D.drop_inplace(df, name)
  D.col(df, name, "DataFrame", 3)
  for i, nm in ipairs(df._names) do if nm == name then table.remove(df._names, i) break end end
  df._cols[name] = nil
end

function M.assign(df, t)
  local r = M.copy(df)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "function" then v = v(r) end
    r[k] = v
  end
  return r
end

-- set_index(keys): a column name, a Series/array/list of labels
function M.set_index(df, name, opts)
  opts = opts or {}
  local r, ix
  -- a column's label: a string, or a number when the columns are numbered (names={1, 2})
  if type(name) == "string" or (type(name) == "number" and df._cols[name] ~= nil) then
    local c = D.col(df, name, "DataFrame.set_index", 3)
    r = opts.drop == false and M.copy(df) or M.drop(df, nil, { columns = { name } })
    ix = C.index(c, name)
  elseif type(name) == "table" and not S.is_series(name) and getmetatable(name) == nil and #name == 1 and type(name[1]) == "string" then
    return M.set_index(df, name[1], opts)
  elseif name == nil then error("DataFrame.set_index: give a column name", 2)
  elseif type(name) == "table" and getmetatable(name) == nil and type(name[1]) == "string" and df._cols[name[1]] then
    error("DataFrame.set_index: a MultiIndex (several key columns) is not supported; combine the keys into one column", 2)
  else
    r, ix = M.copy(df), S.as_index(name, df._n, "DataFrame.set_index")
    if S.is_series(name) then ix.name = name.name end
  end
  if opts.verify_integrity and not C.Index.__index(ix, "is_unique")(ix) then
    error("DataFrame.set_index: index has duplicate keys", 2)
  end
  rawset(r, "_index", ix)
  return r
end

function M.reset_index(df, opts)
  local ix = df._index
  local names, cols = {}, {}
  local nm = opts and opts.names or ix.name or "index"
  -- a groupby on several keys already holds its keys as columns (frame_join):
  -- pandas' reset_index of its MultiIndex result gives this frame, no 'index'
  if rawget(df, "_group_keys") and ix.kind == "range" then opts = { drop = true } end
  if not (opts and opts.drop) and ix.kind ~= "range" then
    names[1] = nm
    cols[1] = C.new(ix.kind, ix.data, { cats = ix.cats })
  elseif not (opts and opts.drop) then
    names[1] = nm
    cols[1] = C.new("int", fc.range(ix.start, ix.n))
  end
  for _, nm in ipairs(df._names) do names[#names + 1] = nm; cols[#cols + 1] = df._cols[nm] end
  return D.from_cols(names, cols, C.range_index(df._n))
end

-- {====================================================================
-- Missing values
-- ====================================================================}

function M.isna(df)
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = C.new("bool", C.isna_array(df._cols[nm])) end
  return D.from_cols(df._names, cols, df._index)
end
M.isnull = M.isna

function M.notna(df)
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = C.new("bool", np.logical_not(C.isna_array(df._cols[nm]))) end
  return D.from_cols(df._names, cols, df._index)
end
M.notnull = M.notna

-- dropna{how=, thresh=, subset=, axis=}: rows (axis=0) or columns (axis=1)
-- with missing values.
function M.dropna(df, opts)
  opts = opts or {}
  local how = opts.how or "any"
  if how ~= "any" and how ~= "all" then error("DataFrame.dropna: option 'how' must be 'any' or 'all'", 2) end
  local thresh = opts.thresh
  if thresh ~= nil and math.type(thresh) ~= "integer" then error("DataFrame.dropna: option 'thresh' must be an integer", 2) end
  if thresh and opts.how then error("DataFrame.dropna: give how or thresh, not both", 2) end
  if D.axis_number(opts.axis, "DataFrame.dropna", 2) == 1 then
    local names, cols = {}, {}
    local rows = opts.subset and fc.range(1, 0) or nil
    if opts.subset then
      local sub = type(opts.subset) == "table" and opts.subset or { opts.subset }
      local pos = {}
      for _, l in ipairs(sub) do
        local locs = C.Index.__index(df._index, "get_locs")(df._index, l)
        if #locs == 0 then error(("DataFrame.dropna: label %s not in the index"):format(tostring(l)), 2) end
        for _, p in ipairs(locs) do pos[#pos + 1] = p end
      end
      rows = fc.asarray(pos, "int64")
    end
    for _, nm in ipairs(df._names) do
      local c = df._cols[nm]
      local na = C.isna_array(rows and C.take(c, rows) or c)
      local k = select(2, fc.info(na))
      local nna = math.tointeger(np.sum(fc.astype(na, "int64"))) or 0
      local drop
      if thresh then drop = k - nna < thresh
      elseif how == "any" then drop = nna > 0 else drop = nna == k and k > 0 end
      if not drop then names[#names + 1] = nm; cols[#cols + 1] = c end
    end
    return D.from_cols(names, cols, df._index)
  end
  local subset = opts.subset or df._names
  if type(subset) == "string" then subset = { subset } end
  if thresh then
    local cnt = fc.full(df._n, 0, "int64")
    for _, nm in ipairs(subset) do
      cnt = np.add(cnt, fc.astype(np.logical_not(C.isna_array(D.col(df, nm, "DataFrame.dropna", 3))), "int64"))
    end
    return M.take(df, fc.positions(np.greater_equal(cnt, thresh)))
  end
  local keep
  for _, nm in ipairs(subset) do
    local na = C.isna_array(D.col(df, nm, "DataFrame.dropna", 3))
    if keep == nil then keep = na
    elseif how == "any" then keep = np.logical_or(keep, na)
    else keep = np.logical_and(keep, na) end
  end
  if keep == nil then return M.copy(df) end
  return M.take(df, fc.positions(np.logical_not(keep)))
end

-- fillna(value | {column = value}, {method=, limit=})
function M.fillna(df, value, opts)
  opts = opts or {}
  if opts.axis ~= nil and D.axis_number(opts.axis, "DataFrame.fillna", 2) ~= 0 then
    error("DataFrame.fillna: only axis=0 is supported", 2)
  end
  if value == nil and opts.method == nil then error("DataFrame.fillna: give a value or method=", 2) end
  if value ~= nil and opts.method ~= nil then error("DataFrame.fillna: give a value or method=, not both", 2) end
  local bycol = type(value) == "table" and not S.is_series(value) and getmetatable(value) == nil
  local so = { method = opts.method, limit = opts.limit }
  local cols = {}
  for i, nm in ipairs(df._names) do
    local s = S.new(df._cols[nm], df._index, nm)
    local v = value
    if bycol then v = value[nm] end
    if opts.method then cols[i] = S.methods.fillna(s, nil, so)._c
    elseif v == nil then cols[i] = df._cols[nm]
    else cols[i] = S.methods.fillna(s, v, so)._c end
  end
  return D.from_cols(df._names, cols, df._index)
end

function M.astype(df, dtype)
  local cols = {}
  for i, nm in ipairs(df._names) do
    local t = type(dtype) == "table" and dtype[nm] or (type(dtype) == "string" and dtype) or nil
    cols[i] = t and S.new(df._cols[nm], df._index, nm):astype(t)._c or df._cols[nm]
  end
  if type(dtype) == "table" then for k in pairs(dtype) do D.col(df, k, "astype", 3) end end
  return D.from_cols(df._names, cols, df._index)
end

-- {====================================================================
-- Sorting
-- ====================================================================}

function M.sort_values(df, by, opts)
  if by == nil then error("DataFrame.sort_values: give by= (a column name or a list)", 2) end
  if type(by) ~= "table" then by = { by } end
  opts = opts or {}
  if D.axis_number(opts.axis, "DataFrame.sort_values", 2) ~= 0 then
    error("DataFrame.sort_values: only axis=0 is supported", 2)
  end
  local asc = opts.ascending
  -- stable sorts from the last key to the first
  local pos = fc.range(1, df._n)
  for k = #by, 1, -1 do
    local c = C.take(D.col(df, by[k], "sort_values", 3), pos)
    local a = asc
    if type(asc) == "table" then a = asc[k] end
    local o = S.order(c, a ~= false, opts.na_position, "DataFrame.sort_values")
    pos = fc.take(pos, o)
  end
  local r = M.take(df, pos)
  if opts.ignore_index then rawset(r, "_index", C.range_index(r._n)) end
  return r
end

function M.sort_index(df, opts)
  opts = opts or {}
  local asc = opts.ascending ~= false
  if D.axis_number(opts.axis, "DataFrame.sort_index", 2) == 1 then
    local names = table.move(df._names, 1, #df._names, 1, {})
    table.sort(names, function(a, b) if asc then return tostring(a) < tostring(b) end return tostring(a) > tostring(b) end)
    return M.select(df, names)
  end
  local r = M.take(df, S.order(df._index, asc, opts.na_position, "DataFrame.sort_index"))
  if opts.ignore_index then rawset(r, "_index", C.range_index(r._n)) end
  return r
end

-- {====================================================================
-- Statistics
-- ====================================================================}

function D.numeric_names(df, dates)
  local t = {}
  for _, nm in ipairs(df._names) do
    local c = df._cols[nm]
    if C.is_numeric(c) or (dates and c.kind == "datetime") then t[#t + 1] = nm end
  end
  return t
end

-- pandas' axis argument: 0 or "index"/"rows" (down the rows: one value per
-- column), 1 or "columns" (across the columns: one value per row). Same
-- numbers as NumPy's axes and as in pandas, so df:mean{axis = 1} is row means.
function D.axis_number(axis, fname, level)
  if axis == nil or axis == 0 or axis == "index" or axis == "rows" then return 0 end
  if axis == 1 or axis == "columns" then return 1 end
  error(("%s: No axis named %s for object type DataFrame (axis is 0 or 'index', 1 or 'columns')")
    :format(fname, tostring(axis)), (level or 2) + 1)
end

-- Reduces each row over the numeric columns, skipping NaN as pandas does.
local function rowwise(df, how, opts)
  local names = {}
  for _, nm in ipairs(df._names) do
    if how == "count" or C.is_numeric(df._cols[nm]) then names[#names + 1] = nm end
  end
  local n, k = df._n, #names
  if how == "count" then
    local cnt = fc.full(n, 0, "int64")
    for _, nm in ipairs(names) do
      cnt = cnt + np.logical_not(C.isna_array(df._cols[nm])):astype("int64")
    end
    return S.new(C.new("int", cnt), df._index, nil)
  end
  local arrs, allint = {}, true
  for i, nm in ipairs(names) do
    local c = df._cols[nm]
    arrs[i] = C.float_array(c)
    if c.kind ~= "int" and c.kind ~= "bool" and c.kind ~= "range" then allint = false end
  end
  local ddof = type(opts) == "table" and opts.ddof or 1
  local r
  if k == 0 then r = fc.full(n, 0 / 0, "float64")
  else
    local flat = fc.column_stack(arrs, "float64"):ravel()
    local codes = np.rep(np.arange(n), k)   -- row i owns items i*k .. i*k+k-1 of flat
    r = fc.group_reduce(codes, n, flat, how, ddof)
  end
  if how == "sum" or how == "prod" then    -- an all-NaN row sums to 0, multiplies to 1 (pandas)
    r = np.where(r:isnan(), how == "sum" and 0 or 1, r)
  end
  if allint and k > 0 and (how == "sum" or how == "prod" or how == "min" or how == "max") then
    return S.new(C.new("int", r:astype("int64")), df._index, nil)
  end
  return S.new(C.new("float", r), df._index, nil)
end

local function colwise(how, numeric_only)
  return function(df, opts)
    opts = opts or {}
    if D.axis_number(opts.axis, "DataFrame." .. how) == 1 then return rowwise(df, how, opts) end
    numeric_only = numeric_only or opts.numeric_only
    local so = { skipna = opts.skipna, ddof = opts.ddof, min_count = opts.min_count }
    local names, vals = {}, {}
    for _, nm in ipairs(df._names) do
      local c = df._cols[nm]
      if C.is_numeric(c) or (not numeric_only and (c.kind == "datetime" or c.kind == "string")) then
        local s = S.new(c, df._index, nm)
        local ok, v = pcall(S.methods[how], s, so)
        if ok then names[#names + 1] = nm; vals[#vals + 1] = v == nil and 0 / 0 or v end
      end
    end
    return S.new(C.from_list(vals, #vals), C.index(C.from_list(names)), nil)
  end
end
for _, how in ipairs { "mean", "std", "var", "median", "sum", "prod" } do M[how] = colwise(how, true) end
for _, how in ipairs { "min", "max", "count", "first", "last", "nunique" } do M[how] = colwise(how, false) end

function M.describe(df, opts)
  local names = D.numeric_names(df)
  if #names == 0 then error("describe: no numeric columns", 2) end
  local pct = opts and opts.percentiles or { 0.25, 0.5, 0.75 }
  local labels = { "count", "mean", "std", "min" }
  for _, p in ipairs(pct) do
    local s = ("%g"):format(p * 100)
    labels[#labels + 1] = s .. "%"
  end
  labels[#labels + 1] = "max"
  local cols = {}
  for i, nm in ipairs(names) do
    local count, mean, std, mn, qs, mx = fc.stats(C.float_array(df._cols[nm]), pct)
    local v = { count + 0.0, mean, std, mn }
    for _, q in ipairs(qs) do v[#v + 1] = q end
    v[#v + 1] = mx
    cols[i] = C.new("float", fc.asarray(v, "float64"))
  end
  return D.from_cols(names, cols, C.index(C.from_list(labels)))
end

local function corrmat(df, method, minp)
  local names = D.numeric_names(df)
  local arrs = {}
  for i, nm in ipairs(names) do arrs[i] = C.float_array(df._cols[nm]) end
  local m = fc.corr(arrs, method, minp or 1)
  local cols = {}
  for j = 1, #names do cols[j] = C.new("float", fc.column(m, j)) end
  return D.from_cols(names, cols, C.index(C.from_list(names)))
end
function M.corr(df, opts)
  local method = type(opts) == "string" and opts or (opts and opts.method) or "pearson"
  if method ~= "pearson" and method ~= "spearman" then
    error("corr: method must be 'pearson' or 'spearman', got '" .. tostring(method) .. "'", 2)
  end
  return corrmat(df, method, opts and type(opts) == "table" and opts.min_periods)
end
function M.cov(df, opts) return corrmat(df, "cov", opts and opts.min_periods) end

function M.to_array(df, cols, dtype)
  if type(cols) == "string" then cols, dtype = nil, cols end
  cols = cols or df._names
  local arrs = {}
  for i, nm in ipairs(cols) do
    local c = D.col(df, nm, "to_array", 3)
    if c.kind == "string" then error(("to_array: column '%s' holds strings"):format(nm), 2) end
    arrs[i] = c.kind == "datetime" and c.data or C.float_array(c)
  end
  return fc.column_stack(arrs, dtype or "float64")
end
M.to_numpy = M.to_array

function M.value_counts(df, cols)
  cols = cols or df._names
  local keys, cnt, order = {}, {}, {}
  for i = 1, df._n do
    local parts = {}
    for j, nm in ipairs(cols) do parts[j] = tostring(C.get(df._cols[nm], i)) end
    local key = table.concat(parts, "\0")
    if not cnt[key] then cnt[key] = 0; order[#order + 1] = key; keys[key] = i end
    cnt[key] = cnt[key] + 1
  end
  table.sort(order, function(a, b) if cnt[a] ~= cnt[b] then return cnt[a] > cnt[b] end return keys[a] < keys[b] end)
  local pos, counts = {}, {}
  for i, k in ipairs(order) do pos[i] = keys[k]; counts[i] = cnt[k] end
  local sub = M.take(M.select(df, cols), fc.asarray(pos, "int64"))
  return S.new(C.from_list(counts), C.index(C.from_list((function()
    local t = {}
    for i = 1, #pos do
      local parts = {}
      for j, nm in ipairs(cols) do parts[j] = tostring(C.get(sub._cols[nm], i)) end
      t[i] = table.concat(parts, ", ")
    end
    return t
  end)())), "count")
end

function M.unique(df, name) return S.methods.unique(D.series(df, name)) end
function M.nunique(df)
  return colwise("nunique", false)(df)
end

-- {====================================================================
-- apply / map / iteration
-- ====================================================================}

function M.apply(df, f, opts)
  if D.axis_number(opts and opts.axis, "apply") == 1 then   -- f(row) per row, row as a table by name
    local out = {}
    for i = 1, df._n do
      local row = {}
      for _, nm in ipairs(df._names) do row[nm] = C.get(df._cols[nm], i) end
      out[i] = f(row)
    end
    return S.new(C.from_list(out, df._n), df._index, nil)
  end
  local names, vals, allseries = {}, {}, true
  for _, nm in ipairs(df._names) do
    local r = f(S.new(df._cols[nm], df._index, nm))
    names[#names + 1] = nm
    vals[#vals + 1] = r
    if not S.is_series(r) then allseries = false end
  end
  if allseries and #vals > 0 then
    local cols = {}
    for i, r in ipairs(vals) do cols[i] = r._c end
    return D.from_cols(names, cols, vals[1]._index)
  end
  return S.new(C.from_list(vals, #vals), C.index(C.from_list(names)), nil)
end

function M.map(df, f)
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = S.methods.apply(S.new(df._cols[nm], df._index, nm), f)._c end
  return D.from_cols(df._names, cols, df._index)
end
M.applymap = M.map

function M.iterrows(df)
  local i = 0
  return function()
    i = i + 1
    if i > df._n then return nil end
    local row = {}
    for _, nm in ipairs(df._names) do row[nm] = C.get(df._cols[nm], i) end
    return C.get(df._index, i), row
  end
end

function M.items(df)
  local i = 0
  return function()
    i = i + 1
    local nm = df._names[i]
    if nm ~= nil then return nm, S.new(df._cols[nm], df._index, nm) end
  end
end

function M.to_csv(df, path, opts)
  local fn = "DataFrame.to_csv"
  if type(path) ~= "string" then
    error(("%s: path must be a string, got %s"):format(fn, type(path)), 2)
  end
  local sep, na_rep = opts and opts.sep, opts and opts.na_rep
  if sep == nil then sep = "," end
  if na_rep == nil then na_rep = "" end
  -- pandas' (csv module's) own words; a longer or empty sep would otherwise
  -- be cut to its first byte (or a NUL) without a word
  if type(sep) ~= "string" then error(('%s: "delimiter" must be string, not %s'):format(fn, type(sep)), 2) end
  if #sep ~= 1 then error(('%s: "delimiter" must be a 1-character string, got %q'):format(fn, sep), 2) end
  if type(na_rep) ~= "string" then error(("%s: na_rep must be a string, got %s"):format(fn, type(na_rep)), 2) end
  if opts and opts.index ~= nil and type(opts.index) ~= "boolean" then
    error(("%s: index must be true or false, got %s"):format(fn, type(opts.index)), 2)
  end
  local names, cols, kinds = {}, {}, {}
  local withindex = not (opts and opts.index == false)
  if withindex then
    local ix = df._index
    names[1] = ix.name or ""
    cols[1] = ix.kind == "range" and fc.range(ix.start, ix.n) or (ix.kind == "string" and ix.data or ix.data)
    kinds[1] = ix.kind == "datetime" and "datetime" or "other"
    if ix.kind == "category" then cols[1] = C.tolist(ix) end
  end
  for _, nm in ipairs(df._names) do
    local c = df._cols[nm]
    names[#names + 1] = nm
    cols[#cols + 1] = c.kind == "category" and (function() local t = C.tolist(c) t.n = c.n return t end)() or c.data
    kinds[#kinds + 1] = c.kind == "datetime" and "datetime" or "other"
  end
  fc.write_csv(path, names, cols, kinds, sep, na_rep)
end

return D
