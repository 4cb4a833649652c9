-- signal_spectral.lua: spectral estimates of real signals with scipy's
-- semantics (welch, periodogram, spectrogram, stft; scipy's _spectral_helper
-- step by step). Segment FFTs run in C on cached FFTW plans
-- (stdlib/signal/signal_spectral.c).
local np = require "geolab.array"
local core = require "geolab.signal_core"
local B = require "geolab.signal_base"
local W = require "geolab.signal_windows"
local err = B.error

local S = {}


-- scipy's _triage_segments: the window array and nperseg.
local function triage(fname, window, nperseg, n)
  if type(window) == "string" or (type(window) == "table" and B.is_opts(window) == false and type(window[1]) == "string") then
    nperseg = nperseg or 256
    if nperseg > n then nperseg = n end   -- scipy warns and does the same
    local ok, w = pcall(W.get_window, window, nperseg)
    if not ok then err(fname, "%s", (tostring(w):gsub("^signal%.get_window: ", ""))) end
    return w, nperseg
  end
  local w = B.signal(window, fname, "window")
  if w.ndim ~= 1 then err(fname, "window must be 1-D") end
  if n < w.size then err(fname, "window is longer than input signal (%d > %d samples)", w.size, n) end
  if nperseg == nil then nperseg = w.size
  elseif nperseg ~= w.size then err(fname, "value specified for nperseg (%d) is different from length of window (%d)", nperseg, w.size) end
  return w, nperseg
end

local DETREND = {constant = 1, linear = 2}

