-- core_malloc_reuse.lua: buffers of 100 kB to a few MB, freed and asked for
-- again step after step (a training loop's activations and gradients), reuse
-- the same memory instead of fresh pages from the kernel: glibc's defaults
-- gave them back (munmap, heap trimming) and each step faulted them in and
-- zeroed them again (stdlib/core/gl_alloc.c, tune_malloc). Under the
-- sanitizers' allocator, which is not glibc's, there is nothing to check.
local T = require "testlib"

local function minor_faults()
  local f = assert(io.open("/proc/self/stat"))
  local s = f:read("a")
  f:close()
  -- field 10 (minflt), after the command name in parentheses
  return tonumber(s:match("^%d+ %b() %S+" .. (" %S+"):rep(6) .. " (%d+)"))
end

local function sanitized()
  for line in io.lines("/proc/self/maps") do
    if line:find("libasan", 1, true) then return true end
  end
  return false
end

local data = np.zeros(6250000, "uint8"):astype("float64")  -- a loaded dataset, 50 MB
local x = np.ones({64, 3, 30, 30}, "float32")
local faults
for step = 1, 400 do
  if step == 201 then faults = minor_faults() end
  local a = x * 2                           -- 691 kB
  local b = a + 1
  local c = np.zeros(300000, "float32")      -- 1.2 MB
  local d = np.zeros(40000)                  -- 320 kB
  collectgarbage("step")                     -- as nn.DataLoader does each batch
end
faults = minor_faults() - faults
T.eq(data.size, 6250000)
if sanitized() then
  print(("skipped: the sanitizers' allocator (%d page faults in 200 steps)"):format(faults))
else
  -- glibc's defaults: about 38,000 (190 pages a step)
  T.ok(faults < 2000, ("200 steps of 3 MB of buffers: %d page faults (at most 2,000)"):format(faults))
end
T.done()
