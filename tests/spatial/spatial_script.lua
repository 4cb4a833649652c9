-- spatial_script.lua: scripts/03_lidar.lua (practical 3) prints exactly
-- scripts/03_lidar.expected and writes its five figures and a LAS file that
-- reads back. Its kernels are checked against scipy/scikit-learn in
-- spatial_kdtree.lua, spatial_eigen.lua and cluster_core.lua.
local T = require "testlib"
local dir = T.script("03_lidar", {"lidar_cloud.png", "lidar_ternary.png", "lidar_heldout.png",
                                  "lidar_clusters.png", "lidar_tree.png"})
local las = spatial.read_las(dir .. "/dunes_classified.las")
T.eq(las.header.point_count, 9725)
T.eq(las.classification:eq(2):sum() + las.classification:eq(3):sum(), 9725)
T.done()
