# bench/nn_conv.py: PyTorch side of bench/nn_conv.lua: torch.nn.functional
# conv1d/conv2d forward + autograd backward in float32, 2 threads, OpenBLAS on
# one thread (PyTorch's pool and OpenBLAS's fight over 2 cores otherwise), on
# the inputs nn_conv.lua saved; the same CHECK lines.
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import time
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)


from common import quick, result, timer
best = timer(reps=10, quick_reps=2)


def check(case, what, a):
    print("CHECK %s %s %.9g rtol=1e-4" % (case, what, a.detach().double().abs().sum().item()))



CASES = [
    ("course_conv1_64x1x28x28", (64, 1, 28, 28), (3, 1, 3, 3), 2, False),
    ("course_conv2_64x3x15x15", (64, 3, 15, 15), (6, 3, 3, 3), 2, True),
    ("lenet_conv1_64x1x28x28", (64, 1, 28, 28), (32, 1, 3, 3), 0, False),
    ("lenet_conv2_64x32x26x26", (64, 32, 26, 26), (64, 32, 3, 3), 0, True),
    ("conv1d_32x3x8192_k11", (32, 3, 8192), (12, 3, 11), 5, False),
]
for name, xs, ws, p, needx in CASES:
    conv = F.conv1d if len(xs) == 3 else F.conv2d
    z = np.load("bench/out/nn_conv_%s.npz" % name)
    x = torch.from_numpy(z["x"]).requires_grad_(needx)
    w = torch.from_numpy(z["w"]).requires_grad_(True)
    b = torch.from_numpy(z["b"]).requires_grad_(True)
    gy = torch.from_numpy(z["gy"])
    inputs = [t for t in (x, w, b) if t.requires_grad]
    out = {}
    with torch.no_grad():
        result(name + "_fwd", best(lambda: out.__setitem__("y", conv(x, w, b, padding=p))))
    check(name + "_fwd", "sum_abs_y", out["y"])

    def fb():
        y = conv(x, w, b, padding=p)
        out["g"] = torch.autograd.grad(y, inputs, gy)
    result(name + "_fwd+bwd", best(fb))
    grads = dict(zip([n for n, t in (("gx", x), ("gw", w), ("gb", b)) if t.requires_grad], out["g"]))
    for n in ("gx", "gw", "gb"):
        if n in grads:
            check(name + "_fwd+bwd", "sum_abs_" + n, grads[n])
