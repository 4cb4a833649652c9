-- nn_core_conv.lua: geolab.nn_core's conv_forward and conv_backward against
-- PyTorch 1.13 (tests/fixtures/nn/make_core.py, part conv): 1-D and 2-D,
-- stride, asymmetric padding, dilation, groups, bias, pointwise and
-- depthwise kernels, float64 and float32; argument errors; the same bits
-- with 1 and 2 threads.
local T = require "testlib"
local C = require "geolab.nn_core"

-- float64 to 1e-10, float32 to 1e-5 relative; the absolute floor (1e-7 of
-- the largest value in float32) covers sums that cancel to about zero, whose
-- float32 rounding differs between BLAS's and PyTorch's summation orders.
local RTOL = {f64 = 1e-10, f32 = 1e-5}
local function cmp(got, want, sfx, msg) T.close_like(got, want, RTOL[sfx], msg) end

local function list(a) return a:totable() end

local F = np.load("tests/fixtures/nn/core_conv.npz")
local CASES = {"c1_basic", "c1_sdg", "c1_course", "c2_basic", "c2_asym", "c2_point", "c2_depth",
               "c2_nofit", "c2_course"}
for _, name in ipairs(CASES) do
  local st, pad, dil = list(F[name .. "_stride"]), list(F[name .. "_pad"]), list(F[name .. "_dil"])
  local groups = F[name .. "_groups"][1]
  for _, sfx in ipairs{"f64", "f32"} do
    local function get(k) return rawget(F, ("%s_%s_%s"):format(name, k, sfx)) end
    local x, w, b, gy = get("x"), get("w"), get("b"), get("gy")
    local tag = name .. " " .. sfx
    cmp(C.conv_forward(x, w, b, st, pad, dil, groups), get("y"), sfx, tag .. " forward")
    local gx, gw, gb = C.conv_backward(x, w, gy, st, pad, dil, groups, {gx = true, gw = true, gb = true})
    cmp(gx, get("gx"), sfx, tag .. " gx")
    cmp(gw, get("gw"), sfx, tag .. " gw")
    if b then cmp(gb, get("gb"), sfx, tag .. " gb") end
    -- only what is asked for
    local nx, nw, nb = C.conv_backward(x, w, gy, st, pad, dil, groups, {gw = true})
    T.ok(nx == nil and nb == nil and nw ~= nil, tag .. " need")
  end
end

-- strided (non-contiguous) inputs are copied
do
  local xt = F.c2_basic_x_f64:swapaxes(0, 1):copy():swapaxes(0, 1)
  local w = F.c2_basic_w_f64
  local wt = w:swapaxes(0, 1):copy():swapaxes(0, 1)     -- a non-contiguous view of the same values
  cmp(C.conv_forward(xt, wt, F.c2_basic_b_f64, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1), F.c2_basic_y_f64, "f64",
      "strided w")
end

-- hand-checkable: a 1-D moving sum
T.close(C.conv_forward(np.array{{{1.0, 2.0, 3.0, 4.0}}}, np.ones{1, 1, 2}, nil, {1}, {0, 0}, {1}, 1),
        {{{3, 5, 7}}})

-- errors
local x2, w2 = np.zeros{2, 3, 8, 8}, np.zeros{4, 3, 3, 3}
local fw = C.conv_forward
T.err("nn_core.conv_forward: x must be (N, C, L) or (N, C, H, W), got shape (8,8)",
      fw, np.zeros{8, 8}, w2, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: w must be (Cout, Cin/groups, kh, kw) for a 2-D input, got shape (4,3,3)",
      fw, x2, np.zeros{4, 3, 3}, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: expected input with 3 channels (w (4,3,3,3), groups 1), got 5 channels (x (2,5,8,8))",
      fw, np.zeros{2, 5, 8, 8}, w2, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: w is float32 but x is float64 (all float arguments must share one dtype)",
      fw, x2, np.zeros({4, 3, 3, 3}, {dtype = "float32"}), nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: kernel size 3 (dilated 5) is larger than the padded input size 4",
      fw, np.zeros{1, 1, 4}, np.zeros{1, 1, 3}, nil, {1}, {0, 0}, {2}, 1)
T.err("nn_core.conv_forward: kernel size 9 (dilated 9) is larger than the padded input size 8",
      fw, x2, np.zeros{4, 3, 9, 1}, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: stride must be >= 1, got 0", fw, x2, w2, nil, {1, 0}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: padding must be a list of 4 integers", fw, x2, w2, nil, {1, 1}, {0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: padding must be >= 0, got -1", fw, x2, w2, nil, {1, 1}, {0, -1, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: input channels (3) must be divisible by groups (2)",
      fw, x2, w2, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 2)
T.err("nn_core.conv_forward: b must have one value per output channel (4), got shape (3,)",
      fw, x2, w2, np.zeros{3}, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_forward: x must be a float32 or float64 array, got int64",
      fw, np.zeros({2, 3, 8, 8}, {dtype = "int64"}), w2, nil, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)
T.err("nn_core.conv_backward: gy has shape (2,4,5,5) but the output has shape (2,4,6,6)",
      C.conv_backward, x2, w2, np.zeros{2, 4, 5, 5}, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1)

-- the same bits with 1 and 2 threads: a batch that spans several chunks
T.same_bits("nn_conv", [[
  local C = require "geolab.nn_core"
  local g = np.random.Generator(5)
  local x = g:normal(0, 1, {37, 3, 15, 15}):astype("float32")
  local w = g:normal(0, 1, {6, 3, 3, 3}):astype("float32")
  local b = g:normal(0, 1, {6}):astype("float32")
  local y = C.conv_forward(x, w, b, {1, 1}, {2, 2, 2, 2}, {1, 1}, 1)
  local gy = g:normal(0, 1, y.shape):astype("float32")
  local gx, gw, gb = C.conv_backward(x, w, gy, {1, 1}, {2, 2, 2, 2}, {1, 1}, 1, {gx = true, gw = true, gb = true})
  local x1 = g:normal(0, 1, {19, 3, 500})
  local w1 = g:normal(0, 1, {12, 3, 11})
  local y1 = C.conv_forward(x1, w1, nil, {1}, {5, 5}, {1}, 1)
  local _, gw1 = C.conv_backward(x1, w1, y1, {1}, {5, 5}, {1}, 1, {gw = true})
  return {y = y, gx = gx, gw = gw, gb = gb, y1 = y1, gw1 = gw1}
]])

T.done()
