-- frame_options.lua: every DataFrame/Series method checks its keywords
-- (issue 10) and inplace=true mutates and returns nil as in pandas.
local T = require "testlib"
local nan = 0 / 0

local function mk()
  return pd.DataFrame({ a = { 3.0, nan, 1.0, 2.0 }, b = { "x", "y", false, "w" }, k = { 1, 2, 3, 4 } },
    { columns = { "a", "b", "k" } })
end

-- unknown keywords are errors with a suggestion, wrong types too
T.err("DataFrame.dropna: unknown option 'inplce' (did you mean 'inplace'?)", function() mk():dropna { inplce = true } end)
T.err("DataFrame.set_index: unknown option 'drp' (did you mean 'drop'?)", function() mk():set_index("k", { drp = false }) end)
T.err("DataFrame.sort_values: unknown option 'ascendng'", function() mk():sort_values("a", { ascendng = false }) end)
T.err("Series.sort_values: unknown option", function() mk().a:sort_values { reverse = true } end)
T.err("DataFrame.head: options must be a table", function() mk():head(2, 3) end)
T.err("DataFrame.dropna: option 'inplace' must be true or false", function() mk():dropna { inplace = "yes" } end)
T.err("DataFrame.mean: No axis named 2", function() mk():mean { axis = 2 } end)
T.err("Series.mean: a Series has only axis 0", function() mk().a:mean { axis = 1 } end)

-- every method has a keyword spec (install raises otherwise); wrapped methods
-- still take positional arguments
T.eq(mk():head(2).shape, { 2, 3 })
T.eq(mk():head { n = 1 }.shape, { 1, 3 })
T.eq(mk():sort_values { by = "k", ascending = false }.k:tolist(), { 4, 3, 2, 1 })
T.eq(mk():sort_values { "k", ascending = false }.k:tolist(), { 4, 3, 2, 1 })

-- inplace=true: mutates, returns nil (pandas)
local df = mk()
T.eq(df:dropna { inplace = true }, nil)
T.eq(df.k:tolist(), { 1, 4 })
df = mk()
T.eq(df:set_index("k", { inplace = true }), nil)
T.eq(df.index:tolist(), { 1, 2, 3, 4 })
T.eq(df.columns, { "a", "b" })
T.eq(df.index.name, "k")
T.eq(df:sort_index { ascending = false, inplace = true }, nil)
T.eq(df.index:tolist(), { 4, 3, 2, 1 })
T.eq(df:reset_index { inplace = true }, nil)
T.eq(df.columns, { "k", "a", "b" })
T.eq(df:drop { columns = "b", inplace = true }, nil)
T.eq(df.columns, { "k", "a" })
T.eq(df:rename { columns = { a = "A" }, inplace = true }, nil)
T.eq(df.columns, { "k", "A" })
T.eq(df:fillna(0, { inplace = true }), nil)
T.close(df.A:to_numpy(), { 2, 1, 0, 3 })
df = mk()
T.eq(df:sort_values("a", { inplace = true, na_position = "first" }), nil)
T.eq(df.k:tolist(), { 2, 3, 4, 1 })
-- a column taken from a frame writes back (pandas 1.5: df["a"].fillna(..., inplace=True))
df = mk()
df.a:fillna(-1, { inplace = true })
T.close(df.a:to_numpy(), { 3, -1, 1, 2 })
local s = mk().a
T.eq(s:dropna { inplace = true }, nil)
T.eq(#s, 3)

-- pandas' keywords that are implemented now
df = mk()
T.eq(df:drop { index = { 2, 3 } }.k:tolist(), { 1, 4 })
T.eq(df:drop({ 1 }, { axis = 0 }).k:tolist(), { 2, 3, 4 })
T.err("drop: label 9 not found in axis 0", function() df:drop { index = 9 } end)
T.eq(df:drop { columns = { "zz", "b" }, errors = "ignore" }.columns, { "a", "k" })
T.eq(df:dropna { thresh = 3 }.k:tolist(), { 1, 4 })   -- pandas 1.5.3
T.eq(df:dropna { thresh = 2 }.k:tolist(), { 1, 2, 3, 4 })
T.eq(df:dropna { axis = 1 }.columns, { "k" })
T.eq(df:dropna { axis = "columns", subset = { 1, 4 } }.columns, { "a", "b", "k" })
T.ok(df.a:sum { skipna = false } ~= df.a:sum { skipna = false }, "skipna=false gives NaN")
T.eq(df.a:sum(), 6.0)
T.close(df:sum { axis = 1 }:to_numpy(), { 4, 2, 4, 6 })
T.close(df:mean { axis = "columns" }:to_numpy(), { 2, 2, 2, 3 })
T.eq(df:set_index("k", { drop = false }).columns, { "a", "b", "k" })
T.err("DataFrame.set_index: index has duplicate keys", function()
  pd.DataFrame { a = { 1, 1 } }:set_index("a", { drop = false, verify_integrity = true }) end)
T.eq(df:sort_values("a", { ignore_index = true }).index:tolist(), { 1, 2, 3, 4 })
T.close(pd.Series({ 1.0, 2.0, 3.0, 4.0, 5.0 }):rolling(3, { center = true }):mean():to_numpy(), { nan, 2, 3, 4, nan })
T.close(pd.Series({ 1.0, 2.0, 3.0, 4.0, 5.0 }):rolling(4, { center = true, min_periods = 1 }):sum():to_numpy(),
  { 3, 6, 10, 14, 12 })   -- pandas 1.5.3: [3, 6, 10, 14, 12]

-- every method of both objects refuses an unknown keyword, naming itself
local O = require "geolab.frame_opts"
local objs = { DataFrame = mk(), Series = mk().a }
local counted = 0
for kind, obj in pairs(objs) do
  local M = kind == "DataFrame" and getmetatable(obj).__methods or getmetatable(obj).__methods
  for name in pairs(M) do
    local s = O.spec(kind, name)
    T.ok(s ~= nil, kind .. "." .. name .. " has a keyword spec")
    if s then
      local args = {}
      for i = 1, #s.params do args[i] = nil end
      args[#s.params + 1] = { zzz_bogus = 1 }
      local ok, e = pcall(obj[name], obj, table.unpack(args, 1, #s.params + 1))
      T.ok(not ok and tostring(e):find(kind .. "." .. name .. ": unknown option 'zzz_bogus'", 1, true) ~= nil,
        kind .. "." .. name .. " refuses an unknown keyword (" .. tostring(e) .. ")")
      counted = counted + 1
    end
  end
end
T.ok(counted > 100, "all methods checked")
T.err("pd.concat: unknown option 'ignore_idx' (did you mean 'ignore_index'?)", function() pd.concat({ mk(), mk() }, { ignore_idx = true }) end)
T.err("pd.merge: unknown option 'left_index'", function() pd.merge(mk(), mk(), { left_index = true }) end)
T.err("pd.to_datetime: unknown option 'format'", function() pd.to_datetime({ "2020-01-01" }, { format = "%Y" }) end)
T.err("pd.date_range: unknown option 'period'", function() pd.date_range("2020-01-01", { period = 3 }) end)
T.eq(#pd.date_range { start = "2020-01-01", periods = 3 }, 3)

T.done()
