-- nn_core_act.lua: geolab.nn_core's activations, softmax and NLL loss against
-- PyTorch 1.13 (tests/fixtures/nn/make_core.py: act, softmax, nll), forward
-- and backward, float64 and float32, and their argument errors.
local T = require "testlib"
local C = require "geolab.nn_core"

-- float64 to 1e-10 relative, float32 to 1e-5 (PyTorch computes float32 in
-- float, geolab in double rounded once: they differ by a few float ulps);
-- an absolute floor of the same order relative to the array's largest value
-- covers elements that cancel to about zero.
local RTOL = {f64 = 1e-10, f32 = 1e-5}
local function cmp(got, want, sfx, msg) T.close_like(got, want, RTOL[sfx], msg) end

-- {===== activations
local A = np.load("tests/fixtures/nn/core_act.npz")
local ALPHA = {leaky_relu = 0.2, elu = 0.7}
for _, sfx in ipairs{"f64", "f32"} do
  local x, gy = A["x_" .. sfx], A["gy_" .. sfx]
  for _, name in ipairs{"relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "sigmoid", "tanh", "silu"} do
    local y = C.activation(name, x, ALPHA[name])
    cmp(y, A[name .. "_y_" .. sfx], sfx, name .. " " .. sfx)
    cmp(C.activation_backward(name, x, y, gy, ALPHA[name]), A[name .. "_gx_" .. sfx], sfx,
        name .. " backward " .. sfx)
  end
end
-- defaults: leaky_relu's slope 0.01, elu's alpha 1
T.close(C.activation("leaky_relu", np.array{-2.0, 3.0}), {-0.02, 3.0})
T.close(C.activation("elu", np.array{-1.0}), {math.exp(-1) - 1})
-- any shape, strided input
local m = np.array{{-1.0, 2.0}, {3.0, -4.0}}
T.close(C.activation("relu", m.T), {{0, 3}, {2, 0}})
T.eq(C.activation("relu", np.zeros({2, 3}, {dtype = "float32"})).dtype, "float32")
-- }

-- {===== softmax
local S = np.load("tests/fixtures/nn/core_softmax.npz")
for _, sfx in ipairs{"f64", "f32"} do
  local x, gy = S["x_" .. sfx], S["gy_" .. sfx]
  for _, dim in ipairs{0, 1, 2, -1} do
    for _, log in ipairs{false, true} do
      local key = ("d%d_%s"):format(dim, log and "log" or "sm")
      local y = C.softmax(x, dim, log)
      cmp(y, S[key .. "_y_" .. sfx], sfx, key .. " " .. sfx)
      cmp(C.softmax_backward(y, gy, dim, log), S[key .. "_gx_" .. sfx], sfx, key .. " backward " .. sfx)
    end
  end
end
T.close(C.softmax(np.array{1.0, 1.0}, 0, false), {0.5, 0.5})
-- }

-- {===== NLL loss
local N = np.load("tests/fixtures/nn/core_nll.npz")
local NLL = {  -- name: reduction, ignore_index (1-based)
  plain_mean = {"mean"}, w_sum = {"sum"}, w_none = {"none"}, ign_mean = {"mean", 3},
  img_mean = {"mean", 2}, img_none = {"none"},
}
for name, c in pairs(NLL) do
  local red, ign = c[1], c[2]
  local tgt = N[name .. "_target"]
  for _, sfx in ipairs{"f64", "f32"} do
    local logp, w = N[name .. "_logp_" .. sfx], rawget(N, name .. "_w_" .. sfx)
    local gloss = N[name .. "_gloss_" .. sfx]
    local loss, tw = C.nll_loss(logp, tgt, w, red, ign)
    local want = N[name .. "_loss_" .. sfx]
    if red == "none" then cmp(loss, want, sfx, name .. " " .. sfx)
    else T.close(loss, want:item(), RTOL[sfx], 0, name .. " " .. sfx) end
    local g = red == "none" and gloss or gloss:item()
    cmp(C.nll_loss_backward(logp, tgt, w, red, ign, tw, g), N[name .. "_gx_" .. sfx], sfx,
        name .. " backward " .. sfx)
  end
end
-- every target ignored: the mean is 0/0 as in PyTorch
local l0 = C.nll_loss(np.zeros{2, 3}, np.array{2, 2}, nil, "mean", 2)
T.ok(l0 ~= l0 and N.allign_loss:item() ~= N.allign_loss:item(), "all ignored gives NaN")
-- total weight, integral float targets, one sample (C) with a 0-d target
local lw, tw = C.nll_loss(np.array{{-1.0, -2.0}, {-3.0, -4.0}}, np.array{2.0, 1.0}, np.array{0.5, 2.0}, "sum")
T.close(lw, 2 * 2 + 0.5 * 3); T.close(tw, 2.5)
T.close(C.nll_loss(np.array{-0.5, -1.5}, np.array(2), nil, "mean"), 1.5)
-- }

-- {===== errors
local f32, f64 = np.zeros({2, 3}, {dtype = "float32"}), np.zeros{2, 3}
T.err("nn_core.activation: unknown activation 'relux' (did you mean 'relu'?)", C.activation, "relux", f64)
T.err("nn_core.activation: activation must be a string, got nil", C.activation, nil, f64)
T.err("nn_core.activation: x must be a float32 or float64 array, got int64", C.activation, "relu", np.array{1, 2})
T.err("nn_core.activation_backward: gy is float32 but x is float64 (all float arguments must share one dtype)",
      C.activation_backward, "relu", f64, f64, f32)
T.err("nn_core.activation_backward: gy has shape (3,2) but x has shape (2,3)",
      C.activation_backward, "tanh", f64, f64, np.zeros{3, 2})
T.err("nn_core.softmax: dim 2 is out of range for a 2-D input (expected -2..1)", C.softmax, f64, 2)
T.err("nn_core.nll_loss: target 0 (at position 2) is out of range: targets are 1-based class positions 1..3",
      C.nll_loss, f64, np.array{1, 0})
T.err("nn_core.nll_loss: target 4 (at position 1) is out of range: targets are 1-based class positions 1..3",
      C.nll_loss, f64, np.array{4, 1})
T.err("nn_core.nll_loss: target shape (3,) does not match input shape (2,3) (expected (2,))",
      C.nll_loss, f64, np.array{1, 2, 3})
T.err("nn_core.nll_loss: target must hold integer class positions, got 1.5", C.nll_loss, f64, np.array{1.5, 1})
T.err("nn_core.nll_loss: weight must have one value per class (3), got shape (2,)",
      C.nll_loss, f64, np.array{1, 1}, np.zeros{2})
T.err("nn_core.nll_loss: weight is float32 but input is float64", C.nll_loss, f64, np.array{1, 1},
      np.zeros({3}, {dtype = "float32"}))
T.err("nn_core.nll_loss: unknown reduction 'avg'", C.nll_loss, f64, np.array{1, 1}, nil, "avg")
-- }

T.done()
