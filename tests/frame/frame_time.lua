-- frame_time.lua: resample, interpolate, reindex, join, describe and corr on
-- the calibration data and small edge cases, against pandas fixtures
-- (tests/fixtures/frame/gen_frame.py).
local T = require "testlib"
local FX = "tests/fixtures/frame/"
local CHEM = "data/calibration/chemistry/CE_DIG_OBSERA_RIVERS_2019-09-26.csv"

local hydro = pd.read_csv("data/calibration/hydrology/*.csv.gz",
  { comment = "#", na_values = { -30000, "NAN", 1e10 }, parse_dates = { "datetime" }, index_col = "datetime" })

local function check_sample(df, fx, label, rtol)
  T.eq(#df, fx.n, label .. " rows")
  local times = {}
  for i, p in ipairs(fx.pos) do times[i] = df.index[p] end
  T.eq(times, fx.index, label .. " times")
  for _, nm in ipairs(df.columns) do
    if fx[nm] then
      local s = df[nm]
      local got = {}
      for i, p in ipairs(fx.pos) do got[i] = s.iloc[p] or 0 / 0 end
      T.close(got, fx[nm], rtol or 1e-12, 1e-12, label .. " " .. nm)
      T.eq(s:isna():sum(), fx[nm .. "_nan"], label .. " " .. nm .. " NaN count")
      T.close(s:sum(), fx[nm .. "_sum"], 1e-9, 0, label .. " " .. nm .. " sum")
    end
  end
end

-- 1-minute mean, then gaps of up to 10 minutes filled
local fr = dofile(FX .. "resample_hydro.lua")
local h1 = hydro:resample("1min"):mean()
check_sample(h1, fr.resample, "resample 1min")
local hi = h1:interpolate { limit = 10 }
check_sample(hi, fr.interp, "interpolate")

-- other rules and reductions on the turbidity
for _, rule in ipairs { "1h", "1D", "1W", "1M" } do
  local fx = dofile(FX .. "resample_" .. rule .. ".lua")
  local r = hydro[{ "turbidity" }]:resample(rule)
  for _, how in ipairs { "mean", "sum", "min", "max", "first", "last", "count", "median" } do
    local got = r[how](r)
    local want = fx[how]
    if not want.pos then
      T.eq(got.index:tolist(), want.index, rule .. " " .. how .. " labels")
      T.close(got.turbidity:to_array(), want.turbidity, 1e-12, 1e-12, rule .. " " .. how)
    else
      check_sample(got, want, rule .. " " .. how)
    end
  end
end

-- the practical's join: samples + nearest sensor values within a minute
local fj = dofile(FX .. "calib_join.lua")
local chem = pd.read_csv(CHEM, { sep = ";", parse_dates = { time = { "Date", "Hour" } }, index_col = "time" })
local near = hi:reindex(chem.index, { method = "nearest", tolerance = "1min" })
for _, nm in ipairs { "level", "turbidity", "temperature" } do
  T.close(near[nm]:to_array(), fj.reindex[nm], 1e-12, 1e-12, "reindex " .. nm)
end
local d = chem[{ "Suspended Load" }]:join(near):dropna()
T.eq(d.shape, fj.joined.shape)
T.eq(d.columns, fj.joined.columns)
T.eq(d.index:tolist(), fj.joined.index, "joined times")
local desc = d:describe()
for _, nm in ipairs(d.columns) do
  T.close(d[nm]:to_array(), fj.joined.values[nm], 1e-12, 0, "joined " .. nm)
  T.close(desc[nm]:to_array(), fj.describe[nm], 1e-12, 1e-12, "describe " .. nm)
end
T.close(d:corr():to_array(), fj.corr, 1e-12, 1e-12, "pearson")
T.close(d:corr { method = "spearman" }:to_array(), fj.spearman, 1e-12, 1e-12, "spearman")
T.close(d:cov():to_array(), fj.cov, 1e-12, 1e-12, "cov")

-- edge cases: leap day, empty bins, an all-NaN column, an int column
local fe = dofile(FX .. "edge_time.lua")
local idx = pd.to_datetime { "2016-02-28 22:00", "2016-02-28 23:10", "2016-02-29 00:00", "2016-02-29 03:20",
                             "2016-02-29 03:25", "2016-03-01 00:00", "2016-03-01 00:05" }
T.eq(idx:tolist(), fe.index)
local nan = 0 / 0
local s = pd.DataFrame({ a = { 1.0, nan, 3.0, nan, nan, 6.0, nan }, b = { nan, nan, nan, nan, nan, nan, nan },
                         c = { 1, 2, 3, 4, 5, 6, 7 } }, { index = idx })
for _, rule in ipairs { "1h", "30min", "1D" } do
  local r = s:resample(rule)
  T.eq(r:mean().index:tolist(), fe[rule].index, rule .. " labels")
  for _, how in ipairs { "mean", "sum", "count", "min", "max", "first", "last", "median", "std" } do
    local got = r[how](r)
    for _, nm in ipairs { "a", "b", "c" } do
      T.close(got[nm]:to_array(), fe[rule][how][nm], 1e-12, 1e-12, rule .. " " .. how .. " " .. nm)
    end
  end
end
local g = pd.Series(fe.interp.input)
T.close(g:interpolate():to_array(), fe.interp.linear, 1e-15, 0, "linear")
T.close(g:interpolate { limit = 1 }:to_array(), fe.interp.limit1, 1e-15, 0, "limit 1")
T.close(g:interpolate { limit = 2 }:to_array(), fe.interp.limit2, 1e-15, 0, "limit 2")
local ti = pd.Series({ 0.0, nan, 10.0 }, { index = pd.to_datetime { "2020-01-01 00:00", "2020-01-01 00:01", "2020-01-01 00:10" } })
T.close(ti:interpolate { method = "time" }:to_array(), fe.interp_time, 1e-15, 0, "time")
local src = pd.Series({ 1.0, 2.0, 3.0 }, { index = pd.to_datetime { "2020-01-01 00:00", "2020-01-01 00:10", "2020-01-01 00:20" } })
local tgt = pd.to_datetime { "2020-01-01 00:04", "2020-01-01 00:05", "2020-01-01 00:06", "2020-01-01 00:31", "2019-12-31 23:59" }
T.close(src:reindex(tgt, { method = "nearest" }):to_array(), fe.reindex.nearest, 0, 0, "nearest (ties go right)")
T.close(src:reindex(tgt, { method = "nearest", tolerance = "5min" }):to_array(), fe.reindex.nearest_tol, 0, 0, "tolerance")
T.close(src:reindex(tgt, { method = "pad" }):to_array(), fe.reindex.pad, 0, 0, "pad")
T.close(s.a:shift(2):to_array(), fe.shift, 0, 0, "shift")
T.close(s.c:diff():to_array(), fe.diff, 0, 0, "diff")
T.close(s.c:rolling(3):mean():to_array(), fe.rolling3_mean, 1e-15, 0, "rolling count window")
T.close(s.c:rolling("2h"):sum():to_array(), fe.rolling2h_sum, 1e-15, 0, "rolling time window")
T.close(s.a:rolling(3, { min_periods = 1 }):std():to_array(), fe.rolling3_std, 1e-12, 0, "rolling std")
T.close(s.c:rolling(3):median():to_array(), fe.rolling3_median, 0, 0, "rolling median")
T.close(s.a:rolling("1h"):min():to_array(), fe.rolling1h_min, 0, 0, "rolling time min")
T.close(s.a:rolling("1h"):max():to_array(), fe.rolling1h_max, 0, 0, "rolling time max")
T.close(pd.Series({ 0.0, nan, nan, nan, 4.0, nan, 6.0 }):interpolate { method = "nearest" }:to_array(),
  fe.interp_nearest, 0, 0, "nearest")

-- datetime accessors and partial-string selection
local t = hydro:head(3)
T.eq(t.index.is_datetime, true)
T.eq(pd.to_datetime { "2016-02-29 13:45" }:tolist()[1], 1456753500000000000)
local dt = pd.Series(pd.to_datetime { "2016-02-29 13:45", "2019-12-31 23:59:59" })
T.eq(dt.dt.year:tolist(), { 2016, 2019 })
T.eq(dt.dt.month:tolist(), { 2, 12 })
T.eq(dt.dt.dayofyear:tolist(), { 60, 365 })
T.eq(dt.dt.hour:tolist(), { 13, 23 })
local march = hydro.loc["2015-03"]
local ts = pd.Series(hydro.index)
T.eq(#march, (ts:ge("2015-03-01") & ts:lt("2015-04-01")):sum(), "partial string = the whole month")
T.eq(tostring(pd.Timestamp(march.index[1])), "2015-03-01 00:00:00")
T.ok(march.index[#march] < pd.to_datetime("2015-04-01").value)
local range = hydro.loc[{ "2015-03-01", "2015-03-02" }]
T.eq(#range, 2 * 24 * 12, "a {from, to} day range includes both days")
T.eq(hydro.iloc[{ { 1, 3 } }].shape, { 3, 3 })
T.eq(tostring(pd.Timedelta("5min")), "0 days 00:05:00")
T.eq(pd.date_range("2016-02-27", "2016-03-02"):tolist()[3], 1456704000000000000)
T.eq(#pd.date_range("2016-01-31", nil, { periods = 3, freq = "M" }), 3)
T.eq(pd.date_range("2016-01-31", nil, { periods = 3, freq = "M" }):tolist()[2], pd.to_datetime("2016-02-29").value)
T.eq(#hydro:head(20):asfreq("1min"), 96)

T.done()
