-- nn_checkpoint_model.lua: PyTorch-saved state dicts drive geolab models.
-- The course CNN's state dict (PyTorch 1.13, tests/fixtures/nn/cnn.pt) loads
-- into the same CNN written with nn.Module and gives PyTorch's outputs on the
-- stored inputs (cnn_io.npz); the course MLP and the BatchNorm model load by
-- name; a model saved with nn.save(model) reloads into a fresh one.
local T = require "testlib"

local FIX = "tests/fixtures/nn/"

local function course_cnn()
  return nn.Module("CNN", {
    conv1 = nn.Sequential{nn.Conv2d(1, 3, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    conv2 = nn.Sequential{nn.Conv2d(3, 6, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    fc = nn.Linear(384, 10),
    forward = function(self, x)
      x = self.conv2(self.conv1(x))
      return self.fc(x:flatten(1))
    end})
end

local io_ = np.load(FIX .. "cnn_io.npz")
local cnn = course_cnn()
cnn:load_state_dict(nn.load(FIX .. "cnn.pt"), {strict = true})
cnn:eval()
local y = nn.no_grad(function() return cnn(io_.input) end)
local out = y.data or y
T.eq(out.shape, {4, 10})
T.eq(out.dtype, "float32")
-- float32 convolutions summed in another order than PyTorch's: 1e-5 relative
T.close(out, io_.output, 1e-5, 1e-6, "course CNN outputs against PyTorch's")

-- the same weights through nn.save and nn.load again give the same bits
local path = T.tmp("ckpt_model_cnn.pt")
nn.save(cnn, path)
local cnn2 = course_cnn()
cnn2:load_state_dict(nn.load(path))
cnn2:eval()
local y2 = nn.no_grad(function() return cnn2(io_.input) end)
T.close(y2.data or y2, out, 0, 0, "a model saved by nn.save reloads exactly")
-- and the file holds the model's state_dict, keys in PyTorch's order
local keys = {}
for k in pairs(nn.load(path)) do keys[#keys + 1] = k end
T.eq(keys, {"conv1.0.weight", "conv1.0.bias", "conv2.0.weight", "conv2.0.bias", "fc.weight", "fc.bias"})

-- the course MLP and a BatchNorm model load by name (num_batches_tracked is int64, 0-d)
local mlp = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10), nn.Softmax(1)}
mlp:load_state_dict(nn.load(FIX .. "mlp.pt"))
T.close(mlp:state_dict()["2.bias"], np.load(FIX .. "mlp.npz")["2.bias"], 0, 0, "MLP weights loaded")
local bn = nn.Sequential{nn.Conv1d(2, 4, 3), nn.BatchNorm1d(4), nn.ReLU()}
bn:load_state_dict(nn.load(FIX .. "batchnorm.pt"))
local want = np.load(FIX .. "batchnorm.npz")
T.close(bn:state_dict()["1.running_var"], want["1.running_var"], 0, 0, "running_var loaded")
T.eq(bn:state_dict()["1.num_batches_tracked"]:item(), 3, "num_batches_tracked loaded")

-- a state dict of another model is refused by name
T.err("fc.weight", function() return mlp:load_state_dict(nn.load(FIX .. "cnn.pt")) end)

T.done()
