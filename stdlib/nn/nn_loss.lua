-- nn_loss.lua: the loss modules (PyTorch's CrossEntropyLoss, NLLLoss,
-- MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss): options stored at
-- construction, loss(input, target) calls nn.functional's forms. Class
-- weights are buffers, as in PyTorch (so they are in the state dict).
local util = require "geolab.util"
local T = require "geolab.nn_tensor"
local Mod = require "geolab.nn_module"
local F = require "geolab.nn_functional"
require "geolab.nn_functional_loss"   -- adds the losses to F
local error = util.raise

local I = F._internal
local Module = Mod.Module
local L = {}

local function weight_buffer(self, name, w, who)
  if w == nil then return end
  if T.is_tensor(w) then w = w.data end
  if type(w) == "table" then w = require("geolab.array").array(w, "float32") end
  if not T.is_array(w) then error(("%s: %s must be an array"):format(who, name), 4) end
  self:register_buffer(name, w)
end

local function reduction(r, who)
  r = r or "mean"
  if r ~= "mean" and r ~= "sum" and r ~= "none" then
    error(("%s: reduction must be 'mean', 'sum' or 'none', got '%s'"):format(who, tostring(r)), 4)
  end
  return r
end

local function loss_class(name, allowed, init, forward)
  local C = Module:extend(name)
  L[name] = C
  function C:__init(o)
    local who = "nn." .. name
    o = util.check_options(o, allowed, who, 3)
    self.reduction = reduction(o.reduction, who)
    init(self, o, who)
  end
  function C:_label() return "nn." .. name end
  function C:forward(x, y)
    local who = self:_label()
    return forward(self, I.input(x, who), y, who)
  end
end

loss_class("CrossEntropyLoss", {"weight", "ignore_index", "reduction", "label_smoothing"},
  function(self, o, who)
    weight_buffer(self, "weight", o.weight, who)
    self.ignore_index = o.ignore_index or -100
    self.label_smoothing = o.label_smoothing or 0.0
    if type(self.label_smoothing) ~= "number" or self.label_smoothing < 0 or self.label_smoothing > 1 then
      error(who .. ": label_smoothing must be between 0.0 and 1.0", 4)
    end
  end,
  function(self, x, y, who)
    return I.cross_entropy(x, y, {weight = self.weight, ignore_index = self.ignore_index,
      reduction = self.reduction, label_smoothing = self.label_smoothing}, who)
  end)

loss_class("NLLLoss", {"weight", "ignore_index", "reduction"},
  function(self, o, who)
    weight_buffer(self, "weight", o.weight, who)
    self.ignore_index = o.ignore_index or -100
  end,
  function(self, x, y, who)
    return I.nll_loss(x, y, {weight = self.weight, ignore_index = self.ignore_index, reduction = self.reduction}, who)
  end)

loss_class("MSELoss", {"reduction"}, function() end,
  function(self, x, y, who) return I.mse_loss(x, y, self.reduction, who) end)
loss_class("L1Loss", {"reduction"}, function() end,
  function(self, x, y, who) return I.l1_loss(x, y, self.reduction, who) end)
loss_class("BCELoss", {"weight", "reduction"},
  function(self, o, who) weight_buffer(self, "weight", o.weight, who) end,
  function(self, x, y, who) return I.bce(x, y, self.weight, self.reduction, who) end)
loss_class("BCEWithLogitsLoss", {"weight", "reduction", "pos_weight"},
  function(self, o, who)
    weight_buffer(self, "weight", o.weight, who)
    weight_buffer(self, "pos_weight", o.pos_weight, who)
  end,
  function(self, x, y, who) return I.bce_logits(x, y, self.weight, self.pos_weight, self.reduction, who) end)

function L.install(nn)
  for k, v in pairs(L) do if type(v) == "table" then nn[k] = v end end
end

return L
