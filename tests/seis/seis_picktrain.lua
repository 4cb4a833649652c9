-- seis_picktrain.lua: the picker fine-tuning parts (stdlib/seis/seis_picktrain.lua):
-- Gaussian labels, the window generator (cuts, zero padding, normalization,
-- seeds), the vector cross-entropy loss, pick_errors, finetune_picker, and
-- their errors. Expected values follow from the definitions (SeisBench's
-- ProbabilisticLabeller with sigma 30, Normalize "peak", the loss formula).
local T = require "testlib"

-- {===== labels
local n = 3000
local y = seis.pick_labels(n, 1000, 1800)
T.eq(y.shape, {3, n}, "labels shape (noise, P, S) x samples")
T.eq(y.dtype, "float32", "labels float32")
T.eq(y[{2, 1000}], 1.0, "P label peaks at 1 at the P pick")
T.eq(y[{3, 1800}], 1.0, "S label peaks at 1 at the S pick")
T.eq(y[2]:argmax(), 1000, "P label's maximum at the pick")
T.eq(y[3]:argmax(), 1800, "S label's maximum at the pick")
-- sigma = 30 samples: exp(-1/2) one sigma away, exp(-2) two sigmas away
T.close(y[{2, 1030}], math.exp(-0.5), 1e-6)
T.close(y[{2, 970}], math.exp(-0.5), 1e-6)
T.close(y[{3, 1860}], math.exp(-2), 1e-6)
T.close(y:sum(0), np.ones{n}, 1e-6, 0, "noise + P + S = 1 at every sample")
T.close(y[1], 1 - y[2] - y[3], 0, 1e-7, "noise = 1 - P - S")
T.close(seis.pick_labels(n, 1000, 1800, {sigma = 10})[{2, 1010}], math.exp(-0.5), 1e-6, 0, "sigma option")
-- overlapping phases: P and S scaled together so that they sum to 1, noise 0
local yo = seis.pick_labels(200, 100, 110)
T.close(yo:sum(0), np.ones{200}, 1e-6, 0, "overlapping labels still sum to 1")
T.close(yo[{2, 100}] / yo[{3, 100}], 1 / math.exp(-100 / 1800), 1e-5, 0, "overlap keeps the P/S ratio")
T.eq(yo[{1, 105}], 0.0, "no noise where P + S reach 1")
-- a missing phase, a fractional pick, a pick outside the window (its tail)
local yp = seis.pick_labels(100, 50.5, nil)
T.eq(yp[3]:max(), 0.0, "no S pick: S label zero")
T.close(yp[{2, 50}], math.exp(-0.25 / 1800), 1e-6)
local yt = seis.pick_labels(100, -15, nil)
T.close(yt[{2, 1}], math.exp(-256 / 1800), 1e-6, 0, "a pick before the window leaves its tail")
-- }=====

