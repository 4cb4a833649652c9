#!/usr/bin/env geolab
-- generate.lua: writes the synthetic seismo-volcanic dataset of practical 2
-- in the course's layout: OUT/<class>/<class>_NNNN.npy, one 14 x 8192 float32
-- array per event at 100 Hz (rows 1-8 eight stations, row 9 zeros, rows 10-14
-- the per-sample masks of VT, LP, TR, AV, IC). The model and its calibration
-- are described in data/volcano/README.md.
-- Usage: geolab data/volcano/generate.lua [OUT = volcano] [N per class = 20] [seed = 0]
-- Event i of a class depends only on (seed, class, i): a larger N extends a
-- smaller dataset without changing the events it already had.
local M = {}

M.classes = {"VT", "LP", "TR", "AV", "IC"}
M.fs, M.npts, M.nsta = 100, 8192, 8

local FS, NPTS, NSTA = M.fs, M.npts, M.nsta
local NF = NPTS // 2 + 1
local f = np.fft.rfftfreq(NPTS, 1 / FS)             -- (4097,) Hz
local t = np.arange(NPTS) / FS                      -- (8192,) s
local fcol = f:reshape(1, NF)
local NPAD = NPTS + 1024
local fpad = np.fft.rfftfreq(NPAD, 1 / FS):reshape(1, NPAD // 2 + 1)

local function loguniform(g, lo, hi) return math.exp(g:uniform(math.log(lo), math.log(hi))) end

-- White noise shaped in the frequency domain by the gain curve `shape`
-- (NF,) or (k, NF); returns rows of unit standard deviation.
local function shaped_noise(g, shape, rows)
  local w = g:standard_normal{rows, NPTS}
  local x = np.fft.irfft(np.fft.rfft(w, {axis = -1}) * shape, NPTS, {axis = -1})
  return x / x:std{axis = -1, keepdims = true}
end

-- A Gaussian band centred on fc (Hz) with standard deviation bw (Hz).
local function band(fc, bw) return np.exp(-0.5 * ((f - fc) / bw) ^ 2) end

-- Envelope pieces, in seconds after the onset (tt < 0 gives 0).
local function after(tt) return tt:ge(0):astype("float64") end
local function rise(tt, tr) return after(tt) * (1 - np.exp(-np.maximum(tt, 0) / tr)) end
local function decay(tt, tau) return np.exp(-np.maximum(tt, 0) / tau) end

-- Source time functions, one per class: the ground motion next to the
-- source, `(8192,)`, starting at t0; returns it and the event's duration (s).
local source = {}

-- Volcano-tectonic: an impulsive P onset, an S arrival 0.8-4 s later, both
-- broadband around 4-12 Hz, and an exponential coda. Deep or distant VTs
-- (fc low, long coda) look like LPs once attenuated: the classes overlap.
local function vt_quake(g, t0)
  local fc = loguniform(g, 2, 20)
  local ts = g:uniform(0.5, 4)
  local tauc = loguniform(g, 0.4, 8)
  local tt = t - t0
  local p = shaped_noise(g, band(fc, 0.5 * fc), 1)[1] * rise(tt, 0.02) * decay(tt, 0.4 * tauc)
  local s = shaped_noise(g, band(0.7 * fc, 0.4 * fc), 1)[1] * rise(tt - ts, 0.05) * decay(tt - ts, tauc)
  return p + g:uniform(1.2, 3) * s, ts + 3 * tauc
end

-- One time in three a second, smaller VT of the same swarm follows within
-- 3-20 s, and the event's span covers both.
function source.VT(g, t0)
  local x, dur = vt_quake(g, t0)
  if g:random() < 1 / 3 then
    local dt = g:uniform(3, 20)
    local x2, dur2 = vt_quake(g, t0 + dt)
    x = x + g:uniform(0.3, 1) * x2
    dur = math.max(dur, dt + dur2)
  end
  return x, dur
end

-- Long-period: an emergent, narrow-band resonance at f0 (0.5-5 Hz) with one
-- or two overtones, damped over 3-12 s, and a little broadband energy.
function source.LP(g, t0)
  local f0 = loguniform(g, 0.7, 4)
  local q = g:uniform(10, 30)                       -- spectral peak width f0/q
  local tr, tau = g:uniform(0.3, 2), loguniform(g, 1.5, 8)
  local tt = t - t0
  local shape = band(f0, f0 / q) + g:uniform(0.2, 0.6) * band(2 * f0, 2 * f0 / q)
      + g:uniform(0, 0.3) * band(3 * f0, 3 * f0 / q) + 0.05 * band(2 * f0, 1.5 * f0)
  local x = shaped_noise(g, shape, 1)[1] * rise(tt, tr) * decay(tt, tau)
  return x, tr + 3 * tau
end

-- Tremor: sustained for 15-75 s, harmonic (a fundamental 0.7-4 Hz and its
-- overtones) or spasmodic (a 1-6 Hz band), modulated slowly in amplitude.
function source.TR(g, t0)
  local dur = g:uniform(15, 75)
  local tt = t - t0
  local shape
  if g:random() < 0.5 then
    local f0 = loguniform(g, 0.7, 4)
    local bw = f0 / g:uniform(15, 40)
    shape = band(f0, bw)
    for k = 2, 4 do shape = shape + g:uniform(0.1, 0.7) / (k - 1) * band(k * f0, k * bw) end
  else
    local fc = g:uniform(1, 6)
    shape = band(fc, g:uniform(0.15, 0.4) * fc)
  end
  local edge = g:uniform(2, 8)
  local env = rise(tt, edge) * (1 - rise(tt - dur, edge))
  local mod = 1 + g:uniform(0, 0.5) * np.sin(2 * math.pi * tt / g:uniform(5, 20) + g:uniform(0, 6.28))
  return shaped_noise(g, shape, 1)[1] * env * mod, dur
end

-- Avalanche (rockfall, pyroclastic flow): long, broadband 1-20 Hz, with a
-- cigar-shaped envelope (a gamma-like rise and a slow decay over 20-75 s).
function source.AV(g, t0)
  local dur = g:uniform(20, 75)
  local tp = dur * g:uniform(0.15, 0.45)            -- time of the envelope peak
  local k = g:uniform(1.5, 4)
  local tt = np.maximum(t - t0, 0)
  local env = (tt / tp) ^ k * np.exp(k * (1 - tt / tp))
  local fc = g:uniform(3, 12)
  local x = shaped_noise(g, band(fc, g:uniform(0.6, 1.2) * fc), 1)[1] * env
  return x, dur
end

-- Icequake: very short (0.3-3 s) and very high frequency (10-35 Hz).
function source.IC(g, t0)
  local fc = g:uniform(5, 35)
  local tau = g:uniform(0.1, 1.2)
  local tt = t - t0
  local x = shaped_noise(g, band(fc, 0.3 * fc), 1)[1] * rise(tt, 0.01) * decay(tt, tau)
  return x, 0.05 + 4 * tau
end

-- Source depths (km): VTs break rock 0.5-14 km down, so even the closest
-- station sees them attenuated; avalanches and icequakes are at the surface.
local DEPTH = {VT = {0.5, 14}, LP = {0.5, 3}, TR = {0.5, 3}, AV = {0, 0}, IC = {0, 0}}

-- One event: the source propagated to eight stations 1-12 km away (arrival
-- delay r / v, geometric spreading 1 / r, anelastic attenuation
-- exp(-pi f r / (Q v))), plus each station's coloured noise, times its gain.
-- Returns the 14 x 8192 float32 array.
function M.event(cls, g)
  local t0 = g:uniform(5, 25)
  local src, dur = source[cls](g, t0)
  local v, q = 2.5, loguniform(g, 20, 80)
  local depth = g:uniform(DEPTH[cls][1], DEPTH[cls][2])
  local r = np.sqrt(g:uniform(1, 12, NSTA) ^ 2 + depth ^ 2)
  local rc = r:reshape(NSTA, 1)
  local delay = rc / v
  -- attenuated on a padded length (so that the end of a long event does not
  -- wrap around to the start), then delayed by whole samples
  local atten = np.exp(-math.pi * fpad * rc / (q * v)) / rc
  local prop = np.fft.irfft(np.fft.rfft(src, NPAD) * atten, NPAD, {axis = -1})
  local sig = np.zeros{NSTA, NPTS}
  for k = 1, NSTA do
    local d = math.floor(delay[{k, 1}] * FS + 0.5)
    sig[{k, {d + 1, NPTS}}] = prop[{k, {1, NPTS - d}}]
  end
  -- station noise: 1/f^a plus a small 0.25 Hz microseismic hump, with what
  -- lies below 0.3 Hz removed as the network's 0.5 Hz high-pass would
  local a = g:uniform(0.3, 1.2)
  local nshape = (np.maximum(fcol, 0.5) ^ (-a / 2) + 3 * np.exp(-0.5 * ((fcol - 0.25) / 0.08) ^ 2))
      * (1 - np.exp(-(fcol / 0.3) ^ 2))
  local noise = shaped_noise(g, nshape, NSTA) * np.exp(g:uniform(math.log(0.5), math.log(2), {NSTA, 1}))
  -- magnitude: the closest station's SNR (peak over noise std) is 2-100
  local closest = r:argmin()
  local snr = loguniform(g, 2, 100)
  local amp = snr / np.abs(sig[closest]):max()
  local gain = np.exp(g:uniform(math.log(0.3), math.log(3), {NSTA, 1}))
  local out = np.zeros({14, NPTS}, "float32")
  out[{{1, NSTA}}] = (gain * (amp * sig + noise)):astype("float32")
  -- the event's span, from the first arrival for its duration at the closest station
  local first = t0 + r:min() / v
  local i1 = math.max(1, math.floor(first * FS) + 1)
  local i2 = math.min(NPTS, math.floor((first + dur) * FS))
  local row = 9 + ({VT = 1, LP = 2, TR = 3, AV = 4, IC = 5})[cls]
  if i2 >= i1 then out[{row, {i1, i2}}] = 1 end
  return out
end

-- Writes N events per class under `out`; returns the list of files.
function M.generate(out, n, seed)
  seed = seed or 0
  local files = {}
  for c, cls in ipairs(M.classes) do
    local dir = fs.join(out, cls)
    fs.mkdir(dir, {parents = true, exist_ok = true})
    for i = 1, n do
      local g = np.random.Generator(seed * 1000003 + c * 100003 + i)
      local path = fs.join(dir, ("%s_%04d.npy"):format(cls, i))
      np.save(path, M.event(cls, g))
      files[#files + 1] = path
    end
  end
  return files
end

-- run as a script (not when loaded with dofile/require to use M.generate)
if arg and arg[0] and arg[0]:match("generate%.lua$") then
  local out, n, seed = arg[1] or "volcano", tonumber(arg[2] or "20"), tonumber(arg[3] or "0")
  local t1 = os.clock()
  local files = M.generate(out, n, seed)
  print(("wrote %d events (%d per class) to %s in %.1f s"):format(#files, n, out, os.clock() - t1))
end

return M
