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

-- numpy.unwrap(p, axis=ax) (discont pi, period 2 pi; ax from 0).
local function unwrap(p, ax)
  local dd = np.diff(p, 1, ax)
  local ddmod = (dd + math.pi) % (2 * math.pi) - math.pi
  ddmod = np.where(ddmod:eq(-math.pi):logical_and(dd:gt(0)), math.pi, ddmod)
  local corr = np.where(np.abs(dd):lt(math.pi), 0, ddmod - dd)
  local up = p:copy()
  local idx = {}
  for i = 1, p.ndim do idx[i] = {} end
  idx[ax + 1] = {2, -1}
  up[idx] = p[idx] + corr:cumsum(ax)
  return up
end

-- scipy's boundary extensions (even_ext, odd_ext, const_ext, zero_ext) of
-- the rows of x2 by h samples at both ends.
local function extend(x2, h, kind, fname)
  local rows, n = x2.shape[1], x2.shape[2]
  if h == 0 then return x2 end
  if kind == "zeros" then return np.concatenate({np.zeros{rows, h}, x2, np.zeros{rows, h}}, 1) end
  local left, right
  if kind == "constant" then
    left = x2[{{}, {1, 1}}] * np.ones{1, h}
    right = x2[{{}, {n, n}}] * np.ones{1, h}
  else
    if h > n - 1 then
      err(fname, "the extension length n (%d) is too big; it must not exceed x.shape[axis]-1, which is %d", h, n - 1)
    end
    left = x2[{{}, {2, h + 1}}]:flip(1)
    right = x2[{{}, {n - h, n - 1}}]:flip(1)
    if kind == "odd" then
      left = x2[{{}, {1, 1}}] * 2 - left
      right = x2[{{}, {n, n}}] * 2 - right
    end
  end
  return np.concatenate({left, x2, right}, 1)
end
local BOUNDARIES = {"even", "odd", "constant", "zeros"}

