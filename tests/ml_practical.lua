-- ml_practical.lua: scripts/01_calibration.lua and scripts/05_exam_example.lua
-- print exactly their committed .expected output and write the figures that
-- output lists (valid PNG files), run as `geolab script.lua <figure folder>`.
local T = require "testlib"
local exe = arg[-1] or "geolab"

for _, name in ipairs{"01_calibration", "05_exam_example"} do
  local dir = T.tmp("figures_" .. name)
  os.execute("rm -rf '" .. dir .. "'")
  local p = assert(io.popen(("'%s' scripts/%s.lua '%s' 2>&1"):format(exe, name, dir)))
  local got = p:read("a")
  p:close()
  local f = assert(io.open("scripts/" .. name .. ".expected"))
  local want = f:read("a")
  f:close()
  if got == want then T.ok(true)
  else
    local gl, wl = {}, {}
    for l in got:gmatch("[^\n]*\n?") do gl[#gl + 1] = l end
    for l in want:gmatch("[^\n]*\n?") do wl[#wl + 1] = l end
    for i = 1, math.max(#gl, #wl) do
      if gl[i] ~= wl[i] then
        T.ok(false, ("%s line %d differs:\n got: %s\nwant: %s"):format(name, i, gl[i] or "<none>", wl[i] or "<none>"))
        break
      end
    end
  end
  local list = want:match("figures: ([^\n]*)")
  T.ok(list ~= nil, name .. " lists its figures")
  for fig in (list or ""):gmatch("[^, ]+") do
    local fh = io.open(dir .. "/" .. fig, "rb")
    T.ok(fh ~= nil, name .. " wrote " .. fig)
    if fh then
      T.eq(fh:read(8), "\137PNG\r\n\26\n", fig .. " is a PNG")
      fh:close()
    end
  end
end
T.done()
