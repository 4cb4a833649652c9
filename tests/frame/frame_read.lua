-- frame_read.lua: pd.read_csv against pandas fixtures (tests/fixtures/frame/gen_frame.py)
-- on the real calibration files and hand-made edge cases; to_csv round trip.
local T = require "testlib"
local FX = "tests/fixtures/frame/"
local CHEM = "data/calibration/chemistry/CE_DIG_OBSERA_RIVERS_2019-09-26.csv"

local function check_frame(df, fx, label)
  T.eq(df.shape, fx.shape, label .. " shape")
  T.eq(df.columns, fx.columns, label .. " columns")
  local dts = df.dtypes:tolist()
  T.eq(dts, fx.dtypes, label .. " dtypes")
  for _, nm in ipairs(fx.columns) do
    local want, s = fx.values[nm], df[nm]
    if s.dtype == "object" then
      local got = s:tolist()
      local ok = true
      for i = 1, #want do if (got[i] or false) ~= want[i] then ok = false; T.ok(false, ("%s %s row %d: %s vs %s"):format(label, nm, i, tostring(got[i]), tostring(want[i]))) break end end
      if ok then T.ok(true) end
    elseif s.dtype == "datetime64[ns]" then
      T.eq(s:tolist(), want, label .. " " .. nm)
    elseif s.dtype == "bool" then
      T.eq(s:tolist(), want, label .. " " .. nm)
    else
      -- pandas' default float parser is not always correctly rounded
      -- (0.00242699838884322 reads as 0.0024269983888432); geolab's is
      T.close(s:to_array(), want, 1e-13, 0, label .. " " .. nm)
    end
  end
end

-- the chemistry table: ';', accents, empty cells, short last rows
local chem = pd.read_csv(CHEM, { sep = ";" })
check_frame(chem, dofile(FX .. "read_chem.lua"), "chem")
-- sniffed separator gives the same
local sniffed = pd.read_csv(CHEM)
T.eq(sniffed.shape, { 1318, 22 })
T.eq(sniffed.columns[8], "Twater (°C)")

-- Date + Hour combined into one datetime index (two time formats)
local fx = dofile(FX .. "read_chem_dates.lua")
local c2 = pd.read_csv(CHEM, { sep = ";", parse_dates = { time = { "Date", "Hour" } }, index_col = "time" })
T.eq(c2.columns, fx.columns_all, "combined dates drop their parts")
T.eq(c2.index.name, "time")
T.ok(c2.index.is_datetime)
T.eq(c2.index:tolist(), fx.index, "times to the nanosecond")
T.close(c2["Suspended Load"]:to_array(), fx.values["Suspended Load"], 0, 0, "suspended load")
T.eq(c2["Type"]:tolist(), fx.values.Type)

-- the eight gzipped hydrology files through a glob
local fh = dofile(FX .. "read_hydro.lua")
local hydro = pd.read_csv("data/calibration/hydrology/*.csv.gz",
  { comment = "#", na_values = { -30000, "NAN", 1e10 }, parse_dates = { "datetime" }, index_col = "datetime" })
