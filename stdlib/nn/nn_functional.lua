-- nn_functional.lua: nn.functional (F), the stateless forms of the layers:
-- linear, convolutions, pools, batch norm, dropout, pad and activations, each
-- recorded on the tape with its backward. The numerics are geolab.nn_core's
-- (kernels/nn) and np's; this file checks arguments and shapes and wires
-- gradients. Every function takes a tensor or an np array; the loss
-- functions are in nn_functional_loss.lua.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local core = require "geolab.nn_core"
local error = util.raise

local F = {}
local record, as_tensor, shape_str = T.record, T.as_tensor, T.shape_str
local is_tensor = T.is_tensor
F._internal = {}
local I = F._internal

-- The input as a float tensor: np arrays of integers become float32.
local function input(x, who, dtype, level)
  if not is_tensor(x) and T.is_array(x) and not dtype and x.dtype ~= "float32" and x.dtype ~= "float64" then
    dtype = "float32"
  end
  local t = as_tensor(x, dtype, who, (level or 2) + 1)
  local dt = t.data.dtype
  if dt ~= "float32" and dt ~= "float64" then
    error(("%s: expected a float tensor, got %s"):format(who, dt), (level or 2) + 1)
  end
  return t
end
I.input = input

-- A parameter-like argument (weight, bias) of the input's dtype, or nil.
local function param(p, dtype, who, what)
  if p == nil then return nil end
  if is_tensor(p) then
    if p.data.dtype ~= dtype then
      error(("%s: %s is %s but the input is %s"):format(who, what, p.data.dtype, dtype), 4)
    end
    return p
  end
  return as_tensor(p, dtype, who, 4)
end

local function opts_of(o, allowed, who)
  return util.check_options(o, allowed, who, 3)
end

