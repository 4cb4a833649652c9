-- phasenet_script.lua: practical 4's PhaseNet part. scripts/06_phasenet.lua
-- (picks on the example windows, S-P of all 154 windows against the catalog,
-- 3 epochs of fine-tuning) prints exactly scripts/06_phasenet.expected and
-- writes the figures of docs/tutorials/06_phasenet.md byte for byte
-- (docs/tutorials/img/06_*.png are the golden files), with the default
-- thread count and with --threads 1: the fine-tuning gives the same numbers
-- with any thread count. To regenerate after a deliberate change: run the
-- script into a folder, look at the pictures, copy them to
-- docs/tutorials/img and its output to the .expected file.
local T = require "testlib"

local function same_figures(dir, how)
  local want = T.read("scripts/06_phasenet.expected")
  local list = want:match("figures: ([^\n]*)")
  local n = 0
  for name in list:gmatch("[^, ]+") do
    local got, ref = T.read(dir .. "/" .. name), T.read("docs/tutorials/img/" .. name)
    T.ok(ref ~= nil, name .. ": golden file docs/tutorials/img/" .. name)
    T.ok(got ~= nil and got == ref, ("%s (%s): the same bytes as docs/tutorials/img/%s"):format(name, how, name))
    n = n + 1
  end
  T.eq(n, 5, "five figures")
end

-- one thread, started first so that both runs overlap (the pipe holds the
-- output until it is read)
local exe = arg[-1] or "geolab"
local dir1 = T.tmp("figures_06_threads1")
os.execute("rm -rf '" .. dir1 .. "'")
local p = assert(io.popen(("'%s' --threads 1 scripts/06_phasenet.lua '%s' 2>&1"):format(exe, dir1)))

-- the default thread count (T.script checks the output and that the PNGs exist)
local dir = T.script("06_phasenet")
same_figures(dir, "default threads")

local out = p:read("a")
local ok = p:close()
T.ok(ok, "the --threads 1 run exits with status 0")
T.ok(out == T.read("scripts/06_phasenet.expected"), "--threads 1 prints the same bytes")
same_figures(dir1, "--threads 1")
T.done()
