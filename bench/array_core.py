# bench/array_core.py: NumPy side of bench/array_core.lua (same inputs, same
# CHECK lines).
import os, subprocess, sys, time
import numpy as np

from common import quick, result, check, timer
best = timer(reps=10, quick_reps=2)

out = {}
def keep(f): return lambda: out.__setitem__("r", f())

result("startup", best(keep(lambda: subprocess.run([sys.executable, "-c", "import numpy"]).returncode), 20))
check("startup", "exit_status", out["r"])
n = 1_000_000 if quick else 10_000_000
a, b, c = np.ones(n), np.ones(n) * 2, np.ones(n) * 3
result("a*b+c_10M_float64", best(keep(lambda: a * b + c)))
check("a*b+c_10M_float64", "sum", out["r"].sum(), "rtol=1e-12")
result("sqrt_10M_float64", best(keep(lambda: np.sqrt(b))))
check("sqrt_10M_float64", "sum", out["r"].sum(), "rtol=1e-12")
k = 1000 if quick else 4000
m = ((np.arange(k * k) % 7) * 0.25).reshape(k, k)
for ax in (0, 1):
    for op in ("sum", "mean", "std"):
        case = "%s_axis%d_4000x4000" % (op, ax)
        result(case, best(keep(lambda: getattr(m, op)(axis=ax))))
        check(case, "sum", out["r"].sum(), "rtol=1e-12")
result("sum_all_4000x4000", best(keep(lambda: m.sum())))
check("sum_all_4000x4000", "value", out["r"], "rtol=1e-12")
x = ((np.arange(4_000_000) % 7) * 0.25).reshape(2000, 2000)
result("matmul_2000x2000", best(keep(lambda: x @ x), 5))
check("matmul_2000x2000", "sum", out["r"].sum(), "rtol=1e-12")
check("matmul_2000x2000", "r[7,13]", out["r"][6, 12], "rtol=1e-12")
