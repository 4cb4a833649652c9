-- bench/frame_csv.lua: frame targets of issue 4 (paired with frame_csv.py):
-- a 1,000,000 x 4 numeric CSV, the eight hydrology files with NA codes and
-- datetimes, and resample + interpolate of the 733k-row series.
local B = dofile("bench/common.lua")
local quick, result = B.quick, B.result
local best = B.timer{reps = 5}
-- what both sides print (bench/run.sh compares them): rows, and each column's
-- count of values and sum (summation order differs: 1e-9)
local function check(case, df)
  print(("CHECK %s rows %d"):format(case, df.shape[1]))
  for _, c in ipairs(df.columns) do
    print(("CHECK %s count_%s %d"):format(case, c, df[c]:count()))
    print(("CHECK %s sum_%s %.17g rtol=1e-9"):format(case, c, df[c]:sum()))
  end
end

-- the numeric file, written once (deterministic values, 4 columns, mixed magnitudes)
local path = "bench/out/numeric_1M.csv"
local f = io.open(path)
if f then f:close() else
  os.execute("mkdir -p bench/out")
  f = assert(io.open(path, "w"))
  f:write("a,b,c,d\n")
  local x = 12345
  local buf = {}
  for i = 1, 1000000 do
    x = (x * 1103515245 + 12345) % 2147483648
    local u = x / 2147483648
    buf[#buf + 1] = ("%.6f,%.3f,%d,%.9g\n"):format(u * 100 - 50, u * 1e4, x % 100000, u * 1e-3)
    if #buf == 10000 then f:write(table.concat(buf)); buf = {} end
  end
  f:write(table.concat(buf))
  f:close()
end
local df
result("read_csv_numeric_1Mx4", best(function() df = pd.read_csv(path) end, 5))
check("read_csv_numeric_1Mx4", df)

local hydro
local function read_hydro()
  return pd.read_csv("data/calibration/hydrology/*.csv.gz",
    { comment = "#", na_values = { -30000, "NAN", 1e10 }, parse_dates = { "datetime" }, index_col = "datetime" })
end
result("read_csv_hydrology_8_files", best(function() hydro = read_hydro() end, 5))
check("read_csv_hydrology_8_files", hydro)
local r
result("resample_1min_mean_interpolate", best(function()
  r = hydro:resample("1min"):mean():interpolate { limit = 10 }
end, 5))
check("resample_1min_mean_interpolate", r)
