-- core_gc_small.lua: small arrays made while a large array is alive are
-- collected soon (generational collection, stdlib/core/gl_alloc.c): the dead
-- ones do not pile up to half the large array's size before a cycle (a
-- training loop over a loaded dataset faulted in that much fresh memory), and
-- collectgarbage("stop") still stops everything.
local T = require "testlib"

local big = np.zeros({64, 1024, 1024}, "uint8")     -- 64 MB alive
collectgarbage()
local base = collectgarbage("count") / 1024
-- 40 MB of small arrays (12 KB each), each dead at once
local peak = 0
local x = np.ones({64, 48}, "float32")
for _ = 1, 3400 do
  local y = x * 2
  peak = math.max(peak, collectgarbage("count") / 1024 - base)
end
T.ok(peak < 20, ("dead small arrays collected within ~16 MB, not half of the 64 MB alive (peak %.1f MB)"):format(peak))

collectgarbage("stop")
local held = 0
for _ = 1, 1500 do
  local y = x * 2
  held = math.max(held, collectgarbage("count") / 1024 - base)
end
T.ok(held > 17, ("collectgarbage('stop') holds: %.1f MB of dead small arrays kept"):format(held))
collectgarbage("restart")
T.eq(big.size, 64 * 1024 * 1024)
T.done()
