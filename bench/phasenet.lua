-- bench/phasenet.lua: issue 15's PhaseNet target (paired with bench/phasenet.py,
-- which runs after it on the same data): probabilities for one day of
-- 3-component 100 Hz data, 8,640,000 samples per channel, by the pretrained
-- picker's picker:predict (normalization, 3000-sample windows with overlap,
-- averaging). The day is made here once and saved for the PyTorch side
-- (bench/out/phasenet_day.npy, float32 samples x 3): the 154 example windows
-- in a seeded order, each scaled to unit standard deviation, plus Gaussian
-- noise (standard deviation 0.05, so that no channel is flat). geolab's
-- probabilities go to bench/out/phasenet_geolab_probs.npy; bench/phasenet.py
-- refuses a ratio unless its own agree with them to 1e-4.
--   build/geolab bench/phasenet.lua
local OUT = "bench/out"
local NT = 8640000
os.execute("mkdir -p " .. OUT)

local function result(case, ms) print(("RESULT %s %.3f"):format(case, ms)); io.stdout:flush() end
local function info(...) io.stderr:write(string.format(...), "\n") end

local function day()
  local path = OUT .. "/phasenet_day.npy"
  if fs.exists(path) then return np.load(path) end
  local t0 = os.perf_counter()
  local all = np.load("data/phasenet/waveforms_all.npz")
  local names = {}
  for k in pairs(all) do names[#names + 1] = k end
  table.sort(names)
  local g = np.random.Generator(15)
  local order = g:permutation(#names)
  local x = g:normal(0, 0.05, {NT, 3}):astype("float32")
  for b = 1, NT // 3000 do
    local w = all[names[order[(b - 1) % #names + 1]]]
    local s = w:std()
    local i = (b - 1) * 3000
    x[{{i + 1, i + 3000}, {}}] = x[{{i + 1, i + 3000}, {}}] + (w / s):astype("float32")
  end
  np.save(path, x)
  info("day of %d samples x 3 made in %.1f s", NT, os.perf_counter() - t0)
  return x
end

local x = day()
local picker = seis.PhaseNet.pretrained()
picker:predict(x[{{1, 30000}}])                  -- warm-up: plans, allocations
collectgarbage()
local t, c = os.perf_counter(), os.clock()
local probs = picker:predict(x)
result("phasenet_day_8640000x3", (os.perf_counter() - t) * 1000)
local cpu = os.clock() - c
np.save(OUT .. "/phasenet_geolab_probs.npy", probs)
local picks = picker:pick(probs)
local np_, ns_ = 0, 0
for _, ph in ipairs(picks:get("phase"):tolist()) do
  if ph == "P" then np_ = np_ + 1 else ns_ = ns_ + 1 end
end
info("predict: %.1f s of CPU; picks over the day: %d P, %d S", cpu, np_, ns_)
