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

-- an empty frame that grows: df.loc[n] = row, pd.concat
local g = pd.DataFrame { columns = { "station", "depth" } }
T.eq(g.shape, { 0, 2 })
T.eq(g.columns, { "station", "depth" })
g.loc[1] = { "A", 10.5 }
g.loc[2] = { station = "B", depth = 12.0 }
T.eq(g.shape, { 2, 2 })
T.eq(g.station:tolist(), { "A", "B" })
T.eq(g.depth.dtype, "float64")
T.eq(g.index:tolist(), { 1, 2 })
g.loc[5] = { "C", 1.0 }
T.eq(g.index:tolist(), { 1, 2, 5 })
T.err("loc: label 'x' does not match the index labels (int64)", function() g.loc["x"] = { "D", 2.0 } end)
local named = pd.DataFrame { columns = { "v" } }
named.loc["a"] = { 1.0 }; named.loc["b"] = { 2.0 }
T.eq(named.index:tolist(), { "a", "b" }); T.eq(named.loc["b"].v, 2.0)
T.err("loc: cannot set a row with 1 values in a frame of 2 columns", function() g.loc[9] = { "D" } end)
local e = pd.DataFrame { columns = { "a", "b" } }
local grown = pd.concat { e, pd.DataFrame { a = { 1, 2 }, b = { "u", "v" } } }
T.eq(grown.a:tolist(), { 1, 2 }); T.eq(grown.a.dtype, "int64"); T.eq(grown.b:tolist(), { "u", "v" })

-- object columns: a list of records keeps arrays in an object column
local events = {}
for i = 1, 3 do events[i] = { waveform = np.zeros(8192), label = i == 2 and "LP" or "VT", snr = i * 1.5 } end
local ev = pd.DataFrame(events)
T.eq(ev.columns, { "label", "snr", "waveform" })
T.eq(ev.waveform.dtype, "object")
T.eq(ev.waveform[2].shape[1], 8192)
T.eq(ev.snr:tolist(), { 1.5, 3.0, 4.5 })
T.eq(ev[ev.label:eq("VT")].shape, { 2, 3 })
T.ok(tostring(ev):find("array(float64, (8192,))", 1, true) ~= nil, "object cells print as array summaries")
T.eq(pd.DataFrame({ { a = 1 }, { a = 2, b = "x" } }).b:tolist(), { nil, "x" })

T.done()
