-- seis_process.lua: ObsPy's processing methods on seis Traces and Streams
-- (obspy/core/trace.py, obspy/signal/filter.py, detrend.py, invsim.py in
-- ObsPy 1.5): detrend, taper, filter, resample, decimate, differentiate,
-- integrate, normalize, std (tr:max is seis.lua's). Each Trace method works
-- in place and returns the trace; the Stream method applies it to every
-- trace and returns the stream. Filters are designed and run by the signal
-- module; what is ObsPy's own (its checks, warnings, the zero-phase pass,
-- the FFT resampling, the Chebyshev II prefilter loop) is reproduced step by
-- step so that results agree with ObsPy's to rounding. Figures: seis_plot.lua.
local np = require "geolab.array"
local util = require "geolab.util"

local P = {}

local function signal() return require "geolab.signal" end

local function fail(fname, msg, ...)
  util.raise(fname .. ": " .. (select("#", ...) > 0 and msg:format(...) or msg), 2)
end

-- ObsPy's warnings.warn: printed to stderr, each text once per session as
-- Python's default filter does.
local warned = {}
function P.warn(fname, msg)
  if warned[msg] then return end
  warned[msg] = true
  io.stderr:write(("%s: warning: %s\n"):format(fname, msg))
end

-- Python's str() of a float ("50.0", "0.1"), for ObsPy's messages.
local function pyfloat(x)
  if x == math.floor(x) and math.abs(x) < 1e16 then return ("%.1f"):format(x) end
  return util.repr(x)
end

local FLOATS = {float64 = true, float32 = true}

-- ObsPy's np.require(data, dtype=np.float64) for non-float data.
local function as_float(data)
  if FLOATS[data.dtype] then return data end
  return data:astype("float64")
end

