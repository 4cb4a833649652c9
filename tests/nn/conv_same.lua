-- conv_same.lua: padding="same" (PyTorch's at stride 1, TensorFlow's SAME with
-- a stride), explicit {lo, hi} padding, F.pad with a value, and PhaseNet's
-- transposed-convolution alignment (ConvTranspose1d stride 4 with padding
-- {{1, 2}}: the full output's samples 1..4T), forward and gradients against
-- torch 1.13 (tests/fixtures/phasenet/gen_conv_same.py), in float64.
local T = require "testlib"
local F = nn.functional
local R = np.load("tests/fixtures/phasenet/conv_same.npz")

-- Runs fn(x, w, b) as tensors, backward with the fixture's upstream gradient,
-- and compares output and gradients with torch's.
local function check(name, fn, has_w, has_b)
  local x = nn.tensor(R[name .. "/x"], {requires_grad = true})
  local w = has_w and nn.tensor(R[name .. "/w"], {requires_grad = true}) or nil
  local b = has_b and nn.tensor(R[name .. "/b"], {requires_grad = true}) or nil
  local y = fn(x, w, b)
  T.eq(y.shape, R[name .. "/y"].shape, name .. " shape")
  T.close(y.data, R[name .. "/y"], 1e-10, 1e-12, name .. " forward")
  local loss = (y * R[name .. "/g"]):sum()
  loss:backward()
  T.close(x.grad, R[name .. "/gx"], 1e-10, 1e-12, name .. " grad x")
  if w then T.close(w.grad, R[name .. "/gw"], 1e-10, 1e-12, name .. " grad w") end
  if b then T.close(b.grad, R[name .. "/gb"], 1e-10, 1e-12, name .. " grad b") end
end

for _, L in ipairs{13, 12} do
  check("s1_L" .. L, function(x, w, b) return F.conv1d(x, w, b, {padding = "same"}) end, true, true)
end
for _, L in ipairs{17, 16, 15, 12, 3} do
  check("s4_L" .. L, function(x, w, b) return F.conv1d(x, w, b, {padding = "same", stride = 4}) end, true, true)
end
check("s3_d2_k4_L11", function(x, w, b) return F.conv1d(x, w, b, {padding = "same", stride = 3, dilation = 2}) end,
  true, true)
check("2d_s2_7x8", function(x, w, b) return F.conv2d(x, w, b, {padding = "same", stride = 2}) end, true, true)
check("asym_1d", function(x, w, b) return F.conv1d(x, w, b, {padding = {{2, 3}}}) end, true, true)
check("asym_2d", function(x, w, b) return F.conv2d(x, w, b, {padding = {{0, 1}, {2, 1}}, stride = {2, 1}}) end,
  true, true)
for _, n in ipairs{12, 47, 5} do
  check("convt_T" .. n, function(x, w) return F.conv_transpose1d(x, w, {stride = 4, padding = {{1, 2}}}) end, true)
end
check("pad_value", function(x) return F.pad(x, {1, 2, 0, 1}, {value = 0.5}) end)

-- the layers: strided "same" needs the input length, so the module computes
-- it per call; output lengths ceil(L / stride) for odd and even L
do
  local conv = nn.Conv1d(3, 4, 7, {padding = "same", stride = 4, dtype = "float64"})
  for _, L in ipairs{3000, 750, 188, 47, 12, 1} do
    T.eq(conv(np.zeros{1, 3, L}).shape, {1, 4, (L + 3) // 4}, "Conv1d same stride 4, L = " .. L)
  end
  conv.weight.data[{}] = R["s4_L17/w"]; conv.bias.data[{}] = R["s4_L17/b"]
  T.close(conv(R["s4_L17/x"]).data, R["s4_L17/y"], 1e-10, 1e-12, "Conv1d module, same stride 4")
  T.eq(tostring(conv), "Conv1d(3, 4, kernel_size=(7,), stride=(4,), padding=same)")
  local up = nn.ConvTranspose1d(6, 4, 7, {stride = 4, padding = {{1, 2}}, bias = false, dtype = "float64"})
  up.weight.data[{}] = R["convt_T12/w"]
  T.close(up(R["convt_T12/x"]).data, R["convt_T12/y"], 1e-10, 1e-12, "ConvTranspose1d module, {{1, 2}}")
  T.eq(tostring(up), "ConvTranspose1d(6, 4, kernel_size=(7,), stride=(4,), padding=((1, 2),), bias=False)")
  local c2 = nn.Conv2d(2, 3, {3, 4}, {padding = "same", stride = 2, dtype = "float64"})
  T.eq(c2(np.zeros{2, 2, 7, 8}).shape, {2, 3, 4, 4})
end

-- errors
T.err("nn.functional.conv1d: padding pairs must be {lo, hi} of non-negative integers, one per dimension (1)",
  F.conv1d, np.zeros{1, 1, 5}, np.zeros{1, 1, 3}, {padding = {{1, -1}}})
T.err("nn.functional.conv2d: padding pairs must be", F.conv2d, np.zeros{1, 1, 5, 5}, np.zeros{1, 1, 3, 3},
  {padding = {{1, 1}}})
T.err("nn.functional.conv1d: invalid padding string 'SAME'", F.conv1d, np.zeros{1, 1, 5}, np.zeros{1, 1, 3},
  {padding = "SAME"})
T.err("nn.ConvTranspose1d: padding must be numbers for a transposed convolution",
  function() return nn.ConvTranspose1d(1, 1, 3, {padding = "same"}) end)

T.done()
