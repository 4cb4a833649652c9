-- load_npz.lua: nn.load_npz, foreign weights by name with TensorFlow's kernel
-- layouts, and its strict checks (missing, unused, duplicated, mis-shaped).
local T = require "testlib"

-- a small model: Conv1d, ConvTranspose1d, BatchNorm1d, Linear
local function model()
  return nn.Module{
    conv = nn.Conv1d(2, 3, 5, {bias = false}),
    up = nn.ConvTranspose1d(3, 4, 5, {stride = 2, bias = false}),
    bn = nn.BatchNorm1d(4, {eps = 0.001}),
    fc = nn.Linear(4, 2),
    forward = function(self, x) return x end,
  }
end

-- TensorFlow-shaped arrays with distinct values
local function ar(shape, base)
  local n = 1
  for _, s in ipairs(shape) do n = n * s end
  return (np.arange(n, "float32") + base):reshape(shape)
end
local tf = {
  ["c/kernel"] = ar({5, 1, 2, 3}, 0),          -- [k, 1, in, out]
  ["u/kernel"] = ar({5, 1, 4, 3}, 100),        -- [k, 1, out, in]
  ["bn/gamma"] = ar({4}, 200), ["bn/beta"] = ar({4}, 210),
  ["bn/moving_mean"] = ar({4}, 220), ["bn/moving_variance"] = ar({4}, 230),
  ["fc/kernel"] = ar({4, 2}, 300), ["fc/bias"] = ar({2}, 400),
  files = {"not", "weights"},                  -- string members are ignored
}
local map = {
  ["conv.weight"] = {"c/kernel", layout = "tf_conv1d"},
  ["up.weight"] = {"u/kernel", layout = "tf_conv_transpose1d"},
  ["bn.weight"] = "bn/gamma", ["bn.bias"] = "bn/beta",
  ["bn.running_mean"] = "bn/moving_mean", ["bn.running_var"] = "bn/moving_variance",
  ["bn.num_batches_tracked"] = false,
  ["fc.weight"] = {"fc/kernel", layout = "tf_dense"}, ["fc.bias"] = "fc/bias",
}

do
  local m = model()
  T.ok(nn.load_npz(m, tf, map) == m, "returns the model")
  -- PyTorch (out, in, k) from TF [k, 1, in, out]: element by element
  local w, c = m.conv.weight.data, tf["c/kernel"]
  local okc = true
  for o = 1, 3 do for i = 1, 2 do for k = 1, 5 do
    okc = okc and w[{o, i, k}] == c[{k, 1, i, o}]
  end end end
  T.ok(okc, "tf_conv1d: w[o][i][k] = kernel[k][1][i][o]")
  -- transposed: PyTorch (in, out, k) from TF [k, 1, out, in]
  local wu, u = m.up.weight.data, tf["u/kernel"]
  T.eq(wu.shape, {3, 4, 5})
  local oku = true
  for i = 1, 3 do for o = 1, 4 do for k = 1, 5 do
    oku = oku and wu[{i, o, k}] == u[{k, 1, o, i}]
  end end end
  T.ok(oku, "tf_conv_transpose1d: w[i][o][k] = kernel[k][1][o][i]")
  T.eq(m.fc.weight.data[{2, 3}], tf["fc/kernel"][{3, 2}], "tf_dense transposes")
  T.eq(m.bn.running_var:totable(), {230, 231, 232, 233})
  T.eq(m.fc.bias.data:totable(), {400, 401})
end

-- without a mapping the names are the state dict's (np.savez of a state dict)
do
  local a, b = model(), model()
  local path = T.tmp("load_npz_sd.npz")
  local sd = {}
  for k, v in pairs(a:state_dict()) do sd[k] = v end
  np.savez(path, sd)
  nn.load_npz(b, path)
  T.eq(b.up.weight.data:totable(), a.up.weight.data:totable(), "identity mapping from a file")
end

-- errors list every problem
local function with(changes)
  local t = {}
  for k, v in pairs(tf) do t[k] = v end
  for k, v in pairs(changes) do if v == "nil" then t[k] = nil else t[k] = v end end
  return t
end
T.err("nn.load_npz: cannot load the table into Module:\n\tnot set: conv.weight (file has no 'c/kernel')",
  nn.load_npz, model(), with{["c/kernel"] = "nil"}, map)
T.err("mis-shaped: 'c/kernel' has shape (5, 1, 3, 3) ((3, 3, 5) after conversion), conv.weight needs (3, 2, 5)",
  nn.load_npz, model(), with{["c/kernel"] = ar({5, 1, 3, 3}, 0)}, map)
T.err("unused arrays in the file: extra/a, extra/b", nn.load_npz, model(),
  with{["extra/a"] = ar({1}, 0), ["extra/b"] = ar({1}, 0)}, map)
do
  local m2 = {}
  for k, v in pairs(map) do m2[k] = v end
  m2["bn.bias"] = "bn/gamma"
  T.err("used more than once: bn/gamma", nn.load_npz, model(), tf, m2)
  m2["bn.bias"] = nil
  T.err("not set: bn.bias (not in the mapping)", nn.load_npz, model(), tf, m2)
  m2["bn.bias"] = "bn/beta"; m2["bn.gama"] = "x"
  T.err("mapping keys not in the model: bn.gama", nn.load_npz, model(), tf, m2)
  m2["bn.gama"] = nil; m2["conv.weight"] = {"c/kernel", layout = "tf_conv"}
  T.err("nn.load_npz: unknown layout 'tf_conv' for 'conv.weight' (one of tf_conv1d, tf_conv2d,", nn.load_npz,
    model(), tf, m2)
end
-- strict = false allows unused arrays, and a failed load changes nothing
do
  local m = model()
  local before = m.fc.bias.data:totable()
  pcall(nn.load_npz, m, with{["c/kernel"] = "nil"}, map)
  T.eq(m.fc.bias.data:totable(), before, "nothing copied when a check fails")
  nn.load_npz(m, with{["extra/a"] = ar({1}, 0)}, map, {strict = false})
  T.eq(m.fc.bias.data:totable(), {400, 401})
end
T.err("nn.load_npz: a module expected as argument #1", nn.load_npz, {}, tf, map)
T.err("nn.load_npz: cannot open file: No such file or directory (no/such.npz)", function() return nn.load_npz(model(), "no/such.npz", map) end)

T.done()
