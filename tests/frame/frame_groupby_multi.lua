-- frame_groupby_multi.lua: a groupby on several keys against pandas 1.5.3
-- (tests/fixtures/frame/groupby_multi.lua, from gen_groupby_multi.py). geolab
-- has no MultiIndex: every result keeps the keys as leading columns over a
-- RangeIndex, pandas' groupby(..., as_index=False). Before, the Series
-- results (g.v:sum(), g:size()) came back indexed 1..n with the keys lost,
-- iter() keys printed as table: 0x..., reset_index() added an 'index'
-- column that pandas' reset_index of the MultiIndex result does not have,
-- and m.loc[{"x", 1}] said only "label x not in index".
local T = require "testlib"
local F = dofile("tests/fixtures/frame/groupby_multi.lua")
local df = pd.DataFrame({a = F.a, b = F.b, v = F.v, w = F.w}, {columns = {"a", "b", "v", "w"}})
local g = df:groupby{"a", "b"}

local function same(got, want, what)
  T.eq(got.columns, want.columns, what .. " columns")
  T.eq(#got, #want.data[want.columns[1]], what .. " rows")
  for _, c in ipairs(want.columns) do T.eq(got:get(c):tolist(), want.data[c], what .. " " .. c) end
  T.eq(tostring(got.index):match("^RangeIndex") ~= nil, true, what .. " RangeIndex")
end

same(g:mean(), F.mean, "mean")
same(g:size(), F.size, "size")
same(g.v:sum(), F.v_sum, "g.v:sum()")
same(g:agg{v = "max", w = "sum"}, F.agg, "agg")
-- pandas' df.groupby([...]).mean().reset_index() is the same frame
same(g:mean():reset_index(), F.mean, "reset_index")
-- keys are tuples that print as pandas prints them
local n = 0
for key, sub in g:iter() do
  n = n + 1
  T.eq({key[1], key[2]}, F.keys[n])
  T.eq(#sub, F.lens[n])
  if n == 1 then T.eq(tostring(key), '("x", 1)') end
end
T.eq(n, #F.keys)
-- pandas' m.loc[("x", 1)] on a MultiIndex: the translation in the error
T.err("this frame is a groupby on several keys (a, b), which geolab keeps as columns, not a MultiIndex",
  function() return g:mean().loc[{"x", 1}] end)
-- the translation works
local m = g:mean()
local row = m[m.a:eq("x") & m.b:eq(1)]
T.eq(row.v:tolist(), {3.0})
T.eq(m:query("a == 'x' and b == 2").w:tolist(), {20.0})
-- one key keeps its index, as pandas
T.eq(df:groupby("a"):mean().index:tolist(), {"x", "y"})
T.done()