-- The segment spectra of x: returns freqs, times, re, im (rows, nseg, nfreq),
-- the scale, and what is needed to put results back in x's layout.
local function helper(fname, a, defaults)
  local x = B.signal(a.x, fname)
  local fs = B.num(a.fs, fname, "fs") or 1.0
  if not (fs > 0) then err(fname, "fs must be positive, got %s", tostring(fs)) end
  local axis_given = a.axis == nil and -1 or a.axis
  local ax = B.axis(a.axis, x.ndim, fname)
  local x2, _, rows, n = B.rows(x, ax)
  if n == 0 then err(fname, "x is empty along axis %d", ax) end
  local nperseg = B.int(a.nperseg, fname, "nperseg")
  if nperseg ~= nil and nperseg < 1 then err(fname, "nperseg must be a positive integer, got %d", nperseg) end
  local window = a.window
  if window == nil then window = defaults.window end
  local win
  win, nperseg = triage(fname, window, nperseg, n)
  local nfft = B.int(a.nfft, fname, "nfft")
  if nfft == nil then nfft = nperseg
  elseif nfft < nperseg then err(fname, "nfft (%d) must be greater than or equal to nperseg (%d)", nfft, nperseg) end
  local noverlap = B.int(a.noverlap, fname, "noverlap")
  if noverlap == nil then noverlap = defaults.noverlap(nperseg) end
  if noverlap >= nperseg then err(fname, "noverlap (%d) must be less than nperseg (%d)", noverlap, nperseg) end
  if noverlap < 0 then err(fname, "noverlap must be >= 0, got %d", noverlap) end
  local step = nperseg - noverlap
  local detrend = a.detrend
  if detrend == nil then detrend = defaults.detrend end
  local dkind = 0
  if detrend then
    if type(detrend) ~= "string" or not DETREND[detrend] then
      err(fname, "detrend must be 'constant', 'linear' or false, got %s", tostring(detrend))
    end
    dkind = DETREND[detrend]
  end
  local scaling = B.str(a.scaling or defaults.scaling, fname, "scaling", {"density", "spectrum"})
  local onesided = a.return_onesided
  if onesided == nil then onesided = true end
  -- stft: extend by nperseg/2 zeros at both ends, then pad to whole segments
  local boundary = defaults.boundary and a.boundary
  if defaults.boundary and a.boundary == nil then boundary = "zeros" end
  if boundary == false or boundary == require("geolab.util").None then boundary = nil end
  if boundary ~= nil then
    B.str(boundary, fname, "boundary", {"zeros"})
    local h = nperseg // 2
    x2 = np.concatenate({np.zeros{rows, h}, x2, np.zeros{rows, h}}, 1)
    n = n + 2 * h
  end
  local padded = defaults.boundary and a.padded
  if defaults.boundary and a.padded == nil then padded = true end
  if padded then
    local nadd = (-(n - nperseg) % step) % nperseg
    if nadd > 0 then x2 = np.concatenate({x2, np.zeros{rows, nadd}}, 1); n = n + nadd end
  end
  if n < nperseg then err(fname, "the signal (%d samples) is shorter than nperseg (%d)", n, nperseg) end
  local wsum, w2sum = win:sum(), (win * win):sum()
  local scale
  if scaling == "density" then scale = 1.0 / (fs * w2sum) else scale = 1.0 / (wsum * wsum) end
  local re, im = core.segments(fname, x2, win, nperseg, step, nfft, dkind)
  local nf = nfft // 2 + 1
  local freqs
  local val = 1.0 / (nfft * (1 / fs))
  if onesided then
    freqs = np.arange(0, nf) * val
  else
    local f = {}
    for k = 0, nfft - 1 do f[k + 1] = (k <= (nfft - 1) // 2 and k or k - nfft) * val end
    freqs = np.array(f)
  end
  local t = {}
  local t0, tend = nperseg / 2, n - nperseg / 2 + 1
  local v = t0
  while v < tend do t[#t + 1] = v / fs; v = v + step end
  if boundary ~= nil then for i = 1, #t do t[i] = t[i] - (nperseg / 2) / fs end end
  return {x = x, ax = ax, axis_given = axis_given, rows = rows, re = re, im = im, scale = scale,
          onesided = onesided, nfft = nfft, nf = nf, freqs = freqs, times = np.array(t, "float64"):reshape{#t},
          nseg = re.shape[2]}
end

-- Full-length spectra from one-sided ones (real input: X[n-k] = conj(X[k])).
local function twosided(re, im, nfft)
  local nf = nfft // 2 + 1
  local last = nfft % 2 == 0 and nf - 1 or nf   -- bins mirrored: 2 .. last
  if nfft - nf <= 0 then return re, im end
  local rmir = re[{{}, {}, {2, nfft - nf + 1}}]:flip(2)
  local imir = -im[{{}, {}, {2, nfft - nf + 1}}]:flip(2)
  local _ = last
  return np.concatenate({re, rmir}, 2), np.concatenate({im, imir}, 2)
end

-- Power of each segment, scaled and (one-sided) doubled: (rows, nseg, nfreq).
local function power(h)
  local re, im = h.re, h.im
  if not h.onesided then re, im = twosided(re, im, h.nfft) end
  local P = (re * re + im * im) * h.scale
  if h.onesided then
    local hi = h.nfft % 2 == 1 and h.nf or h.nf - 1
    if hi >= 2 then P[{{}, {}, {2, hi}}] = P[{{}, {}, {2, hi}}] * 2 end
  end
  return P
end

-- (rows, nseg, nfreq) -> x's layout with (nfreq, nseg) in place of the axis,
-- as scipy's moveaxis(result, -1, axis).
local function layout(h, R)
  local x, ax = h.x, h.ax
  local s = {}
  for i = 0, x.ndim - 1 do if i ~= ax then s[#s + 1] = x.shape[i + 1] end end
  s[#s + 1] = R.shape[2]; s[#s + 1] = R.shape[3]
  R = R:reshape(s)                                    -- (..., nseg, nfreq)
  local nd = #s
  local target = h.axis_given < 0 and (h.axis_given - 1 + nd) or h.axis_given
  return B.moveaxis(R, nd - 1, target)
end

local WELCH_ARGS = {"x", "fs", "window", "nperseg", "noverlap", "nfft", "detrend", "return_onesided",
  "scaling", "axis", "average"}

local function welch_impl(fname, a)
  local h = helper(fname, a, {window = "hann", noverlap = function(n) return n // 2 end,
    detrend = "constant", scaling = "density"})
  local P = layout(h, power(h))                       -- segments on the last axis
  local avg = B.str(a.average or "mean", fname, "average", {"mean", "median"})
  if P.shape[P.ndim] > 1 then
    if avg == "mean" then P = P:mean(P.ndim - 1)
    else
      local nseg = P.shape[P.ndim]
      local bias = 1
      for k = 1, (nseg - 1) // 2 do bias = bias + (1 / (2 * k + 1) - 1 / (2 * k)) end
      P = np.median(P, P.ndim - 1) / bias
    end
  else
    local s = {}
    for i = 1, P.ndim - 1 do s[i] = P.shape[i] end
    P = P:reshape(s)
  end
  return h.freqs, P
end

-- welch(x[, {fs=1, window="hann", nperseg=256, noverlap, nfft, detrend="constant",
--   return_onesided=true, scaling="density", axis=-1, average="mean"}]) -> f, Pxx
function S.welch(...)
  local fname = "signal.welch"
  return welch_impl(fname, B.args(fname, {"x", "fs", "window", "nperseg", "noverlap", "nfft", "detrend",
    "return_onesided", "scaling", "axis", "average"}, {}, ...))
end

-- periodogram(x[, {fs=1, window="boxcar", nfft, detrend="constant",
--   return_onesided=true, scaling="density", axis=-1}]) -> f, Pxx
function S.periodogram(...)
  local fname = "signal.periodogram"
  local a = B.args(fname, {"x", "fs", "window", "nfft", "detrend", "return_onesided", "scaling", "axis"}, {}, ...)
  local x = B.signal(a.x, fname)
  local ax = B.axis(a.axis, x.ndim, fname)
  local n = x.shape[ax + 1]
  local nfft = B.int(a.nfft, fname, "nfft", 1)
  local nperseg
  if nfft == nil or nfft >= n then nperseg = n
  else
    local idx = {}
    for i = 1, x.ndim do idx[i] = {} end
    idx[ax + 1] = {1, nfft}
    x = x[idx]
    nperseg, nfft = nfft, nil
  end
  local w = a.window
  if w == nil or w == require("geolab.util").None then w = "boxcar" end
  if type(w) == "userdata" and w.size ~= nperseg then
    err(fname, "the size of the window must be the same size of the input on the specified axis")
  end
  local o = {x = x, fs = a.fs, window = w, nperseg = nperseg, noverlap = 0, nfft = nfft,
    detrend = a.detrend, return_onesided = a.return_onesided, scaling = a.scaling, axis = a.axis}
  return welch_impl(fname, o)
end

-- spectrogram(x[, {fs=1, window={"tukey", 0.25}, nperseg, noverlap, nfft,
--   detrend="constant", return_onesided=true, scaling="density", axis=-1, mode="psd"}])
-- -> f, t, Sxx (frequencies by segment times)
function S.spectrogram(...)
  local fname = "signal.spectrogram"
  local a = B.args(fname, {"x", "fs", "window", "nperseg", "noverlap", "nfft", "detrend", "return_onesided",
    "scaling", "axis", "mode"}, {}, ...)
  local mode = B.str(a.mode or "psd", fname, "mode", {"psd", "complex", "magnitude", "angle", "phase"})
  if mode == "complex" or mode == "phase" or mode == "angle" then
    err(fname, "mode='%s' needs complex arrays, which geolab does not have yet; use mode='psd' or 'magnitude'", mode)
  end
  local h = helper(fname, a, {window = {"tukey", 0.25}, noverlap = function(n) return n // 8 end,
    detrend = "constant", scaling = "density"})
  local R
  if mode == "psd" then R = power(h)
  else
    h.scale = math.sqrt(h.scale)
    local re, im = h.re, h.im
    if not h.onesided then re, im = twosided(re, im, h.nfft) end
    R = np.sqrt(re * re + im * im) * h.scale
  end
  return h.freqs, h.times, layout(h, R)
end

-- stft: complex by nature; available once geolab has complex arrays.
function S.stft(...)
  local fname = "signal.stft"
  B.args(fname, {"x", "fs", "window", "nperseg", "noverlap", "nfft", "detrend", "return_onesided",
    "boundary", "padded", "axis", "scaling"}, {}, ...)
  err(fname, "stft returns complex arrays, which geolab does not have yet; use signal.spectrogram "
      .. "with mode='magnitude' (|stft| with the same window and scaling='spectrum')")
end

return S
