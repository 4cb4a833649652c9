-- nn_functional_loss.lua: the loss functions of nn.functional (PyTorch
-- 1.13's options and formulas): cross_entropy, nll_loss, mse_loss, l1_loss,
-- binary_cross_entropy(_with_logits). Class targets are 1-based positions (a
-- 0 is an error saying so). NLL is geolab.nn_core's; the others are tensor
-- expressions, so their gradients come from the tape.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local core = require "geolab.nn_core"
local F = require "geolab.nn_functional"
local error = util.raise

local I = F._internal
local record, shape_str, is_tensor, is_array = T.record, T.shape_str, T.is_tensor, T.is_array
local input = I.input

local REDUCTIONS = {mean = true, sum = true, none = true}
local function check_reduction(r, who)
  r = r or "mean"
  if not REDUCTIONS[r] then
    error(("%s: reduction must be 'mean', 'sum' or 'none', got '%s'"):format(who, tostring(r)), 4)
  end
  return r
end

local function reduce(loss, r)
  if r == "mean" then return loss:mean() end
  if r == "sum" then return loss:sum() end
  return loss
end

-- Class targets as an int64 array, checked against the input's shape and
-- its C classes: 1..C, or ignore_index.
local function class_target(t, x, who, ignore)
  if is_tensor(t) then t = t.data end
  if type(t) == "table" or type(t) == "number" then
    local okc, a = pcall(np.array, t)
    if not okc then error(("%s: target must hold class positions (numbers)"):format(who), 4) end
    t = a
  end
  if not is_array(t) then error(("%s: target must be an array of class positions, got %s"):format(who, type(t)), 4) end
  if t.dtype == "float32" or t.dtype == "float64" then
    if not np.equal(t, np.floor(t)):all() then
      error(who .. ": class targets must be integers (1-based class positions)", 4)
    end
    t = t:astype("int64")
  elseif t.dtype ~= "int64" then
    if t.dtype == "bool" then error(who .. ": class targets must be integers, got bool", 4) end
    t = t:astype("int64")
  end
  local xs, ts = x.data.shape, t.shape
  local ok = true
  if #xs == 1 then ok = #ts == 0
  else
    ok = #ts == #xs - 1 and ts[1] == xs[1]
    for i = 3, #xs do ok = ok and ts[i - 1] == xs[i] end
  end
  if not ok then
    local want = {}
    if #xs >= 2 then want[1] = xs[1]; for i = 3, #xs do want[#want + 1] = xs[i] end end
    error(("%s: expected target of shape %s for input %s, got %s"):format(who, shape_str(want),
      shape_str(xs), shape_str(ts)), 4)
  end
  local C = #xs == 1 and xs[1] or xs[2]
  if t.size > 0 then
    local v = core.bad_target(t, C, ignore)   -- one pass in C, not five array operations
    if v ~= nil then
      if v == 0 then
        error(("%s: target 0 is out of range: class targets are 1-based (1..%d)"):format(who, C), 4)
      end
      error(("%s: target %d is out of range (classes 1..%d)"):format(who, v, C), 4)
    end
  end
  return t
end

local function weight_arr(w, C, dt, who)
  if w == nil then return nil end
  if is_tensor(w) then w = w.data end
  if type(w) == "table" then w = np.array(w) end
  if not is_array(w) or w.ndim ~= 1 or w.shape[1] ~= C then
    error(("%s: weight must hold one value per class (%d)"):format(who, C), 4)
  end
  return w.dtype == dt and w or w:astype(dt)
end

-- nll on log-probabilities logp (a tensor), t checked.
local function nll(logp, t, w, r, ignore)
  local ld = logp.data
  local loss, tw = core.nll_loss(ld, t, w, r, ignore)
  if type(loss) == "number" then loss = T.scalar(loss, ld.dtype) end
  return record(loss, "NllLossBackward0", {logp}, function(g)
    local gl = g.ndim == 0 and g:item() or g
    return core.nll_loss_backward(ld, t, w, r, ignore, tw, gl)
  end)
end

-- cross entropy of logits x against checked class targets t, as one node:
-- log_softmax and NLL with the same kernels, in the same order, as the two
-- nodes nll(log_softmax(x)) (same bits), but one entry on the tape instead of
-- two, and no tensor for the log-probabilities (a tenth of the course MLP's
-- step went to the loss's bookkeeping). ld: log_softmax(x) along cdim.
local function nll_of_logits(x, ld, cdim, t, w, r, ignore)
  local loss, tw = core.nll_loss(ld, t, w, r, ignore)
  if type(loss) == "number" then loss = T.scalar(loss, ld.dtype) end
  return record(loss, "NllLossBackward0", {x}, function(g)
    local gl = g.ndim == 0 and g:item() or g
    return core.softmax_backward(ld, core.nll_loss_backward(ld, t, w, r, ignore, tw, gl), cdim, true)
  end)
end

local NLL_OPTS = {"weight", "ignore_index", "reduction"}
function F.nll_loss(x, target, o)
  local who = "nn.functional.nll_loss"
  o = util.check_options(o, NLL_OPTS, who, 2)
  return I.nll_loss(input(x, who), target, o, who)
end
function I.nll_loss(x, target, o, who)
  local ignore = o.ignore_index or -100
  local t = class_target(target, x, who, ignore)
  local C = x.data.ndim == 1 and x.data.shape[1] or x.data.shape[2]
  return nll(x, t, weight_arr(o.weight, C, x.data.dtype, who), check_reduction(o.reduction, who), ignore)
end

-- The shape that broadcasts per-class weights along dimension cdim of an
-- ndim-d input: C there, 1 elsewhere.
local function class_shape(ndim, cdim, C)
  local ws = {}
  for i = 1, ndim do ws[i] = (i == cdim + 1) and C or 1 end
  return ws
end

-- cross entropy against class positions (with label smoothing) or against
-- class probabilities (a float target of the input's shape).
function I.cross_entropy(x, target, o, who)
  local xd = x.data
  if xd.ndim == 0 then error(who .. ": input must have at least 1 dimension", 3) end
  local cdim = xd.ndim == 1 and 0 or 1
  local C = xd.shape[cdim + 1]
  local r = check_reduction(o.reduction, who)
  local eps = o.label_smoothing or 0
  if type(eps) ~= "number" or eps < 0 or eps > 1 then
    error(("%s: label_smoothing must be between 0.0 and 1.0, got %s"):format(who, tostring(eps)), 3)
  end
  local w = weight_arr(o.weight, C, xd.dtype, who)
  local tarr = is_tensor(target) and target.data or target
  if is_array(tarr) and (tarr.dtype == "float32" or tarr.dtype == "float64")
      and tostring(tarr.shape) == tostring(xd.shape) then
    -- probabilities: -sum_c w_c p_c log q_c, the mean over the batch
    local logp = I.softmax(x, cdim, true, who)
    local p = T.as_tensor(target, xd.dtype, who, 3)
    if eps > 0 then p = p * (1 - eps) + eps / C end
    local terms = logp * p
    if w then terms = terms * w:reshape(class_shape(xd.ndim, cdim, C)) end
    local loss = -terms:sum(cdim)
    if r == "mean" then
      local n = xd.ndim == 1 and 1 or xd.size // C
      return loss:sum() / n
    end
    return reduce(loss, r)
  end
  local ignore = o.ignore_index or -100
  local t = class_target(target, x, who, ignore)
  if eps == 0 then return nll_of_logits(x, core.softmax(xd, cdim, true), cdim, t, w, r, ignore) end
  local logp = I.softmax(x, cdim, true, who)
  local loss = nll(logp, t, w, r, ignore)
  local keep = t:ne(ignore):astype(xd.dtype)
  local smooth = w and -(logp * w:reshape(class_shape(xd.ndim, cdim, C))):sum(cdim) or -logp:sum(cdim)
  smooth = smooth * keep
  local ret
  if r == "mean" then
    if w then
      local tk = t[t:ne(ignore)]
      ret = smooth:sum() / (tk.size > 0 and w[tk]:sum() or 0)
    else
      ret = smooth:sum() / keep:sum()
    end
  else
    ret = reduce(smooth, r)
  end
  return loss * (1 - eps) + ret * (eps / C)
end

function F.cross_entropy(x, target, o)
  local who = "nn.functional.cross_entropy"
  o = util.check_options(o, {"weight", "ignore_index", "reduction", "label_smoothing"}, who, 2)
  return I.cross_entropy(input(x, who), target, o, who)
end

-- The target of a regression or binary loss: the input's dtype and shape.
local function same_target(x, y, who)
  local t = T.as_tensor(y, x.data.dtype, who, 4)
  if tostring(t.data.shape) ~= tostring(x.data.shape) then
    error(("%s: target shape %s differs from input shape %s"):format(who, shape_str(t.data.shape),
      shape_str(x.data.shape)), 4)
  end
  return t
end
I.same_target = same_target

function I.mse_loss(x, y, r, who)
  local d = x - same_target(x, y, who)
  return reduce(d * d, check_reduction(r, who))
end
function I.l1_loss(x, y, r, who)
  return reduce((x - same_target(x, y, who)):abs(), check_reduction(r, who))
end
function F.mse_loss(x, y, o)
  local who = "nn.functional.mse_loss"
  o = util.check_options(o, {"reduction"}, who, 2)
  return I.mse_loss(input(x, who), y, o.reduction, who)
end
function F.l1_loss(x, y, o)
  local who = "nn.functional.l1_loss"
  o = util.check_options(o, {"reduction"}, who, 2)
  return I.l1_loss(input(x, who), y, o.reduction, who)
end

local function opt_weight(w, dt, who)
  if w == nil then return nil end
  return T.as_tensor(w, dt, who, 4).data
end

-- -w (y log x + (1 - y) log(1 - x)), the logs clamped at -100 as PyTorch.
function I.bce(x, y, w, r, who)
  local t = same_target(x, y, who)
  r = check_reduction(r, who)
  local xd = x.data
  if xd.size > 0 and not (xd:ge(0) & xd:le(1)):all() then
    error(who .. ": all elements of input should be between 0 and 1", 3)
  end
  local loss = -(t * x:log():clamp(-100) + (1 - t) * (1 - x):log():clamp(-100))
  if w then loss = loss * opt_weight(w, xd.dtype, who) end
  return reduce(loss, r)
end

-- (1 - y) x + (1 + (pw - 1) y) (log(1 + exp(-|x|)) + max(-x, 0)), stable.
function I.bce_logits(x, y, w, pw, r, who)
  local t = same_target(x, y, who)
  r = check_reduction(r, who)
  local xd = x.data
  local mx = np.maximum(-xd, 0)
  -- log(exp(-mx) + exp(-x - mx)) + mx, with mx a constant (its gradient
  -- cancels: d/dx is exactly -(1 - sigmoid(x)))
  local soft = ((-x - mx):exp() + np.exp(-mx)):log() + mx
  local loss
  if pw ~= nil then
    local pwa = opt_weight(pw, xd.dtype, who)
    loss = (1 - t) * x + (t * (pwa - 1) + 1) * soft
  else
    loss = (1 - t) * x + soft
  end
  if w then loss = loss * opt_weight(w, xd.dtype, who) end
  return reduce(loss, r)
end

function F.binary_cross_entropy(x, y, o)
  local who = "nn.functional.binary_cross_entropy"
  o = util.check_options(o, {"weight", "reduction"}, who, 2)
  return I.bce(input(x, who), y, o.weight, o.reduction, who)
end
function F.binary_cross_entropy_with_logits(x, y, o)
  local who = "nn.functional.binary_cross_entropy_with_logits"
  o = util.check_options(o, {"weight", "reduction", "pos_weight"}, who, 2)
  return I.bce_logits(input(x, who), y, o.weight, o.pos_weight, o.reduction, who)
end

I.class_target = class_target
return {install = function(nn)
  nn.functional = F
  nn.F = F
end}
