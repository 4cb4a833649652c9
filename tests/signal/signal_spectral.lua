-- signal_spectral.lua: windows, detrend, cosine taper and spectral estimates
-- against scipy.signal 1.10.1 and ObsPy's cosine_taper algorithm
-- (tests/fixtures/signal/gen_spectral.py). Windows to 1e-12, spectra to 1e-10.
local T = require "testlib"
local F = np.load("tests/fixtures/signal/spectral.npz")
local w = signal.windows

-- {===== windows
for _, M in ipairs{1, 2, 7, 16} do
  for _, sym in ipairs{true, false} do
    local s = sym and "s" or "p"
    local o = {sym = sym}
    local function chk(name, got) T.close(got, F[("%s_%d_%s"):format(name, M, s)], 1e-12, 1e-15, name .. " " .. M .. s) end
    chk("hann", w.hann(M, o)); chk("hamming", w.hamming(M, o)); chk("blackman", w.blackman(M, o))
    chk("cosine", w.cosine(M, o)); chk("tukey", w.tukey(M, o)); chk("tukey25", w.tukey(M, 0.25, o))
    chk("triang", w.triang(M, o)); chk("bartlett", w.bartlett(M, o)); chk("flattop", w.flattop(M, o))
    chk("gaussian", w.gaussian(M, 2.5, o))
  end
end
T.close(signal.get_window("hann", 64), F.gw_hann_64, 1e-12, 1e-15, "get_window hann")
T.close(signal.get_window({"tukey", 0.3}, 33), F.gw_tukey_33, 1e-12, 1e-15, "get_window tukey")
T.close(signal.get_window("hamming", 10, {fftbins = false}), F.gw_hamming_10_sym, 1e-12, 1e-15, "fftbins=false")
T.err("signal.get_window: unknown window type 'han5' (did you mean 'hann'?)", signal.get_window, "han5", 8)
T.err("signal.get_window: the 'gaussian' window needs a parameter", signal.get_window, "gaussian", 8)
T.err("signal.windows.hann: window length M must be a non-negative integer", w.hann, -1)
T.err("signal.windows.hann: unknown option 'sim' (did you mean 'sym'?)", w.hann, 8, {sim = false})
-- }=====

-- {===== cosine taper (ObsPy)
T.close(signal.cosine_taper(100, 0.1), F.taper_100_01, 1e-12, 1e-15, "taper 100")
T.close(signal.cosine_taper(101, 0.3), F.taper_101_03, 1e-12, 1e-15, "taper 101")
T.close(signal.cosine_taper(50, 1.0), F.taper_50_1, 1e-12, 1e-15, "taper p=1")
T.close(signal.cosine_taper(20, 0.05), F.taper_20_005, 1e-12, 1e-15, "taper short")
T.close(signal.cosine_taper(40, 0.2, {halfcosine = false}), F.taper_40_02_quarter, 1e-12, 1e-15, "quarter cosine")
T.close(signal.cosine_taper(40, 0.2, {sactaper = true}), F.taper_40_02_sac, 1e-12, 1e-15, "sactaper")
T.err("signal.cosine_taper: decimal taper percentage p must be between 0 and 1", signal.cosine_taper, 10, 1.5)
-- }=====

-- {===== detrend
local x, X2 = F.x, F.X2
T.close(signal.detrend(x), F.detrend_linear, 1e-10, 1e-12, "detrend linear")
T.close(signal.detrend(x, {type = "constant"}), F.detrend_constant, 1e-10, 1e-12, "detrend constant")
T.close(signal.detrend(x, {bp = {301, 651}}), F.detrend_bp, 1e-10, 1e-12, "detrend bp (1-based)")
T.close(signal.detrend(X2:transpose(), {axis = 0}), F.detrend_axis0, 1e-10, 1e-12, "detrend axis 0")
T.err("signal.detrend: trend type must be 'linear' or 'constant'", signal.detrend, x, {type = "quadratic"})
T.err("signal.detrend: breakpoints must be positions from 1 to 1001", signal.detrend, x, {bp = 2000})
-- }=====

