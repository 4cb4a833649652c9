-- deep_learning_script.lua: practical 4. scripts/04_deep_learning.lua (its
-- small run: 3,000 Fashion-MNIST images, 20 volcano events per class) prints
-- exactly scripts/04_deep_learning.expected and writes the figures of
-- docs/tutorials/04_deep_learning.md byte for byte (docs/tutorials/img/04_*.png
-- are the golden files), with the default thread count and with --threads 1.
-- To regenerate after a deliberate change: run the script into a folder, look
-- at the pictures, copy them to docs/tutorials/img and its output to the
-- .expected file.
local T = require "testlib"
local FMNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
if not fs.exists(FMNIST) then
  print("SKIPPED: Fashion-MNIST is not installed (" .. FMNIST .. "; ./setup.sh installs it)")
  os.exit(77)
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function same_figures(dir, how)
  local want = read("scripts/04_deep_learning.expected")
  local list = want:match("figures: ([^\n]*)")
  local n = 0
  for name in list:gmatch("[^, ]+") do
    local got, ref = read(dir .. "/" .. name), read("docs/tutorials/img/" .. name)
    T.ok(ref ~= nil, name .. ": golden file docs/tutorials/img/" .. name)
    T.ok(got ~= nil and got == ref, ("%s (%s): the same bytes as docs/tutorials/img/%s"):format(name, how, name))
    n = n + 1
  end
  T.eq(n, 7, "seven figures")
end

-- one thread, started first so that both runs overlap (the pipe holds its
-- few kilobytes of output until it is read)
local exe = arg[-1] or "geolab"
local dir1 = T.tmp("figures_04_threads1")
os.execute("rm -rf '" .. dir1 .. "'")
local p = assert(io.popen(("'%s' --threads 1 scripts/04_deep_learning.lua '%s' 2>&1"):format(exe, dir1)))

-- the default thread count (T.script checks the output and that the PNGs exist)
local dir = T.script("04_deep_learning")
same_figures(dir, "default threads")

-- the one-thread run: the same output and the same figures
local out = p:read("a")
local ok = p:close()
T.ok(ok, "the --threads 1 run exits with status 0")
T.ok(out == read("scripts/04_deep_learning.expected"), "--threads 1 prints the same bytes")
same_figures(dir1, "--threads 1")
T.done()
