-- nn_module.lua: nn.Module, PyTorch's module tree: children, parameters and
-- buffers kept in definition order (so state_dict keys and print(model) are
-- PyTorch's), user modules from a table constructor or a class
-- (nn.Module:extend), nn.Sequential, state dicts, train/eval, dtype casts.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local SD = require "geolab.nn_statedict"
local error = util.raise

local M = {}
local is_tensor = T.is_tensor

-- Every class has an instance metatable whose __index is the class; the
-- class's own metatable chains to its parent.
local function is_module(x)
  local mt = getmetatable(x)
  return type(mt) == "table" and rawget(mt, "__nn_module") == true and rawget(x, "_children") ~= nil
end
M.is_module = is_module
local function is_param(x) return is_tensor(x) and rawget(x, "_param") == true end

local function add_key(list, k)
  for i = 1, #list do if list[i] == k then return end end
  list[#list + 1] = k
end

-- self.name = value: modules become children and parameters parameters, in
-- assignment order (a key assigned again keeps its place, as in PyTorch).
local function newindex(self, k, v)
  if is_module(v) then add_key(rawget(self, "_children"), k)
  elseif is_param(v) then add_key(rawget(self, "_params"), k) end
  rawset(self, k, v)
end

local function name_of(m) return rawget(m, "_name") or getmetatable(m).__index._classname end

local function addindent(s, n)
  return (s:gsub("\n", "\n" .. (" "):rep(n)))
end

-- print(model): PyTorch's Module.__repr__.
local function repr(self)
  local extra = self:extra_repr()
  local lines = {}
  if extra ~= "" then for l in (extra .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end end
  local nextra = #lines
  for _, k in ipairs(rawget(self, "_children")) do
    local c = rawget(self, k)
    if c ~= nil then lines[#lines + 1] = "(" .. k .. "): " .. addindent(repr(c), 2) end
  end
  local s = name_of(self) .. "("
  if #lines > 0 then
    if nextra == 1 and #lines == 1 then s = s .. lines[1]
    else s = s .. "\n  " .. table.concat(lines, "\n  ") .. "\n" end
  end
  return s .. ")"
end

local function call(self, ...) return self:forward(...) end

local Module = {_classname = "Module"}
local function make_class(name, parent)
  local C = {_classname = name}
  C.__imt = {__index = C, __newindex = newindex, __call = call, __tostring = repr,
    __name = "nn." .. name, __nn_module = true}
  return setmetatable(C, {__index = parent, __call = function(cls, ...) return cls:new(...) end,
    __tostring = function() return "nn." .. name end})
end

-- A bare instance of class C (no __init yet).
local function instance(C)
  local obj = {_children = {}, _params = {}, _buffers = {}, training = true}
  setmetatable(obj, C.__imt)
  T.stamp(obj)
  return obj
end

-- Cls:new(...): an instance, built by Cls.__init(self, ...).
function Module.new(C, ...)
  local obj = instance(C)
  local init = C.__init
  if init then init(obj, ...) end
  return obj
end

-- nn.Module:extend(name): a new class; define Name:__init(...) and
-- Name:forward(x), then Name(...) builds one.
function Module.extend(C, name)
  if type(name) ~= "string" then error("nn.Module:extend: a class name (string) expected", 2) end
  return make_class(name, C)
end

-- nn.Module{fields..., forward = fn} or nn.Module(name, {...}): a user
-- module. Modules and parameters are added in the order they were created,
-- which is their order in the table constructor.
local function from_spec(name, spec)
  local obj = instance(Module)
  if name then rawset(obj, "_name", name) end
  local ordered, plain = {}, {}
  for k, v in pairs(spec) do
    if type(k) ~= "string" then
      error("nn.Module: fields need names (nn.Module{fc = nn.Linear(4, 2), forward = ...})", 3)
    end
    if is_module(v) or is_param(v) then ordered[#ordered + 1] = k else plain[#plain + 1] = k end
  end
  table.sort(ordered, function(a, b) return T.stamp_of(spec[a]) < T.stamp_of(spec[b]) end)
  table.sort(plain)
  for _, k in ipairs(plain) do rawset(obj, k, spec[k]) end
  for _, k in ipairs(ordered) do obj[k] = spec[k] end
  return obj
end

setmetatable(Module, {__call = function(_, a, b)
  if type(a) == "table" and b == nil and not is_module(a) then return from_spec(nil, a) end
  if type(a) == "string" and type(b) == "table" then return from_spec(a, b) end
  error("nn.Module: expected a table of fields, nn.Module{...}, or nn.Module(name, {...})", 2)
end, __tostring = function() return "nn.Module" end})
Module.__imt = {__index = Module, __newindex = newindex, __call = call, __tostring = repr,
  __name = "nn.Module", __nn_module = true}
M.Module = Module

function Module:forward()
  error(("nn.%s: forward is not defined (give the module a forward function)"):format(name_of(self)), 2)
end
function Module:extra_repr() return "" end
function Module:get_name() return name_of(self) end

-- {===== registration
function Module:add_module(name, m)
  if not is_module(m) and m ~= nil then error("nn.Module:add_module: a module expected", 2) end
  self[name] = m
  if m == nil then add_key(rawget(self, "_children"), name) end
end
Module.register_module = Module.add_module
function Module:register_parameter(name, p)
  if p ~= nil and not is_param(p) then p = T.Parameter(p) end
  if p == nil then rawset(self, name, nil) else self[name] = p end
end
-- register_buffer(name, array|nil[, persistent = true]): state kept in the
-- state dict but not learned (running statistics).
function Module:register_buffer(name, a, persistent)
  add_key(rawget(self, "_buffers"), name)
  if persistent == false then
    local np_ = rawget(self, "_nonpersistent") or {}
    np_[name] = true
    rawset(self, "_nonpersistent", np_)
  end
  rawset(self, name, a)
end
-- }=====

-- {===== walking the tree
local function each_child(self)
  local out = {}
  for _, k in ipairs(rawget(self, "_children")) do
    local c = rawget(self, k)
    if c ~= nil then out[#out + 1] = {k, c} end
  end
  return out
end

local function list_iter(list)
  local i = 0
  return function()
    i = i + 1
    local e = list[i]
    if e then return e[1], e[2] end
  end
end

-- named parameters as {name, tensor} pairs, each parameter once
local function named_params(self, prefix, out, seen)
  for _, k in ipairs(rawget(self, "_params")) do
    local p = rawget(self, k)
    if p ~= nil and not seen[p] then seen[p] = true; out[#out + 1] = {prefix .. k, p} end
  end
  for _, e in ipairs(each_child(self)) do named_params(e[2], prefix .. e[1] .. ".", out, seen) end
  return out
end

function Module:named_parameters() return list_iter(named_params(self, "", {}, {})) end
function Module:parameters()
  local out = {}
  for i, e in ipairs(named_params(self, "", {}, {})) do out[i] = e[2] end
  return out
end

function Module:named_children() return list_iter(each_child(self)) end
function Module:children()
  local out = {}
  for i, e in ipairs(each_child(self)) do out[i] = e[2] end
  return out
end

local function named_mods(self, prefix, out, seen)
  if seen[self] then return out end
  seen[self] = true
  out[#out + 1] = {prefix, self}
  for _, e in ipairs(each_child(self)) do
    named_mods(e[2], prefix == "" and e[1] or (prefix .. "." .. e[1]), out, seen)
  end
  return out
end
function Module:named_modules() return list_iter(named_mods(self, "", {}, {})) end
function Module:modules()
  local out = {}
  for i, e in ipairs(named_mods(self, "", {}, {})) do out[i] = e[2] end
  return out
end

function Module:apply(fn)
  for _, c in ipairs(self:children()) do c:apply(fn) end
  fn(self)
  return self
end

function Module:train(mode)
  mode = mode ~= false
  for _, m in ipairs(self:modules()) do rawset(m, "training", mode) end
  return self
end
function Module:eval() return self:train(false) end

-- zero_grad([set_to_none = false]): PyTorch 1.13's default zeroes in place.
function Module:zero_grad(set_to_none)
  for _, p in ipairs(self:parameters()) do
    local g = rawget(p, "grad")
    if g ~= nil then
      if set_to_none then rawset(p, "grad", nil) else g:fill(0) end
    end
  end
end
-- }=====

-- {===== state dicts

-- (key, array, owner, field) for every parameter and persistent buffer.
local function entries(self, prefix, out)
  for _, k in ipairs(rawget(self, "_params")) do
    local p = rawget(self, k)
    if p ~= nil then out[#out + 1] = {prefix .. k, p.data, p, "data"} end
  end
  local nonp = rawget(self, "_nonpersistent") or {}
  for _, k in ipairs(rawget(self, "_buffers")) do
    local b = rawget(self, k)
    if b ~= nil and not nonp[k] then out[#out + 1] = {prefix .. k, b, self, k} end
  end
  for _, e in ipairs(each_child(self)) do entries(e[2], prefix .. e[1] .. ".", out) end
  return out
end

-- state_dict(): an nn.StateDict of the model's arrays (shared, not copied).
function Module:state_dict()
  local sd = SD.new()
  for _, e in ipairs(entries(self, "", {})) do sd[e[1]] = e[2] end
  return sd
end

local function quoted(list)
  local q = {}
  for i, k in ipairs(list) do q[i] = '"' .. k .. '"' end
  return table.concat(q, ", ")
end

-- load_state_dict(sd[, {strict = true}]): copies sd's arrays into the
-- model's (in place, cast to the model's dtypes). Missing and unexpected
-- keys (strict) and shape mismatches (always) raise, listing every one.
-- Returns {missing_keys = ..., unexpected_keys = ...}.
function Module:load_state_dict(sd, opts)
  local fname = "nn.Module:load_state_dict"
  util.check_options(opts, {"strict"}, fname, 2)
  local strict = not (opts and opts.strict == false)
  sd = SD.from(sd, fname)
  local own, byname = entries(self, "", {}), {}
  for _, e in ipairs(own) do byname[e[1]] = e end
  local missing, unexpected, sizes = {}, {}, {}
  for _, e in ipairs(own) do if rawget(sd, e[1]) == nil then missing[#missing + 1] = e[1] end end
  for k, v in pairs(sd) do
    local e = byname[k]
    if e == nil then unexpected[#unexpected + 1] = k
    else
      if not T.is_array(v) then v = is_tensor(v) and v.data or v end
      if not T.is_array(v) then
        sizes[#sizes + 1] = ("value for %s is not an array (got %s)"):format(k, type(v))
      elseif tostring(v.shape) ~= tostring(e[2].shape) then
        sizes[#sizes + 1] = ("size mismatch for %s: copying a param with shape %s from checkpoint, the shape in current model is %s.")
          :format(k, T.shape_str(v.shape), T.shape_str(e[2].shape))
      end
    end
  end
  local errs = {}
  if strict and #unexpected > 0 then errs[#errs + 1] = "Unexpected key(s) in state_dict: " .. quoted(unexpected) .. "." end
  if strict and #missing > 0 then errs[#errs + 1] = "Missing key(s) in state_dict: " .. quoted(missing) .. "." end
  for _, s in ipairs(sizes) do errs[#errs + 1] = s end
  if #errs > 0 then
    error(("%s: error(s) in loading state_dict for %s:\n\t%s"):format(fname, name_of(self),
      table.concat(errs, "\n\t")), 2)
  end
  for k, v in pairs(sd) do
    local e = byname[k]
    if e then
      if is_tensor(v) then v = v.data end
      local dst = e[2]
      if v.dtype ~= dst.dtype then v = v:astype(dst.dtype) end
      dst[{}] = v
    end
  end
  return {missing_keys = util.list(missing), unexpected_keys = util.list(unexpected)}
end
-- }=====

-- {===== dtypes
-- model:to(dtype), model:float(), model:double(): parameters and float
-- buffers cast (the parameter objects stay, their arrays are new).
function Module:to(dt)
  dt = tostring(dt):gsub("^torch%.", "")
  if dt == "float" then dt = "float32" elseif dt == "double" then dt = "float64" end
  if dt ~= "float32" and dt ~= "float64" then
    error(("nn.Module:to: dtype must be float32 or float64, got '%s'"):format(dt), 2)
  end
  for _, m in ipairs(self:modules()) do
    for _, k in ipairs(rawget(m, "_params")) do
      local p = rawget(m, k)
      if p ~= nil and p.data.dtype ~= dt then
        rawset(p, "data", p.data:astype(dt))
        local g = rawget(p, "grad")
        if g ~= nil then rawset(p, "grad", g:astype(dt)) end
      end
    end
    for _, k in ipairs(rawget(m, "_buffers")) do
      local b = rawget(m, k)
      if b ~= nil and (b.dtype == "float32" or b.dtype == "float64") and b.dtype ~= dt then
        rawset(m, k, b:astype(dt))
      end
    end
  end
  return self
end
function Module:float() return self:to("float32") end
function Module:double() return self:to("float64") end

-- The dtype of the module's first parameter (nil without parameters).
function Module:_dtype()
  for _, k in ipairs(rawget(self, "_params")) do
    local p = rawget(self, k)
    if p ~= nil then return p.data.dtype end
  end
end
-- }=====

-- {===== Sequential
local Sequential = make_class("Sequential", Module)
M.Sequential = Sequential

-- nn.Sequential{a, b, c} or nn.Sequential(a, b, c): children named "0",
-- "1", ... as PyTorch; seq[1] is the first (Lua positions). A table of
-- named modules (PyTorch's OrderedDict form) keeps their creation order.
function Sequential:__init(...)
  local args = table.pack(...)
  local list = args
  if args.n == 1 and type(args[1]) == "table" and not is_module(args[1]) then
    list = args[1]
    if #list == 0 and next(list) ~= nil then
      local names = {}
      for k in pairs(list) do names[#names + 1] = k end
      table.sort(names, function(a, b) return (T.stamp_of(list[a]) or 0) < (T.stamp_of(list[b]) or 0) end)
      for _, k in ipairs(names) do
        if not is_module(list[k]) then error(("nn.Sequential: '%s' is not a module"):format(k), 4) end
        self[k] = list[k]
      end
      return
    end
    list.n = #list
  end
  for i = 1, list.n do
    if not is_module(list[i]) then
      error(("nn.Sequential: argument %d is not a module (got %s)"):format(i, type(list[i])), 4)
    end
    self:append(list[i])
  end
end

function Sequential:append(m)
  if not is_module(m) then error("nn.Sequential:append: a module expected", 2) end
  local n = #rawget(self, "_children")
  self[tostring(n)] = m
  rawset(self, n + 1, m)
  return self
end

function Sequential:forward(x)
  for _, k in ipairs(rawget(self, "_children")) do x = rawget(self, k)(x) end
  return x
end
Sequential.__imt.__len = function(self) return #rawget(self, "_children") end
-- }=====

-- nn.count_parameters(model): the number of trainable parameter elements.
function M.count_parameters(model)
  if not is_module(model) then error("nn.count_parameters: a module expected, got " .. type(model), 2) end
  local n = 0
  for _, p in ipairs(model:parameters()) do if p.requires_grad then n = n + p.data.size end end
  return n
end

M.make_class = make_class

function M.install(nn)
  nn.Module, nn.Sequential, nn.count_parameters = Module, Sequential, M.count_parameters
  nn.is_module = is_module
end

return M
