-- spatial_tiles_cli.lua: `geolab tiles`, the command line of spatial.tiles
-- (stdlib/spatial/spatial_tiles.lua): plan a folder, run its tasks (here,
-- N at a time, or as a Slurm job array), run one task, merge.
local TR = require "geolab.task_runner"
local M = {}

local USAGE = [[
usage: geolab tiles plan CLOUD --out DIR [--tiles NXxNY]
                         (--eigenfeatures R1[,R2...] [--min-neighbors K] | --dbscan EPS [--min-samples M])
       geolab tiles run DIR ]] .. TR.USAGE .. [[

       geolab tiles --task DIR I [--threads N]     (one tile: what run starts, locally or on Slurm)
       geolab tiles merge DIR                      (DIR/result.npz from the tasks' outputs)
CLOUD: .xyz/.txt, .las or .npy. See docs/cluster.md.]]

local function die (msg)
  io.stderr:write("geolab tiles: ", msg, "\n")
  return 2
end

local function parse (argv)
  local o, pos, i = {}, {}, 1
  while i <= #argv do
    local a = argv[i]
    local name, val = a:match("^(%-%-[%w-]+)=(.*)$")
    name = name or a
    local function value () if val then return val end i = i + 1; return argv[i] end
    local ok, err = TR.option(o, name, value)
    if ok == nil then return nil, err end
    if ok then -- taken
    elseif name == "--task" then o.task = true
    elseif name == "--out" then o.out = value()
    elseif name == "--tiles" then
      local v = value() or ""
      local nx, ny = v:match("^(%d+)x(%d+)$")
      if not nx then return nil, ("--tiles needs NXxNY (e.g. 2x2), got '%s'"):format(v) end
      o.tiles = {tonumber(nx), tonumber(ny)}
    elseif name == "--eigenfeatures" then
      local v = value() or ""
      o.kind, o.radius = "eigenfeatures", {}
      for r in v:gmatch("[^,]+") do
        local x = tonumber(r)
        if not x then return nil, ("--eigenfeatures needs radii like 0.05,0.1, got '%s'"):format(v) end
        o.radius[#o.radius + 1] = x
      end
    elseif name == "--dbscan" then
      local v = value()
      o.kind, o.eps = "dbscan", tonumber(v or "")
      if not o.eps then return nil, ("--dbscan needs eps, got '%s'"):format(v or "") end
    elseif name == "--min-neighbors" or name == "--min-samples" then
      local v = value()
      o[name == "--min-neighbors" and "min_neighbors" or "min_samples"] = math.tointeger(tonumber(v or ""))
      if not (o.min_neighbors or o.min_samples) then return nil, name .. " needs an integer" end
    elseif a:sub(1, 1) == "-" then return nil, ("unrecognized option '%s'"):format(a)
    else pos[#pos + 1] = a end
    i = i + 1
  end
  return o, pos
end

function M.main (argv, host)
  local o, pos = parse(argv)
  if not o then return die(pos .. "\n" .. USAGE) end
  if o.threads then require("geolab.report_core").set_threads(o.threads) end
  local T = spatial.tiles
  local function protect (f, ...)
    local ok, err = pcall(f, ...)
    if not ok then io.stderr:write("geolab tiles: ", tostring(err), "\n") end
    return ok, err
  end
  if o.task then
    if #pos ~= 2 then return die("--task needs DIR and a tile number\n" .. USAGE) end
    return protect(T.task, pos[1], pos[2]) and 0 or 1
  end
  local cmd = pos[1]
  if cmd == "plan" then
    if not pos[2] or not o.out or not o.kind then return die("plan needs CLOUD, --out DIR and a task\n" .. USAGE) end
    local ok, plan = protect(T.plan, {points = pos[2], dir = o.out, tiles = o.tiles, task = o.kind, radius = o.radius,
      min_neighbors = o.min_neighbors, eps = o.eps, min_samples = o.min_samples})
    if not ok then return 1 end
    print(("geolab tiles: %d points in %d tiles (%dx%d) -> %s"):format(plan.n, plan.ntiles, plan.nx, plan.ny, o.out))
    return 0
  elseif cmd == "run" or cmd == "merge" then
    local dir = pos[2]
    if not dir then return die(cmd .. " needs the plan folder\n" .. USAGE) end
    if dir:sub(1, 1) ~= "/" then dir = fs.join(fs.getcwd(), dir) end   -- for tasks started elsewhere
    local ok, plan = protect(T.read_plan, dir)
    if not ok then return 1 end
    if cmd == "run" then
      if o.slurm and o.jobs then return die("give --jobs N or --slurm, not both") end
      if o.slurm then
        local ready, why = TR.slurm_ready()
        if not ready then return die(why) end
      end
      local threads = TR.task_threads(o)
      local states
      ok, states = protect(TR.run, {name = "geolab tiles", dir = dir, n = plan.ntiles, jobs = o.jobs, slurm = o.slurm,
        argv = function (i)
          local a = {"tiles", "--task", dir, tostring(i)}
          a[#a + 1] = "--threads"; a[#a + 1] = tostring(threads)
          return a
        end}, host)
      if not ok then return 1 end
      local bad = TR.failures(states)
      if #bad > 0 then
        io.stderr:write("geolab tiles: not merged, tasks failed:\n  ", table.concat(bad, "\n  "), "\n")
        return 1
      end
    end
    local res
    ok, res = protect(T.merge, dir)
    if not ok then return 1 end
    print(("geolab tiles: %s: %d points merged -> %s/result.npz%s"):format(plan.kind, plan.n, dir,
      res.n_clusters and (", %d clusters"):format(res.n_clusters) or ""))
    return 0
  end
  return die(USAGE)
end

return M
