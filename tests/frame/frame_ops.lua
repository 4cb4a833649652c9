-- frame_ops.lua: construction, selection, NA handling, sorting, groupby,
-- merge/merge_asof/concat (against pandas fixtures), printing and errors.
local T = require "testlib"
local FX = "tests/fixtures/frame/"
local CHEM = "data/calibration/chemistry/CE_DIG_OBSERA_RIVERS_2019-09-26.csv"
local nan = 0 / 0

-- construction and fields
local df = pd.DataFrame({ site = { "A", "B", "A", false, "B", "C" }, v = { 1.0, 2.0, nan, 4.0, 5.0, 6.0 },
                          k = { 1, 1, 2, 2, 1, 2 } }, { columns = { "site", "v", "k" } })
T.eq(df.shape, { 6, 3 })
T.eq(#df, 6)
T.eq(df.columns, { "site", "v", "k" })
T.eq(df.dtypes:tolist(), { "object", "float64", "int64" })
T.eq(df.v.dtype, "float64")
T.eq(df["k"]:tolist(), { 1, 1, 2, 2, 1, 2 })
T.eq(df[{ "k", "v" }].columns, { "k", "v" })
local sorted_names = pd.DataFrame { b = { 1 }, a = { 2 } }
T.eq(sorted_names.columns, { "a", "b" }, "names sorted without a columns option")
local fa = pd.from_arrays({ np.array { 1.5, 2.5 }, np.array { 1, 2 } }, { "x", "n" })
T.eq(fa.dtypes:tolist(), { "float64", "int64" })

-- new columns, selection by mask, loc/iloc
df.w = df.v * 2
T.close(df.w:to_array(), { 2, 4, nan, 8, 10, 12 })
df["flag"] = df.v:gt(3)
T.eq(df.flag:tolist(), { false, false, false, true, true, true })
local big = df[df.v:gt(3)]
T.eq(#big, 3)
T.eq(big.k:tolist(), { 2, 1, 2 })
T.eq(df.iloc[2].v, 2.0)
T.eq(df.iloc[{ { 2, 3 } }].shape, { 2, 5 })
T.eq(df.iloc[{ 2, 3 }], 1, "{row, col} is one element as in the GUIDE")
T.eq(df.loc[{ rows = 3, cols = "k" }], 2)
T.eq(df.iloc[-1].site, "C")
df = df:drop { columns = { "w", "flag" } }
T.eq(df.columns, { "site", "v", "k" })
T.eq(df:rename { v = "value" }.columns, { "site", "value", "k" })
T.eq(df:astype { k = "float64" }.k.dtype, "float64")

-- missing values
T.eq(df:isna().v:tolist(), { false, false, true, false, false, false })
T.eq(df:isna().site:tolist(), { false, false, false, true, false, false })
T.eq(#df:dropna(), 4)
T.eq(#df:dropna { subset = { "v" } }, 5)
T.eq(#df:dropna { how = "all" }, 6)
T.close(df:fillna(0).v:to_array(), { 1, 2, 0, 4, 5, 6 })
T.eq(df:fillna { site = "?" }.site:tolist(), { "A", "B", "A", "?", "B", "C" })
T.close(df.v:fillna { method = "ffill" }:to_array(), { 1, 2, 2, 4, 5, 6 })

-- sorting, counts, statistics
T.eq(df:sort_values("v").v:tolist()[1], 1.0)
T.close(df:sort_values("v", { ascending = false }).v:to_array(), { 6, 5, 4, 2, 1, nan })
T.eq(df:sort_values { by = { "k", "v" } }.v:tolist()[1], 1.0)
local vc = df.site:value_counts()
T.eq(vc.index:tolist(), { "A", "B", "C" })
T.eq(vc:tolist(), { 2, 2, 1 })
T.eq(df.site:nunique(), 3)
T.eq(df.k:unique(), { 1, 2 })
T.close(df.v:mean(), 3.6)
T.close(df.v:std(), math.sqrt(4.3))   -- {1, 2, 4, 5, 6}: squared deviations sum to 17.2, ddof 1
T.eq(df.k:sum(), 9)
T.eq(df.v:count(), 5)
T.close(df:mean():tolist(), { 3.6, 1.5 })
T.eq(df.v:apply(function(x) return x and x * 10 end):tolist()[2], 20.0)
T.eq(df.site:map { A = "alpha" }:tolist()[1], "alpha")

-- groupby against pandas
local fg = dofile(FX .. "edge_group.lua")
local gb = df:groupby("site")
T.eq(gb:size().index:tolist(), fg.keys)
T.eq(gb:size():tolist(), fg.size)
for _, how in ipairs { "mean", "sum", "count", "std", "min", "max", "median", "first", "last" } do
  T.close(gb["v"][how](gb["v"]):to_array(), fg[how], 1e-12, 0, "groupby " .. how)
end
local multi = df:groupby { "site", "k" }:sum()
T.close(multi.v:to_array(), fg.multi_sum, 0, 0, "two keys")
local ag = gb:agg { v = "max", k = "sum" }
T.close(ag.v:to_array(), fg.max)
local seen = {}
for key, sub in gb:iter() do seen[#seen + 1] = key .. ":" .. #sub end
T.eq(seen, { "A:2", "B:2", "C:1" })
local seen2 = {}
for key, sub in df:groupby("site") do seen2[#seen2 + 1] = key .. ":" .. #sub end
T.eq(seen2, seen, "a GroupBy is its own iterator")
local cat = df.site:astype("category")
T.eq(cat.dtype, "category")
T.eq(cat:tolist()[2], "B")
T.eq(pd.read_csv(CHEM, { sep = ";", dtype = { Site = "category" }, nrows = 5 }).Site.dtype, "category")
local stamp = pd.Series(pd.to_datetime { "2016-02-29 13:45:07" })
T.eq(stamp.dt:strftime("%d/%m/%Y %H:%M:%S day %j"):tolist(), { "29/02/2016 13:45:07 day 060" })
-- without quoting, the ';' inside the quoted comments split fields (pandas says the same)
T.err("CE_DIG_OBSERA_RIVERS_2019-09-26.csv, line 2: expected 22 fields, saw 27", pd.read_csv, CHEM, { sep = ";", quoting = 3 })

-- merge, merge_asof, concat
local right = pd.DataFrame({ site = { "A", "C", "D" }, w = { 10, 30, 40 } }, { columns = { "site", "w" } })
for _, how in ipairs { "inner", "left", "right", "outer" } do
  local m = df:merge(right, { on = "site", how = how })
  local want = fg["merge_" .. how]
  T.eq(m.site:tolist(), (function() local t = {} for i, v in ipairs(want.site) do t[i] = v or nil end return t end)(), "merge " .. how .. " keys")
  T.close(m.v:to_array(), want.v, 0, 0, "merge " .. how .. " v")
  T.close(m.w:to_array(), want.w, 0, 0, "merge " .. how .. " w")
end
local lt = pd.DataFrame({ t = pd.to_datetime { "2020-01-01 00:03", "2020-01-01 00:12", "2020-01-01 00:40" }, x = { 1, 2, 3 } },
  { columns = { "t", "x" } })
local rt = pd.DataFrame({ t = pd.to_datetime { "2020-01-01 00:00", "2020-01-01 00:10", "2020-01-01 00:20" }, y = { 10.0, 20.0, 30.0 } },
  { columns = { "t", "y" } })
for _, dir in ipairs { "backward", "forward", "nearest" } do
  local m = pd.merge_asof(lt, rt, { on = "t", direction = dir, tolerance = pd.Timedelta("5min") })
  T.close(m.y:to_array(), fg["asof_" .. dir], 0, 0, "merge_asof " .. dir)
end
local cc = pd.concat { df:head(2), df:tail(1) }
T.eq(#cc, 3)
T.eq(cc.k:tolist(), { 1, 1, 2 })
local c2 = pd.concat({ df[{ "v" }], df[{ "k" }] }, { axis = 1 })
T.eq(c2.columns, { "v", "k" })

-- printing as pandas does
local small = pd.DataFrame({ level = { 36.4, 1.25 }, n = { 1, 22 }, s = { "a", "bcd" },
  t = pd.to_datetime { "2012-05-18 08:30", "2012-05-19" } }, { columns = { "level", "n", "s", "t" } })
-- pandas 1.5.3 prints this (with index 0, 1):
-- '   level   n    s                   t\n0  36.40   1    a 2012-05-18 08:30:00\n1   1.25  22  bcd 2012-05-19 00:00:00'
T.eq(tostring(small), "   level   n    s                   t\n1  36.40   1    a 2012-05-18 08:30:00\n2   1.25  22  bcd 2012-05-19 00:00:00")
T.eq(tostring(small.level), "1    36.40\n2     1.25\nName: level, dtype: float64")
T.eq(tostring(pd.Series { true, false }), "1     True\n2    False\ndtype: bool")
T.eq(tostring(pd.DataFrame { a = { nan, 1e-8, 5 } }), "              a\n1           NaN\n2  1.000000e-08\n3  5.000000e+00")
local hundred = pd.DataFrame { x = np.arange(100):astype("float64") }
T.eq(tostring(hundred), table.concat({ "        x", "1     0.0", "2     1.0", "3     2.0", "4     3.0", "5     4.0",
  "..    ...", "96   95.0", "97   96.0", "98   97.0", "99   98.0", "100  99.0", "", "[100 rows x 1 columns]" }, "\n"))

-- errors: clear messages, nearest names, file/line/column
T.err("column 'Suspended load' not found (did you mean 'Suspended Load'?)", function()
  local c = pd.read_csv(CHEM, { sep = ";" })
  return c["Suspended load"]
end)
T.err("pd.read_csv: unknown option 'sepp' (did you mean 'sep'?)", pd.read_csv, CHEM, { sepp = ";" })
T.err("pd.read_csv: cannot open 'no/such.csv'", pd.read_csv, "no/such.csv")
T.err("pd.read_csv: no file matches 'no/such/*.csv'", pd.read_csv, "no/such/*.csv")
T.err("column 'Dat' not found (did you mean 'Date'?)", pd.read_csv, CHEM, { sep = ";", usecols = { "Dat" } })
local function write(name, text)
  local p = T.tmp(name)
  local f = assert(io.open(p, "wb"))
  f:write(text)
  f:close()
  return p
end
T.err("bad.csv, line 3: expected 2 fields, saw 3", pd.read_csv, write("bad.csv", "a,b\n1,2\n3,4,5\n"))
T.err("quote.csv, line 3: unterminated quoted field", pd.read_csv, write("quote.csv", "a,b\n1,2\n3,\"oops\n4,5\n"))
T.err("utf.csv, line 2, character 3: invalid UTF-8", pd.read_csv, write("utf.csv", "a,b\n1,\xe9t\xe9\n"))
local lat = pd.read_csv(T.tmp("utf.csv"), { encoding = "latin-1" })
T.eq(lat.b:tolist(), { "été" })
T.err("date.csv, line 3, column 't': cannot parse '2019-02-30' as a date", pd.read_csv,
  write("date.csv", "t,x\n2019-02-28,1\n2019-02-30,2\n"), { parse_dates = { "t" } })
T.err("num.csv, line 2, column 'x': cannot convert 'abc' to float64", pd.read_csv,
  write("num.csv", "x\nabc\n"), { dtype = { x = "float64" } })
T.err("DataFrame: column 'z' not found", function() return df.z end)
T.err("dropna: option 'how' must be 'any' or 'all'", df.dropna, df, { how = "some" })
T.err("resample: needs a datetime index", df.resample, df, "1h")
T.err("length of values (2) does not match length of index (6)", function() df.new = { 1, 2 } end)

T.done()
