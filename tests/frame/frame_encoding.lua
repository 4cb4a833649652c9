-- frame_encoding.lua: pd.read_csv of Windows-1252 files against pandas 1.5.3
-- (fixtures from tests/fixtures/frame/gen_cp1252.py): the 27 characters
-- cp1252 puts at 0x80-0x9F (where Latin-1 has control codes), the undefined
-- bytes and encoding_errors.
local T = require "testlib"
local FX = "tests/fixtures/frame/"
local E = dofile(FX .. "cp1252.lua")

local d = pd.read_csv(FX .. "cp1252.csv", {sep = ";", decimal = ",", encoding = "cp1252"})
T.eq(d.columns, E.columns)
T.eq(d[E.columns[1]]:tolist(), E.col1)
T.eq(d[E.columns[2]]:tolist(), E.col2)
T.eq(d[E.columns[3]]:tolist(), E.col3)
-- the names Python accepts for it
T.eq(pd.read_csv(FX .. "cp1252.csv", {sep = ";", encoding = "Windows_1252"}).columns, E.columns)
-- Latin-1 keeps 0x80 as the control character U+0080, as pandas does
T.eq(pd.read_csv(FX .. "cp1252.csv", {sep = ";", encoding = "latin-1"}).columns, E.latin1_columns)

-- 0x81 is undefined: Python's codec raises (position 14); so does geolab, naming the place
T.err("cp1252_bad.csv, line 3, character 4 (byte offset 14): byte 0x81 is not defined in cp1252",
  pd.read_csv, FX .. "cp1252_bad.csv", {sep = ";", encoding = "cp1252"})
T.eq(pd.read_csv(FX .. "cp1252_bad.csv", {sep = ";", encoding = "cp1252", encoding_errors = "replace"}).b:tolist(),
  E.replace_b)
T.eq(pd.read_csv(FX .. "cp1252_bad.csv", {sep = ";", encoding = "cp1252", encoding_errors = "ignore"}).b:tolist(),
  E.ignore_b)
T.err("option 'encoding_errors' must be 'strict', 'replace' or 'ignore', got 'skip'",
  pd.read_csv, FX .. "cp1252_bad.csv", {encoding = "cp1252", encoding_errors = "skip"})
T.err("encoding_errors='replace' is only implemented for cp1252",
  pd.read_csv, FX .. "cp1252.csv", {encoding_errors = "replace"})
T.err("unknown encoding 'cp1250' (expected 'utf-8', 'latin-1' or 'cp1252')",
  pd.read_csv, FX .. "cp1252.csv", {encoding = "cp1250"})
-- a cp1252 file read as UTF-8 says what to do
T.err("cp1252.csv, line 1, character 7: invalid UTF-8 (byte 0x80); pass encoding='cp1252' or 'latin-1'",
  pd.read_csv, FX .. "cp1252.csv", {sep = ";"})

T.done()
