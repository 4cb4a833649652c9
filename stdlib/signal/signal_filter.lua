-- signal_filter.lua: IIR filter design (butter, cheby1, bessel) and linear
-- filtering (lfilter, sosfilt, filtfilt, sosfiltfilt and their initial
-- conditions) with scipy.signal's semantics. The numerics are in C
-- (kernels/signal/iir_design.c, filter.c); this part checks arguments and
-- moves the filtered axis last.
local np = require "geolab.array"
local core = require "geolab.signal_core"
local util = require "geolab.util"
local B = require "geolab.signal_base"
local err = B.error

local F = {}

-- scipy's band_dict
local BTYPES = {
  band = "bandpass", bandpass = "bandpass", bp = "bandpass", pass = "bandpass",
  bs = "bandstop", bandstop = "bandstop", stop = "bandstop",
  l = "lowpass", low = "lowpass", lowpass = "lowpass", lp = "lowpass",
  high = "highpass", highpass = "highpass", h = "highpass", hp = "highpass",
}

local function wn_list(Wn, fname)
  if type(Wn) == "number" then return {Wn} end
  if Wn == nil then err(fname, "Wn (the critical frequency or frequencies) is required") end
  local a = B.signal(Wn, fname, "Wn")
  if a.ndim ~= 1 or a.size < 1 or a.size > 2 then
    err(fname, "Wn must be a number or a pair of numbers, got %d values", a.size)
  end
  local t = a:totable()
  for _, v in ipairs(t) do if v ~= v then err(fname, "Wn must not be NaN") end end
  return t
end

-- scipy.signal.iirfilter's checks and steps, for the digital case.
local function iirfilter(fname, ftype, a)
  local N = a.N
  if N == nil then err(fname, "N (the filter order) is required") end
  if type(N) ~= "number" or N ~= math.floor(N) or N < 0 then
    err(fname, "filter order N must be a nonnegative integer, got %s", tostring(N))
  end
  N = math.tointeger(N)
  if a.analog then err(fname, "analog filters are not supported (analog=false designs digital filters)") end
  local btype = a.btype or "lowpass"
  if type(btype) ~= "string" or not BTYPES[btype] then
    err(fname, "'%s' is an invalid bandtype for filter (use 'lowpass', 'highpass', 'bandpass' or 'bandstop')", tostring(btype))
  end
  btype = BTYPES[btype]
  local output = B.str(a.output or "ba", fname, "output", {"ba", "sos", "zpk"})
  local fs = B.num(a.fs, fname, "fs")
  if fs and not (fs > 0) then err(fname, "fs must be a positive number, got %s", tostring(fs)) end
  local wn = wn_list(a.Wn, fname)
  local raw = {wn[1], wn[2]}
  if fs then for i = 1, #wn do wn[i] = 2 * wn[i] / fs end end
  for i = 1, #wn do
    if wn[i] <= 0 then err(fname, "filter critical frequencies must be greater than 0, got %s", tostring(raw[i])) end
  end
  if #wn > 1 and not (wn[1] < wn[2]) then
    err(fname, "Wn[1] must be less than Wn[2], got %s and %s", tostring(raw[1]), tostring(raw[2]))
  end
  for i = 1, #wn do
    if wn[i] >= 1 then
      if fs then
        err(fname, "critical frequency %.15g is at or above the Nyquist frequency fs/2 = %.15g "
            .. "(digital filter critical frequencies must be 0 < Wn < fs/2)", raw[i], fs / 2)
      end
      err(fname, "critical frequency %.15g is at or above the Nyquist frequency 1 "
          .. "(without fs, digital filter critical frequencies must be 0 < Wn < 1, as fractions of fs/2)",
          raw[i])
    end
  end
  if (btype == "lowpass" or btype == "highpass") and #wn ~= 1 then
    err(fname, "must specify a single critical frequency Wn for lowpass or highpass filter")
  end
  if (btype == "bandpass" or btype == "bandstop") and #wn ~= 2 then
    err(fname, "Wn must specify start and stop frequencies for bandpass or bandstop filter")
  end
  return core.iirdesign(fname, ftype, btype, N, wn[1], wn[2], a.rp, a.norm or "phase", output)
end

