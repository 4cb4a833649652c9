# bench/nn_mlp_step.py: PyTorch side of bench/nn_mlp_step.lua: one training
# step of the course MLP (784-48-10, batch 64, float32): forward, cross
# entropy, backward, SGD; 2 threads, OpenBLAS on one; the data and initial
# weights nn_mlp_step.lua saved, and the same CHECK lines.
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import time
import numpy as np
import torch

torch.set_num_threads(2)


def best(f, reps, inner):
    m = float("inf")
    for _ in range(1 if os.environ.get("BENCH_QUICK", "0") != "0" else reps):
        t = time.perf_counter()
        for _ in range(inner):
            f()
        m = min(m, (time.perf_counter() - t) / inner)
    return m * 1000


def result(case, ms): print("RESULT %s %.4f" % (case, ms))


model = torch.nn.Sequential(torch.nn.Linear(784, 48), torch.nn.ReLU(), torch.nn.Linear(48, 10))
z = np.load("bench/out/nn_mlp_step.npz")
model.load_state_dict({k: torch.from_numpy(z[k]) for k in z.files if k not in ("X", "y")}, strict=True)
X = torch.from_numpy(z["X"])
y = torch.from_numpy(z["y"] - 1)
lossf = torch.nn.CrossEntropyLoss()
with torch.no_grad():
    for case in ("mlp_forward_64", "mlp_train_step_64"):
        print("CHECK %s loss_at_init %.9g rtol=1e-5" % (case, lossf(model(X), y).item()))
        print("CHECK %s sum_abs_logits %.9g rtol=1e-5" % (case, model(X).double().abs().sum().item()))
opt = torch.optim.SGD(model.parameters(), lr=0.01)


def step():
    loss = lossf(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()


def forward():
    with torch.no_grad():
        model(X)


result("mlp_forward_64", best(forward, 5, 200))
result("mlp_train_step_64", best(step, 5, 200))
