-- bench/signal_scipy.lua: signal targets of issue 13 (paired with bench/signal_scipy.py):
-- rfft of 2^20 samples, 4th-order bandpass sosfiltfilt of 10^6 samples,
-- hilbert of 2^20, spectrogram of one day at 100 Hz (8.64e6 samples, scipy's
-- defaults: nperseg 256, Tukey window, noverlap 32). Each call runs once
-- untimed (FFTW plans, like pocketfft's cache on the Python side), then 3
-- times; the median is reported. The inputs and one result of each case are
-- saved to bench/out/ for signal_scipy.py, which checks them against scipy.
local function median3(f)
  f()
  local t = {}
  for i = 1, 3 do
    collectgarbage()
    local t0 = os.perf_counter(); f(); t[i] = os.perf_counter() - t0
  end
  table.sort(t)
  return t[2] * 1000
end
local function result(case, ms) print(("RESULT %s %.3f"):format(case, ms)) end
os.execute("mkdir -p bench/out")

-- a seismogram-like day: noise, a few tones, a slow drift
local n = (os.getenv("BENCH_QUICK") or "0") ~= "0" and 1 << 21 or 8640000
local g = np.random.Generator(13)
local t = np.arange(n) / 100
local day = g:normal(0, 1, {n}) + np.sin(t * (2 * math.pi * 2.5)) * 3 + np.sin(t * (2 * math.pi * 0.01)) * 10
np.save("bench/out/signal_day.npy", day)
local x20 = day[{{1, 1 << 20}}]:copy()
local x6 = day[{{1, 1000000}}]:copy()

local r
result("rfft_2^20", median3(function() r = np.fft.rfft(x20) end))
np.save("bench/out/signal_rfft.npy", r)

local sos = signal.butter(4, {1, 10}, "bandpass", {fs = 100, output = "sos"})
result("sosfiltfilt_bandpass4_1e6", median3(function() r = signal.sosfiltfilt(sos, x6) end))
np.save("bench/out/signal_sosfiltfilt.npy", r)

result("hilbert_2^20", median3(function() r = signal.hilbert(x20) end))
np.save("bench/out/signal_hilbert.npy", r)

local f, tt
result("spectrogram_day_100Hz", median3(function() f, tt, r = signal.spectrogram(day, 100) end))
np.save("bench/out/signal_spectrogram.npy", r)
