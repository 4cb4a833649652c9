-- frame_reshape.lua: pd.cut, get_dummies, pivot_table, sample, value_counts,
-- truncate, Index min/max/argmax, query, DataFrame arithmetic and text
-- concatenation, against pandas 1.5.3 (tests/fixtures/frame/gen_reshape.py).
local T = require "testlib"
local F = dofile("tests/fixtures/frame/reshape.lua")
local nan = 0 / 0

local function codes(s) return s._c.data:totable() end
local function cats(s) return s._c.cats end

-- pd.cut
local x = pd.Series(F.x)
local r = pd.cut(x, 3)
T.eq(codes(r), F.cut3_codes); T.eq(cats(r), F.cut3_cats); T.eq(r.dtype, "category")
r = pd.cut(x, { 0, 2, 5, 10 })
T.eq(codes(r), F.cut_edges_codes); T.eq(cats(r), F.cut_edges_cats)
r = pd.cut(x, { 0.1, 2, 5, 10 }, { right = false })
T.eq(codes(r), F.cut_left_codes); T.eq(cats(r), F.cut_left_cats)
r = pd.cut(x, { 0.1, 2, 5, 9.9 }, { include_lowest = true })
T.eq(codes(r), F.cut_low_codes); T.eq(cats(r), F.cut_low_cats)
T.eq(cats(pd.cut(x, { 0, 2, 5, 10 }, { include_lowest = true })), F.cut_lowint_cats)
r = pd.cut(x, 4, { right = false })
T.eq(codes(r), F.cut4_left_codes); T.eq(cats(r), F.cut4_left_cats)
r = pd.cut(F.x, { 0, 2, 5, 10 }, { labels = { "low", "mid", "high" } })
T.eq(r:tolist()[1], "low"); T.eq(r:tolist()[8], "high")
r = pd.cut(x, { 0, 2, 5, 10 }, { labels = false })   -- bin numbers count from 1 (geolab positions)
T.eq(r:tolist()[3], 2); T.ok(r:tolist()[6] ~= r:tolist()[6], "missing x: NaN")
T.err("pd.cut: bins must increase monotonically", function() pd.cut(x, { 0, 5, 2 }) end)
T.err("pd.cut: labels must be a list of 3 names", function() pd.cut(x, { 0, 2, 5, 10 }, { labels = { "a" } }) end)
T.err("pd.cut: unknown option 'rigth' (did you mean 'right'?)", function() pd.cut(x, 3, { rigth = false }) end)

