-- nn_clip.lua: nn.utils.clip_grad_norm_, torch.nn.utils.clip_grad_norm_ of
-- PyTorch 1.13: the norm of all gradients together, and every gradient
-- scaled in place by max_norm / (norm + 1e-6) when that is below 1. The
-- arithmetic on the norm is done in the gradients' dtype, as PyTorch does
-- it on a 0-d tensor (float32 rounding through string.pack "f").
local util = require "geolab.util"
local np = require "geolab.array"
local core = require "geolab.nn_core"
local error = util.raise

local M = {}
local FNAME = "nn.utils.clip_grad_norm_"

local function f32(x) return (string.unpack("f", string.pack("f", x))) end
local function same(x) return x end

-- The parameters' gradients from a list, a single tensor or a module.
local function grads_of(params)
  local list = params
  if type(params) == "table" or type(params) == "userdata" then
    local ok, d = pcall(function() return params.data end)
    if ok and d ~= nil then
      list = {params}
    else
      local okp, f = pcall(function() return params.parameters end)
      if okp and type(f) == "function" then list = params:parameters() end
    end
  end
  if type(list) ~= "table" then
    error(("%s: parameters must be a list of tensors, a tensor or a module, got %s"):format(
      FNAME, type(params)), 3)
  end
  local out = {}
  for i, p in ipairs(list) do
    local ok, g = pcall(function() return p.grad end)
    if not ok then error(("%s: parameter %d is not a tensor"):format(FNAME, i), 3) end
    if g ~= nil then out[#out + 1] = g end
  end
  return out
end

-- nn.utils.clip_grad_norm_(parameters, max_norm[, {norm_type = 2, error_if_nonfinite = false}])
-- -> the total norm (before clipping), a number.
function M.clip_grad_norm_(params, max_norm, opts)
  if type(max_norm) ~= "number" then
    error(("%s: max_norm must be a number, got %s"):format(FNAME, type(max_norm)), 2)
  end
  opts = util.check_options(opts, {"norm_type", "error_if_nonfinite"}, FNAME, 2)
  local q = opts.norm_type or 2
  if q == "inf" then q = math.huge end
  if type(q) ~= "number" or q ~= q or q < 0 then
    error(("%s: norm_type must be a number >= 0 or math.huge, got %s"):format(FNAME, tostring(q)), 2)
  end
  local grads = grads_of(params)
  if #grads == 0 then return 0.0 end
  local dtype = grads[1].dtype
  local round = dtype == "float32" and f32 or same
  local norms = {}
  for i, g in ipairs(grads) do norms[i] = core.norm(FNAME, g, q) end
  local total = #norms == 1 and norms[1] or core.norm(FNAME, np.array(norms, dtype), q)
  if opts.error_if_nonfinite and (total ~= total or total == math.huge) then
    error(("%s: the total norm of order %s for gradients is non-finite, so it cannot be " ..
      "clipped (error_if_nonfinite = false scales them by it anyway)"):format(FNAME, util.repr(q)), 2)
  end
  -- max_norm / (total + 1e-6) as PyTorch: reciprocal of the 0-d tensor times max_norm
  local coef = round(round(1 / round(total + round(1e-6))) * round(max_norm))
  if coef < 1 or coef ~= coef then
    for _, g in ipairs(grads) do core.scale_(FNAME, g, coef) end
  end
  return total
end

function M.install(nn)
  local utils = rawget(nn, "utils")
  if utils == nil then utils = {}; nn.utils = utils end
  utils.clip_grad_norm_ = M.clip_grad_norm_
end

return M
