-- frame_axis.lua: pandas' axis (0/"index" down the rows, 1/"columns" across
-- the columns) and iloc positions counted from 1 (issue 10). Expected values
-- from pandas 1.5.3 (tests/fixtures/axis/gen_axis.py).
local T = require "testlib"
local F = dofile("tests/fixtures/axis/axis.lua")
local nan = 0 / 0
local df = pd.DataFrame{a = {1.0, 2.0, nan, 4.0}, b = {0.5, nan, nan, 2.0},
                        c = {"x", "y", "z", "w"}, d = {1, 2, 3, 4}}
local function vals(s) return s:to_numpy() end

T.close(vals(df:mean()), F.F_mean0, 1e-15, 0, "mean(): axis 0, one value per column")
T.close(vals(df:mean{axis = 0}), F.F_mean0, 1e-15, 0)
T.close(vals(df:mean{axis = "index"}), F.F_mean0, 1e-15, 0)
T.close(vals(df:mean{axis = 1}), F.F_mean1, 1e-15, 0, "mean(axis=1): row means over numeric columns")
T.close(vals(df:mean{axis = "columns"}), F.F_mean1, 1e-15, 0)
T.close(vals(df:sum{axis = 1}), F.F_sum1, 1e-15, 0)
T.close(vals(df:std{axis = 1}), F.F_std1, 1e-14, 0, "std(axis=1), ddof 1, one value gives NaN")
T.close(vals(df:count{axis = 1}), F.F_count1, 0, 0, "count(axis=1) counts every column")
T.close(vals(df:max{axis = 1}), F.F_max1, 0, 0)
T.eq(df:sum{axis = 1}.index:tolist(), df.index:tolist(), "row results keep the row labels")
T.eq(df[{"d"}]:sum{axis = 1}.dtype, "int64", "integer rows sum to integers (pandas)")

T.eq(df:dropna{axis = 1}.columns, F.F_dropna1_cols, "dropna(axis=1) drops columns holding NA")
T.eq(df:dropna{axis = "columns", how = "all"}.columns, F.F_dropna1_all_cols)
T.eq(#df:dropna(), 2, "dropna() drops rows")
T.eq(#df:drop{index = {1, 3}}, F.F_drop_rows, "drop(index=...) drops rows by label")
T.eq(#df:drop({1, 3}), F.F_drop_rows, "labels alone are row labels, as in pandas")
T.eq(df:drop("b", {axis = 1}).columns, {"a", "c", "d"})
T.eq(df:drop{"a", "b", axis = "columns"}.columns, {"c", "d"})
T.eq(df:drop{columns = {"a", "d"}}.columns, {"b", "c"})
T.eq(pd.concat({df[{"a"}], df[{"d"}]}, {axis = 1}).columns, {"a", "d"})
T.eq(#pd.concat({df[{"a"}], df[{"a"}]}, {axis = 0}), 8)
T.eq(df:apply(function (r) return r.d end, {axis = 1}):to_numpy():totable(), {1, 2, 3, 4})

T.err("No axis named 2 for object type DataFrame", df.mean, df, {axis = 2})
T.err("No axis named rows2", df.dropna, df, {axis = "rows2"})
T.err("pd.concat: No axis named 2", pd.concat, {df, df}, {axis = 2})
T.err("'b' is a column: drop it with {axis = 1}", df.drop, df, "b")
T.err("drop: unknown option 'axes' (did you mean 'axis'?)", df.drop, df, "b", {axes = 1})

T.err("DataFrame.sort_values: only axis=0 is supported", df.sort_values, df, "a", {axis = 1})
T.eq(df[{"d", "a"}]:sort_index{axis = "columns"}.columns, {"a", "d"}, "sort_index(axis=1) sorts the columns")
T.err("DataFrame.fillna: only axis=0 is supported", df.fillna, df, 0, {axis = 1})
T.eq(#df:sort_values("d", {axis = 0}), 4)
T.err("Series.mean: a Series has only axis 0, got 1", df.a.mean, df.a, {axis = 1})
T.eq(df.d:sum{axis = 0}, 10)

local HINT = "positions count from 1 in geolab (Lua)"
T.err("iloc: " .. HINT .. "; pandas' df.iloc[0] is df.iloc[1]", function () return df.iloc[0] end)
T.err("iloc: " .. HINT .. "; pandas' df.iloc[0:3] is df.iloc[{{1, 3}}]", function () return df.iloc[{{0, 2}}] end)
T.err("iloc: " .. HINT, function () return df.iloc[np.array{0, 2}] end)
T.err("iloc: " .. HINT, function () return df.a.iloc[0] end)
T.err("iloc: " .. HINT, function () df.iloc[0] = 1 end)
T.err("take: " .. HINT .. "; pandas' take([0, 2]) is take{1, 3}", df.take, df, {0, 2})
T.err("take: " .. HINT, df.a.take, df.a, np.array{2, 0})
T.eq(df:take{4, 1}.d:to_numpy():totable(), {4, 1})
T.eq(df.iloc[1].d, 1)
T.eq(df.a.iloc[-1], 4.0)

T.done()
