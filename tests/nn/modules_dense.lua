-- modules_dense.lua: Linear, activations, Flatten, Sequential and every loss
-- against PyTorch 1.13 (tests/fixtures/nn/modules_dense.npz, from
-- make_modules.py): forward, input and parameter gradients to 1e-5; the same
-- modules' gradients against finite differences in float64; their errors.
local T = require "testlib"
local G = require "nn.gradcheck"

local w4 = np.array{0.5, 1.0, 2.0, 1.5}
local z = np.load("tests/fixtures/nn/modules_dense.npz")
local function loss(m) return function() return m, true end end
local B = {
  linear = function() return nn.Linear(5, 3) end,
  linear_nobias3d = function() return nn.Linear(5, 3, {bias = false}) end,
  relu = function() return nn.ReLU() end,
  leaky_relu = function() return nn.LeakyReLU(0.2) end,
  elu = function() return nn.ELU(0.7) end,
  gelu = function() return nn.GELU() end,
  gelu_tanh = function() return nn.GELU{approximate = "tanh"} end,
  sigmoid = function() return nn.Sigmoid() end,
  tanh = function() return nn.Tanh() end,
  softmax1 = function() return nn.Softmax(1) end,
  softmax0 = function() return nn.Softmax{dim = 0} end,
  log_softmax = function() return nn.LogSoftmax(-1) end,
  identity = function() return nn.Identity() end,
  flatten = function() return nn.Flatten() end,
  flatten01 = function() return nn.Flatten(0, 1) end,
  mlp = function() return nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3), nn.Softmax(1)) end,
  ce = loss(nn.CrossEntropyLoss()),
  ce_weight = loss(nn.CrossEntropyLoss{weight = w4}),
  ce_ignore = loss(nn.CrossEntropyLoss{ignore_index = 3}),   -- PyTorch's 2, 1-based
  ce_smooth = loss(nn.CrossEntropyLoss{label_smoothing = 0.1}),
  ce_all = loss(nn.CrossEntropyLoss{weight = w4, ignore_index = 2, label_smoothing = 0.2}),
  ce_sum = loss(nn.CrossEntropyLoss{reduction = "sum", label_smoothing = 0.05}),
  ce_none = loss(nn.CrossEntropyLoss{reduction = "none", weight = w4}),
  ce_spatial = loss(nn.CrossEntropyLoss{label_smoothing = 0.1}),
  ce_probs = loss(nn.CrossEntropyLoss{weight = w4, label_smoothing = 0.1}),
  nll = loss(nn.NLLLoss()),
  nll_weight_ignore = loss(nn.NLLLoss{weight = w4, ignore_index = 4}),
  nll_none = loss(nn.NLLLoss{reduction = "none"}),
  mse = loss(nn.MSELoss()),
  mse_sum = loss(nn.MSELoss{reduction = "sum"}),
  mse_none = loss(nn.MSELoss{reduction = "none"}),
  l1 = loss(nn.L1Loss()),
  l1_none = loss(nn.L1Loss{reduction = "none"}),
  bce = loss(nn.BCELoss()),
  bce_weight = loss(nn.BCELoss{weight = z["bce_weight__p__weight"], reduction = "sum"}),
  bce_logits = loss(nn.BCEWithLogitsLoss()),
  bce_logits_pw = loss(nn.BCEWithLogitsLoss{pos_weight = np.array{0.5, 2.0, 3.0},
    weight = z["bce_logits_pw__p__weight"]}),
}
T.eq(G.fixture(T, "tests/fixtures/nn/modules_dense.npz", B), 37, "every dense case ran")

