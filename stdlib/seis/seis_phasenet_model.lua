-- seis_phasenet_model.lua: the PhaseNet network (Zhu & Beroza 2019), a 1-d
-- U-Net written with nn's modules: four levels down (a convolution, then a
-- stride-4 convolution), a bottom convolution, four levels up (a stride-4
-- transposed convolution, crop, concatenation with the skip, a convolution),
-- a 1x1 output convolution and a softmax over (noise, P, S). Each block is
-- Conv1d + BatchNorm1d(eps = 0.001) + ReLU. It doubles as the example of a
-- U-Net in geolab; the weight names of the TensorFlow checkpoint are mapped
-- in M.tf_mapping.
local nn = require "geolab.nn"

local M = {}

local K = 7                             -- every kernel is 7 samples long
local FILTERS = {8, 16, 32, 64, 128}    -- channels per depth
local STRIDE = 4

-- conv + batch norm + ReLU. padding "same" is TensorFlow's SAME, also with a
-- stride (output ceil(L / 4)).
local function block(cin, cout, o)
  o = o or {}
  return nn.Sequential{
    nn.Conv1d(cin, cout, o.k or K, {padding = "same", stride = o.stride or 1, bias = o.bias or false}),
    nn.BatchNorm1d(cout, {eps = 0.001}),
    nn.ReLU(),
  }
end

-- The stride-4 upsampling: the transposed convolution of SAME's adjoint has
-- length 4 * (L - 1) + 7 = 4L + 3 in full; {{1, 2}} crops it to samples
-- 1 .. 4L (0-based), the alignment TensorFlow's conv2d_transpose gives.
local function up_block(cin, cout)
  return nn.Sequential{
    nn.ConvTranspose1d(cin, cout, K, {stride = STRIDE, padding = {{1, 2}}, bias = false}),
    nn.BatchNorm1d(cout, {eps = 0.001}),
    nn.ReLU(),
  }
end

local PhaseNet = nn.Module:extend("PhaseNet")
M.PhaseNet = PhaseNet

function PhaseNet:__init()
  self.input = block(3, FILTERS[1], {bias = true})
  -- down: level i keeps a skip at its full length, then shortens by 4
  self.down = nn.Sequential()
  for i = 1, 4 do
    local cin = i == 1 and FILTERS[1] or FILTERS[i - 1]
    self.down:append(nn.Sequential{block(cin, FILTERS[i]), block(FILTERS[i], FILTERS[i], {stride = STRIDE})})
  end
  self.bottom = block(FILTERS[4], FILTERS[5])
  -- up: level i (4 .. 1) lengthens by 4, joins skip i, mixes the channels
  self.up = nn.Sequential()
  for i = 4, 1, -1 do
    self.up:append(nn.Sequential{up_block(FILTERS[i + 1], FILTERS[i]), block(2 * FILTERS[i], FILTERS[i])})
  end
  self.output = nn.Conv1d(FILTERS[1], 3, 1)
end

-- Crops the upsampled x (N, C, Lup) to the skip's length, centred as
-- TensorFlow's crop (offset (Lup - Lskip) // 2), and puts the skip first.
local function crop_cat(skip, x)
  local ls, lx = skip.shape[3], x.shape[3]
  if lx > ls then
    local off = (lx - ls) // 2
    x = x[{{}, {}, {off + 1, off + ls}}]
  end
  return nn.cat({skip, x}, 1)
end

-- x (N, 3, L) normalized waveforms -> (N, 3, L) probabilities of noise, P, S.
function PhaseNet:forward(x)
  x = self.input(x)
  local skips = {}
  for i = 1, 4 do
    local level = self.down[i]
    x = level[1](x)
    skips[i] = x
    x = level[2](x)
  end
  x = self.bottom(x)
  for j = 1, 4 do
    local level, i = self.up[j], 5 - j
    x = level[2](crop_cat(skips[i], level[1](x)))
  end
  return self.output(x):softmax(1)
end

