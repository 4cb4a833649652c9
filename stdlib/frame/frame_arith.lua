-- frame_arith.lua: DataFrame arithmetic as pandas does it (df + df aligned on
-- the index and the columns, df * scalar, df / series matching the Series'
-- labels to the columns), text concatenation (+ on text Series as pandas,
-- .. as Lua's), Series.str.cat, and the add/sub/mul/div method forms.
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local util = require "geolab.util"

local A = {}
local Series, DataFrame = S.Series, D.DataFrame

-- {====================================================================
-- Text: + and .. on Series, str.cat
-- ====================================================================}

local function is_text(x) return type(x) == "string" or (S.is_series(x) and x._c.kind == "string") end

-- element i of operand x (a Series or a scalar) as a Lua value; nil if missing
local function elem(x, i)
  if S.is_series(x) then return C.get(x._c, i) end
  return x
end

-- a .. b elementwise; strict: both sides must be strings (pandas' +), else
-- numbers print as Lua prints them (Lua's ..).
local function text_join(a, b, strict, fname)
  if S.is_series(a) and S.is_series(b) then a, b = S.align(a, b, fname) end
  local s = S.is_series(a) and a or b
  local n = s._c.n
  local out = { n = n }
  for i = 1, n do
    local x, y = elem(a, i), elem(b, i)
    if x == nil or y == nil then out[i] = false
    else
      if strict and (type(x) ~= "string" or type(y) ~= "string") then
        error(("%s: cannot add %s and %s values (convert with astype('str') first)"):format(fname,
          type(x) == "string" and "text" or type(x), type(y) == "string" and "text" or type(y)), 3)
      end
      if type(x) == "boolean" then x = x and "True" or "False" end
      if type(y) == "boolean" then y = y and "True" or "False" end
      out[i] = tostring(x) .. tostring(y)
    end
  end
  local name = s.name
  if S.is_series(a) and S.is_series(b) and a.name ~= b.name then name = nil end
  return S.new(C.new("string", out), s._index, name)
end

local add = Series.__add
function Series.__add(a, b)
  if is_text(a) or is_text(b) then return text_join(a, b, true, "Series") end
  return add(a, b)
end
function Series.__concat(a, b) return text_join(a, b, false, "Series") end

-- s.str:cat([others], {sep=, na_rep=}): one string of all values (no others),
-- or elementwise with others (a Series or list).
local function str_cat(s, others, opts)
  if util.bare(others) and opts == nil and (others.sep ~= nil or others.na_rep ~= nil or others.others ~= nil or others.join ~= nil) then
    opts, others = others, nil
  end
  opts = util.check_options(opts, { "others", "sep", "na_rep", "join" }, "Series.str.cat", 2,
    { notable = "%s: options must be a table", strict = true })
  others = others or opts.others
  local sep, na = opts.sep or "", opts.na_rep
  if type(sep) ~= "string" then error("Series.str.cat: sep must be a string", 2) end
  local n = s._c.n
  if others == nil then
    local parts = {}
    for i = 1, n do
      local v = C.get(s._c, i)
      if v ~= nil then parts[#parts + 1] = tostring(v) elseif na ~= nil then parts[#parts + 1] = na end
    end
    return table.concat(parts, sep)
  end
  local o = others
  if util.bare(o) then o = S.new(C.from_list(o, #o)) end
  if not S.is_series(o) then error("Series.str.cat: others must be a Series or a list", 2) end
  if o._c.n ~= n and not S.is_series(others) then
    error(("Series.str.cat: others has %d values, the Series %d"):format(o._c.n, n), 2)
  end
  local a, b = s, o
  if S.is_series(others) then a, b = S.align(s, o, "Series.str.cat") end
  local out = { n = a._c.n }
  for i = 1, a._c.n do
    local x, y = C.get(a._c, i), C.get(b._c, i)
    if x == nil then x = na end
    if y == nil then y = na end
    out[i] = (x ~= nil and y ~= nil) and (tostring(x) .. sep .. tostring(y)) or false
  end
  return S.new(C.new("string", out), a._index, s.name)
end
S.str_extra = { cat = str_cat }

-- {====================================================================
-- DataFrame arithmetic
-- ====================================================================}

local OPS = {
  add = Series.__add, sub = Series.__sub, mul = Series.__mul, div = Series.__div,
  pow = Series.__pow, mod = Series.__mod, floordiv = Series.__idiv,
}

local function col_series(df, nm) return S.new(df._cols[nm], df._index, nm) end

-- columns of the result: the same list when equal, else the sorted union (pandas)
local function union_names(a, b)
  local same = #a == #b
  if same then for i = 1, #a do if a[i] ~= b[i] then same = false break end end end
  if same then return a end
  local seen, u = {}, {}
  for _, l in ipairs { a, b } do
    for _, nm in ipairs(l) do if not seen[nm] then seen[nm] = true; u[#u + 1] = nm end end
  end
  table.sort(u, function(x, y) return tostring(x) < tostring(y) end)
  return u
end

local function nan_col(n) return C.new("float", fc.full(n, 0 / 0, "float64")) end

local function numeric_or_text(c, nm, opname, other)
  if C.is_numeric(c) or (c.kind == "string" and opname == "add" and is_text(other)) then return end
  error(("DataFrame: cannot apply %s to column '%s' of dtype %s"):format(opname, tostring(nm), C.dtype(c)), 4)
end

local function frame_op(opname)
  local f = OPS[opname]
  return function(a, b)
    local lf, rf = D.is_frame(a), D.is_frame(b)
    if lf and rf then
      -- one union index for all columns: align two index-only Series
      local ia, ib = S.align(S.new(nan_col(a._n), a._index), S.new(nan_col(b._n), b._index), "DataFrame")
      local ix = ia._index
      local names = union_names(a._names, b._names)
      local cols = {}
      for i, nm in ipairs(names) do
        local ca, cb = a._cols[nm], b._cols[nm]
        if ca and cb then
          cols[i] = f(col_series(a, nm), col_series(b, nm))._c
        else
          cols[i] = nan_col(ix.n)
        end
      end
      return D.from_cols(names, cols, ix)
    end
    local df, other, left = a, b, true
    if rf then df, other, left = b, a, false end
    if S.is_series(other) then   -- labels of the Series meet the columns (pandas axis='columns')
      local labels = C.tolist(other._index)
      local byl = {}
      for i = 1, other._index.n do if labels[i] ~= nil then byl[labels[i]] = C.get(other._c, i) end end
      local names = union_names(df._names, labels)
      local cols = {}
      for i, nm in ipairs(names) do
        local c = df._cols[nm]
        local v = byl[nm]
        if c == nil or v == nil then cols[i] = nan_col(df._n)
        else
          numeric_or_text(c, nm, opname, v)
          local s = col_series(df, nm)
          cols[i] = (left and f(s, v) or f(v, s))._c
        end
      end
      return D.from_cols(names, cols, df._index)
    end
    if type(other) == "userdata" then
      local _, size, nd = fc.info(other)
      if nd ~= 1 or size ~= #df._names then
        error(("DataFrame: an array operand must be 1-D with one value per column (%d), got %d values"):format(#df._names, size), 3)
      end
      other = other:totable()
    end
    local per_col = util.bare(other)
    if per_col and #other ~= #df._names then
      error(("DataFrame: a list operand needs one value per column (%d), got %d"):format(#df._names, #other), 3)
    end
    if not per_col and type(other) ~= "number" and type(other) ~= "string" and type(other) ~= "boolean" then
      error("DataFrame: cannot combine a DataFrame with " .. type(other), 3)
    end
    local cols = {}
    for i, nm in ipairs(df._names) do
      local v = per_col and other[i] or other
      local c = df._cols[nm]
      numeric_or_text(c, nm, opname, v)
      local s = col_series(df, nm)
      cols[i] = (left and f(s, v) or f(v, s))._c
    end
    return D.from_cols(df._names, cols, df._index)
  end
end

DataFrame.__add, DataFrame.__sub, DataFrame.__mul = frame_op("add"), frame_op("sub"), frame_op("mul")
DataFrame.__div, DataFrame.__pow, DataFrame.__mod = frame_op("div"), frame_op("pow"), frame_op("mod")
DataFrame.__idiv = frame_op("floordiv")
function DataFrame.__unm(df)
  local cols = {}
  for i, nm in ipairs(df._names) do
    local c = df._cols[nm]
    numeric_or_text(c, nm, "unary -", nil)
    cols[i] = (-col_series(df, nm))._c
  end
  return D.from_cols(df._names, cols, df._index)
end

-- df:add(other, {fill_value=}) and friends; radd etc. swap the operands.
local function method(op, swap)
  return function(self, other, opts)
    local mm = D.is_frame(self) and DataFrame or Series
    local f = mm["__" .. ({ add = "add", sub = "sub", mul = "mul", div = "div", truediv = "div", pow = "pow" })[op]]
    if opts and opts.fill_value ~= nil then
      local fv = opts.fill_value
      -- pandas fills a value missing on one side only; both missing stays missing
      if S.is_series(self) and S.is_series(other) then
        local x, y = S.align(self, other, "Series." .. op)
        local nx, ny = C.isna_array(x._c), C.isna_array(y._c)
        local only_x = np.logical_and(nx, np.logical_not(ny))
        local only_y = np.logical_and(ny, np.logical_not(nx))
        self = S.new(C.new("float", fc.putmask(C.float_array(x._c), only_x, fc.full(1, fv))), x._index, x.name)
        other = S.new(C.new("float", fc.putmask(C.float_array(y._c), only_y, fc.full(1, fv))), y._index, y.name)
      else
        error(("%s: fill_value needs two Series"):format(op), 2)
      end
    end
    if opts and opts.axis ~= nil and D.axis_number(opts.axis, op) ~= 1 and D.is_frame(self) and S.is_series(other) then
      error(op .. ": a Series along the index (axis=0) is not supported; use axis='columns'", 2)
    end
    if swap then return f(other, self) end
    return f(self, other)
  end
end
for _, M in ipairs { S.methods, D.methods } do
  for _, op in ipairs { "add", "sub", "mul", "div", "truediv", "pow" } do M[op] = method(op) end
  M.radd, M.rsub, M.rmul, M.rdiv = method("add", true), method("sub", true), method("mul", true), method("div", true)
end
D.methods.abs = function(df) return D.methods.map(df, function(v) return type(v) == "number" and math.abs(v) or v end) end

return A
