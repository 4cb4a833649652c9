-- nn_foreign.lua: nn.load_npz, weights from other frameworks (TensorFlow,
-- Keras, JAX...) saved as .npz, loaded into a model by name with the layout
-- conversions between their kernel orders and PyTorch's, and a strict check
-- that every array of the file is used exactly once and every entry of the
-- model's state dict is set.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local error = util.raise

local M = {}

-- Layouts: a foreign array in, the PyTorch-shaped array out (a view or copy).
-- TensorFlow stores a convolution kernel [k..., in, out] and a transposed
-- one [k..., out, in]; PyTorch wants (out, in, k...) and (in, out, k...).
-- Both are the same permutation. A 1-d convolution saved as a 2-d one with
-- width 1 ([k, 1, in, out]) loses the width axis.
local function tf_kernel(d)
  return function(a, who, name)
    if a.ndim == d + 3 and d == 1 and a.shape[2] == 1 then a = a:reshape{a.shape[1], a.shape[3], a.shape[4]} end
    if a.ndim ~= d + 2 then
      error(("%s: '%s' has shape %s, not a %d-d TensorFlow kernel ([k..., in, out])"):format(who, name,
        T.shape_str(a.shape), d), 4)
    end
    local axes = {d + 1, d}
    for i = 0, d - 1 do axes[#axes + 1] = i end
    return a:transpose(axes)
  end
end
M.layouts = {
  tf_conv1d = tf_kernel(1), tf_conv2d = tf_kernel(2),
  tf_conv_transpose1d = tf_kernel(1), tf_conv_transpose2d = tf_kernel(2),
  tf_dense = function(a, who, name)
    if a.ndim ~= 2 then
      error(("%s: '%s' has shape %s, not a dense kernel ([in, out])"):format(who, name, T.shape_str(a.shape)), 4)
    end
    return a.T
  end,
}

local function names_list(t)
  table.sort(t)
  return table.concat(t, ", ")
end

-- nn.load_npz(model, path_or_table[, mapping][, {strict = true}]): copies the
-- arrays of an .npz (or of a table name -> array, as np.load gives) into the
-- model. mapping[state_dict_key] is the file's name for it, or {name, layout
-- = "tf_conv1d" | ... | function(a) -> array}, or false for an entry the file
-- does not hold (left as it is, e.g. num_batches_tracked); without a mapping
-- the names are the state dict's. Every array of the file must be used once
-- and every state dict entry set: otherwise the error lists all missing,
-- unused, duplicated and mis-shaped names (strict = false allows unused file
-- arrays). Non-array members (string lists) are not weights and are ignored.
-- Returns the model.
function M.load_npz(model, src, mapping, opts)
  local who = "nn.load_npz"
  if not (type(model) == "table" and getmetatable(model) and getmetatable(model).__nn_module) then
    error(who .. ": a module expected as argument #1, got " .. type(model), 2)
  end
  if opts == nil and type(mapping) == "table" and getmetatable(mapping) == nil and mapping.strict ~= nil
    and next(mapping, next(mapping)) == nil then
    mapping, opts = nil, mapping
  end
  opts = util.check_options(opts, {"strict"}, who, 2)
  local strict = opts.strict ~= false
  local file
  if type(src) == "string" then
    local okl, res = pcall(np.load, src)
    if not okl then error(who .. ": " .. tostring(res):gsub("^np%.load: ", ""), 2) end
    file = res
    if T.is_array(file) then error(who .. ": " .. src .. " is a .npy (one array), not an .npz", 2) end
  elseif type(src) == "table" then
    file = src
  else
    error(who .. ": a file name or a table of arrays expected as argument #2, got " .. type(src), 2)
  end
  if mapping ~= nil and type(mapping) ~= "table" then
    error(who .. ": mapping must be a table (state dict key -> file name), got " .. type(mapping), 2)
  end

  local sd = model:state_dict()
  local used, missing, unknown, shapes, twice = {}, {}, {}, {}, {}
  local plan = {}
  for _, key in ipairs(sd:keys()) do
    local spec
    if mapping then spec = mapping[key] else spec = key end
    if spec == nil then missing[#missing + 1] = key .. " (not in the mapping)"
    elseif spec ~= false then
      local name, layout = spec, nil
      if type(spec) == "table" then name, layout = spec[1], spec.layout end
      if type(name) ~= "string" then
        error(("%s: mapping for '%s' must be a name or {name, layout = ...}"):format(who, key), 2)
      end
      if type(layout) == "string" then
        local f = M.layouts[layout]
        if not f then
          local known = {}
          for k in pairs(M.layouts) do known[#known + 1] = k end
          error(("%s: unknown layout '%s' for '%s' (one of %s)"):format(who, layout, key, names_list(known)), 2)
        end
        layout = f
      end
      local a = rawget(file, name)
      if a == nil then missing[#missing + 1] = ("%s (file has no '%s')"):format(key, name)
      elseif not T.is_array(a) then shapes[#shapes + 1] = ("'%s' is not an array"):format(name)
      else
        if used[name] then twice[#twice + 1] = name end
        used[name] = true
        local v = layout and layout(a, who, name) or a
        local dst = sd[key]
        if tostring(v.shape) ~= tostring(dst.shape) then
          shapes[#shapes + 1] = ("'%s' has shape %s%s, %s needs %s"):format(name, T.shape_str(a.shape),
            layout and (" (%s after conversion)"):format(T.shape_str(v.shape)) or "", key, T.shape_str(dst.shape))
        else
          plan[#plan + 1] = {dst, v}
        end
      end
    end
  end
  -- mapping entries naming nothing in the model are mistakes too
  if mapping then
    for k in pairs(mapping) do
      if rawget(sd, k) == nil then unknown[#unknown + 1] = k end
    end
  end
  local unused = {}
  for k, v in pairs(file) do
    if T.is_array(v) and not used[k] then unused[#unused + 1] = k end
  end
  local errs = {}
  if #missing > 0 then errs[#errs + 1] = "not set: " .. names_list(missing) end
  if #shapes > 0 then errs[#errs + 1] = "mis-shaped: " .. names_list(shapes) end
  if #twice > 0 then errs[#errs + 1] = "used more than once: " .. names_list(twice) end
  if #unknown > 0 then errs[#errs + 1] = "mapping keys not in the model: " .. names_list(unknown) end
  if strict and #unused > 0 then errs[#errs + 1] = "unused arrays in the file: " .. names_list(unused) end
  if #errs > 0 then
    error(("%s: cannot load %s into %s:\n\t%s"):format(who, type(src) == "string" and src or "the table",
      model:get_name(), table.concat(errs, "\n\t")), 2)
  end
  for _, p in ipairs(plan) do
    local dst, v = p[1], p[2]
    if v.dtype ~= dst.dtype then v = v:astype(dst.dtype) end
    dst[{}] = v
  end
  return model
end

function M.install(nn)
  nn.load_npz = M.load_npz
end

return M
