-- signal_misc.lua: savgol_filter, medfilt, convolve/correlate/fftconvolve,
-- resample, decimate, envelope against scipy.signal 1.10.1, and STA/LTA and
-- trigger_onset against ObsPy's algorithms (tests/fixtures/signal/gen_misc.py).
local T = require "testlib"
local F = np.load("tests/fixtures/signal/misc.npz")
local x, X2 = F.x, F.X2

-- {===== smoothing
T.close(signal.savgol_filter(x, 11, 3), F.sg_11_3, 1e-10, 1e-12, "savgol 11 3")
T.close(signal.savgol_filter(x, 21, 2, {deriv = 1, delta = 0.5}), F.sg_21_2_d1, 1e-10, 1e-12, "savgol deriv 1")
T.close(signal.savgol_filter(x, 7, 4, {deriv = 2}), F.sg_7_4_d2, 1e-10, 1e-12, "savgol deriv 2")
for _, mode in ipairs{"mirror", "constant", "nearest", "wrap"} do
  T.close(signal.savgol_filter(x, 15, 3, {mode = mode, cval = 0.5}), F["sg_mode_" .. mode], 1e-10, 1e-12, "savgol " .. mode)
end
T.close(signal.savgol_filter(X2:transpose(), 9, 2, {axis = 0}), F.sg_axis0, 1e-10, 1e-12, "savgol axis 0")
T.err("signal.savgol_filter: polyorder (5) must be less than window_length (5)", signal.savgol_filter, x, 5, 5)
T.err("signal.savgol_filter: if mode is 'interp', window_length (11) must be less than or equal to the size of x (5)",
      signal.savgol_filter, np.ones{5}, 11, 2)
T.err("signal.savgol_filter: mode must be one of", signal.savgol_filter, x, 5, 2, {mode = "reflect"})
T.close(signal.medfilt(x), F.medfilt_3, 0, 0, "medfilt 3")
T.close(signal.medfilt(x, 15), F.medfilt_15, 0, 0, "medfilt 15")
T.err("signal.medfilt: kernel_size should be odd", signal.medfilt, x, 4)
-- }=====

-- {===== convolution
local w = F.w
for _, mode in ipairs{"full", "same", "valid"} do
  T.close(signal.convolve(x, w, mode, {method = "direct"}), F["conv_" .. mode], 1e-12, 1e-12, "convolve " .. mode)
  T.close(signal.convolve(x, w, mode, {method = "fft"}), F["conv_" .. mode], 1e-10, 1e-12, "convolve fft " .. mode)
  T.close(signal.correlate(x, w, mode), F["corr_" .. mode], 1e-10, 1e-12, "correlate " .. mode)
  T.close(signal.fftconvolve(x, X2[1], mode), F["fftconv_" .. mode], 1e-10, 1e-12, "fftconvolve " .. mode)
  T.close(signal.convolve(w, x, mode), F["conv_swap_" .. mode], 1e-10, 1e-12, "convolve short first " .. mode)
end
T.err("signal.convolve: mode must be one of 'full', 'same', 'valid'", signal.convolve, x, w, "vaild")
-- }=====

