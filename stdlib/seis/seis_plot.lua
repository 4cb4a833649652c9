-- seis_plot.lua: ObsPy's figures of seis data: tr:spectrogram (as
-- obspy.imaging.spectrogram.spectrogram: matplotlib's mlab.specgram of the
-- demeaned data with a Hann window, zero-padded to mult * nfft, drawn as an
-- image or, with log = true, as cells on a log frequency axis) and st:plot
-- (one panel per trace on a shared date axis, the trace id in each panel).
local np = require "geolab.array"
local util = require "geolab.util"

local M = {}

local function fail(fname, msg, ...)
  util.raise(fname .. ": " .. (select("#", ...) > 0 and msg:format(...) or msg), 2)
end

local function plt() return require "geolab.plot" end

-- ObsPy's _nearest_pow_2: the power of two nearest to x (the lower one on a tie).
local function nearest_pow_2(x)
  local a = 2.0 ^ math.ceil(math.log(x, 2))
  local b = 2.0 ^ math.floor(math.log(x, 2))
  if math.abs(a - x) < math.abs(b - x) then return a end
  return b
end

local SPEC_OPTS = {"wlen", "per_lap", "log", "outfile", "fmt", "axes", "dbscale", "mult", "cmap",
  "zorder", "title", "show", "clip"}

local function spectrogram(fname, tr, opts)
  local o = util.check_options(opts, SPEC_OPTS, fname, 0)
  local sr = tr.stats.sampling_rate + 0.0
  local wlen = o.wlen
  if wlen ~= nil and (type(wlen) ~= "number" or not (wlen > 0)) then fail(fname, "wlen must be a positive number of seconds") end
  if not wlen then wlen = 128 / sr end
  local per_lap = o.per_lap or 0.9
  if type(per_lap) ~= "number" or not (per_lap >= 0 and per_lap < 1) then
    fail(fname, "per_lap must be a fraction from 0 to below 1, got %s", tostring(per_lap))
  end
  local mult = o.mult
  if mult == nil then mult = 8.0 end
  if mult ~= false and (type(mult) ~= "number" or not (mult >= 1)) then fail(fname, "mult must be a number of at least 1 (or false)") end
  local clip = o.clip or {0.0, 1.0}
  if type(clip) ~= "table" or type(clip[1]) ~= "number" or type(clip[2]) ~= "number" then
    fail(fname, "clip must be a pair of fractions {low, high}")
  end
  if clip[1] < 0 or clip[2] > 1 or clip[1] >= clip[2] then fail(fname, "Invalid parameters for clip option.") end
  for _, k in ipairs{"log", "dbscale", "show"} do
    if o[k] ~= nil and type(o[k]) ~= "boolean" then fail(fname, "%s must be true or false", k) end
  end
  if o.title ~= nil and type(o.title) ~= "string" then fail(fname, "title must be a string") end
  if o.outfile ~= nil and type(o.outfile) ~= "string" then fail(fname, "outfile must be a file name") end
  local npts = tr.data.shape[1]
  local nfft = math.tointeger(nearest_pow_2(wlen * sr))
  if nfft == nil or npts < nfft then
    fail(fname, "Input signal too short (%d samples, window length %s seconds, nfft %s samples, sampling rate %s Hz)",
      npts, util.repr(wlen), tostring(nfft), util.repr(sr))
  end
  local pad_to = nfft
  if mult then pad_to = math.tointeger(nearest_pow_2(mult)) * nfft end
  local nlap = math.floor(nfft * per_lap)
  local data = tr.data:astype("float64")
  data = data - data:mean()
  local stop = npts / sr
  -- mlab.specgram(data, Fs, NFFT=nfft, pad_to=mult, noverlap=nlap): a
  -- symmetric Hann window, no detrending, PSD scaled by frequency
  local S = require "geolab.signal"
  local freq, time, spec = S.spectrogram(data, {fs = sr, window = S.windows.hann(nfft), nperseg = nfft,
    noverlap = nlap, nfft = pad_to, detrend = false, scaling = "density", mode = "psd"})
  if time.shape[1] < 2 then
    fail(fname, "Input signal too short (%d samples, window length %s seconds, nfft %d samples, %d samples window overlap, sampling rate %s Hz)",
      npts, util.repr(wlen), nfft, nlap, util.repr(sr))
  end
  local nf = freq.shape[1]
  spec = spec[{{2, nf}}]
  freq = freq[{{2, nf}}]
  if o.dbscale then spec = np.log10(spec) * 10 else spec = np.sqrt(spec) end
  local smin, smax = spec:min(), spec:max()
  local range = smax - smin
  local vmin, vmax = smin + clip[1] * range, smin + clip[2] * range
  local fig, ax
  if o.axes ~= nil then ax = o.axes
  else
    fig = plt().figure()
    ax = fig:add_subplot(111)
  end
  local nt = time.shape[1]
  local halfbin_time = (time[2] - time[1]) / 2.0
  local halfbin_freq = (freq[2] - freq[1]) / 2.0
  local kw = {cmap = o.cmap or "viridis", vmin = vmin, vmax = vmax, zorder = o.zorder}
  if o.log then
    -- pcolormesh wants the cells' edges: one more than the centres
    local fe = np.concatenate{freq, np.array{freq[nf - 1] + 2 * halfbin_freq}} - halfbin_freq
    local te = np.concatenate{time, np.array{time[nt] + 2 * halfbin_time}} - halfbin_time
    ax:set_yscale("log")
    ax:pcolormesh(te, fe, spec, kw)
  else
    kw.extent = {time[1] - halfbin_time, time[nt] + halfbin_time, freq[1] - halfbin_freq, freq[nf - 1] + halfbin_freq}
    kw.aspect = "auto"
    ax:imshow(np.flip(spec, 0), kw)
  end
  ax:set_xlim(0, stop)
  if o.log then ax:set_ylim(freq[1] - halfbin_freq, freq[nf - 1] + halfbin_freq) end
  ax:grid(false)
  if o.axes ~= nil then return ax end
  ax:set_xlabel("Time [s]")
  ax:set_ylabel("Frequency [Hz]")
  if o.title then ax:set_title(o.title) end
  if o.outfile then
    fig:savefig(o.outfile, o.fmt and {format = o.fmt} or nil)
  elseif o.show ~= false then
    plt().show()   -- ObsPy shows the figure: plt.show writes it and prints the path
  end
  return fig
