-- core_interrupt.lua: a real Ctrl-C (SIGINT sent to a child geolab) stops
-- long calls promptly with "interrupted!" and exit status 1, and an
-- interrupted write leaves neither a temporary nor a damaged old file.
-- The one timing bound is generous (1 s from the signal to the exit, the
-- process teardown included); each child proves it was still busy when the
-- signal came (it never prints "finished").
local T = require "testlib"
local exe = arg[-1] or "geolab"
if not exe:find("^/") then exe = os.getenv("PWD") .. "/" .. exe end   -- children run elsewhere
local dir = T.tmp("core_interrupt")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local function slurp(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end
local function spit(p, s)
  local f = assert(io.open(p, "wb"))
  f:write(s)
  f:close()
end
local function listing()
  local p = io.popen("ls -A '" .. dir .. "'")
  local names = {}
  for l in p:lines() do names[#names + 1] = l end
  p:close()
  table.sort(names)
  return table.concat(names, " ")
end

-- Runs `code` (which prints "start" when the long call begins) in a child;
-- once "start" is out and `ready` (a shell test, default true) holds, waits
-- `delay` seconds and sends SIGINT. Returns exit status, milliseconds from
-- the signal to the exit, stdout, stderr.
local function interrupt(name, code, delay, ready)
  spit(dir .. "/../" .. name .. ".lua", code)
  local script = ([[
cd '%s' || exit 2
'%s' ../%s.lua >../%s.out 2>../%s.err & pid=$!
for _ in $(seq 1200); do grep -q start ../%s.out 2>/dev/null && break; sleep 0.05; done
for _ in $(seq 1200); do %s && break; sleep 0.02; done
sleep %s
t0=$(date +%%s%%N); kill -INT $pid; wait $pid; rc=$?; t1=$(date +%%s%%N)
echo "$rc $(( (t1 - t0) / 1000000 ))"
]]):format(dir, exe, name, name, name, name, ready or "true", delay)
  local p = io.popen(script)
  local out = p:read("a")
  p:close()
  local rc, ms = out:match("(%d+) (%d+)")
  return tonumber(rc), tonumber(ms), slurp(dir .. "/../" .. name .. ".out") or "",
    slurp(dir .. "/../" .. name .. ".err") or ""
end

local function check(name, rc, ms, out, err, line)
  T.eq(rc, 1, name .. ": exit status")
  -- (the message may carry a module's own line; the traceback has the user's)
  T.ok(err:find("interrupted!", 1, true) ~= nil and err:find(line, 1, true) ~= nil,
    name .. ": the interrupted error (" .. err .. ")")
  T.ok(not out:find("finished", 1, true), name .. ": still busy when the signal came")
  T.ok(ms and ms < 1000, name .. ": stopped within 1 s (" .. tostring(ms) .. " ms)")
end

-- np.sort of 5e7 elements: the merge passes, and the copies around them, poll
local rc, ms, out, err = interrupt("sort", [[
local x = np.random.random({50000000})
print("start") io.stdout:flush()
local y = np.sort(x)
print("finished")
]], 0.3)
check("np.sort", rc, ms, out, err, "sort.lua:3")

-- np.savez_compressed, interrupted while libzip writes its temporary
local ORIGINAL = "the user's precious data\n"
spit(dir .. "/out.npz", ORIGINAL)
rc, ms, out, err = interrupt("savez", [[
local x = np.random.normal(0, 1, {10000000})
print("start") io.stdout:flush()
np.savez_compressed("out.npz", {x = x})
print("finished")
]], 0.2, "ls out.npz.?* >/dev/null 2>&1")
check("np.savez_compressed", rc, ms, out, err, "savez.lua:3")
T.eq(slurp(dir .. "/out.npz"), ORIGINAL, "savez_compressed: the old file is intact")
T.eq(listing(), "out.npz", "savez_compressed: no temporary is left")

-- np.save to .gz (compressing takes seconds, so the signal surely comes
-- before the rename), interrupted while the temporary is being written
spit(dir .. "/big.npy.gz", ORIGINAL)
rc, ms, out, err = interrupt("save", [[
local x = np.random.random({10000000})
print("start") io.stdout:flush()
np.save("big.npy.gz", x)
print("finished")
]], 0.1, "ls big.npy.gz.tmp-* >/dev/null 2>&1")
check("np.save", rc, ms, out, err, "save.lua:3")
T.eq(slurp(dir .. "/big.npy.gz"), ORIGINAL, "np.save: the old file is intact")
T.eq(listing(), "big.npy.gz out.npz", "np.save: no temporary is left")
os.remove(dir .. "/big.npy.gz")
os.remove(dir .. "/out.npz")

-- long reads: pd.read_csv and np.loadtxt of 10 million rows
spit(dir .. "/big.csv", "a,b,c\n" .. string.rep("1.5,2.5,3.5\n", 10000000))
rc, ms, out, err = interrupt("read_csv", [[
print("start") io.stdout:flush()
local df = pd.read_csv("big.csv")
print("finished")
]], 0.2)
check("pd.read_csv", rc, ms, out, err, "read_csv.lua:2")
rc, ms, out, err = interrupt("loadtxt", [[
print("start") io.stdout:flush()
local a = np.loadtxt("big.csv", {delimiter = ",", skiprows = 1})
print("finished")
]], 0.2)
check("np.loadtxt", rc, ms, out, err, "loadtxt.lua:2")

os.execute("rm -rf '" .. dir .. "'")
T.done()