-- {===== resampling
T.close(signal.resample(x, 250), F.resample_down, 1e-10, 1e-12, "resample down")
T.close(signal.resample(x, 1001), F.resample_up, 1e-10, 1e-12, "resample up")
T.close(signal.resample(x[{{1, 599}}], 300), F.resample_odd, 1e-10, 1e-12, "resample odd")
local y, t = signal.resample(x, 200, {t = np.arange(600) * 0.01 + 2.0})
T.close(y, F.resample_t_y, 1e-10, 1e-12, "resample with t"); T.close(t, F.resample_t_t, 1e-12, 1e-12, "new t")
T.close(signal.resample(X2, 50, {axis = 1}), F.resample_axis1, 1e-10, 1e-12, "resample axis 1")
T.close(signal.decimate(x, 4), F.decimate_4, 1e-10, 1e-12, "decimate 4")
T.close(signal.decimate(x, 3, 6, {zero_phase = false}), F.decimate_3_n6, 1e-10, 1e-12, "decimate causal")
T.err("signal.decimate: ftype='fir' is not supported", signal.decimate, x, 4, {ftype = "fir"})
T.close(signal.resample_poly(x, 3, 2), F.rp_3_2, 1e-10, 1e-12, "resample_poly 3/2")
T.close(signal.resample_poly(x, 1, 4), F.rp_1_4, 1e-10, 1e-12, "resample_poly 1/4")
T.close(signal.resample_poly(x, 5, 3, {padtype = "mean"}), F.rp_5_3_mean, 1e-10, 1e-12, "resample_poly mean")
T.close(signal.resample_poly(x, 2, 1, {window = "hamming"}), F.rp_2_1_hamming, 1e-10, 1e-12, "resample_poly hamming")
T.close(signal.resample_poly(X2, 2, 3, {axis = 1}), F.rp_axis1, 1e-10, 1e-12, "resample_poly axis 1")
T.close(signal.resample_poly(x, 3, 4, {window = signal.firwin(31, 0.2)}), F.rp_window_array, 1e-10, 1e-12, "resample_poly taps")
T.close(signal.firwin(31, 0.3), F.firwin_31, 1e-12, 1e-15, "firwin")
T.close(signal.firwin(21, 10.0, {pass_zero = false, fs = 100.0}), F.firwin_hp, 1e-12, 1e-15, "firwin highpass")
T.close(signal.firwin(41, {0.2, 0.5}, {pass_zero = false, window = {"kaiser", 6.0}}), F.firwin_bp, 1e-12, 1e-15, "firwin bandpass")
T.close(signal.firwin(41, {0.2, 0.5}, {window = "blackman"}), F.firwin_bs, 1e-12, 1e-15, "firwin bandstop")
T.close(signal.windows.kaiser(16, 5.0), F.kaiser_16, 1e-12, 1e-15, "kaiser")
T.close(signal.windows.kaiser(15, 8.6, {sym = false}), F.kaiser_15_p, 1e-12, 1e-15, "kaiser periodic")
T.err("signal.firwin: a filter with an even number of coefficients must have zero response at the Nyquist frequency",
      signal.firwin, 20, 0.3, {pass_zero = false})
T.err("signal.resample_poly: up and down must be >= 1", signal.resample_poly, x, 0, 2)
T.close(signal.envelope(x), F.envelope, 1e-10, 1e-12, "envelope")
T.close(signal.envelope(x, {N = 640}), F.envelope_N, 1e-10, 1e-12, "envelope N")
-- }=====

-- {===== STA/LTA (ObsPy)
local tr = F.trace
-- running sums (Kahan-compensated) against direct window sums: 1e-10
T.close(signal.classic_sta_lta(tr, 20, 200), F.classic, 1e-10, 1e-12, "classic sta/lta")
T.close(signal.recursive_sta_lta(tr, 20, 200), F.recursive, 1e-12, 0, "recursive sta/lta")
T.eq(signal.trigger_onset(F.classic, 3.0, 1.0):totable(), (F.onset_classic + 1):totable(), "onsets")
T.eq(signal.trigger_onset(F.recursive, 2.5, 0.8):totable(), (F.onset_recursive + 1):totable(), "onsets recursive")
T.eq(signal.trigger_onset(F.classic, 3.0, 1.0, {max_len = 30}):totable(), (F.onset_maxlen + 1):totable(), "max_len")
T.eq(signal.trigger_onset(F.classic, 3.0, 1.0, {max_len = 60, max_len_delete = true}).shape[1], 0, "max_len_delete")
T.eq(signal.trigger_onset(F.classic, 100, 1).shape, np.zeros{0, 2}.shape, "no trigger")
T.err("signal.classic_sta_lta: the trace (100 samples) is shorter than nlta (200)", signal.classic_sta_lta, tr[{{1, 100}}], 20, 200)
T.err("signal.recursive_sta_lta: nsta (200) must be shorter than nlta (20)", signal.recursive_sta_lta, tr, 200, 20)
-- }=====
T.done()
