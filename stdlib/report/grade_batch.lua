-- grade_batch.lua: geolab grade --batch DIR --out OUT [--jobs N] [--force]:
-- every DIR/*.lua graded by a grader process of its own (geolab grade, the
-- same options), at most N at a time, into OUT/<name>/; then the class
-- table OUT/class.csv and OUT/class.html (sortable, best score first). A
-- slow or hostile submission only ever stops its own grader (and a grader
-- that outlives its limit by a minute is killed); a submission whose
-- summary.json exists is not graded again unless --force.
local json = require "geolab.report_json"
local B = {}

local function esc (s)
  return (tostring(s):gsub("[&<>\"]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;"}))
end

local function csv_field (v)
  v = tostring(v == nil and "" or v)
  if v:find('[,"\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- the grader command line for one submission
local function argv_for (o, script, out)
  local a = {"geolab", "grade", script, "--out", out, "--timeout", tostring(o.timeout), "--memory", tostring(o.memory),
             "--seed", tostring(o.seed), "--threads", tostring(o.threads), "--max-output", tostring(o.max_output),
             "--max-file", tostring(o.max_file), "--rtol", tostring(o.rtol), "--atol", tostring(o.atol)}
  for _, d in ipairs(o.data) do a[#a + 1] = "--data"; a[#a + 1] = d end
  if o.expected then a[#a + 1] = "--expected"; a[#a + 1] = o.expected end
  if o.tests then a[#a + 1] = "--tests"; a[#a + 1] = o.tests end
  if o.explicit_args then
    a[#a + 1] = "--"
    for _, x in ipairs(o.args) do a[#a + 1] = x end
  end
  return a
end

local function R_read (p) return require("geolab.report").readfile(p) end

local function row_of (name, out)
  local text = R_read(out .. "/summary.json")
  local ok, s = pcall(json.decode, text or "", "summary.json")
  if not text or not ok then return {name = name, status = "not graded", score = 0, total = 0} end
  return {name = name, status = s.status, limit = s.limit, score = s.tests and s.tests.score or 0,
          total = s.tests and s.tests.total or 0,
          differences = s.comparison and #s.comparison.differences or nil,
          wall_s = s.measured and s.measured.wall_s, refused = #(s.refused or {})}
end



-- extra: a last column, {name = "slurm", field = "slurm"} (Slurm grading
-- says there how each task ended)
local function write_tables (o, rows, extra)
  table.sort(rows, function (a, b)
    if a.score ~= b.score then return a.score > b.score end
    return a.name < b.name
  end)
  local cols = {"submission", "status", "limit", "score", "total", "differences", "refused", "wall_s"}
  if extra then cols[#cols + 1] = extra.name end
  local csv = {table.concat(cols, ",")}
  for _, r in ipairs(rows) do
    local line = {csv_field(r.name), csv_field(r.status), csv_field(r.limit), csv_field(r.score),
      csv_field(r.total), csv_field(r.differences), csv_field(r.refused),
      csv_field(r.wall_s and ("%.2f"):format(r.wall_s))}
    if extra then line[#line + 1] = csv_field(r[extra.field]) end
    csv[#csv + 1] = table.concat(line, ",")
  end
  local f = assert(io.open(fs.join(o.out, "class.csv"), "wb"))
  f:write(table.concat(csv, "\n"), "\n")
  f:close()
  local h = {[[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>class summary</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2em .6em}
th{background:#f0f0f0;cursor:pointer}</style></head><body><h1>class summary</h1>
<p>Click a column heading to sort by it.</p><table id="class"><thead><tr>]]}
  for _, c in ipairs(cols) do h[#h + 1] = "<th>" .. esc(c) .. "</th>" end
  h[#h + 1] = "</tr></thead><tbody>\n"
  for _, r in ipairs(rows) do
    h[#h + 1] = ('<tr><td><a href="%s/report.html">%s</a></td>'):format(esc(r.name), esc(r.name))
    for i = 2, #cols do
      local v = ({r.status, r.limit, r.score, r.total, r.differences, r.refused,
                  r.wall_s and ("%.2f"):format(r.wall_s) or nil, extra and r[extra.field]})[i - 1]
      h[#h + 1] = "<td>" .. esc(v == nil and "" or v) .. "</td>"
    end
    h[#h + 1] = "</tr>\n"
  end
  h[#h + 1] = "</tbody></table>\n" .. require("geolab.report_html").sortable_script("class") .. "</body></html>\n"
  f = assert(io.open(fs.join(o.out, "class.html"), "wb"))
  f:write(table.concat(h))
  f:close()
end

-- the submissions of o.batch: pending (to grade now: name, script, out) and
-- rows (every submission's name); nil, message when the options are wrong
function B.list (o)
  if not fs.isdir(o.batch) then return nil, ("--batch '%s' is not a folder"):format(o.batch) end
  if not o.out then return nil, "--out DIR is required" end
  if o.script then return nil, "give --batch DIR or one submission, not both" end
  fs.makedirs(o.out, {exist_ok = true})
  local pending, rows, seen = {}, {}, {}
  for _, name in ipairs(fs.listdir(o.batch)) do
    local p = fs.join(o.batch, name)
    local stem = name:match("^(.+)%.lua$") or name:match("^(.+)%.ipynb$")   -- a script or a notebook
    if stem and seen[stem] and fs.isfile(p) then
      io.stderr:write(("geolab grade: %s: %s is graded, not also %s\n"):format(stem, seen[stem], name))
    elseif stem and fs.isfile(p) then
      seen[stem] = name
      local out = fs.join(o.out, stem)
      if o.force or not fs.isfile(fs.join(out, "summary.json")) then
        pending[#pending + 1] = {name = stem, script = p, out = out}
      else
        print(("geolab grade: %s: already graded (--force grades it again)"):format(stem))
      end
      rows[#rows + 1] = stem
    end
  end
  return pending, rows
end

function B.run (o, host)
  if o.slurm then return require("geolab.grade_slurm").run(o, host) end
  local pending, rows = B.list(o)
  if not pending then io.stderr:write(("geolab grade: %s\n"):format(rows)); return 2 end
  local running, nextjob, clock = {}, 1, require("geolab.report_core").clock
  local grace = o.timeout + 60
  while nextjob <= #pending or next(running) do
    while nextjob <= #pending and #running < o.jobs do
      local j = pending[nextjob]
      nextjob = nextjob + 1
      fs.makedirs(j.out, {exist_ok = true})
      j.pid = host.grade_start(argv_for(o, j.script, j.out), fs.join(j.out, "grader.log"))
      j.t0 = clock()
      running[#running + 1] = j
    end
    for i = #running, 1, -1 do
      local j = running[i]
      local code = host.grade_poll(j.pid)
      if code == nil and clock() - j.t0 > grace then host.grade_kill(j.pid) end
      if code ~= nil then
        table.remove(running, i)
        print(("geolab grade: %s: graded (exit %d)"):format(j.name, code))
      end
    end
    if next(running) then host.sleep(0.05) end
  end
  local list = {}
  for _, stem in ipairs(rows) do list[#list + 1] = row_of(stem, fs.join(o.out, stem)) end
  write_tables(o, list)
  print(("geolab grade: %d submissions, %d graded now -> %s"):format(#rows, #pending, fs.join(o.out, "class.csv")))
  return 0
end

B.argv_for, B.row_of, B.write_tables = argv_for, row_of, write_tables
return B