-- {===== linear

-- y = x @ w^T + b for x (..., in), w (out, in), b (out). One node. The
-- forward is PyTorch's addmm: one gemm adding x @ w^T into rows holding b
-- (core.linear); the weight gradient of a leaf whose .grad exists is added
-- into it by one gemm (beta 1) instead of a product and a sum.
function I.linear(x, w, b, who)
  local xd, wd = x.data, w.data
  local xs, ws = xd.shape, wd.shape
  local nin = ws[2]
  if xd.ndim < 1 or xs[#xs] ~= nin then
    error(("%s: expected input with last dimension %d, got shape %s"):format(who, nin, shape_str(xs)), 3)
  end
  local x2 = xd.ndim == 2 and xd or xd:reshape{-1, nin}
  local y2
  if b == nil or (b.data.ndim == 1 and b.data.shape[1] == ws[1]) then
    y2 = core.linear(x2, wd, b and b.data)
  else   -- a bias of another shape, broadcast as PyTorch's addmm does
    y2 = np.matmul(x2, wd.T) + b.data
  end
  local ys = {}
  for i = 1, #xs - 1 do ys[i] = xs[i] end
  ys[#ys + 1] = ws[1]
  local y = xd.ndim == 2 and y2 or y2:reshape(ys)
  return record(y, b and "AddmmBackward0" or "MmBackward0", {x, w, b}, function(g, needs)
    local g2 = g.ndim == 2 and g or g:reshape{-1, ws[1]}
    local gx, gw, gb
    if needs[1] then
      gx = g2.dtype == wd.dtype and core.linear_grad_input(g2, wd) or np.matmul(g2, wd)
      if xd.ndim ~= 2 then gx = gx:reshape(xs) end
    end
    if needs[2] then
      local cur = w.grad_fn == nil and rawget(w, "grad")
      if not (cur and core.linear_grad_weight_into(cur, g2, x2)) then gw = np.matmul(g2.T, x2) end
    end
    if needs[3] then gb = g2:sum(0) end
    return gx, gw, gb
  end)
end

function F.linear(x, w, b)
  local who = "nn.functional.linear"
  x = input(x, who)
  w = param(w, x.data.dtype, who, "weight")
  if w == nil or w.data.ndim ~= 2 then error(who .. ": weight must be a 2-d (out, in) tensor", 2) end
  return I.linear(x, w, param(b, x.data.dtype, who, "bias"), who)
end
-- }=====

-- {===== convolutions

-- d integers from a number or a table of d (PyTorch's int or tuple).
local function tuple(v, d, who, what)
  if type(v) == "number" then
    if v ~= math.floor(v) then error(("%s: %s must be integers, got %s"):format(who, what, v), 4) end
    local t = {}
    for i = 1, d do t[i] = math.tointeger(v) end
    return t
  end
  if type(v) == "table" and #v == d then
    local t = {}
    for i = 1, d do
      if math.type(v[i]) ~= "integer" and not (type(v[i]) == "number" and v[i] == math.floor(v[i])) then
        error(("%s: %s must be integers"):format(who, what), 4)
      end
      t[i] = math.tointeger(v[i])
    end
    return t
  end
  error(("%s: %s must be an integer or a table of %d integers, got %s"):format(who, what, d, tostring(v)), 4)
end
I.tuple = tuple

-- A padding argument checked and kept in one of its three forms: "valid" /
-- "same", d non-negative integers (PyTorch's, both sides), or d {lo, hi}
-- pairs (geolab's asymmetric form: {{lo, hi}} for 1-d, {{lo1, hi1}, {lo2,
-- hi2}} for 2-d). Layers store it so and print it so.
function I.padding_spec(p, d, who, level)
  level = (level or 3) + 1
  if p == nil then p = 0 end
  if type(p) == "string" then
    if p ~= "valid" and p ~= "same" then
      error(("%s: invalid padding string '%s', should be one of {'valid', 'same'}"):format(who, p), level)
    end
    return p
  end
  if type(p) == "table" and type(p[1]) == "table" then
    local out = {}
    if #p ~= d then
      error(("%s: padding pairs must be {lo, hi} of non-negative integers, one per dimension (%d)"):format(
        who, d), level)
    end
    for i = 1, d do
      local q = p[i]
      if type(q) ~= "table" or #q ~= 2 or math.type(q[1]) ~= "integer" or math.type(q[2]) ~= "integer"
        or q[1] < 0 or q[2] < 0 then
        error(("%s: padding pairs must be {lo, hi} of non-negative integers, one per dimension (%d)"):format(
          who, d), level)
      end
      out[i] = {q[1], q[2]}
    end
    return out
  end
  local t = tuple(p, d, who, "padding")
  for i = 1, d do
    if t[i] < 0 then error(who .. ": negative padding is not supported", level) end
  end
  return t
end

-- Padding as the kernel wants it, {lo1, hi1[, lo2, hi2]}, from a padding
-- spec. "same" with stride 1 is PyTorch's (total dilation*(k-1), the odd
-- sample after); with a stride it is TensorFlow's SAME, which PyTorch refuses:
-- output ceil(L/stride), total max((out-1)*stride + dilation*(k-1) + 1 - L, 0),
-- the smaller half before. Both rules agree at stride 1. `insize` (the input's
-- spatial sizes) may be nil to only check the spec.
function I.conv_padding(p, d, k, dil, stride, who, insize)
  p = I.padding_spec(p, d, who, 4)
  if p == "valid" then p = 0 end
  local out = {}
  if p == "same" then
    for i = 1, d do
      local total = dil[i] * (k[i] - 1)
      if stride[i] ~= 1 then
        if not insize then return nil end
        local L = insize[i]
        local nout = (L + stride[i] - 1) // stride[i]
        total = math.max((nout - 1) * stride[i] + dil[i] * (k[i] - 1) + 1 - L, 0)
      end
      out[#out + 1] = total // 2
      out[#out + 1] = total - total // 2
    end
    return out
  end
  if type(p) == "number" then p = tuple(p, d, who, "padding") end
  for i = 1, d do
    local q = p[i]
    if type(q) == "table" then out[#out + 1] = q[1]; out[#out + 1] = q[2]
    else out[#out + 1] = q; out[#out + 1] = q end
  end
  return out
end

-- Unbatched input (C, ...) runs as a batch of one.
local function batched(x, d, who, expect)
  local nd = x.data.ndim
  if nd == d + 2 then return x, false end
  if nd == d + 1 then return x:unsqueeze(0), true end
  error(("%s: expected %s, got shape %s"):format(who, expect, shape_str(x.data.shape)), 4)
end
I.batched = batched

-- conv(x, w, b, opts, d, who): opts has stride, padding, dilation, groups.
function I.conv(x, w, b, o, d, who)
  local ws = w.data.shape
  local k = {}
  for i = 1, d do k[i] = ws[i + 2] end
  local stride = tuple(o.stride or 1, d, who, "stride")
  local dil = tuple(o.dilation or 1, d, who, "dilation")
  local groups = o.groups or 1
  local cin = ws[2] * groups
  local dims = d == 1 and "L" or "H, W"
  local xb, unb = batched(x, d, who, ("input of shape (N, %d, %s) or (%d, %s)"):format(cin, dims, cin, dims))
  local xs = xb.data.shape
  local pad = I.conv_padding(o.padding or 0, d, k, dil, stride, who, {xs[3], xs[4]})
  if xs[2] ~= cin then
    error(("%s: expected input with %d channels, got shape %s"):format(who, cin, shape_str(x.data.shape)), 3)
  end
  for i = 1, d do
    if xs[i + 2] + pad[2 * i - 1] + pad[2 * i] < dil[i] * (k[i] - 1) + 1 then
      error(("%s: input %s is smaller than the kernel (%s after padding)"):format(who,
        shape_str(x.data.shape), table.concat(k, "x")), 3)
    end
  end
  local xd, wd = xb.data, w.data
  local y = core.conv_forward(xd, wd, b and b.data or nil, stride, pad, dil, groups)
  local out = record(y, "ConvolutionBackward0", {xb, w, b}, function(g, needs)
    return core.conv_backward(xd, wd, g, stride, pad, dil, groups,
      {gx = needs[1], gw = needs[2], gb = needs[3] or false})
  end)
  return unb and out:squeeze(0) or out
end

local CONV_OPTS = {"stride", "padding", "dilation", "groups"}
local function conv_f(d)
  local who = ("nn.functional.conv%dd"):format(d)
  return function(x, w, b, o)
    if o == nil and type(b) == "table" and not is_tensor(b) and getmetatable(b) == nil then b, o = nil, b end
    o = opts_of(o, CONV_OPTS, who)
    x = input(x, who)
    w = param(w, x.data.dtype, who, "weight")
    if w == nil or w.data.ndim ~= d + 2 then error(("%s: weight must be %d-d"):format(who, d + 2), 2) end
    return I.conv(x, w, param(b, x.data.dtype, who, "bias"), o, d, who)
  end
end
F.conv1d, F.conv2d = conv_f(1), conv_f(2)

-- conv_transpose(x, w, b, o, d, who): w (Cin, Cout/groups, k...).
function I.conv_transpose(x, w, b, o, d, who)
  local ws = w.data.shape
  local stride = tuple(o.stride or 1, d, who, "stride")
  local dil = tuple(o.dilation or 1, d, who, "dilation")
  local opad = tuple(o.output_padding or 0, d, who, "output_padding")
  -- padding crops the full output: p from both ends, or {lo, hi} pairs
  local p = I.padding_spec(o.padding, d, who)
  if type(p) == "string" then error(who .. ": padding must be numbers for a transposed convolution", 3) end
  local groups = o.groups or 1
  local pad = {}
  for i = 1, d do
    if opad[i] >= stride[i] and opad[i] >= dil[i] then
      error(who .. ": output padding must be smaller than either stride or dilation", 3)
    end
    if type(p[i]) == "table" then pad[#pad + 1] = p[i][1]; pad[#pad + 1] = p[i][2]
    else pad[#pad + 1] = p[i]; pad[#pad + 1] = p[i] end
  end
  local cin = ws[1]
  local dims = d == 1 and "L" or "H, W"
  local xb, unb = batched(x, d, who, ("input of shape (N, %d, %s) or (%d, %s)"):format(cin, dims, cin, dims))
  if xb.data.shape[2] ~= cin then
    error(("%s: expected input with %d channels, got shape %s"):format(who, cin, shape_str(x.data.shape)), 3)
  end
  local xd, wd = xb.data, w.data
  local y = core.conv_transpose_forward(xd, wd, b and b.data or nil, stride, pad, opad, dil, groups)
  local out = record(y, "ConvolutionBackward0", {xb, w, b}, function(g, needs)
    return core.conv_transpose_backward(xd, wd, g, stride, pad, opad, dil, groups,
      {gx = needs[1], gw = needs[2], gb = needs[3] or false})
  end)
  return unb and out:squeeze(0) or out
end

local function convt_f(d)
  local who = ("nn.functional.conv_transpose%dd"):format(d)
  return function(x, w, b, o)
    if o == nil and type(b) == "table" and not is_tensor(b) and getmetatable(b) == nil then b, o = nil, b end
    o = opts_of(o, {"stride", "padding", "output_padding", "groups", "dilation"}, who)
    x = input(x, who)
    w = param(w, x.data.dtype, who, "weight")
    if w == nil or w.data.ndim ~= d + 2 then error(("%s: weight must be %d-d"):format(who, d + 2), 2) end
    return I.conv_transpose(x, w, param(b, x.data.dtype, who, "bias"), o, d, who)
  end
end
F.conv_transpose1d, F.conv_transpose2d = convt_f(1), convt_f(2)
-- }=====

-- {===== pools

function I.max_pool(x, kernel, o, d, who)
  local k = tuple(kernel, d, who, "kernel_size")
  local stride = o.stride ~= nil and tuple(o.stride, d, who, "stride") or k
  local pad = tuple(o.padding or 0, d, who, "padding")
  local dil = tuple(o.dilation or 1, d, who, "dilation")
  for i = 1, d do
    if pad[i] * 2 > k[i] then error(who .. ": pad should be at most half of effective kernel size", 3) end
  end
  local dims = d == 1 and "(N, C, L) or (C, L)" or "(N, C, H, W) or (C, H, W)"
  local xb, unb = batched(x, d, who, "input of shape " .. dims)
  local xd = xb.data
  local okc, y, idx = pcall(core.max_pool_forward, xd, k, stride, pad, dil, o.ceil_mode or false)
  if not okc then error(who .. ": " .. tostring(y):gsub("^[^:]*: ", ""), 3) end
  local out = record(y, ("MaxPool%dDWithIndicesBackward0"):format(d), {xb}, function(g)
    return core.max_pool_backward(g, idx, xd)
  end)
  return unb and out:squeeze(0) or out
end

function I.avg_pool(x, kernel, o, d, who)
  local k = tuple(kernel, d, who, "kernel_size")
  local stride = o.stride ~= nil and tuple(o.stride, d, who, "stride") or k
  local pad = tuple(o.padding or 0, d, who, "padding")
  for i = 1, d do
    if pad[i] * 2 > k[i] then error(who .. ": pad should be at most half of kernel size", 3) end
  end
  local cip = o.count_include_pad ~= false
  local div = o.divisor_override
  local dims = d == 1 and "(N, C, L) or (C, L)" or "(N, C, H, W) or (C, H, W)"
  local xb, unb = batched(x, d, who, "input of shape " .. dims)
  local xd = xb.data
  local ceil = o.ceil_mode or false
  local okc, y = pcall(core.avg_pool_forward, xd, k, stride, pad, ceil, cip, div)
  if not okc then error(who .. ": " .. tostring(y):gsub("^[^:]*: ", ""), 3) end
  local out = record(y, ("AvgPool%dDBackward0"):format(d), {xb}, function(g)
    return core.avg_pool_backward(g, xd, k, stride, pad, ceil, cip, div)
  end)
  return unb and out:squeeze(0) or out
end

function I.adaptive_avg_pool(x, size, d, who)
  local s = tuple(size, d, who, "output_size")
  local dims = d == 1 and "(N, C, L) or (C, L)" or "(N, C, H, W) or (C, H, W)"
  local xb, unb = batched(x, d, who, "input of shape " .. dims)
  local xd = xb.data
  for i = 1, d do
    if s[i] < 1 then error(who .. ": output_size must be positive", 3) end
  end
  local y = core.adaptive_avg_pool_forward(xd, s)
  local out = record(y, ("AdaptiveAvgPool%dDBackward0"):format(d), {xb}, function(g)
    return core.adaptive_avg_pool_backward(g, xd)
  end)
  return unb and out:squeeze(0) or out
end

for d = 1, 2 do
  local mp, ap, aap = ("max_pool%dd"):format(d), ("avg_pool%dd"):format(d), ("adaptive_avg_pool%dd"):format(d)
  F[mp] = function(x, k, o)
    local who = "nn.functional." .. mp
    o = opts_of(o, {"stride", "padding", "dilation", "ceil_mode"}, who)
    return I.max_pool(input(x, who), k, o, d, who)
  end
  F[ap] = function(x, k, o)
    local who = "nn.functional." .. ap
    o = opts_of(o, {"stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"}, who)
    return I.avg_pool(input(x, who), k, o, d, who)
  end
  F[aap] = function(x, s)
    local who = "nn.functional." .. aap
    return I.adaptive_avg_pool(input(x, who), s, d, who)
  end
end
-- }=====

-- {===== batch norm, dropout, pad

-- batch_norm(x, running_mean, running_var, weight, bias, training, momentum,
-- eps): the running arrays (np arrays or nil) are updated in place.
function I.batch_norm(x, rm, rv, w, b, training, momentum, eps, who)
  local xd = x.data
  local c = xd.shape[2]
  for _, a in ipairs{rm or false, rv or false, w and w.data or false, b and b.data or false} do
    if a and (a.ndim ~= 1 or a.shape[1] ~= c) then
      error(("%s: expected per-channel arrays of %d values for input %s"):format(who, c, shape_str(xd.shape)), 3)
    end
  end
  if training then
    local per = xd.size // c
    if per <= 1 then
      error(("%s: expected more than 1 value per channel when training, got input size %s"):format(who,
        shape_str(xd.shape)), 3)
    end
  elseif not (rm and rv) then
    error(who .. ": running_mean and running_var are needed in eval mode", 3)
  end
  local y, mean, invstd = core.batch_norm_forward(xd, w and w.data or nil, b and b.data or nil, rm, rv,
    training, momentum, eps)
  return record(y, "NativeBatchNormBackward0", {x, w, b}, function(g)
    return core.batch_norm_backward(xd, g, w and w.data or nil, mean, invstd, training)
  end)
end

function F.batch_norm(x, rm, rv, o)
  local who = "nn.functional.batch_norm"
  o = opts_of(o, {"weight", "bias", "training", "momentum", "eps"}, who)
  x = input(x, who)
  if x.data.ndim < 2 or x.data.ndim > 4 then
    error(who .. ": expected input of shape (N, C), (N, C, L) or (N, C, H, W), got " .. shape_str(x.data.shape), 2)
  end
  local dt = x.data.dtype
  local function arr(a)
    if a == nil then return nil end
    if is_tensor(a) then a = a.data end
    if a.dtype ~= dt then error(("%s: running statistics must be %s like the input"):format(who, dt), 3) end
    return a
  end
  return I.batch_norm(x, arr(rm), arr(rv), param(o.weight, dt, who, "weight"), param(o.bias, dt, who, "bias"),
    o.training or false, o.momentum or 0.1, o.eps or 1e-5, who)
end

-- dropout: zero with probability p (the nn generator), scale by 1/(1-p).
function I.dropout(x, p, training, who)
  if type(p) ~= "number" or p < 0 or p > 1 then
    error(("%s: dropout probability has to be between 0 and 1, but got %s"):format(who, tostring(p)), 3)
  end
  if not training or p == 0 then return x end
  local xd = x.data
  local mask
  if p == 1 then mask = np.zeros(xd.shape, xd.dtype)
  else
    mask = T.generator():random({xd.size}):reshape(xd.shape):ge(p):astype(xd.dtype) * (1 / (1 - p))
  end
  return record(xd * mask, "NativeDropoutBackward0", {x}, function(g) return g * mask end)
end

function F.dropout(x, p, o)
  local who = "nn.functional.dropout"
  if type(p) == "table" then o, p = p, p.p end
  o = opts_of(o, {"p", "training"}, who)
  return I.dropout(input(x, who), p or 0.5, o.training ~= false, who)
end

-- pad(x, pad[, {mode = "constant", value = 0}]): pad as PyTorch's list
-- (last dim first: {left, right, top, bottom, ...}).
function F.pad(x, pad, o)
  local who = "nn.functional.pad"
  if type(o) == "string" then o = {mode = o} end
  o = opts_of(o, {"mode", "value"}, who)
  if (o.mode or "constant") ~= "constant" then
    error(("%s: only mode='constant' is supported, got '%s'"):format(who, tostring(o.mode)), 2)
  end
  x = input(x, who)
  local xd = x.data
  if type(pad) ~= "table" or #pad % 2 ~= 0 or #pad // 2 > xd.ndim then
    error(("%s: padding length must be even and at most twice the dims (%d), got %s"):format(who,
      2 * xd.ndim, type(pad) == "table" and #pad or tostring(pad)), 2)
  end
  local shape, key = {}, {}
  for i = 1, xd.ndim do shape[i] = xd.shape[i]; key[i] = {} end
  for j = 1, #pad // 2 do
    local ax = xd.ndim - j + 1
    local lo, hi = pad[2 * j - 1], pad[2 * j]
    if math.type(lo) ~= "integer" or math.type(hi) ~= "integer" or lo < 0 or hi < 0 then
      error(who .. ": paddings must be non-negative integers", 2)
    end
    shape[ax] = shape[ax] + lo + hi
    key[ax] = {lo + 1, lo + xd.shape[ax]}
  end
  local y = np.full(shape, o.value or 0, xd.dtype)
  y[key] = xd
  return record(y, "ConstantPadNdBackward0", {x}, function(g) return g[key]:copy() end)
end
-- }=====

-- {===== activations

local function act(name, kname, grad_name)
  return function(x, alpha, who)
    local xd = x.data
    local y = core.activation(kname, xd, alpha or 0)
    return record(y, grad_name, {x}, function(g)
      return core.activation_backward(kname, xd, y, g, alpha or 0)
    end)
  end
end
I.relu = act("relu", "relu", "ReluBackward0")
I.leaky_relu = act("leaky_relu", "leaky_relu", "LeakyReluBackward0")
I.elu = act("elu", "elu", "EluBackward0")
I.gelu = act("gelu", "gelu", "GeluBackward0")
I.gelu_tanh = act("gelu", "gelu_tanh", "GeluBackward0")
I.sigmoid = act("sigmoid", "sigmoid", "SigmoidBackward0")
I.tanh = act("tanh", "tanh", "TanhBackward0")
I.silu = act("silu", "silu", "SiluBackward0")

function F.relu(x) return I.relu(input(x, "nn.functional.relu")) end
function F.sigmoid(x) return I.sigmoid(input(x, "nn.functional.sigmoid")) end
function F.tanh(x) return I.tanh(input(x, "nn.functional.tanh")) end
function F.silu(x) return I.silu(input(x, "nn.functional.silu")) end
local function number_arg(v, who, what)
  if v ~= nil and type(v) ~= "number" then
    error(("%s: %s must be a number, got %s"):format(who, what, type(v)), 3)
  end
  return v
end
I.number_arg = number_arg
function F.leaky_relu(x, slope)
  local who = "nn.functional.leaky_relu"
  if type(slope) == "table" then slope = opts_of(slope, {"negative_slope"}, who).negative_slope end
  number_arg(slope, who, "negative_slope")
  return I.leaky_relu(input(x, who), slope or 0.01)
end
function F.elu(x, alpha)
  local who = "nn.functional.elu"
  if type(alpha) == "table" then alpha = opts_of(alpha, {"alpha"}, who).alpha end
  number_arg(alpha, who, "alpha")
  return I.elu(input(x, who), alpha or 1.0)
end
function I.gelu_any(x, approx, who)
  if approx == nil or approx == "none" then return I.gelu(x) end
  if approx == "tanh" then return I.gelu_tanh(x) end
  error(("%s: approximate must be 'none' or 'tanh', got '%s'"):format(who, tostring(approx)), 3)
end
function F.gelu(x, o)
  local who = "nn.functional.gelu"
  if type(o) == "string" then o = {approximate = o} end
  o = opts_of(o, {"approximate"}, who)
  return I.gelu_any(input(x, who), o.approximate, who)
end

function I.softmax(x, dim, log, who)
  if dim == nil then error(who .. ": dim is required (PyTorch's implicit dim is deprecated)", 3) end
  local xd = x.data
  dim = T.norm_dim(dim, xd.ndim, who, 3)
  local y = core.softmax(xd, dim, log)
  return record(y, log and "LogSoftmaxBackward0" or "SoftmaxBackward0", {x}, function(g)
    return core.softmax_backward(y, g, dim, log)
  end)
end
local function dim_arg(d, who)
  if type(d) == "table" then return opts_of(d, {"dim"}, who).dim end
  return d
end
function F.softmax(x, dim)
  local who = "nn.functional.softmax"
  return I.softmax(input(x, who), dim_arg(dim, who), false, who)
end
function F.log_softmax(x, dim)
  local who = "nn.functional.log_softmax"
  return I.softmax(input(x, who), dim_arg(dim, who), true, who)
end
-- }=====

-- Tensor methods for the common activations: x:relu(), x:softmax(dim)...
local methods = T.methods
function methods.relu(x) return I.relu(x) end
function methods.sigmoid(x) return I.sigmoid(x) end
function methods.tanh(x) return I.tanh(x) end
function methods.softmax(x, dim) return I.softmax(x, dim_arg(dim, "nn.Tensor:softmax"), false, "nn.Tensor:softmax") end
function methods.log_softmax(x, dim)
  return I.softmax(x, dim_arg(dim, "nn.Tensor:log_softmax"), true, "nn.Tensor:log_softmax")
end

return F
