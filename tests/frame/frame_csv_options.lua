-- frame_csv_options.lua: pd.read_csv's header, names, skiprows and usecols options against
-- pandas 1.5.3 (tests/fixtures/frame/gen_csv_options.py), and their error messages.
local T = require "testlib"
local FX = "tests/fixtures/frame/"

local function show_opts(o)
  local parts = {}
  for k, v in pairs(o) do parts[#parts + 1] = k .. "=" .. (type(v) == "table" and T.show(v) or tostring(v)) end
  table.sort(parts)
  return "{" .. table.concat(parts, ", ") .. "}"
end

for _, case in ipairs(dofile(FX .. "csv_options.lua")) do
  local label = case.file .. " " .. show_opts(case.opts)
  local ok, df = pcall(pd.read_csv, case.file, case.opts)
  if not ok then T.ok(false, label .. ": " .. tostring(df))
  else
    T.eq(df.columns, case.columns, label .. " columns")
    T.eq(df.dtypes:tolist(), case.dtypes, label .. " dtypes")
    for _, nm in ipairs(case.columns) do
      local got, want = df[nm]:tolist(), case.values[nm]
      local g = {}
      for i = 1, #want do if got[i] == nil then g[i] = false else g[i] = got[i] end end
      T.eq(g, want, label .. " " .. nm)
    end
  end
end

-- header=false names columns "0".."n-1" (strings: geolab column names are strings)
local nh = pd.read_csv(FX .. "opt_noheader.csv", { header = false })
T.eq(nh.columns, { "0", "1", "2" })
T.eq(nh["0"]:tolist(), { 1, 3, 5 })
-- the fast all-numbers path and the general path agree on header rows
local h2 = pd.read_csv(FX .. "opt_plain.csv", { header = 2, usecols = { 1, 2 } })
T.eq(h2.columns, { "2", "20" })
T.eq(h2["20"]:tolist(), { 30, 40, 50, 60 })
-- skiprows lists past the end of the file and duplicates are harmless (pandas)
T.eq(pd.read_csv(FX .. "opt_plain.csv", { skiprows = { 1, 1, 99 } }).x:tolist(), { 2, 3, 4, 5, 6 })

-- errors name pd.read_csv, the file and what was expected
local P = FX .. "opt_plain.csv"
-- a column position 0 copied from pandas fails with the translation
T.err("pd.read_csv: " .. P .. ": usecols position 0: columns count from 1 in geolab (Lua); pandas' usecols=[0, 2] is usecols={1, 3} here (or give column names)",
      pd.read_csv, P, { usecols = { 0, 2 } })
T.err("pd.read_csv: index_col=0: columns count from 1 in geolab (Lua); pandas' index_col=0 is index_col=1 here (or give the column's name)",
      pd.read_csv, P, { index_col = 0 })
T.err("pd.read_csv: " .. P .. ": parse_dates position 0: columns count from 1", pd.read_csv, P, { parse_dates = { 0 } })
T.err("pd.read_csv: " .. P .. ": usecols positions must be integers, got 1.5", pd.read_csv, P, { usecols = { 1.5 } })
T.err("pd.read_csv: " .. P .. ": usecols position 4 out of range (1..3)", pd.read_csv, P, { usecols = { 4 } })
T.err("pd.read_csv: " .. P .. ": usecols must be a list of column names or 1-based positions, or a function(name)",
      pd.read_csv, P, { usecols = 2 })
-- index_col is a 1-based position or a name, as usecols
T.eq(pd.read_csv(P, { index_col = 3 }).index:tolist(), { "a", "b", "c", "d", "e", "f" })
T.eq(pd.read_csv(P, { index_col = "label" }).columns, { "x", "y" })
T.err("pd.read_csv: " .. P .. ": header=7 but the file has only 7 rows (after skiprows)",
      pd.read_csv, P, { header = 7 })
T.err("pd.read_csv: " .. P .. ": header=3 but the file has only 3 rows (after skiprows)",
      pd.read_csv, P, { header = 3, skiprows = { 0, 1, 2, 3 } })
T.err("pd.read_csv: " .. P .. ": option 'header' must be a row number (0-based integer), nil or false, got -1",
      pd.read_csv, P, { header = -1 })
T.err("pd.read_csv: " .. P .. ": option 'header' must be a row number (0-based integer), nil or false, got 1.5",
      pd.read_csv, P, { header = 1.5 })
T.err("pd.read_csv: " .. P .. ": option 'header' must be a row number (0-based integer), nil or false, got string",
      pd.read_csv, P, { header = "x" })
T.err("pd.read_csv: " .. P .. ": skiprows entries must be line numbers (integers >= 0), got number '1.5'",
      pd.read_csv, P, { skiprows = { 0, 1.5 } })
T.err("pd.read_csv: " .. P .. ": skiprows entries must be line numbers (integers >= 0), got string 'a'",
      pd.read_csv, P, { skiprows = { "a" } })
T.err("pd.read_csv: " .. P .. ": skiprows entries must be line numbers (integers >= 0), got number '-1'",
      pd.read_csv, P, { skiprows = { -1 } })
T.err("pd.read_csv: " .. P .. ": option 'skiprows' must be a line count, a list of line numbers (0-based) or a function, got string",
      pd.read_csv, P, { skiprows = "2" })

-- duplicate names: pandas' "Duplicate names are not allowed.", before the file is read
-- (an empty file once reached the DataFrame constructor's message; libFuzzer)
local empty = T.tmp("empty_names.csv")
do local f = assert(io.open(empty, "w")); f:close() end
T.err("pd.read_csv: Duplicate names are not allowed ('a' twice in names)", pd.read_csv, empty, { names = { "a", "a" } })
T.err("pd.read_csv: Duplicate names are not allowed ('a' twice in names)", pd.read_csv, P, { names = { "a", "a" } })

-- numbered columns (names={1, 2}, pandas' names=[1, 2]) and index_col: the index
-- is that column, as in pandas (it once reached set_index as a list of labels; libFuzzer)
do
  local f = T.tmp("numbered.csv")
  local h = assert(io.open(f, "w")); h:write("x,10\ny,20\n"); h:close()
  local df = pd.read_csv(f, { names = { 1, 2 }, index_col = 1 })
  T.eq(df.columns, { 2 }, "numbered names: the other column stays")
  T.eq(df.index:tolist(), { "x", "y" }, "numbered names: index from column 1")
  T.eq(df.index.name, 1, "numbered names: index name")
  T.eq(df[2]:tolist(), { 10, 20 }, "numbered names: values")
  local s = pd.read_csv(f, { names = { 1, 2 } }):set_index(2)
  T.eq(s.index:tolist(), { 10, 20 }, "set_index by a numbered column's label")
end

T.done()
