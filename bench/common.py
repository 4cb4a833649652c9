# bench/common.py: what every Python bench case shares with its geolab twin
# (bench/common.lua): the quick switch, the timer, and the RESULT and CHECK
# lines bench/run.sh reads. A case imports it (bench/ is the script's folder).
import os, time

quick = os.environ.get("BENCH_QUICK", "0") != "0"


def timer(reps=3, quick_reps=1):
    """best(f[, reps]): the fastest of reps runs of f in ms (quick_reps under BENCH_QUICK)."""
    def best(f, n=None):
        m = float("inf")
        for _ in range(quick_reps if quick else (n or reps)):
            t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
        return m * 1000
    return best


def result(case, ms):
    print("RESULT %s %.3f" % (case, ms), flush=True)


def check(case, what, v, tol=None):
    """A value both sides print; tol ("rtol=1e-9") when they may differ in rounding."""
    print("CHECK %s %s %.17g%s" % (case, what, v, " " + tol if tol else ""))
