-- sweep_run.lua: geolab sweep (issue 18) with 2 local processes: the grid's
-- order (sklearn's ParameterGrid), the values in results.csv against runs of
-- the same script done directly, the failed point as a row with its error,
-- figures captured and shown in results.html, --collect, the grid checks
-- and the command-line errors.
local T = require "testlib"
local S = require "geolab.sweep"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = T.tmp("sweep_run")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
local SCRIPT, GRID = "tests/fixtures/sweep/svc_sweep.lua", "tests/fixtures/sweep/grid.lua"

-- {===== the grid
local pts = S.expand({C = {0.1, 1}, kernel = {"rbf", "linear"}, gamma = {"scale"}})
local got = {}
for _, p in ipairs(pts) do got[#got + 1] = ("%s/%s/%s"):format(p.values.C, p.values.gamma, p.values.kernel) end
T.eq(table.concat(got, " "), "0.1/scale/rbf 0.1/scale/linear 1/scale/rbf 1/scale/linear", "keys sorted, the last fastest")
pts = S.expand({{kernel = {"linear"}, C = {1, 10}}, {kernel = {"rbf"}, gamma = {0.1, 1}}})
T.eq(#pts, 4, "a list of grids")
T.eq(pts[3].values.gamma, 0.1); T.eq(pts[3].values.C, nil)
T.eq(#S.expand({}), 1, "an empty grid is one point without parameters")
T.err("parameter grid for 'C' needs to be a list, got number", S.expand, {C = 1})
T.err("parameter grid for 'C' needs to be a non-empty list", S.expand, {C = {}})
T.err("values of 'C' must be numbers, strings or booleans, got table", S.expand, {C = {{1}}})
local names, vals = S.values("loss = 0.5\nR2 = 0.873\nnot a value\nn = 3 points\nloss = 0.25\nbias = nan\n")
T.eq(table.concat(names, ","), "loss,R2,bias")
T.eq(vals.loss, 0.25, "the last value of a name counts")
T.ok(vals.bias ~= vals.bias, "nan")
T.eq(S.numtext(0.1), "0.1"); T.eq(S.numtext(1.0), "1.0"); T.eq(S.numtext(3), "3")
-- }=====

-- {===== six points, two at a time
local out, rc = T.sh(("'%s' sweep %s --grid %s --out %s/out --jobs 2"):format(exe, SCRIPT, GRID, dir))
T.eq(rc, 1, "a point failed: exit status 1\n" .. out)
T.ok(out:find("geolab sweep: 6 points, 1 failed -> " .. dir .. "/out/results.csv", 1, true), out)
local csv = T.read(dir .. "/out/results.csv")
local lines = {}
for l in csv:gmatch("[^\n]+") do lines[#lines + 1] = l end
T.eq(#lines, 7)
T.eq(lines[1], "point,param_C,param_kernel,params,accuracy,n_support,status,error,figures,seconds")
T.ok(lines[2]:find([[^1,0%.1,rbf,"{'C': 0%.1, 'kernel': 'rbf'}",]]), lines[2])
T.ok(lines[7]:find([[^6,10,linear,"{'C': 10, 'kernel': 'linear'}",1%.0,7,error,]]), lines[7])
T.ok(lines[7]:find("svc_sweep.lua:16: this point fails on purpose", 1, true), "the error of the failed point")
-- the values against runs of the script done directly
local order = {{0.1, "rbf"}, {0.1, "linear"}, {1, "rbf"}, {1, "linear"}, {10, "rbf"}, {10, "linear"}}
for i, p in ipairs(order) do
  local direct, drc = T.sh(("'%s' -e 'params = {C = %s, kernel = \"%s\"}' %s C=%s kernel=%s"):format(
    exe, p[1], p[2], SCRIPT, p[1], p[2]))
  T.eq(drc, i == 6 and 1 or 0, direct)
  local acc, ns = direct:match("accuracy = (%S+)\nn_support = (%d+)\n")
  T.ok(acc, direct)
  local cells = {}
  for c in lines[i + 1]:gsub('"[^"]*"', "P"):gmatch("[^,]*") do cells[#cells + 1] = c end
  T.eq(tonumber(cells[5]), tonumber(acc), ("point %d: accuracy"):format(i))
  T.eq(cells[6], ns, ("point %d: n_support"):format(i))
  T.eq(cells[7], i == 6 and "error" or "ok")
  T.eq(cells[9], "1", "one figure")
  local stdout = T.read(("%s/out/points/%04d/stdout.txt"):format(dir, i))
  T.eq(stdout, direct:match("^(.-n_support = %d+\n)"), ("point %d: the printed text, arg included"):format(i))
  local png = T.read(("%s/out/points/%04d/fig1.png"):format(dir, i))
  T.ok(png and png:sub(1, 8) == "\137PNG\r\n\26\n", "the figure left open is captured")
  T.ok(T.read(("%s/out/points/%04d/report.html"):format(dir, i)):find("<img", 1, true), "the point's report")
end
T.ok(lines[2]:find(",0.966667,55,ok,,1,", 1, true), lines[2])
local html = T.read(dir .. "/out/results.html")
T.ok(html:find('<a href="points/0003/fig1.png"><img src="points/0003/fig1.png" alt="fig1.png"></a>', 1, true), "thumbnails")
T.ok(html:find('<a href="points/0006/report.html">6</a>', 1, true), "link to a point's report")
T.ok(html:find('<td class="error">', 1, true), "the error shown")
-- --collect writes the same table again
os.remove(dir .. "/out/results.csv")
out, rc = T.sh(("'%s' sweep --collect %s/out"):format(exe, dir))
T.eq(rc, 1, out)
T.eq(T.read(dir .. "/out/results.csv"), csv, "--collect: the same table")
-- a point that never wrote its record is a row saying so
os.remove(dir .. "/out/points/0002/record.json")
T.sh(("'%s' sweep --collect %s/out"):format(exe, dir))
T.ok(T.read(dir .. "/out/results.csv"):find("\n2,0.1,linear,\"{'C': 0.1, 'kernel': 'linear'}\",,,failed,no record (the point did not run),0,\n", 1, true),
     "a point without a record")
-- }=====

-- --seed and --threads as geolab run's: a one-point grid against a direct run
T.write(dir .. "/one.lua", 'return {C = {1}, kernel = {"rbf"}}')
out, rc = T.sh(("'%s' sweep %s --grid %s/one.lua --out %s/seed3 --seed 3 --threads 1"):format(exe, SCRIPT, dir, dir))
T.eq(rc, 0, out)
local direct = T.sh(("'%s' --seed 3 --threads 1 -e 'params = {C = 1, kernel = \"rbf\"}' %s C=1 kernel=rbf"):format(exe, SCRIPT))
T.eq(T.read(dir .. "/seed3/points/0001/stdout.txt"), direct, "--seed 3: the direct run's text")
T.ok(direct ~= T.read(dir .. "/out/points/0003/stdout.txt"), "and not seed 0's")
T.ok(T.read(dir .. "/seed3/sweep.json"):find('"threads": 1,', 1, true), "threads recorded")
-- }=====

-- {===== errors
out, rc = T.sh(("'%s' sweep %s --out %s/x"):format(exe, SCRIPT, dir))
T.eq(rc, 2); T.ok(out:find("geolab sweep: needs a script, --grid and --out", 1, true), out)
T.write(dir .. "/bad.lua", "return {C = 1}")
out, rc = T.sh(("'%s' sweep %s --grid %s/bad.lua --out %s/x"):format(exe, SCRIPT, dir, dir))
T.eq(rc, 2); T.ok(out:find("bad.lua: parameter grid for 'C' needs to be a list, got number", 1, true), out)
out, rc = T.sh(("'%s' sweep %s --grid %s --out %s/x --jobs 0"):format(exe, SCRIPT, GRID, dir))
T.eq(rc, 2); T.ok(out:find("--jobs needs a positive integer, got '0'", 1, true), out)
out, rc = T.sh(("'%s' sweep nothing.lua --grid %s --out %s/x"):format(exe, GRID, dir))
T.eq(rc, 2); T.ok(out:find("cannot open nothing.lua", 1, true), out)
-- without Slurm: a clear error, before anything is written
out, rc = T.sh(("env PATH=/nonexistent '%s' sweep %s --grid %s --out %s/noslurm --slurm"):format(exe, SCRIPT, GRID, dir))
T.eq(rc, 2, out)
T.eq(out, "geolab sweep: sbatch not found on PATH (install Slurm or run without --slurm)\n")
T.ok(not fs.exists(dir .. "/noslurm"), "nothing planned")
out, rc = T.sh(("env PATH=/nonexistent '%s' sweep %s --grid %s --out %s/x --slurm --jobs 2"):format(exe, SCRIPT, GRID, dir))
T.eq(rc, 2); T.ok(out:find("give --jobs N or --slurm, not both", 1, true), out)
-- }=====

T.done()