-- {===== finite differences, float64
local rng = np.random.Generator(5)
local function gcm(name, m, x)
  local e = G.check_module(m, x)
  T.ok(e < 1e-6, ("%s: gradient error %.3g"):format(name, e))
end
local x = rng:normal(0, 1, {4, 6})
gcm("Linear", nn.Linear(6, 3), x)
gcm("Linear 3-d", nn.Linear(6, 2, {bias = false}), rng:normal(0, 1, {2, 3, 6}))
gcm("ReLU", nn.ReLU(), x)
gcm("LeakyReLU", nn.LeakyReLU(0.1), x)
gcm("ELU", nn.ELU(), x)
gcm("GELU", nn.GELU(), x)
gcm("GELU tanh", nn.GELU("tanh"), x)
gcm("Sigmoid", nn.Sigmoid(), x)
gcm("Tanh", nn.Tanh(), x)
gcm("Softmax", nn.Softmax(1), x)
gcm("LogSoftmax", nn.LogSoftmax(0), x)
gcm("Flatten", nn.Flatten(), rng:normal(0, 1, {2, 3, 2}))
gcm("Sequential", nn.Sequential{nn.Linear(6, 4), nn.Tanh(), nn.Linear(4, 2)}, x)
local function gcl(name, l, xx, t)
  local e = G.check(function(a) return l(a, t) end, {xx})
  T.ok(e < 1e-6, ("%s: gradient error %.3g"):format(name, e))
end
local tgt = np.array({1, 3, 2, 6}, "int64")
gcl("CrossEntropyLoss", nn.CrossEntropyLoss(), x, tgt)
gcl("CrossEntropyLoss all options", nn.CrossEntropyLoss{weight = np.arange(1, 7.0), ignore_index = 2,
  label_smoothing = 0.3}, x, tgt)
gcl("CrossEntropyLoss probabilities", nn.CrossEntropyLoss(), x, np.abs(rng:normal(0, 1, {4, 6})))
gcl("NLLLoss", nn.NLLLoss{reduction = "sum"}, x, tgt)
gcl("MSELoss", nn.MSELoss(), x, rng:normal(0, 1, {4, 6}))
gcl("L1Loss", nn.L1Loss(), x, rng:normal(0, 1, {4, 6}))
gcl("BCELoss", nn.BCELoss(), rng:uniform(0.1, 0.9, {4, 6}), rng:uniform(0, 1, {4, 6}))
gcl("BCEWithLogitsLoss", nn.BCEWithLogitsLoss{pos_weight = np.arange(1, 7.0)}, x, rng:uniform(0, 1, {4, 6}))
-- }=====

-- {===== functional forms agree with the modules
do
  local xt = nn.tensor(rng:normal(0, 1, {3, 4}))
  T.close(nn.functional.relu(xt).data, nn.ReLU()(xt).data, 0, 0, "F.relu")
  T.close(nn.functional.softmax(xt, 1).data, nn.Softmax(1)(xt).data, 0, 0, "F.softmax")
  T.close(nn.functional.gelu(xt, {approximate = "tanh"}).data, nn.GELU("tanh")(xt).data, 0, 0, "F.gelu")
  local tt = np.array({2, 1, 4}, "int64")
  T.close(nn.functional.cross_entropy(xt, tt):item(),
    nn.functional.nll_loss(nn.functional.log_softmax(xt, 1), tt):item(), 1e-12, 0, "CE = NLL(log_softmax)")
  local w = nn.tensor(rng:normal(0, 1, {2, 4}))
  T.close(nn.functional.linear(xt, w).data, np.matmul(xt.data, w.data.T), 1e-12, 0, "F.linear")
  local p = nn.functional.pad(nn.tensor{{1, 2}}, {1, 2})
  T.eq(p.data:totable(), {{0, 1, 2, 0, 0}}, "F.pad")
end
-- }=====

-- {===== dropout: the nn generator, train and eval
do
  local d = nn.Dropout(0.25)
  local x = nn.tensor(np.ones{100, 100}, {requires_grad = true})
  nn.manual_seed(5)
  local y = d(x)
  local kept = y.data:ne(0):astype("float64"):mean()
  T.ok(math.abs(kept - 0.75) < 0.02, ("dropout keeps 75%% (%.4f)"):format(kept))
  T.close(y.data[y.data:ne(0)]:max(), 1 / 0.75, 1e-7, 0, "kept values scaled by 1/(1-p)")
  y:sum():backward()
  T.close(x.grad, y.data, 0, 0, "dropout gradient is the mask")
  nn.manual_seed(5)
  T.close(d(x).data, y.data, 0, 0, "nn.manual_seed repeats the mask")
  T.ok(not np.array_equal(d(x).data, y.data), "a new mask each call")
  d:eval()
  T.ok(rawequal(d(x), x), "eval: the identity")
  T.eq(tostring(d), "Dropout(p=0.25, inplace=False)", "print(Dropout)")
  T.close(nn.functional.dropout(x, 0.5, {training = false}).data, x.data, 0, 0, "F.dropout training=false")
end
-- }=====