end

local PLOT_OPTS = {"outfile", "size", "dpi", "color", "linewidth", "title", "format", "show"}

-- st:plot: ObsPy's default waveform figure, 800 x 250 px per trace.
local function stream_plot(fname, st, opts)
  local o = util.check_options(opts, PLOT_OPTS, fname, 0)
  local n = #st.traces
  if n == 0 then fail(fname, "the stream has no traces") end
  local size = o.size or {800, 250 * n}
  if type(size) ~= "table" or type(size[1]) ~= "number" or type(size[2]) ~= "number" or not (size[1] > 0 and size[2] > 0) then
    fail(fname, "size must be {width, height} in pixels")
  end
  local dpi = o.dpi or 100
  if type(dpi) ~= "number" or not (dpi > 0) then fail(fname, "dpi must be a positive number") end
  if o.outfile ~= nil and type(o.outfile) ~= "string" then fail(fname, "outfile must be a file name") end
  if o.title ~= nil and type(o.title) ~= "string" then fail(fname, "title must be a string") end
  local lw = o.linewidth or 1.0
  if type(lw) ~= "number" then fail(fname, "linewidth must be a number") end
  local fig, axs = plt().subplots(n, 1, {figsize = {size[1] / dpi, size[2] / dpi}, dpi = dpi, sharex = true, squeeze = false})
  local t_lo, t_hi
  for i, tr in ipairs(st.traces) do
    local ax = axs[i][1]
    local s = tr.stats
    local t0 = s.starttime.value
    local m = tr.data.shape[1]
    if m > 0 then
      local t = np.arange(m) * (1e9 / s.sampling_rate) + t0
      ax:plot(t, tr.data:astype("float64"), {color = o.color or "k", lw = lw})
      local t1 = t0 + (m - 1) * 1e9 / s.sampling_rate
      t_lo = t_lo and math.min(t_lo, t0) or t0
      t_hi = t_hi and math.max(t_hi, t1) or t1
    end
    ax:xaxis_date()
    ax:text(0.02, 0.95, tr.id, {transform = "axes", ha = "left", va = "top", fontsize = 10,
      bbox = {boxstyle = "round", facecolor = "white", alpha = 0.8}})
  end
  if t_lo and t_hi > t_lo then axs[1][1]:set_xlim(t_lo, t_hi) end
  local ts = st.traces[1].stats
  local title = o.title
  if title == nil then
    local a = tostring(ts.starttime):gsub(" ", "T")
    local b = tostring(ts.endtime):gsub(" ", "T")
    title = a .. "  -  " .. b
  end
  fig:suptitle(title)
  if o.show ~= nil and type(o.show) ~= "boolean" then fail(fname, "show must be true or false") end
  if o.outfile then fig:savefig(o.outfile, {dpi = dpi, format = o.format})
  elseif o.show ~= false then plt().show() end   -- as ObsPy, which shows it
  return fig
end

function M.install(seis, Trace, Stream)
  local is_trace, is_stream = seis._is_trace, seis._is_stream
  Trace.spectrogram = function(tr, opts)
    if not is_trace(tr) then util.raise("Trace.spectrogram: call it on a Trace with ':' (tr:spectrogram{...})", 2) end
    return spectrogram("Trace.spectrogram", tr, opts)
  end
  -- st:spectrogram{...}: one figure per trace (a list), as ObsPy's
  Stream.spectrogram = function(st, opts)
    if not is_stream(st) then util.raise("Stream.spectrogram: call it on a Stream with ':' (st:spectrogram{...})", 2) end
    local out = {}
    for i, tr in ipairs(st.traces) do out[i] = spectrogram("Stream.spectrogram", tr, opts) end
    return util.list(out)
  end
  Stream.plot = function(st, opts)
    if not is_stream(st) then util.raise("Stream.plot: call it on a Stream with ':' (st:plot{...})", 2) end
    return stream_plot("Stream.plot", st, opts)
  end
  Trace.plot = function(tr, opts)
    if not is_trace(tr) then util.raise("Trace.plot: call it on a Trace with ':' (tr:plot{...})", 2) end
    return stream_plot("Trace.plot", seis.Stream{tr}, opts)
  end
end

return M