-- In-place arithmetic on float32 data runs in float64 and rounds back
-- (NumPy's `data -= fit` with a float64 fit): compute, then cast to the
-- trace's float dtype.
local function keep_dtype(new, like)
  if like.dtype == "float32" and new.dtype ~= "float32" then return new:astype("float32") end
  return new
end

-- stats.npts follows the data by itself (seis.lua)
local function set_data(tr, data) tr.data = data end

-- Gaps are NaN in geolab where ObsPy has masked arrays, and ObsPy refuses
-- masked traces in filter and detrend (raise_if_masked): so do we, rather
-- than let the NaN run through the filter.
local function no_gaps(fname, data)
  if FLOATS[data.dtype] and data.shape[1] > 0 and np.isnan(data):any() then
    fail(fname, "the trace has NaN samples (gaps left by st:merge?); ObsPy refuses masked traces here: "
      .. "fill them (st:merge{fill_value = 0} or 'interpolate') or cut them out with tr:slice")
  end
end

local function check_num(fname, v, name, positive)
  if type(v) ~= "number" or v ~= v then fail(fname, "%s must be a number, got %s", name, v ~= v and "nan" or type(v)) end
  if positive and not (v > 0) then fail(fname, "%s must be positive, got %s", name, util.repr(v)) end
  return v
end

local function check_bool(fname, v, name, default)
  if v == nil then return default end
  if type(v) ~= "boolean" then fail(fname, "%s must be true or false, got %s", name, type(v)) end
  return v
end

-- A plain options table (string keys), as opposed to a list or an object.
local function is_opts(t)
  if type(t) ~= "table" or getmetatable(t) ~= nil then return false end
  for k in pairs(t) do if type(k) ~= "string" then return false end end
  return true
end

-- The trailing options table of a call, and the positional arguments before it.
local function split_args(fname, max_pos, names, ...)
  local n = select("#", ...)
  local a = {...}
  while n > 0 and a[n] == nil do n = n - 1 end
  local opts = {}
  if n > 0 and is_opts(a[n]) then opts = a[n]; n = n - 1 end
  if n > max_pos then
    fail(fname, "takes at most %d positional argument%s (%s), got %d; pass the others in the options table",
      max_pos, max_pos == 1 and "" or "s", table.concat(names, ", ", 1, max_pos), n)
  end
  util.check_options(opts, names, fname, 0)
  local out = {}
  for k, v in pairs(opts) do out[k] = v end
  for i = 1, n do
    if a[i] ~= nil then
      if opts[names[i]] ~= nil then fail(fname, "got multiple values for argument '%s'", names[i]) end
      out[names[i]] = a[i]
    end
  end
  return out
end

-- {===== detrend

local DETRENDS = {"simple", "linear", "constant", "demean", "polynomial", "spline"}

local function detrend(fname, tr, ...)
  local o = split_args(fname, 1, {"type", "order", "dspline", "plot"}, ...)
  local kind = o.type or "simple"
  if type(kind) ~= "string" then fail(fname, "type must be a string such as 'linear', got %s", type(kind)) end
  kind = kind:lower()
  local known = false
  for _, k in ipairs(DETRENDS) do known = known or k == kind end
  if not known then
    local near = util.nearest(kind, DETRENDS)
    fail(fname, "unknown detrend type '%s'%s", kind, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  if kind == "spline" then fail(fname, "type 'spline' (ObsPy's spline detrend) is not available yet; use 'polynomial'") end
  if o.plot then fail(fname, "plot is not supported; draw tr.data before and after with plt") end
  if o.dspline ~= nil then fail(fname, "dspline belongs to the 'spline' type, which is not available yet") end
  if o.order ~= nil and kind ~= "polynomial" then fail(fname, "order is an option of type 'polynomial' only") end
  local data = tr.data
  local n = data.shape[1]
  if n == 0 then return tr end            -- ObsPy's skip_if_no_data
  no_gaps(fname, data)
  if kind == "simple" then
    -- obspy.signal.detrend.simple: data -= x1 + arange(ndat) * (x2 - x1) / float(ndat - 1)
    local x = as_float(data)
    local x1, x2 = x[1], x[n]
    local line = np.arange(n) * (x2 - x1) / (n - 1) + x1
    set_data(tr, keep_dtype(x:astype("float64") - line, x))
  elseif kind == "polynomial" then
    -- obspy.signal.detrend.polynomial: data -= np.polyval(np.polyfit(x, data, deg=order), x)
    if o.order == nil then fail(fname, "type 'polynomial' needs order (e.g. {order = 3})") end
    local order = o.order
    if math.type(order) ~= "integer" and not (type(order) == "number" and order == math.floor(order)) then
      fail(fname, "order must be a whole number, got %s", tostring(order))
    end
    order = math.tointeger(order)
    if order < 0 then fail(fname, "order must be 0 or more, got %d", order) end
    local x = as_float(data)
    local t = np.arange(n):astype("float64")
    local fit = np.polyval(np.polyfit(t, x:astype("float64"), order), t)
    set_data(tr, keep_dtype(x:astype("float64") - fit, x))
  else
    -- scipy.signal.detrend(data, type=...), float32 kept as ObsPy does
    local orig = data.dtype
    local out = signal().detrend(data, {type = kind == "demean" and "constant" or kind})
    if orig == "float32" and out.dtype ~= "float32" then out = out:astype("float32") end
    set_data(tr, out)
  end
  return tr
end

-- }=====

-- {===== taper

-- ObsPy's taper types that geolab's windows provide (scipy's names); the
-- others are named in the error.
local TAPERS = {"cosine", "bartlett", "blackman", "blackmanharris", "boxcar", "flattop", "gaussian",
  "hamming", "hann", "kaiser", "nuttall", "triang"}
local TAPERS_MISSING = {barthann = true, bohman = true, chebwin = true, general_gaussian = true,
  parzen = true, dpss = true}
-- the keyword each parametrised window takes (scipy's argument names)
local TAPER_PARAMS = {gaussian = "std", kaiser = "beta"}

-- taper_sides = func(2 * wlen (+ 1), **kwargs), as ObsPy's Trace.taper calls it
local function taper_window(fname, kind, m, o)
  if kind == "cosine" then
    -- obspy.signal.invsim.cosine_taper(npts, p=1.0, halfcosine=, sactaper=)
    return signal().cosine_taper(m, 1.0, {halfcosine = o.halfcosine, sactaper = o.sactaper})
  end
  local w = signal().windows[kind]
  local pname = TAPER_PARAMS[kind]
  if pname then
    local v = o[pname]
    if v == nil then fail(fname, "the '%s' taper needs %s (e.g. {%s = 7})", kind, pname, pname) end
    check_num(fname, v, pname)
    return w(m, v)
  end
  return w(m)
end

local function taper(fname, tr, ...)
  local o = split_args(fname, 4, {"max_percentage", "type", "max_length", "side", "std", "beta",
    "halfcosine", "sactaper"}, ...)
  local kind = o.type or "hann"
  if type(kind) ~= "string" then fail(fname, "type must be a window name such as 'hann', got %s", type(kind)) end
  kind = kind:lower()
  local side = o.side or "both"
  if type(side) ~= "string" then fail(fname, "side must be 'both', 'left' or 'right', got %s", type(side)) end
  side = side:lower()
  if side ~= "both" and side ~= "left" and side ~= "right" then
    fail(fname, "'side' has to be one of: ['both', 'left', 'right'], got '%s'", side)
  end
  if TAPERS_MISSING[kind] then fail(fname, "the '%s' taper is not available yet (available: %s)", kind, table.concat(TAPERS, ", ")) end
  local ok = false
  for _, k in ipairs(TAPERS) do ok = ok or k == kind end
  if not ok then
    local near = util.nearest(kind, TAPERS)
    fail(fname, "unknown taper type '%s'%s", kind, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  for p, k in pairs{std = "gaussian", beta = "kaiser", halfcosine = "cosine", sactaper = "cosine"} do
    if o[p] ~= nil and kind ~= k then fail(fname, "%s is an option of the '%s' taper only", p, k) end
  end
  local data = tr.data
  local npts = data.shape[1]
  if npts == 0 then return tr end
  local sr = tr.stats.sampling_rate
  local halves = {}
  if o.max_percentage ~= nil then
    check_num(fname, o.max_percentage, "max_percentage")
    if o.max_percentage < 0 then fail(fname, "max_percentage must be 0 or more, got %s", util.repr(o.max_percentage)) end
    halves[#halves + 1] = math.floor(o.max_percentage * npts)           -- int(max_percentage * npts)
  end
  if o.max_length ~= nil then
    check_num(fname, o.max_length, "max_length")
    if o.max_length < 0 then fail(fname, "max_length must be 0 or more, got %s", util.repr(o.max_length)) end
    halves[#halves + 1] = math.floor(o.max_length * sr)
  end
  local all_long = true      -- np.all([]) is True: ObsPy warns when neither is given
  for _, h in ipairs(halves) do all_long = all_long and 2 * h > npts end
  if all_long then
    P.warn(fname, "The requested taper is longer than the trace. The taper will be shortened to trace length.")
  end
  halves[#halves + 1] = npts // 2
  local wlen = math.huge
  for _, h in ipairs(halves) do wlen = math.min(wlen, h) end
  wlen = math.tointeger(wlen)
  local sides = taper_window(fname, kind, 2 * wlen == npts and 2 * wlen or 2 * wlen + 1, o)
  local m = sides.shape[1]
  local parts = {}
  local function add(a) if a.shape[1] > 0 then parts[#parts + 1] = a end end
  if side ~= "right" then add(sides[{{1, wlen}}]) end
  add(np.ones{npts - (side == "both" and 2 * wlen or wlen)})
  if side ~= "left" then add(sides[{{m - wlen + 1, m}}]) end
  local w = #parts == 1 and parts[1] or np.concatenate(parts)
  local x = as_float(data)
  set_data(tr, keep_dtype(x:astype("float64") * w, x))
  return tr
end

-- }=====

-- {===== filter

local FILTERS = {"bandpass", "bandstop", "lowpass", "highpass", "lowpass_cheby_2"}
local FILTER_OPTS = {
  bandpass = {"freqmin", "freqmax", "corners", "zerophase", "ftype", "rp", "rs"},
  bandstop = {"freqmin", "freqmax", "corners", "zerophase", "ftype", "rp", "rs"},
  lowpass = {"freq", "corners", "zerophase", "ftype", "rp", "rs"},
  highpass = {"freq", "corners", "zerophase", "ftype", "rp", "rs"},
  lowpass_cheby_2 = {"freq", "maxorder"},
}
local FTYPES = {"butter", "cheby1", "cheby2", "bessel"}

-- obspy.signal.filter._filter: iirfilter(corners, wn, rp=, rs=, btype=,
-- ftype=, output='sos') (Butterworth by default), sosfilt, and for zerophase
-- a second sosfilt over the reversed output (no padding, unlike scipy's
-- sosfiltfilt).
local function iir_run(data, wn, btype, corners, zerophase, f)
  local S = signal()
  local sos
  if f.ftype == "cheby1" then sos = S.cheby1(corners, f.rp, wn, btype, {output = "sos"})
  elseif f.ftype == "cheby2" then sos = S.cheby2(corners, f.rs, wn, btype, {output = "sos"})
  elseif f.ftype == "bessel" then sos = S.bessel(corners, wn, btype, {output = "sos"})
  else sos = S.butter(corners, wn, btype, {output = "sos"}) end
  local y = S.sosfilt(sos, data)
  if zerophase then y = np.flip(S.sosfilt(sos, np.flip(y))) end
  return y
end

-- obspy.signal.filter.lowpass_cheby_2: the pass band edge walks down by 1 %
-- until cheb2ord's order (96 dB stop band, 1 dB ripple) is at most maxorder.
function P.lowpass_cheby_2(fname, data, freq, df, maxorder)
  local S = signal()
  local nyquist = df * 0.5
  local rp, rs, order = 1, 96, 1e99
  local ws = freq / nyquist
  local wp = ws
  local wn
  if ws > 1 then
    ws = 1.0
    P.warn(fname, "Selected corner frequency is above Nyquist. Setting Nyquist as high corner.")
  end
  while true do
    if order <= maxorder then break end
    wp = wp * 0.99
    order, wn = S.cheb2ord(wp, ws, rp, rs)
  end
  local sos = S.cheby2(order, rs, wn, "low", {output = "sos"})
  return S.sosfilt(sos, data)
end

local function filter(fname, tr, kind, ...)
  if type(kind) == "table" and is_opts(kind) then   -- tr:filter{type = "bandpass", ...}
    local o = {}
    for k, v in pairs(kind) do if k ~= "type" then o[k] = v end end
    return filter(fname, tr, kind.type, o)
  end
  if type(kind) ~= "string" then
    fail(fname, "the filter type must be a string ('bandpass', 'bandstop', 'lowpass', 'highpass' or 'lowpass_cheby_2'), got %s", type(kind))
  end
  kind = kind:lower()
  local names = FILTER_OPTS[kind]
  if not names then
    local near = util.nearest(kind, FILTERS)
    fail(fname, "unknown filter type '%s'%s", kind, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  local npos = (kind == "bandpass" or kind == "bandstop") and 2 or 1
  local o = split_args(fname .. "('" .. kind .. "')", npos, names, ...)
  local df = tr.stats.sampling_rate
  local fe = 0.5 * df
  local corners = o.corners or 4
  if math.type(corners) ~= "integer" and not (type(corners) == "number" and corners == math.floor(corners)) then
    fail(fname, "corners must be a whole number, got %s", tostring(corners))
  end
  corners = math.tointeger(corners)
  if corners < 1 or corners > 30 then fail(fname, "corners must be from 1 to 30, got %d", corners) end
  local zerophase = check_bool(fname, o.zerophase, "zerophase", false)
  -- ObsPy 1.5's ftype/rp/rs (iirfilter's): Butterworth unless told
  local design = {ftype = o.ftype or "butter", rp = o.rp, rs = o.rs}
  if type(design.ftype) ~= "string" then fail(fname, "ftype must be a string, got %s", type(design.ftype)) end
  design.ftype = design.ftype:lower()
  if design.ftype == "ellip" then fail(fname, "ftype 'ellip' (elliptic filters) is not available yet") end
  local fok = false
  for _, k in ipairs(FTYPES) do fok = fok or k == design.ftype end
  if not fok then
    local near = util.nearest(design.ftype, FTYPES)
    fail(fname, "unknown ftype '%s'%s", design.ftype, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  if design.ftype == "cheby1" and design.rp == nil then fail(fname, "ftype 'cheby1' needs rp (the pass band ripple in dB)") end
  if design.ftype == "cheby2" and design.rs == nil then fail(fname, "ftype 'cheby2' needs rs (the stop band attenuation in dB)") end
  if design.rp ~= nil then check_num(fname, design.rp, "rp", true) end
  if design.rs ~= nil then check_num(fname, design.rs, "rs", true) end
  local data = tr.data
  if data.shape[1] == 0 then return tr end
  no_gaps(fname, data)
  local y
  if kind == "bandpass" or kind == "bandstop" then
    if o.freqmin == nil or o.freqmax == nil then fail(fname, "'%s' needs freqmin and freqmax (in Hz)", kind) end
    local fmin = check_num(fname, o.freqmin, "freqmin", true)
    local fmax = check_num(fname, o.freqmax, "freqmax", true)
    local low, high = fmin / fe, fmax / fe
    if kind == "bandpass" and high - 1.0 > -1e-6 then
      P.warn(fname, ("Selected high corner frequency (%s) of bandpass is at or above Nyquist (%s). "
        .. "Applying a high-pass instead."):format(pyfloat(fmax), pyfloat(fe)))
      return filter(fname, tr, "highpass", {freq = fmin, corners = corners, zerophase = zerophase,
        ftype = o.ftype, rp = o.rp, rs = o.rs})
    end
    if low > 1 then fail(fname, "Selected low corner frequency is above Nyquist (freqmin %s Hz, Nyquist %s Hz)", util.repr(fmin), util.repr(fe)) end
    if high >= 1 then
      fail(fname, "the high corner freqmax %s Hz is at or above the Nyquist frequency %s Hz "
        .. "(ObsPy moves it to Nyquist, which scipy then refuses)", util.repr(fmax), util.repr(fe))
    end
    if not (low < high) then fail(fname, "freqmin (%s Hz) must be below freqmax (%s Hz)", util.repr(fmin), util.repr(fmax)) end
    y = iir_run(data, {low, high}, kind, corners, zerophase, design)
  elseif kind == "lowpass" or kind == "highpass" then
    if o.freq == nil then fail(fname, "'%s' needs freq (the corner frequency in Hz)", kind) end
    local f = check_num(fname, o.freq, "freq", true) / fe
    if f >= 1 then
      fail(fname, "the corner frequency %s Hz is at or above the Nyquist frequency %s Hz%s", util.repr(o.freq),
        util.repr(fe), kind == "lowpass" and " (ObsPy moves it to Nyquist, which scipy then refuses)" or "")
    end
    y = iir_run(data, f, kind, corners, zerophase, design)
  else
    if o.freq == nil then fail(fname, "'lowpass_cheby_2' needs freq (the stop band edge in Hz)") end
    local f = check_num(fname, o.freq, "freq", true)
    local maxorder = o.maxorder or 12
    if math.type(maxorder) ~= "integer" or maxorder < 1 then fail(fname, "maxorder must be a positive integer, got %s", tostring(maxorder)) end
    y = P.lowpass_cheby_2(fname, data, f, df, maxorder)
  end
  set_data(tr, y)
  return tr
end

-- }=====

-- {===== resample, decimate

-- tr:resample as ObsPy's: the spectrum's real and imaginary parts (scipy's
-- fftpack layout, here np.fft.rfft's) windowed in the frequency domain,
-- linearly interpolated onto the new frequencies, inverse FFT of the new
-- length, times num / npts. Not scipy.signal.resample (which cuts or pads
-- the spectrum and windows differently).
local function resample(fname, tr, ...)
  local o = split_args(fname, 1, {"sampling_rate", "window", "no_filter", "strict_length"}, ...)
  if o.sampling_rate == nil then fail(fname, "sampling_rate (the new rate in Hz) is required") end
  local new_sr = check_num(fname, o.sampling_rate, "sampling_rate", true)
  local no_filter = check_bool(fname, o.no_filter, "no_filter", true)
  local strict = check_bool(fname, o.strict_length, "strict_length", false)
  local window = o.window
  if window == nil then window = "hann" end
  local sr = tr.stats.sampling_rate
  local factor = sr / new_sr
  local npts = tr.data.shape[1]
  if npts == 0 then fail(fname, "the trace has no data") end
  no_gaps(fname, tr.data)
  if strict and math.fmod(npts, factor) ~= 0.0 then
    fail(fname, "End time of trace would change and strict_length=True.")
  end
  if not no_filter then
    if factor > 16 then
      fail(fname, "Automatic filter design is unstable for resampling factors (current sampling rate/new "
        .. "sampling rate) above 16. Manual resampling is necessary.")
    end
    set_data(tr, P.lowpass_cheby_2(fname, tr.data, sr * 0.5 / factor, sr, 12))
  end
  local X = np.fft.rfft(tr.data:astype("float64"))
  local xr, xi = X.real, X.imag
  local half = npts // 2 + 1
  if window ~= false and window ~= util.None then
    local w
    if type(window) == "function" then
      w = window(np.fft.fftfreq(npts))
      if type(w) ~= "userdata" or w.ndim ~= 1 or w.shape[1] ~= npts then
        fail(fname, "the window function must return an array of %d values", npts)
      end
    elseif type(window) == "userdata" then
      if window.ndim ~= 1 or window.shape[1] ~= npts then
        fail(fname, "Window has the wrong shape. Window length must equal the number of points (%d).", npts)
      end
      w = window
    elseif type(window) == "string" or type(window) == "table" then
      local ok, r = pcall(signal().get_window, window, npts)
      if not ok then fail(fname, "%s", (tostring(r):gsub("^signal%.get_window: ", "window: "))) end
      w = np.fft.ifftshift(r)
    else
      fail(fname, "window must be a name, an array, a function or false, got %s", type(window))
    end
    w = w:astype("float64")[{{1, half}}]
    xr, xi = xr * w, xi * w
  end
  local num = math.tointeger(math.floor(npts / factor)) or 0
  if num == 0 then
    P.warn(fname, "Resampled trace would have less than one sample. Retaining exactly one sample.")
    num = 1
  end
  local df = 1.0 / (npts * (1 / sr))
  local d_large_f = 1.0 / num * new_sr
  local f = np.arange(0, half) * df
  local n_large_f = num // 2 + 1
  local large_f = np.arange(0, n_large_f) * d_large_f
  local yr = np.interp(large_f, f, xr)
  local yi = np.interp(large_f, f, xi)
  local y = np.fft.irfft(yr + yi * np.j, {n = num})
  set_data(tr, y * (num / npts))
  tr.stats.sampling_rate = new_sr
  return tr
end

local function decimate(fname, tr, ...)
  local o = split_args(fname, 1, {"factor", "no_filter", "strict_length"}, ...)
  local factor = o.factor
  if factor == nil then fail(fname, "factor (a whole number) is required") end
  if math.type(factor) ~= "integer" then
    if type(factor) == "number" and factor == math.floor(factor) then
      fail(fname, "Decimation_factor must be an integer! (got %s; write %d)", util.repr(factor), math.tointeger(factor) or 0)
    end
    fail(fname, "Decimation_factor must be an integer!, got %s", type(factor) == "number" and util.repr(factor) or type(factor))
  end
  if factor < 1 then fail(fname, "factor must be 1 or more, got %d", factor) end
  local no_filter = check_bool(fname, o.no_filter, "no_filter", false)
  local strict = check_bool(fname, o.strict_length, "strict_length", false)
  local n = tr.data.shape[1]
  if strict and n % factor ~= 0 then fail(fname, "End time of trace would change and strict_length=True.") end
  local sr = tr.stats.sampling_rate
  if not no_filter then
    if factor > 16 then
      fail(fname, "Automatic filter design is unstable for decimation factors above 16. Manual decimation is necessary.")
    end
    no_gaps(fname, tr.data)
    if n > 0 then set_data(tr, P.lowpass_cheby_2(fname, tr.data, sr * 0.5 / factor, sr, 12)) end
  end
  if n > 0 then set_data(tr, tr.data[{{1, -1, factor}}]:copy()) end
  tr.stats.sampling_rate = sr / factor
  return tr
end

-- }=====

-- {===== trigger

-- tr:trigger(type, {sta, lta} | {nsta, nlta}): the data become ObsPy's
-- characteristic function; sta and lta are seconds, turned into samples as
-- ObsPy does (int(sta * sampling_rate)).
local TRIGGERS = {classicstalta = "classic_sta_lta", recstalta = "recursive_sta_lta"}
local TRIGGERS_MISSING = {delayedstalta = true, carlstatrig = true, zdetect = true}

local function trigger(fname, tr, kind, ...)
  if type(kind) == "table" and is_opts(kind) then
    local o = {}
    for k, v in pairs(kind) do if k ~= "type" then o[k] = v end end
    return trigger(fname, tr, kind.type, o)
  end
  if type(kind) ~= "string" then fail(fname, "the trigger type must be 'classicstalta' or 'recstalta', got %s", type(kind)) end
  kind = kind:lower()
  if TRIGGERS_MISSING[kind] then fail(fname, "trigger type '%s' is not available yet (use 'classicstalta' or 'recstalta')", kind) end
  if not TRIGGERS[kind] then
    local near = util.nearest(kind, {"classicstalta", "recstalta", "delayedstalta", "carlstatrig", "zdetect"})
    fail(fname, "unknown trigger type '%s'%s", kind, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  local o = split_args(fname, 2, {"sta", "lta", "nsta", "nlta"}, ...)
  local spr = tr.stats.sampling_rate
  for _, k in ipairs{"sta", "lta"} do
    if o[k] ~= nil then
      if o["n" .. k] ~= nil then fail(fname, "give %s (seconds) or n%s (samples), not both", k, k) end
      o["n" .. k] = math.tointeger(math.floor(check_num(fname, o[k], k, true) * spr))
    end
  end
  if o.nsta == nil or o.nlta == nil then fail(fname, "'%s' needs sta and lta (window lengths in seconds)", kind) end
  if math.type(o.nsta) ~= "integer" or math.type(o.nlta) ~= "integer" or o.nsta < 1 or o.nlta < 1 then
    fail(fname, "the windows must hold at least one sample (nsta %s, nlta %s)", tostring(o.nsta), tostring(o.nlta))
  end
  no_gaps(fname, tr.data)
  local ok, r = pcall(signal()[TRIGGERS[kind]], tr.data:astype("float64"), o.nsta, o.nlta)
  if not ok then fail(fname, "%s", (tostring(r):gsub("^signal%.[%w_]+: ", ""))) end
  set_data(tr, r)
  return tr
end

-- }=====

-- {===== differentiate, integrate, normalize, max, std

local function differentiate(fname, tr, ...)
  local o = split_args(fname, 1, {"method"}, ...)
  local method = o.method or "gradient"
  if type(method) ~= "string" or method:lower() ~= "gradient" then
    fail(fname, "method must be 'gradient' (numpy.gradient), got %s", tostring(method))
  end
  local x = tr.data
  local n = x.shape[1]
  if n == 0 then return tr end
  if n < 2 then
    fail(fname, "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.")
  end
  -- numpy.gradient(data, delta), edge_order 1: central differences inside,
  -- one-sided ones at the ends, in NumPy's order of operations
  x = as_float(x)
  local dx = 1 / tr.stats.sampling_rate
  local parts = {(x[{{2, 2}}] - x[{{1, 1}}]) / dx}
  if n > 2 then parts[2] = (x[{{3, n}}] - x[{{1, n - 2}}]) / (2. * dx) end
  parts[#parts + 1] = (x[{{n, n}}] - x[{{n - 1, n - 1}}]) / dx
  set_data(tr, np.concatenate(parts))
  return tr
end

local function integrate(fname, tr, ...)
  local o = split_args(fname, 1, {"method"}, ...)
  local method = o.method or "cumtrapz"
  if type(method) ~= "string" then fail(fname, "method must be 'cumtrapz', got %s", type(method)) end
  method = method:lower()
  if method == "spline" then fail(fname, "method 'spline' is not available yet; use 'cumtrapz'") end
  if method ~= "cumtrapz" then fail(fname, "method must be 'cumtrapz' (or ObsPy's 'spline', not available yet), got '%s'", method) end
  local y = tr.data
  local n = y.shape[1]
  if n == 0 then return tr end
  -- scipy.integrate.cumulative_trapezoid(data, dx=delta, initial=0):
  -- cumsum(d * (y[1:] + y[:-1]) / 2.0) after a leading 0
  local d = 1 / tr.stats.sampling_rate
  local head = np.zeros({1}, y.dtype == "float32" and "float32" or "float64")
  if n == 1 then set_data(tr, head); return tr end
  local res = np.cumsum((y[{{2, n}}] + y[{{1, n - 1}}]) * d / 2.0)
  set_data(tr, np.concatenate{head:astype(res.dtype), res})
  return tr
end

-- ObsPy's Trace.max: the value of largest magnitude, its sign kept (the
-- maximum wins a tie).
local function trace_max(fname, tr)
  if tr.data.shape[1] == 0 then fail(fname, "the trace has no data") end
  local hi, lo = tr.data:max(), tr.data:min()
  if math.abs(lo) > math.abs(hi) then return lo end
  return hi
end

local function normalize(fname, tr, ...)
  local o = split_args(fname, 1, {"norm"}, ...)
  local norm = o.norm
  if norm == util.None then norm = nil end
  if norm ~= nil then
    check_num(fname, norm, "norm")
    if norm < 0 then P.warn(fname, "Normalizing with negative values is forbidden. Using absolute value.") end
  else
    if tr.data.shape[1] == 0 then return tr end
    norm = trace_max(fname, tr)
  end
  if norm == 0 then
    P.warn(fname, "Attempting to normalize by dividing through zero. This is not allowed and the data will thus not be changed.")
    return tr
  end
  set_data(tr, as_float(tr.data) / math.abs(norm))
  return tr
end

-- }=====

-- {===== install

local is_trace, is_stream

local function check_trace(tr, fname)
  if not is_trace(tr) then
    util.raise(("%s: call it on a Trace with ':' (tr:%s(...))"):format(fname, fname:match("[%w_]+$")), 3)
  end
end

local function check_stream(st, fname)
  if not is_stream(st) then
    util.raise(("%s: call it on a Stream with ':' (st:%s(...))"):format(fname, fname:match("[%w_]+$")), 3)
  end
end

local INPLACE = {detrend = detrend, taper = taper, filter = filter, resample = resample,
  decimate = decimate, differentiate = differentiate, integrate = integrate, trigger = trigger}

-- install(seis, Trace, Stream): called at the end of seis.lua with the
-- method tables.
function P.install(seis, Trace, Stream)
  is_trace, is_stream = seis._is_trace, seis._is_stream
  for name, impl in pairs(INPLACE) do
    Trace[name] = function(tr, ...)
      check_trace(tr, "Trace." .. name)
      return impl("Trace." .. name, tr, ...)
    end
    Stream[name] = function(st, ...)
      check_stream(st, "Stream." .. name)
      for _, tr in ipairs(st.traces) do impl("Stream." .. name, tr, ...) end
      return st
    end
  end
  Trace.normalize = function(tr, ...)
    check_trace(tr, "Trace.normalize")
    return normalize("Trace.normalize", tr, ...)
  end
  -- st:normalize{global_max = false}: one norm for all traces when true
  Stream.normalize = function(st, ...)
    check_stream(st, "Stream.normalize")
    local o = split_args("Stream.normalize", 1, {"global_max"}, ...)
    local global = check_bool("Stream.normalize", o.global_max, "global_max", false)
    local norm
    if global then
      for _, tr in ipairs(st.traces) do
        local v = math.abs(trace_max("Stream.normalize", tr))
        if norm == nil or v > norm then norm = v end
      end
    end
    for _, tr in ipairs(st.traces) do normalize("Stream.normalize", tr, norm) end
    return st
  end
  -- tr:std(): numpy's std of the data (ddof 0)
  Trace.std = function(tr)
    check_trace(tr, "Trace.std")
    if tr.data.shape[1] == 0 then return 0 / 0 end
    return tr.data:std()
  end
  Stream.max = function(st)
    check_stream(st, "Stream.max")
    local out = {}
    for i, tr in ipairs(st.traces) do out[i] = trace_max("Stream.max", tr) end
    return util.list(out)
  end
  Stream.std = function(st)
    check_stream(st, "Stream.std")
    local out = {}
    for i, tr in ipairs(st.traces) do out[i] = Trace.std(tr) end
    return util.list(out)
  end
  require("geolab.seis_plot").install(seis, Trace, Stream)
end

-- }=====

return P
