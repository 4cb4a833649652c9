-- data.lua: nn.DataLoader: batch contents in order, the last partial batch
-- and drop_last, seeded shuffling (same seed same order, a new permutation
-- each epoch, every sample once per epoch), X alone, each batch's garbage
-- collected during the epoch, and the errors.
local T = require "testlib"
local X = np.arange(1, 31):reshape{10, 3}      -- row i holds 3i-2 .. 3i
local y = np.arange(101, 111)

local L = nn.DataLoader(X, y, {batch_size = 4})
T.eq(#L, 3, "#loader counts the last partial batch")
local sizes, rows = {}, {}
for xb, yb in L:iter() do
  sizes[#sizes + 1] = #xb
  T.eq(xb.shape, {#yb, 3}, "batch shape")
  for r = 1, #xb do rows[#rows + 1] = {xb[{r, 1}], yb[r]} end
end
T.eq(sizes, {4, 4, 2}, "batch sizes")
for i = 1, 10 do T.eq(rows[i], {3 * i - 2, 100 + i}, "in order, X and y together") end
local D = nn.DataLoader(X, y, {batch_size = 4, drop_last = true})
T.eq(#D, 2, "drop_last")
local n = 0
for i, xb in D:batches() do n = n + 1; T.eq(i, n, "batches() numbers the batches"); T.eq(#xb, 4, "full batches only") end
T.eq(n, 2, "drop_last drops the partial batch")

-- shuffling: the samples of one epoch, as a list of first-column values / 3
local function epoch(loader)
  local out = {}
  for xb, yb in loader:iter() do
    for r = 1, #xb do
      out[#out + 1] = math.tointeger((xb[{r, 1}] + 2) / 3)
      T.eq(yb[r], 100 + out[#out], "shuffled y follows X")
    end
  end
  return out
end
local A = nn.DataLoader(X, y, {batch_size = 3, shuffle = true, seed = 7})
local B = nn.DataLoader(X, y, {batch_size = 3, shuffle = true, seed = 7})
local a1, a2, b1 = epoch(A), epoch(A), epoch(B)
T.eq(a1, b1, "same seed, same order")
T.ok(not T.show(a1):find(T.show(a2), 1, true), "a new permutation each epoch")
local sorted = {table.unpack(a1)}
table.sort(sorted)
T.eq(sorted, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "every sample once per epoch")
-- the permutation is the seeded generator's, epoch after epoch
local g = np.random.Generator(7)
T.eq(a1, g:permutation(10):totable(), "epoch 1 is the generator's first permutation")
T.eq(a2, g:permutation(10):totable(), "epoch 2 its second")
local C = nn.DataLoader(X, y, {batch_size = 3, shuffle = true, seed = 8})
T.ok(T.show(epoch(C)) ~= T.show(a1), "another seed, another order")

-- without a seed: the run seed, so two runs give the same batches
local code = [[local L = nn.DataLoader(np.arange(20), {batch_size = 20, shuffle = true})
for xb in L:iter() do io.write(table.concat(xb:totable(), ",")) end]]
local function run(extra)
  local p = io.popen(("'%s' %s -e '%s'"):format(arg[-1], extra, code))
  local s = p:read("a"); p:close(); return s
end
local r1, r2 = run(""), run("")
T.ok(#r1 > 20 and r1 == r2, "no seed: same batches on every run")
T.ok(run("--seed 5") ~= r1, "--seed changes them")

-- X alone; tables and tensors of data
local xs = {}
for xb, yb in nn.DataLoader(np.arange(5), {batch_size = 2}):iter() do
  xs[#xs + 1] = xb:totable(); T.eq(yb, nil, "no y")
end
T.eq(xs, {{0, 1}, {2, 3}, {4}}, "X alone")
T.eq(#nn.DataLoader({{1, 2}, {3, 4}}, {5, 6}), 2, "Lua tables")
T.ok(tostring(L):find("10 samples, 3 batches of 4", 1, true), "tostring")

-- each batch's garbage is collected while the epoch runs (one minor
-- collection per batch, as PyTorch frees a step's arrays when it ends):
-- after a dataset is loaded through a temporary, Lua alone would wait for
-- the heap to grow by half or double (18 MB left here before)
do
  local data = np.zeros(6250000, "uint8"):astype("float64")   -- 50 MB, alive throughout
  local before, n = collectgarbage("count"), 0
  for xb in nn.DataLoader(np.arange(400), {batch_size = 1}):iter() do
    local garbage = np.ones(12500) * xb[1]     -- two 100 kB arrays per batch
    n = n + 1
  end
  local grown = (collectgarbage("count") - before) / 1024
  T.eq(n, 400, "every batch")
  T.ok(grown < 8, ("80 MB of per-batch garbage left %.1f MB alive (at most 8)"):format(grown))
  T.eq(data.size, 6250000, "the dataset is still there")
  -- a stopped collector stays stopped
  collectgarbage("stop")
  before = collectgarbage("count")
  for xb in nn.DataLoader(np.arange(40), {batch_size = 1}):iter() do
    local garbage = np.ones(12500) * xb[1]
  end
  grown = (collectgarbage("count") - before) / 1024
  collectgarbage("restart")
  T.ok(grown > 7, ("collectgarbage('stop') holds: %.1f MB of per-batch garbage kept"):format(grown))
end

-- errors
T.err("nn.DataLoader: X and y have different lengths (10 and 9)", nn.DataLoader, X, np.arange(9))
T.err("nn.DataLoader: batch_size must be a positive integer, got 0", nn.DataLoader, X, y, {batch_size = 0})
T.err("nn.DataLoader: batch_size must be a positive integer, got 2.5", nn.DataLoader, X, y, {batch_size = 2.5})
T.err("nn.DataLoader: unknown option 'batchsize' (did you mean 'batch_size'?)", nn.DataLoader, X, y, {batchsize = 2})
T.err("nn.DataLoader: X is empty (no samples)", nn.DataLoader, np.zeros{0, 3})
T.err("nn.DataLoader: X must be an array, got string", nn.DataLoader, "x")
T.err("nn.DataLoader: seed is only used with shuffle = true", nn.DataLoader, X, y, {seed = 1})
T.done()
