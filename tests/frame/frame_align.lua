-- frame_align.lua: Series arithmetic, comparisons and boolean operators
-- align on index labels (the sorted union when indexes differ, NaN for
-- labels missing on one side), against pandas 1.5.3 fixtures.
local T = require "testlib"
local FX = dofile("tests/fixtures/frame/align.lua")
local nan = 0 / 0

-- A Series from a fixture operand (datetime labels come as ns integers).
local function series(d, datetime)
  local ix
  if #d.index == 0 then
    ix = pd.Series(np.zeros(0, "int64")).values
  elseif datetime then
    ix = pd.to_datetime(np.array(d.index, "int64"), { unit = "ns" })
  else ix = d.index end
  local vals = #d.values > 0 and d.values or np.zeros(0)
  local s = pd.Series(vals, { index = ix, name = d.name })
  if d.index_name then s.index.name = d.index_name end
  return s
end

local ops = {
  add = function(a, b) return a + b end, sub = function(a, b) return a - b end,
  mul = function(a, b) return a * b end, div = function(a, b) return a / b end,
  pow = function(a, b) return a ^ b end,
  band = function(a, b) return a & b end, bor = function(a, b) return a | b end,
  bxor = function(a, b) return a ~ b end,
}
for _, op in ipairs { "gt", "ge", "lt", "le", "eq", "ne" } do
  ops[op] = function(a, b) return a[op](a, b) end
end

local nchecked = 0
for cname, cs in pairs(FX) do
  local dt = cname == "datetime" or cname == "identical"
  local a, b = series(cs.a, dt), series(cs.b, dt)
  T.eq(a.index:tolist(), cs.a.index, cname .. ": operand a index")
  for op, exp in pairs(cs) do
    if ops[op] then
      local what = cname .. " " .. op
      local r = ops[op](a, b)
      T.eq(r.index:tolist(), exp.index, what .. ": index")
      T.eq(r.name, exp.name, what .. ": name")
      T.eq(r.dtype, exp.dtype, what .. ": dtype")
      T.eq(r.index.name, exp.index_name, what .. ": index name")
      if exp.dtype == "bool" then T.eq(r:tolist(), exp.values, what .. ": values")
      else T.close(r:to_array(), exp.values, 1e-15, 0, what .. ": values") end
      nchecked = nchecked + 1
    end
  end
end
T.eq(nchecked, 48, "fixture operations checked")

-- identical indexes: the result keeps the left operand's index object
local t = pd.date_range("2020-01-01", nil, { periods = 3, freq = "10min" })
local x = pd.Series({ 1.0, 2.0, 3.0 }, { index = t, name = "x" })
local y = pd.Series({ 10.0, 20.0, 30.0 }, { index = t, name = "x" })
local r = x + y
T.ok(rawequal(r.index, x.index), "fast path keeps the index")
T.eq(r.name, "x")
T.close(r:to_array(), { 11, 22, 33 })
-- equal labels in separate index objects: no reindexing either
local y2 = pd.Series({ 10.0, 20.0, 30.0 }, { index = pd.to_datetime(t.values, { unit = "ns" }), name = "y" })
r = x * y2
T.ok(rawequal(r.index, x.index), "equal labels keep the left index")
T.eq(r.name, nil, "names differ: no name")
-- the same with a shifted index: by label, not by position
local y3 = pd.Series({ 10.0, 20.0, 30.0 }, { index = pd.date_range("2020-01-01 00:10", nil, { periods = 3, freq = "10min" }) })
r = x + y3
T.eq(#r, 4)
T.close(r:to_array(), { nan, 12, 23, nan })
T.eq(r.index:tolist()[4], pd.Timestamp("2020-01-01 00:30").value)

-- frame columns with a shared index stay positional (and fast)
local df = pd.DataFrame({ a = { 1.0, 2.0, 3.0 }, b = { 4.0, 5.0, 6.0 } }, { index = { 30, 10, 20 } })
r = df.a + df.b
T.eq(r.index:tolist(), { 30, 10, 20 }, "same index: order kept")
T.close(r:to_array(), { 5, 7, 9 })
T.eq(r.name, nil)
-- a sorted column against the frame: realigned on labels
r = df.a:sort_values({ ascending = false }) - df.a
T.eq(r.index:tolist(), { 10, 20, 30 })
T.close(r:to_array(), { 0, 0, 0 })

-- a Series assigned as a column is reindexed on the frame's labels
local f2 = pd.DataFrame({ a = { 1.0, 2.0, 3.0 } }, { index = { 30, 10, 20 } })
f2.b = pd.Series({ 5.0, 6.0 }, { index = { 10, 40 } })
T.close(f2.b:to_array(), { nan, 5, nan })
T.err("repeated labels", function() f2.c = pd.Series({ 5.0, 6.0, 7.0 }, { index = { 10, 10, 20 } }) end)

-- scalars and arrays keep positional behaviour
r = df.a * 2
T.eq(r.index:tolist(), { 30, 10, 20 })
T.eq(r.name, "a")
r = df.a + np.array { 1.0, 1.0, 1.0 }
T.close(r:to_array(), { 2, 3, 4 })
T.err("lengths differ", function() return df.a + np.array { 1.0, 2.0 } end)

-- comparisons against a Series align too; NaN compares false (ne true)
local p = pd.Series({ 1.0, 5.0 }, { index = { 1, 2 } })
local q = pd.Series({ 3.0, 3.0 }, { index = { 2, 3 } })
T.eq(p:gt(q):tolist(), { false, true, false })
T.eq(p:ne(q):tolist(), { true, true, true })
T.eq(p:ne(p):tolist(), { false, false })
-- strings and datetimes as values
local sa = pd.Series({ "a", "b" }, { index = { 1, 2 } })
local sb = pd.Series({ "b", "b" }, { index = { 2, 3 } })
T.eq(sa:eq(sb):tolist(), { false, true, false })
T.eq(sa:ne(sb):tolist(), { true, false, true })
local da = pd.Series(pd.to_datetime { "2020-01-01", "2020-01-02" }, { index = { 1, 2 } })
local db = pd.Series(pd.to_datetime { "2020-01-01", "2020-01-01" }, { index = { 2, 3 } })
T.eq(da:gt(db):tolist(), { false, true, false })
T.eq(da:ne(db):tolist(), { true, true, true })
local dd = da - db   -- ns differences, NaN where a time is missing
T.close(dd:to_array(), { nan, 86400e9, nan })
T.eq((da - da):tolist(), { 0, 0 })

-- labels that cannot be aligned raise instead of combining by position
local dup = pd.Series({ 1.0, 2.0 }, { index = { 1, 1 } })
T.err("repeated labels", function() return dup + q end)
T.err("missing labels", function() return pd.Series({ 1.0 }, { index = { nan } }) + q end)
T.err("labels of types datetime64[ns] and int64", function() return x + q end)
T.err("Series.gt: cannot align", function() return dup:gt(q) end)

T.done()
