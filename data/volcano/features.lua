-- features.lua: the practical's feature recipe for one seismo-volcanic
-- event (scripts/02_volcano.lua, docs/tutorials/02_volcano.md, the bench):
-- the station with the largest peak amplitude, the event's span from the
-- class masks, and 14 features of the waveform cut to that span. NumPy/SciPy's
-- version of the same recipe is data/volcano/check_sklearn.py.
local V = {}
V.fs = 100                                            -- Hz
V.names = {"snr", "minimum", "peak_freq", "centroid", "spread", "entropy", "length",
  "kurtosis", "skewness", "sorted_width", "q25", "q50", "q75", "env_duration"}

-- The event's span: where any of the class masks (rows 10-14) is 1; the
-- first and last sample, 1-based.
function V.span(ev)
  local on = np.flatnonzero(ev[{{10, 14}}]:sum(0):gt(0))
  return on[1], on[-1]
end

-- The trace (float64) of the station with the largest peak amplitude, and
-- that station's number.
function V.pick(ev)
  local traces = ev[{{1, 8}}]:astype("float64")
  local best = np.abs(traces):max(1):argmax()
  return traces[best], best
end

-- The features of trace `tr` over samples a..b: SNR (peak over the standard
-- deviation outside the span), minimum, peak frequency, spectral centroid
-- and spread, spectral entropy, length (s), kurtosis, skewness, the width of
-- the sorted normalised values (90th minus 10th percentile), the spectral
-- quartiles (Hz), and the time the Savitzky-Golay-smoothed Hilbert envelope
-- stays above half its maximum (s).
function V.features(tr, a, b)
  local FS = V.fs
  local x = tr[{{a, b}}]
  local noise = np.concatenate{tr[{{1, a - 1}}], tr[{{b + 1, -1}}]}
  local n = #x
  local peak = np.abs(x):max()
  local psd = np.abs(np.fft.rfft(x)) ^ 2
  local f = np.fft.rfftfreq(n, 1 / FS)
  local total = psd:sum()
  local centroid = (f * psd):sum() / total
  local spread = math.sqrt(((f - centroid) ^ 2 * psd):sum() / total)
  local cum = np.cumsum(psd) / total
  local q = {}
  for k, p in ipairs{0.25, 0.5, 0.75} do q[k] = f[np.searchsorted(cum, p)] end
  local s = np.sort(x / peak)
  local width = s[math.floor(0.9 * (n - 1)) + 1] - s[math.floor(0.1 * (n - 1)) + 1]
  local env = signal.envelope(x)
  local win = math.min(101, n % 2 == 1 and n or n - 1)
  local smooth = win > 3 and signal.savgol_filter(env, win, 3) or env
  local duration = smooth:gt(0.5 * smooth:max()):sum() / FS
  return {peak / noise:std(), x:min(), f[psd:argmax()], centroid, spread, stats.entropy(psd),
    n / FS, stats.kurtosis(x), stats.skew(x), width, q[1], q[2], q[3], duration}
end

return V
