-- optim_sched.lua: optim.lr_scheduler, torch.optim.lr_scheduler's StepLR,
-- ExponentialLR, CosineAnnealingLR and ReduceLROnPlateau. Each sets the lr
-- of the optimiser's groups (opt.param_groups[i].lr) at sched:step(). The
-- first three use PyTorch 1.13's recursive ("chainable") formulas, in its
-- order of operations, so the sequences are PyTorch's to the last bit.
local util = require "geolab.util"
local error = util.raise

local M = {}

local function is_optimizer(x)
  return type(x) == "table" and type(x.param_groups) == "table" and type(x.step) == "function"
end

local function current_lrs(opt)
  local out = {}
  for i, g in ipairs(opt.param_groups) do out[i] = g.lr end
  return util.list(out)
end

local function check_int(v, name, fname, lo)
  if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) then
    error(("%s: %s must be an integer, got %s"):format(fname, name, tostring(v)), 4)
  end
  if v < lo then error(("%s: %s must be at least %d, got %s"):format(fname, name, lo, tostring(v)), 4) end
  return math.tointeger(v)
end

local function check_num(v, name, fname)
  if type(v) ~= "number" or v ~= v then
    error(("%s: %s must be a number, got %s"):format(fname, name, tostring(v)), 4)
  end
  return v
end

