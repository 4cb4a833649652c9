-- report_notebook_run.lua: `geolab run notebook.ipynb` runs a notebook's
-- code cells in order as `geolab run` runs a script (issue 17): the demo
-- script converted to a notebook prints what the script prints, a cell's
-- error gives exit status 1 and later cells still run; `geolab run
-- --manifest` and `geolab verify` take the notebook too; a file that is not
-- a notebook is a clear error.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end   -- some commands run elsewhere
local DEMO = "tests/fixtures/report/cells_demo.lua"
local dir = T.tmp("report_notebook_run")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local sh = T.sh
local function geolab (args) return sh(("'%s' %s"):format(exe, args)) end

local nb = dir .. "/demo.ipynb"
local _, crc = geolab(("convert %s -o %s"):format(DEMO, nb))
T.eq(crc, 0)
local script_out, src = geolab(("run %s"):format(DEMO))
local nb_out, nrc = geolab(("run %s"):format(nb))
local out, rc
T.eq(nrc, src, "same exit status as the script")
T.eq(nrc, 1, "a cell raised an error")
-- the same output; the error names the notebook, at a line of the script
-- convert writes of it (27 here, 25 in the original)
T.ok(nb_out:find("demo.ipynb:27: attempt to index a nil value (global 'bad')", 1, true), nb_out)
local function strip (s) return (s:gsub("[%w_/%.]*cells_demo%.lua:%d+", "X"):gsub("[%w_/%.]*demo%.ipynb:%d+", "X")) end
T.eq(strip(nb_out), strip(script_out))
T.ok(nb_out:find("after the error\t5\n", 1, true), "later cells ran with earlier cells' locals")

-- geolab report on a notebook: demo.ipynb -> demo.html
out, rc = sh(("cd '%s' && '%s' report demo.ipynb"):format(dir, exe))
T.eq(rc, 1)
T.eq(out, "geolab report: demo.html: 5 cells run, 1 with errors\n")
T.ok(T.read(dir .. "/demo.html"):find("after the error\t5", 1, true))

-- the practical tour as a notebook prints its expected output
local tour = dir .. "/tour.ipynb"
geolab(("convert scripts/00_tour.lua -o %s"):format(tour))
local trc
out, trc = geolab(("run %s"):format(tour))
T.eq(trc, 0)
T.eq(out, T.read("scripts/00_tour.expected"))

-- manifests and verification
local m = dir .. "/m.json"
_, rc = geolab(("run --manifest %s %s"):format(m, tour))
T.eq(rc, 0)
out, rc = geolab(("verify %s"):format(m))
T.eq(rc, 0, out)
T.ok(out:find("identical", 1, true), out)

T.write(dir .. "/bad.ipynb", '{"cells": 3}')
out, rc = geolab(("run %s/bad.ipynb"):format(dir))
T.eq(rc, 1)
T.ok(out:find("bad.ipynb: not a Jupyter notebook (no 'cells' list)", 1, true), out)
print("report_notebook_run: ok")
