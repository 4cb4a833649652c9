-- report_practicals.lua: issue 16's determinism promise for reports. Every
-- practical in scripts/ gives, as `geolab report`, the same HTML bytes with
-- --threads 1 and --threads 2 apart from the run date, thread count and
-- timings; its cells raise no error, and what they print is exactly the
-- practical's .expected output. Both runs go at once. Practical 4 (minutes
-- of training) is checked by report_practical4.lua, which runs this file on
-- it alone, so that ctest can run the two side by side.
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

for _, name in ipairs(names) do
  local base = T.tmp("report_" .. name)
  os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(base, base))
  local cmd = ("'%s' report --threads %d scripts/%s.lua -o '%s/t%d.html' -- '%s/figs%d' > '%s/t%d.log' 2>&1; echo $? > '%s/t%d.rc'")
  local both = ("(%s) & (%s); wait"):format(cmd:format(exe, 1, name, base, 1, base, 1, base, 1, base, 1),
                                           cmd:format(exe, 2, name, base, 2, base, 2, base, 2, base, 2))
  os.execute(both)
  local h1, h2 = T.read(base .. "/t1.html"), T.read(base .. "/t2.html")
  T.eq(T.read(base .. "/t1.rc"), "0\n", name .. ": report with 1 thread exits 0: " .. (T.read(base .. "/t1.log") or ""))
  T.eq(T.read(base .. "/t2.rc"), "0\n", name .. ": report with 2 threads exits 0: " .. (T.read(base .. "/t2.log") or ""))
  if h1 and h2 then
    local s1 = h1:gsub('<span class="run">[^<]*</span>', "")
    local s2 = h2:gsub('<span class="run">[^<]*</span>', "")
    T.ok(s1 == s2, name .. ": the 1- and 2-thread reports are identical but for date, threads and timings")
    T.ok(s1 ~= h1, name .. ": the header has run fields")
    T.eq(printed(h1), T.read("scripts/" .. name .. ".expected"), name .. ": the cells print the .expected output")
    T.ok(not h1:find('<pre class="error">', 1, true), name .. ": no cell raised an error")
  end
end
T.done()
