-- bench/nn_conv.lua: convolution kernels of nn (geolab.nn_core), forward +
-- backward in float32 on the course's shapes (paired with nn_conv.py, which
-- times torch.nn.functional with 2 threads, on the inputs saved here). The
-- first layer of a network needs no input gradient, as PyTorch's autograd
-- skips it for data. Each row prints the sums of |y| and of the gradients'
-- magnitudes (float64 sums of float32 results: 1e-4) as CHECK lines.
local C = require "geolab.nn_core"
local B = dofile("bench/common.lua")
local quick, result = B.quick, B.result
local best = B.timer{reps = 10, quick_reps = 2, gc = true}
local function check(case, what, a)
  print(("CHECK %s %s %.9g rtol=1e-4"):format(case, what, np.abs(a:astype("float64")):sum()))
end
os.execute("mkdir -p bench/out")

local g = np.random.Generator(0)
-- name, x shape, w shape, padding, input gradient needed
local CASES = {
  {"course_conv1_64x1x28x28", {64, 1, 28, 28}, {3, 1, 3, 3}, 2, false},
  {"course_conv2_64x3x15x15", {64, 3, 15, 15}, {6, 3, 3, 3}, 2, true},
  {"lenet_conv1_64x1x28x28", {64, 1, 28, 28}, {32, 1, 3, 3}, 0, false},
  {"lenet_conv2_64x32x26x26", {64, 32, 26, 26}, {64, 32, 3, 3}, 0, true},
  {"conv1d_32x3x8192_k11", {32, 3, 8192}, {12, 3, 11}, 5, false},
}
for _, c in ipairs(CASES) do
  local name, xs, ws, p, needx = table.unpack(c)
  local d = #xs - 2
  local st, pad, dil = {}, {}, {}
  for i = 1, d do st[i] = 1; dil[i] = 1; pad[2 * i - 1] = p; pad[2 * i] = p end
  local x = g:normal(0, 1, xs):astype("float32")
  local w = g:normal(0, 1, ws):astype("float32")
  local b = g:normal(0, 1, {ws[1]}):astype("float32")
  local y = C.conv_forward(x, w, b, st, pad, dil, 1)
  local gy = g:normal(0, 1, y.shape):astype("float32")
  local need = {gx = needx, gw = true, gb = true}
  np.savez(("bench/out/nn_conv_%s.npz"):format(name), {x = x, w = w, b = b, gy = gy})
  result(name .. "_fwd", best(function() y = C.conv_forward(x, w, b, st, pad, dil, 1) end))
  check(name .. "_fwd", "sum_abs_y", y)
  local gx, gw, gb
  result(name .. "_fwd+bwd", best(function()
    C.conv_forward(x, w, b, st, pad, dil, 1)
    gx, gw, gb = C.conv_backward(x, w, gy, st, pad, dil, 1, need)
  end))
  if gx then check(name .. "_fwd+bwd", "sum_abs_gx", gx) end
  check(name .. "_fwd+bwd", "sum_abs_gw", gw)
  check(name .. "_fwd+bwd", "sum_abs_gb", gb)
end
