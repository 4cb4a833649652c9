-- core_scripts.lua: every practical in scripts/ is run whole by a test:
-- tests/report/report_practicals.lua runs each (practical 4 through
-- report_practical4.lua) and checks it prints exactly scripts/NAME.expected
-- and writes the figures that file lists. Here: each has its .expected, and
-- lists its figures or is named in report_practicals.lua's FIGURES.
local T = require "testlib"

local p = assert(io.popen("ls scripts/*.lua"))
local scripts = {}
for l in p:lines() do scripts[#scripts + 1] = l:match("scripts/(.-)%.lua$") end
p:close()
T.ok(#scripts >= 6, "scripts found: " .. #scripts)
local runner = T.read("tests/report/report_practicals.lua")
T.ok(runner:find('ls scripts/*.lua', 1, true), "report_practicals.lua runs every script")
T.ok(T.read("tests/report/report_practical4.lua"):find('"04_deep_learning"', 1, true),
  "report_practical4.lua runs practical 4")
for _, name in ipairs(scripts) do
  local want = T.read("scripts/" .. name .. ".expected")
  T.ok(want ~= nil, name .. " has scripts/" .. name .. ".expected")
  if want and name ~= "00_tour" then
    T.ok(want:find("\nfigures: ") or runner:find('["' .. name .. '"] = {', 1, true),
      name .. " lists its figures")
  end
end
T.done()
