# bench/array_core.py: NumPy side of bench/array_core.lua.
import subprocess, sys, time
import numpy as np

def best(f, reps=10):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms))

result("startup", best(lambda: subprocess.run([sys.executable, "-c", "import numpy"]), 20))
n = 10_000_000
a, b, c = np.ones(n), np.ones(n) * 2, np.ones(n) * 3
result("a*b+c_10M_float64", best(lambda: a * b + c))
result("sqrt_10M_float64", best(lambda: np.sqrt(b)))
m = np.ones((4000, 4000)) * 0.5
for ax in (0, 1):
    result("sum_axis%d_4000x4000" % ax, best(lambda: m.sum(axis=ax)))
    result("mean_axis%d_4000x4000" % ax, best(lambda: m.mean(axis=ax)))
    result("std_axis%d_4000x4000" % ax, best(lambda: m.std(axis=ax)))
result("sum_all_4000x4000", best(lambda: m.sum()))
x = np.ones((2000, 2000)) * 0.5
result("matmul_2000x2000", best(lambda: x @ x, 5))
