-- signal_complex.lua: the complex results of the signal module (hilbert,
-- zpk designs, stft, spectrogram's complex/angle/phase modes, istft) against
-- scipy.signal 1.10.1 (tests/fixtures/signal/gen_complex.py).
local T = require "testlib"
local F = np.load("tests/fixtures/signal/complex.npz")
local x, X2 = F.x, F.X2

-- hilbert to 1e-12 of the largest value (issue 13): FFTW and pocketfft
-- round differently, so small outputs carry errors of the large ones
local function close_max(got, want, msg, tol)
  T.eq(got.dtype, want.dtype, msg .. " dtype")
  T.eq(T.show(got.shape), T.show(want.shape), msg .. " shape")
  T.close(got, want, 0, (tol or 1e-12) * np.abs(want):max(), msg)
end

-- {===== hilbert
close_max(signal.hilbert(x), F.hilbert, "hilbert")
close_max(signal.hilbert(x[{{1, 599}}]), F.hilbert_odd, "hilbert odd")
close_max(signal.hilbert(x, 640), F.hilbert_N, "hilbert N")
close_max(signal.hilbert(x, {N = 501}), F.hilbert_Nshort, "hilbert N < n")
close_max(signal.hilbert(X2:transpose(), {axis = 0}), F.hilbert_axis0, "hilbert axis 0")
close_max(signal.hilbert(X2), F.hilbert_2d, "hilbert rows")
close_max(signal.hilbert(X2:astype("float32")), F.hilbert_2d, "hilbert float32", 1e-6)  -- float32 input
T.close(signal.hilbert(x).real, x, 1e-12, 1e-12, "hilbert real part is x")
T.close(signal.envelope(X2), np.abs(F.hilbert_2d), 1e-12, 1e-12 * np.abs(F.hilbert_2d):max(), "envelope = |hilbert|")
-- envelope's magnitude is sqrt(re^2 + im^2), redone by hypot where the
-- squares would overflow or underflow: scaled inputs scale the envelope
local env = signal.envelope(X2)
for _, sc in ipairs{1e300, 1e-300, 2^-540} do
  T.close(signal.envelope(X2 * sc), env * sc, 1e-13, 0, ("envelope of x * %g"):format(sc))
end
local xi = x:copy(); xi[10] = math.huge
T.eq(np.isinf(signal.envelope(xi)):any(), true, "envelope of a signal with an inf")
T.eq(signal.envelope(np.zeros{8}):max(), 0, "envelope of zeros")
T.err("signal.hilbert: N must be positive, got 0", signal.hilbert, x, 0)
T.err("signal.hilbert: x is empty", signal.hilbert, np.zeros{0})
T.err("signal.hilbert: x must be real, got a complex128 array", signal.hilbert, F.hilbert)
T.err("signal.hilbert: axis 2 is out of bounds for array of dimension 2", signal.hilbert, X2, {axis = 2})
T.err("signal.hilbert: unknown option 'n' (did you mean 'N'?)", signal.hilbert, x, {n = 4})
T.same_bits("signal_hilbert", [[
  local X = np.random.Generator(1):normal(0, 1, {6, 50000})
  return {h = signal.hilbert(X), e = signal.envelope(X)}
]])
-- }=====

-- {===== zpk designs
local designs = {
  butter_low = function(o) return signal.butter(4, 0.2, o) end,
  butter_band = function(o) return signal.butter(3, {0.1, 0.4}, "bandpass", o) end,
  butter_high_fs = function(o) o.fs = 100; return signal.butter(2, 10, "highpass", o) end,
  butter_stop = function(o) return signal.butter(3, {0.2, 0.5}, "bandstop", o) end,
  cheby1_low = function(o) return signal.cheby1(4, 1, 0.3, o) end,
  cheby1_band = function(o) return signal.cheby1(3, 0.5, {0.1, 0.3}, "bandpass", o) end,
  bessel_low = function(o) return signal.bessel(4, 0.2, o) end,
  bessel_high_mag = function(o) o.norm = "mag"; return signal.bessel(3, 0.2, "high", o) end,
  bessel_band_delay = function(o) o.norm = "delay"; return signal.bessel(2, {0.2, 0.4}, "bandpass", o) end,
  cheby2_low = function(o) return signal.cheby2(3, 40, 0.3, o) end,
  cheby2_high = function(o) return signal.cheby2(4, 30, 0.4, "highpass", o) end,
  cheby2_band = function(o) return signal.cheby2(3, 40, {0.1, 0.3}, "bandpass", o) end,
}
-- sign bits of the imaginary parts (1/-0 is -inf), compared because NumPy
-- prints them: (0.69562574+0.j) and (0.69562574-0.j) are different lines
local function signs(v) return (1 / v.imag):lt(0):astype("float64") end
for name, f in pairs(designs) do
  local z, p, k = f{output = "zpk"}
  local key = "zpk_" .. name .. "_"
  T.eq(z.dtype, "complex128", name .. " z dtype")
  T.close(z, F[key .. "z"], 1e-12, 1e-14, name .. " z")
  T.close(p, F[key .. "p"], 1e-12, 1e-14, name .. " p")
  T.ok(math.type(k) == "float", name .. " k is a number")
  T.close(k, F[key .. "k"][1], 1e-12, 0, name .. " k")
  T.close(signs(z), F[key .. "zsign"], 0, 0, name .. " z signs")
  T.close(signs(p), F[key .. "psign"], 0, 0, name .. " p signs")
end
-- }=====

-- {===== stft, spectrogram modes, istft (1e-10, issue 13)
local f, t, Z = signal.stft(x)
T.close(f, F.stft_f, 1e-12, 0, "stft f"); T.close(t, F.stft_t, 1e-12, 0, "stft t")
close_max(Z, F.stft_Z, "stft", 1e-10)
f, t, Z = signal.stft(x, 50.0, {nperseg = 64, noverlap = 40, nfft = 100, detrend = "linear"})
T.close(f, F.stft2_f, 1e-12, 0, "stft2 f"); T.close(t, F.stft2_t, 1e-12, 0, "stft2 t")
close_max(Z, F.stft2_Z, "stft nfft detrend", 1e-10)
for _, b in ipairs{"even", "odd", "constant"} do
  close_max(select(3, signal.stft(x, {nperseg = 50, boundary = b})), F["stft_b_" .. b], "stft boundary " .. b, 1e-10)
end
_, t, Z = signal.stft(x, {nperseg = 50, boundary = false, padded = false})
T.close(t, F.stft_nob_t, 1e-12, 0, "stft no boundary t")
close_max(Z, F.stft_nob_Z, "stft no boundary", 1e-10)
close_max(select(3, signal.stft(x, 10.0, {nperseg = 64, scaling = "psd"})), F.stft_psd, "stft psd scaling", 1e-10)
f, _, Z = signal.stft(x, {nperseg = 31, return_onesided = false})
T.close(f, F.stft_two_f, 1e-12, 0, "stft twosided f")
close_max(Z, F.stft_two_Z, "stft twosided", 1e-10)
close_max(select(3, signal.stft(X2:transpose(), {nperseg = 40, axis = 0})), F.stft_axis0, "stft axis 0", 1e-10)
close_max(select(3, signal.stft(X2, {nperseg = 40})), F.stft_2d, "stft rows", 1e-10)
T.err("signal.stft: boundary must be one of 'even', 'odd', 'constant', 'zeros', got 'zero' (did you mean 'zeros'?)",
      signal.stft, x, {boundary = "zero"})
T.err("signal.stft: scaling must be one of 'spectrum', 'psd', got 'density'", signal.stft, x, {scaling = "density"})
T.err("signal.stft: x must be real", signal.stft, F.stft_Z)

for _, mode in ipairs{"complex", "magnitude", "angle", "phase"} do
  local _, _, S = signal.spectrogram(x, 20.0, {nperseg = 64, mode = mode})
  local want = F["spec_" .. mode]
  if mode == "angle" or mode == "phase" then
    -- angles of bins whose values are tiny differ by their relative error;
    -- every bin here is far from zero, so 1e-10 absolute holds
    T.eq(T.show(S.shape), T.show(want.shape), "spectrogram " .. mode .. " shape")
    T.close(S, want, 0, 1e-10, "spectrogram " .. mode)
  else
    close_max(S, want, "spectrogram " .. mode, 1e-10)
  end
end
T.close(select(3, signal.spectrogram(X2:transpose(), {nperseg = 32, axis = 0, mode = "phase"})), F.spec_phase_axis0,
        0, 1e-10, "spectrogram phase axis 0")
close_max(select(3, signal.spectrogram(x, {nperseg = 64, return_onesided = false})), F.spec_psd_two,
          "spectrogram twosided psd", 1e-10)
close_max(select(3, signal.spectrogram(x, {nperseg = 63, return_onesided = false, mode = "magnitude"})),
          F.spec_mag_two, "spectrogram twosided magnitude", 1e-10)

local _, _, Zi = signal.stft(x, {nperseg = 64})
local ti, xi = signal.istft(Zi, {nperseg = 64})
T.close(ti, F.istft_t, 1e-12, 0, "istft t"); T.close(xi, F.istft_x, 1e-10, 1e-12, "istft")
T.close(xi[{{1, 600}}], x, 1e-10, 1e-12, "istft inverts stft")
_, _, Zi = signal.stft(x, 10.0, {window = "hamming", nperseg = 50, noverlap = 30, scaling = "psd"})
ti, xi = signal.istft(Zi, 10.0, {window = "hamming", nperseg = 50, noverlap = 30, scaling = "psd"})
T.close(ti, F.istft2_t, 1e-12, 0, "istft2 t"); T.close(xi, F.istft2_x, 1e-10, 1e-12, "istft2")
ti, xi = signal.istft(select(3, signal.stft(X2, {nperseg = 40})), {nperseg = 40})
T.close(xi, F.istft_2d, 1e-10, 1e-12, "istft rows")
T.eq(ti.size, xi.shape[2], "istft times follow the time axis")
T.err("signal.istft: Input stft must be at least 2d!", signal.istft, np.zeros{4})
T.err("signal.istft: Must specify differing time and frequency axes!", signal.istft, Zi, {time_axis = 0, freq_axis = 0})
T.err("signal.istft: noverlap (64) must be less than nperseg (64)", signal.istft, Zi, {nperseg = 64, noverlap = 64})
-- float32 in, float32 (complex64) out, as scipy; geolab computes in double
local x32 = x:astype("float32")
local _, P32 = signal.welch(x32, {nperseg = 64})
T.eq(P32.dtype, "float32", "welch float32")
T.close(P32, select(2, signal.welch(x32:astype("float64"), {nperseg = 64})):astype("float32"), 0, 0,
        "welch float32 = its float64 result rounded")
T.eq(select(2, signal.periodogram(x32)).dtype, "float32", "periodogram float32")
T.eq(select(3, signal.spectrogram(x32, {nperseg = 64})).dtype, "float32", "spectrogram float32")
T.eq(select(3, signal.spectrogram(x32, {nperseg = 64, mode = "angle"})).dtype, "float32", "spectrogram angle float32")
local _, _, Z32 = signal.stft(x32, {nperseg = 64})
T.eq(Z32.dtype, "complex64", "stft float32")
T.eq(select(2, signal.istft(Z32, {nperseg = 64})).dtype, "float32", "istft complex64")
T.eq(select(2, signal.welch(np.arange(100))).dtype, "float64", "welch of integers is float64")
T.same_bits("signal_stft", [[
  local X = np.random.Generator(2):normal(0, 1, {3, 40000})
  local _, _, Z = signal.stft(X)
  local _, _, S = signal.spectrogram(X)
  return {z = Z, s = S}
]])
-- }=====

-- {===== freqz, sosfreqz (1e-12 of the largest value: scipy evaluates the
-- same polynomials, or for an FIR takes an FFT of b, which rounds differently)
local b, a = signal.butter(4, 0.2)
local w, h = signal.freqz(b, a)
T.close(w, F.freqz_w, 1e-15, 0, "freqz w"); close_max(h, F.freqz_h, "freqz h")
close_max(select(2, signal.freqz(b, a, 100, true)), F.freqz_whole, "freqz whole")
w, h = signal.freqz(b, a, 64, {fs = 100})
T.close(w, F.freqz_fs_w, 1e-15, 0, "freqz fs w"); close_max(h, F.freqz_fs_h, "freqz fs h")
close_max(select(2, signal.freqz(F.fir)), F.freqz_fir, "freqz FIR")
close_max(select(2, signal.freqz(b, a, {worN = np.array{0, 1, 2.5, 10}, fs = 50})), F.freqz_points_h, "freqz at frequencies")
w, h = signal.freqz(b, a, 9, {include_nyquist = true})
T.close(w, F.freqz_nyq_w, 1e-15, 0, "freqz include_nyquist w"); close_max(h, F.freqz_nyq_h, "freqz include_nyquist h")
-- scipy 1.10's FFT shortcut would give h at k*pi/9 with w at k*pi/8 here; geolab's h is at w
local _, hf = signal.freqz(F.fir, 1, 9, {include_nyquist = true})
T.close(np.abs(hf[9]), math.abs((F.fir * np.cos(np.arange(31) * math.pi)):sum()), 1e-12, 1e-15, "FIR at Nyquist")
local sos = signal.butter(4, {1, 10}, "bandpass", {fs = 100, output = "sos"})
w, h = signal.sosfreqz(sos, 256, {fs = 100})
T.close(w, F.sosfreqz_w, 1e-15, 0, "sosfreqz w"); close_max(h, F.sosfreqz_h, "sosfreqz h")
close_max(select(2, signal.sosfreqz(sos, 128, {whole = true})), F.sosfreqz_whole, "sosfreqz whole")
T.err("signal.freqz: worN must be nonnegative, got -1", signal.freqz, b, a, -1)
T.err("signal.freqz: plot= is not supported", signal.freqz, b, a, {plot = print})
T.err("signal.sosfreqz: sos must have shape (n_sections, 6)", signal.sosfreqz, np.ones{2, 5})
T.err("signal.sosfreqz: unknown option 'worn' (did you mean 'worN'?)", signal.sosfreqz, sos, {worn = 8})
-- }=====

T.done()
