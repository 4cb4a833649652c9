-- signal_windows.lua: window functions (scipy.signal.windows and
-- get_window), detrend, and ObsPy's cosine_taper. Windows are computed with
-- scipy's formulas in the same order of operations, so they agree to the
-- last bits or nearly.
local np = require "geolab.array"
local core = require "geolab.signal_core"
local B = require "geolab.signal_base"
local err = B.error

local W = {}
local windows = {}

-- M as scipy's _len_guards wants it, and sym as a boolean (default true).
local function len_sym(fname, a)
  local M = B.int(a.M, fname, "M")
  if M == nil then err(fname, "M (the number of points) is required") end
  if M < 0 then err(fname, "window length M must be a non-negative integer, got %d", M) end
  local sym = a.sym
  if sym == nil then sym = true end
  if type(sym) ~= "boolean" then err(fname, "sym must be a boolean, got %s", type(sym)) end
  return M, sym
end

local function arr(t, M) return np.array(t, "float64"):reshape{M} end

-- numpy.linspace(-pi, pi, M)[i]
local function lin(i, M)
  if M == 1 then return -math.pi end
  if i == M - 1 then return math.pi end
  return i * ((math.pi - -math.pi) / (M - 1)) + -math.pi
end

local function general_cosine(M, coefs, sym)
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local w = {}
  for i = 0, M - 1 do
    local f, s = lin(i, n), 0
    for k = 1, #coefs do s = s + coefs[k] * math.cos((k - 1) * f) end
    w[i + 1] = s
  end
  return arr(w, M)
end

-- A window function: windows.NAME(M[, params...][, sym]) as scipy's.
local function cosine_window(name, coefs)
  windows[name] = function(...)
    local fname = "signal.windows." .. name
    local a = B.args(fname, {"M", "sym"}, {}, ...)
    local M, sym = len_sym(fname, a)
    return general_cosine(M, coefs, sym)
  end
end
cosine_window("hann", {0.5, 1 - 0.5})
cosine_window("hamming", {0.54, 1 - 0.54})
cosine_window("blackman", {0.42, 0.50, 0.08})
cosine_window("blackmanharris", {0.35875, 0.48829, 0.14128, 0.01168})
cosine_window("nuttall", {0.3635819, 0.4891775, 0.1365995, 0.0106411})
cosine_window("flattop", {0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368})

function windows.boxcar(...)
  local a = B.args("signal.windows.boxcar", {"M", "sym"}, {}, ...)
  local M = len_sym("signal.windows.boxcar", a)
  return np.ones{M}
end

