-- sweep_tiles_slurm.lua: geolab sweep and geolab tiles through the test
-- Slurm cluster (fixture `slurm`) give the bytes the local runs give: the
-- 6-point sweep of tests/report/sweep_run.lua (results.csv but for the
-- seconds column, every figure), tiled eigenfeatures and DBSCAN of the dune
-- cloud /8 in 4 tiles (result.npz). Skips (77) without Slurm.
local T = require "testlib"
local conf = os.getenv("SLURM_CONF")
local _, has = T.sh("command -v sbatch")
if has ~= 0 or not conf or not fs.isfile(conf) then
  print("SKIP: no Slurm test cluster (install slurm-wlm and munge)")
  os.exit(77)
end
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = fs.abspath(T.tmp("sweep_tiles_slurm"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
local function geolab (args) return T.sh(("'%s' %s"):format(exe, args)) end
local function no_seconds (csv) return (csv or ""):gsub(",[%d.]*\n", "\n") end

-- {===== the sweep
local SCRIPT, GRID = "tests/fixtures/sweep/svc_sweep.lua", "tests/fixtures/sweep/grid.lua"
local out, rc = geolab(("sweep %s --grid %s --out %s/local --jobs 2"):format(SCRIPT, GRID, dir))
T.eq(rc, 1, out)
out, rc = geolab(("sweep %s --grid %s --out %s/slurm --slurm --time 5"):format(SCRIPT, GRID, dir))
T.eq(rc, 1, "one point fails, on Slurm too\n" .. out)
T.ok(out:find("geolab sweep: 6 points, 1 failed", 1, true), out)
local a, b = T.read(dir .. "/local/results.csv"), T.read(dir .. "/slurm/results.csv")
T.ok(b and b:find("\n6,10,linear,", 1, true), b)
T.eq(no_seconds(b), no_seconds(a), "results.csv: the local table, timings aside")
for i = 1, 6 do
  local p = ("points/%04d/fig1.png"):format(i)
  T.ok(T.read(dir .. "/slurm/" .. p) == T.read(dir .. "/local/" .. p), "the same figure bytes: " .. p)
  p = ("points/%04d/stdout.txt"):format(i)
  T.eq(T.read(dir .. "/slurm/" .. p), T.read(dir .. "/local/" .. p), p)
end
T.ok(T.read(dir .. "/slurm/slurm/job.sbatch"):find("--time", 1, true), "the job script asks for the time given")
-- --no-wait submits and returns; --collect gathers what has ended so far
out, rc = geolab(("sweep %s --grid %s --out %s/later --slurm --no-wait"):format(SCRIPT, GRID, dir))
T.eq(rc, 0, out)
T.ok(out:find("geolab sweep: submitted Slurm job %d+ %(6 tasks%); later: geolab sweep %-%-collect " .. dir:gsub("%p", "%%%0") .. "/later\n$"), out)
for _ = 1, 300 do
  out, rc = geolab(("sweep --collect %s/later"):format(dir))
  if not out:find("not finished", 1, true) then break end
  T.ok(out:find("^geolab sweep: 6 points, %d failed, %d not finished %->"), out)
  os.execute("sleep 0.2")
end
T.eq(rc, 1, out)
T.eq(no_seconds(T.read(dir .. "/later/results.csv")), no_seconds(a), "--no-wait, then --collect: the same table")
-- }=====

-- {===== tiles
local P = np.concatenate{np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")}
np.save(dir .. "/dune8.npy", P[{{1, -1, 8}}]:copy())
for _, job in ipairs {{"ef", "--eigenfeatures 0.05,0.2"}, {"db", "--dbscan 0.02 --min-samples 5"}} do
  for _, where in ipairs {{"local", "--jobs 2"}, {"slurm", "--slurm"}} do
    local d = ("%s/%s_%s"):format(dir, job[1], where[1])
    out, rc = geolab(("tiles plan %s/dune8.npy --out %s --tiles 2x2 %s"):format(dir, d, job[2]))
    T.eq(rc, 0, out)
    out, rc = geolab(("tiles run %s %s"):format(d, where[2]))
    T.eq(rc, 0, out)
  end
  local l, s = T.read(("%s/%s_local/result.npz"):format(dir, job[1])), T.read(("%s/%s_slurm/result.npz"):format(dir, job[1]))
  T.ok(l and l == s, job[1] .. ": Slurm's result.npz is the local one, byte for byte")
end
local single = spatial.eigenfeatures(np.load(dir .. "/dune8.npy"), {radius = {0.05, 0.2}, order = "index"})
local r = np.load(dir .. "/ef_slurm/result.npz")
T.ok((r.features:eq(single.features) | (r.features:isnan() & single.features:isnan())):all(),
     "eigenfeatures through Slurm: the single-machine bits")
local m = ml.DBSCAN{eps = 0.02, min_samples = 5}:fit(np.load(dir .. "/dune8.npy"))
T.ok(np.load(dir .. "/db_slurm/result.npz").labels:eq(m.labels_):all(), "DBSCAN through Slurm: the single-machine labels")
-- }=====

T.done()
