# bench/phasenet.py: PyTorch 1.13 (CPU) side of bench/phasenet.lua (issue 15):
# PhaseNet probabilities for one day of 3-component 100 Hz data (8,640,000
# samples per channel). The network is written here from the architecture in
# data/phasenet/README.md, with the weights read from the same npz as geolab's;
# before timing anything it must reproduce the reference probabilities of the
# README's independent implementation (reference_probs.npz) to 1e-4.
# The day is the one bench/phasenet.lua wrote (bench/out/phasenet_day.npy,
# float32 samples x 3), processed as geolab's picker:predict does: the
# README's long-record normalization (per-channel means and stds over
# 3000-sample windows at a 1500-sample hop, reflect padding, linear
# interpolation, 3/nonzero scaling), then 3000-sample windows at a fixed hop
# (the last one ending at the last sample), their probabilities averaged where
# windows overlap. After timing, the result is compared with geolab's
# (bench/out/phasenet_geolab_probs.npy) and the script fails if they differ by
# more than 1e-4 anywhere: a ratio of two different computations means nothing.
# PyTorch runs at its best: 2 intra-op threads, OpenBLAS on one thread,
# inference mode, batches of windows sliced from one tensor.
#   python3 bench/phasenet.py            the benchmark (RESULT lines)
#   python3 bench/phasenet.py check      only the reference check
import os
import sys

os.environ["OPENBLAS_NUM_THREADS"] = "1"          # before numpy/torch load OpenBLAS
import time                                       # noqa: E402

import numpy as np                                # noqa: E402
import torch                                      # noqa: E402
import torch.nn.functional as F                   # noqa: E402

torch.set_num_threads(2)
OUT = "bench/out"
DATA = os.environ.get("PHASENET_DATA", "data/phasenet")
REF = os.environ.get("PHASENET_REF", "tests/fixtures/phasenet/reference_probs.npz")
WIN, HOP, BATCH = 3000, int(os.environ.get("PHASENET_HOP", 1500)), 64


