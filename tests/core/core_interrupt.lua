-- core_interrupt.lua: a real Ctrl-C (SIGINT sent to a child geolab) stops
-- long calls promptly with "interrupted!" and exit status 1, and an
-- interrupted write leaves neither a temporary nor a damaged old file.
-- The one timing bound is generous (1 s of the child's CPU time from the
-- signal to the error); each child proves it was still busy when the signal
-- came (it never prints "finished").
local T = require "testlib"
local exe = arg[-1] or "geolab"
if not exe:find("^/") then exe = os.getenv("PWD") .. "/" .. exe end   -- children run elsewhere
local dir = T.tmp("core_interrupt")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")


-- Runs `code` (which prints "start" when the long call begins) in a child;
-- once "start" is out and `ready` (a shell test, default true) holds, waits
-- `delay` seconds and sends SIGINT. Returns exit status, the CPU seconds the
-- child spent after the signal, stdout, stderr. CPU rather than wall time: on
-- a loaded machine wall time measures the scheduler, not the polling. It is
-- the child's total CPU time (the shell's `times`, run in the shell itself,
-- the helpers it ran before the signal subtracted) less its CPU time when the signal was sent (/proc).
local function interrupt(name, code, delay, ready)
  T.write(dir .. "/../" .. name .. ".lua", code)
  local script = ([[
cd '%s' || exit 2
'%s' ../%s.lua >../%s.out 2>../%s.err & pid=$!
for _ in $(seq 1200); do grep -q start ../%s.out 2>/dev/null && break; sleep 0.05; done
for _ in $(seq 1200); do %s && break; sleep 0.02; done
sleep %s
c0=$(awk '{print $14 + $15}' /proc/$pid/stat); times >../%s.t0
kill -INT $pid; wait $pid; rc=$?; times >../%s.t1
echo "$rc $c0 $(getconf CLK_TCK) $(tail -1 ../%s.t0) $(tail -1 ../%s.t1)"
]]):format(dir, exe, name, name, name, name, ready or "true", delay, name, name, name, name)
  local p = io.popen(script)
  local out = p:read("a")
  p:close()
  local function secs(m, sx) return tonumber(m) * 60 + tonumber(sx) end
  local rc, c0, tck, a1, a2, b1, b2, d1, d2, e1, e2 =
    out:match("(%d+) (%d+) (%d+) (%d+)m([%d.]+)s (%d+)m([%d.]+)s (%d+)m([%d.]+)s (%d+)m([%d.]+)s")
  local after
  if rc then
    local before = secs(a1, a2) + secs(b1, b2)
    local total = secs(d1, d2) + secs(e1, e2) - before   -- the child's (and awk's) CPU
    after = total - tonumber(c0) / tonumber(tck)
  end
  return tonumber(rc), after, T.read(dir .. "/../" .. name .. ".out") or "",
    T.read(dir .. "/../" .. name .. ".err") or ""
end

local function check(name, rc, cpu, out, err, line)
  T.eq(rc, 1, name .. ": exit status")
  -- (the message may carry a module's own line; the traceback has the user's)
  T.ok(err:find("interrupted!", 1, true) ~= nil and err:find(line, 1, true) ~= nil,
    name .. ": the interrupted error (" .. err .. ")")
  T.ok(not out:find("finished", 1, true), name .. ": still busy when the signal came")
  -- generous: polling keeps this near 0.01 s; the unpolled np.sort ran on for seconds
  if os.getenv("SHOW_CPU") then print(name, cpu) end
  T.ok(cpu and cpu < 1, name .. ": stopped within 1 s of CPU time (" .. tostring(cpu) .. " s)")
end

-- np.sort of 5e7 elements: the merge passes, and the copies around them, poll
local rc, cpu, out, err = interrupt("sort", [[
local x = np.random.random({50000000})
print("start") io.stdout:flush()
local y = np.sort(x)
print("finished")
]], 0.3)
check("np.sort", rc, cpu, out, err, "sort.lua:3")

-- np.savez_compressed, interrupted while libzip writes its temporary
local ORIGINAL = "the user's precious data\n"
T.write(dir .. "/out.npz", ORIGINAL)
rc, cpu, out, err = interrupt("savez", [[
local x = np.random.normal(0, 1, {10000000})
print("start") io.stdout:flush()
np.savez_compressed("out.npz", {x = x})
print("finished")
]], 0.2, "ls out.npz.?* >/dev/null 2>&1")
check("np.savez_compressed", rc, cpu, out, err, "savez.lua:3")
T.eq(T.read(dir .. "/out.npz"), ORIGINAL, "savez_compressed: the old file is intact")
T.eq(T.listing(dir), "out.npz", "savez_compressed: no temporary is left")

-- np.save to .gz (compressing takes seconds, so the signal surely comes
-- before the rename), interrupted while the temporary is being written
T.write(dir .. "/big.npy.gz", ORIGINAL)
rc, cpu, out, err = interrupt("save", [[
local x = np.random.random({10000000})
print("start") io.stdout:flush()
np.save("big.npy.gz", x)
print("finished")
]], 0.1, "ls big.npy.gz.tmp-* >/dev/null 2>&1")
check("np.save", rc, cpu, out, err, "save.lua:3")
T.eq(T.read(dir .. "/big.npy.gz"), ORIGINAL, "np.save: the old file is intact")
T.eq(T.listing(dir), "big.npy.gz out.npz", "np.save: no temporary is left")
os.remove(dir .. "/big.npy.gz")
os.remove(dir .. "/out.npz")

-- long reads: pd.read_csv and np.loadtxt of 10 million rows
T.write(dir .. "/big.csv", "a,b,c\n" .. string.rep("1.5,2.5,3.5\n", 10000000))
rc, cpu, out, err = interrupt("read_csv", [[
print("start") io.stdout:flush()
local df = pd.read_csv("big.csv")
print("finished")
]], 0.2)
check("pd.read_csv", rc, cpu, out, err, "read_csv.lua:2")
rc, cpu, out, err = interrupt("loadtxt", [[
print("start") io.stdout:flush()
local a = np.loadtxt("big.csv", {delimiter = ",", skiprows = 1})
print("finished")
]], 0.2)
check("np.loadtxt", rc, cpu, out, err, "loadtxt.lua:2")

os.execute("rm -rf '" .. dir .. "'")
T.done()
