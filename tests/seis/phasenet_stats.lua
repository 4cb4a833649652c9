-- phasenet_stats.lua: the pretrained picker on all 154 shared windows
-- (data/phasenet/waveforms_all.npz) against the catalog (waveform.csv): with
-- the highest-probability pick per phase, S-P within 10 samples of the
-- catalog's in at least 80 % of the windows where both phases are picked
-- (the independent implementation: 128 of 152), and a P pick in every window.
local T = require "testlib"
local pn = seis.PhaseNet.pretrained()
local all = np.load("data/phasenet/waveforms_all.npz")
local cat = pd.read_csv("data/phasenet/waveform.csv")
local fn, itp, its = cat.fname:tolist(), cat.itp:tolist(), cat.its:tolist()
T.eq(#fn, 154)

local withp, both, good = 0, 0, 0
local nopick = {}
for i = 1, #fn do
  local picks = pn:pick(pn:predict(all[fn[i]]))
  local best = {}
  local ph, sm, pr = picks.phase:tolist(), picks:get("sample"):tolist(), picks.probability:tolist()
  for k = 1, #ph do
    if not best[ph[k]] or pr[k] > best[ph[k]].p then best[ph[k]] = {s = sm[k], p = pr[k]} end
  end
  if best.P then withp = withp + 1 else nopick[#nopick + 1] = fn[i] end
  if best.P and best.S then
    both = both + 1
    if math.abs((best.S.s - best.P.s) - (its[i] - itp[i])) <= 10 then good = good + 1 end
  end
end
print(("P picked in %d of %d windows; S-P within 10 samples in %d of %d with both (%.1f %%)"):format(
  withp, #fn, good, both, 100 * good / both))
T.eq(withp, #fn, "a P pick in every window (missing: " .. table.concat(nopick, ", ") .. ")")
T.ok(good / both >= 0.8, ("S-P agreement %d / %d is below 80 %%"):format(good, both))
-- the float32 network reproduces the reference implementation's count exactly
T.eq({good, both}, {128, 152}, "same windows as the independent implementation")

T.done()
