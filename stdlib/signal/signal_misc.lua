-- signal_misc.lua: smoothing, convolution and resampling with scipy.signal's
-- semantics: savgol_filter (mode interp by default), medfilt, convolve,
-- correlate, fftconvolve, resample (FFT), decimate (IIR), the analytic signal
-- (hilbert, complex128) and its magnitude (envelope, as ObsPy's).
local np = require "geolab.array"
local core = require "geolab.signal_core"
local B = require "geolab.signal_base"
local Fl = require "geolab.signal_filter"
local err = B.error

local M = {}

-- {===== Savitzky-Golay

local function factorial(k) local f = 1 for i = 2, k do f = f * i end return f end

-- scipy's savgol_coeffs: least-squares polynomial weights for the value (or
-- derivative) at pos; use "conv" reverses the positions.
local function savgol_coeffs(wl, order, deriv, delta, pos, use)
  if deriv > order then return np.zeros{wl} end
  local A = {}
  for k = 0, order do
    local row = {}
    for j = 0, wl - 1 do
      local xv = (use == "conv") and (wl - 1 - j - pos) or (j - pos)
      row[j + 1] = xv ^ k
    end
    A[k + 1] = row
  end
  local y = {}
  for k = 0, order do y[k + 1] = 0.0 end
  y[deriv + 1] = factorial(deriv) / (delta ^ deriv)
  local c = np.linalg.lstsq(np.array(A), np.array(y))
  return c
end

-- The convolution weights and, for mode "interp", the edge matrices (wl x
-- half: the polynomial fitted to the first or last window evaluated at the
-- edge samples). They depend only on the parameters, and the edges take one
-- least-squares solve per edge sample, so a loop filtering many signals
-- with the same window reuses them: the last few parameter sets are kept.
local weight_cache, weight_count = {}, 0
local function savgol_weights(wl, order, deriv, delta, edges)
  local key = ("%d %d %d %.17g %s"):format(wl, order, deriv, delta, edges)
  local hit = weight_cache[key]
  if hit then return hit[1], hit[2], hit[3] end
  local half = wl // 2
  local coeffs = savgol_coeffs(wl, order, deriv, delta, half, "conv")
  local EL, ER
  if edges and half > 0 then
    local L, R = {}, {}
    for i = 0, half - 1 do
      L[i + 1] = savgol_coeffs(wl, order, deriv, delta, i, "dot"):totable()
      R[i + 1] = savgol_coeffs(wl, order, deriv, delta, wl - half + i, "dot"):totable()
    end
    EL, ER = np.array(L):transpose(), np.array(R):transpose()
  end
  if weight_count >= 8 then weight_cache, weight_count = {}, 0 end
  weight_cache[key] = {coeffs, EL, ER}
  weight_count = weight_count + 1
  return coeffs, EL, ER
end

-- savgol_filter(x, window_length, polyorder[, {deriv=0, delta=1, axis=-1, mode="interp", cval=0}])
function M.savgol_filter(...)
  local fname = "signal.savgol_filter"
  local a = B.args(fname, {"x", "window_length", "polyorder", "deriv", "delta", "axis", "mode", "cval"}, {}, ...)
  local x = B.signal(a.x, fname)
  local mode = B.str(a.mode or "interp", fname, "mode", {"mirror", "constant", "nearest", "interp", "wrap"})
  local wl = B.int(a.window_length, fname, "window_length", 1)
  local order = B.int(a.polyorder, fname, "polyorder", 0)
  if wl == nil or order == nil then err(fname, "window_length and polyorder are required") end
  local deriv = B.int(a.deriv, fname, "deriv", 0) or 0
  local delta = B.num(a.delta, fname, "delta") or 1.0
  local cval = B.num(a.cval, fname, "cval") or 0.0
  if order >= wl then err(fname, "polyorder (%d) must be less than window_length (%d)", order, wl) end
  if wl % 2 == 0 then err(fname, "window_length must be odd, got %d (even lengths are not supported)", wl) end
  local ax = B.axis(a.axis, x.ndim, fname)
  local x2, back, rows, n = B.rows(x, ax)
  local half = wl // 2
  if mode == "interp" and wl > n then
    err(fname, "if mode is 'interp', window_length (%d) must be less than or equal to the size of x (%d)", wl, n)
  end
  local coeffs, EL, ER = savgol_weights(wl, order, deriv, delta, mode == "interp")
  if mode ~= "interp" then return back(core.convolve1d(fname, x2, coeffs, mode, cval)) end
  local y = core.convolve1d(fname, x2, coeffs, "constant", 0)
  if half > 0 then
    -- edges: the polynomial fitted to the first (last) window_length samples
    y[{{}, {1, half}}] = x2[{{}, {1, wl}}]:matmul(EL)
    y[{{}, {n - half + 1, n}}] = x2[{{}, {n - wl + 1, n}}]:matmul(ER)
  end
  return back(y)
end

-- }=====

