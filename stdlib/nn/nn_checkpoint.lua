-- nn_checkpoint.lua: nn.load and nn.save, PyTorch checkpoint files in
-- torch.save's zip format. The reading, the safe unpickler and the writing
-- are C (stdlib/nn/nn_checkpoint.c, kernels/nn/pickle.c); this part checks
-- arguments and turns what is saved into the tree the writer walks.
local np = require "geolab.array"
local util = require "geolab.util"
local core = require "geolab.nn_core"
local SD = require "geolab.nn_statedict"
local error = util.raise

local ARRAY_MT = getmetatable(np.zeros{0})
local None = util.None

local hooks = {statedict = SD.new, dict = util.dict, list = util.list, None = None}

local function is_array(v) return type(v) == "userdata" and getmetatable(v) == ARRAY_MT end

-- An nn.Tensor (nn_tensor.lua) is saved as its data, as torch.save saves a
-- tensor without its graph.
local function tensor_data(v)
  local mt = getmetatable(v)
  if type(v) == "table" and type(mt) == "table" and rawget(mt, "__name") == "nn.Tensor" then return v.data end
  return nil
end

-- A module's state dict, if v is a module (anything with a state_dict method
-- that is not a data table).
local function module_state(v)
  if type(v) ~= "table" or SD.is(v) or util.bare(v) then return nil end
  local ok, f = pcall(function() return v.state_dict end)
  if ok and type(f) == "function" then return f(v) end
  return nil
end

local function check_path(path, fname)
  if type(path) ~= "string" then
    error(("%s: path must be a string, got %s"):format(fname, type(path)), 3)
  end
end

-- {===== nn.load

local function nn_load(path, opts)
  check_path(path, "nn.load")
  opts = util.check_options(opts, {"map_location", "weights_only"}, "nn.load", 2)
  if opts.map_location ~= nil and opts.map_location ~= "cpu" then
    error(("nn.load: map_location must be 'cpu' (geolab computes on the CPU), got %s"):format(
      util.repr(opts.map_location)), 2)
  end
  if opts.weights_only ~= nil and opts.weights_only ~= true then
    error("nn.load: weights_only must be true: geolab never runs code from a checkpoint", 2)
  end
  return core.ckpt_load(path, "nn.load", hooks)
end

-- }=====

-- {===== nn.save

local function sort_keys(t, fname)
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" and math.type(k) ~= "integer" then
      error(("%s: table keys must be strings or integers, got %s"):format(fname, type(k)), 4)
    end
    keys[#keys + 1] = k
  end
  -- integers before strings, each in order: the one order that hashing cannot change
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) == "number" end
    return a < b
  end)
  return keys
end

local function is_sequence(t)
  local n = #t
  if n == 0 then return false end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

-- The tree ckpt_save writes: arrays, numbers, strings, booleans, None, and
-- {kind = "odict"|"dict"|"list", keys = {...}, vals = {...}}. A state dict
-- (or a table whose values are all arrays: one written without nn.StateDict)
-- becomes an OrderedDict, as PyTorch's state_dict() is.
local function tree(v, fname, seen)
  local d = tensor_data(v)
  if d ~= nil then v = d end
  local sd = module_state(v)
  if sd ~= nil then v = sd end
  local tv = type(v)
  if tv == "number" or tv == "boolean" or v == None or is_array(v) then return v end
  if tv == "string" then
    if not utf8.len(v) then error(("%s: string %q is not valid UTF-8 (Python could not read it)"):format(fname, v), 4) end
    return v
  end
  if tv ~= "table" then
    error(("%s: cannot save a %s (a checkpoint holds arrays, numbers, strings, booleans and tables of them)"):format(
      fname, tv), 4)
  end
  if seen[v] then error(("%s: the table holds itself: a checkpoint cannot"):format(fname), 4) end
  seen[v] = true
  local node
  if SD.is(v) then
    node = {kind = "odict", keys = {}, vals = {}}
    for k, x in pairs(v) do
      node.keys[#node.keys + 1] = k
      node.vals[#node.vals + 1] = tree(x, fname, seen)
    end
  elseif is_sequence(v) then
    node = {kind = "list", vals = {}}
    for i = 1, #v do node.vals[i] = tree(v[i], fname, seen) end
  else
    local keys = sort_keys(v, fname)
    local all_arrays = #keys > 0
    for _, k in ipairs(keys) do
      local x = v[k]
      if type(k) ~= "string" or not (is_array(x) or tensor_data(x) ~= nil) then all_arrays = false end
    end
    node = {kind = all_arrays and "odict" or "dict", keys = keys, vals = {}}
    for i, k in ipairs(keys) do
      if type(k) == "string" and not utf8.len(k) then
        error(("%s: key %q is not valid UTF-8 (Python could not read it)"):format(fname, k), 4)
      end
      node.vals[i] = tree(v[k], fname, seen)
    end
  end
  seen[v] = nil
  return node
end

local function nn_save(obj, path)
  check_path(path, "nn.save")
  if obj == nil then error("nn.save: nothing to save (got nil)", 2) end
  core.ckpt_save(path, "nn.save", tree(obj, "nn.save", {}), None)
end

-- }=====

return {install = function(nn)
  nn.load = nn_load
  nn.save = nn_save
end}