-- {===== inference

-- TensorFlow's SAME padding {lo, hi} for length L (as nn's padding="same").
local function same_pad(L, stride)
  local nout = (L + stride - 1) // stride
  local total = math.max((nout - 1) * stride + K - L, 0)
  return {total // 2, total - total // 2}
end

-- A conv + BatchNorm (eval) pair folded into one convolution with a bias:
-- w * s and beta + (b - mean) * s, s = gamma / sqrt(var + eps) per output
-- channel (dim 1 of a Conv1d weight, dim 2 of a ConvTranspose1d one),
-- computed in float64 and rounded once to the model's dtype.
local function fold(seq, transposed)
  local np = require "geolab.array"
  local conv, bn = seq[1], seq[2]
  local dt = conv.weight.data.dtype
  local f64 = function(a) return a:astype("float64") end
  local s = f64(bn.weight.data) / np.sqrt(f64(bn.running_var) + bn.eps)
  local b0 = conv.bias and f64(conv.bias.data) or 0
  local bias = f64(bn.bias.data) + (b0 - f64(bn.running_mean)) * s
  local w = f64(conv.weight.data) * (transposed and s:reshape{1, -1, 1} or s:reshape{-1, 1, 1})
  return {w = w:astype(dt), b = bias:astype(dt), stride = conv.stride[1], transposed = transposed}
end

-- M.inference(model): the forward pass for prediction only, on np arrays
-- (N, 3, L) -> (N, 3, L): batch normalization folded into the convolutions,
-- ReLU in place, no tape, no tensors. The same function as model(x) in eval
-- mode up to float32 rounding (1e-6); folded from the current weights at
-- each call, so a fine-tuned model predicts with its new weights.
function M.inference(model)
  local np = require "geolab.array"
  local core = require "geolab.nn_core"
  local input = fold(model.input)
  local down, up = {}, {}
  for i = 1, 4 do down[i] = {fold(model.down[i][1]), fold(model.down[i][2])} end
  local bottom = fold(model.bottom)
  for j = 1, 4 do up[j] = {fold(model.up[j][1], true), fold(model.up[j][2])} end
  local out_w, out_b = model.output.weight.data, model.output.bias.data
  local ONE, ZERO = {1}, {0}
  local function run(f, x)
    local y
    if f.transposed then
      y = core.conv_transpose_forward(x, f.w, f.b, {STRIDE}, {1, 2}, ZERO, ONE, 1)
    else
      y = core.conv_forward(x, f.w, f.b, {f.stride}, same_pad(x.shape[3], f.stride), ONE, 1)
    end
    return np.maximum(y, 0, {out = y})
  end
  return function(x)
    x = run(input, x)
    local skips = {}
    for i = 1, 4 do
      x = run(down[i][1], x)
      skips[i] = x
      x = run(down[i][2], x)
    end
    x = run(bottom, x)
    for j = 1, 4 do
      local skip = skips[5 - j]
      local u = run(up[j][1], x)
      local ls, lu = skip.shape[3], u.shape[3]
      if lu > ls then
        local off = (lu - ls) // 2
        u = u[{{}, {}, {off + 1, off + ls}}]
      end
      x = run(up[j][2], np.concatenate({skip, u}, 1))
    end
    return core.softmax(core.conv_forward(x, out_w, out_b, ONE, {0, 0}, ONE, 1), 1, false)
  end
end
-- }=====

-- The TensorFlow names of the checkpoint (shared/data/phasenet/README.md)
-- for every entry of the state dict, with the kernel layouts; BatchNorm's
-- num_batches_tracked is not in the file (false: left as it is).
function M.tf_mapping()
  local map = {}
  local function bn(prefix, scope)
    map[prefix .. ".weight"] = scope .. "/gamma"
    map[prefix .. ".bias"] = scope .. "/beta"
    map[prefix .. ".running_mean"] = scope .. "/moving_mean"
    map[prefix .. ".running_var"] = scope .. "/moving_variance"
    map[prefix .. ".num_batches_tracked"] = false
  end
  local function conv(prefix, scope, layout)
    map[prefix .. ".weight"] = {scope .. "/kernel", layout = layout or "tf_conv1d"}
  end
  conv("input.0", "Input/input_conv"); map["input.0.bias"] = "Input/input_conv/bias"
  bn("input.1", "Input/input_bn")
  for i = 1, 4 do
    local p, s = ("down.%d."):format(i - 1), ("DownConv_%d/"):format(i - 1)
    conv(p .. "0.0", s .. "down_conv1_" .. i); bn(p .. "0.1", s .. "down_bn1_" .. i)
    conv(p .. "1.0", s .. "down_conv3_" .. i); bn(p .. "1.1", s .. "down_bn3_" .. i)
  end
  conv("bottom.0", "DownConv_4/down_conv1_5"); bn("bottom.1", "DownConv_4/down_bn1_5")
  for j = 1, 4 do
    local i = 5 - j
    local p, s = ("up.%d."):format(j - 1), ("UpConv_%d/"):format(i - 1)
    conv(p .. "0.0", s .. "up_conv0_" .. i, "tf_conv_transpose1d"); bn(p .. "0.1", s .. "up_bn0_" .. i)
    conv(p .. "1.0", s .. "up_conv1_" .. i); bn(p .. "1.1", s .. "up_bn1_" .. i)
  end
  conv("output", "Output/output_conv"); map["output.bias"] = "Output/output_conv/bias"
  return map
end

return M
