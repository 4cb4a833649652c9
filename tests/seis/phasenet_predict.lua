-- phasenet_predict.lua: seis.PhaseNet's picker: the normalized input and the
-- probabilities against the independent implementation
-- (tests/fixtures/phasenet/reference_probs.npz), the inputs it accepts
-- (arrays both ways, Streams of 3 or 1 components, .npz, miniSEED, SAC),
-- long records, the picking rule, thread counts and bad input.
local T = require "testlib"
local PN = require "geolab.seis_phasenet"
local R = np.load("tests/fixtures/phasenet/reference_probs.npz")
local DIR = "data/phasenet/waveforms/"
local pn = seis.PhaseNet.pretrained()

-- {===== reference windows
for _, f in ipairs(R.files) do
  local name = f:gsub("%.npz$", "")
  local raw = np.load(DIR .. f).data
  local xin = PN.normalize(raw)
  T.eq(xin.dtype, "float32")
  T.close(xin, R[name .. "/input"], 0, 1e-6, name .. " normalized input")
  local p, info = pn:predict(DIR .. f)
  T.eq({p.dtype, p.shape}, {"float32", {3000, 3}})
  T.close(p, R[name .. "/probs"], 0, 1e-4, name .. " probabilities")
  T.eq({info.sampling_rate, info.npts, info.starttime}, {100, 3000, nil})
  -- 3 x samples gives the same bits
  T.ok(np.array_equal(pn:predict(raw.T:copy()), p), name .. ": 3 x samples = samples x 3")
end
-- }=====

-- long inputs: normalize_long as described in data/phasenet/README.md
-- (tests/fixtures/phasenet/gen_normalize.py, scipy's interpolation)
do
  local N = np.load("tests/fixtures/phasenet/normalize.npz")
  for _, case in ipairs{"long", "dead"} do
    T.close(PN.normalize(N[case .. "/x"]), N[case .. "/y"], 0, 1e-6, "normalize_long, " .. case)
  end
end
-- }=====

-- {===== Streams and files
local raw = np.load(DIR .. "BG_ACR_2012082505145960.npz").data
local t0 = pd.Timestamp("2012-08-25T05:14:59.60")
local function stream(cols, codes)
  local st = seis.Stream()
  for i, c in ipairs(codes) do
    st:append(seis.Trace(raw[{{}, cols[i]}]:copy(), {network = "BG", station = "ACR", channel = "DP" .. c,
      sampling_rate = 100, starttime = t0}))
  end
  return st
end
do
  local want = pn:predict(raw)
  local p, info = pn:predict(stream({3, 1, 2}, {"Z", "E", "N"}))
  T.ok(np.array_equal(p, want), "a Stream, components by channel code")
  T.eq(info.starttime.value, t0.value, "the stream's start")
  T.ok(np.array_equal(pn:predict(stream({1, 2, 3}, {"1", "2", "Z"})), want), "1/2/Z codes")
  local path = T.tmp("phasenet.mseed")
  stream({1, 2, 3}, {"E", "N", "Z"}):write(path)
  T.ok(np.array_equal(pn:predict(path), want), "a miniSEED file")
  local picks = pn:pick(p, info)
  T.eq(picks.phase:tolist(), {"P", "S"})
  T.eq(picks:get("sample"):tolist(), {1712, 1811}, "picks (S-P 99 samples, the catalog's 3099 - 3000)")
  T.close(picks.time:tolist(), {17.11, 18.10}, 1e-12)
  T.eq(picks.datetime:tolist()[1], t0.value + 1711 * 10000000, "absolute time from the stream (ns)")
end
-- one component: the vertical, zeros elsewhere (as the shared files hold
-- one-component stations), whatever its code
do
  local z = np.load(DIR .. "NC_MTU_2014071807051236_02.npz").data
  T.eq(z[{{}, {1, 2}}]:any(), false, "the shared file has E and N zero")
  local want = pn:predict(z)
  local tr = seis.Trace(z[{{}, 3}]:copy(), {station = "MTU", channel = "EHZ", sampling_rate = 100})
  T.ok(np.array_equal(pn:predict(seis.Stream{tr}), want), "a one-component Stream")
  T.ok(np.array_equal(pn:predict(z[{{}, 3}]:copy()), want), "a 1-d array is the vertical")
  local sac = T.tmp("phasenet_z.sac")
  tr:write(sac, "SAC")
  T.close(pn:predict(sac), want, 0, 1e-6, "a SAC file (float32 samples)")
  -- scaled by 3 / live channels: the vertical alone is 3 times its z-score
  local xin = PN.normalize(z)
  local zz = z[{{}, 3}]
  T.close(xin[{{}, 3}], ((zz - zz:mean()) / zz:std() * 3):astype("float32"), 1e-6, 1e-6, "3 / live")
  T.eq(xin[{{}, {1, 2}}]:any(), false, "flat channels stay zero")
end
-- }=====

