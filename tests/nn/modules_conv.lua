-- modules_conv.lua: convolutions, transposed convolutions, pools and batch
-- norm against PyTorch 1.13 (tests/fixtures/nn/modules_conv.npz and
-- modules_pool.npz, from make_modules.py): forward, input and parameter
-- gradients and running statistics to 1e-5; finite differences in float64;
-- errors; the course CNN on MNIST-shaped input; same bits for 1 and 2 threads.
local T = require "testlib"
local G = require "nn.gradcheck"

local B = {
  conv1d = function() return nn.Conv1d(3, 4, 3) end,
  conv1d_opts = function() return nn.Conv1d(2, 4, 5, {stride = 2, padding = 1, dilation = 2}) end,
  conv1d_same_groups = function() return nn.Conv1d(4, 6, 4, {padding = "same", groups = 2}) end,
  conv2d = function() return nn.Conv2d(2, 3, 3, {padding = 2}) end,
  conv2d_opts = function() return nn.Conv2d(4, 6, {3, 2}, {stride = {2, 1}, padding = {1, 0}, dilation = {1, 2}, groups = 2, bias = false}) end,
  conv2d_same = function() return nn.Conv2d(2, 3, 4, {padding = "same"}) end,
  conv2d_valid = function() return nn.Conv2d(2, 3, 3, {padding = "valid"}) end,
  conv2d_unbatched = function() return nn.Conv2d(2, 3, 3, {padding = 1}) end,
  convt1d = function() return nn.ConvTranspose1d(3, 2, 3, {stride = 2, padding = 1, output_padding = 1}) end,
  convt2d = function() return nn.ConvTranspose2d(2, 4, 3, {stride = 2, padding = 1, groups = 2}) end,
}
T.eq(G.fixture(T, "tests/fixtures/nn/modules_conv.npz", B), 10, "every conv case ran")

local P = {
  maxpool1d = function() return nn.MaxPool1d(3, {stride = 2, padding = 1}) end,
  maxpool2d = function() return nn.MaxPool2d(2) end,
  maxpool2d_opts = function() return nn.MaxPool2d(3, {stride = 2, padding = 1, ceil_mode = true}) end,
  avgpool1d = function() return nn.AvgPool1d(3, {stride = 2, padding = 1}) end,
  avgpool2d = function() return nn.AvgPool2d(2) end,
  avgpool2d_opts = function() return nn.AvgPool2d(3, {stride = 2, padding = 1, ceil_mode = true, count_include_pad = false}) end,
  adaptive1d = function() return nn.AdaptiveAvgPool1d(4) end,
  adaptive2d = function() return nn.AdaptiveAvgPool2d{3, 2} end,
  bn1d_train = function() return nn.BatchNorm1d(3) end,
  bn1d_train3d = function() return nn.BatchNorm1d(3, {momentum = None}) end,
  bn1d_eval = function() return nn.BatchNorm1d(3), false, false end,
  bn2d_train = function() return nn.BatchNorm2d(3, {momentum = 0.2, eps = 1e-3}) end,
  bn2d_noaffine = function() return nn.BatchNorm2d(3, {affine = false}) end,
  bn2d_nostats = function() return nn.BatchNorm2d(3, {track_running_stats = false}), false, false end,
}
T.eq(G.fixture(T, "tests/fixtures/nn/modules_pool.npz", P), 14, "every pool and norm case ran")

-- {===== finite differences, float64
local rng = np.random.Generator(9)
local function gcm(name, m, x)
  local e = G.check_module(m, x)
  T.ok(e < 1e-6, ("%s: gradient error %.3g"):format(name, e))
end
gcm("Conv1d", nn.Conv1d(2, 3, 3, {stride = 2, padding = 1}), rng:normal(0, 1, {2, 2, 7}))
gcm("Conv2d groups dilation", nn.Conv2d(4, 2, 3, {groups = 2, dilation = 2, padding = "same"}), rng:normal(0, 1, {1, 4, 6, 5}))
gcm("ConvTranspose1d", nn.ConvTranspose1d(2, 3, 4, {stride = 3, padding = 1, output_padding = 2}), rng:normal(0, 1, {2, 2, 4}))
gcm("ConvTranspose2d", nn.ConvTranspose2d(2, 2, 3, {stride = 2, dilation = 2}), rng:normal(0, 1, {1, 2, 3, 3}))
gcm("MaxPool1d", nn.MaxPool1d(3, {stride = 2, padding = 1, dilation = 1}), rng:normal(0, 1, {2, 2, 9}))
gcm("MaxPool2d", nn.MaxPool2d(2, {ceil_mode = true}), rng:normal(0, 1, {1, 2, 5, 5}))
gcm("AvgPool1d", nn.AvgPool1d(3, {padding = 1, count_include_pad = false}), rng:normal(0, 1, {2, 2, 8}))
gcm("AvgPool2d", nn.AvgPool2d(2, {divisor_override = 3}), rng:normal(0, 1, {1, 2, 4, 4}))
gcm("AdaptiveAvgPool1d", nn.AdaptiveAvgPool1d(3), rng:normal(0, 1, {2, 2, 7}))
gcm("AdaptiveAvgPool2d", nn.AdaptiveAvgPool2d{2, 3}, rng:normal(0, 1, {1, 2, 5, 7}))
gcm("BatchNorm1d train", nn.BatchNorm1d(3), rng:normal(0, 1, {5, 3, 2}))
gcm("BatchNorm2d eval", nn.BatchNorm2d(2):eval(), rng:normal(0, 1, {2, 2, 3, 3}))
do
  local e = G.check(function(x) return nn.functional.pad(x, {1, 2, 0, 1}) end, {rng:normal(0, 1, {2, 2, 3})})
  T.ok(e < 1e-6, ("pad: gradient error %.3g"):format(e))
end
-- }=====

