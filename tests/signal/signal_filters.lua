-- signal_filters.lua: filter design and filtering against scipy.signal 1.10.1
-- (tests/fixtures/signal/gen_filters.py): designs to 1e-12, filters to 1e-10.
local T = require "testlib"
local F = np.load("tests/fixtures/signal/filters.npz")

-- {===== designs
local designs = {
  {"butter4_low", signal.butter, {4, 0.2}},
  {"butter3_high_fs", signal.butter, {3, 10.0, {btype = "highpass", fs = 100.0}}},
  {"butter4_band_fs", signal.butter, {4, {1.0, 10.0}, {btype = "bandpass", fs = 100.0}}},
  {"butter2_stop", signal.butter, {2, {0.2, 0.4}, "bandstop"}},
  {"butter7_low", signal.butter, {7, 0.05}},
  {"cheby1_4_low", signal.cheby1, {4, 1.0, 0.3}},
  {"cheby1_5_band", signal.cheby1, {5, 0.5, {0.1, 0.3}, "band"}},
  {"cheby1_3_high", signal.cheby1, {3, 2.0, 20.0, {btype = "hp", fs = 200.0}}},
  {"cheby1_2_stop", signal.cheby1, {2, 1.0, {0.3, 0.5}, {btype = "stop"}}},
  {"bessel4_low", signal.bessel, {4, 0.2}},
  {"bessel5_high", signal.bessel, {5, 0.3, "high"}},
  {"bessel3_band", signal.bessel, {3, {2.0, 8.0}, {btype = "bandpass", fs = 50.0}}},
  {"bessel4_delay", signal.bessel, {4, 0.2, {norm = "delay"}}},
  {"bessel6_mag", signal.bessel, {6, 0.25, {norm = "mag"}}},
  {"bessel8_low", signal.bessel, {8, 0.1}},
}
for _, d in ipairs(designs) do
  local name, f, args = d[1], d[2], d[3]
  local b, a = f(table.unpack(args))
  -- 'mag' Bessel: scipy's secant search stops at 1.48e-8, so its poles
  -- carry that search's rounding; we follow the same iteration (1e-14 seen)
  T.close(b, F[name .. "_b"], 1e-12, 1e-15, name .. " b")
  T.close(a, F[name .. "_a"], 1e-12, 1e-15, name .. " a")
  local last = args[#args]
  local sargs = {table.unpack(args)}
  if type(last) == "table" and last.btype or type(last) == "table" and last.norm then
    local o = {}
    for k, v in pairs(last) do o[k] = v end
    o.output = "sos"
    sargs[#sargs] = o
  else
    sargs[#sargs + 1] = {output = "sos"}
  end
  local sos = f(table.unpack(sargs))
  T.eq(sos.shape[1], F[name .. "_sos"].shape[1], name .. " sections")
  T.close(sos, F[name .. "_sos"], 1e-12, 1e-15, name .. " sos")
end
-- keywords of the Python form are accepted, positional ones included
T.close((signal.butter{N = 4, Wn = 0.2}), F.butter4_low_b)

-- }=====

-- {===== filtering
local x, X2 = F.x, F.X2
local b, a = F.butter4_low_b, F.butter4_low_a
local sos = F.butter4_band_fs_sos
T.close(signal.lfilter(b, a, x), F.lfilter, 1e-10, 1e-12, "lfilter")
local zi = signal.lfilter_zi(b, a)
T.close(zi, F.lfilter_zi, 1e-12, 0, "lfilter_zi")
local y, zf = signal.lfilter(b, a, x, {zi = zi * x[1]})
T.close(y, F.lfilter_withzi, 1e-10, 1e-12, "lfilter zi")
T.close(zf, F.lfilter_zf, 1e-10, 1e-12, "lfilter zf")
T.close(signal.sosfilt(sos, x), F.sosfilt, 1e-10, 1e-12, "sosfilt")
local szi = signal.sosfilt_zi(sos)
T.close(szi, F.sosfilt_zi, 1e-12, 1e-15, "sosfilt_zi")
y, zf = signal.sosfilt(sos, x, {zi = szi * x[1]})
T.close(y, F.sosfilt_withzi, 1e-10, 1e-12, "sosfilt zi")
T.close(zf, F.sosfilt_zf, 1e-10, 1e-12, "sosfilt zf")
T.close(signal.filtfilt(b, a, x), F.filtfilt, 1e-10, 1e-12, "filtfilt")
T.close(signal.filtfilt(b, a, x, {padtype = "even", padlen = 20}), F.filtfilt_even, 1e-10, 1e-12, "filtfilt even")
T.close(signal.filtfilt(b, a, x, {padtype = "constant"}), F.filtfilt_const, 1e-10, 1e-12, "filtfilt constant")
T.close(signal.filtfilt(b, a, x, {padtype = None}), F.filtfilt_none, 1e-10, 1e-12, "filtfilt no padding")
T.close(signal.sosfiltfilt(sos, x), F.sosfiltfilt, 1e-10, 1e-12, "sosfiltfilt")
T.close(signal.sosfiltfilt(sos, x, {padlen = 0}), F.sosfiltfilt_padlen0, 1e-10, 1e-12, "sosfiltfilt padlen 0")
T.close(signal.sosfiltfilt(F.cheby1_5_band_sos, x), F.sosfiltfilt_cheby, 1e-10, 1e-12, "sosfiltfilt cheby1")
T.close(signal.sosfiltfilt(F.butter2_stop_sos, X2:transpose(), {axis = 0}), F.sosfiltfilt_axis0, 1e-10, 1e-12, "axis 0")
T.close(signal.sosfilt(F.butter2_stop_sos, X2, {axis = 1}), F.sosfilt_axis1, 1e-10, 1e-12, "sosfilt axis 1")
T.close(signal.lfilter(F.cheby1_4_low_b, F.cheby1_4_low_a, X2:transpose(), {axis = 0}), F.lfilter_axis0, 1e-10, 1e-12, "lfilter axis 0")
T.close(signal.filtfilt(F.cheby1_4_low_b, F.cheby1_4_low_a, X2:transpose(), {axis = 0}), F.filtfilt_axis0, 1e-10, 1e-12, "filtfilt axis 0")
local zi2 = np.stack({szi, szi, szi}, 1)
zi2 = np.stack({signal.sosfilt_zi(F.butter2_stop_sos), signal.sosfilt_zi(F.butter2_stop_sos),
                signal.sosfilt_zi(F.butter2_stop_sos)}, 1)
y, zf = signal.sosfilt(F.butter2_stop_sos, X2, {axis = 1, zi = zi2})
T.close(y, F.sosfilt_zi_axis1, 1e-10, 1e-12, "sosfilt zi axis 1")
T.eq(zf.shape, F.sosfilt_zf_axis1.shape, "sosfilt zf shape")
T.close(zf, F.sosfilt_zf_axis1, 1e-10, 1e-12, "sosfilt zf axis 1")
T.close(signal.lfilter({0.25, 0.5, 0.25}, {1.0}, x), F.lfilter_fir, 1e-10, 1e-12, "FIR")
T.close(signal.lfilter({1.0, 2.0}, {2.0, -0.5}, x), F.lfilter_a0, 1e-10, 1e-12, "a[1] ~= 1")
-- }=====

-- {===== bad input
T.err("signal.butter: critical frequency 60 is at or above the Nyquist frequency fs/2 = 50",
      signal.butter, 4, 60, {fs = 100})
T.err("signal.butter: critical frequency 1 is at or above the Nyquist frequency 1", signal.butter, 4, 1)
T.err("signal.butter: filter critical frequencies must be greater than 0", signal.butter, 4, -0.1)
T.err("signal.butter: Wn[1] must be less than Wn[2]", signal.butter, 4, {0.3, 0.2}, "bandpass")
T.err("signal.butter: Wn must specify start and stop frequencies", signal.butter, 4, 0.3, "bandpass")
T.err("signal.butter: must specify a single critical frequency", signal.butter, 4, {0.1, 0.3})
T.err("signal.butter: 'bandpas' is an invalid bandtype", signal.butter, 4, 0.3, "bandpas")
T.err("signal.butter: unknown option 'ouput' (did you mean 'output'?)", signal.butter, 4, 0.3, {ouput = "sos"})
T.err("signal.butter: filter order N must be a nonnegative integer", signal.butter, 2.5, 0.3)
T.err("signal.cheby1: passband ripple rp (in dB) must be provided", signal.cheby1, {N = 4, Wn = 0.3})
T.err("signal.cheby1: critical frequency 55 is at or above the Nyquist frequency fs/2 = 50",
      signal.cheby1, 4, 1, {10, 55}, "bandpass", {fs = 100})
T.err("signal.bessel: critical frequency 50 is at or above the Nyquist frequency fs/2 = 50",
      signal.bessel, 4, 50, "highpass", {fs = 100})
-- scipy's message, then how long x is and where padlen came from
T.err("signal.sosfiltfilt: The length of the input vector x must be greater than padlen, which is 27 "
      .. "(x has 20 samples along the axis; padlen defaults to 3 times the number of filter taps)",
      signal.sosfiltfilt, sos, np.ones{20})
T.err("signal.filtfilt: The length of the input vector x must be greater than padlen, which is 15 (x has 10 samples",
      signal.filtfilt, b, a, np.ones{10})
T.err("signal.filtfilt: The length of the input vector x must be greater than padlen, which is 12 (x has 12 samples along the axis)",
      signal.filtfilt, b, a, np.ones{12}, {padlen = 12})
T.err("signal.sosfiltfilt: The length of the input vector x must be greater than padlen, which is 27 (x has 0 samples",
      signal.sosfiltfilt, sos, np.zeros{0})
T.err("signal.decimate: The length of the input vector x must be greater than padlen", signal.decimate, np.ones{20}, 4)
T.close(signal.filtfilt(b, a, np.ones{10}, {padtype = false}).size, 10, 0, 0, "padtype None needs no length")
-- NaN spreads as in scipy: from its position on through a causal IIR
-- filter, everywhere through a zero-phase one, over len(b) samples of an FIR
local xn = x:copy(); xn[7] = 0 / 0
local yn = signal.sosfilt(sos, xn)
T.close(yn[{{1, 6}}], F.sosfilt[{{1, 6}}], 1e-10, 1e-12, "sosfilt before the NaN")
T.eq(np.isnan(yn[{{7, -1}}]):all(), true, "sosfilt NaN from position 7 on")
T.eq(np.isnan(signal.lfilter(b, a, xn)[{{7, -1}}]):sum(), x.size - 6, "lfilter NaN from position 7 on")
T.eq(np.isnan(signal.sosfiltfilt(sos, xn)):all(), true, "sosfiltfilt all NaN")
T.eq(np.isnan(signal.filtfilt(b, a, xn)):all(), true, "filtfilt all NaN")
local fir = signal.lfilter({1, 1, 1}, {1}, np.array{1, 2, 3, 0 / 0, 5, 6, 7, 8})
T.close(fir, np.array{1, 3, 6, 0 / 0, 0 / 0, 0 / 0, 18, 21}, 0, 0, "FIR NaN spreads over len(b) samples")
T.err("signal.sosfilt: x must be real, got a complex128 array", signal.sosfilt, sos, np.zeros({4}, "complex128"))
T.err("signal.sosfilt: sos must have shape (n_sections, 6)", signal.sosfilt, np.ones{2, 5}, x)
T.err("signal.sosfilt: sos[:, 4] (a0 of each section) must be all ones", signal.sosfilt, np.zeros{1, 6}, x)
T.err("signal.sosfilt: axis 1 is out of bounds for array of dimension 1", signal.sosfilt, sos, x, {axis = 1})
T.err("signal.sosfiltfilt: axis -2 is out of bounds for array of dimension 1", signal.sosfiltfilt, sos, x, {axis = -2})
T.err("signal.filtfilt: axis must be an integer, got 0.5", signal.filtfilt, b, a, x, {axis = 0.5})
T.err("signal.lfilter: axis 2 is out of bounds for array of dimension 2", signal.lfilter, b, a, np.ones{2, 5}, {axis = 2})
T.eq(signal.lfilter(b, a, np.zeros{0}).size, 0, "lfilter of an empty signal is empty, as in scipy")
T.err("signal.lfilter: zi must have shape (4)", signal.lfilter, b, a, x, {zi = np.zeros{3}})
T.err("signal.filtfilt: padtype must be one of 'odd', 'even', 'constant'", signal.filtfilt, b, a, x, {padtype = "od"})
T.err("signal.filtfilt: method='gust' is not supported", signal.filtfilt, b, a, x, {method = "gust"})
T.err("signal.lfilter: a[1] must not be zero", signal.lfilter, {1}, {0, 1}, x)
-- }=====

T.same_bits("signal_sosfiltfilt", [[
local X = np.random.Generator(3):normal{size = {64, 4000}}
local sos = signal.butter(4, {0.05, 0.3}, "bandpass", {output = "sos"})
return {y = signal.sosfiltfilt(sos, X), z = signal.lfilter({1, 2}, {1, -0.5}, X)}
]])
T.done()
