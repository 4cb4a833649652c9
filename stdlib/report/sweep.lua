-- sweep.lua: geolab sweep (issue 18): a script run once per point of a
-- parameter grid, locally N at a time or as a Slurm job array, and the runs
-- gathered into one table shaped like scikit-learn's cv_results_.
--   geolab sweep script.lua --grid grid.lua --out OUT [--jobs N | --slurm ...]
--   geolab sweep --task OUT i        one point (what the runners start)
--   geolab sweep --collect OUT       the tables again from OUT/points
-- The grid file returns a table like param_grid ({C = {0.1, 1}, kernel =
-- {"rbf", "linear"}}) or a list of them; points are expanded as
-- sklearn.model_selection.ParameterGrid does (grid by grid, keys sorted, the
-- last key varying fastest). A point runs through the report engine
-- (report.lua: the same seed and threads as geolab run, printed text and
-- figures captured), with its parameters in the global `params` and as
-- "key=value" strings after the script's own arguments in `arg`. The values
-- a run reports are its printed lines of the form `name = number` (the last
-- one of each name counts). OUT/points/<i>/ gets record.json, report.html,
-- stdout.txt and fig<k>.png; OUT/results.csv and OUT/results.html hold one
-- row per point, a failed point being a row with its error.
local json = require "geolab.report_json"
local TR = require "geolab.task_runner"
local S = {}

local USAGE = [[
usage: geolab sweep script.lua --grid grid.lua --out OUT ]] .. TR.USAGE .. [[ [--no-wait] [--seed N] [-- args]
       geolab sweep --task OUT I       (one point: what the runners start)
       geolab sweep --collect OUT      (results.csv and results.html again)
See docs/cluster.md, "Parameter sweeps".]]

local function die (msg)
  io.stderr:write("geolab sweep: ", msg, "\n")
  return 2
end

local function readfile (p) return require("geolab.report").readfile(p) end