-- {===== long records
do
  -- four windows back to back: windows every 1500 samples, the last flush
  -- with the end; a window's centre is predicted as it is alone when its
  -- normalization is (a record made of one window repeated is normalized
  -- like the window in the middle)
  local w = raw
  local long = np.concatenate({w, w, w, w}, 0)
  local p = pn:predict(long)
  T.eq(p.shape, {12000, 3})
  T.close(p:sum(1), np.ones{12000}, 0, 1e-5, "averaged probabilities still sum to 1")
  -- 8001 samples: the last window starts at 5001, not on the 1500 grid
  local p7 = pn:predict(long[{{1, 8001}, {}}])
  T.eq(p7.shape, {8001, 3})
  local picks = pn:pick(p7)
  local ps = {}
  for i, ph in ipairs(picks.phase:tolist()) do if ph == "P" then ps[#ps + 1] = picks:get("sample"):tolist()[i] end end
  T.eq(#ps, 3, "three P arrivals (1712 + 3000 k) in 2.67 copies of the window")
  T.ok(math.abs(ps[2] - ps[1] - 3000) <= 2 and math.abs(ps[3] - ps[2] - 3000) <= 2, "P every 3000 samples")
  -- shorter than a window but longer than the minimum runs whole
  T.eq(pn:predict(w[{{1, 2048}, {}}]).shape, {2048, 3})
  -- batch size does not change a bit
  local pb = seis.PhaseNet.pretrained{batch_size = 1}:predict(long)
  T.ok(np.array_equal(pb, p), "batch_size = 1 gives the same bits")
end
T.same_bits("phasenet_predict", [[
  local d = np.load("data/phasenet/waveforms/NC_BBG_2007102001425167.npz").data
  local pn = seis.PhaseNet.pretrained()
  return {p = pn:predict(np.concatenate({d, d, d[{{1, 1234}, {}}]}, 0))}
]])
-- }=====

-- {===== picking rule
do
  local function probs(p, s)
    local a = np.zeros({#p, 3}, "float32")
    for i = 1, #p do a[{i, 2}] = p[i]; a[{i, 3}] = s and s[i] or 0 end
    return a
  end
  local function samples(df) return df:get("sample"):tolist() end
  -- plateau: its first sample; the first and last samples are never peaks
  T.eq(samples(pn:pick(probs{0.9, 0.1, 0.5, 0.5, 0.5, 0.2, 0.1, 0.95})), {3})
  -- below the threshold, and a rise that never falls is still a peak at its top
  T.eq(samples(pn:pick(probs{0, 0.29, 0, 0.31, 0.31, 0.31})), {4})
  T.eq(samples(pn:pick(probs({0, 0.29, 0, 0.31, 0}), {threshold = 0.2, min_distance = 1})), {2, 4})
  -- suppression within min_distance inclusive, from the highest peak down
  local p = {}
  for i = 1, 200 do p[i] = 0 end
  p[20], p[70], p[71], p[121], p[150] = 0.5, 0.9, 0, 0.6, 0.4
  T.eq(samples(pn:pick(probs(p))), {70, 121}, "20 (50 from 70) and 150 (29 from 121) go")
  T.eq(samples(pn:pick(probs(p), {min_distance = 49})), {20, 70, 121})
  T.eq(samples(pn:pick(probs(p), {min_distance = 0})), {20, 70, 121, 150})
  -- equal heights: the later one is kept (NumPy's argsort reversed)
  local q = {}
  for i = 1, 100 do q[i] = 0 end
  q[30], q[60] = 0.7, 0.7
  T.eq(samples(pn:pick(probs(q))), {60})
  -- S picks, sorted by sample with P first at a tie
  local df = pn:pick(probs({0, 0.8, 0, 0, 0}, {0, 0.5, 0, 0.9, 0}), {min_distance = 1})
  T.eq(df.phase:tolist(), {"P", "S", "S"})
  T.eq(samples(df), {2, 2, 4})
  T.eq(df.probability:tolist()[3], np.array({0.9}, "float32"):astype("float64")[1], "probability as stored")
end
-- }=====

-- {===== bad input
T.err("seis.PhaseNet:predict: 1000 samples is too short: PhaseNet needs at least 1501", pn.predict, pn,
  raw[{{1, 1000}, {}}])
do
  local nan = raw:copy()
  nan[{1234, 2}] = 0 / 0
  T.err("seis.PhaseNet:predict: the input has NaN or infinite samples (first at sample 1234)", pn.predict, pn, nan)
end
T.err("seis.PhaseNet:predict: every channel is constant", pn.predict, pn, np.ones{3000, 3})
T.err("seis.PhaseNet.normalize: 1500 samples is too short (at least 1501)", PN.normalize, np.ones{1500, 3})
T.err("seis.PhaseNet.normalize: expected (samples, 3), got shape (3000, 2)", PN.normalize, np.ones{3000, 2})
-- float32 input, a transposed view: the same as float64 contiguous
local v32 = np.random.Generator(3):normal(0, 1, {3, 4000}):astype("float32")
T.eq(PN.normalize(v32.T), PN.normalize(v32.T:astype("float64"):copy()), "normalize: float32 view = float64 copy")
T.err("seis.PhaseNet:predict: expected samples x 3 or 3 x samples (channels E, N, Z), got shape (3000, 2)",
  pn.predict, pn, np.zeros{3000, 2})
T.err("got shape (4, 3000)", pn.predict, pn, np.zeros{4, 3000})
T.err("seis.PhaseNet:predict: PhaseNet expects 100 Hz data, got 50.0 Hz (resample first: st:resample(100))",
  pn.predict, pn, seis.Stream{seis.Trace(np.zeros{3000}, {channel = "HHZ", sampling_rate = 50})})
do
  local st = stream({1, 2, 3}, {"E", "N", "Z"})
  st:append(seis.Trace(raw[{{}, 1}]:copy(), {network = "BG", station = "ACR", channel = "DPX",
    sampling_rate = 100, starttime = t0}))
  T.err("seis.PhaseNet:predict: expected at most 3 components (E, N, Z or 1, 2, Z), got 4", pn.predict, pn, st)
end
T.err("seis.PhaseNet:predict: unknown option 'batchsize' (did you mean 'batch_size'?)", pn.predict, pn, raw,
  {batchsize = 2})
T.err("seis.PhaseNet:pick: probs must be the (samples, 3) array of picker:predict", pn.pick, pn, np.zeros{10})
T.err("seis.PhaseNet.pretrained: cannot open file", seis.PhaseNet.pretrained, {weights = "no/such.npz"})
-- }=====

T.done()