-- {===== the generator
-- records: small noise with a spike of 1000 at the P pick on every channel
-- and -500 at the S pick, so that a window's largest sample shows where the
-- pick went
local ws, pk = {}, {}
local rng = np.random.Generator(3)
for i = 1, 6 do
  local w = rng:normal(0, 1, {3000, 3})
  local p, s = 600 + 100 * i, 1400 + 90 * i
  w[p] = 1000; w[s] = -500
  ws[i], pk[i] = w, {p = p, s = s}
end
local gen = seis.PickGenerator(ws, pk, {seed = 7})
T.eq(#gen, 6, "#gen is the number of windows")
local okpos, okspike, okpeak, okpad, okp = 0, 0, 0, 0, 0
local total = 0
for rep = 1, 5 do
  for i = 1, 6 do
    local x, yl, p, s = gen:sample(i)
    total = total + 1
    T.eq(x.shape, {3, 3000}); T.eq(yl.shape, {3, 3000})
    -- the labels are the Gaussians at the returned positions
    T.close(yl, seis.pick_labels(3000, p, s), 0, 1e-7, "labels of the returned picks")
    -- peak normalization: every channel's largest |x| is 1
    if np.abs(np.abs(x):max(1) - 1):max() < 1e-6 then okpeak = okpeak + 1 end
    -- the P spike is where the P pick went (when inside the window)
    if p >= 1 and p <= 3000 then
      okp = okp + 1
      if x[1]:argmax() == p and x[3]:argmax() == p then okspike = okspike + 1 end
    end
    -- the anchor pick lies samples_before (1000) after the cut's start, so
    -- in a 2500-sample cut padded to 3000 at least one pick is inside
    if (p >= 1 and p <= 3000) or (s >= 1 and s <= 3000) then okpos = okpos + 1 end
    -- zero padding: the window starts or ends with a run that is constant
    -- after demeaning (the padded zeros), at least 500 samples in total
    local c = x[1]
    local lead, trail = 0, 0
    while lead < 3000 and c[lead + 1] == c[1] do lead = lead + 1 end
    while trail < 3000 and c[3000 - trail] == c[3000] do trail = trail + 1 end
    if lead + trail >= 500 then okpad = okpad + 1 end
  end
end
T.eq(okpeak, total, "peak-normalized channels")
T.eq(okspike, okp, "the P spike sits at the returned P position")
T.ok(okp > 10, "P inside most windows")
T.eq(okpos, total, "an anchor pick inside every window")
T.eq(okpad, total, "a 2500-sample cut is zero-padded to 3000")

-- random offsets: the P position varies between draws
local seen = {}
for _ = 1, 10 do
  local _, _, p = gen:sample(1)
  seen[p] = true
end
local nseen = 0
for _ in pairs(seen) do nseen = nseen + 1 end
T.ok(nseen >= 5, "random offsets give different P positions")

-- a cut longer than the window: no padding, a random part of it
local g2 = seis.PickGenerator(ws, pk, {seed = 1, samples_before = 2000, windowlen = 4000, length = 1000})
local x2, _, p2 = g2:sample(2)
T.eq(x2.shape, {3, 1000})
T.ok(x2[{1, 1}] ~= x2[{1, 2}], "no padding when the cut is longer than the window")

-- the std rule: zero mean, unit std per channel; an all-zero channel stays
-- zero and the others are scaled by 3 / 2
local wz = ws[1]:copy(); wz[{{}, 1}] = 0
local gs = seis.PickGenerator({wz}, {pk[1]}, {seed = 2, normalize = "std", samples_before = 1000, windowlen = 3000})
local xs = gs:sample(1)
T.eq(np.abs(xs[1]):max(), 0.0, "a zero channel stays zero")
T.close(xs[2]:std(), 1.5, 1e-5, 0, "std rule: unit std times 3/nonzero")
T.close(xs[2]:mean(), 0, 0, 1e-5, "std rule: zero mean")

-- batches: one pass over every window, shapes, the same seed the same bytes
local count, shapes = 0, true
for xb, yb in gen:batches(4) do
  count = count + #xb
  shapes = shapes and xb.shape[2] == 3 and yb.shape[2] == 3 and xb.dtype == "float32"
end
T.eq(count, 6, "batches cover every window once")
T.ok(shapes, "batch shapes (B, 3, L) float32")
local function draw(seed)
  local g = seis.PickGenerator(ws, pk, {seed = seed})
  local out = {}
  for xb, yb in g:batches(4) do out[#out + 1] = xb; out[#out + 1] = yb end
  for xb in g:batches(4) do out[#out + 1] = xb end
  return out
end
local a, b, c = draw(11), draw(11), draw(12)
local same, differ = true, false
for k = 1, #a do
  same = same and np.array_equal(a[k], b[k])
  differ = differ or not np.array_equal(a[k], c[k])
end
T.ok(same, "same seed: the same batches")
T.ok(differ, "another seed: other batches")
-- }=====

-- {===== loss
local pr = np.array({{{0.7, 0.2}, {0.2, 0.5}, {0.1, 0.3}}}, "float32")   -- (1, 3, 2)
local yy = np.array({{{1, 0}, {0, 0.4}, {0, 0.6}}}, "float32")
local want = -((math.log(0.7 + 1e-5)) + (0.4 * math.log(0.5 + 1e-5) + 0.6 * math.log(0.3 + 1e-5))) / 2
T.close(seis.pick_loss(pr, yy):item(), want, 1e-6, 0, "vector cross-entropy")
T.close(seis.pick_loss(pr, yy, {eps = 0}):item(),
  -(math.log(0.7) + 0.4 * math.log(0.5) + 0.6 * math.log(0.3)) / 2, 1e-6, 0, "eps option")
local pt = nn.tensor(pr, {requires_grad = true})
seis.pick_loss(pt, yy):backward()
-- d/dp of -(1/2) y log(p + eps) is -y / (2 (p + eps))
T.close(pt.grad[{1, 3, 2}], -0.6 / (2 * (0.3 + 1e-5)), 1e-5, 0, "loss gradient")
T.eq(pt.grad[{1, 2, 1}], 0.0, "no gradient where the label is 0")
-- }=====

-- {===== pick_errors: a model that returns the labels moved 5 samples late
local xb, yb = gen:batch{1, 2, 3, 4}
local lp, ls = {}, {}
for k = 1, 4 do lp[k] = yb[{k, 2}]:argmax(); ls[k] = yb[{k, 3}]:argmax() end
local late = nn.Module{forward = function(_, x)
  local out = np.zeros(yb.shape, "float32")
  out[{{}, {}, {6, -1}}] = yb[{{}, {}, {1, -6}}]
  return nn.tensor(out)
end}
local e = seis.pick_errors(late, xb, lp, ls)
T.eq(e.P.n, 4); T.eq(e.P.picked, 4)
T.close(e.P.residuals, np.full({4}, 5.0), 0, 0, "P residuals of a 5-sample shift")
T.eq(e.P.hit_rate, 1.0, "5 samples is within 10")
T.eq(seis.pick_errors(late, xb, lp, ls, {tolerance = 4}).S.hit_rate, 0.0, "not within 4")
T.eq(seis.pick_errors(late, xb, lp, ls, {threshold = 1.01}).P.picked, 0, "below the threshold: no pick")
-- }=====

-- {===== finetune_picker: a few Adam steps on a small picker lower the loss
nn.manual_seed(0)
local small = nn.Sequential{nn.Conv1d(3, 8, 7, {padding = 3}), nn.BatchNorm1d(8), nn.ReLU(),
  nn.Conv1d(8, 3, 7, {padding = 3}), nn.Softmax(1)}
local gt = seis.PickGenerator(ws, pk, {seed = 5})
local gv = seis.PickGenerator(ws, pk, {seed = 6})
local h = seis.finetune_picker(small, gt, {epochs = 4, batch_size = 3, lr = 1e-2, val = gv})
T.eq(#h.loss, 4); T.eq(#h.val_loss, 4)
T.ok(h.loss[4] < h.loss[1], ("training loss decreases (%.4f -> %.4f)"):format(h.loss[1], h.loss[4]))
T.ok(small.training == false, "the model is left in eval mode")
-- }=====

-- {===== bad input
T.err("seis.pick_labels: n must be a positive integer", seis.pick_labels, 0, 1, 2)
T.err("seis.pick_labels: sigma must be a positive number", seis.pick_labels, 10, 1, 2, {sigma = 0})
T.err("seis.pick_labels: unknown option 'sigm' (did you mean 'sigma'?)", seis.pick_labels, 10, 1, 2, {sigm = 3})
T.err("seis.pick_labels: the P pick of window 1 must be a sample position", seis.pick_labels, 10, 0 / 0, 2)
T.err("seis.PickGenerator: waveform 1 must be a (samples, 3) array, got shape (3000, 2)",
  seis.PickGenerator, {np.zeros{3000, 2}}, {{p = 1}})
T.err("seis.PickGenerator: picks must be a list of {p =, s =} with one entry per waveform (2)",
  seis.PickGenerator, {ws[1], ws[2]}, {{p = 1}})
T.err("seis.PickGenerator: window 1 has neither a P nor an S pick", seis.PickGenerator, {ws[1]}, {{}})
local wn = ws[1]:copy(); wn[{5, 2}] = 0 / 0
T.err("seis.PickGenerator: waveform 1 has NaN samples", seis.PickGenerator, {wn}, {{p = 100}})
T.err("seis.PickGenerator: normalize must be 'peak' or 'std'", seis.PickGenerator, {ws[1]}, {{p = 1}}, {normalize = "max"})
T.err("seis.PickGenerator: unknown option 'lenght' (did you mean 'length'?)", seis.PickGenerator, {ws[1]}, {{p = 1}}, {lenght = 5})
T.err("seis.PickGenerator: no waveforms", seis.PickGenerator, {}, {})
T.err("seis.PickGenerator:batches: batch_size must be a positive integer", function() gen:batches(0) end)
T.err("seis.pick_loss: probabilities (1, 3, 2) and labels (1, 3, 3) must have the same", seis.pick_loss, pr, np.zeros{1, 3, 3})
T.err("seis.finetune_picker: expected a seis.PickGenerator", seis.finetune_picker, small, {})
T.err("seis.finetune_picker: expected a picker (seis.PhaseNet) or an nn module", seis.finetune_picker, 3, gen)
T.err("seis.pick_errors: x must be a (windows, 3, samples) array", seis.pick_errors, small, np.zeros{2, 3}, {}, {})
-- }=====

T.done()
