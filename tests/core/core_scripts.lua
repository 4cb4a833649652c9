-- core_scripts.lua: every practical in scripts/ is run by a test. A script
-- that no other test runs (T.script("NAME") in tests/) is run here: it must
-- exit 0 and print exactly scripts/NAME.expected.
local T = require "testlib"

local function lines(cmd)
  local p = assert(io.popen(cmd))
  local t = {}
  for l in p:lines() do t[#t + 1] = l end
  p:close()
  return t
end

local scripts = lines("ls scripts/*.lua")
T.ok(#scripts >= 4, "scripts found: " .. #scripts)
local covered = {}
for _, l in ipairs(lines("grep -rhoE 'T\\.script\\(\"[^\"]+\"' tests --include=*.lua")) do
  covered[l:match('"([^"]+)"')] = true
end

local exe = arg[-1] or "geolab"
for _, path in ipairs(scripts) do
  local name = path:match("scripts/(.-)%.lua$")
  if not covered[name] then
    local dir = T.tmp("figures_" .. name)
    os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
    local p = assert(io.popen(("'%s' scripts/%s.lua '%s' 2>&1; echo \"exit $?\""):format(exe, name, dir)))
    local got = p:read("a")
    p:close()
    local rc = got:match("exit (%d+)\n$")
    got = got:gsub("exit %d+\n$", "")
    T.eq(rc, "0", name .. " exits with 0: " .. got:sub(-300))
    local f = io.open("scripts/" .. name .. ".expected")
    T.ok(f ~= nil, name .. " has scripts/" .. name .. ".expected")
    if f then
      local want = f:read("a")
      f:close()
      T.eq(got, want, name .. " prints its .expected")
    end
  end
end
T.done()
