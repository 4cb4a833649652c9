-- phasenet_model.lua: the PhaseNet U-Net (stdlib/seis/seis_phasenet_model.lua)
-- with the shipped TensorFlow weights against the independent float64 NumPy
-- implementation's probabilities (tests/fixtures/phasenet/reference_probs.npz,
-- from shared/data/phasenet), and a weights file with a missing or
-- mis-shaped tensor.
local T = require "testlib"
local PM = require "geolab.seis_phasenet_model"
local W = "data/phasenet/phasenet_weights.npz"
local R = np.load("tests/fixtures/phasenet/reference_probs.npz")

local model = PM.PhaseNet()
nn.load_npz(model, W, PM.tf_mapping())
model:eval()
T.eq(nn.count_parameters(model), 268443, "trainable parameters (269,675 numbers minus 1,232 BN moving stats)")

-- the three windows as one batch (N, 3, 3000); float32 throughout
local xs = {}
for i, f in ipairs(R.files) do xs[i] = R[f:gsub("%.npz$", "") .. "/input"].T end
local probs = nn.no_grad(function() return model(np.stack(xs)) end).data
T.eq({probs.dtype, probs.shape}, {"float32", {3, 3, 3000}})
for i, f in ipairs(R.files) do
  local want = R[f:gsub("%.npz$", "") .. "/probs"]
  -- float32 network against a float64 one: 1e-4 is the issue's bound (seen: 4e-7)
  T.close(probs[i].T, want, 0, 1e-4, f .. " probabilities")
  T.close(probs[i]:sum(0), np.ones{3000}, 0, 1e-5, f .. " softmax sums to 1")
end
-- one window alone gives the batch's bits (no cross-talk between windows)
local one = nn.no_grad(function() return model(xs[2]:reshape{1, 3, 3000}) end).data
T.ok(np.array_equal(one[1], probs[2]), "batch of one = row of a batch of three")

-- the prediction path (batch norm folded into the convolutions, no tape)
-- is the module's function to float32 rounding, at 3000 samples and others
for _, L in ipairs{3000, 3001, 2048} do
  local x = np.stack(xs)[{{}, {}, {1, L}}]:copy()
  local a = PM.inference(model)(x)
  local b = nn.no_grad(function() return model(x) end).data
  T.close(a, b, 0, 2e-6, "inference = forward, L = " .. L)
end

-- any length: the stride-4 SAME convolutions and the crops follow it
for _, L in ipairs{3001, 2999, 6000, 4097} do
  local y = nn.no_grad(function() return model(np.zeros{1, 3, L}) end)
  T.eq(y.shape, {1, 3, L}, "output length " .. L)
end

-- weights files with a missing and a mis-shaped tensor
do
  local w = np.load(W)
  local bad = {}
  for k, v in pairs(w) do bad[k] = v end
  bad["UpConv_1/up_bn1_2/gamma"] = nil
  bad["DownConv_2/down_conv1_3/kernel"] = np.zeros({7, 1, 16, 16}, "float32")
  local path = T.tmp("phasenet_bad_weights.npz")
  np.savez(path, bad)
  T.err("not set: up.2.1.1.weight (file has no 'UpConv_1/up_bn1_2/gamma')", nn.load_npz, PM.PhaseNet(), path,
    PM.tf_mapping())
  T.err("mis-shaped: 'DownConv_2/down_conv1_3/kernel' has shape (7, 1, 16, 16) ((16, 16, 7) after conversion), "
    .. "down.2.0.0.weight needs (32, 16, 7)", nn.load_npz, PM.PhaseNet(), path, PM.tf_mapping())
end

T.done()
