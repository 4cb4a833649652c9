-- seis_phasenet.lua: seis.PhaseNet, the pretrained PhaseNet picker. Turns a
-- Stream, an array or a file into the network's input (channels E, N, Z at
-- 100 Hz, normalized as the original prediction code does), runs the U-Net
-- of seis_phasenet_model.lua over sliding 3000-sample windows in batches,
-- averages the overlaps, and picks P and S arrivals from the probabilities.
local util = require "geolab.util"
local np = require "geolab.array"
local nn = require "geolab.nn"
local PM = require "geolab.seis_phasenet_model"
local error = util.raise

local M = {}

local WINDOW, HOP = 3000, 1500        -- network window and its hop (50 % overlap)
local RATE = 100                      -- Hz, what the network was trained on
-- Shortest input: the reflect padding of the normalization reaches 1500
-- samples past each end, which needs more than 1500 samples.
local MIN_SAMPLES = 1501
M.WINDOW, M.HOP, M.MIN_SAMPLES = WINDOW, HOP, MIN_SAMPLES

-- The shipped weights: in $GEOLAB_DATA_DIR, the data folder geolab was
-- built with (as ml.datasets finds its files), or ./data.
local function default_weights()
  local dirs = {}
  local env = os.getenv("GEOLAB_DATA_DIR")
  if env and env ~= "" then dirs[#dirs + 1] = env end
  local ok, core = pcall(require, "geolab.ml_core")
  if ok and core.data_dir then dirs[#dirs + 1] = core.data_dir() end
  dirs[#dirs + 1] = "data"
  for _, d in ipairs(dirs) do
    local p = d .. "/phasenet/phasenet_weights.npz"
    local f = io.open(p, "rb")
    if f then f:close(); return p end
  end
  return dirs[#dirs] .. "/phasenet/phasenet_weights.npz"   -- the error names it
end

-- {===== input

local COLUMN = {E = 1, N = 2, Z = 3, ["1"] = 1, ["2"] = 2}

local function pd_time(ns) return require("geolab.frame").Timestamp(ns) end

-- A Stream as (L, 3) float64 E, N, Z, with its sampling rate and start (ns).
-- Components go by the channel's last letter (E/N/Z or 1/2/Z); traces of one
-- component are merged, every component is put on the common time span with
-- zeros where it has no data (as PhaseNet's reader pads); a single
-- component is taken as the vertical, whatever its code.
local function from_stream(st, who)
  local seis = require "geolab.seis"
  if #st == 0 then error(who .. ": the stream has no traces", 3) end
  st = st:copy():merge{fill_value = 0}
  local sr = st[1].stats.sampling_rate
  local by, comps = {}, {}
  for _, tr in ipairs(st.traces) do
    if math.abs(tr.stats.sampling_rate - sr) > 1e-6 * sr then
      error(("%s: traces have different sampling rates (%s and %s Hz)"):format(who, util.repr(sr),
        util.repr(tr.stats.sampling_rate)), 3)
    end
    local c = tr.stats.channel:sub(-1):upper()
    if by[c] then error(("%s: two traces of component %s (%s and %s): select one station"):format(who, c,
      by[c].id, tr.id), 3) end
    by[c] = tr; comps[#comps + 1] = c
  end
  if #comps > 3 then
    error(("%s: expected at most 3 components (E, N, Z or 1, 2, Z), got %d: %s"):format(who, #comps,
      table.concat(comps, ", ")), 3)
  end
  if #comps > 1 then
    for _, c in ipairs(comps) do
      if not COLUMN[c] and c ~= "Z" then
        error(("%s: unknown component '%s' (expected E, N, Z or 1, 2, Z)"):format(who, c), 3)
      end
    end
  end
  -- SAC stores delta as float32: 100 Hz reads back as 100.0000022
  if math.abs(sr - RATE) > 1e-4 * RATE then
    error(("%s: PhaseNet expects %d Hz data, got %s Hz (resample first: st:resample(%d))"):format(who, RATE,
      util.repr(sr), RATE), 3)
  end
  local t0, t1 = math.huge, -math.huge
  for _, tr in ipairs(st.traces) do
    t0 = math.min(t0, tr.stats.starttime.value)
    t1 = math.max(t1, tr.stats.starttime.value + seis._span_ns(tr.stats.npts, sr))
  end
  local n = math.floor((t1 - t0) * 1e-9 * sr + 0.5)
  local x = np.zeros{n, 3}
  for _, c in ipairs(comps) do
    local tr = by[c]
    local col = #comps == 1 and 3 or (COLUMN[c] or 3)
    local off = math.floor((tr.stats.starttime.value - t0) * 1e-9 * sr + 0.5)
    local m = math.min(tr.stats.npts, n - off)
    if m > 0 then x[{{off + 1, off + m}, col}] = tr.data[{{1, m}}]:astype("float64") end
  end
  return x, RATE, pd_time(t0)
end

-- Any accepted input as (L, 3) float64 with its sampling rate and start
-- time (a pd.Timestamp, or nil for arrays).
local function as_input(x, who)
  local seis = require "geolab.seis"
  if type(x) == "string" then
    if x:lower():match("%.npz$") then
      local ok, d = pcall(np.load, x)
      if not ok then error(who .. ": " .. tostring(d):gsub("^np%.load: ", ""), 3) end
      if type(d) ~= "table" or rawget(d, "data") == nil then
        error(("%s: %s has no 'data' member (expected the shared layout: data, samples x 3)"):format(who, x), 3)
      end
      x = d.data
    else
      local ok, st = pcall(seis.read, x)
      if not ok then error(who .. ": " .. tostring(st):gsub("^seis%.read: ", ""), 3) end
      return from_stream(st, who)
    end
  end
  if seis._is_trace(x) then x = seis.Stream{x} end
  if seis._is_stream(x) then return from_stream(x, who) end
  if type(x) ~= "userdata" or not x.shape then
    error(who .. ": expected an array (samples x 3 or 3 x samples), a seis Stream or a file name, got "
      .. type(x), 3)
  end
  if x.dtype ~= "float64" then x = x:astype("float64") end
  if x.ndim == 1 then
    local z = np.zeros{x.shape[1], 3}
    z[{{}, 3}] = x
    return z, RATE, nil
  end
  if x.ndim == 2 and x.shape[2] == 3 then return x, RATE, nil end
  if x.ndim == 2 and x.shape[1] == 3 then return x.T, RATE, nil end
  error(("%s: expected samples x 3 or 3 x samples (channels E, N, Z), got shape %s"):format(who,
    tostring(x.shape)), 3)
end
-- }=====

-- {===== normalization

-- M.normalize(x): x (L, 3) -> the network's input, (L, 3) float32.
-- PhaseNet's normalize_long: means and population stds over 3000-sample
-- windows centred every 1500 samples (reflect padding), linearly
-- interpolated in time; a channel whose std is zero stays zero; with one or
-- two live channels the result is scaled by 3 / live. For exactly 3000
-- samples this is the plain per-channel standardization. One pass in C
-- (kernels/seis/phasenet_norm.c): composed of array operations it held a
-- dozen full-length temporaries.
function M.normalize(x)
  if x.dtype ~= "float64" then x = x:astype("float64") end
  if x.ndim ~= 2 or x.shape[2] ~= 3 then
    error(("seis.PhaseNet.normalize: expected (samples, 3), got shape %s"):format(tostring(x.shape)), 2)
  end
  if x.shape[1] < MIN_SAMPLES then
    error(("seis.PhaseNet.normalize: %d samples is too short (at least %d)"):format(x.shape[1], MIN_SAMPLES), 2)
  end
  return require("geolab.seis_core").phasenet_normalize(x)
end
-- }=====

-- {===== the picker

local Picker = {}
Picker.__index = Picker
Picker.__name = "seis.PhaseNet"
Picker.__tostring = function(p)
  return ("seis.PhaseNet(pretrained, %d parameters, %s, windows of %d samples at %d Hz, batch_size=%d)")
    :format(nn.count_parameters(p.model), p.dtype, WINDOW, RATE, p.batch_size)
end

-- seis.PhaseNet.pretrained([{weights = "data/phasenet/phasenet_weights.npz",
-- batch_size = 64, dtype = "float32"}]): the network with the trained weights,
-- in eval mode, in a picker.
function M.pretrained(opts)
  local who = "seis.PhaseNet.pretrained"
  opts = util.check_options(opts, {"weights", "batch_size", "dtype"}, who, 2)
  local bs = opts.batch_size or 64
  if math.type(bs) ~= "integer" or bs < 1 then
    error(who .. ": batch_size must be a positive integer, got " .. tostring(bs), 2)
  end
  local dt = opts.dtype or "float32"
  if dt ~= "float32" and dt ~= "float64" then
    error(who .. ": dtype must be 'float32' or 'float64', got " .. tostring(dt), 2)
  end
  local model = PM.PhaseNet()
  local ok, e = pcall(nn.load_npz, model, opts.weights or default_weights(), PM.tf_mapping())
  if not ok then error(who .. ": " .. tostring(e):gsub("^nn%.load_npz: ", ""), 2) end
  if dt == "float64" then model:double() end
  model:eval()
  return setmetatable({model = model, batch_size = bs, dtype = dt}, Picker)
end

-- Window starts (0-based): every HOP samples, and one flush with the end.
local function window_starts(L)
  if L <= WINDOW then return {0} end
  local s = {}
  for a = 0, L - WINDOW, HOP do s[#s + 1] = a end
  if s[#s] ~= L - WINDOW then s[#s + 1] = L - WINDOW end
  return s
end

-- picker:predict(x[, {batch_size}]) -> probs (L, 3) of noise, P, S (the
-- picker's dtype, float32 by default), and info {sampling_rate, starttime,
-- npts} for picker:pick. x: an array samples x 3 or 3 x samples (E, N, Z;
-- 1-d: the vertical alone), a Stream (or Trace), or a file (.npz of the
-- shared layout, miniSEED, SAC). Long records run as 3000-sample windows
-- every 1500 samples, the last one flush with the end, and each sample's
-- probabilities are the mean over the windows that hold it.
function Picker:predict(x, opts)
  local who = "seis.PhaseNet:predict"
  if getmetatable(self) ~= Picker then error(who .. ": call it as picker:predict(x)", 2) end
  opts = util.check_options(opts, {"batch_size"}, who, 2)
  local bs = opts.batch_size or self.batch_size
  local data, sr, t0 = as_input(x, who)
  local L = data.shape[1]
  if L < MIN_SAMPLES then
    error(("%s: %d samples is too short: PhaseNet needs at least %d (its windows are %d samples, %g s at %d Hz)")
      :format(who, L, MIN_SAMPLES, WINDOW, WINDOW / RATE, RATE), 2)
  end
  local finite = data:isfinite():all(1)
  if not finite:all() then
    local first = finite:astype("int32"):argmin()     -- 1-based, the first false
    error(("%s: the input has NaN or infinite samples (first at sample %d): fill gaps first (e.g. st:merge{fill_value = 0})")
      :format(who, first), 2)
  end
  local live = 0
  for c = 1, 3 do
    local col = data[{{}, c}]
    if col:max() ~= col:min() then live = live + 1 end
  end
  if live == 0 then
    error(who .. ": every channel is constant (no signal to pick); a flat channel is treated as missing, "
      .. "but at least one must vary", 2)
  end
  local xin = M.normalize(data)
  if self.dtype ~= "float32" then xin = xin:astype(self.dtype) end
  local xt = xin.T                           -- (3, L), a view
  local starts = window_starts(L)
  local w = math.min(WINDOW, L)
  local sum = np.zeros({3, L}, self.dtype)
  local count = np.zeros({L}, self.dtype)
  local run = PM.inference(self.model)   -- batch norm folded, no tape
  do
    for b0 = 1, #starts, bs do
      local batch = {}
      for i = b0, math.min(b0 + bs - 1, #starts) do
        batch[#batch + 1] = xt[{{}, {starts[i] + 1, starts[i] + w}}]
      end
      local p = run(np.stack(batch))              -- (B, 3, w)
      for k = 1, #batch do
        local a = starts[b0 + k - 1]
        local seg = sum[{{}, {a + 1, a + w}}]
        seg[{}] = seg + p[k]
        count[{{a + 1, a + w}}] = count[{{a + 1, a + w}}] + 1
      end
    end
  end
  local probs = (sum / count).T:copy()
  return probs, {sampling_rate = sr, starttime = t0, npts = L}
end

-- Local maxima of p (0-based positions 1 .. n-2) at or above thr: a sample
-- higher than the one before and not lower than the one after (a flat top
-- gives its first sample), as detect_peaks(edge = "rising") in PhaseNet.
local function peaks(p, thr, mind)
  local n = #p
  local cand = {}
  for i = 2, n - 1 do
    local v = p[i]
    if v >= thr and v > p[i - 1] and v >= p[i + 1] then cand[#cand + 1] = i end
  end
  -- from the highest down (ties: the later sample first, as NumPy's
  -- argsort reversed), drop every peak within mind samples of a kept one
  table.sort(cand, function(a, b)
    if p[a] ~= p[b] then return p[a] > p[b] end
    return a > b
  end)
  local kept, gone = {}, {}
  for i, c in ipairs(cand) do
    if not gone[i] then
      kept[#kept + 1] = c
      for j = i + 1, #cand do
        if math.abs(cand[j] - c) <= mind then gone[j] = true end
      end
    end
  end
  table.sort(kept)
  return kept
end

-- picker:pick(probs[, {threshold = 0.3, min_distance = 50, sampling_rate =
-- 100, starttime}]) -> a frame of picks: phase ("P"/"S"), sample (1-based),
-- time (s from the first sample), probability; sorted by sample. The info
-- table predict returns can be passed as the options' sampling_rate and
-- starttime; with a starttime the frame also has `datetime`.
function Picker:pick(probs, opts)
  local who = "seis.PhaseNet:pick"
  opts = util.check_options(opts, {"threshold", "min_distance", "sampling_rate", "starttime", "npts"}, who, 2)
  if type(probs) ~= "userdata" or not probs.shape or probs.ndim ~= 2 or probs.shape[2] ~= 3 then
    error(who .. ": probs must be the (samples, 3) array of picker:predict", 2)
  end
  local thr = opts.threshold or 0.3
  local mind = opts.min_distance or 50
  local sr = opts.sampling_rate or RATE
  if type(thr) ~= "number" or thr ~= thr then error(who .. ": threshold must be a number", 2) end
  if math.type(mind) ~= "integer" or mind < 0 then
    error(who .. ": min_distance must be a non-negative integer (samples), got " .. tostring(mind), 2)
  end
  if type(sr) ~= "number" or sr <= 0 then error(who .. ": sampling_rate must be a positive number", 2) end
  local rows = {}
  for col, phase in pairs{[2] = "P", [3] = "S"} do
    local p = probs[{{}, col}]:astype("float64"):totable()
    for _, i in ipairs(peaks(p, thr, mind)) do
      rows[#rows + 1] = {phase, i, (i - 1) / sr, p[i]}
    end
  end
  table.sort(rows, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  local cols = {phase = {}, sample = {}, time = {}, probability = {}}
  for k, r in ipairs(rows) do
    cols.phase[k], cols.sample[k], cols.time[k], cols.probability[k] = r[1], r[2], r[3], r[4]
  end
  local pd = require "geolab.frame"
  local names = {"phase", "sample", "time", "probability"}
  if opts.starttime ~= nil then
    local t0 = opts.starttime
    if type(t0) == "string" then t0 = pd.Timestamp(t0) end
    if type(t0) ~= "table" or math.type(t0.value) ~= "integer" then
      error(who .. ": starttime must be a pd.Timestamp or a date string", 2)
    end
    local ns = {}
    for k, r in ipairs(rows) do ns[k] = t0.value + math.floor((r[2] - 1) * 1e9 / sr + 0.5) end
    cols.datetime = pd.to_datetime(np.array(ns, "int64"), {unit = "ns"})
    names[#names + 1] = "datetime"
  end
  return pd.DataFrame(cols, {columns = names})
end
-- }=====

M.Picker = Picker
return M