-- {===== spectra
local f, P = signal.welch(x)
T.close(f, F.welch_f, 1e-12, 0, "welch f"); T.close(P, F.welch_P, 1e-10, 1e-14, "welch")
f, P = signal.welch(x, {fs = 100.0, nperseg = 128, noverlap = 100, nfft = 200, detrend = "linear",
  scaling = "spectrum", window = {"tukey", 0.3}})
T.close(f, F.welch2_f, 1e-12, 0, "welch2 f"); T.close(P, F.welch2_P, 1e-10, 1e-14, "welch2")
f, P = signal.welch(x, 10.0, {nperseg = 101, average = "median"})
T.close(f, F.welch_med_f, 1e-12, 0, "welch median f"); T.close(P, F.welch_med_P, 1e-10, 1e-14, "welch median")
f, P = signal.welch(x, {fs = 10.0, nperseg = 64, return_onesided = false})
T.close(f, F.welch_two_f, 1e-12, 0, "two-sided f"); T.close(P, F.welch_two_P, 1e-10, 1e-14, "two-sided")
f, P = signal.welch(X2, {nperseg = 64})
T.close(P, F.welch_2d_P, 1e-10, 1e-14, "welch rows")
f, P = signal.welch(X2:transpose(), {nperseg = 64, axis = 0})
T.eq(P.shape, F.welch_axis0_P.shape, "welch axis 0 shape")
T.close(P, F.welch_axis0_P, 1e-10, 1e-14, "welch axis 0")
f, P = signal.periodogram(x, 50.0)
T.close(f, F.per_f, 1e-12, 0, "periodogram f"); T.close(P, F.per_P, 1e-10, 1e-14, "periodogram")
f, P = signal.periodogram(x, {fs = 50.0, window = "hann", nfft = 1500, scaling = "spectrum", detrend = "linear"})
T.close(f, F.per2_f, 1e-12, 0, "periodogram2 f"); T.close(P, F.per2_P, 1e-10, 1e-14, "periodogram2")
f, P = signal.periodogram(x, {nfft = 777, detrend = false})
T.close(f, F.per3_f, 1e-12, 0, "periodogram3 f"); T.close(P, F.per3_P, 1e-10, 1e-14, "periodogram3")
local t, S
f, t, S = signal.spectrogram(x, 100.0)
T.close(f, F.spec_f, 1e-12, 0, "spectrogram f"); T.close(t, F.spec_t, 1e-12, 0, "spectrogram t")
T.eq(S.shape, F.spec_S.shape, "spectrogram shape")
T.close(S, F.spec_S, 1e-10, 1e-14, "spectrogram")
f, t, S = signal.spectrogram(x, {fs = 100.0, nperseg = 64, noverlap = 48, mode = "magnitude", window = "hann"})
T.close(t, F.specmag_t, 1e-12, 0, "magnitude t"); T.close(S, F.specmag_S, 1e-10, 1e-14, "magnitude")
f, t, S = signal.spectrogram(X2, {fs = 2.0, nperseg = 50, nfft = 64})
T.eq(S.shape, F.spec2d_S.shape, "spectrogram rows shape")
T.close(S, F.spec2d_S, 1e-10, 1e-14, "spectrogram rows"); T.close(t, F.spec2d_t, 1e-12, 0, "t rows")
T.err("signal.welch: noverlap (10) must be less than nperseg (10)", signal.welch, x, {nperseg = 10, noverlap = 10})
T.err("signal.welch: nfft (8) must be greater than or equal to nperseg (16)", signal.welch, x, {nperseg = 16, nfft = 8})
T.err("signal.welch: window is longer than input signal", signal.welch, np.ones{5}, {window = np.ones{8}})
T.err("signal.welch: scaling must be one of 'density', 'spectrum'", signal.welch, x, {scaling = "psd"})
T.err("signal.welch: unknown option 'nperseq' (did you mean 'nperseg'?)", signal.welch, x, {nperseq = 8})
T.err("signal.spectrogram: mode must be one of", signal.spectrogram, x, {mode = "power"})
-- }=====

T.same_bits("signal_welch", [[
local X = np.random.Generator(5):normal{size = {8, 20000}}
local f, P = signal.welch(X, {nperseg = 1024})
local _, _, S = signal.spectrogram(X[1], {nperseg = 256})
return {P = P, S = S}
]])
T.done()