# {====== the network (README table), weights converted from TF layouts
class PhaseNet(torch.nn.Module):
    def __init__(self, path):
        super().__init__()
        z = np.load(path)
        used = set()

        def get(k):
            used.add(k)
            return torch.from_numpy(z[k].copy())

        def conv(scope, name, bias=False):
            k = get(f"{scope}/{name}/kernel")[:, 0]          # (k, in, out)
            b = get(f"{scope}/{name}/bias") if bias else None
            return k.permute(2, 1, 0).contiguous(), b       # (out, in, k)

        def convt(scope, name):
            k = get(f"{scope}/{name}/kernel")[:, 0]          # (k, out, in)
            return k.permute(2, 1, 0).contiguous()          # (in, out, k)

        def bn(scope, name):
            g, b = get(f"{scope}/{name}/gamma"), get(f"{scope}/{name}/beta")
            m, v = get(f"{scope}/{name}/moving_mean"), get(f"{scope}/{name}/moving_variance")
            return g, b, m, v

        self.inp = (conv("Input", "input_conv", True), bn("Input", "input_bn"))
        self.down = []
        for i in range(5):
            s = f"DownConv_{i}"
            c1 = (conv(s, f"down_conv1_{i + 1}")[0], bn(s, f"down_bn1_{i + 1}"))
            c3 = (conv(s, f"down_conv3_{i + 1}")[0], bn(s, f"down_bn3_{i + 1}")) if i < 4 else None
            self.down.append((c1, c3))
        self.up = []
        for i in (3, 2, 1, 0):
            s = f"UpConv_{i}"
            self.up.append(((convt(s, f"up_conv0_{i + 1}"), bn(s, f"up_bn0_{i + 1}")),
                            (conv(s, f"up_conv1_{i + 1}")[0], bn(s, f"up_bn1_{i + 1}"))))
        self.out = conv("Output", "output_conv", True)
        assert used == set(z.files), set(z.files) - used

    @staticmethod
    def same(x, w, b, stride):
        # TensorFlow SAME: out = ceil(L / stride), smaller half of the padding first
        L, k = x.shape[-1], w.shape[-1]
        out = -(-L // stride)
        pad = max((out - 1) * stride + k - L, 0)
        return F.conv1d(F.pad(x, (pad // 2, pad - pad // 2)), w, b, stride)

    @staticmethod
    def bnrelu(x, p):
        g, b, m, v = p
        return F.relu(F.batch_norm(x, m, v, g, b, False, 0.0, 1e-3))

    def forward(self, x):                                   # x (N, 3, T)
        (w, b), p = self.inp
        x = self.bnrelu(self.same(x, w, b, 1), p)
        skips = []
        for (w1, p1), c3 in self.down:
            x = self.bnrelu(self.same(x, w1, None, 1), p1)
            if c3 is not None:
                skips.append(x)
                x = self.bnrelu(self.same(x, c3[0], None, 4), c3[1])
        for (wt, pt), (w1, p1) in self.up:
            skip = skips.pop()
            T = x.shape[-1]
            x = F.conv_transpose1d(x, wt, None, 4)[..., 1:1 + 4 * T]   # SAME: drop the first sample
            x = self.bnrelu(x, pt)
            c = (x.shape[-1] - skip.shape[-1]) // 2
            x = torch.cat([skip, x[..., c:c + skip.shape[-1]]], 1)
            x = self.bnrelu(self.same(x, w1, None, 1), p1)
        w, b = self.out
        return torch.softmax(F.conv1d(x, w, b), 1)


# {====== normalization and the sliding windows, as geolab's picker:predict
def normalize_long(data, window=WIN):
    """data (nt, 3) float64 -> normalized (nt, 3), the README's long-record rule."""
    nt = data.shape[0]
    shift = window // 2
    pad = np.pad(data, ((shift, shift), (0, 0)), mode="reflect")
    t = np.arange(0, nt, shift)
    std = np.zeros((len(t) + 1, 3))
    mean = np.zeros((len(t) + 1, 3))
    for i in range(1, len(t) + 1):
        seg = pad[i * shift:i * shift + window]
        std[i], mean[i] = seg.std(0), seg.mean(0)
    std[-1], mean[-1] = std[-2], mean[-2]
    std[0], mean[0] = std[1], mean[1]
    t = np.append(t, nt)
    ti = np.arange(nt)
    si = np.stack([np.interp(ti, t, std[:, c]) for c in range(3)], 1)
    mi = np.stack([np.interp(ti, t, mean[:, c]) for c in range(3)], 1)
    nonzero = np.count_nonzero(si.sum(0))
    si[si == 0] = 1.0
    out = (data - mi) / si
    if 0 < nonzero < 3:
        out *= 3.0 / nonzero
    return out


def starts(nt):
    s = list(range(0, nt - WIN + 1, HOP))
    if s[-1] != nt - WIN:
        s.append(nt - WIN)
    return s


def predict(model, data):
    x = torch.from_numpy(normalize_long(data.astype(np.float64)).astype(np.float32).T.copy())
    nt = x.shape[1]
    st = starts(nt)
    acc = torch.zeros(3, nt)
    cnt = torch.zeros(nt)
    with torch.inference_mode():
        for i in range(0, len(st), BATCH):
            idx = st[i:i + BATCH]
            xb = torch.stack([x[:, s:s + WIN] for s in idx])
            pb = model(xb)
            for j, s in enumerate(idx):
                acc[:, s:s + WIN] += pb[j]
                cnt[s:s + WIN] += 1
    return (acc / cnt).T.numpy()


def best(f, reps):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        f()
        m = min(m, time.perf_counter() - t)
    return m * 1000


def result(case, ms):
    print("RESULT %s %.3f" % (case, ms), flush=True)


model = PhaseNet(f"{DATA}/phasenet_weights.npz")
ref = np.load(REF)
worst = 0.0
with torch.inference_mode():
    for name in ref["files"]:
        key = name[:-4]
        got = model(torch.from_numpy(ref[f"{key}/input"].T.copy())[None])[0].T.numpy()
        worst = max(worst, float(np.abs(got - ref[f"{key}/probs"]).max()))
print("reference probabilities: largest difference %.2e" % worst, file=sys.stderr)
if worst > 1e-4:
    raise SystemExit("bench/phasenet.py: the network does not reproduce reference_probs.npz")
if len(sys.argv) > 1 and sys.argv[1] == "check":
    sys.exit(0)

day = np.load(f"{OUT}/phasenet_day.npy")
probs = []
result("phasenet_day_8640000x3", best(lambda: probs.append(predict(model, day)), 1))
gpath = f"{OUT}/phasenet_geolab_probs.npy"
if os.path.exists(gpath):
    g = np.load(gpath)
    diff = float(np.abs(g.astype(np.float64) - probs[-1]).max())
    if diff > 1e-4:
        raise SystemExit("bench/phasenet.py: probabilities differ from geolab's by %.2e" % diff)
    print("VERIFIED phasenet_day_8640000x3 probabilities max_abs_diff=%.2e (at most 1e-4)" % diff, flush=True)
else:
    print("no geolab probabilities to compare (%s)" % gpath, file=sys.stderr)
