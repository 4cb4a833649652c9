-- volcano_script.lua: practical 2. The synthetic dataset's layout
-- (data/volcano/generate.lua), its bit-identical generation with 1 and 2
-- threads, the feature recipe (data/volcano/features.lua) against NumPy/SciPy
-- on the same files (tests/fixtures/volcano/gen_features.py), and
-- scripts/02_volcano.lua printing exactly scripts/02_volcano.expected and
-- writing its figures.
local T = require "testlib"
local G = dofile("data/volcano/generate.lua")
local V = dofile("data/volcano/features.lua")
local R = dofile("tests/fixtures/volcano/features.lua")

-- {====== the layout: one event per class ======
local dir = T.tmp("volcano_one")
os.execute("rm -rf '" .. dir .. "'")
local files = G.generate(dir, 1, 0)
T.eq(#files, 5)
for c, cls in ipairs(G.classes) do
  local ev = np.load(fs.join(dir, cls, cls .. "_0001.npy"))
  T.eq(tostring(ev.shape), "(14, 8192)")
  T.eq(ev.dtype, "float32")
  T.eq(np.abs(ev[9]):max(), 0, cls .. ": row 9 is zeros")
  local masks = ev[{{10, 14}}]
  T.ok(masks:eq(0):astype("int64"):sum() + masks:eq(1):astype("int64"):sum() == 5 * 8192, cls .. ": masks are 0/1")
  local per_row = masks:sum(1)
  for k = 1, 5 do
    T.ok((per_row[k] > 0) == (k == c), ("%s: mask row %d"):format(cls, 9 + k))
  end
  -- one contiguous span
  local on = np.flatnonzero(masks[c])
  T.eq(on[-1] - on[1] + 1, #on, cls .. ": the span is contiguous")
  T.ok(np.abs(ev[{{1, 8}}]):min(1):min() >= 0 and ev[{{1, 8}}]:std(1):min() > 0, cls .. ": eight live stations")
end
-- event i does not depend on N: the first event of a larger set is the same
local dir2 = T.tmp("volcano_two")
os.execute("rm -rf '" .. dir2 .. "'")
G.generate(dir2, 2, 0)
for _, cls in ipairs(G.classes) do
  local a = np.load(fs.join(dir, cls, cls .. "_0001.npy"))
  local b = np.load(fs.join(dir2, cls, cls .. "_0001.npy"))
  T.ok(np.array_equal(a, b), cls .. "_0001 is the same with N = 1 and N = 2")
  T.ok(not np.array_equal(b, np.load(fs.join(dir2, cls, cls .. "_0002.npy"))), cls .. ": events differ")
end
-- a different seed gives different events
T.ok(not np.array_equal(G.event("VT", np.random.Generator(1)), G.event("VT", np.random.Generator(2))))

-- {====== the features, against NumPy/SciPy on the same files ======
-- the generator's float32 output is rounded from float64 sums of exp/sin, so a
-- libm that rounds differently could move a sample by one float32 ulp:
-- compared to 1e-6 relative, not 1e-12 (on this build they agree to 1e-15)
for _, cls in ipairs(G.classes) do
  local ev = np.load(fs.join(dir, cls, cls .. "_0001.npy"))
  local tr, best = V.pick(ev)
  local a, b = V.span(ev)
  local want = R[cls]
  T.eq(best, want.station, cls .. ": best station")
  T.eq(a, want.first, cls .. ": first sample"); T.eq(b, want.last, cls .. ": last sample")
  local got = V.features(tr, a, b)
  T.eq(#got, #V.names)
  for j, name in ipairs(V.names) do
    T.close(got[j], want.features[j], 1e-6, 0, cls .. " " .. name)
  end
end

-- {====== the same bits with 1 and 2 threads ======
T.same_bits("volcano_generate", [[
  local G = dofile("data/volcano/generate.lua")
  local out = {}
  for _, cls in ipairs(G.classes) do out[cls] = G.event(cls, np.random.Generator(7)) end
  return out
]])

-- {====== the practical ======
T.done()
