-- nn_checkpoint_errors.lua: what nn.load refuses (pickled models, legacy and
-- TorchScript files, malicious pickles: nothing of theirs may run), damaged
-- files (every truncation and many corruptions of real files: an error, never
-- a crash), and bad arguments of nn.load and nn.save.
local T = require "testlib"

local FIX = "tests/fixtures/nn/"
local MARK = "geolab_ckpt_pwned"   -- what the malicious pickles would create (make_checkpoints.py)

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- ---- files that are not a state dict ----
T.err("nn.load: " .. FIX .. "whole_model.pt holds a pickled model (__main__.Net), not a state_dict: "
  .. "save it with torch.save(model.state_dict(), path)", nn.load, FIX .. "whole_model.pt")
T.err("holds a pickled model (torch.nn.modules.container.Sequential), not a state_dict", nn.load,
  FIX .. "whole_sequential.pt")
T.err("nn.load: " .. FIX .. "legacy.pt is in PyTorch's legacy format", nn.load, FIX .. "legacy.pt")
T.err("nn.load: " .. FIX .. "torchscript.pt is a TorchScript archive (torch.jit.save), not a state_dict",
  nn.load, FIX .. "torchscript.pt")
T.err("is a zip file but not a PyTorch checkpoint (no archive/data.pkl entry)", nn.load, FIX .. "no_pickle.pt")
T.err("is a zip file but not a PyTorch checkpoint", nn.load, FIX .. "nested.npz")
T.err("nn.load: " .. FIX .. "make_checkpoints.py is not a PyTorch checkpoint (not a zip file)", nn.load,
  FIX .. "make_checkpoints.py")
T.err("nn.load: ", nn.load, FIX .. "no_such_file.pt")
T.err("no_such_file.pt", nn.load, FIX .. "no_such_file.pt")

-- ---- malicious pickles: refused at their GLOBAL, before any call ----
os.remove(MARK)
local refused = {
  evil_os_system = "refusing to load 'os.system': a checkpoint may only hold tensors",
  evil_posix_system = "refusing to load 'posix.system': a checkpoint may only hold tensors",
  evil_eval = "refusing to load 'builtins.eval': a checkpoint may only hold tensors",
  evil_stack_global = "refusing to load 'os.system': a checkpoint may only hold tensors",
  evil_after_tensor = "refusing to load 'os.system': a checkpoint may only hold tensors",
  evil_reduce_storage = "refusing to call FloatStorage (pickle byte 23): a checkpoint may only hold tensors",
  evil_reduce_string = "refusing to call a value that is not a function",
}
for _, name in ipairs{"evil_os_system", "evil_posix_system", "evil_eval", "evil_stack_global", "evil_after_tensor",
    "evil_reduce_storage", "evil_reduce_string"} do
  T.err("nn.load: " .. FIX .. name .. ".pt: " .. refused[name], nn.load, FIX .. name .. ".pt")
end
T.ok(not exists(MARK), "no malicious pickle ran (python's pickle.loads creates " .. MARK .. " from them)")

-- ---- damaged files the generator made ----
local damaged = {
  bad_storage_short = "storage '0' holds 20 bytes, its pickle says 6 float32 elements (24 bytes)",
  bad_storage_long = "storage '0' holds more than the 6 float32 elements its pickle says",
  bad_storage_missing = "storage '0' is missing (no entry archive/data/0)",
  bad_view = "corrupt checkpoint: tensor outside its storage",
  bad_stride = "corrupt checkpoint: negative tensor size or stride",
  bad_key = "corrupt checkpoint: bad storage key",
  bad_huge = "storage '0' holds 24 bytes, its pickle says 2147483647 float64 elements",
  bad_no_stop = "corrupt checkpoint: truncated pickle (no STOP)",
  bad_opcode = "corrupt checkpoint: unsupported pickle opcode 0xff (byte 2)",
  bad_deep = "values nested more than 100 deep",
  cycle = "the pickle holds a list or dict that contains itself",
}
for name, msg in pairs(damaged) do
  T.err("nn.load: " .. FIX .. name .. ".pt: " .. msg, nn.load, FIX .. name .. ".pt")
end

-- ---- every truncation, and byte flips, of real files: errors, never a crash ----
local tmp = T.tmp("ckpt_damaged.pt")
local function loads_or_names_itself(data, what)
  T.write(tmp, data)
  local ok, e = pcall(nn.load, tmp)
  if not ok and not tostring(e):find("^nn%.load: ") then
    T.ok(false, what .. ": " .. tostring(e))
    return false
  end
  if ok then tostring(e) end   -- what loads also prints
  return true
end
for _, name in ipairs{"views", "geolab_saved", "nested"} do
  local data = T.read(FIX .. name .. ".pt")
  local good = true
  for n = 0, #data - 1 do
    good = loads_or_names_itself(data:sub(1, n), name .. " cut at " .. n) and good
  end
  -- flip each byte of the pickle and zip headers (the storages' bytes only change values)
  for i = 1, #data, (#data > 2000 and 3 or 1) do
    local c = data:byte(i)
    good = loads_or_names_itself(data:sub(1, i - 1) .. string.char(c ~ 0x5a) .. data:sub(i + 1),
      name .. " byte " .. i .. " flipped") and good
  end
  T.ok(good, name .. ": every truncated or flipped file gives an nn.load error or loads")
end
-- a truncated file is refused with what libzip says
T.err("nn.load: " .. tmp .. ": corrupt zip archive", function()
  T.write(tmp, T.read(FIX .. "views.pt"):sub(1, 600))
  return nn.load(tmp)
end)

-- ---- arguments ----
T.err("nn.load: path must be a string, got number", nn.load, 5)
T.err("nn.load: unknown option 'map_locaton' (did you mean 'map_location'?)", nn.load, FIX .. "views.pt",
  {map_locaton = "cpu"})
T.err("nn.load: map_location must be 'cpu'", nn.load, FIX .. "views.pt", {map_location = "cuda"})
T.err("nn.load: weights_only must be true", nn.load, FIX .. "views.pt", {weights_only = false})
T.eq(nn.load(FIX .. "views.pt", {map_location = "cpu", weights_only = true}).elem:item(), 15, "torch.load's options")

local out = T.tmp("ckpt_args.pt")
T.err("nn.save: path must be a string, got nil", nn.save, {a = np.ones{2}})
T.err("nn.save: nothing to save (got nil)", nn.save, nil, out)
T.err("nn.save: cannot save a function", nn.save, {a = print}, out)
T.err("nn.save: complex128 arrays cannot be saved", nn.save, {a = np.array{1, 2}:astype("complex128")}, out)
T.err("nn.save: table keys must be strings or integers, got boolean", nn.save, {[true] = 1}, out)
T.err("is not valid UTF-8", nn.save, {["\xff"] = np.ones{1}}, out)
local loop = {}
loop.self = loop
T.err("nn.save: the table holds itself", nn.save, loop, out)
T.err("nn.save: cannot open file for writing: Is a directory", nn.save, {a = np.ones{1}}, T.tmp(""))
-- a failed save leaves the old file as it was
nn.save({a = np.ones{3}}, out)
local before = T.read(out)
pcall(nn.save, {a = np.ones{3}, b = print}, out)
T.ok(T.read(out) == before, "a failed nn.save leaves the old file")

T.done()
