-- nn_conv_direct.lua: the direct float32 convolution (kernels/nn/nn_conv_direct.c,
-- taken by layers of at most 32 taps and 32 output channels, stride and
-- dilation 1, one group) against the im2col + gemm path in float64 on the
-- same values: the forward pass, the weight and bias gradients, at the edges
-- of its geometry (asymmetric and oversized padding, PyTorch's "same" for an
-- even kernel, partial last blocks, 32 taps, pointwise, 1-D and 2-D); shapes
-- just outside its limits; the same bits with 1 and 2 threads.
local T = require "testlib"
local C = require "geolab.nn_core"

local g = np.random.Generator(11)
-- {name, x shape, w shape, padding (before, after per dimension), bias}
local CASES = {
  {"course conv1", {5, 1, 28, 28}, {3, 1, 3, 3}, {2, 2, 2, 2}, true},
  {"course conv2", {5, 3, 15, 15}, {6, 3, 3, 3}, {2, 2, 2, 2}, false},
  {"1-D conv1", {3, 1, 1000}, {12, 1, 11}, {5, 5}, true},
  {"asymmetric", {4, 2, 9, 8}, {5, 2, 3, 2}, {0, 2, 1, 0}, true},
  {"pad beyond the image", {2, 1, 3, 4}, {4, 1, 3, 3}, {3, 3, 3, 3}, true},
  {"same, even kernel", {3, 2, 10, 7}, {3, 2, 4, 4}, {1, 2, 1, 2}, true},
  {"32 taps, 32 channels", {3, 2, 12, 12}, {32, 2, 4, 4}, {0, 0, 0, 0}, true},
  {"pointwise", {3, 5, 6, 7}, {7, 5, 1, 1}, {0, 0, 0, 0}, true},
  {"one output", {2, 3, 3, 3}, {2, 3, 3, 3}, {0, 0, 0, 0}, false},
  {"33 taps (gemm)", {3, 3, 40}, {12, 3, 11}, {5, 5}, true},
  {"33 channels (gemm)", {2, 1, 9, 9}, {33, 1, 3, 3}, {1, 1, 1, 1}, true},
}
for _, c in ipairs(CASES) do
  local name, xs, ws, pad, bias = c[1], c[2], c[3], c[4], c[5]
  local d = #xs - 2
  local ones = d == 1 and {1} or {1, 1}
  local x = g:normal(0, 1, xs)
  local w = g:normal(0, 1, ws)
  local b = bias and g:normal(0, 1, {ws[1]}) or nil
  local y64 = C.conv_forward(x, w, b, ones, pad, ones, 1)
  local gy = g:normal(0, 1, y64.shape)
  local _, gw64, gb64 = C.conv_backward(x, w, gy, ones, pad, ones, 1, {gw = true, gb = bias})
  local f32 = function(a) return a and a:astype("float32") end
  local y32 = C.conv_forward(f32(x), f32(w), f32(b), ones, pad, ones, 1)
  local _, gw32, gb32 = C.conv_backward(f32(x), f32(w), f32(gy), ones, pad, ones, 1, {gw = true, gb = bias})
  T.close_like(y32, f32(y64), 1e-5, name .. " forward")
  T.close_like(gw32, f32(gw64), 1e-5, name .. " weight gradient")
  if bias then T.close_like(gb32, f32(gb64), 1e-5, name .. " bias gradient") end
end

-- the values themselves, not only their agreement: a 1-input-channel 3x3 sum
-- over a padded 2x2 image (every output counts the image cells it covers)
do
  local x = np.ones({1, 1, 2, 2}, "float32")
  local w = np.ones({1, 1, 3, 3}, "float32")
  local y = C.conv_forward(x, w, np.array({0.5}, "float32"), {1, 1}, {1, 1, 1, 1}, {1, 1}, 1)
  T.eq(y:reshape(-1):totable(), {4.5, 4.5, 4.5, 4.5}, "padded 2x2 sums")
  local _, gw = C.conv_backward(x, w, np.ones({1, 1, 2, 2}, "float32"), {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, {gw = true})
  T.eq(gw:reshape(-1):totable(), {1, 2, 1, 2, 4, 2, 1, 2, 1}, "padded 2x2 weight gradient")
end

-- the course's layers, batch 64: the same bits with 1 and 2 threads
T.same_bits("nn_conv_direct", [[
  local C = require "geolab.nn_core"
  local g = np.random.Generator(7)
  local x = g:normal(0, 1, {64, 1, 28, 28}):astype("float32")
  local w = g:normal(0, 1, {3, 1, 3, 3}):astype("float32")
  local b = g:normal(0, 1, {3}):astype("float32")
  local y = C.conv_forward(x, w, b, {1, 1}, {2, 2, 2, 2}, {1, 1}, 1)
  local _, gw, gb = C.conv_backward(x, w, y, {1, 1}, {2, 2, 2, 2}, {1, 1}, 1, {gw = true, gb = true})
  local x1 = g:normal(0, 1, {9, 1, 3000}):astype("float32")
  local w1 = g:normal(0, 1, {12, 1, 11}):astype("float32")
  local y1 = C.conv_forward(x1, w1, nil, {1}, {5, 5}, {1}, 1)
  local _, gw1 = C.conv_backward(x1, w1, y1, {1}, {5, 5}, {1}, 1, {gw = true})
  return {y = y, gw = gw, gb = gb, y1 = y1, gw1 = gw1}
]])

T.done()
