-- nn_core_convt.lua: geolab.nn_core's conv_transpose_forward and
-- conv_transpose_backward against PyTorch 1.13 (tests/fixtures/nn/
-- make_core.py, part convt): 1-D and 2-D, stride, padding cropped from the
-- full output (asymmetric too), output_padding, dilation, groups, bias,
-- float64 and float32; argument errors; the same bits with 1 and 2 threads.
local T = require "testlib"
local C = require "geolab.nn_core"

-- float64 to 1e-10, float32 to 1e-5 relative, with an absolute floor of 1e-7
-- of the largest value in float32 for sums that cancel (see nn_core_conv.lua).
local RTOL = {f64 = 1e-10, f32 = 1e-5}
local function cmp(got, want, sfx, msg) T.close_like(got, want, RTOL[sfx], msg) end

local F = np.load("tests/fixtures/nn/core_convt.npz")
for _, name in ipairs{"t1_basic", "t1_dg", "t1_asym", "t2_basic", "t2_groups", "t2_asym", "t2_unet"} do
  local function p(k) return F[name .. "_" .. k]:totable() end
  local st, pad, opad, dil = p("stride"), p("pad"), p("opad"), p("dil")
  local groups = F[name .. "_groups"][1]
  for _, sfx in ipairs{"f64", "f32"} do
    local function get(k) return rawget(F, ("%s_%s_%s"):format(name, k, sfx)) end
    local x, w, b, gy = get("x"), get("w"), get("b"), get("gy")
    local tag = name .. " " .. sfx
    cmp(C.conv_transpose_forward(x, w, b, st, pad, opad, dil, groups), get("y"), sfx, tag .. " forward")
    local gx, gw, gb = C.conv_transpose_backward(x, w, gy, st, pad, opad, dil, groups,
                                                 {gx = true, gw = true, gb = true})
    cmp(gx, get("gx"), sfx, tag .. " gx")
    cmp(gw, get("gw"), sfx, tag .. " gw")
    if b then cmp(gb, get("gb"), sfx, tag .. " gb") end
  end
end

-- hand-checkable: stride 2 spreads each input over two outputs
T.close(C.conv_transpose_forward(np.array{{{1.0, 2.0}}}, np.array{{{1.0, 10.0}}}, nil, {2}, {0, 0}, {0}, {1}, 1),
        {{{1, 10, 2, 20}}})

local x, w = np.zeros{2, 4, 5, 5}, np.zeros{4, 3, 3, 3}
local ft = C.conv_transpose_forward
T.err("nn_core.conv_transpose_forward: expected input with 4 channels (w (4,3,3,3)), got 2 channels (x (2,2,5,5))",
      ft, np.zeros{2, 2, 5, 5}, w, nil, {1, 1}, {0, 0, 0, 0}, {0, 0}, {1, 1}, 1)
T.err("nn_core.conv_transpose_forward: output_padding (2) must be smaller than either stride (2) or dilation (1)",
      ft, x, w, nil, {2, 2}, {0, 0, 0, 0}, {2, 0}, {1, 1}, 1)
T.err("nn_core.conv_transpose_forward: output size 0 is too small (input 1, kernel 1, padding 1+0)",
      ft, np.zeros{1, 1, 1}, np.zeros{1, 1, 1}, nil, {1}, {1, 0}, {0}, {1}, 1)
T.err("nn_core.conv_transpose_forward: b must have one value per output channel (3), got shape (4,)",
      ft, x, w, np.zeros{4}, {1, 1}, {0, 0, 0, 0}, {0, 0}, {1, 1}, 1)
T.err("nn_core.conv_transpose_backward: gy has shape (2,3,5,5) but the output has shape (2,3,7,7)",
      C.conv_transpose_backward, x, w, np.zeros{2, 3, 5, 5}, {1, 1}, {0, 0, 0, 0}, {0, 0}, {1, 1}, 1)

T.same_bits("nn_conv_transpose", [[
  local C = require "geolab.nn_core"
  local g = np.random.Generator(7)
  local x = g:normal(0, 1, {21, 8, 12, 12}):astype("float32")
  local w = g:normal(0, 1, {8, 4, 2, 2}):astype("float32")
  local y = C.conv_transpose_forward(x, w, nil, {2, 2}, {0, 0, 0, 0}, {0, 0}, {1, 1}, 1)
  local gy = g:normal(0, 1, y.shape):astype("float32")
  local gx, gw, gb = C.conv_transpose_backward(x, w, gy, {2, 2}, {0, 0, 0, 0}, {0, 0}, {1, 1}, 1,
                                               {gx = true, gw = true, gb = true})
  return {y = y, gx = gx, gw = gw, gb = gb}
]])

T.done()
