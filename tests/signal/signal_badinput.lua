-- signal_badinput.lua: what the signal module does with empty signals, wrong
-- axes and NaN (issue 13, "Bad input"): an error naming the public function,
-- or, where scipy computes through NaN, the same NaN pattern as scipy.
local T = require "testlib"
local e = np.zeros{0}
local X = np.ones{3, 40}
local sos = signal.butter(4, {1, 10}, "bandpass", {fs = 100, output = "sos"})

-- {===== empty input
T.err("signal.welch: x is empty along axis 0", signal.welch, e)
T.err("signal.periodogram: x is empty along axis 0", signal.periodogram, e)
T.err("signal.spectrogram: x is empty along axis 0", signal.spectrogram, e)
T.err("signal.stft: x is empty along axis 0", signal.stft, e)
T.err("signal.welch: x is empty along axis 1", signal.welch, np.zeros{3, 0})
T.err("signal.hilbert: x is empty", signal.hilbert, e)
T.err("signal.envelope: x is empty", signal.envelope, e)
T.err("signal.resample: x is empty along axis 0", signal.resample, e, 5)
T.err("signal.sosfiltfilt: The length of the input vector x must be greater than padlen, which is 27 (x has 0 samples",
      signal.sosfiltfilt, sos, e)
T.err("signal.classic_sta_lta: the trace (0 samples) is shorter than nlta (5)", signal.classic_sta_lta, e, 2, 5)
T.err("signal.savgol_filter: if mode is 'interp', window_length (5) must be less than or equal to the size of x (0)",
      signal.savgol_filter, e, 5, 2)
-- scipy returns empty results for these; so does geolab
T.eq(signal.sosfilt(sos, e).size, 0, "sosfilt empty")
T.eq(signal.lfilter({1, 2}, {1, 0.5}, e).size, 0, "lfilter empty")
T.eq(signal.detrend(e).size, 0, "detrend empty")
T.eq(signal.find_peaks(e).size, 0, "find_peaks empty")
T.eq(signal.convolve(e, {1, 2}).size, 0, "convolve empty")
-- }=====

-- {===== axis out of range (NumPy's message, the function's name)
for _, c in ipairs{
  {"sosfilt", function() return signal.sosfilt(sos, X, {axis = 2}) end},
  {"sosfiltfilt", function() return signal.sosfiltfilt(sos, X, {axis = -3}) end},
  {"welch", function() return signal.welch(X, {axis = 2}) end},
  {"spectrogram", function() return signal.spectrogram(X, {axis = 2}) end},
  {"stft", function() return signal.stft(X, {axis = 2}) end},
  {"hilbert", function() return signal.hilbert(X, {axis = 2}) end},
  {"savgol_filter", function() return signal.savgol_filter(X, 5, 2, {axis = 2}) end},
  {"detrend", function() return signal.detrend(X, {axis = 2}) end},
  {"decimate", function() return signal.decimate(X, 2, {axis = 2}) end},
} do
  T.err("signal." .. c[1] .. ": axis ", c[2])
  T.err("is out of bounds for array of dimension 2", c[2])
end
T.err("signal.resample: axis -3 is out of bounds for array of dimension 2", signal.resample, X, 5, {axis = -3})
T.err("signal.welch: axis must be an integer, got 1.5", signal.welch, X, {axis = 1.5})
T.err("signal.istft: axis 3 is out of bounds for array of dimension 2", signal.istft, np.zeros({5, 4}, "complex128"),
      {time_axis = 3})
-- }=====

-- {===== NaN: scipy computes through it, and so does geolab (docs/signal.md)
local xn = np.sin(np.arange(100) * 0.1); xn[50] = 0 / 0
local _, P = signal.welch(xn)
T.eq(np.isnan(P):all(), true, "welch: the one segment holds the NaN")
local _, _, S = signal.spectrogram(xn, {nperseg = 20, noverlap = 0})
T.eq(np.isnan(S):sum(0):totable(), {0, 0, 11, 0, 0}, "spectrogram: only segment 3 is NaN")
T.eq(np.isnan(signal.hilbert(xn)):all(), true, "hilbert: every output depends on every input")
T.eq(np.isnan(signal.decimate(xn, 2)):all(), true, "decimate (zero phase): all NaN")
local causal = signal.decimate(xn, 2, {zero_phase = false})
T.eq(np.isnan(causal):sum(), 25, "decimate causal: NaN from sample 50 on (outputs 26..50)")
T.err("signal.find_peaks: x contains NaN at position 50", signal.find_peaks, xn)
-- }=====

T.done()