-- medfilt(volume[, kernel_size=3]): 1-D median filter, zeros beyond the ends
function M.medfilt(...)
  local fname = "signal.medfilt"
  local a = B.args(fname, {"volume", "kernel_size"}, {}, ...)
  local x = B.signal(a.volume, fname, "volume")
  if x.ndim ~= 1 then err(fname, "only 1-D signals are supported, got %d-D", x.ndim) end
  local k = a.kernel_size or 3
  if type(k) == "table" then k = k[1] end
  k = B.int(k, fname, "kernel_size", 1)
  if k % 2 ~= 1 then err(fname, "kernel_size should be odd, got %d", k) end
  return core.medfilt(fname, x, k)
end

-- {===== convolution

local MODES = {"full", "same", "valid"}

local function conv_full(fname, x, w, method)
  local n1, n2 = x.size, w.size
  if method == "auto" then method = (n1 * n2 > 50000 and math.min(n1, n2) > 8) and "fft" or "direct" end
  if method == "direct" then return core.convolve(fname, x, w) end
  local nf = n1 + n2 - 1
  local ar, ai = core.rfft(fname, x:reshape{1, n1}, nf)
  local br, bi = core.rfft(fname, w:reshape{1, n2}, nf)
  return core.irfft(fname, ar * br - ai * bi, ar * bi + ai * br, nf):reshape{nf}
end

local function cut(full, n1, n2, mode)
  if mode == "full" then return full end
  if mode == "same" then
    local s = (full.size - n1) // 2
    return full[{{s + 1, s + n1}}]
  end
  local lo, hi = math.min(n1, n2), math.max(n1, n2)
  return full[{{lo, hi}}]
end

local function conv_args(fname, names, ...)
  local a = B.args(fname, names, {}, ...)
  local x = B.signal(a.in1, fname, "in1")
  local w = B.signal(a.in2, fname, "in2")
  if x.ndim ~= w.ndim then err(fname, "in1 and in2 should have the same dimensionality") end
  if x.ndim ~= 1 then err(fname, "only 1-D inputs are supported, got %d-D", x.ndim) end
  if x.size == 0 or w.size == 0 then return nil end
  local mode = B.str(a.mode or "full", fname, "mode", MODES)
  local method = B.str(a.method or "auto", fname, "method", {"auto", "direct", "fft"})
  return x, w, mode, method
end

-- convolve(in1, in2[, mode="full"][, {method="auto"}])
function M.convolve(...)
  local fname = "signal.convolve"
  local x, w, mode, method = conv_args(fname, {"in1", "in2", "mode", "method"}, ...)
  if not x then return np.zeros{0} end
  return cut(conv_full(fname, x, w, method), x.size, w.size, mode)
end

-- correlate(in1, in2[, mode="full"][, {method="auto"}]): convolve(in1, in2 reversed)
function M.correlate(...)
  local fname = "signal.correlate"
  local x, w, mode, method = conv_args(fname, {"in1", "in2", "mode", "method"}, ...)
  if not x then return np.zeros{0} end
  return cut(conv_full(fname, x, w:flip(0):copy(), method), x.size, w.size, mode)
end

-- fftconvolve(in1, in2[, mode="full"])
function M.fftconvolve(...)
  local fname = "signal.fftconvolve"
  local x, w, mode = conv_args(fname, {"in1", "in2", "mode", "axes"}, ...)
  if not x then return np.zeros{0} end
  return cut(conv_full(fname, x, w, "fft"), x.size, w.size, mode)
end

-- }=====

