# bench/frame_csv.py: pandas side of bench/frame_csv.lua (same files).
import glob, os, time
import pandas as pd

from common import quick, result, timer
best = timer(reps=5)

def check(case, df):   # as bench/frame_csv.lua's
    print("CHECK %s rows %d" % (case, len(df)))
    for c in df.columns:
        print("CHECK %s count_%s %d" % (case, c, df[c].count()))
        print("CHECK %s sum_%s %.17g rtol=1e-9" % (case, c, df[c].sum()))

out = {}
def keep(f): return lambda: out.__setitem__("r", f())

result("read_csv_numeric_1Mx4", best(keep(lambda: pd.read_csv("bench/out/numeric_1M.csv"))))
check("read_csv_numeric_1Mx4", out["r"])
files = sorted(glob.glob("data/calibration/hydrology/*.csv.gz"))
def read_hydro():
    return pd.concat([pd.read_csv(f, comment="#", na_values=[-30000, "NAN", 1e10],
                                  parse_dates=["datetime"], index_col="datetime") for f in files])
hydro = None
def rh():
    global hydro
    hydro = read_hydro()
result("read_csv_hydrology_8_files", best(rh))
check("read_csv_hydrology_8_files", hydro)
result("resample_1min_mean_interpolate", best(keep(lambda: hydro.resample("1min").mean().interpolate(limit=10))))
check("resample_1min_mean_interpolate", out["r"])
