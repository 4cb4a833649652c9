-- frame_limits.lua: wide CSV headers cost linear time, and duplicate names
-- are mangled exactly as pandas 1.5.3 does (issue 12: 2,000 repeated names
-- took 26 s, 100,000 distinct columns 80 s).
local T = require "testlib"
local FX = "tests/fixtures/limits/"

-- names from pandas 1.5.3 (tests/fixtures/limits/gen_limits.py)
local want = {}
for line in io.lines(FX .. "dup_names.txt") do want[#want + 1] = line end
local df = pd.read_csv(FX .. "dup_names.csv")
local cols = {}
for i, c in ipairs(df.columns) do cols[i] = c end
T.eq(cols, want, "duplicate names as pandas mangles them")
T.eq(#want, 17)
T.eq(df["a.3"][1], 2)          -- the third 'a' skips a.1 and a.2, which exist
T.eq(df["Unnamed: 10.1"][1], 10)
T.eq(df["x.1.1"][1], 16)

-- wide files, timed in a child process so that a slow reader fails the test
-- instead of hanging it (the bounds are 20x what this takes on a busy machine)
local exe = arg[-1] or "geolab"
local function timed(name, ncol, distinct, limit)
  local path = T.tmp(name .. ".csv")
  local f = assert(io.open(path, "w"))
  local hdr, row = {}, {}
  for i = 1, ncol do hdr[i] = distinct and ("c" .. i) or "v"; row[i] = tostring(i % 10) end
  f:write(table.concat(hdr, ","), "\n", table.concat(row, ","), "\n", table.concat(row, ","), "\n")
  f:close()
  -- printing counts too: fitting 100,000 columns to the width took 18 s
  local code = ([[local d = pd.read_csv(%q); local s = tostring(d); print(#d.columns, d.shape[1], d.columns[%d], s:find("...", 1, true) ~= nil)]]):format(path, ncol)
  local p = assert(io.popen(("timeout %d '%s' -e '%s' 2>&1; echo rc=$?"):format(limit, exe, code)))
  local out = p:read("a")
  p:close()
  return out
end
local out = timed("wide_distinct", 100000, true, 20)
T.eq(out, "100000\t2\tc100000\ttrue\nrc=0\n", "100,000 distinct columns within 20 s")
-- column look-ups by name (usecols, parse_dates, dtype) are hashed too: 20,000
-- usecols names on that file took 10 s
do
  local path = T.tmp("wide_distinct.csv")
  local code = ([[local u = {} for i = 1, 20000 do u[i] = "c" .. (2 * i) end
local d = pd.read_csv(%q, {usecols = u}) print(#d.columns, d.columns[20000])]]):format(path)
  local p = assert(io.popen(("timeout 20 '%s' -e '%s' 2>&1; echo rc=$?"):format(exe, code)))
  T.eq(p:read("a"), "20000\tc40000\nrc=0\n", "usecols of 20,000 names within 20 s")
  p:close()
end
out = timed("wide_dup", 4000, false, 20)
T.eq(out, "4000\t2\tv.3999\ttrue\nrc=0\n", "4,000 repeated names within 20 s")

T.done()