-- The segment spectra of x as scipy's _spectral_helper computes them, in one
-- C pass (kernels/signal/spectral.c): mode "psd" (power, one-sided bins
-- doubled), "complex" (stft: complex128, scaled by the root of the scale) or
-- "magnitude" (its modulus). Returns a table with R (rows, nseg, nout), the
-- frequencies, the segment times and what layout() needs.
local function helper(fname, a, defaults, mode)
  local single = a.single_input or type(a.x) == "userdata" and B.dtype(a.x) == "float32"
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
  local scaling = B.str(a.scaling or defaults.scaling, fname, "scaling", defaults.scalings or {"density", "spectrum"})
  if scaling == "psd" then scaling = "density" end
  local onesided = a.return_onesided
  if onesided == nil then onesided = true end
  -- stft: extend by nperseg/2 samples at both ends, then pad to whole segments
  local boundary = defaults.boundary and a.boundary
  if defaults.boundary and a.boundary == nil then boundary = "zeros" end
  if boundary == false or boundary == require("geolab.util").None then boundary = nil end
  if boundary ~= nil then
    B.str(boundary, fname, "boundary", BOUNDARIES)
    x2 = extend(x2, nperseg // 2, boundary, fname)
    n = n + 2 * (nperseg // 2)
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
  if mode ~= "psd" then scale = math.sqrt(scale) end
  local R = core.segments(fname, x2, win, nperseg, step, nfft, dkind, mode, onesided, scale)
  local freqs = onesided and np.fft.rfftfreq(nfft, 1 / fs) or np.fft.fftfreq(nfft, 1 / fs)
  local nseg = R.shape[2]
  local times = (np.arange(nseg) * step + nperseg / 2) / fs
  if boundary ~= nil then times = times - (nperseg / 2) / fs end
  return {x = x, ax = ax, axis_given = axis_given, R = R, freqs = freqs, times = times, nseg = nseg,
          single = single}
end

-- scipy computes float32 input in single precision and returns float32
-- (complex64) results; geolab computes in double and returns the same dtypes.
local function same_precision(h, R)
  if not h.single then return R end
  return R:astype(R.dtype == "complex128" and "complex64" or "float32")
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
    detrend = "constant", scaling = "density"}, "psd")
  local P = layout(h, h.R)                       -- segments on the last axis
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
  return h.freqs, same_precision(h, P)
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
  local o = {x = x, single_input = B.dtype(a.x) == "float32", fs = a.fs, window = w, nperseg = nperseg, noverlap = 0, nfft = nfft,
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
  local h = helper(fname, a, {window = {"tukey", 0.25}, noverlap = function(n) return n // 8 end,
    detrend = "constant", scaling = "density"}, mode == "psd" and "psd" or mode == "magnitude" and "magnitude" or "complex")
  local S_ = layout(h, h.R)
  if mode == "angle" or mode == "phase" then
    S_ = np.angle(S_)
    -- scipy unwraps along the frequency axis (its axis - 1 for negative axis)
    if mode == "phase" then
      local g = h.axis_given
      S_ = unwrap(S_, g < 0 and g - 1 + S_.ndim or g)
    end
  end
  return h.freqs, h.times, same_precision(h, S_)
end

-- stft(x[, {fs=1, window="hann", nperseg=256, noverlap, nfft, detrend=false,
--   return_onesided=true, boundary="zeros", padded=true, axis=-1, scaling="spectrum"}])
-- -> f, t, Zxx (complex128, frequencies by segment times)
function S.stft(...)
  local fname = "signal.stft"
  local a = B.args(fname, {"x", "fs", "window", "nperseg", "noverlap", "nfft", "detrend", "return_onesided",
    "boundary", "padded", "axis", "scaling"}, {}, ...)
  local h = helper(fname, a, {window = "hann", noverlap = function(n) return n // 2 end,
    detrend = false, scaling = "spectrum", scalings = {"spectrum", "psd"}, boundary = true}, "complex")
  return h.freqs, h.times, same_precision(h, layout(h, h.R))
end

-- istft(Zxx[, {fs=1, window="hann", nperseg, noverlap, nfft, input_onesided=true,
--   boundary=true, time_axis=-1, freq_axis=-2, scaling="spectrum"}]) -> t, x
-- scipy's overlap-add: inverse FFTs of the segments, windowed, summed and
-- divided by the summed squared window.
function S.istft(...)
  local fname = "signal.istft"
  local a = B.args(fname, {"Zxx", "fs", "window", "nperseg", "noverlap", "nfft", "input_onesided", "boundary",
    "time_axis", "freq_axis", "scaling"}, {}, ...)
  local Z = a.Zxx
  if Z == nil then err(fname, "Zxx (the STFT, frequencies by segments) is required") end
  if type(Z) ~= "userdata" or not pcall(function() return Z.ndim + 0 end) then
    err(fname, "Zxx must be an array (the complex STFT from signal.stft), got %s", type(Z))
  end
  if Z.ndim < 2 then err(fname, "Input stft must be at least 2d!") end
  local single = Z.dtype == "complex64" or Z.dtype == "float32"
  if Z.dtype ~= "complex128" then Z = Z:astype("complex128") end
  local zdim = Z.ndim
  local fs = B.num(a.fs, fname, "fs") or 1.0
  if not (fs > 0) then err(fname, "fs must be positive, got %s", tostring(fs)) end
  local fa = B.axis(a.freq_axis == nil and -2 or a.freq_axis, Z.ndim, fname)
  local ta = B.axis(a.time_axis, Z.ndim, fname)
  if fa == ta then err(fname, "Must specify differing time and frequency axes!") end
  local nseg = Z.shape[ta + 1]
  local onesided = a.input_onesided ~= false
  local n_default = onesided and 2 * (Z.shape[fa + 1] - 1) or Z.shape[fa + 1]
  local nperseg = B.int(a.nperseg, fname, "nperseg") or n_default
  if nperseg < 1 then err(fname, "nperseg must be a positive integer, got %d", nperseg) end
  local nfft = B.int(a.nfft, fname, "nfft")
  if nfft == nil then nfft = (onesided and nperseg == n_default + 1) and nperseg or n_default
  elseif nfft < nperseg then err(fname, "nfft (%d) must be greater than or equal to nperseg (%d)", nfft, nperseg) end
  local noverlap = B.int(a.noverlap, fname, "noverlap") or nperseg // 2
  if noverlap >= nperseg then err(fname, "noverlap (%d) must be less than nperseg (%d)", noverlap, nperseg) end
  local nstep = nperseg - noverlap
  local scaling = B.str(a.scaling or "spectrum", fname, "scaling", {"spectrum", "psd"})
  -- (outer..., freq, time), then (rows, freq, time)
  local perm, outer = {}, {}
  for i = 0, Z.ndim - 1 do
    if i ~= fa and i ~= ta then perm[#perm + 1] = i; outer[#outer + 1] = Z.shape[i + 1] end
  end
  perm[#perm + 1] = fa; perm[#perm + 1] = ta
  Z = Z:transpose(perm)
  local rows = 1
  for _, v in ipairs(outer) do rows = rows * v end
  local nfreq = Z.shape[Z.ndim - 1]
  Z = Z:copy():reshape{rows, nfreq, nseg}
  local window = a.window
  if window == nil then window = "hann" end
  local win
  if type(window) == "string" or (type(window) == "table" and not B.is_opts(window) and type(window[1]) == "string") then
    local ok, w = pcall(W.get_window, window, nperseg)
    if not ok then err(fname, "%s", (tostring(w):gsub("^signal%.get_window: ", ""))) end
    win = w
  else
    win = B.signal(window, fname, "window")
    if win.ndim ~= 1 then err(fname, "window must be 1-D") end
    if win.size ~= nperseg then err(fname, "window must have length of %d", nperseg) end
  end
  local xsubs = (onesided and np.fft.irfft or np.fft.ifft)(Z, nfft, 1)[{{}, {1, nperseg}, {}}]
  if scaling == "spectrum" then xsubs = xsubs * win:sum()
  else xsubs = xsubs * math.sqrt(fs * (win * win):sum()) end
  local outlen = nperseg + (nseg - 1) * nstep
  local x = np.zeros({rows, outlen}, xsubs.dtype)
  local norm = np.zeros{outlen}
  local wcol, w2 = win:reshape{1, nperseg}, win * win
  for ii = 0, nseg - 1 do
    local r = {ii * nstep + 1, ii * nstep + nperseg}
    x[{{}, r}] = x[{{}, r}] + xsubs[{{}, {}, ii + 1}] * wcol
    norm[{r}] = norm[{r}] + w2
  end
  if a.boundary ~= false then
    local h = nperseg // 2
    if h == 0 then x, norm = x[{{}, {1, 0}}], norm[{{1, 0}}]   -- scipy's x[..., 0:-0] is empty
    else x, norm = x[{{}, {h + 1, outlen - h}}], norm[{{h + 1, outlen - h}}] end
  end
  local ok = norm:gt(1e-10)
  if ok:sum() ~= norm.size then io.stderr:write(fname .. ": warning: NOLA condition failed, STFT may not be invertible\n") end
  x = x / np.where(ok, norm, 1.0)
  local shape = {}
  for i, v in ipairs(outer) do shape[i] = v end
  shape[#shape + 1] = x.shape[2]
  x = x:reshape(shape)
  if x.ndim > 1 and ta ~= zdim - 1 then
    x = B.moveaxis(x, x.ndim - 1, fa < ta and ta - 1 or ta)
  end
  -- scipy 1.10 counts x.shape[0] samples here, which is the length only for
  -- 1-D x; the times of the samples along the time axis are meant
  local nt = x.shape[(ta ~= zdim - 1) and ((fa < ta and ta - 1 or ta) + 1) or x.ndim]
  if single then x = x:astype(x.dtype == "complex128" and "complex64" or "float32") end
  return np.arange(nt) / fs, x
end

return S