function windows.cosine(...)
  local fname = "signal.windows.cosine"
  local a = B.args(fname, {"M", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local w = {}
  for i = 0, M - 1 do w[i + 1] = math.sin(math.pi / n * (i + 0.5)) end
  return arr(w, M)
end

function windows.tukey(...)
  local fname = "signal.windows.tukey"
  local a = B.args(fname, {"M", "alpha", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  local alpha = B.num(a.alpha, fname, "alpha") or 0.5
  if M <= 1 then return np.ones{M} end
  if alpha <= 0 then return np.ones{M} end
  if alpha >= 1 then return general_cosine(M, {0.5, 0.5}, sym) end
  local n = sym and M or M + 1
  local width = math.floor(alpha * (n - 1) / 2.0)
  local w = {}
  for i = 0, M - 1 do
    local v
    if i <= width then v = 0.5 * (1 + math.cos(math.pi * (-1 + 2.0 * i / alpha / (n - 1))))
    elseif i < n - width - 1 then v = 1.0
    else v = 0.5 * (1 + math.cos(math.pi * (-2.0 / alpha + 1 + 2.0 * i / alpha / (n - 1)))) end
    w[i + 1] = v
  end
  return arr(w, M)
end

function windows.triang(...)
  local fname = "signal.windows.triang"
  local a = B.args(fname, {"M", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local half, w = {}, {}
  for k = 1, (n + 1) // 2 do
    half[k] = n % 2 == 0 and (2 * k - 1.0) / n or 2 * k / (n + 1.0)
  end
  local full = {}
  for k = 1, #half do full[k] = half[k] end
  for k = #half - (n % 2 == 0 and 0 or 1), 1, -1 do full[#full + 1] = half[k] end
  for i = 1, M do w[i] = full[i] end
  return arr(w, M)
end

function windows.bartlett(...)
  local fname = "signal.windows.bartlett"
  local a = B.args(fname, {"M", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local w = {}
  for i = 0, M - 1 do
    w[i + 1] = i <= (n - 1) / 2.0 and 2.0 * i / (n - 1) or 2.0 - 2.0 * i / (n - 1)
  end
  return arr(w, M)
end

function windows.gaussian(...)
  local fname = "signal.windows.gaussian"
  local a = B.args(fname, {"M", "std", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  local std = B.num(a.std, fname, "std")
  if std == nil then err(fname, "std (the standard deviation, in samples) is required") end
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local w = {}
  for i = 0, M - 1 do
    local x = i - (n - 1.0) / 2.0
    w[i + 1] = math.exp(-(x * x) / (2 * std * std))
  end
  return arr(w, M)
end

-- I0, the modified Bessel function of order 0, by its power series (terms
-- fall below 1e-17 of the sum well before k = 500 for the betas windows use).
local function i0(x)
  local s, term, q = 1.0, 1.0, (x / 2) ^ 2
  for k = 1, 500 do
    term = term * q / (k * k)
    s = s + term
    if term < s * 1e-17 then break end
  end
  return s
end

function windows.kaiser(...)
  local fname = "signal.windows.kaiser"
  local a = B.args(fname, {"M", "beta", "sym"}, {}, ...)
  local M, sym = len_sym(fname, a)
  local beta = B.num(a.beta, fname, "beta")
  if beta == nil then err(fname, "beta (the shape parameter) is required") end
  if M <= 1 then return np.ones{M} end
  local n = sym and M or M + 1
  local alpha = (n - 1) / 2.0
  local w, d = {}, i0(beta)
  for i = 0, M - 1 do
    local r = (i - alpha) / alpha
    w[i + 1] = i0(beta * math.sqrt(1 - r ^ 2.0)) / d
  end
  return arr(w, M)
end

W.windows = windows

-- scipy's names for get_window
local ALIASES = {
  hann = "hann", han = "hann", hanning = "hann", hamming = "hamming", hamm = "hamming", ham = "hamming",
  blackman = "blackman", black = "blackman", blk = "blackman",
  blackmanharris = "blackmanharris", blackharr = "blackmanharris", bkh = "blackmanharris",
  nuttall = "nuttall", nutl = "nuttall", nut = "nuttall", flattop = "flattop", flat = "flattop", flt = "flattop",
  boxcar = "boxcar", box = "boxcar", ones = "boxcar", rect = "boxcar", rectangular = "boxcar",
  tukey = "tukey", tuk = "tukey", cosine = "cosine", halfcosine = "cosine",
  triang = "triang", triangle = "triang", tri = "triang", bartlett = "bartlett", bart = "bartlett", brt = "bartlett",
  gaussian = "gaussian", gauss = "gaussian", gss = "gaussian",
  kaiser = "kaiser", ksr = "kaiser",
}

-- get_window(window, Nx[, {fftbins=true}]): window is a name or {name, param}.
function W.get_window(...)
  local fname = "signal.get_window"
  local a = B.args(fname, {"window", "Nx", "fftbins"}, {}, ...)
  local win, params = a.window, {}
  if type(win) == "table" and B.is_opts(win) == false then
    params = {table.unpack(win, 2)}
    win = win[1]
  end
  if type(win) == "number" then
    err(fname, "a number as window (Kaiser's beta) is not supported; give a name such as 'hann'")
  end
  if type(win) ~= "string" then err(fname, "window must be a name or {name, parameter}, got %s", type(win)) end
  local name = ALIASES[win:lower()]
  if not name then
    local names = {}
    for k in pairs(windows) do names[#names + 1] = k end
    table.sort(names)
    local near = require("geolab.util").nearest(win, names)
    err(fname, "unknown window type '%s'%s", win, near and (" (did you mean '" .. near .. "'?)") or "")
  end
  if (name == "gaussian" or name == "kaiser") and #params == 0 then
    err(fname, "the '%s' window needs a parameter: {'%s', value}", name, name)
  end
  local fftbins = a.fftbins
  if fftbins == nil then fftbins = true end
  local Nx = B.int(a.Nx, fname, "Nx")
  if Nx == nil then err(fname, "Nx (the window length) is required") end
  local args = {Nx}
  for _, p in ipairs(params) do args[#args + 1] = p end
  args[#args + 1] = {sym = not fftbins}
  local ok, w = pcall(windows[name], table.unpack(args))
  if not ok then err(fname, "%s", (tostring(w):gsub("^signal%.windows%.%w+: ", ""))) end
  return w
end

-- detrend(data[, {axis=-1, type="linear", bp=0}]): bp are the 1-based
-- positions where a new linear piece starts.
function W.detrend(...)
  local fname = "signal.detrend"
  local a = B.args(fname, {"data", "axis", "type", "bp", "overwrite_data"}, {}, ...)
  local x = B.signal(a.data, fname, "data")
  local kind = a.type or "linear"
  if kind ~= "linear" and kind ~= "l" and kind ~= "constant" and kind ~= "c" then
    err(fname, "trend type must be 'linear' or 'constant', got %s", tostring(kind))
  end
  local ax = B.axis(a.axis, x.ndim, fname)
  local x2, back, _, n = B.rows(x, ax)
  local bps = {}
  local bp = a.bp
  if bp ~= nil and bp ~= 0 then
    if type(bp) == "number" then bp = {bp} end
    if type(bp) == "userdata" then bp = bp:totable() end
    if type(bp) ~= "table" then err(fname, "bp must be a position or a list of positions") end
    for _, v in ipairs(bp) do
      v = B.int(v, fname, "bp")
      if v < 1 or v > n + 1 then
        err(fname, "breakpoints must be positions from 1 to %d (the length of data along axis, plus 1), got %d", n + 1, v)
      end
      bps[#bps + 1] = v - 1
    end
  end
  local linear = kind == "linear" or kind == "l"
  return back(core.detrend(fname, x2, linear and 2 or 1, bps))
end

-- cosine_taper(npts[, p=0.1][, {halfcosine=true, sactaper=false}]) as ObsPy's
-- obspy.signal.invsim.cosine_taper (without freqs/flimit).
function W.cosine_taper(...)
  local fname = "signal.cosine_taper"
  local a = B.args(fname, {"npts", "p", "freqs", "flimit", "halfcosine", "sactaper"}, {}, ...)
  local npts = B.int(a.npts, fname, "npts", 0)
  if npts == nil then err(fname, "npts is required") end
  local p = B.num(a.p, fname, "p") or 0.1
  if a.freqs ~= nil or a.flimit ~= nil then err(fname, "freqs and flimit are not supported") end
  if p < 0 or p > 1 then err(fname, "decimal taper percentage p must be between 0 and 1, got %s", tostring(p)) end
  local frac
  if p == 0.0 or p == 1.0 then frac = math.floor(npts * p / 2.0)
  else frac = math.floor(npts * p / 2.0 + 0.5) end
  local i1, i2, i3, i4 = 0, frac - 1, npts - frac, npts - 1
  if a.sactaper then i2, i3 = i2 + 1, i3 - 1 end
  if i1 == i2 then i2 = i2 + 1 end
  if i3 == i4 then i3 = i3 - 1 end
  local half = a.halfcosine
  if half == nil then half = true end
  local w = {}
  for i = 0, npts - 1 do
    local v = 0.0
    if i <= i2 then
      if half then v = 0.5 * (1.0 - math.cos((math.pi * (i - i1) / (i2 - i1))))
      else v = math.cos(-(math.pi / 2.0 * (i2 - i) / (i2 - i1))) end
    elseif i < i3 then v = 1.0 end
    if i >= i3 and i <= i4 then
      if half then v = 0.5 * (1.0 + math.cos((math.pi * (i3 - i) / (i4 - i3))))
      else v = math.cos((math.pi / 2.0 * (i3 - i) / (i4 - i3))) end
    end
    w[i + 1] = v
  end
  if i1 == i2 and npts > 0 then w[i1 + 1] = 0.0 end
  if i3 == i4 and npts > 0 then w[i3 + 1] = 0.0 end
  if npts == 0 then return np.zeros{0} end
  return arr(w, npts)
end

return W
