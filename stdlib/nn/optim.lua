-- optim.lua: the optim module (global `optim`), torch.optim's optimisers and
-- learning-rate schedulers over nn parameters. A parameter is anything with
-- a float `data` array and a `grad` array (or nil): nn.Parameter, a layer's
-- weights, or a plain {data = a, grad = g} table. Steps update p.data in
-- place (views and state that hold the array see it) through the fused
-- kernels of kernels/nn/optim.c, which follow PyTorch 1.13's formulas in
-- their order of operations. The schedulers are optim_sched.lua.
local util = require "geolab.util"
local np = require "geolab.array"
local core = require "geolab.nn_core"
local error = util.raise

local optim = {}

-- {===== parameters and groups

local function is_param(x)
  local ok, d = pcall(function() return x.data end)
  return ok and type(d) == "userdata" and (d.dtype == "float32" or d.dtype == "float64")
end

-- A list of parameters from a list, a module (its parameters()) or an iterator.
local function param_list(x, fname, what)
  if type(x) == "function" then
    local out = {}
    for p in x do out[#out + 1] = p end
    return out
  end
  if type(x) == "table" and not is_param(x) then
    local ok, f = pcall(function() return x.parameters end)
    if ok and type(f) == "function" then x = x:parameters() end
    if type(x) == "table" then return x end
  end
  if is_param(x) then
    error(("%s: %s should be a list of parameters or of parameter groups, got a single tensor " ..
      "(write {p})"):format(fname, what), 4)
  end
  error(("%s: %s should be a list of parameters or of parameter groups, got %s"):format(
    fname, what, type(x)), 4)
end

local function check_number(v, name, fname, lo, lo_open)
  if type(v) ~= "number" then
    error(("%s: %s must be a number, got %s"):format(fname, name, type(v)), 4)
  end
  if v ~= v or v < lo or (lo_open and v == lo) then
    error(("%s: invalid %s: %s"):format(fname, name, tostring(v)), 4)
  end
end

-- Builds a group {params = {...}, <every default>}: a group table's own
-- options win over the optimiser's defaults, as in PyTorch.
local function make_group(self, g, index)
  local fname = self._name
  local params = param_list(g.params, fname, "params of group " .. index)
  if #params == 0 then error(("%s: optimizer got an empty parameter list"):format(fname), 4) end
  local group = {}
  for k, v in pairs(g) do if k ~= "params" then group[k] = v end end
  util.check_options(group, self._option_names, fname, 4)
  group.params = {}
  for k, v in pairs(self.defaults) do if group[k] == nil then group[k] = v end end
  if group.lr == nil then error(("%s: lr is required"):format(fname), 4) end
  for i, p in ipairs(params) do
    if not is_param(p) then
      error(("%s: parameter %d of group %d is not a tensor with a float32 or float64 data array"):format(
        fname, i, index), 4)
    end
    if self._seen[p] then
      error(("%s: some parameters appear in more than one parameter group"):format(fname), 4)
    end
    self._seen[p] = true
    group.params[i] = p
  end
  self._check(group, fname)
  return group
end

local Optimizer = {}
Optimizer.__index = Optimizer

-- new(name, params, opts, defaults, check, step): an optimiser of class cls.
local function new(cls, params, opts)
  local fname = cls._name
  opts = util.check_options(opts, cls._option_names, fname, 3)
  local self = setmetatable({_name = fname, _option_names = cls._option_names, _check = cls._check,
    defaults = {}, param_groups = {}, state = setmetatable({}, {__mode = "k"}), _seen = {}}, cls)
  for k, v in pairs(cls._defaults) do self.defaults[k] = v end
  for k, v in pairs(opts) do self.defaults[k] = v end
  self._check(self.defaults, fname, true)
  local list = param_list(params, fname, "params")
  if #list == 0 then error(("%s: optimizer got an empty parameter list"):format(fname), 3) end
  if is_param(list[1]) then list = {{params = list}} end
  for i, g in ipairs(list) do
    if type(g) == "table" and g.params == nil and rawget(g, "data") ~= nil then
      error(("%s: parameter %d is not a tensor with a float32 or float64 data array"):format(fname, i), 3)
    end
    if type(g) ~= "table" or is_param(g) or g.params == nil then
      error(("%s: params should be all parameters or all groups ({params = ..., lr = ...})"):format(fname), 3)
    end
    self.param_groups[i] = make_group(self, g, i)
  end
  return self
end

-- opt:add_param_group{params = ..., lr = ...}
function Optimizer:add_param_group(g)
  if type(g) ~= "table" or g.params == nil then
    error(("%s:add_param_group: a group table {params = ..., ...} expected"):format(self._name), 2)
  end
  self.param_groups[#self.param_groups + 1] = make_group(self, g, #self.param_groups + 1)
end

-- opt:zero_grad([{set_to_none = false}]): PyTorch 1.13's default zeroes the
-- gradients in place; set_to_none drops them.
function Optimizer:zero_grad(opts)
  opts = util.check_options(opts, {"set_to_none"}, self._name .. ":zero_grad", 2)
  for _, g in ipairs(self.param_groups) do
    for _, p in ipairs(g.params) do
      local grad = p.grad
      if grad ~= nil then
        if opts.set_to_none then rawset(p, "grad", nil) else grad:fill(0) end
      end
    end
  end
end

-- opt:step([closure]): one update of every parameter that has a gradient;
-- returns closure()'s value when given (it recomputes the loss).
function Optimizer:step(closure)
  local loss
  if closure ~= nil then
    if type(closure) ~= "function" then
      error(("%s:step: closure must be a function, got %s"):format(self._name, type(closure)), 2)
    end
    loss = closure()
  end
  for _, g in ipairs(self.param_groups) do
    for _, p in ipairs(g.params) do
      local grad = p.grad
      if grad ~= nil then
        local st = self.state[p]
        if st == nil then st = {}; self.state[p] = st end
        self._update(self._name, g, p.data, grad, st)
      end
    end
  end
  return loss
end

local function copy_value(v)
  if type(v) == "userdata" and v.copy then return v:copy() end
  return v
end

-- opt:state_dict(): {state = {[i] = {...}}, param_groups = {{lr = ..., params = {i, ...}}}}
-- as PyTorch's, parameters numbered from 1 across the groups in order. The
-- arrays are copies: later steps do not change a saved state dict.
function Optimizer:state_dict()
  local state, groups, n = {}, {}, 0
  for gi, g in ipairs(self.param_groups) do
    local out = {params = {}}
    for k, v in pairs(g) do if k ~= "params" then out[k] = copy_value(v) end end
    for _, p in ipairs(g.params) do
      n = n + 1
      out.params[#out.params + 1] = n
      local st = self.state[p]
      if st ~= nil then
        local s = {}
        for k, v in pairs(st) do s[k] = copy_value(v) end
        state[n] = s
      end
    end
    groups[gi] = out
  end
  return {state = state, param_groups = groups}
end

-- opt:load_state_dict(sd): options and state from sd; groups must have the
-- sizes of this optimiser's. State arrays are copied into the parameters' dtype.
function Optimizer:load_state_dict(sd)
  local fname = self._name .. ":load_state_dict"
  if type(sd) ~= "table" or type(sd.param_groups) ~= "table" or type(sd.state) ~= "table" then
    error(fname .. ": an optimizer state dict {state = ..., param_groups = ...} expected", 2)
  end
  if #sd.param_groups ~= #self.param_groups then
    error(("%s: loaded state dict has %d parameter groups, the optimizer has %d"):format(
      fname, #sd.param_groups, #self.param_groups), 2)
  end
  for gi, g in ipairs(self.param_groups) do
    local sg = sd.param_groups[gi]
    if type(sg.params) ~= "table" or #sg.params ~= #g.params then
      error(("%s: loaded state dict contains a parameter group that doesn't match the size of " ..
        "optimizer's group (group %d)"):format(fname, gi), 2)
    end
  end
  for gi, g in ipairs(self.param_groups) do
    local sg = sd.param_groups[gi]
    for k, v in pairs(sg) do if k ~= "params" then g[k] = copy_value(v) end end
    for i, p in ipairs(g.params) do
      local s = sd.state[sg.params[i]]
      if s ~= nil then
        local st = {}
        for k, v in pairs(s) do
          if type(v) == "userdata" and v.astype then
            if v.size ~= p.data.size then
              error(("%s: state '%s' of parameter %d has %d elements, the parameter %d"):format(
                fname, k, sg.params[i], v.size, p.data.size), 2)
            end
            st[k] = v:astype(p.data.dtype):reshape(p.data.shape):copy()
          else
            st[k] = v
          end
        end
        self.state[p] = st
      else
        self.state[p] = nil
      end
    end
  end
end

local function fmt_value(v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = fmt_value(x) end
    return "(" .. table.concat(parts, ", ") .. ")"
  end
  if type(v) == "boolean" then return v and "True" or "False" end
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 1e15 then
    return ("%d"):format(v)
  end
  return tostring(v)
end

-- print(opt): PyTorch's listing of the groups and their options.
function Optimizer:__tostring()
  local lines = {self._name:gsub("^optim%.", "") .. " ("}
  for gi, g in ipairs(self.param_groups) do
    lines[#lines + 1] = "Parameter Group " .. gi
    for _, k in ipairs(util.sorted_keys(g)) do
      if k ~= "params" then lines[#lines + 1] = ("    %s: %s"):format(k, fmt_value(g[k])) end
    end
  end
  lines[#lines + 1] = ")"
  return table.concat(lines, "\n")
end
-- }=====

-- {===== the optimisers

-- class(name, defaults, check, update): the class table, callable as
-- optim.NAME(params[, opts]).
local function class(name, defaults, check, update)
  local cls = setmetatable({}, {__index = Optimizer})
  for k, v in pairs(Optimizer) do cls[k] = v end
  cls.__index = cls
  cls.__name = "optim." .. name
  cls._name = "optim." .. name
  cls._defaults, cls._check, cls._update = defaults, check, update
  local names = {}
  for k in pairs(defaults) do names[#names + 1] = k end
  names[#names + 1] = "lr"
  table.sort(names)
  cls._option_names = names
  return setmetatable(cls, {__index = Optimizer, __name = "optim." .. name .. " class",
    __call = function(c, params, opts) return new(c, params, opts) end,
    __tostring = function() return "optim." .. name end})
end

local function new_state(p, dtype)
  return np.zeros(p.shape, dtype or p.dtype)
end

local function check_common(g, fname)
  if g.lr ~= nil then check_number(g.lr, "learning rate", fname, 0) end
  check_number(g.weight_decay, "weight_decay value", fname, 0)
  if type(g.maximize) ~= "boolean" then
    error(("%s: maximize must be a boolean, got %s"):format(fname, type(g.maximize)), 4)
  end
end

local function check_betas(g, fname)
  local b = g.betas
  if type(b) ~= "table" or type(b[1]) ~= "number" or type(b[2]) ~= "number" or b[3] ~= nil then
    error(("%s: betas must be two numbers {beta1, beta2}"):format(fname), 4)
  end
  for i = 1, 2 do
    if not (b[i] >= 0 and b[i] < 1) then
      error(("%s: invalid beta parameter at index %d: %s"):format(fname, i, tostring(b[i])), 4)
    end
  end
  check_number(g.eps, "epsilon value", fname, 0)
  if type(g.amsgrad) ~= "boolean" then error(fname .. ": amsgrad must be a boolean", 4) end
end

-- optim.SGD(params, {lr, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false, maximize = false})
optim.SGD = class("SGD",
  {momentum = 0, dampening = 0, weight_decay = 0, nesterov = false, maximize = false},
  function(g, fname)
    check_common(g, fname)
    check_number(g.momentum, "momentum value", fname, 0)
    check_number(g.dampening, "dampening value", fname, -math.huge)
    if type(g.nesterov) ~= "boolean" then error(fname .. ": nesterov must be a boolean", 4) end
    if g.nesterov and (g.momentum <= 0 or g.dampening ~= 0) then
      error(fname .. ": Nesterov momentum requires a momentum and zero dampening", 4)
    end
  end,
  function(fname, g, p, grad, st)
    local buf, first = st.momentum_buffer, false
    if g.momentum ~= 0 and buf == nil then
      buf, first = new_state(p), true
      st.momentum_buffer = buf
    end
    core.sgd_step(fname, p, grad, g.momentum ~= 0 and buf or nil, g.lr, g.momentum, g.dampening,
      g.weight_decay, g.nesterov, g.maximize, first)
  end)

local function adam_update(decoupled)
  return function(fname, g, p, grad, st)
    if st.step == nil then
      st.step, st.exp_avg, st.exp_avg_sq = 0, new_state(p), new_state(p)
    end
    if g.amsgrad and st.max_exp_avg_sq == nil then st.max_exp_avg_sq = new_state(p) end
    local step = st.step + 1.0     -- PyTorch keeps it as a float tensor
    st.step = step
    local b1, b2 = g.betas[1], g.betas[2]
    local bc1, bc2 = 1 - b1 ^ step, 1 - b2 ^ step
    core.adam_step(fname, p, grad, st.exp_avg, st.exp_avg_sq, g.amsgrad and st.max_exp_avg_sq or nil,
      g.lr, b1, b2, g.eps, g.weight_decay, g.lr / bc1, math.sqrt(bc2), g.amsgrad, g.maximize, decoupled)
  end
end

local function check_adam(g, fname)
  check_common(g, fname)
  check_betas(g, fname)
end

-- optim.Adam(params, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0, amsgrad = false, maximize = false})
optim.Adam = class("Adam",
  {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0, amsgrad = false, maximize = false},
  check_adam, adam_update(false))

-- optim.AdamW(params, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 1e-2, amsgrad = false, maximize = false})
optim.AdamW = class("AdamW",
  {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 1e-2, amsgrad = false, maximize = false},
  check_adam, adam_update(true))

-- optim.RMSprop(params, {lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false, maximize = false})
optim.RMSprop = class("RMSprop",
  {lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false, maximize = false},
  function(g, fname)
    check_common(g, fname)
    check_number(g.alpha, "alpha value", fname, 0)
    check_number(g.eps, "epsilon value", fname, 0)
    check_number(g.momentum, "momentum value", fname, 0)
    if type(g.centered) ~= "boolean" then error(fname .. ": centered must be a boolean", 4) end
  end,
  function(fname, g, p, grad, st)
    if st.step == nil then st.step, st.square_avg = 0, new_state(p) end
    if g.momentum > 0 and st.momentum_buffer == nil then st.momentum_buffer = new_state(p) end
    if g.centered and st.grad_avg == nil then st.grad_avg = new_state(p) end
    st.step = st.step + 1
    core.rmsprop_step(fname, p, grad, st.square_avg, g.centered and st.grad_avg or nil,
      g.momentum > 0 and st.momentum_buffer or nil, g.lr, g.alpha, g.eps, g.weight_decay,
      g.momentum, g.centered, g.maximize)
  end)

optim.Optimizer = Optimizer
-- }=====

optim.lr_scheduler = require "geolab.optim_sched"

util.strict(optim, "optim")
return optim