-- butter(N, Wn[, btype="low"][, {analog=false, output="ba", fs}])
function F.butter(...)
  local a = B.args("signal.butter", {"N", "Wn", "btype", "analog", "output", "fs"}, {}, ...)
  return iirfilter("signal.butter", "butter", a)
end

-- cheby1(N, rp, Wn[, btype="low"][, {analog=false, output="ba", fs}])
function F.cheby1(...)
  local fname = "signal.cheby1"
  local a = B.args(fname, {"N", "rp", "Wn", "btype", "analog", "output", "fs"}, {}, ...)
  if a.rp == nil then err(fname, "passband ripple rp (in dB) must be provided to design a Chebyshev I filter") end
  B.num(a.rp, fname, "rp")
  if not (a.rp >= 0) then err(fname, "passband ripple (rp) must be positive, got %s", tostring(a.rp)) end
  return iirfilter(fname, "cheby1", a)
end

-- cheby2(N, rs, Wn[, btype="low"][, {analog=false, output="ba", fs}])
function F.cheby2(...)
  local fname = "signal.cheby2"
  local a = B.args(fname, {"N", "rs", "Wn", "btype", "analog", "output", "fs"}, {}, ...)
  if a.rs == nil then err(fname, "stopband attenuation rs (in dB) must be provided to design a Chebyshev II filter") end
  B.num(a.rs, fname, "rs")
  if not (a.rs >= 0) then err(fname, "stopband attenuation (rs) must be positive, got %s", tostring(a.rs)) end
  a.rp = a.rs   -- the kernel reads the prototype's dB parameter from one slot
  return iirfilter(fname, "cheby2", a)
end