T.eq(#hydro, fh.n)
T.eq(hydro.dtypes:tolist(), fh.dtypes)
local idx = hydro.index.values
local pos = np.array(fh.pos)
for _, nm in ipairs { "level", "turbidity", "temperature" } do
  local s = hydro[nm]
  T.eq(s:isna():sum(), fh[nm .. "_nan"], nm .. " NaN count")
  T.close(s:sum(), fh[nm .. "_sum"], 1e-9, 0, nm .. " sum")
  local got = {}
  for i, p in ipairs(fh.pos) do got[i] = s.iloc[p] or 0 / 0 end
  T.close(got, fh[nm], 0, 0, nm .. " sampled values")
  local d = hydro:describe()[nm]:tolist()
  T.close(d, fh.describe[nm], 1e-9, 1e-9, nm .. " describe")
end
local tgot = {}
for i, p in ipairs(fh.pos) do tgot[i] = hydro.index[p] end
T.eq(tgot, fh.index, "hydro times")
-- a list of files reads the same as the glob
local two = pd.read_csv({ "data/calibration/hydrology/Data_CE_DIG_Hydro_2013.csv.gz",
                          "data/calibration/hydrology/Data_CE_DIG_Hydro_2014.csv.gz" }, { comment = "#" })
T.eq(two.columns, { "datetime", "level", "turbidity", "temperature" })
T.eq(two.dtypes:tolist(), { "object", "object", "object", "float64" }, "NAN strings keep columns as strings")

-- edge cases: BOM, CRLF, quotes, bools, NA strings, all-NaN, leap day, ns times
check_frame(pd.read_csv(FX .. "edge_types.csv", { parse_dates = { "when" } }), dofile(FX .. "edge_types.lua"), "types")
check_frame(pd.read_csv(FX .. "edge_euro.csv", { sep = ";", decimal = ",", thousands = ".", encoding = "latin-1",
  na_values = { ["quantité"] = { -999 } } }), dofile(FX .. "edge_euro.lua"), "euro")

-- options
local sub = pd.read_csv(CHEM, { sep = ";", usecols = { "Date", "pH" }, nrows = 10 })
T.eq(sub.shape, { 10, 2 })
T.eq(sub.columns, { "Date", "pH" })
local skip = pd.read_csv(FX .. "edge_types.csv", { skiprows = 1, header = false })
T.eq(skip.shape, { 4, 7 })
T.eq(skip.columns[1], "0")   -- pandas labels 0..n-1 (as strings)
local named = pd.read_csv(FX .. "edge_types.csv", { names = { "a", "b", "c", "d", "e", "f", "g" } })
T.eq(named.shape, { 5, 7 }, "names without header: the first line is data (pandas)")
named = pd.read_csv(FX .. "edge_types.csv", { names = { "a", "b", "c", "d", "e", "f", "g" }, header = true })
T.eq(named.shape, { 4, 7 })
local forced = pd.read_csv(FX .. "edge_types.csv", { dtype = { id = "float64", flag = "str" } })
T.eq(forced.dtypes:tolist()[1], "float64")
T.eq(forced.flag:tolist(), { "True", "False", "true", "FALSE" })
local noa = pd.read_csv(FX .. "edge_types.csv", { keep_default_na = false })
T.eq(noa.allnan.dtype, "object")

-- the all-numbers fast path gives what the general path gives
do
  local fc = require "geolab.frame_core"
  local p = T.tmp("numeric.csv")
  local f = assert(io.open(p, "w"))
  f:write("# generated\na,b,c,d\n")
  for i = 1, 30000 do
    f:write(("%d,%.6f,%s,%d\n"):format(i, i / 7, i % 97 == 0 and "" or (i % 89 == 0 and "-999" or ("%.3e"):format(i * 1.5)), -i))
    if i % 5000 == 0 then f:write("\n") end
  end
  f:close()
  local o = { comment = "#", na = { -999 } }
  local n1, c1, k1 = fc.read_csv(p, o)
  o.fast = false
  local n2, c2, k2 = fc.read_csv(p, o)
  T.eq(n1, n2)
  T.eq(k1, { "int", "float", "float", "float" }, "-999 in column d is missing too: float64")
  T.eq(k1, k2)
  for j = 1, 4 do T.close(c1[j], c2[j], 0, 0, "fast path column " .. j) end
  local df = pd.read_csv(p, { comment = "#", na_values = { -999 } })
  T.eq(df.shape, { 30000, 4 })
  T.eq(df.c:isna():sum(), 30000 // 97 + 30000 // 89 - 30000 // (97 * 89))
end

-- to_csv round trip
local tmp = T.tmp("frame_roundtrip.csv")
c2:to_csv(tmp)
local back = pd.read_csv(tmp, { parse_dates = { "time" }, index_col = "time" })
T.eq(back.index:tolist(), c2.index:tolist(), "round trip times")
T.close(back["Suspended Load"]:to_array(), c2["Suspended Load"]:to_array(), 0, 0, "round trip floats")
T.eq(back["Comment"]:tolist(), c2["Comment"]:tolist(), "round trip strings with ; and quotes")
T.eq(back.dtypes:tolist(), c2.dtypes:tolist(), "round trip dtypes")
local tmpgz = T.tmp("frame_roundtrip.csv.gz")
hydro:head(1000):to_csv(tmpgz)
local backgz = pd.read_csv(tmpgz, { parse_dates = { "datetime" }, index_col = "datetime" })
T.close(backgz.turbidity:to_array(), hydro:head(1000).turbidity:to_array(), 0, 0, "gz round trip")

T.done()
