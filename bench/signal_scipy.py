# bench/signal_scipy.py: scipy side of bench/signal_scipy.lua, on the inputs it saved.
# Checks geolab's results against scipy's (the tolerances of issue 13): a
# VERIFIED line for bench/run.sh when they agree, an error when they differ.
import sys, time
import numpy as np
from scipy import signal

def median3(f):
    f()
    t = []
    for _ in range(3):
        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)
    return sorted(t)[1] * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms))

def check(case, got, want, tol):
    err = np.abs(got - want).max() / np.abs(want).max()
    if got.shape != want.shape or not err <= tol:
        raise SystemExit("bench/signal_scipy.py: %s differs from scipy (%s vs %s, %.2e)" % (case, got.shape, want.shape, err))
    print("VERIFIED %s result max|geolab-scipy|/max|scipy|=%.1e<=%.0e, shape %s" % (case, err, tol, "x".join(map(str, want.shape))))

day = np.load("bench/out/signal_day.npy")
x20 = day[:2 ** 20].copy()
x6 = day[:1000000].copy()
out = {}

result("rfft_2^20", median3(lambda: out.__setitem__("r", np.fft.rfft(x20))))
check("rfft_2^20", np.load("bench/out/signal_rfft.npy"), out["r"], 1e-12)

sos = signal.butter(4, [1, 10], "bandpass", fs=100, output="sos")
result("sosfiltfilt_bandpass4_1e6", median3(lambda: out.__setitem__("r", signal.sosfiltfilt(sos, x6))))
check("sosfiltfilt_bandpass4_1e6", np.load("bench/out/signal_sosfiltfilt.npy"), out["r"], 1e-10)

result("hilbert_2^20", median3(lambda: out.__setitem__("r", signal.hilbert(x20))))
check("hilbert_2^20", np.load("bench/out/signal_hilbert.npy"), out["r"], 1e-12)

result("spectrogram_day_100Hz", median3(lambda: out.__setitem__("r", signal.spectrogram(day, 100)[2])))
check("spectrogram_day_100Hz", np.load("bench/out/signal_spectrogram.npy"), out["r"], 1e-10)
