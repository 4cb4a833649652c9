-- plot_canvas_errors.lua: canvas calls that raise after the binding took
-- scratch memory (bad options read late). The scratch is Lua-owned, so the
-- error leaks nothing: under the ASan build (GEOLAB_SANITIZE=ON,
-- ASAN_OPTIONS=detect_leaks=1) this file exits cleanly.
local T = require "testlib"
local core = require "geolab.plot_core"
local cv = core.canvas(100, 100, "png")
local id = {0, 1, 0, 1, 0, 1}   -- identity axis map
local x, y = np.array{1, 2, 3}, np.array{1, 2, 1}
T.err("number expected, got string", cv.markers, cv, x, y, id, id, {clip = {0, 0, "x", 1}})
T.err("number expected, got string", cv.lines, cv, x, y, id, id, {color = {1, 0, 0, 1}, lw = "x"})
-- the canvas still works afterwards
T.eq(cv:lines(x, y, id, id, {color = {1, 0, 0, 1}}), 3)
-- contours: the kernel's point buffers are boxed while they are copied out
local xs, ys = core.contour_lines(np.array{0, 1, 2}, np.array{0, 1}, np.array{{0, 1, 2}, {1, 2, 3}}, 1.5)
T.ok(xs.size == ys.size and xs.size > 0)
-- kd-tree radius queries: the neighbour buffer is boxed the same way
local t = spatial.KDTree(np.array{{0, 0}, {1, 0}, {0, 1}})
T.eq(#t:query_ball_point(np.array{0, 0}, 1.5), 3)
T.done()
