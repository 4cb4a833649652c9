# bench/nn_mlp_step.py: PyTorch side of bench/nn_mlp_step.lua: one training
# step of the course MLP (784-48-10, batch 64, float32): forward, cross
# entropy, backward, SGD; 2 threads, OpenBLAS on one.
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import time
import torch

torch.set_num_threads(2)


def best(f, reps, inner):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            f()
        m = min(m, (time.perf_counter() - t) / inner)
    return m * 1000


def result(case, ms): print("RESULT %s %.4f" % (case, ms))


torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(784, 48), torch.nn.ReLU(), torch.nn.Linear(48, 10))
X = torch.randn(64, 784)
y = torch.randint(0, 10, (64,))
lossf = torch.nn.CrossEntropyLoss()
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