-- {===== the course CNN, end to end
do
  nn.manual_seed(0)
  local cnn = nn.Module("CNN", {
    conv1 = nn.Sequential{nn.Conv2d(1, 3, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    conv2 = nn.Sequential{nn.Conv2d(3, 6, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    fc = nn.Linear(384, 10),
    forward = function(self, x) return self.fc(self.conv2(self.conv1(x)):flatten(1)) end})
  local x = rng:normal(0, 1, {4, 1, 28, 28})
  local h = cnn.conv2(cnn.conv1(x))
  T.eq(h.shape, {4, 6, 8, 8}, "course CNN features: 6 x 8 x 8 = 384")
  local out = cnn(x)
  T.eq(out.shape, {4, 10}, "course CNN output")
  nn.CrossEntropyLoss()(out, np.array{1, 2, 3, 10}):backward()
  T.eq(cnn.conv1[1].weight.grad.shape, {3, 1, 3, 3}, "gradient reaches the first conv")
  -- batch norm: train updates the running statistics, eval uses them
  local bn = nn.BatchNorm1d(2)
  local xb = rng:normal(3, 2, {64, 2, 10})
  bn(xb)
  T.close(bn.running_mean, xb:mean{axis = {0, 2}} * 0.1, 1e-5, 0, "running mean after one step")
  T.eq(bn.num_batches_tracked:item(), 1, "num_batches_tracked counts")
  bn:eval()
  bn(xb)
  T.eq(bn.num_batches_tracked:item(), 1, "eval does not count")
end
-- }=====

-- {===== errors
do
  local conv = nn.Conv2d(1, 3, 3, {padding = 2})
  T.err("nn.Conv2d(1, 3, kernel_size=(3, 3), stride=(1, 1), padding=(2, 2)): expected input with 1 channels, got shape (2, 2, 8, 8)",
    function() return conv(np.zeros{2, 2, 8, 8}) end)
  T.err("expected input of shape (N, 1, H, W) or (1, H, W), got shape (8, 8)", function() return conv(np.zeros{8, 8}) end)
  -- strided 'same' is geolab's extension (TensorFlow's SAME, tests/nn/conv_same.lua)
  T.eq(nn.Conv2d(1, 1, 3, {padding = "same", stride = 2})(np.zeros{1, 1, 7, 8}).shape, {1, 1, 4, 4})
  T.err("nn.Conv1d: padding pairs must be {lo, hi}", function() return nn.Conv1d(1, 1, 3, {padding = {{1}}}) end)
  T.err("nn.Conv1d: invalid padding string 'full'", function() return nn.Conv1d(1, 1, 3, {padding = "full"}) end)
  T.err("nn.Conv2d: only padding_mode='zeros' is supported, got 'reflect'",
    function() return nn.Conv2d(1, 1, 3, {padding_mode = "reflect"}) end)
  T.err("nn.Conv2d: in_channels must be divisible by groups", function() return nn.Conv2d(3, 4, 3, {groups = 2}) end)
  T.err("nn.Conv1d: kernel_size must be an integer or a table of 1 integers", function() return nn.Conv1d(1, 1, {3, 3}) end)
  T.err("is smaller than the kernel", function() return nn.Conv1d(1, 1, 5)(np.zeros{1, 1, 3}) end)
  T.err("nn.BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): expected input of shape (N, 3) or (N, 3, L), got (4, 2)",
    function() return nn.BatchNorm1d(3)(np.zeros{4, 2}) end)
  T.err("expected more than 1 value per channel when training", function() return nn.BatchNorm1d(3)(np.zeros{1, 3}) end)
  T.err("nn.MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False): expected input of shape (N, C, H, W) or (C, H, W), got shape (4,)",
    function() return nn.MaxPool2d(2)(np.zeros{4}) end)
  T.err("pad should be at most half", function() return nn.MaxPool1d(2, {padding = 2})(np.zeros{1, 1, 8}) end)
  T.err("nn.functional.conv2d: bias is float64 but the input is float32",
    function() return nn.functional.conv2d(nn.tensor(np.zeros{1, 1, 4, 4}, {dtype = "float32"}),
      nn.tensor(np.zeros{1, 1, 3, 3}, {dtype = "float32"}), nn.tensor(np.zeros{1})) end)
  T.err("nn.functional.pad: only mode='constant' is supported", function() return nn.functional.pad(np.zeros{2, 2}, {1, 1}, "reflect") end)
end
-- }=====

-- {===== same bits with 1 and 2 threads: a CNN step
T.same_bits("nn_cnn_step", [[
  nn.manual_seed(2)
  local m = nn.Sequential{nn.Conv2d(1, 4, 3, {padding = 1}), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(4 * 14 * 14, 10)}
  local X = np.random.Generator(1):normal(0, 1, {16, 1, 28, 28}):astype("float32")
  local y = np.random.Generator(2):integers(1, 11, {16})
  local loss = nn.CrossEntropyLoss()(m(X), y)
  loss:backward()
  return {loss = np.array(loss:item()), gw = m[1].weight.grad, gl = m[6].weight.grad, rm = m[2].running_var}
]])
-- }=====

T.done()
