-- nn_statedict.lua: the state dict, PyTorch's OrderedDict of tensors by name
-- ("conv1.0.weight" -> array). model:state_dict() returns one, nn.load reads
-- one, model:load_state_dict and nn.save take one. Keys keep their insertion
-- order (pairs walks them in it), as PyTorch's OrderedDict does: a checkpoint
-- written twice from the same model is the same file. A plain Lua table of
-- arrays is accepted wherever a state dict is (its keys are then sorted).
local util = require "geolab.util"
local error = util.raise

local M = {}

local order = setmetatable({}, {__mode = "k"})   -- state dict -> list of keys
local methods = {}
local MT = {__name = "nn.StateDict"}

local function new()
  local sd = setmetatable({}, MT)
  order[sd] = {}
  return sd
end
M.new = new

function M.is(x) return getmetatable(x) == MT end

-- The keys in order, skipping any that were set to nil since.
local function live_keys(sd)
  local out, keys = {}, order[sd]
  for i = 1, #keys do
    if rawget(sd, keys[i]) ~= nil then out[#out + 1] = keys[i] end
  end
  return out
end

MT.__newindex = function(sd, k, v)
  if type(k) ~= "string" then
    error(("nn.StateDict: keys are parameter names (strings), got %s"):format(type(k)), 2)
  end
  if v == nil then return end
  local keys = order[sd]
  -- a key set to nil and set again goes to the end, as in an OrderedDict
  for i = #keys, 1, -1 do if keys[i] == k then table.remove(keys, i) end end
  keys[#keys + 1] = k
  rawset(sd, k, v)
end

MT.__index = function(sd, k)
  local m = methods[k]
  if m ~= nil then return m end
  if type(k) ~= "string" then return nil end
  local near = util.nearest(k, live_keys(sd))
  error(("nn.StateDict: no key '%s'%s"):format(k,
    near and (" (did you mean '%s'?)"):format(near) or ""), 2)
end

MT.__pairs = function(sd)
  local keys, i = live_keys(sd), 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, rawget(sd, k) end
  end, sd, nil
end

MT.__len = function(sd) return #live_keys(sd) end

local function shape_str(v)
  if type(v) == "userdata" and v.shape then
    return ("%s %s"):format(v.dtype, tostring(v.shape))
  end
  return util.repr(v)
end

MT.__tostring = function(sd)
  local keys = live_keys(sd)
  local lines, w = {("StateDict with %d entr%s"):format(#keys, #keys == 1 and "y" or "ies")}, 0
  for _, k in ipairs(keys) do if #k > w then w = #k end end
  for _, k in ipairs(keys) do
    lines[#lines + 1] = ("  %-" .. w .. "s  %s"):format(k, shape_str(rawget(sd, k)))
  end
  return table.concat(lines, "\n")
end

-- sd:keys(), sd:values(), sd:items() ({name, array} pairs): lists, in order.
function methods.keys(sd) return util.list(live_keys(sd)) end
function methods.values(sd)
  local out = {}
  for _, k in ipairs(live_keys(sd)) do out[#out + 1] = rawget(sd, k) end
  return util.list(out)
end
function methods.items(sd)
  local out = {}
  for _, k in ipairs(live_keys(sd)) do out[#out + 1] = {k, rawget(sd, k)} end
  return util.list(out)
end
-- sd:copy(): a new state dict with copies of the arrays.
function methods.copy(sd)
  local out = new()
  for _, k in ipairs(live_keys(sd)) do
    local v = rawget(sd, k)
    out[k] = (type(v) == "userdata" and v.copy) and v:copy() or v
  end
  return out
end

-- M.from(t, fname): a state dict from a state dict (itself) or a plain table
-- of arrays (keys sorted, the only order that does not depend on hashing).
function M.from(t, fname)
  if M.is(t) then return t end
  if type(t) ~= "table" then
    error(("%s: a state dict (table of arrays by name) expected, got %s"):format(fname, type(t)), 3)
  end
  local sd = new()
  for _, k in ipairs(util.sorted_keys(t)) do sd[k] = t[k] end
  return sd
end

return M