-- {===== epoch schedulers: StepLR, ExponentialLR, CosineAnnealingLR

local Sched = {}
Sched.__index = Sched

-- sched:step(): the next epoch's learning rates.
function Sched:step(epoch)
  if epoch ~= nil then
    error(("%s:step: takes no argument (only ReduceLROnPlateau:step takes a metric)"):format(self._name), 2)
  end
  self._step_count = self._step_count + 1
  self.last_epoch = self.last_epoch + 1
  local lrs = self:get_lr()
  for i, g in ipairs(self.optimizer.param_groups) do g.lr = lrs[i] end
  self._last_lr = current_lrs(self.optimizer)
end

-- sched:get_last_lr(): the learning rates the last step set, one per group.
function Sched:get_last_lr()
  local out = {}
  for i, v in ipairs(self._last_lr) do out[i] = v end
  return util.list(out)
end

-- sched:state_dict() / load_state_dict(sd): everything but the optimiser.
function Sched:state_dict()
  local out = {}
  for k, v in pairs(self) do
    if k ~= "optimizer" and k:sub(1, 1) ~= "_" or k == "_step_count" or k == "_last_lr" then
      out[k] = type(v) == "table" and table.move(v, 1, #v, 1, {}) or v
    end
  end
  return out
end
function Sched:load_state_dict(sd)
  if type(sd) ~= "table" then error(self._name .. ":load_state_dict: a table expected", 2) end
  for k, v in pairs(sd) do self[k] = type(v) == "table" and table.move(v, 1, #v, 1, {}) or v end
end

function Sched:__tostring()
  return ("<%s, last_epoch=%d, lr=%s>"):format(self._name, self.last_epoch,
    util.repr(self._last_lr))
end

-- class(name, options, init, get_lr): optim.lr_scheduler.NAME(opt, ...).
local function class(name, init, get_lr)
  local cls = setmetatable({}, {__index = Sched})
  for k, v in pairs(Sched) do cls[k] = v end
  cls.__index, cls.__name, cls.get_lr = cls, "optim.lr_scheduler." .. name, get_lr
  return setmetatable(cls, {__name = "optim.lr_scheduler." .. name .. " class",
    __tostring = function() return "optim.lr_scheduler." .. name end,
    __call = function(c, opt, ...)
      local fname = "optim.lr_scheduler." .. name
      if not is_optimizer(opt) then
        error(("%s: an optimizer expected as argument 1, got %s"):format(fname, type(opt)), 2)
      end
      local self = setmetatable({_name = fname, optimizer = opt}, c)
      local last_epoch = init(self, fname, ...)
      if last_epoch == -1 then
        for _, g in ipairs(opt.param_groups) do
          if g.initial_lr == nil then g.initial_lr = g.lr end
        end
      else
        for i, g in ipairs(opt.param_groups) do
          if g.initial_lr == nil then
            error(("%s: param 'initial_lr' is not specified in param_groups[%d] when resuming an " ..
              "optimizer"):format(fname, i), 2)
          end
        end
      end
      self.base_lrs = {}
      for i, g in ipairs(opt.param_groups) do self.base_lrs[i] = g.initial_lr end
      self.last_epoch, self._step_count = last_epoch, 0
      self:step()     -- PyTorch's initial step: last_epoch becomes 0
      return self
    end})
end

-- Options table (last argument) or positional values, as the Python form.
local function args(fname, names, allowed, ...)
  local n = select("#", ...)
  local last = select(n > 0 and n or 1, ...)
  local o = {}
  if n > 0 and type(last) == "table" then
    util.check_options(last, allowed, fname, 4)
    for k, v in pairs(last) do o[k] = v end
    n = n - 1
  end
  for i = 1, n do
    local v = select(i, ...)
    if names[i] == nil then error(("%s: too many arguments"):format(fname), 4) end
    if o[names[i]] ~= nil then
      error(("%s: %s given twice (positionally and in the options)"):format(fname, names[i]), 4)
    end
    o[names[i]] = v
  end
  return o
end

-- StepLR(opt, step_size[, {gamma = 0.1, last_epoch = -1}])
M.StepLR = class("StepLR", function(self, fname, ...)
  local o = args(fname, {"step_size", "gamma"}, {"step_size", "gamma", "last_epoch"}, ...)
  if o.step_size == nil then error(fname .. ": step_size is required", 3) end
  self.step_size = check_int(o.step_size, "step_size", fname, 1)
  self.gamma = check_num(o.gamma or 0.1, "gamma", fname)
  return check_int(o.last_epoch or -1, "last_epoch", fname, -1)
end, function(self)
  local out = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    if self.last_epoch == 0 or self.last_epoch % self.step_size ~= 0 then out[i] = g.lr
    else out[i] = g.lr * self.gamma end
  end
  return out
end)

-- ExponentialLR(opt, gamma[, {last_epoch = -1}])
M.ExponentialLR = class("ExponentialLR", function(self, fname, ...)
  local o = args(fname, {"gamma"}, {"gamma", "last_epoch"}, ...)
  if o.gamma == nil then error(fname .. ": gamma is required", 3) end
  self.gamma = check_num(o.gamma, "gamma", fname)
  return check_int(o.last_epoch or -1, "last_epoch", fname, -1)
end, function(self)
  local out = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    out[i] = self.last_epoch == 0 and g.lr or g.lr * self.gamma
  end
  return out
end)

-- CosineAnnealingLR(opt, T_max[, {eta_min = 0, last_epoch = -1}])
M.CosineAnnealingLR = class("CosineAnnealingLR", function(self, fname, ...)
  local o = args(fname, {"T_max", "eta_min"}, {"T_max", "eta_min", "last_epoch"}, ...)
  if o.T_max == nil then error(fname .. ": T_max is required", 3) end
  self.T_max = check_int(o.T_max, "T_max", fname, 1)
  self.eta_min = check_num(o.eta_min or 0, "eta_min", fname)
  return check_int(o.last_epoch or -1, "last_epoch", fname, -1)
end, function(self)
  local e, T, eta, pi, cos = self.last_epoch, self.T_max, self.eta_min, math.pi, math.cos
  local out = {}
  for i, g in ipairs(self.optimizer.param_groups) do
    local base = self.base_lrs[i]
    if e == 0 then out[i] = g.lr
    elseif self._step_count == 1 and e > 0 then
      out[i] = eta + (base - eta) * (1 + cos((e) * pi / T)) / 2
    elseif (e - 1 - T) % (2 * T) == 0 then
      out[i] = g.lr + (base - eta) * (1 - cos(pi / T)) / 2
    else
      out[i] = (1 + cos(pi * e / T)) / (1 + cos(pi * (e - 1) / T)) * (g.lr - eta) + eta
    end
  end
  return out
end)
-- }=====

-- {===== ReduceLROnPlateau

local Plateau = {}
Plateau.__index = Plateau
Plateau.__name = "optim.lr_scheduler.ReduceLROnPlateau"
local PNAME = "optim.lr_scheduler.ReduceLROnPlateau"
local POPTS = {"mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr",
  "eps", "verbose"}

-- ReduceLROnPlateau(opt[, {mode = "min", factor = 0.1, patience = 10,
--   threshold = 1e-4, threshold_mode = "rel", cooldown = 0, min_lr = 0, eps = 1e-8}])
M.ReduceLROnPlateau = setmetatable({}, {__name = PNAME .. " class",
  __tostring = function() return PNAME end,
  __index = Plateau,
  __call = function(_, opt, o)
    if not is_optimizer(opt) then
      error(("%s: an optimizer expected as argument 1, got %s"):format(PNAME, type(opt)), 2)
    end
    o = util.check_options(o, POPTS, PNAME, 2)
    local self = setmetatable({optimizer = opt, _name = PNAME}, Plateau)
    self.factor = check_num(o.factor or 0.1, "factor", PNAME)
    if self.factor >= 1.0 then error(PNAME .. ": factor should be < 1.0", 2) end
    local ng = #opt.param_groups
    if type(o.min_lr) == "table" then
      if #o.min_lr ~= ng then
        error(("%s: expected %d min_lrs, got %d"):format(PNAME, ng, #o.min_lr), 2)
      end
      self.min_lrs = {}
      for i = 1, ng do self.min_lrs[i] = check_num(o.min_lr[i], "min_lr", PNAME) end
    else
      local m = check_num(o.min_lr or 0, "min_lr", PNAME)
      self.min_lrs = {}
      for i = 1, ng do self.min_lrs[i] = m end
    end
    self.patience = check_int(o.patience or 10, "patience", PNAME, 0)
    self.cooldown = check_int(o.cooldown or 0, "cooldown", PNAME, 0)
    self.threshold = check_num(o.threshold or 1e-4, "threshold", PNAME)
    self.eps = check_num(o.eps or 1e-8, "eps", PNAME)
    self.mode, self.threshold_mode = o.mode or "min", o.threshold_mode or "rel"
    if self.mode ~= "min" and self.mode ~= "max" then
      error(("%s: mode '%s' is unknown (expected 'min' or 'max')"):format(PNAME, tostring(self.mode)), 2)
    end
    if self.threshold_mode ~= "rel" and self.threshold_mode ~= "abs" then
      error(("%s: threshold_mode '%s' is unknown (expected 'rel' or 'abs')"):format(PNAME,
        tostring(self.threshold_mode)), 2)
    end
    self.verbose = o.verbose or false
    self.last_epoch = 0
    self.best = self.mode == "min" and math.huge or -math.huge
    self.cooldown_counter, self.num_bad_epochs = 0, 0
    self._last_lr = current_lrs(opt)
    return self
  end})

function Plateau:is_better(a, best)
  if self.mode == "min" and self.threshold_mode == "rel" then return a < best * (1. - self.threshold)
  elseif self.mode == "min" then return a < best - self.threshold
  elseif self.threshold_mode == "rel" then return a > best * (self.threshold + 1.)
  else return a > best + self.threshold end
end

-- sched:step(metric): one epoch's validation metric (a number, or a
-- one-element array or tensor); lowers the lr after `patience` bad epochs.
function Plateau:step(metric)
  if type(metric) ~= "number" then
    local ok, v = pcall(function() return metric:item() end)
    if not ok or type(v) ~= "number" then
      error(("%s:step: the metric must be a number, got %s"):format(PNAME, type(metric)), 2)
    end
    metric = v
  end
  local epoch = self.last_epoch + 1
  self.last_epoch = epoch
  if self:is_better(metric, self.best) then
    self.best, self.num_bad_epochs = metric, 0
  else
    self.num_bad_epochs = self.num_bad_epochs + 1
  end
  if self.cooldown_counter > 0 then
    self.cooldown_counter = self.cooldown_counter - 1
    self.num_bad_epochs = 0      -- bad epochs in cooldown do not count
  end
  if self.num_bad_epochs > self.patience then
    for i, g in ipairs(self.optimizer.param_groups) do
      local old = g.lr
      local new = math.max(old * self.factor, self.min_lrs[i])
      if old - new > self.eps then
        g.lr = new
        if self.verbose then
          print(("Epoch %05d: reducing learning rate of group %d to %.4e."):format(epoch, i, new))
        end
      end
    end
    self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
  end
  self._last_lr = current_lrs(self.optimizer)
end

Plateau.get_last_lr = Sched.get_last_lr
Plateau.state_dict = Sched.state_dict
Plateau.load_state_dict = Sched.load_state_dict
function Plateau:__tostring()
  return ("<%s, mode=%s, best=%s, bad epochs=%d, lr=%s>"):format(PNAME, self.mode,
    tostring(self.best), self.num_bad_epochs, util.repr(self._last_lr))
end
-- }=====

util.strict(M, "optim.lr_scheduler")
return M