-- cheb2ord(wp, ws, gpass, gstop[, {analog=false, fs}]) -> N, Wn: scipy 1.10's
-- order selection for lowpass, highpass and bandpass (bandstop needs scipy's
-- fminbound search and is refused).
function F.cheb2ord(...)
  local fname = "signal.cheb2ord"
  local a = B.args(fname, {"wp", "ws", "gpass", "gstop", "analog", "fs"}, {}, ...)
  local gpass, gstop = B.num(a.gpass, fname, "gpass"), B.num(a.gstop, fname, "gstop")
  if gpass == nil or gstop == nil then err(fname, "gpass and gstop (in dB) are required") end
  if gpass <= 0 then err(fname, "gpass should be larger than 0.0") end
  if gstop <= 0 then err(fname, "gstop should be larger than 0.0") end
  if gpass > gstop then err(fname, "gpass should be smaller than gstop") end
  if a.analog then err(fname, "analog filters are not supported (analog=false designs digital filters)") end
  local wp, ws = wn_list(a.wp, fname), wn_list(a.ws, fname)
  if #wp ~= #ws then err(fname, "wp and ws must have the same length, got %d and %d", #wp, #ws) end
  local fs = B.num(a.fs, fname, "fs")
  if fs then
    if not (fs > 0) then err(fname, "fs must be a positive number, got %s", tostring(fs)) end
    for i = 1, #wp do wp[i], ws[i] = 2 * wp[i] / fs, 2 * ws[i] / fs end
  end
  local ftype = 2 * (#wp - 1) + (wp[1] < ws[1] and 1 or 2)
  if ftype == 3 then err(fname, "bandstop order selection is not supported yet (scipy searches it with fminbound)") end
  local passb, stopb = {}, {}
  for i = 1, #wp do
    passb[i], stopb[i] = math.tan(math.pi * wp[i] / 2.0), math.tan(math.pi * ws[i] / 2.0)
  end
  local nat
  if ftype == 1 then nat = stopb[1] / passb[1]
  elseif ftype == 2 then nat = passb[1] / stopb[1]
  else
    for i = 1, 2 do
      local v = math.abs((stopb[i] ^ 2 - passb[1] * passb[2]) / (stopb[i] * (passb[1] - passb[2])))
      if nat == nil or v < nat then nat = v end
    end
  end
  local acosh = function(x) return math.log(x + math.sqrt((x - 1) * (x + 1))) end
  local GSTOP, GPASS = 10 ^ (0.1 * math.abs(gstop)), 10 ^ (0.1 * math.abs(gpass))
  local v = acosh(math.sqrt((GSTOP - 1.0) / (GPASS - 1.0)))
  local ord = math.ceil(v / acosh(nat))
  if ord ~= ord or ord == math.huge then err(fname, "no finite order meets the specification (wp and ws too close?)") end
  ord = math.tointeger(ord)
  local c = 1.0 / ord * v
  local new_freq = 1.0 / ((math.exp(c) + math.exp(-c)) / 2)
  local wn
  if ftype == 1 then wn = {passb[1] / new_freq}
  elseif ftype == 2 then wn = {passb[1] * new_freq}
  else
    local n0 = 1.0 / (2.0 * new_freq) * (passb[1] - passb[2])
        + math.sqrt((passb[2] - passb[1]) ^ 2 / (4.0 * new_freq ^ 2) + passb[2] * passb[1])
    wn = {n0, passb[1] * passb[2] / n0}
  end
  for i = 1, #wn do
    wn[i] = (2.0 / math.pi) * math.atan(wn[i])
    if fs then wn[i] = wn[i] * fs / 2 end
  end
  if #wn == 1 then return ord, wn[1] end
  return ord, np.array(wn)
end

-- bessel(N, Wn[, btype="low"][, {analog=false, output="ba", norm="phase", fs}])
function F.bessel(...)
  local fname = "signal.bessel"
  local a = B.args(fname, {"N", "Wn", "btype", "analog", "output", "norm", "fs"}, {}, ...)
  B.str(a.norm, fname, "norm", {"phase", "delay", "mag"})
  return iirfilter(fname, "bessel", a)
end

-- {===== filtering

local function coefs(v, fname, name)
  local c = B.vec(v, fname, name)
  if c.size < 1 then err(fname, "%s must not be empty", name) end
  return c
end

local function sos_arg(sos, fname)
  if sos == nil then err(fname, "sos (second-order sections, shape (n_sections, 6)) is required") end
  local s = B.signal(sos, fname, "sos")
  if s.ndim == 1 then s = s:reshape{1, -1} end
  return s
end

-- The zi argument, checked against the shape scipy expects.
local function zi_rows(zi, fname, want, ax_of_zi, nd, rows, inner)
  zi = B.signal(zi, fname, "zi")
  local ok = zi.ndim == #want
  if ok then for i = 1, #want do if zi.shape[i] ~= want[i] then ok = false end end end
  if not ok then
    local ws = {}
    for i, v in ipairs(want) do ws[i] = tostring(v) end
    err(fname, "zi must have shape (%s), got %s", table.concat(ws, ", "), tostring(zi.shape))
  end
  local zm = B.moveaxis(zi, ax_of_zi, nd - 1)
  if inner then   -- sosfilt: (nsec, ..., 2) -> (..., nsec, 2)
    zm = B.moveaxis(zm, 0, nd - 2)
  end
  return zm:copy():reshape(inner and {rows, inner, 2} or {rows, -1})
end

local function shape_with(x, ax, v, lead)
  local s = {}
  if lead then s[1] = lead end
  for i = 1, x.ndim do s[#s + 1] = (i - 1 == ax) and v or x.shape[i] end
  return s
end

-- scipy's lfilter path for a of length 1: a full convolution with b/a[0]
-- per row (so a NaN spoils len(b) outputs, not the rest of the signal).
local function fir(fname, b, a, x2, zi)
  if a[1] == 0 then err(fname, "a[1] must not be zero (the filter is normalised by it)") end
  local bb = b / a[1]
  local rows, n, nb = x2.shape[1], x2.shape[2], b.size
  local full = np.zeros{rows, n + nb - 1}
  for r = 1, rows do full[r] = core.convolve(fname, x2[r], bb) end
  if nb == 1 then return full, np.zeros{rows, 0} end
  if zi then full[{{}, {1, nb - 1}}] = full[{{}, {1, nb - 1}}] + zi end
  return full[{{}, {1, n}}], full[{{}, {n + 1, n + nb - 1}}]
end

-- lfilter(b, a, x[, {axis=-1, zi}]) -> y (and zf when zi is given)
function F.lfilter(...)
  local fname = "signal.lfilter"
  local o = B.args(fname, {"b", "a", "x", "axis", "zi"}, {}, ...)
  local b, a = coefs(o.b, fname, "b"), coefs(o.a, fname, "a")
  local x = B.signal(o.x, fname)
  local ax = B.axis(o.axis, x.ndim, fname)
  local x2, back, rows = B.rows(x, ax)
  local nc = math.max(b.size, a.size)
  local zi
  if o.zi ~= nil then
    zi = zi_rows(o.zi, fname, shape_with(x, ax, nc - 1), ax, x.ndim, rows)
  end
  local y, zf
  if a.size == 1 and x2.shape[2] > 0 then y, zf = fir(fname, b, a, x2, zi)
  else y, zf = core.lfilter(fname, b, a, x2, zi) end
  if o.zi == nil then return back(y) end
  return back(y), back(zf)
end

-- sosfilt(sos, x[, {axis=-1, zi}]) -> y (and zf when zi is given)
function F.sosfilt(...)
  local fname = "signal.sosfilt"
  local o = B.args(fname, {"sos", "x", "axis", "zi"}, {}, ...)
  local sos = sos_arg(o.sos, fname)
  local x = B.signal(o.x, fname)
  local ax = B.axis(o.axis, x.ndim, fname)
  local x2, back, rows = B.rows(x, ax)
  local nsec = sos.shape[1]
  local zi
  if o.zi ~= nil then
    if sos.ndim ~= 2 then err(fname, "sos must have shape (n_sections, 6)") end
    zi = zi_rows(o.zi, fname, shape_with(x, ax, 2, nsec), ax + 1, x.ndim + 1, rows, nsec)
  end
  local y, zf = core.sosfilt(fname, sos, x2, zi)
  if o.zi == nil then return back(y) end
  -- zf (rows, nsec, 2) -> scipy's (nsec, ..., 2, ...)
  local others = {}
  for i = 0, x.ndim - 1 do if i ~= ax then others[#others + 1] = x.shape[i + 1] end end
  others[#others + 1] = nsec; others[#others + 1] = 2
  local z = B.moveaxis(zf:reshape(others), x.ndim - 1, 0)   -- (nsec, ..., 2)
  return back(y), B.moveaxis(z, x.ndim, ax + 1)
end

local PADTYPES = {"odd", "even", "constant"}

local function padtype(o, fname)
  local p = o.padtype
  if p == nil then return "odd" end
  if p == false or p == util.None then return "none" end
  return B.str(p, fname, "padtype", PADTYPES)
end

local function padlen(o, fname)
  if o.padlen == nil or o.padlen == util.None then return nil end
  return B.int(o.padlen, fname, "padlen", 0)
end

-- filtfilt(b, a, x[, {axis=-1, padtype="odd", padlen, method="pad"}])
function F.filtfilt(...)
  local fname = "signal.filtfilt"
  local o = B.args(fname, {"b", "a", "x", "axis", "padtype", "padlen", "method", "irlen"}, {}, ...)
  local b, a = coefs(o.b, fname, "b"), coefs(o.a, fname, "a")
  local x = B.signal(o.x, fname)
  if o.method ~= nil and o.method ~= "pad" then
    B.str(o.method, fname, "method", {"pad", "gust"})
    err(fname, "method='gust' is not supported; use the default method='pad'")
  end
  local ax = B.axis(o.axis, x.ndim, fname)
  local pt, pl = padtype(o, fname), padlen(o, fname)
  local x2, back = B.rows(x, ax)
  return back(core.filtfilt(fname, b, a, x2, pt, pl))
end

-- sosfiltfilt(sos, x[, {axis=-1, padtype="odd", padlen}])
function F.sosfiltfilt(...)
  local fname = "signal.sosfiltfilt"
  local o = B.args(fname, {"sos", "x", "axis", "padtype", "padlen"}, {}, ...)
  local sos = sos_arg(o.sos, fname)
  local x = B.signal(o.x, fname)
  local ax = B.axis(o.axis, x.ndim, fname)
  local pt, pl = padtype(o, fname), padlen(o, fname)
  local x2, back = B.rows(x, ax)
  return back(core.filtfilt(fname, sos, nil, x2, pt, pl))
end

-- lfilter_zi(b, a) -> zi
function F.lfilter_zi(...)
  local fname = "signal.lfilter_zi"
  local o = B.args(fname, {"b", "a"}, {}, ...)
  return core.lfilter_zi(fname, coefs(o.b, fname, "b"), coefs(o.a, fname, "a"))
end

-- sosfilt_zi(sos) -> zi (n_sections, 2)
function F.sosfilt_zi(...)
  local fname = "signal.sosfilt_zi"
  local o = B.args(fname, {"sos"}, {}, ...)
  return core.sosfilt_zi(fname, sos_arg(o.sos, fname))
end

-- }=====

-- {===== frequency response

-- numpy.polynomial.polynomial.polyval(z, c): c[1] + z*(c[2] + z*(...)), Horner
-- from the highest coefficient as NumPy does.
local function polyval(z, c)
  local n = c.size
  local r = z * 0 + c[n]
  for i = n - 1, 1, -1 do r = r * z + c[i] end
  return r
end

-- The frequencies of freqz/sosfreqz in radians per sample, and a function
-- that turns them into the units of fs.
local function freq_grid(fname, a)
  local worN = a.worN
  if worN == nil or worN == util.None then worN = 512 end
  local fs = B.num(a.fs, fname, "fs") or 2 * math.pi
  if not (fs > 0) then err(fname, "fs must be positive, got %s", tostring(fs)) end
  if a.plot ~= nil then err(fname, "plot= is not supported; draw the result with ax:plot(w, np.abs(h))") end
  local w
  if type(worN) == "number" then
    local N = B.int(worN, fname, "worN")
    if N < 0 then err(fname, "worN must be nonnegative, got %d", N) end
    local last = a.whole and 2 * math.pi or math.pi
    w = np.linspace(0, last, N, {endpoint = (a.include_nyquist and not a.whole) and true or false})
  else
    w = B.signal(worN, fname, "worN")
    if w.ndim ~= 1 then err(fname, "worN must be a number of points or a 1-D array of frequencies") end
    w = w * (2 * math.pi) / fs
  end
  return w, function(v) return v * fs / (2 * math.pi) end
end

-- freqz(b[, a=1][, worN=512][, {whole=false, fs=2*pi, include_nyquist=false}]) -> w, h
-- h = B(e^{-jw}) / A(e^{-jw}) at the frequencies w (in the units of fs),
-- evaluated directly (scipy takes an FFT of b when a has one coefficient and
-- worN is FFT-friendly; the values agree to rounding, and stay right where
-- scipy 1.10's FFT shortcut mislabels the frequencies with include_nyquist).
function F.freqz(...)
  local fname = "signal.freqz"
  local o = B.args(fname, {"b", "a", "worN", "whole", "plot", "fs", "include_nyquist"}, {}, ...)
  local b = coefs(o.b, fname, "b")
  local a = o.a == nil and np.ones{1} or (type(o.a) == "number" and np.array{o.a} or coefs(o.a, fname, "a"))
  local w, units = freq_grid(fname, o)
  local zm1 = np.exp(w * (-1 * np.j))
  return units(w), polyval(zm1, b) / polyval(zm1, a)
end

-- sosfreqz(sos[, worN=512][, {whole=false, fs=2*pi}]) -> w, h: the product of
-- the sections' responses
function F.sosfreqz(...)
  local fname = "signal.sosfreqz"
  local o = B.args(fname, {"sos", "worN", "whole", "fs"}, {}, ...)
  local sos = sos_arg(o.sos, fname)
  if sos.ndim ~= 2 or sos.shape[2] ~= 6 then err(fname, "sos must have shape (n_sections, 6), got %s", tostring(sos.shape)) end
  if sos.shape[1] == 0 then err(fname, "Cannot compute frequencies with no sections") end
  if not sos[{{}, 4}]:eq(1):all() then err(fname, "sos[:, 4] (a0 of each section) must be all ones") end
  local w, units = freq_grid(fname, o)
  local zm1 = np.exp(w * (-1 * np.j))
  local h
  for s = 1, sos.shape[1] do
    local row = sos[s]
    local hs = polyval(zm1, row[{{1, 3}}]) / polyval(zm1, row[{{4, 6}}])
    h = h and h * hs or hs
  end
  return units(w), h
end


return F