-- {===== errors
do
  local lin = nn.Linear(784, 48)
  T.err("nn.Linear(784, 48): expected input with last dimension 784, got shape (64, 785)",
    function() return lin(np.zeros{64, 785}) end)
  T.err("nn.Linear(784, 48): expected a float32 tensor, got float64",
    function() return lin(nn.tensor(np.zeros{2, 784})) end)
  T.eq(lin(np.zeros{2, 784}).dtype, "float32", "np float64 input is cast to the layer's dtype")
  local ce = nn.CrossEntropyLoss()
  local out = nn.tensor(np.zeros{3, 4})
  T.err("nn.CrossEntropyLoss: target 0 is out of range: class targets are 1-based (1..4)",
    function() return ce(out, np.array{1, 0, 2}) end)
  T.err("nn.CrossEntropyLoss: target 5 is out of range (classes 1..4)",
    function() return ce(out, np.array{1, 5, 2}) end)
  T.err("nn.CrossEntropyLoss: expected target of shape (3,) for input (3, 4), got (2,)",
    function() return ce(out, np.array{1, 2}) end)
  T.err("nn.CrossEntropyLoss: class targets must be integers",
    function() return ce(out, np.array{1, 2.5, 2}) end)
  T.err("nn.CrossEntropyLoss: unknown option 'label_smothing' (did you mean 'label_smoothing'?)",
    function() return nn.CrossEntropyLoss{label_smothing = 0.1} end)
  T.err("nn.NLLLoss: reduction must be 'mean', 'sum' or 'none', got 'avg'",
    function() return nn.NLLLoss{reduction = "avg"} end)
  T.err("nn.MSELoss: target shape (3,) differs from input shape (3, 1)",
    function() return nn.MSELoss()(nn.tensor(np.zeros{3, 1}), np.zeros{3}) end)
  T.err("nn.BCELoss: all elements of input should be between 0 and 1",
    function() return nn.BCELoss()(nn.tensor{0.5, 1.5}, np.array{0, 1}) end)
  T.err("nn.Softmax(dim=None): dim is required", function() return nn.Softmax()(out) end)
  T.err("nn.Linear: in_features must be a positive integer", function() return nn.Linear(0, 3) end)
  T.err("nn.Linear: unknown option 'biass'", function() return nn.Linear(2, 3, {biass = false}) end)
  T.err("nn.GELU: approximate must be 'none' or 'tanh', got 'fast'", function() return nn.GELU("fast") end)
  T.err("nn.Dropout: dropout probability has to be between 0 and 1, but got 1.5", function() return nn.Dropout(1.5) end)
end
-- }=====

-- Linear's weight gradient is added into an existing .grad by one gemm
-- (beta 1): a second backward doubles it, as PyTorch accumulates; a bias
-- of shape (1, out) still broadcasts (the addmm path takes only (out,))
do
  local x = nn.tensor(np.array{{1, 2, 3}, {4, 5, 6}}:astype("float32"))
  local w = nn.tensor(np.array{{1, 0, -1}, {2, 1, 0}}:astype("float32"), {requires_grad = true})
  nn.functional.linear(x, w):sum():backward()
  T.eq(w.grad:totable(), {{5, 7, 9}, {5, 7, 9}}, "linear weight gradient")
  nn.functional.linear(x, w):sum():backward()
  T.eq(w.grad:totable(), {{10, 14, 18}, {10, 14, 18}}, "accumulated in place by a second backward")
  local y = nn.functional.linear(x, w, np.array{{10, 20}}:astype("float32"))
  T.eq(y.data:totable(), {{8, 24}, {8, 33}}, "bias of shape (1, out) broadcast")
  y = nn.functional.linear(x, w, np.array{10, 20}:astype("float32"))
  T.eq(y.data:totable(), {{8, 24}, {8, 33}}, "bias of shape (out,)")
end

-- A large batch through Linear is split in row blocks that threads share
-- (from 2^24 multiply-adds: 1000 x 784 -> 48 is two blocks): the values are
-- the product's (float64 reference, float32 rounding), the bits the same
-- with 1 and 2 threads
do
  local g = np.random.Generator(5)
  local x = g:normal(0, 1, {1000, 784}):astype("float32")
  local w = g:normal(0, 0.05, {48, 784}):astype("float32")
  local b = g:normal(0, 1, {48}):astype("float32")
  local y = nn.no_grad(nn.functional.linear, x, w, b).data
  local ref = np.matmul(x:astype("float64"), w:astype("float64").T) + b:astype("float64")
  T.ok(np.abs(y:astype("float64") - ref):max() < 1e-4, "Linear 1000x784->48: the product")
end
T.same_bits("nn_linear_rows", [[
  local g = np.random.Generator(5)
  local x = g:normal(0, 1, {1000, 784}):astype("float32")
  local m = nn.Linear(784, 48)
  local y = nn.no_grad(m, x).data
  local y64 = nn.no_grad(nn.functional.linear, x:astype("float64"), m.weight.data:astype("float64"),
    m.bias.data:astype("float64")).data
  return {y = y, y64 = y64}
]])

