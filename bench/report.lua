#!/usr/bin/env lua5.4
-- bench/report.lua: turns bench/out/*.{geolab,python} into docs/performance.md.
local function read(path)
  local t, order = {}, {}
  local f = io.open(path)
  if not f then return t, order end
  for line in f:lines() do
    local case, ms = line:match("^RESULT%s+(%S+)%s+([%d%.e%-]+)")
    if case then t[case] = tonumber(ms); order[#order + 1] = case end
  end
  f:close()
  return t, order
end
local titles = {}
for line in io.lines("bench/TITLES") do
  local k, v = line:match("^(%S+)%s+(.+)$")
  if k then titles[k] = v end
end
local p = io.popen("ls bench/out/*.geolab 2>/dev/null")
local names = {}
for f in p:lines() do names[#names + 1] = f:match("([^/]+)%.geolab$") end
p:close()
table.sort(names)
local out = {}
local function w(s) out[#out + 1] = s end
w("# Performance")
w("")
w("Measured by `bench/run.sh` on the project's machine (2 cores, Debian 12), geolab and the")
w("Python stack (Debian's NumPy 1.24, pandas 1.5, scikit-learn 1.2, matplotlib 3.6) on the same")
w("data in the same run. Times are the best of several repetitions, in milliseconds. The ratio is")
w("Python time / geolab time: above 1 means geolab is faster. Regenerate with `bench/run.sh`.")
for _, n in ipairs(names) do
  local g, order = read("bench/out/" .. n .. ".geolab")
  local py = read("bench/out/" .. n .. ".python")
  w("")
  w("## " .. (titles[n] or n))
  w("")
  w("| case | geolab (ms) | Python (ms) | ratio |")
  w("|---|---:|---:|---:|")
  for _, case in ipairs(order) do
    local gt, pt = g[case], py[case]
    local ratio = (gt and pt and gt > 0) and ("%.2f"):format(pt / gt) or "—"
    w(("| %s | %s | %s | %s |"):format(case:gsub("_", " "), gt and ("%.2f"):format(gt) or "—",
      pt and ("%.2f"):format(pt) or "—", ratio))
  end
  local notes = io.open("bench/" .. n .. ".notes")  -- hand-written remarks kept across runs
  if notes then w(""); w((notes:read("a"):gsub("%s+$", ""))); notes:close() end
end
print(table.concat(out, "\n"))
