-- frame_issue10.lua: regressions of issue 10's pandas bugs: masks on a
-- Series, np.array of an Index, values/to_numpy dtypes, iloc keys.
local T = require "testlib"

local df = pd.DataFrame({ a = { 1.5, 2.0, 3.0 }, k = { 1, 2, 3 }, s = { "x", "y", "z" } }, { columns = { "a", "k", "s" } })
-- series[bool_mask]: a bool Series or a bool array selects as s.loc[mask]
T.eq(df.a[df.k:gt(1)]:tolist(), { 2.0, 3.0 })
T.eq(df.a[df.k:gt(1)].index:tolist(), { 2, 3 })
T.eq(df.s[np.array { true, false, true }]:tolist(), { "x", "z" })
T.err("Series: a selecting Series must be boolean", function() return df.a[df.k] end)
T.err("Series: boolean mask of length 2 for 3 rows", function() return df.a[np.array { true, false }] end)
T.err("positions go through .iloc", function() return df.a[np.array { 1, 2 }] end)
T.eq(df[df.k:gt(2)].s:tolist(), { "z" })

-- np.array(index), np.asarray(df.index): the labels (ns int64 for datetimes, as Series.values)
T.eq(np.array(df.index):totable(), { 1, 2, 3 })
T.eq(np.asarray(df.a):totable(), { 1.5, 2.0, 3.0 })
local t = pd.DataFrame({ v = { 1.0, 2.0 } }, { index = pd.to_datetime { "2020-01-01", "2020-01-02" } })
T.eq(np.array(t.index):totable(), { 1577836800000000000, 1577923200000000000 })
T.eq(np.array(t.index).dtype, pd.Series(t.index).values.dtype)
T.err("an Index of strings has no numeric array", function() return np.array(df:set_index("s").index) end)

-- Series.values and to_numpy() give the same dtype
for _, nm in ipairs { "a", "k" } do T.eq(df[nm].values.dtype, df[nm]:to_numpy().dtype, nm) end
T.eq(df.k:to_numpy().dtype, "int64")
T.eq(df.k:gt(1):to_numpy().dtype, "bool")
T.eq(df.s:to_numpy(), df.s.values)
T.eq(df.k:to_numpy("float64").dtype, "float64")

-- iloc: as arrays are indexed (GUIDE), 1-based, inclusive
T.eq(df.iloc[{ { 1, 2 }, { 1, 2 } }].shape, { 2, 2 })
T.eq(df.iloc[{ { 1, 2 }, { 1, 2 } }].columns, { "a", "k" })
T.eq(df.iloc[{ 2, 3 }], "y")
T.eq(df.iloc[{ 2, { 1, 2 } }]:tolist(), { 2.0, 2.0 })
T.eq(df.iloc[{ {}, 2 }]:tolist(), { 1, 2, 3 })
T.eq(df.iloc[{ { -2, -1 }, {} }].k:tolist(), { 2, 3 })
T.eq(df.iloc[{ { 3, 1, -2 } }].k:tolist(), { 3, 1 })
T.eq(df.iloc[{ {}, { 2 } }].columns, { "k" })
T.eq(df.iloc[{ df.k:gt(1), { 3 } }].s:tolist(), { "y", "z" })
T.err("iloc: positions count from 1 in geolab (Lua); pandas' df.iloc[0] is df.iloc[1]", function() return df.iloc[0] end)
T.err("pandas' df.iloc[0:3] is df.iloc[{{1, 3}}]", function() return df.iloc[{ { 0, 2 } }] end)
T.err("iloc: column position 4 out of range (1..3)", function() return df.iloc[{ 1, 4 }] end)
T.err("iloc: expected a position", function() return df.iloc["a"] end)
T.err("a row range is {first, last [, step]}", function() return df.iloc[{ { 1, "x" }, 1 }] end)
T.eq(df.a.iloc[{ { 2, 3 } }]:tolist(), { 2.0, 3.0 })
T.err("a Series has one axis", function() return df.a.iloc[{ 1, 2 }] end)
df.iloc[{ 1, 2 }] = 10
T.eq(df.k:tolist(), { 10, 2, 3 })

T.done()