-- The 1-D CNN's Linear(6144, 512) on a batch of 32: the forward, the input
-- and the weight gradients run in row blocks of multiples of 12 (12 + 12 + 8
-- batch rows, 252 + 252 + 8 weight rows) that two threads share; blocks
-- starting on OpenBLAS's 12-row panels give the whole product's bits, so
-- they equal np.matmul's one-block products here, and the bits are the same
-- with 1 and 2 threads
local core = require "geolab.nn_core"
-- Random x (m, k), w (n, k) and gy (m, n) of float32; the forward and the
-- weight gradient (added into zeros) checked equal to np.matmul's products.
local function matmul_bits(seed, m, k, n, wscale, what)
  local g = np.random.Generator(seed)
  local x = g:normal(0, 1, {m, k}):astype("float32")
  local w = g:normal(0, wscale, {n, k}):astype("float32")
  local gy = g:normal(0, 1, {m, n}):astype("float32")
  T.ok(core.linear(x, w):eq(np.matmul(x, w.T)):all(), ("Linear %dx%d->%d %s: np.matmul's bits"):format(m, k, n, what))
  local gw = np.zeros({n, k}, "float32")
  T.ok(core.linear_grad_weight_into(gw, gy, x), ("%dx%d->%d weight gradient accumulated in place"):format(m, k, n))
  T.ok(gw:eq(np.matmul(gy.T, x)):all(), ("%dx%d->%d weight gradient %s: np.matmul's bits"):format(m, k, n, what))
  return x, w, gy
end
do
  local x, w, gy = matmul_bits(6, 32, 6144, 512, 0.01, "in row blocks")
  T.ok(core.linear_grad_input(gy, w):eq(np.matmul(gy, w)):all(), "input gradient in row blocks: np.matmul's bits")
  local x64, w64 = x:astype("float64"), w:astype("float64")
  T.ok(np.abs(core.linear_grad_input(gy:astype("float64"), w64) - np.matmul(gy, w):astype("float64")):max() < 1e-4,
       "float64 input gradient")
  T.err("g must be (m, n) and w (n, k)", core.linear_grad_input, gy, x)
  T.ok(np.abs(core.linear(x64, w64) - np.matmul(x64, w64.T)):max() < 1e-9, "float64 forward")
end
-- The course MLP's Linear(784, 48) on a batch of 64 (2.4M multiply-adds):
-- the forward (36 + 28 batch rows) and the weight gradient (24 + 24 weight
-- rows) are two halves that the helper thread of kernels/core/gl_pair.c
-- joins when it is free; np.matmul's bits, with 1 and 2 threads
matmul_bits(8, 64, 784, 48, 0.05, "in two halves")
T.same_bits("nn_linear_mlp", [[
  local g = np.random.Generator(9)
  nn.manual_seed(2)
  local m = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10)}
  local opt = optim.SGD(m:parameters(), {lr = 0.1})
  local x = g:normal(0, 1, {64, 784}):astype("float32")
  local y = g:integers(1, 11, {64})
  for _ = 1, 5 do
    opt:zero_grad()
    nn.CrossEntropyLoss()(m(x), y):backward()
    opt:step()
  end
  return {w1 = m[1].weight.data, b1 = m[1].bias.data, w2 = m[3].weight.data}
]])

T.same_bits("nn_linear_fc6144", [[
  local g = np.random.Generator(6)
  nn.manual_seed(1)
  local m = nn.Linear(6144, 512)
  local x = nn.tensor(g:normal(0, 1, {32, 6144}):astype("float32"), {requires_grad = true})
  local y = m(x)
  y:backward(np.ones({32, 512}, "float32"))
  return {y = y.data, gx = x.grad, gw = m.weight.grad, gb = m.bias.grad}
]])

-- cross entropy against class positions is one node (log_softmax and NLL
-- fused on the tape) with the bits of the two nodes nll_loss(log_softmax(x)):
-- loss and input gradient, float32 and float64, mean, sum, weights, ignore
do
  local g = np.random.Generator(12)
  for _, dt in ipairs{"float32", "float64"} do
    local xa = g:normal(0, 3, {64, 10}):astype(dt)
    local t = g:integers(1, 11, {64})
    t[5] = 4
    for _, o in ipairs{{}, {reduction = "sum"}, {reduction = "none"},
                       {weight = np.linspace(0.5, 2, 10):astype(dt), ignore_index = 4}} do
      local x1 = nn.tensor(xa:copy(), {requires_grad = true})
      local l1 = nn.functional.cross_entropy(x1, t, o)
      local x2 = nn.tensor(xa:copy(), {requires_grad = true})
      local l2 = nn.functional.nll_loss(nn.functional.log_softmax(x2, 1), t, o)
      local what = ("%s %s"):format(dt, T.show(o))
      T.eq(l1.grad_fn.name, "NllLossBackward0", "one node, PyTorch's name: " .. what)
      T.ok(l1.grad_fn.inputs[1] == x1, "whose input is the logits: " .. what)
      local gl = o.reduction == "none" and np.linspace(-1, 1, 64):astype(dt) or nil
      l1:backward(gl); l2:backward(gl)
      T.ok(np.array_equal(l1.data, l2.data), "fused cross entropy, loss bits: " .. what)
      T.ok(np.array_equal(x1.grad, x2.grad), "fused cross entropy, gradient bits: " .. what)
    end
  end
end

T.done()
