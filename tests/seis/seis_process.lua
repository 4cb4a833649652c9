-- seis_process.lua: Trace/Stream processing (stdlib/seis/seis_process.lua)
-- against ObsPy 1.5.0's formulas run on scipy 1.10.1
-- (tests/fixtures/seis/gen_process.py), on the real IU.COLA.00.LHZ record of
-- the 2010 Maule earthquake (miniSEED, int32 counts) and ObsPy's seism.sac
-- (float32). Detrend and taper to 1e-12, filters and resampling to 1e-10,
-- both relative to the largest reference value.
local T = require "testlib"
local F = np.load("tests/fixtures/seis/process.npz")
local MSEED = "tests/fixtures/seis/mseed/libmseed-doc_test.mseed"
local SAC = "tests/fixtures/seis/sac/seism.sac"

local st = seis.read(MSEED)
local tr = st[1]
T.eq(tr.data.dtype, "int32", "miniSEED counts are int32")
T.ok(np.array_equal(tr.data, F.cola), "the miniSEED samples are the fixture's input")

-- max |got - ref| <= tol * max |ref|, same length and dtype
local worst = {}
local function near(got, ref, tol, name, dtype)
  T.eq(got.shape[1], ref.shape[1], name .. ": length")
  if got.shape[1] ~= ref.shape[1] then return end
  T.eq(got.dtype, dtype or "float64", name .. ": dtype")
  local scale = np.abs(ref:astype("float64")):max()
  local err = np.abs(got:astype("float64") - ref:astype("float64")):max()
  worst[#worst + 1] = ("%s %.1e"):format(name, scale > 0 and err / scale or err)
  T.ok(err <= tol * scale, ("%s: max error %.3g, %.3g relative to max %.6g (tolerance %g)"):format(
    name, err, err / scale, scale, tol))
end

local function run(name, tol, f, dtype)
  local c = tr:copy()
  local r = f(c)
  T.ok(r == c, name .. ": returns the trace")
  near(c.data, F[name], tol, name, dtype)
  T.eq(c.stats.npts, c.data.shape[1], name .. ": stats.npts follows the data")
  return c
end

-- {===== detrend, taper (exact formulas: 1e-12)
run("detrend_simple", 1e-12, function(c) return c:detrend() end)
run("detrend_linear", 1e-12, function(c) return c:detrend("linear") end)
run("detrend_constant", 1e-12, function(c) return c:detrend("demean") end)
run("detrend_constant", 1e-12, function(c) return c:detrend{type = "constant"} end)
-- np.polyfit: a least-squares solve by SVD (LAPACK dgelsd in NumPy, the
-- same in geolab); the fit's rounding differs from NumPy's at 1e-13
run("detrend_poly3", 1e-11, function(c) return c:detrend("polynomial", {order = 3}) end)
run("taper_hann", 1e-12, function(c) return c:taper(0.05) end)
run("taper_cosine", 1e-12, function(c) return c:taper(0.1, "cosine") end)
run("taper_hamming_left", 1e-12, function(c) return c:taper(0.2, {type = "hamming", max_length = 300, side = "left"}) end)
run("taper_whole", 1e-12, function(c) return c:taper() end)
run("taper_blackman_right", 1e-12, function(c) return c:taper{max_percentage = 0.3, type = "blackman", side = "right"} end)
-- }=====

-- {===== filters (1e-10)
run("bandpass", 1e-10, function(c) return c:filter("bandpass", {freqmin = 0.01, freqmax = 0.1}) end)
run("bandpass_zp", 1e-10, function(c) return c:filter("bandpass", {freqmin = 0.01, freqmax = 0.1, corners = 2, zerophase = true}) end)
run("bandstop", 1e-10, function(c) return c:filter("bandstop", 0.02, 0.05) end)
run("lowpass", 1e-10, function(c) return c:filter("lowpass", {freq = 0.05, corners = 2}) end)
run("highpass_zp", 1e-10, function(c) return c:filter{type = "highpass", freq = 0.02, zerophase = true} end)
run("cheby2", 1e-10, function(c) return c:filter("lowpass_cheby_2", {freq = 0.1}) end)
run("bandpass_cheby1", 1e-10, function(c) return c:filter("bandpass", {freqmin = 0.01, freqmax = 0.1, corners = 3, ftype = "cheby1", rp = 1.0}) end)
run("lowpass_bessel_zp", 1e-10, function(c) return c:filter("lowpass", {freq = 0.05, zerophase = true, ftype = "bessel"}) end)
run("highpass_cheby2", 1e-10, function(c) return c:filter("highpass", {freq = 0.02, ftype = "cheby2", rs = 60}) end)
-- }=====

-- {===== resample, decimate
local c = run("decimate4", 1e-10, function(x) return x:decimate(4) end)
T.eq(c.stats.sampling_rate, 0.25, "decimate: sampling rate")
T.eq(tostring(c.stats.endtime), tostring(tr.stats.starttime + pd.Timedelta("4196s")), "decimate: end time")
c = run("decimate3_nofilter", 0, function(x) return x:decimate(3, {no_filter = true}) end, "int32")
run("resample_half", 1e-10, function(x) return x:resample(0.5) end)
c = run("resample_037", 1e-10, function(x) return x:resample(0.37) end)
T.eq(c.stats.sampling_rate, 0.37, "resample: sampling rate")
T.close(c.stats.delta, 1 / 0.37, 1e-15, 0, "resample: delta")
run("resample_nowindow", 1e-10, function(x) return x:resample(0.5, {window = false}) end)
run("resample_hamming_filter", 1e-10, function(x) return x:resample(0.25, {window = "hamming", no_filter = false}) end)
c = tr:copy():trim(nil, tr.stats.starttime + pd.Timedelta("4198s"))
T.eq(#c, 4199, "trim to an odd length")
c:resample(0.5)
near(c.data, F.resample_odd, 1e-10, "resample_odd")
c = tr:copy():trim(nil, tr.stats.starttime + pd.Timedelta("1199s"))
c:resample(2.5)
near(c.data, F.resample_up, 1e-10, "resample_up")
T.eq(c.stats.npts, 3000, "resample up: npts")
-- }=====

-- {===== differentiate, integrate, normalize, max, std
run("differentiate", 1e-12, function(x) return x:differentiate() end)
-- cumsum of 4200 terms in the same order as NumPy
run("integrate", 1e-12, function(x) return x:integrate() end)
run("normalize", 1e-12, function(x) return x:normalize() end)
run("normalize_2", 1e-12, function(x) return x:normalize(2.0) end)
T.eq(tr:max(), F.max:item(), "max keeps the sign of the largest magnitude")
T.close(tr:std(), F.std:item(), 1e-12, 0, "std")
T.eq(tr.data.dtype, "int32", "the original trace is untouched")
-- }=====

-- {===== trigger: ObsPy's sta/lta seconds become int(seconds * rate) samples
local cf = tr:copy():trigger("recstalta", {sta = 10.5, lta = 100})
T.close(cf.data, signal.recursive_sta_lta(tr.data:astype("float64"), 10, 100), 0, 0, "trigger recstalta")
cf = tr:copy():trigger{type = "classicstalta", nsta = 20, nlta = 200}
T.close(cf.data, signal.classic_sta_lta(tr.data:astype("float64"), 20, 200), 0, 0, "trigger classicstalta")
T.err("Trace.trigger: trigger type 'zdetect' is not available yet", function() tr:copy():trigger("zdetect", {sta = 1}) end)
T.err("Trace.trigger: nsta (100) must be shorter than nlta (10)", function() tr:copy():trigger("recstalta", {sta = 100, lta = 10}) end)
T.err("Trace.trigger: 'recstalta' needs sta and lta", function() tr:copy():trigger("recstalta") end)
-- }=====

-- {===== a chain, and Stream methods
c = run("chain", 1e-10, function(x)
  return x:detrend("linear"):taper(0.05):filter("bandpass", {freqmin = 0.005, freqmax = 0.05, zerophase = true}):decimate(2)
end)
local s2 = st:copy() + st:copy()
T.ok(s2:detrend("linear"):taper(0.05):filter("bandpass", {freqmin = 0.005, freqmax = 0.05, zerophase = true}):decimate(2) == s2,
  "Stream methods return the stream")
for i = 1, 2 do near(s2[i].data, F.chain, 1e-10, "stream chain " .. i) end
local m = st:max()
T.eq(#m, 1, "st:max() gives one value per trace")
T.eq(m[1], F.max:item(), "st:max()")
T.close(st:std()[1], F.std:item(), 1e-12, 0, "st:std()")
local s3 = seis.Stream{tr:copy(), tr:copy():normalize(4.0)}
s3:normalize{global_max = true}
near(s3[1].data, F.normalize, 1e-12, "normalize global_max, first trace")
near(s3[2].data * 4, F.normalize, 1e-12, "normalize global_max, second trace")
-- }=====

-- {===== float32 data (SAC) keep float32 where ObsPy works in place
local sac = seis.read(SAC)[1]
T.eq(sac.data.dtype, "float32", "SAC samples are float32")
T.ok(np.array_equal(sac.data, F.seism), "seism.sac samples")
T.close(sac.stats.delta, F.seism_delta:item(), 1e-15, 0, "seism.sac delta")
-- float32 results: NumPy's float64 arithmetic rounded back to float32, bit for bit
near(sac:copy():detrend().data, F.seism_simple, 0, "seism_simple", "float32")
near(sac:copy():taper(0.1).data, F.seism_taper, 0, "seism_taper", "float32")
-- the mean in float32 as NumPy sums it (pairwise): a float32 ulp of the values
near(sac:copy():detrend("demean").data, F.seism_demean, 1e-6, "seism_demean", "float32")
near(sac:copy():filter("lowpass", {freq = sac.stats.sampling_rate / 8}).data, F.seism_lowpass, 1e-10, "seism_lowpass")
-- }=====

-- {===== ObsPy's docstring example, on a hand-made trace
local doc = seis.Trace{data = np.array{0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1}}
T.eq(doc.stats.sampling_rate, 1.0, "a new Trace samples at 1 Hz, as ObsPy's")
doc:resample(4.0)
near(doc.data, F.doc_resample, 1e-12, "doc_resample")
T.eq(doc.stats.npts, 32, "doc_resample: npts")
-- }=====

-- {===== warnings (stderr, once) and errors
local exe = arg[-1] or "geolab"
local prog = T.tmp("seis_warn.lua")
local fh = assert(io.open(prog, "w"))
fh:write(([[
local tr = seis.read(%q)[1]
tr:copy():filter("bandpass", {freqmin = 0.05, freqmax = 0.5})
tr:copy():filter("bandpass", {freqmin = 0.05, freqmax = 0.5})
local c = tr:copy():filter("bandpass", {freqmin = 0.05, freqmax = 0.5})
np.save(%q, c.data)
]]):format(MSEED, T.tmp("seis_warn.npy")))
fh:close()
local p = io.popen(("'%s' '%s' 2>&1 >/dev/null"):format(exe, prog))
local errtext = p:read("a")
p:close()
local want = "Trace.filter: warning: Selected high corner frequency (0.5) of bandpass is at or above Nyquist (0.5). Applying a high-pass instead.\n"
T.eq(errtext, want, "the Nyquist warning is printed once")
near(np.load(T.tmp("seis_warn.npy")), F.bandpass_nyq, 1e-10, "bandpass at Nyquist is ObsPy's highpass")

T.err("Trace.filter: unknown filter type 'bandpas' (did you mean 'bandpass'?)", function() tr:copy():filter("bandpas", {freqmin = 1}) end)
T.err("Trace.filter('bandpass'): unknown option 'freq_min' (did you mean 'freqmin'?)", function() tr:copy():filter("bandpass", {freq_min = 0.1}) end)
T.err("Trace.filter: 'bandpass' needs freqmin and freqmax", function() tr:copy():filter("bandpass", {freqmin = 0.1}) end)
T.err("Trace.filter: the corner frequency 0.6 Hz is at or above the Nyquist frequency 0.5 Hz", function() tr:copy():filter("lowpass", 0.6) end)
T.err("Trace.filter: the corner frequency 0.5 Hz is at or above the Nyquist frequency 0.5 Hz", function() tr:copy():filter("highpass", 0.5) end)
T.err("Trace.filter: freqmin (0.2 Hz) must be below freqmax (0.1 Hz)", function() tr:copy():filter("bandpass", 0.2, 0.1) end)
T.err("Trace.filter: ftype 'cheby1' needs rp", function() tr:copy():filter("lowpass", 0.1, {ftype = "cheby1"}) end)
T.err("Trace.filter: unknown ftype 'buter' (did you mean 'butter'?)", function() tr:copy():filter("lowpass", 0.1, {ftype = "buter"}) end)
T.err("Trace.filter: freqmin must be positive", function() tr:copy():filter("bandpass", 0, 0.1) end)
T.err("Trace.detrend: unknown detrend type 'lineer' (did you mean 'linear'?)", function() tr:copy():detrend("lineer") end)
T.err("Trace.detrend: type 'polynomial' needs order", function() tr:copy():detrend("polynomial") end)
T.err("Trace.taper: unknown taper type 'han' (did you mean 'hann'?)", function() tr:copy():taper(0.05, "han") end)
T.err("Trace.taper: 'side' has to be one of", function() tr:copy():taper(0.05, {side = "middle"}) end)
T.err("Trace.taper: the 'gaussian' taper needs std", function() tr:copy():taper(0.05, "gaussian") end)
T.err("Trace.decimate: Decimation_factor must be an integer! (got 2.0; write 2)", function() tr:copy():decimate(2.0) end)
T.err("Trace.decimate: End time of trace would change and strict_length=True.", function() tr:copy():decimate(11, {strict_length = true}) end)
T.err("Trace.decimate: Automatic filter design is unstable for decimation factors above 16", function() tr:copy():decimate(17) end)
T.err("Trace.resample: End time of trace would change and strict_length=True.", function() tr:copy():resample(0.3, {strict_length = true}) end)
T.err("Trace.resample: unknown option 'windw' (did you mean 'window'?)", function() tr:copy():resample(0.5, {windw = "hann"}) end)
T.err("Trace.resample: Window has the wrong shape", function() tr:copy():resample(0.5, {window = np.ones{5}}) end)
T.err("Stream.filter: unknown filter type", function() st:copy():filter("nope") end)
T.err("Stream.normalize: unknown option 'global'", function() st:copy():normalize{global = true} end)
T.err("Trace.detrend: call it on a Trace with ':'", function() tr.detrend("linear") end)
local gappy = seis.read("tests/fixtures/seis/mseed/gaps.mseed"):merge()
T.ok(gappy[1].data:isnan():any(), "merged gaps are NaN")
T.err("Stream.filter: the trace has NaN samples (gaps left by st:merge?)", function() gappy:copy():filter("lowpass", 1.0) end)
T.err("Trace.detrend: the trace has NaN samples", function() gappy[1]:copy():detrend("linear") end)
T.err("Trace.decimate: the trace has NaN samples", function() gappy[1]:copy():decimate(2) end)
T.ok(gappy[1]:copy():decimate(2, {no_filter = true}) ~= nil, "decimate without the filter takes gaps, as ObsPy")
T.err("Trace.integrate: method 'spline' is not available yet", function() tr:copy():integrate("spline") end)

-- junk arguments: an error names the method, never an internal one
local INTERNAL = {"attempt to", "[geolab.", "table index is nil", "bad argument"}
local junk = {{}, {"x"}, {{}}, {true}, {0 / 0}, {-1}, {{"x"}}, {np.zeros{3}}, {"x", "x"}, {1, 2, 3, 4, 5, 6},
  {{bogus = 1}}, {function() end}, {0.1, {bogus = 1}}, {"bandpass", {freqmin = "a", freqmax = {}}}}
local methods = {"detrend", "taper", "filter", "resample", "decimate", "differentiate", "integrate",
  "trigger", "normalize", "std", "spectrogram", "plot"}
for _, name in ipairs(methods) do
  for _, args in ipairs(junk) do
    for _, obj in ipairs{tr, st} do
      local cls = obj == tr and "Trace" or "Stream"
      local target = obj:copy()
      if cls == "Trace" and target[name] == nil then break end
      -- a figure without outfile is shown (written under $TMPDIR): not here
      if (name == "plot" or name == "spectrogram") and (args[1] == nil or type(args[1]) == "table" and next(args[1]) == nil) then
        args = {{show = false}}
      end
      local ok, e = pcall(function() return target[name](target, table.unpack(args, 1, 6)) end)
      if not ok then
        e = tostring(e)
        local bad = not e:find(cls .. "." .. name, 1, true)
        for _, s in ipairs(INTERNAL) do if e:find(s, 1, true) then bad = true end end
        T.ok(not bad, ("%s.%s with junk: %s"):format(cls, name, e))
      end
    end
  end
end
-- }=====

-- {===== figures
local out = T.tmp("seis_spectrogram.png")
os.remove(out)
local fig = tr:spectrogram{outfile = out, title = tr.id}
T.ok(fig ~= nil and fig.savefig ~= nil, "spectrogram returns the figure")
local img = plt.imread(out)
T.eq(img.shape[1], 480, "spectrogram PNG height (6.4 x 4.8 in at 100 dpi)")
T.eq(img.shape[2], 640, "spectrogram PNG width")
T.ok(img:std() > 0.05, "spectrogram PNG is not blank")
local out2 = T.tmp("seis_spectrogram_log.png")
os.remove(out2)
tr:spectrogram{outfile = out2, log = true, dbscale = true, wlen = 200, per_lap = 0.5}
T.ok(plt.imread(out2):std() > 0.05, "log/dB spectrogram PNG is not blank")
T.err("Trace.spectrogram: Input signal too short", function() tr:spectrogram{wlen = 10000} end)
T.err("Trace.spectrogram: unknown option 'wlenn' (did you mean 'wlen'?)", function() tr:spectrogram{wlenn = 10} end)

local out3 = T.tmp("seis_stream_plot.png")
os.remove(out3)
local three = seis.read("tests/fixtures/seis/mseed/testdata-3channel-signal.mseed2")
T.eq(#three, 3, "three channels")
fig = three:plot{outfile = out3}
T.ok(fig ~= nil, "st:plot returns the figure")
img = plt.imread(out3)
T.eq(img.shape[1], 750, "st:plot PNG height: 250 px per trace")
T.eq(img.shape[2], 800, "st:plot PNG width: 800 px")
T.ok(img:std() > 0.05, "st:plot PNG is not blank")
-- }=====

-- {===== help: a method's entry is its definition line in docs/seismic.md
local H = require "geolab.help"
T.ok(H.text(tr.filter):find('^seis%.Trace%.filter  %(docs/seismic%.md, "Filters"%)'), H.text(tr.filter):sub(1, 80))
T.ok(H.text(tr.filter):find("`tr:filter(type", 1, true), "help(tr.filter) shows tr:filter's definition")
T.ok(H.text(st.decimate):find("^seis%.Stream%.decimate"), "help(st.decimate)")
T.ok(H.text("seis.Trace.resample"):find("`tr:resample(sampling_rate", 1, true), "help('seis.Trace.resample')")
-- }=====

-- {===== same numbers with 1 and 2 threads (FFTs, filters)
T.same_bits("seis_process", [[
  local tr = seis.read("tests/fixtures/seis/mseed/libmseed-doc_test.mseed")[1]
  return {bp = tr:copy():filter("bandpass", {freqmin = 0.01, freqmax = 0.1, zerophase = true}).data,
    rs = tr:copy():resample(0.37).data, dec = tr:copy():decimate(4).data}
]])
-- without outfile the figure is shown, as ObsPy's: plt.show() writes it
local showdir = T.tmp("seis_show")
os.execute("rm -rf '" .. showdir .. "' && mkdir -p '" .. showdir .. "'")
local sp = io.popen(("GEOLAB_SHOW_DIR='%s' '%s' -e 'seis.read(%q):plot()' 2>&1"):format(showdir, exe, MSEED))
local shown = sp:read("a")
sp:close()
T.ok(shown:find("geolab-figure-1.png", 1, true) ~= nil, "st:plot() prints the shown figure's path: " .. shown)
local png = io.open(showdir .. "/geolab-figure-1.png", "rb")
T.ok(png ~= nil and png:read(8) == "\137PNG\r\n\26\n", "st:plot() wrote the shown figure")
if png then png:close() end
T.ok(tr:spectrogram{show = false} ~= nil, "show = false returns the figure only")
-- }=====

print("agreement (max error / max |reference|): " .. table.concat(worst, ", "))
T.done()
