-- frame_pivot.lua: pivot_table with several index/columns keys, values and
-- aggfuncs (pandas' MultiIndex flattened: index "A, g1", columns joined with
-- "_"), and value_counts naming, against pandas 1.5.3
-- (tests/fixtures/frame/gen_pivot.py).
local T = require "testlib"
local F = dofile("tests/fixtures/frame/pivot.lua")

local df = pd.DataFrame({site = F.site, kind = F.kind, g = F.g, v = F.v, n = F.n},
  {columns = {"site", "kind", "g", "v", "n"}})

local function same(p, ref, what)
  T.eq(p.columns, ref.columns, what .. ": columns")
  T.eq(p.index:tolist(), ref.index, what .. ": index labels")
  T.eq(p.index.name, ref.index_name, what .. ": index name")
  for _, c in ipairs(ref.columns) do
    T.close(p[c]:to_numpy(), ref.data[c], 1e-12, 0, what .. ": " .. c)
    T.eq(p[c].dtype, ref.dtypes[c], what .. ": dtype of " .. c)
  end
end

same(df:pivot_table{values = "v", index = {"site", "g"}, columns = "kind"}, F.two_index, "two index keys")
same(df:pivot_table{values = "v", index = "site", columns = {"kind", "g"}, aggfunc = "sum"}, F.two_columns, "two columns keys")
same(df:pivot_table{values = {"v", "n"}, index = "site", columns = "kind"}, F.two_values, "two values")
same(df:pivot_table{values = {"v"}, index = "site", columns = "kind", aggfunc = "max"}, F.list_value, "a list of one value")
same(df:pivot_table{values = "v", index = "site", columns = "kind", aggfunc = {"mean", "sum"}}, F.two_aggs, "two aggfuncs")
same(df:pivot_table{values = {"v", "n"}, index = "site", aggfunc = {"min", "max"}}, F.aggs_values, "aggfuncs and values")
same(df:pivot_table{values = {"v", "n"}, index = {"kind", "g"}, aggfunc = {"count"}}, F.aggs_count, "count")
same(pd.pivot_table(df, {index = "site", columns = "kind", aggfunc = "sum"}), F.no_values, "values omitted")
same(df:pivot_table{index = "site", aggfunc = {v = "sum", n = "max"}}, F.dict_agg, "aggfunc by column")
same(df:pivot_table{values = "n", index = {"site", "kind"}, columns = "g", aggfunc = "sum", fill_value = 0}, F.fill, "fill_value")
same(df:pivot_table{values = "v", index = "site", columns = "kind", aggfunc = np.std}, F.np_std, "aggfunc = np.std (ddof = 1)")
same(df:pivot_table{values = "n", index = "site", aggfunc = {np.sum, "mean", np.max}}, F.np_list, "NumPy functions named")
-- a joined label selects a row as pandas' tuple does
local p = df:pivot_table{values = "v", index = {"site", "g"}, columns = "kind"}
T.eq(p.loc["B, g2"].x, 8.5)
-- several keys print with their joined names
T.ok(tostring(p):find("site, g", 1, true), tostring(p))

T.err("pivot_table: unknown aggfunc 'avg'", function() df:pivot_table{values = "v", index = {"site", "g"}, aggfunc = {"mean", "avg"}} end)
T.err("pivot_table: index= is an empty list", function() df:pivot_table{values = "v", index = {}} end)
T.err("column 'knd' not found", function() df:pivot_table{values = "v", index = "site", columns = {"knd", "g"}} end)
T.err("lists inside an aggfunc table are not supported", function() df:pivot_table{index = "site", aggfunc = {v = {"min", "max"}}} end)

-- value_counts as pandas 1.5.3 names it: the series' name, an unnamed index
local s = pd.Series({"b", "a", "b", false, "c", "a", "b"}, {name = "rock"})
local vc = s:value_counts()
T.eq(vc.name, F.vc_name); T.eq(vc.index.name, nil)
vc = s:value_counts{normalize = true}
T.eq(vc.name, F.vcn_name); T.close(vc:to_numpy(), F.vcn)
T.ok(tostring(vc):find("Name: rock, dtype: float64", 1, true), tostring(vc))
-- DataFrame.value_counts: ties in key order, an unnamed result
vc = df:value_counts{"site", "kind"}
T.eq(vc.index:tolist(), F.dfvc_index); T.eq(vc:tolist(), F.dfvc)
T.eq(vc.index.name, F.dfvc_index_name); T.eq(vc.name, nil)
T.eq(df:value_counts({"site", "kind"}, {sort = false}).index:tolist(), F.dfvc_nosort_index)
vc = df:value_counts({"kind"}, {ascending = true})
T.eq(vc.index:tolist(), F.dfvc_asc_index); T.eq(vc:tolist(), F.dfvc_asc)
T.done()