-- {===== resampling

-- resample(x, num[, {t, axis=0, window, domain="time"}]): Fourier method (note scipy's axis=0 default)
function M.resample(...)
  local fname = "signal.resample"
  local a = B.args(fname, {"x", "num", "t", "axis", "window", "domain"}, {}, ...)
  local x = B.signal(a.x, fname)
  local num = B.int(a.num, fname, "num", 1)
  if num == nil then err(fname, "num (the number of output samples) is required") end
  if a.window ~= nil then err(fname, "window= is not supported") end
  if a.domain ~= nil and a.domain ~= "time" then err(fname, "only domain='time' is supported") end
  local ax = B.axis(a.axis == nil and 0 or a.axis, x.ndim, fname)
  local x2, back, _, Nx = B.rows(x, ax)
  if Nx == 0 then err(fname, "x is empty along axis %d", ax) end
  local re, im = core.rfft(fname, x2, Nx)
  local N = math.min(num, Nx)
  local nyq = N // 2 + 1
  local nfo = num // 2 + 1
  local rows = x2.shape[1]
  local Yr, Yi = np.zeros{rows, nfo}, np.zeros{rows, nfo}
  Yr[{{}, {1, nyq}}] = re[{{}, {1, nyq}}]
  Yi[{{}, {1, nyq}}] = im[{{}, {1, nyq}}]
  if N % 2 == 0 then
    local k = N // 2 + 1
    local f = num < Nx and 2.0 or (Nx < num and 0.5 or 1.0)
    if f ~= 1.0 then
      Yr[{{}, {k, k}}] = Yr[{{}, {k, k}}] * f
      Yi[{{}, {k, k}}] = Yi[{{}, {k, k}}] * f
    end
  end
  local y = core.irfft(fname, Yr, Yi, num) * (num / Nx)
  y = back(y)
  if a.t == nil then return y end
  local t = B.vec(a.t, fname, "t")
  local t0, dt = t[1], t[2] - t[1]
  -- scipy's arange(num) * dt * Nx / num + t0, in its order of operations
  return y, np.arange(num) * dt * Nx / num + t0
end

-- decimate(x, q[, n][, {ftype="iir", axis=-1, zero_phase=true}]): Chebyshev I
-- (order 8, 0.05 dB) anti-aliasing, then every q-th sample from the first.
function M.decimate(...)
  local fname = "signal.decimate"
  local a = B.args(fname, {"x", "q", "n", "ftype", "axis", "zero_phase"}, {}, ...)
  local x = B.signal(a.x, fname)
  local q = B.int(a.q, fname, "q", 1)
  if q == nil then err(fname, "q (the downsampling factor) is required") end
  local n = B.int(a.n, fname, "n", 0) or 8
  local ftype = B.str(a.ftype or "iir", fname, "ftype", {"iir", "fir"})
  if ftype == "fir" then err(fname, "ftype='fir' is not supported; use the default ftype='iir'") end
  local ax = B.axis(a.axis, x.ndim, fname)
  local sos = Fl.cheby1(n, 0.05, 0.8 / q, {output = "sos"})
  local zp = a.zero_phase
  if zp == nil then zp = true end
  local x2, back = B.rows(x, ax)
  local y
  if zp then y = back(core.filtfilt(fname, sos, nil, x2, "odd"))
  else y = back((core.sosfilt(fname, sos, x2))) end
  local idx = {}
  for i = 1, y.ndim do idx[i] = {} end
  idx[ax + 1] = {1, -1, q}
  return y[idx]:copy()
end

local function sinc(v)
  if v == 0 then return 1.0 end
  return math.sin(math.pi * v) / (math.pi * v)
end

local PASS = {lowpass = true, highpass = false, bandpass = false, bandstop = true}

-- firwin(numtaps, cutoff[, {window="hamming", pass_zero=true, scale=true, fs=2}])
-- window method FIR design, scipy's steps.
function M.firwin(...)
  local fname = "signal.firwin"
  local a = B.args(fname, {"numtaps", "cutoff", "width", "window", "pass_zero", "scale", "nyq", "fs"}, {}, ...)
  local numtaps = B.int(a.numtaps, fname, "numtaps", 1)
  if numtaps == nil then err(fname, "numtaps is required") end
  if a.width ~= nil or a.nyq ~= nil then err(fname, "width and nyq are not supported (use window and fs)") end
  local fs = B.num(a.fs, fname, "fs") or 2.0
  local nyq = 0.5 * fs
  local c = a.cutoff
  if c == nil then err(fname, "cutoff is required") end
  c = type(c) == "number" and {c} or B.vec(c, fname, "cutoff"):totable()
  for i = 1, #c do
    c[i] = c[i] / nyq
    if c[i] <= 0 or c[i] >= 1 then err(fname, "invalid cutoff frequency: frequencies must be greater than 0 and less than fs/2") end
    if i > 1 and c[i] <= c[i - 1] then err(fname, "invalid cutoff frequencies: the frequencies must be strictly increasing") end
  end
  local pz = a.pass_zero
  if pz == nil then pz = true end
  if type(pz) == "string" then
    if PASS[pz] == nil then err(fname, "pass_zero must be true, false, 'lowpass', 'highpass', 'bandpass' or 'bandstop'") end
    if (pz == "lowpass" or pz == "highpass") and #c ~= 1 then err(fname, "cutoff must have one element if pass_zero=='%s'", pz) end
    if (pz == "bandpass" or pz == "bandstop") and #c < 2 then err(fname, "cutoff must have at least two elements if pass_zero=='%s'", pz) end
    pz = PASS[pz]
  end
  local pass_nyq = (#c % 2 == 1) ~= pz
  if pass_nyq and numtaps % 2 == 0 then
    err(fname, "a filter with an even number of coefficients must have zero response at the Nyquist frequency")
  end
  local edges = {}
  if pz then edges[#edges + 1] = 0.0 end
  for _, v in ipairs(c) do edges[#edges + 1] = v end
  if pass_nyq then edges[#edges + 1] = 1.0 end
  local alpha = 0.5 * (numtaps - 1)
  local h = {}
  for i = 0, numtaps - 1 do
    local m, v = i - alpha, 0
    for b = 1, #edges, 2 do
      local l, r = edges[b], edges[b + 1]
      v = v + r * sinc(r * m)
      v = v - l * sinc(l * m)
    end
    h[i + 1] = v
  end
  local W = require "geolab.signal_windows"
  local win = W.get_window(a.window or "hamming", numtaps, {fftbins = false}):totable()
  for i = 1, numtaps do h[i] = h[i] * win[i] end
  if a.scale ~= false then
    local l, r = edges[1], edges[2]
    local sf = (l == 0) and 0.0 or ((r == 1) and 1.0 or 0.5 * (l + r))
    local s = 0
    for i = 0, numtaps - 1 do s = s + h[i + 1] * math.cos(math.pi * (i - alpha) * sf) end
    for i = 1, numtaps do h[i] = h[i] / s end
  end
  return np.array(h, "float64")
end

local function output_len(lh, nin, up, down)
  local nin2 = nin + (lh + (-lh % up)) // up - 1
  local nt = nin2 * up
  local need = nt // down
  if nt % down > 0 then need = need + 1 end
  return need
end

local function gcd(p, q) while q ~= 0 do p, q = q, p % q end return p end

-- resample_poly(x, up, down[, {axis=0, window={"kaiser", 5.0}, padtype="constant"}])
function M.resample_poly(...)
  local fname = "signal.resample_poly"
  local a = B.args(fname, {"x", "up", "down", "axis", "window", "padtype", "cval"}, {}, ...)
  local x = B.signal(a.x, fname)
  local up, down = B.int(a.up, fname, "up"), B.int(a.down, fname, "down")
  if up == nil or down == nil then err(fname, "up and down are required") end
  if up < 1 or down < 1 then err(fname, "up and down must be >= 1") end
  local padtype = B.str(a.padtype or "constant", fname, "padtype", {"constant", "mean", "median", "minimum", "maximum"})
  if a.cval ~= nil and padtype ~= "constant" then err(fname, "cval has no effect when padtype is '%s'", padtype) end
  local cval = B.num(a.cval, fname, "cval") or 0
  if cval ~= 0 then err(fname, "only cval=0 is supported") end
  local ax = B.axis(a.axis == nil and 0 or a.axis, x.ndim, fname)
  local g = gcd(up, down)
  up, down = up // g, down // g
  if up == 1 and down == 1 then return x:copy() end
  local x2, back, rows, nin = B.rows(x, ax)
  local nout = nin * up
  nout = nout // down + ((nout % down) > 0 and 1 or 0)
  local h, half
  local win = a.window or {"kaiser", 5.0}
  if type(win) == "userdata" or (type(win) == "table" and type(win[1]) == "number") then
    h = B.vec(win, fname, "window"):copy()
    half = (h.size - 1) // 2
  else
    local mr = math.max(up, down)
    half = 10 * mr
    h = M.firwin(2 * half + 1, 1.0 / mr, {window = win})
  end
  h = h * up
  local pre = down - half % down
  local post = 0
  local npre_remove = (half + pre) // down
  while output_len(h.size + pre + post, nin, up, down) < nout + npre_remove do post = post + 1 end
  h = np.concatenate({np.zeros{pre}, h, np.zeros{post}})
  local bg
  if padtype ~= "constant" then
    local f = {mean = "mean", median = "median", minimum = "min", maximum = "max"}
    bg = x2[f[padtype]](x2, 1):reshape{rows, 1}
    x2 = x2 - bg
  end
  local ny = output_len(h.size, nin, up, down)
  local y = core.upfirdn(fname, h, x2, up, down, ny)
  y = y[{{}, {npre_remove + 1, npre_remove + nout}}]
  if bg then y = y + bg else y = y:copy() end
  return back(y)
end

-- }=====

-- {===== Hilbert

-- scipy.signal.hilbert along the axis (in C: kernels/signal/analytic.c);
-- magnitude gives |hilbert(x)| without building the complex array.
local function analytic(fname, a, magnitude)
  local x = B.signal(a.x, fname)
  if x.size == 0 then err(fname, "x is empty") end
  local ax = B.axis(a.axis, x.ndim, fname)
  local x2, back, _, n = B.rows(x, ax)
  local N = B.int(a.N, fname, "N") or n
  if N <= 0 then err(fname, "N must be positive, got %d", N) end
  return back(core.analytic(fname, x2, N, magnitude))
end

-- envelope(x[, {N, axis=-1}]): |hilbert(x)|, ObsPy's obspy.signal.filter.envelope
function M.envelope(...)
  local fname = "signal.envelope"
  return analytic(fname, B.args(fname, {"x", "N", "axis"}, {}, ...), true)
end

-- hilbert(x[, N][, axis=-1]): the analytic signal x + i*H(x), complex128
function M.hilbert(...)
  local fname = "signal.hilbert"
  return analytic(fname, B.args(fname, {"x", "N", "axis"}, {}, ...), false)
end

-- }=====

return M
