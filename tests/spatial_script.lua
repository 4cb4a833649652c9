-- spatial_script.lua: scripts/03_lidar.lua (practical 3) prints exactly
-- scripts/03_lidar.expected and writes its five figures and a LAS file that
-- reads back. Its kernels are checked against scipy/scikit-learn in
-- spatial_kdtree.lua, spatial_eigen.lua and cluster_core.lua.
local T = require "testlib"
local dir = T.tmp("lidar_script")
os.execute("rm -rf '" .. dir .. "'")
local out = {}
local real_print = print
print = function(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  out[#out + 1] = table.concat(t, "\t", 1, t.n) .. "\n"
end
local saved_arg = arg
arg = {[0] = "scripts/03_lidar.lua", dir}
local ok, err = pcall(dofile, "scripts/03_lidar.lua")
arg = saved_arg
print = real_print
T.ok(ok, tostring(err))
local f = assert(io.open("scripts/03_lidar.expected"))
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
for _, name in ipairs{"lidar_cloud.png", "lidar_ternary.png", "lidar_heldout.png", "lidar_clusters.png", "lidar_tree.png"} do
  local fh = io.open(dir .. "/" .. name, "rb")
  T.ok(fh and fh:read(8) == "\137PNG\r\n\26\n", name .. " is a PNG")
  if fh then fh:close() end
end
local las = spatial.read_las(dir .. "/dunes_classified.las")
T.eq(las.header.point_count, 9725)
T.eq(las.classification:eq(2):sum() + las.classification:eq(3):sum(), 9725)
T.done()
