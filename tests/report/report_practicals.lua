-- report_practicals.lua: the one test that runs the practicals in scripts/
-- whole (each other test runs a piece), as `geolab report` with --threads 1
-- and --threads 2 at once. For each practical:
--   - both runs exit 0 and no cell raises an error;
--   - what the cells print is exactly scripts/NAME.expected;
--   - every figure it lists is a PNG, the same bytes in both runs, and the
--     same bytes as its golden file in docs/tutorials/img/ where the
--     tutorial shows the script's own figure;
--   - the two HTML reports are identical but for the run date, thread count
--     and timings (issue 16's determinism promise).
-- Practical 4 (minutes of training) is checked by report_practical4.lua,
-- which runs this file on it alone, so that ctest runs the two side by side.
-- Under the sanitizers (GEOLAB_PRACTICALS_ONE_RUN=1, ./setup.sh test-asan)
-- each practical runs once, with 2 threads, and all but the comparison of
-- the two runs is checked.
-- To regenerate after a deliberate change: run the script into a folder,
-- look at the pictures, copy them to docs/tutorials/img and its output to
-- the .expected file.
local T = require "testlib"
local exe = arg[-1] or "geolab"
local names = rawget(_G, "REPORT_PRACTICALS")
if not names then
  names = {}
  local p = assert(io.popen("ls scripts/*.lua"))
  for l in p:lines() do
    local n = l:match("scripts/(.-)%.lua$")
    if n ~= "04_deep_learning" then names[#names + 1] = n end
  end
  p:close()
  T.ok(#names >= 5, "practicals found: " .. #names)
end
local one_run = (os.getenv("GEOLAB_PRACTICALS_ONE_RUN") or "") == "1"
local threads = one_run and {2} or {1, 2}

-- Figures a practical writes when its .expected has no "figures:" line.
local FIGURES = {
  ["03_lidar"] = {"lidar_cloud.png", "lidar_ternary.png", "lidar_heldout.png", "lidar_clusters.png", "lidar_tree.png"},
}
-- Practicals whose tutorial shows the script's own figures, byte for byte.
local GOLDEN = {["04_deep_learning"] = true, ["06_phasenet"] = true}
-- What else a practical leaves in its folder, checked after the run.
local EXTRA = {
  ["03_lidar"] = function(dir, how)
    local las = spatial.read_las(dir .. "/dunes_classified.las")
    T.eq(las.header.point_count, 9725, "03_lidar (" .. how .. "): the classified LAS file has every point")
    T.eq(las.classification:eq(2):sum() + las.classification:eq(3):sum(), 9725,
      "03_lidar (" .. how .. "): every point classified ground (2) or vegetation (3)")
  end,
}

local function unescape (s)
  return (s:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"'):gsub("&amp;", "&"))
end
-- what the cells printed, in order (stdout and stderr, as the .expected
-- files were made with 2>&1)
local function printed (html)
  local out = {}
  for cls, t in html:gmatch('<pre class="(%a+)">(.-)</pre>') do
    if cls == "out" or cls == "stderr" then out[#out + 1] = unescape(t) end
  end
  return table.concat(out)
end

-- First differing line of two texts, for a readable failure.
local function first_difference (got, want)
  local gl, wl = {}, {}
  for l in got:gmatch("[^\n]*\n?") do gl[#gl + 1] = l end
  for l in want:gmatch("[^\n]*\n?") do wl[#wl + 1] = l end
  for i = 1, math.max(#gl, #wl) do
    if gl[i] ~= wl[i] then return ("line %d:\n got: %s\nwant: %s"):format(i, gl[i] or "<none>", wl[i] or "<none>") end
  end
  return ""
end

-- The shell commands that run practical `name` (one per thread count).
local function jobs_of (name)
  local base = T.tmp("report_" .. name)
  os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(base, base))
  local cmd = "'%s' report --threads %d scripts/%s.lua -o '%s/t%d.html' -- '%s/figs%d' > '%s/t%d.log' 2>&1; echo $? > '%s/t%d.rc'"
  local jobs = {}
  for _, t in ipairs(threads) do
    jobs[#jobs + 1] = "(" .. cmd:format(exe, t, name, base, t, base, t, base, t, base, t) .. ")"
  end
  return jobs
end

local function check (name)
  local base = T.tmp("report_" .. name)
  local want = T.read("scripts/" .. name .. ".expected")
  T.ok(want ~= nil, name .. ": scripts/" .. name .. ".expected exists")
  local list = FIGURES[name]
  if not list and want then
    list = {}
    for f in (want:match("figures: ([^\n]*)") or ""):gmatch("[^, ]+") do list[#list + 1] = f end
  end
  local html = {}
  for _, t in ipairs(threads) do
    local how = t .. (t == 1 and " thread" or " threads")
    T.eq(T.read(("%s/t%d.rc"):format(base, t)), "0\n",
      ("%s: report with %s exits 0: %s"):format(name, how, T.read(("%s/t%d.log"):format(base, t)) or ""))
    local h = T.read(("%s/t%d.html"):format(base, t))
    T.ok(h ~= nil, ("%s (%s): the report was written"):format(name, how))
    html[t] = h
    if h and want then
      local got = printed(h)
      T.ok(got == want, ("%s (%s): the cells print the .expected output %s"):format(name, how, first_difference(got, want)))
      T.ok(not h:find('<pre class="error">', 1, true), ("%s (%s): no cell raised an error"):format(name, how))
    end
    local dir = ("%s/figs%d"):format(base, t)
    for _, fig in ipairs(list or {}) do
      local png = T.read(dir .. "/" .. fig)
      T.ok(png ~= nil and png:sub(1, 8) == "\137PNG\r\n\26\n", ("%s (%s): %s is a PNG"):format(name, how, fig))
      if GOLDEN[name] then
        T.ok(png ~= nil and png == T.read("docs/tutorials/img/" .. fig),
          ("%s (%s): %s has the bytes of docs/tutorials/img/%s"):format(name, how, fig, fig))
      end
      if t == 2 and html[1] then
        T.ok(png ~= nil and png == T.read(base .. "/figs1/" .. fig), ("%s: %s is the same with 1 and 2 threads"):format(name, fig))
      end
    end
    if EXTRA[name] then EXTRA[name](dir, how) end
  end
  if html[1] and html[2] then
    local s1 = html[1]:gsub('<span class="run">[^<]*</span>', "")
    local s2 = html[2]:gsub('<span class="run">[^<]*</span>', "")
    T.ok(s1 == s2, name .. ": the 1- and 2-thread reports are identical but for date, threads and timings")
    T.ok(s1 ~= html[1], name .. ": the header has run fields")
  end
end

-- Two processes at a time: a practical's two thread counts, or under the
-- sanitizers two practicals' single runs.
local per = one_run and 2 or 1
for i = 1, #names, per do
  local jobs = {}
  for k = i, math.min(i + per - 1, #names) do
    for _, j in ipairs(jobs_of(names[k])) do jobs[#jobs + 1] = j end
  end
  os.execute(table.concat(jobs, " & ") .. "; wait")
  for k = i, math.min(i + per - 1, #names) do check(names[k]) end
end
T.done()
