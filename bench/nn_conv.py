# bench/nn_conv.py: PyTorch side of bench/nn_conv.lua: torch.nn.functional
# conv1d/conv2d forward + autograd backward in float32, 2 threads, OpenBLAS on
# one thread (PyTorch's pool and OpenBLAS's fight over 2 cores otherwise).
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)


def best(f, reps=10):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000


def result(case, ms): print("RESULT %s %.3f" % (case, ms))


g = torch.Generator().manual_seed(0)
CASES = [
    ("course_conv1_64x1x28x28", (64, 1, 28, 28), (3, 1, 3, 3), 2, False),
    ("course_conv2_64x3x15x15", (64, 3, 15, 15), (6, 3, 3, 3), 2, True),
    ("lenet_conv1_64x1x28x28", (64, 1, 28, 28), (32, 1, 3, 3), 0, False),
    ("lenet_conv2_64x32x26x26", (64, 32, 26, 26), (64, 32, 3, 3), 0, True),
    ("conv1d_32x3x8192_k11", (32, 3, 8192), (12, 3, 11), 5, False),
]
for name, xs, ws, p, needx in CASES:
    conv = F.conv1d if len(xs) == 3 else F.conv2d
    x = torch.randn(xs, generator=g).requires_grad_(needx)
    w = torch.randn(ws, generator=g).requires_grad_(True)
    b = torch.randn(ws[0], generator=g).requires_grad_(True)
    y = conv(x, w, b, padding=p)
    gy = torch.randn(y.shape, generator=g)
    inputs = [t for t in (x, w, b) if t.requires_grad]
    with torch.no_grad():
        result(name + "_fwd", best(lambda: conv(x, w, b, padding=p)))

    def fb():
        y = conv(x, w, b, padding=p)
        torch.autograd.grad(y, inputs, gy)
    result(name + "_fwd+bwd", best(fb))
