-- module_tree.lua: nn.Module's machinery: the course models' print(model)
-- and state_dict keys against PyTorch's (tests/fixtures/nn/course_models.txt),
-- user modules in both forms, parameters/children/modules, train/eval,
-- zero_grad, dtype casts, load_state_dict and its errors, count_parameters,
-- and an MLP trained by hand-written SGD.
local T = require "testlib"

-- {===== the course's models, as PyTorch prints them
local want = {}
do
  local f = assert(io.open("tests/fixtures/nn/course_models.txt"))
  local name
  for line in f:lines() do
    local n = line:match("^== (.*)$")
    if n then name = n; want[name] = {repr = {}, keys = {}}
    elseif line:match("^[%w%._]+ %(") and not line:match("^%a+%(") then
      want[name].keys[#want[name].keys + 1] = line
    else want[name].repr[#want[name].repr + 1] = line end
  end
  f:close()
end

local function keys_of(m)
  local out = {}
  for k, v in pairs(m:state_dict()) do
    local s = {}
    for i = 1, #v.shape do s[i] = tostring(v.shape[i]) end
    out[#out + 1] = ("%s (%s%s)"):format(k, table.concat(s, ", "), #s == 1 and "," or "")
  end
  return out
end

local function check_model(name, m)
  T.eq(tostring(m), table.concat(want[name].repr, "\n"), name .. ": print(model)")
  T.eq(keys_of(m), want[name].keys, name .. ": state_dict keys and shapes")
end

local mlp = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10), nn.Softmax(1)}
check_model("mlp", mlp)
local cnn = nn.Module("CNN", {
  conv1 = nn.Sequential{nn.Conv2d(1, 3, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
  conv2 = nn.Sequential{nn.Conv2d(3, 6, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
  fc = nn.Linear(384, 10),
  forward = function(self, x)
    x = self.conv2(self.conv1(x))
    return self.fc(x:flatten(1))
  end})
check_model("cnn", cnn)

-- the 1-D CNN in the class form
local CNN1D = nn.Module:extend("CNN1D")
function CNN1D:__init(cin)
  local layers, c = {}, cin
  for _, cout in ipairs{12, 24, 48} do
    for _, l in ipairs{nn.Conv1d(c, cout, 11, {padding = 5}), nn.BatchNorm1d(cout), nn.ReLU(), nn.MaxPool1d(4)} do
      layers[#layers + 1] = l
    end
    c = cout
  end
  self.features = nn.Sequential(layers)
  self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(6144, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 5))
end
function CNN1D:forward(x) return self.classifier(self.features(x)) end
local cnn1d = CNN1D(1)
check_model("cnn1d", cnn1d)
check_model("misc", nn.Sequential(nn.Conv1d(2, 4, 3, {padding = "same", bias = false}), nn.AvgPool1d(3),
  nn.ConvTranspose2d(2, 4, 3, {stride = 2, padding = 1, output_padding = 1, dilation = 2}),
  nn.AvgPool2d(2), nn.AdaptiveAvgPool2d{3, 2}, nn.AdaptiveAvgPool1d(4),
  nn.BatchNorm2d(4, {momentum = None, affine = false}), nn.LeakyReLU(0.2), nn.ELU(), nn.GELU("tanh"),
  nn.Sigmoid(), nn.Tanh(), nn.LogSoftmax(-1), nn.Flatten(0, 2), nn.Identity(),
  nn.Conv2d(4, 8, 3, {stride = 2, dilation = 2, groups = 4}),
  nn.MaxPool1d(3, {stride = 2, padding = 1, ceil_mode = true})))
T.eq(nn.count_parameters(cnn), 3 * 9 + 3 + 6 * 27 + 6 + 3850, "count_parameters of the course CNN")
T.eq(nn.count_parameters(mlp), 784 * 48 + 48 + 48 * 10 + 10, "count_parameters of the MLP")
-- }=====

-- {===== walking the tree
do
  local names = {}
  for name, p in cnn:named_parameters() do names[#names + 1] = name .. ":" .. p.data.ndim end
  T.eq(names, {"conv1.0.weight:4", "conv1.0.bias:1", "conv2.0.weight:4", "conv2.0.bias:1",
    "fc.weight:2", "fc.bias:1"}, "named_parameters in definition order")
  T.eq(#cnn:parameters(), 6, "parameters")
  T.eq(#cnn:children(), 3, "children")
  T.ok(rawequal(cnn:children()[3], cnn.fc), "children in order")
  T.eq(#cnn:modules(), 10, "modules: the model, 3 children, 6 grandchildren")
  local mods = {}
  for name in cnn:named_modules() do mods[#mods + 1] = name end
  T.eq(mods[1], "", "named_modules starts with the model itself")
  T.eq(mods[3], "conv1.0", "named_modules names")
  T.ok(rawequal(mlp[1], mlp["0"]), "seq[1] is child '0'")
  T.eq(#mlp, 4, "#seq")
  cnn1d:eval()
  T.eq(cnn1d.features[2].training, false, "eval reaches grandchildren")
  cnn1d:train()
  T.eq(cnn1d.classifier[4].training, true, "train")
  -- a parameter shared by two modules counts once
  local shared = nn.Linear(2, 2)
  local twice = nn.Sequential(shared, nn.ReLU(), shared)
  T.eq(#twice:parameters(), 2, "shared parameters listed once")
end
-- }=====

-- {===== user modules: fields in source order, class form in assignment order
do
  local m = nn.Module{
    b_first = nn.Linear(2, 3),
    a_second = nn.Linear(3, 1),
    scale = nn.Parameter(np.ones({1}, "float32")),
    forward = function(self, x) return self.a_second(self.b_first(x)) * self.scale end,
  }
  -- PyTorch lists a module's own parameters before its children's
  T.eq(m:state_dict():keys(), {"scale", "b_first.weight", "b_first.bias", "a_second.weight", "a_second.bias"},
    "table form: creation order, not key order")
  T.eq(tostring(m), "Module(\n  (b_first): Linear(in_features=2, out_features=3, bias=True)\n"
    .. "  (a_second): Linear(in_features=3, out_features=1, bias=True)\n)", "print of a table module")
  local y = m(np.ones{4, 2})
  T.eq(y.shape[1], 4, "forward of a table module")
  y:sum():backward()
  T.ok(m.scale.grad ~= nil and m.b_first.weight.grad ~= nil, "gradients reach own and children's parameters")
  m:zero_grad()
  T.eq(m.scale.grad:sum(), 0.0, "zero_grad zeroes in place (PyTorch 1.13's default)")
  m:zero_grad(true)
  T.ok(m.scale.grad == nil, "zero_grad(true) sets to nil")

  -- a U-Net-like skip connection with concatenation
  local Skip = nn.Module:extend("Skip")
  function Skip:__init(n)
    self.down = nn.Linear(n, 2)
    self.up = nn.Linear(2, n)
    self.head = nn.Linear(2 * n, 1)
  end
  function Skip:forward(x)
    x = nn.tensor(x) == x and x or x
    local h = self.up(self.down(x):relu())
    return self.head(nn.cat({x, h}, 1))
  end
  local s = Skip(3)
  T.eq(s:state_dict():keys(), {"down.weight", "down.bias", "up.weight", "up.bias", "head.weight", "head.bias"},
    "class form: assignment order")
  local e = require("nn.gradcheck").check_module(s, np.random.Generator(2):normal(0, 1, {4, 3}))
  T.ok(e < 1e-6, ("skip + cat module gradient error %.3g"):format(e))
  T.eq(s.head.weight.dtype, "float64", "double() casts parameters")
  s:float()
  T.eq(s.head.weight.dtype, "float32", "float() casts back")
  T.err("nn.Module: forward is not defined", function() return nn.Module{l = nn.Linear(1, 1)}(np.ones{1, 1}) end)
end
-- }=====

-- {===== load_state_dict
do
  local a = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
  local b = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
  local w_before = b[1].weight.data
  b:load_state_dict(a:state_dict())
  T.ok(rawequal(b[1].weight.data, w_before), "load_state_dict copies in place")
  T.close(b[1].weight.data, a[1].weight.data, 0, 0, "weights loaded")
  local x = np.random.Generator(4):normal(0, 1, {5, 3})
  T.close(b(x).data, a(x).data, 0, 0, "same outputs after loading")
  -- float64 arrays are cast to the model's float32
  local sd = {}
  for k, v in pairs(a:state_dict()) do sd[k] = v:astype("float64") + 1 end
  b:load_state_dict(sd)
  T.eq(b[3].bias.data.dtype, "float32", "loaded arrays cast to the parameter dtype")
  T.close(b[3].bias.data, a[3].bias.data + 1, 1e-6, 0, "plain table of arrays")
  local bad = a:state_dict():copy()
  bad["2.bias"] = nil
  bad["2.b"] = np.zeros{1}
  bad["0.weight"] = np.zeros{2, 4}
  T.err('Missing key(s) in state_dict: "2.bias".', function() b:load_state_dict(bad) end)
  T.err('Unexpected key(s) in state_dict: "2.b".', function() b:load_state_dict(bad) end)
  T.err("size mismatch for 0.weight: copying a param with shape (2, 4) from checkpoint, the shape in current model is (2, 3).",
    function() b:load_state_dict(bad) end)
  T.err("nn.Module:load_state_dict: error(s) in loading state_dict for Sequential",
    function() b:load_state_dict(bad) end)
  bad["0.weight"] = np.zeros{2, 3}
  local res = b:load_state_dict(bad, {strict = false})
  T.eq(res.missing_keys, {"2.bias"}, "strict=false: missing keys returned")
  T.eq(res.unexpected_keys, {"2.b"}, "strict=false: unexpected keys returned")
  T.eq(b[1].weight.data:sum(), 0.0, "strict=false still loads the matching keys")
  T.err("nn.Module:load_state_dict: unknown option 'strct'", function() b:load_state_dict(bad, {strct = false}) end)
  -- buffers: batch norm's running statistics and counter
  local bn = nn.BatchNorm1d(2)
  T.eq(bn:state_dict():keys(), {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"},
    "BatchNorm buffers in the state dict")
  T.eq(bn.num_batches_tracked.dtype, "int64", "num_batches_tracked is int64")
  bn:load_state_dict{weight = np.ones{2}, bias = np.zeros{2}, running_mean = np.array{1, 2},
    running_var = np.array{3, 4}, num_batches_tracked = np.array(7, "int64")}
  T.eq(bn.running_var:totable(), {3, 4}, "buffers loaded")
  T.eq(bn.num_batches_tracked:item(), 7, "0-d buffer loaded")
end
-- }=====

-- {===== an MLP trained by hand-written SGD: two interleaved classes
do
  nn.manual_seed(1)
  local g = np.random.Generator(11)
  local n = 256
  local X = g:normal(0, 1, {n, 2})
  local r = (X * X):sum(1)
  local y = (r:gt(1.4)):astype("int64") + 1        -- inside / outside a circle: not linear
  local model = nn.Sequential{nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2)}
  local lossf = nn.CrossEntropyLoss()
  local first, last
  for epoch = 1, 300 do
    local out = model(X)
    local loss = lossf(out, y)
    model:zero_grad()
    loss:backward()
    for _, p in ipairs(model:parameters()) do p.data[{}] = p.data - p.grad * 0.5 end
    if epoch == 1 then first = loss:item() end
    last = loss:item()
  end
  local pred = nn.no_grad(function() return model(X):argmax(1) end)
  local acc = pred.data:eq(y):astype("float64"):mean()
  T.ok(last < first * 0.5, ("SGD lowers the loss (%.3f -> %.3f)"):format(first, last))
  T.ok(acc > 0.9, ("hand-written SGD: training accuracy %.3f > 0.9"):format(acc))
end
-- }=====

-- help(layer) gives the layer's entry in docs/nn.md
T.ok(require("geolab.help").text(nn.Conv2d(1, 2, 3)):find("^nn%.Conv2d  %(docs/nn%.md"), "help(conv layer)")

-- {===== same bits with 1 and 2 threads: an MLP step
T.same_bits("nn_mlp_step", [[
  nn.manual_seed(3)
  local m = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10)}
  local X = np.random.Generator(1):normal(0, 1, {64, 784}):astype("float32")
  local y = np.random.Generator(2):integers(1, 11, {64})
  local loss = nn.CrossEntropyLoss()(m(X), y)
  loss:backward()
  return {loss = np.array(loss:item()), gw = m[1].weight.grad, gb = m[3].bias.grad}
]])
-- }=====

T.done()
