-- core_sigint.lua: a real Ctrl-C. A child geolab runs a long Lua loop, a long
-- matrix product, or whole-array copies (astype); the shell sends it SIGINT
-- with kill once it has started, and the child must stop within about a
-- second with "interrupted!" and a traceback, and exit with status 1.
local T = require "testlib"
local exe = arg[-1] or "geolab"

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Runs setup then code in a child geolab (touching `ready` between the two),
-- interrupts it 0.3 s after that, and returns its exit status, the seconds
-- from the signal to its exit, and its stderr.
local function interrupt(name, setup, code)
  local ready, err = T.tmp("sigint_" .. name .. ".ready"), T.tmp("sigint_" .. name .. ".err")
  os.remove(ready); os.remove(err)
  code = setup .. ("\nio.open(%q, 'w'):close()\n"):format(ready) .. code
  local script = table.concat({
    ("%s --threads 1 -e %s 2> %s & pid=$!"):format(sh_quote(exe), sh_quote(code), sh_quote(err)),
    -- at most 30 s for the child to start (a loaded machine), then 0.3 s into the work
    ("n=0; while [ ! -f %s ] && [ $n -lt 1500 ]; do sleep 0.02; n=$((n+1)); done"):format(sh_quote(ready)),
    "sleep 0.3",
    "t0=$(date +%s%N); kill -INT $pid; wait $pid; rc=$?; t1=$(date +%s%N)",
    "echo $rc $(( (t1 - t0) / 1000000 ))"}, "\n")
  local p = io.popen("sh -c " .. sh_quote(script))
  local rc, ms = p:read("*a"):match("(%d+) (%d+)")
  p:close()
  local f = io.open(err)
  local msg = f and f:read("*a") or ""
  if f then f:close() end
  return tonumber(rc), tonumber(ms) / 1000, msg
end

local cases = {
  {"lua_loop", "local x = 0", "while true do x = x + 1 end"},
  {"matmul", "local a = np.ones{2000, 2000}", "for i = 1, 100 do local c = a:matmul(a) end"},
  {"astype", "local a = np.ones{30000000}", "for i = 1, 1000 do local b = a:astype('float32') end"},
}
for _, c in ipairs(cases) do
  local rc, secs, msg = interrupt(c[1], c[2], c[3])
  T.eq(rc, 1, c[1] .. ": exit status")
  -- about a second; the bound allows for a busy machine (8 builds on 2 cores)
  T.ok(secs < 2.0, ("%s: stopped %.2f s after SIGINT"):format(c[1], secs))
  T.ok(msg:find("interrupted!", 1, true), c[1] .. ": message 'interrupted!', got: " .. msg)
  T.ok(msg:find("stack traceback", 1, true), c[1] .. ": traceback, got: " .. msg)
  print(("%-9s stopped %.3f s after SIGINT"):format(c[1], secs))
end
T.done()
