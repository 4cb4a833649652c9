# bench/frame_csv.py: pandas side of bench/frame_csv.lua (same files).
import glob, time
import pandas as pd

def best(f, reps=5):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms))

result("read_csv_numeric_1Mx4", best(lambda: pd.read_csv("bench/out/numeric_1M.csv")))
files = sorted(glob.glob("data/calibration/hydrology/*.csv.gz"))
def read_hydro():
    return pd.concat([pd.read_csv(f, comment="#", na_values=[-30000, "NAN", 1e10],
                                  parse_dates=["datetime"], index_col="datetime") for f in files])
hydro = None
def rh():
    global hydro
    hydro = read_hydro()
result("read_csv_hydrology_8_files", best(rh))
result("resample_1min_mean_interpolate", best(lambda: hydro.resample("1min").mean().interpolate(limit=10)))
