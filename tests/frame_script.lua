-- frame_script.lua: scripts/01_calibration.lua prints exactly
-- scripts/01_calibration.expected (its numbers are checked against pandas in
-- tests/frame_time.lua).
local T = require "testlib"
local out = {}
local real_print = print
print = function(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  out[#out + 1] = table.concat(t, "\t", 1, t.n) .. "\n"
end
local real_arg = arg
arg = { [0] = "scripts/01_calibration.lua", T.tmp("figures") }   -- figures go to the build tree
local ok, err = pcall(dofile, "scripts/01_calibration.lua")
arg = real_arg
print = real_print
T.ok(ok, tostring(err))
local f = assert(io.open("scripts/01_calibration.expected"))
local want = f:read("a")
f:close()
local got = table.concat(out)
if got ~= want then
  local gl, wl = {}, {}
  for l in got:gmatch("[^\n]*\n") do gl[#gl + 1] = l end
  for l in want:gmatch("[^\n]*\n") do wl[#wl + 1] = l end
  for i = 1, math.max(#gl, #wl) do
    if gl[i] ~= wl[i] then
      T.ok(false, ("line %d differs:\n got: %s\nwant: %s"):format(i, gl[i] or "<none>", wl[i] or "<none>"))
      break
    end
  end
else
  T.ok(true)
end
T.done()