-- get_dummies
local df = pd.DataFrame({ site = { "A", "B", "A", "C", "B", "A" }, kind = { "x", "y", "y", "x", "x", "y" },
  v = { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, n = { 1, 2, 3, 4, 5, 6 } }, { columns = { "site", "kind", "v", "n" } })
local d = pd.get_dummies(df)
T.eq(d.columns, F.dum_cols); T.eq(d.site_A:tolist(), F.dum_site_A); T.eq(d.site_A.dtype, F.dum_dtype)
d = pd.get_dummies(df, { columns = { "site" }, drop_first = true, prefix = "s", dtype = "float64" })
T.eq(d.columns, F.dum2_cols); T.eq(d.s_B:tolist(), F.dum2_s_B)
d = pd.get_dummies(pd.Series { "a", "b", false, "a" })
T.eq(d.columns, F.dum3_cols); T.eq(d.a:tolist(), F.dum3_a)

-- pivot_table
local p = pd.pivot_table(df, { values = "v", index = "site", columns = "kind", aggfunc = "mean" })
T.eq(p.index:tolist(), F.piv_index); T.eq(p.columns, F.piv_cols)
T.close(p.x:to_numpy(), F.piv_x); T.close(p.y:to_numpy(), F.piv_y)
p = df:pivot_table { values = "n", index = "site", columns = "kind", aggfunc = "sum", fill_value = 0 }
T.eq(p.x:tolist(), F.piv_sum_x); T.eq(p.y:tolist(), F.piv_sum_y)
p = df:pivot_table { values = { "v", "n" }, index = "kind", aggfunc = "max" }
T.eq(p.columns, F.piv2_cols); T.close(p.v:to_numpy(), F.piv2_v)
T.err("pivot_table: unknown aggfunc 'avg'", function() df:pivot_table { values = "v", index = "site", aggfunc = "avg" } end)

-- sample: pandas' rows for the same random_state
local big = pd.DataFrame { a = np.arange(1, 21), b = np.arange(20) * 0.5 }
T.eq(big:sample { n = 5, random_state = 42 }.index:tolist(), F.sample_n5)
T.eq(big:sample { frac = 0.25, random_state = 7 }.index:tolist(), F.sample_frac)
T.eq(big:sample { n = 8, replace = true, random_state = 3 }.index:tolist(), F.sample_repl)
T.eq(big.a:sample(3, { random_state = 0 }):tolist(), F.sample_series)
T.err("cannot take a larger sample (30) than the population (20)", function() big:sample(30) end)
T.eq(#big:sample(30, { replace = true, random_state = 1 }), 30)

-- value_counts
local s = pd.Series { "b", "a", "b", false, "c", "a", "b" }
local vc = s:value_counts()
T.eq(vc.index:tolist(), F.vc_index); T.eq(vc:tolist(), F.vc)
T.close(s:value_counts { normalize = true, dropna = false }:to_numpy(), F.vc_norm)
T.eq(s:value_counts { ascending = true }.index:tolist(), F.vc_asc_index)
T.eq(s:value_counts { sort = false }.index:tolist(), F.vc_nosort_index)
T.eq(df:value_counts { "site", "kind" }:tolist(), F.dfvc)

-- truncate, min/max/argmax of a datetime index
local ts = pd.DataFrame({ v = np.arange(10.0) }, { index = pd.date_range("2020-01-01", nil, { periods = 10, freq = "D" }) })
T.eq(ts:truncate { before = "2020-01-03", after = "2020-01-06" }.v:tolist(), F.trunc_v)
T.eq(tostring(ts.index:min()), F.dt_min); T.eq(tostring(ts.index:max()), F.dt_max)
T.eq(ts.index:argmax(), F.dt_argmax)
T.eq(ts.v:truncate { after = "2020-01-02" }:tolist(), { 0.0, 1.0 })

-- query
T.eq(df:query("v > 2 and site == 'A'").n:tolist(), F.q1)
T.eq(df:query("(site == 'B' or kind == 'x') and not n >= 5").n:tolist(), F.q2)
T.eq(df:query("v * 2 > n + 3").n:tolist(), F.q3)
T.eq(df:query("site in ['A', 'C'] and v != 3").n:tolist(), F.q4)
T.eq(df:query("`v` < 2").n:tolist(), { 1 })
T.eq(df:query("2 < v and index <= 4").n:tolist(), { 3, 4 })
T.err("DataFrame.query: column 'vv' not found (did you mean 'v'?)", function() df:query("vv > 1") end)
T.err("DataFrame.query: unexpected character ';'", function() df:query("v > 1; os.exit()") end)
T.err("is not a condition", function() df:query("v + 1") end)

-- DataFrame arithmetic: aligned on index and columns
local a = pd.DataFrame({ x = { 1.0, 2.0, 3.0 }, y = { 4.0, 5.0, 6.0 } }, { index = { 1, 2, 3 } })
local b = pd.DataFrame({ y = { 10.0, 20.0, 30.0 }, z = { 1.0, 1.0, 1.0 } }, { index = { 2, 3, 4 } })
local c = a + b
T.eq(c.index:tolist(), F.add_index); T.eq(c.columns, F.add_cols)
T.close(c.y:to_numpy(), F.add_y); T.close(c.x:to_numpy(), F.add_x)
T.close((a * 2).y:to_numpy(), F.mul)
T.close((a / pd.Series({ 2.0, 4.0 }, { index = { "x", "y" } })).y:to_numpy(), F.div_series)
T.close((10 - a).x:to_numpy(), F.rsub)
T.close((-a).x:to_numpy(), { -1, -2, -3 })
T.err("DataFrame: cannot apply mul to column 'site' of dtype object", function() return df * 2 end)
-- text: + concatenates like pandas, .. as Lua, str.cat
T.eq((pd.Series { "a", "b", false } + pd.Series { "x", "y", "z" }):tolist(), { "ax", "by", nil })
T.eq(F.cat[3] ~= F.cat[3], true)
T.eq((pd.Series { "a", "b" } + "!"):tolist(), { "a!", "b!" })
T.err("cannot add text and number values", function() return pd.Series { "a" } + pd.Series { 1 } end)
T.eq((pd.Series { 1, 2 } .. "km"):tolist(), { "1km", "2km" })
T.eq(pd.Series({ "a", "b", false }).str:cat { sep = "-" }, F.strcat)
T.eq(pd.Series({ "a", "b", false }).str:cat(pd.Series { "x", "y", "z" }, { sep = "_", na_rep = "?" }):tolist(), F.strcat_others)

T.done()
