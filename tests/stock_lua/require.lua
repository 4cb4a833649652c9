-- require.lua: geolab's modules from a stock lua5.4 (arg[1]: folder of geolab.so).
package.cpath = arg[1] .. "/?.so;" .. package.cpath
package.path = "tests/?.lua;" .. package.path
local T = require "testlib"
local np = require "geolab.array"
T.eq(tostring(np.arange(3) * 2), "array([0, 2, 4])")
T.eq(np.array{{1, 2}, {3, 4}}[{2, 1}], 3)
T.ok(require "geolab.array" == np, "one module table per state")
local geolab = require "geolab"
T.ok(geolab.array == np, "require 'geolab' returns the module tables")
T.err("np.zeros: negative dimensions are not allowed", np.zeros, {-2})
T.done()
