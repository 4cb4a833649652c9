-- core_pyformat.lua: geolab.pyformat gives what Python's format(value, spec)
-- gives (tests/fixtures/core/gen_pyformat.py), and printf-style specs work.
local T = require "testlib"
local P = require "geolab.pyformat"

for _, r in ipairs(dofile("tests/fixtures/core/pyformat.lua")) do
  local ok, got = pcall(P.format, r[1], r[2])
  T.eq(ok and got or ("error: " .. tostring(got)), r[3], ("format(%s, '%s')"):format(tostring(r[2]), r[1]))
end
-- printf-style, with literal text around one conversion
T.eq(P.format("%.2f", 2.5), "2.50")
T.eq(P.format("%5.1f %%", 12.25), " 12.2 %")
T.eq(P.format("%d", 3.0), "3")
-- what Python refuses fails loudly, never prints something else
T.err("format spec 'd': code 'd' needs an integer value, got 2.5 (Python raises ValueError; use '.0f')", P.format, "d", 2.5)
T.err("format '%d': %d needs an integer value, got 0.25", P.format, "%d", 0.25)
T.err("'.2q' is neither a Python format spec", P.format, ".2q", 1)
T.err("'%s' is neither a Python format spec", P.format, "%s", 1)
T.eq(select(2, P.compile(3)), "a format must be a string")
T.done()