local function writefile (path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

-- shortest text that reads back as the same number
local function numtext (v)
  if math.type(v) == "integer" then return ("%d"):format(v) end
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
  for p = 15, 17 do
    local s = ("%." .. p .. "g"):format(v)
    if tonumber(s) == v then
      if not s:find("[%.eEn]") then s = s .. ".0" end   -- a float stays a float, as Python prints it
      return s
    end
  end
end
S.numtext = numtext

local function valtext (v)
  if type(v) == "number" then return numtext(v) end
  return tostring(v)
end

-- Python's repr of a parameter value, for the params column
local function pyrepr (v)
  if type(v) == "string" then return "'" .. v:gsub("\\", "\\\\"):gsub("'", "\\'") .. "'" end
  if type(v) == "boolean" then return v and "True" or "False" end
  return numtext(v)
end

-- {===== the grid

local function sorted_keys (t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return ks
end

-- S.expand(grid) -> list of points {keys = sorted names, values = {name = v}}
function S.expand (grid, what)
  what = what or "grid"
  if type(grid) ~= "table" then error(("%s: expected a table of parameter lists, got %s"):format(what, type(grid)), 0) end
  local grids = grid
  if next(grid) == nil or type(next(grid)) ~= "number" then grids = {grid} end
  local points = {}
  for gi, g in ipairs(grids) do
    if type(g) ~= "table" then error(("%s: grid %d is a %s, not a table"):format(what, gi, type(g)), 0) end
    local keys = sorted_keys(g)
    local lists = {}
    for _, k in ipairs(keys) do
      if type(k) ~= "string" then error(("%s: parameter names must be strings, got %s"):format(what, tostring(k)), 0) end
      local l = g[k]
      if type(l) == "userdata" and l.totable then l = l:totable() end
      if type(l) ~= "table" then
        error(("%s: parameter grid for '%s' needs to be a list, got %s"):format(what, k, type(l)), 0)
      end
      if #l == 0 then error(("%s: parameter grid for '%s' needs to be a non-empty list"):format(what, k), 0) end
      for _, v in ipairs(l) do
        local tv = type(v)
        if tv ~= "number" and tv ~= "string" and tv ~= "boolean" then
          error(("%s: values of '%s' must be numbers, strings or booleans, got %s"):format(what, k, tv), 0)
        end
      end
      lists[#lists + 1] = l
    end
    -- product, the last key varying fastest (itertools.product)
    local idx = {}
    for j = 1, #keys do idx[j] = 1 end
    while true do
      local values = {}
      for j, k in ipairs(keys) do values[k] = lists[j][idx[j]] end
      points[#points + 1] = {keys = keys, values = values}
      local j = #keys
      while j >= 1 do
        idx[j] = idx[j] + 1
        if idx[j] <= #lists[j] then break end
        idx[j] = 1
        j = j - 1
      end
      if j < 1 then break end
    end
  end
  return points
end

local function load_grid (path)
  local f, err = loadfile(path, "t")
  if not f then error(err, 0) end
  local ok, g = pcall(f)
  if not ok then error(("%s: %s"):format(path, tostring(g)), 0) end
  return S.expand(g, path)
end

-- }=====

local function abspath (p)
  if p:sub(1, 1) == "/" then return p end
  return fs.join(fs.getcwd(), p)
end

local function point_dir (out, i) return fs.join(out, "points", ("%04d"):format(i)) end

local function read_plan (out)
  local text = readfile(fs.join(out, "sweep.json"))
  if not text then error(("%s is not a sweep folder (no sweep.json)"):format(out), 0) end
  return json.decode(text, fs.join(out, "sweep.json"))
end

-- {===== one point

-- The values a run reports: lines "name = number" of its standard output,
-- in order of first appearance, the last value of each name.
function S.values (text)
  local names, vals = {}, {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local name, v = line:match("^%s*([%a_][%w_%.%-%(%)%[%]/ ]-)%s*=%s*(%S+)%s*$")
    local x = v and tonumber(v)
    if v and not x then
      local l = v:lower()
      x = (l == "nan" or l == "-nan") and 0 / 0 or l == "inf" and math.huge or l == "-inf" and -math.huge or nil
    end
    if x then
      if vals[name] == nil then names[#names + 1] = name end
      vals[name] = x
    end
  end
  return names, vals
end

local function run_point (out, i, host)
  local plan = read_plan(out)
  -- the points again from the grid's copy: numbers keep their exact value and type
  local pt = load_grid(fs.join(out, "grid.lua"))[i]
  if not pt then error(("point %s out of range 1..%d"):format(tostring(i), #plan.points), 0) end
  local dir = point_dir(out, i)
  fs.makedirs(dir, {exist_ok = true})
  os.remove(fs.join(dir, "record.json"))
  if host.chdir and plan.cwd then assert(host.chdir(plan.cwd)) end
  local core = require "geolab.report_core"
  if plan.threads then core.set_threads(plan.threads) end
  np.random.seed(plan.seed)
  local params, args = {}, {}
  for _, a in ipairs(plan.args) do args[#args + 1] = a end
  for _, k in ipairs(pt.keys) do
    params[k] = pt.values[k]
    args[#args + 1] = k .. "=" .. valtext(pt.values[k])
  end
  _G.params = params
  local R = require "geolab.report"
  local run = R.run(plan.script, {seed = plan.seed, args = args, version = host.version, docall = host.docall})
  _G.params = nil
  local stdout, errors, figs = {}, {}, {}
  for _, c in ipairs(run.cells) do
    for _, o in ipairs(c.outputs or {}) do
      if o.type == "stream" and o.name == "stdout" then stdout[#stdout + 1] = o.text
      elseif o.type == "error" then errors[#errors + 1] = o.text
      elseif o.type == "image" then
        local name = ("fig%d.png"):format(#figs + 1)
        writefile(fs.join(dir, name), o.png)
        figs[#figs + 1] = name
      end
    end
  end
  stdout = table.concat(stdout)
  writefile(fs.join(dir, "stdout.txt"), stdout)
  writefile(fs.join(dir, "report.html"), require("geolab.report_html").page(run))
  local names, vals = S.values(stdout)
  local values = {}
  for _, n in ipairs(names) do values[#values + 1] = {n, numtext(vals[n])} end   -- as text: NaN, inf, 1.0 survive
  local rec = json.object({point = i, status = #errors > 0 and "error" or "ok",
    error = errors[1] and errors[1]:match("^[^\n]*") or nil, values = values, figures = figs,
    seconds = run.seconds}, {"point", "status", "error", "values", "figures", "seconds"})
  writefile(fs.join(dir, "record.json"), json.encode(rec, 1))
  return 0
end

-- }=====

-- {===== the tables

local function esc (s)
  return (tostring(s):gsub("[&<>\"]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;"}))
end

local function csv_field (v)
  v = v == nil and "" or tostring(v)
  if v:find('[,"\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- rows of the table; states: the runner's, when it ran the points now
function S.collect (out, states)
  local plan = read_plan(out)
  plan.points = load_grid(fs.join(out, "grid.lua"))
  local keys, seen = {}, {}
  for _, pt in ipairs(plan.points) do
    for _, k in ipairs(pt.keys) do if not seen[k] then seen[k] = true; keys[#keys + 1] = k end end
  end
  table.sort(keys)
  local rows, vnames, vseen = {}, {}, {}
  for i, pt in ipairs(plan.points) do
    local text = readfile(fs.join(point_dir(out, i), "record.json"))
    local ok, rec = pcall(json.decode, text or "", "record.json")
    local row = {point = i, pt = pt, values = {}}
    if text and ok then
      row.status, row.error, row.figures, row.seconds = rec.status, rec.error, rec.figures or {}, rec.seconds
      for _, nv in ipairs(rec.values or {}) do
        row.values[nv[1]] = nv[2]
        if not vseen[nv[1]] then vseen[nv[1]] = true; vnames[#vnames + 1] = nv[1] end
      end
    else
      local st = states and states[i]
      row.status, row.figures = "failed", {}
      if st and st.final == false then   -- submitted with --no-wait, not ended yet
        row.status, row.error = st.state:lower(), ""
      else
        row.error = st and ("task %s (exit %s), see %s"):format(st.state, tostring(st.exit),
          st.log or st.error or "its log") or "no record (the point did not run)"
      end
    end
    local ps = {}
    for _, k in ipairs(pt.keys) do ps[#ps + 1] = ("'%s': %s"):format(k, pyrepr(pt.values[k])) end
    row.params = "{" .. table.concat(ps, ", ") .. "}"
    rows[#rows + 1] = row
  end
  -- results.csv
  local head = {"point"}
  for _, k in ipairs(keys) do head[#head + 1] = "param_" .. k end
  head[#head + 1] = "params"
  for _, v in ipairs(vnames) do head[#head + 1] = v end
  for _, c in ipairs {"status", "error", "figures", "seconds"} do head[#head + 1] = c end
  local csv = {table.concat((function () local h = {} for j, c in ipairs(head) do h[j] = csv_field(c) end return h end)(), ",")}
  local function cells (r)
    local c = {r.point}
    for _, k in ipairs(keys) do local v = r.pt.values[k]; c[#c + 1] = v ~= nil and valtext(v) or "" end
    c[#c + 1] = r.params
    for _, v in ipairs(vnames) do c[#c + 1] = r.values[v] or "" end
    c[#c + 1] = r.status; c[#c + 1] = r.error or ""; c[#c + 1] = #r.figures
    c[#c + 1] = r.seconds and ("%.3f"):format(r.seconds) or ""
    return c
  end
  for _, r in ipairs(rows) do
    local c = cells(r)
    for j = 1, #c do c[j] = csv_field(c[j]) end
    csv[#csv + 1] = table.concat(c, ",")
  end
  writefile(fs.join(out, "results.csv"), table.concat(csv, "\n") .. "\n")
  -- results.html: the same table, sortable, figures as thumbnails
  local h = {([[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sweep: %s</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2em .6em;vertical-align:top}
th{background:#f0f0f0;cursor:pointer}td.error{color:#a00}img{height:90px;margin:1px;border:1px solid #ddd}</style></head><body>
<h1>sweep of %s</h1><p>%d points, seed %s. Click a column heading to sort by it; a point's number opens its report.</p>
<table id="sweep"><thead><tr>]]):format(esc(plan.script_name), esc(plan.script_name), #rows, tostring(plan.seed))}
  for _, c in ipairs(head) do h[#h + 1] = "<th>" .. esc(c) .. "</th>" end
  h[#h + 1] = "</tr></thead><tbody>\n"
  for _, r in ipairs(rows) do
    local c = cells(r)
    local pd = ("points/%04d"):format(r.point)
    h[#h + 1] = ('<tr><td><a href="%s/report.html">%d</a></td>'):format(pd, r.point)
    for j = 2, #c do
      local v = c[j]
      if head[j] == "figures" then
        local imgs = {}
        for _, f in ipairs(r.figures) do imgs[#imgs + 1] = ('<a href="%s/%s"><img src="%s/%s" alt="%s"></a>'):format(pd, f, pd, f, f) end
        h[#h + 1] = "<td>" .. table.concat(imgs) .. "</td>"
      elseif head[j] == "error" then h[#h + 1] = '<td class="error">' .. esc(v) .. "</td>"
      else h[#h + 1] = "<td>" .. esc(v) .. "</td>" end
    end
    h[#h + 1] = "</tr>\n"
  end
  h[#h + 1] = "</tbody></table>\n" .. require("geolab.report_html").sortable_script("sweep") .. "</body></html>\n"
  writefile(fs.join(out, "results.html"), table.concat(h))
  local nbad, nwait = 0, 0
  for _, r in ipairs(rows) do
    if r.status == "error" or r.status == "failed" then nbad = nbad + 1
    elseif r.status ~= "ok" then nwait = nwait + 1 end
  end
  return rows, nbad, nwait
end

-- }=====

local function parse (argv)
  local o, i = {args = {}, seed = 0}, 1
  while i <= #argv do
    local a = argv[i]
    local name, val = a:match("^(%-%-[%w-]+)=(.*)$")
    name = name or a
    local function value () if val then return val end i = i + 1; return argv[i] end
    local ok, err = TR.option(o, name, value)
    if ok == nil then return nil, err end
    if ok then -- taken
    elseif a == "--" then
      for k = i + 1, #argv do o.args[#o.args + 1] = argv[k] end
      break
    elseif name == "--task" then o.task = true
    elseif name == "--collect" then o.collect = true
    elseif name == "--no-wait" then o.no_wait = true
    elseif name == "--grid" or name == "--out" then
      o[name:sub(3)] = value()
      if not o[name:sub(3)] then return nil, name .. " needs a file name" end
    elseif name == "--seed" then
      local v = value()
      o.seed = math.tointeger(tonumber(v or ""))
      if not o.seed then return nil, ("--seed needs an integer, got '%s'"):format(v or "") end
    elseif a:sub(1, 1) == "-" then return nil, ("unrecognized option '%s'"):format(a)
    else o.pos = o.pos or {}; o.pos[#o.pos + 1] = a end
    i = i + 1
  end
  o.pos = o.pos or {}
  return o
end

function S.main (argv, host)
  local o, err = parse(argv)
  if not o then return die(err .. "\n" .. USAGE) end
  if o.task then
    if #o.pos ~= 2 then return die("--task needs OUT and a point number\n" .. USAGE) end
    local ok, e = pcall(run_point, o.pos[1], math.tointeger(tonumber(o.pos[2])), host)
    if not ok then io.stderr:write("geolab sweep: ", tostring(e), "\n"); return 1 end
    return e
  end
  if o.collect then
    if #o.pos ~= 1 then return die("--collect needs the sweep folder\n" .. USAGE) end
    local ok, rows, nbad, nwait = pcall(function () return S.collect(o.pos[1], TR.slurm_states(o.pos[1])) end)
    if not ok then io.stderr:write("geolab sweep: ", tostring(rows), "\n"); return 1 end
    print(("geolab sweep: %d points, %d failed%s -> %s"):format(#rows, nbad,
      nwait > 0 and (", %d not finished"):format(nwait) or "", fs.join(o.pos[1], "results.csv")))
    return (nbad > 0 or nwait > 0) and 1 or 0
  end
  if #o.pos ~= 1 or not o.grid or not o.out then return die("needs a script, --grid and --out\n" .. USAGE) end
  if o.slurm and o.jobs then return die("give --jobs N or --slurm, not both") end
  if o.no_wait and not o.slurm then return die("--no-wait goes with --slurm") end
  if o.slurm then
    local ready, why = TR.slurm_ready()
    if not ready then return die(why) end
  end
  local script = o.pos[1]
  if not fs.isfile(script) then return die(("cannot open %s"):format(script)) end
  local ok, points = pcall(load_grid, o.grid)
  if not ok then return die(tostring(points)) end
  local out = abspath(o.out)
  fs.makedirs(out, {exist_ok = true})
  writefile(fs.join(out, "grid.lua"), readfile(o.grid))   -- what the tasks expand
  local plist = {}
  for i, p in ipairs(points) do
    local vt = {}
    for _, k in ipairs(p.keys) do vt[k] = valtext(p.values[k]) end
    plist[i] = json.object(vt, p.keys)   -- for reading only; the tasks use grid.lua
    fs.makedirs(point_dir(out, i), {exist_ok = true})
    os.remove(fs.join(point_dir(out, i), "record.json"))
  end
  local plan = json.object({script = abspath(script), script_name = script:match("[^/]*$"), cwd = fs.getcwd(),
    seed = o.seed, threads = TR.task_threads(o), args = o.args, points = plist},
    {"script", "script_name", "cwd", "seed", "threads", "args", "points"})
  writefile(fs.join(out, "sweep.json"), json.encode(plan, 1))
  os.remove(fs.join(out, "slurm", "job.json"))   -- an earlier Slurm run's: --collect must not ask about it
  print(("geolab sweep: %d points -> %s"):format(#points, out))
  local states, job
  ok, states, job = pcall(TR.run, {name = "geolab sweep", dir = out, n = #points, jobs = o.jobs, slurm = o.slurm,
    no_wait = o.no_wait, argv = function (i) return {"sweep", "--task", out, tostring(i)} end}, host)
  if not ok then return die(tostring(states)) end
  if o.no_wait then
    print(("geolab sweep: submitted Slurm job %s (%d tasks); later: geolab sweep --collect %s"):format(
      tostring(job.id), #points, out))
    return 0
  end
  local rows, nbad = S.collect(out, states)
  print(("geolab sweep: %d points, %d failed -> %s"):format(#rows, nbad, fs.join(out, "results.csv")))
  return nbad > 0 and 1 or 0
end

return S
