-- nn_checkpoint.lua: nn.load of files torch.save wrote (PyTorch 1.13, made
-- by tests/fixtures/nn/make_checkpoints.py with their arrays in .npz),
-- nn.save, round trips and the exact bytes geolab writes. Refusals and damaged
-- files are in nn_checkpoint_errors.lua.
local T = require "testlib"
local SD = require "geolab.nn_statedict"

local FIX = "tests/fixtures/nn/"

-- a must equal b exactly: dtype, shape and every value
local function same(a, b, what)
  T.eq(a.dtype, b.dtype, what .. " dtype")
  T.eq(a.shape, b.shape, what .. " shape")
  T.close(a, b, 0, 0, what)
end

local function keys_of(sd)
  local out = {}
  for k in pairs(sd) do out[#out + 1] = k end
  return out
end

-- ---- state dicts PyTorch wrote, key order included ----
local order = {
  mlp = {"0.weight", "0.bias", "2.weight", "2.bias"},
  cnn = {"conv1.0.weight", "conv1.0.bias", "conv2.0.weight", "conv2.0.bias", "fc.weight", "fc.bias"},
  batchnorm = {"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
    "1.num_batches_tracked"},
  float64 = {"w", "b", "s"},
  dtypes = {"f16", "bf16", "i64", "i32", "i16", "i8", "u8", "b", "empty", "scalar"},
  views = {"base", "row", "col", "t", "sub", "elem", "step"},
  protocol4 = {"w", "n"},
}
local loaded = {}
for _, name in ipairs{"mlp", "cnn", "batchnorm", "float64", "dtypes", "views", "protocol4"} do
  local sd = nn.load(FIX .. name .. ".pt")
  loaded[name] = sd
  T.ok(SD.is(sd), name .. " gives an nn.StateDict")
  T.eq(keys_of(sd), order[name], name .. " keys in PyTorch's order")
  local want = np.load(FIX .. name .. ".npz")
  for _, k in ipairs(order[name]) do same(sd[k], want[k], name .. " " .. k) end
end

-- shapes and dtypes a model needs
T.eq(loaded.mlp["0.weight"].shape, {48, 784})
T.eq(loaded.cnn["conv2.0.weight"].shape, {6, 3, 3, 3})
local nbt = loaded.batchnorm["1.num_batches_tracked"]
T.eq({nbt.dtype, nbt.ndim}, {"int64", 0}, "num_batches_tracked is a 0-d int64")
T.eq(nbt:item(), 3, "three training batches")
T.eq(loaded.float64.w.dtype, "float64")

-- dtypes: float16 and bfloat16 become float32, int16 and int8 int32 (exact)
local d = loaded.dtypes
T.eq({d.f16.dtype, d.bf16.dtype, d.i16.dtype, d.i8.dtype, d.u8.dtype, d.b.dtype},
  {"float32", "float32", "int32", "int32", "uint8", "bool"})
T.eq(d.f16:totable(), {0.5, -2.0, 65504.0, 2^-24, math.huge}, "float16 values, subnormal and inf included")
T.eq(d.bf16:totable(), {1.5, -3.25, 1.0002555517425873e+30}, "bfloat16 values (1e30 rounded to 8 bits)")
T.eq(d.i64:totable(), {{-(1 << 62), 7}, {0, 1 << 40}})
T.eq(d.i16:totable(), {-32768, 12, 32767})
T.eq(d.i8:totable(), {-128, 0, 127})
T.eq(d.b:totable(), {true, false, true})
T.eq(d.empty.shape, {0, 3})
T.eq({d.scalar.ndim, d.scalar:item()}, {0, -1.25}, "a 0-d tensor is a 0-d array")

-- views share their storage, as in PyTorch: writing the base shows in every view
local v = loaded.views
T.eq(v.sub:totable(), {{8, 9, 10}, {14, 15, 16}})
T.eq(v.elem:item(), 15)
T.eq(v.step:totable(), {1, 6, 11, 16, 21})
v.base[{2, 3}] = 100
T.eq({v.row[3], v.col[2], v.t[{3, 2}], v.sub[{1, 1}]}, {100, 100, 100, 100}, "views share memory")

-- ---- a nested dict, as training scripts save it ----
local nested = nn.load(FIX .. "nested.pt")
T.eq({nested.epoch, math.type(nested.epoch), nested.loss, nested.name, nested.big, nested.neg},
  {3, "integer", 0.125, "run1", 1 << 40, -7})
T.ok(nested.best == None, "Python's None is None")
T.eq(nested.history, {1.0, 0.5})
T.eq(nested.flags, {true, false})
T.ok(SD.is(nested.model), "the inner state dict is an nn.StateDict")
local nw = np.load(FIX .. "nested.npz")
same(nested.model.weight, nw["model/weight"], "nested weight")
same(nested.model.bias, nw["model/bias"], "nested bias")

-- ---- the file geolab writes, byte for byte (torch reads it: make_checkpoints.py) ----
local exe = arg[-1] or "geolab"
local mine = T.tmp("ckpt_saved.pt")
os.remove(mine)
T.ok(os.execute(("'%s' %ssave_for_torch.lua '%s'"):format(exe, FIX, mine)) == true, "save_for_torch.lua runs")
T.ok(T.read(mine) == T.read(FIX .. "geolab_saved.pt"), "nn.save writes the committed geolab_saved.pt byte for byte")
local g = nn.load(FIX .. "geolab_saved.pt")
T.eq(keys_of(g), {"conv.weight", "conv.bias", "fc.weight", "bn.num_batches_tracked", "d", "mask", "u8", "i32",
  "scalar", "empty"})
T.eq(g["fc.weight"]:totable(), {{0, 1, 2}, {0.25, 1.25, 2.25}, {0.5, 1.5, 2.5}, {0.75, 1.75, 2.75}},
  "a transposed view is saved as its values")
T.eq(g["conv.weight"][{6, 1, 3, 3}], 53 / 8 - 3)
T.eq({g.d.dtype, g.d[2]}, {"float64", -2e300})
T.eq({g["bn.num_batches_tracked"].ndim, g["bn.num_batches_tracked"]:item()}, {0, 7})
T.eq({g.u8.dtype, g.i32:totable()}, {"uint8", {-2^31, 2^31 - 1}})

-- ---- round trips: load, save, load gives the same state dict; the same
-- state dict always gives the same bytes ----
for _, name in ipairs{"mlp", "cnn", "batchnorm", "float64", "dtypes", "views"} do
  local p1, p2 = T.tmp("ckpt_rt1_" .. name .. ".pt"), T.tmp("ckpt_rt2_" .. name .. ".pt")
  local sd = nn.load(FIX .. name .. ".pt")
  nn.save(sd, p1)
  local back = nn.load(p1)
  T.eq(keys_of(back), order[name], name .. " round trip keeps the order")
  for _, k in ipairs(order[name]) do same(back[k], sd[k], name .. " round trip " .. k) end
  nn.save(back, p2)
  T.ok(T.read(p1) == T.read(p2), name .. ": saving again gives the same bytes")
end
local rt = T.tmp("ckpt_rt_geolab.pt")
nn.save(nn.load(FIX .. "geolab_saved.pt"), rt)
T.ok(T.read(rt) == T.read(FIX .. "geolab_saved.pt"), "geolab_saved.pt loaded and saved again is the same file")

-- a plain table of arrays is a state dict with sorted keys
local pt = T.tmp("ckpt_plain.pt")
nn.save({b = np.ones{2}, a = np.zeros({3}, {dtype = "float32"})}, pt)
local plain = nn.load(pt)
T.eq(keys_of(plain), {"a", "b"})
T.eq({plain.a.dtype, plain.b.dtype, plain.b:totable()}, {"float32", "float64", {1, 1}})

-- a nested table round trips with its numbers, strings, booleans and None
local nt = T.tmp("ckpt_nested.pt")
nn.save({model = nested.model, epoch = 12, lr = 1e-4, tag = "é", best = None, hist = {0.5, 0.25},
  ok = true, ids = {[1] = "a", [5] = "b"}}, nt)
local n2 = nn.load(nt)
T.eq({n2.epoch, n2.lr, n2.tag, n2.ok, n2.hist, n2.ids}, {12, 1e-4, "é", true, {0.5, 0.25}, {[1] = "a", [5] = "b"}})
T.ok(n2.best == None and SD.is(n2.model), "None and the inner state dict survive")
same(n2.model.weight, nw["model/weight"], "nested round trip")

-- an nn.Tensor is saved as its data, a module as its state_dict()
local fake_module = setmetatable({}, {__index = {state_dict = function() return loaded.float64 end}})
local mp = T.tmp("ckpt_module.pt")
nn.save(fake_module, mp)
T.eq(keys_of(nn.load(mp)), {"w", "b", "s"}, "a module is saved as its state_dict()")

-- a gzipped checkpoint reads as the file (every geolab reader takes .gz)
local gz = T.tmp("ckpt_views.pt.gz")
if os.execute(("gzip -c %sviews.pt > '%s'"):format(FIX, gz)) then
  same(nn.load(gz).sub, np.load(FIX .. "views.npz").sub, "from .pt.gz")
end

T.done()
