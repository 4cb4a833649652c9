-- nn_tensor_ops.lua: nn.Tensor's shape operations, reductions, matmul,
-- indexing, joins and conversions, each with its backward; and the
-- metatable's field access. Dimension numbers are PyTorch's (from 0,
-- negative from the end); returned positions are 1-based.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local error = util.raise

local methods, TMT, record, new, scalar = T.methods, T.TMT, T.record, T.new, T.scalar
local is_tensor, is_array, sum_to, shape_str = T.is_tensor, T.is_array, T.sum_to, T.shape_str

-- dim d of an ndim-dimensional tensor as a 0-based number, checked.
local function norm_dim(d, ndim, fname, level)
  if math.type(d) ~= "integer" then
    if type(d) == "number" and d == math.floor(d) then d = math.tointeger(d)
    else error(("%s: dim must be an integer, got %s"):format(fname, tostring(d)), (level or 2) + 1) end
  end
  local n = math.max(ndim, 1)
  if d < -n or d >= n then
    error(("%s: dim %d out of range for a %d-d tensor (expected %d..%d)"):format(fname, d, ndim, -n, n - 1),
      (level or 2) + 1)
  end
  return d < 0 and d + n or d
end
T.norm_dim = norm_dim

-- Integers given as varargs or one table: t:reshape(2, 3), t:reshape{2, 3}.
local function int_list(...)
  local first = ...
  if type(first) == "table" then return first end
  return {...}
end

-- {===== shapes

-- Views whose backward is a reshape back to the input's shape.
local function reshaped(t, data, name)
  local shape = t.data.shape
  return record(data, name, {t}, function(g) return g:reshape(shape) end)
end

function methods.reshape(t, ...)
  local shape = int_list(...)
  local okc, y = pcall(t.data.reshape, t.data, shape)
  if not okc then error("nn.Tensor:reshape: " .. tostring(y):gsub("^.-%((.*)%)$", "%1"), 2) end
  return reshaped(t, y, "ViewBackward0")
end
methods.view = methods.reshape

-- t:flatten([start_dim = 0[, end_dim = -1]])
function methods.flatten(t, s, e)
  local shape, nd = t.data.shape, t.data.ndim
  if nd == 0 then return reshaped(t, t.data:reshape{1}, "ViewBackward0") end
  s = norm_dim(s or 0, nd, "nn.Tensor:flatten")
  e = norm_dim(e or -1, nd, "nn.Tensor:flatten")
  if s > e then error("nn.Tensor:flatten: start_dim cannot come after end_dim", 2) end
  local out, m = {}, 1
  for i = 1, s do out[#out + 1] = shape[i] end
  for i = s + 1, e + 1 do m = m * shape[i] end
  out[#out + 1] = m
  for i = e + 2, nd do out[#out + 1] = shape[i] end
  return reshaped(t, t.data:reshape(out), "ViewBackward0")
end

function methods.squeeze(t, d)
  local shape, out = t.data.shape, {}
  if d ~= nil then d = norm_dim(d, t.data.ndim, "nn.Tensor:squeeze") end
  for i = 1, #shape do
    if not (shape[i] == 1 and (d == nil or d == i - 1)) then out[#out + 1] = shape[i] end
  end
  return reshaped(t, t.data:reshape(out), d and "SqueezeBackward1" or "SqueezeBackward0")
end

function methods.unsqueeze(t, d)
  local shape, out = t.data.shape, {}
  d = norm_dim(d, t.data.ndim + 1, "nn.Tensor:unsqueeze")
  for i = 1, #shape do out[i] = shape[i] end
  table.insert(out, d + 1, 1)
  return reshaped(t, t.data:reshape(out), "UnsqueezeBackward0")
end

function methods.transpose(t, d0, d1)
  local nd = t.data.ndim
  if d0 == nil and nd <= 2 then d0, d1 = 0, 1 end
  d0 = norm_dim(d0, nd, "nn.Tensor:transpose")
  d1 = norm_dim(d1, nd, "nn.Tensor:transpose")
  if nd < 2 then return reshaped(t, t.data, "TransposeBackward0") end
  return record(t.data:swapaxes(d0, d1), "TransposeBackward0", {t},
    function(g) return g:swapaxes(d0, d1) end)
end
methods.t = methods.transpose

function methods.permute(t, ...)
  local dims, nd = int_list(...), t.data.ndim
  if #dims ~= nd then
    error(("nn.Tensor:permute: %d dims given for a %d-d tensor"):format(#dims, nd), 2)
  end
  local perm, inv, seen = {}, {}, {}
  for i = 1, nd do
    local d = norm_dim(dims[i], nd, "nn.Tensor:permute")
    if seen[d] then error("nn.Tensor:permute: repeated dim " .. d, 2) end
    seen[d] = true
    perm[i] = d
    inv[d + 1] = i - 1
  end
  return record(t.data:transpose(perm), "PermuteBackward0", {t},
    function(g) return g:transpose(inv) end)
end
-- }=====

-- {===== reductions

-- dim and keepdim from (dim, keepdim) or ({dim=, keepdim=}).
local function reduce_args(t, d, keep, fname)
  if type(d) == "table" and (d.dim ~= nil or d.keepdim ~= nil or next(d) == nil) then
    util.check_options(d, {"dim", "keepdim"}, fname, 3)
    d, keep = d.dim, d.keepdim
  elseif type(keep) == "table" then
    util.check_options(keep, {"keepdim"}, fname, 3)
    keep = keep.keepdim
  end
  if d == nil then return nil, keep or false end
  local nd = t.data.ndim
  local list = type(d) == "table" and d or {d}
  local out = {}
  for i = 1, #list do out[i] = norm_dim(list[i], nd, fname, 3) end
  return out, keep or false
end

-- The gradient of a reduction over axes, broadcast back to shape.
local function expand_back(g, shape, axes, keep)
  if axes and not keep then
    local ks, red = {}, {}
    for _, a in ipairs(axes) do red[a + 1] = true end
    for i = 1, #shape do ks[i] = red[i] and 1 or shape[i] end
    g = g:reshape(ks)
  elseif not axes then
    local ks = {}
    for i = 1, #shape do ks[i] = 1 end
    g = g:reshape(ks)
  end
  return g * np.ones(shape, g.dtype)
end

local function reduce(t, axes, keep, how)
  local x = t.data
  local r
  if axes then r = x[how](x, {axis = axes, keepdims = keep}) else r = x[how](x) end
  if type(r) ~= "userdata" then r = scalar(r, x.dtype) end
  return r
end

function methods.sum(t, d, keep)
  local axes, k = reduce_args(t, d, keep, "nn.Tensor:sum")
  local shape = t.data.shape
  return record(reduce(t, axes, k, "sum"), axes and "SumBackward1" or "SumBackward0", {t},
    function(g) return expand_back(g, shape, axes, k) end)
end

function methods.mean(t, d, keep)
  local axes, k = reduce_args(t, d, keep, "nn.Tensor:mean")
  local shape, n = t.data.shape, 1
  if axes then for _, a in ipairs(axes) do n = n * shape[a + 1] end else n = t.data.size end
  return record(reduce(t, axes, k, "mean"), axes and "MeanBackward1" or "MeanBackward0", {t},
    function(g) return expand_back(g / n, shape, axes, k) end)
end

-- max/min: without dim a 0-d tensor; with dim the values and the 1-based
-- positions (an int64 tensor). The gradient goes to the first extreme.
local function extreme(how, arg, name)
  return function(t, d, keep)
    local fname = "nn.Tensor:" .. how
    local axes, k = reduce_args(t, d, keep, fname)
    local x = t.data
    if axes and #axes ~= 1 then error(fname .. ": dim must be one integer", 2) end
    if x.size == 0 then error(fname .. ": the tensor is empty", 2) end
    local shape = x.shape
    if not axes then
      local pos = x[arg](x)
      local v = x:ravel()[pos]
      return record(scalar(v, x.dtype), name .. "0", {t}, function(g)
        local gx = np.zeros({x.size}, g.dtype)
        gx[pos] = g:item()
        return gx:reshape(shape)
      end)
    end
    local a = axes[1]
    local idx = x[arg](x, {axis = a, keepdims = true})
    local onehot = function(dtype)   -- 1 at the position idx names along a
      local ks = {}
      for i = 1, #shape do ks[i] = (i == a + 1) and shape[i] or 1 end
      return idx:eq(np.arange(1, shape[a + 1] + 1):reshape(ks)):astype(dtype)
    end
    local v = x[how](x, {axis = a, keepdims = k})
    local vals = record(v, name .. "1", {t}, function(g)
      if not k then g = g:reshape(idx.shape) end
      return g * onehot(g.dtype)
    end)
    return vals, new(k and idx or idx:reshape(v.shape))
  end
end
methods.max = extreme("max", "argmax", "MaxBackward")
methods.min = extreme("min", "argmin", "MinBackward")

-- argmax/argmin: 1-based positions (an int64 tensor), no gradient.
local function argext(how)
  return function(t, d, keep)
    local axes, k = reduce_args(t, d, keep, "nn.Tensor:" .. how)
    local x = t.data
    if not axes then return new(scalar(x[how](x), "int64")) end
    return new(x[how](x, {axis = axes[1], keepdims = k}))
  end
end
methods.argmax = argext("argmax")
methods.argmin = argext("argmin")
-- }=====

-- {===== matmul

-- a @ b with NumPy's rules (1-d operands promoted and the added dim removed,
-- batch dims broadcast); the gradients summed back over broadcast dims.
local function matmul(a, b)
  if not (is_tensor(a) and is_tensor(b)) then
    local dt = (is_tensor(a) and a.data.dtype) or (is_tensor(b) and b.data.dtype) or nil
    a = T.as_tensor(a, dt, "nn.matmul", 2)
    b = T.as_tensor(b, dt, "nn.matmul", 2)
  end
  local x, y = a.data, b.data
  if x.dtype ~= y.dtype then
    error(("nn.matmul: the tensors have different dtypes (%s and %s)"):format(x.dtype, y.dtype), 2)
  end
  if x.ndim == 0 or y.ndim == 0 then error("nn.matmul: both arguments need at least 1 dimension", 2) end
  local xs, ys = x.shape, y.shape
  local x2 = x.ndim == 1 and x:reshape{1, xs[1]} or x
  local y2 = y.ndim == 1 and y:reshape{ys[1], 1} or y
  local okc, z2 = pcall(np.matmul, x2, y2)
  if not okc then
    error(("nn.matmul: shapes %s and %s cannot be multiplied"):format(shape_str(xs), shape_str(ys)), 2)
  end
  local zs2 = z2.shape
  local z = z2
  if x.ndim == 1 or y.ndim == 1 then
    local out = {}
    for i = 1, #zs2 do
      if not ((x.ndim == 1 and i == #zs2 - 1) or (y.ndim == 1 and i == #zs2)) then out[#out + 1] = zs2[i] end
    end
    z = z2:reshape(out)
  end
  local name = (x.ndim == 2 and y.ndim == 2) and "MmBackward0" or "MmBackward0"
  return record(z, name, {a, b}, function(g, needs)
    g = g:reshape(zs2)
    local ga, gb
    if needs[1] then ga = sum_to(np.matmul(g, y2:swapaxes(-1, -2)), x2.shape):reshape(xs) end
    if needs[2] then gb = sum_to(np.matmul(x2:swapaxes(-1, -2), g), y2.shape):reshape(ys) end
    return ga, gb
  end)
end
methods.matmul = matmul
T.matmul = matmul
-- }=====

-- {===== indexing and joins

-- t[key] with np's basic index forms (a position or a table of positions
-- and {start, stop[, step]} ranges): the backward writes g into zeros.
local function index(t, key)
  local x = t.data
  local y = x[key]
  if type(y) ~= "userdata" then y = scalar(y, x.dtype) end
  local shape = x.shape
  return record(y, type(key) == "number" and "SelectBackward0" or "SliceBackward0", {t}, function(g)
    local gx = np.zeros(shape, g.dtype)
    if g.ndim == 0 then gx[key] = g:item() else gx[key] = g end
    return gx
  end)
end

-- nn.cat(tensors[, dim = 0]) and nn.stack(tensors[, dim = 0])
local function join(ts, d, fname, stack)
  if type(ts) ~= "table" or #ts == 0 then error(fname .. ": a non-empty list of tensors expected", 3) end
  local first
  for i = 1, #ts do if is_tensor(ts[i]) then first = ts[i]; break end end
  local dt = first and first.data.dtype
  local list, datas = {}, {}
  for i = 1, #ts do
    local x = T.as_tensor(ts[i], dt, fname, 3)
    list[i], datas[i] = x, x.data
  end
  local nd = datas[1].ndim + (stack and 1 or 0)
  d = norm_dim(d or 0, nd, fname, 3)
  local okc, y = pcall(stack and np.stack or np.concatenate, datas, d)
  if not okc then error(fname .. ": " .. tostring(y):gsub("^.-: ", ""), 3) end
  return record(y, stack and "StackBackward0" or "CatBackward0", list, function(g, needs)
    local out, pos = {}, 1
    for i = 1, #datas do
      local len = stack and 1 or datas[i].shape[d + 1]
      if needs[i] then
        local key = {}
        for j = 1, g.ndim do key[j] = {} end
        key[d + 1] = {pos, pos + len - 1}
        local gi = g[key]
        out[i] = stack and gi:reshape(datas[i].shape) or gi:copy()
      end
      pos = pos + len
    end
    return table.unpack(out, 1, #datas)
  end)
end
T.cat = function(ts, d) return join(ts, d, "nn.cat", false) end
T.stack = function(ts, d) return join(ts, d, "nn.stack", true) end
-- }=====

-- {===== conversions

function methods.item(t)
  if t.data.size ~= 1 then
    error(("nn.Tensor:item: a tensor with %d elements cannot be converted to a number"):format(t.data.size), 2)
  end
  return t.data:item()
end
function methods.numpy(t) return t.data end
function methods.tolist(t) return t.data:totable() end
function methods.detach(t) return new(t.data) end
function methods.clone(t)
  local x = t.data
  return record(x:copy(), "CloneBackward0", {t}, function(g) return g end)
end
function methods.requires_grad_(t, on)
  rawset(t, "requires_grad", on ~= false)
  return t
end
function methods.zero_(t) t.data:fill(0); return t end
function methods.dim(t) return t.data.ndim end
function methods.numel(t) return t.data.size end

-- t:to(dtype), t:float(), t:double(), t:long(): a cast (differentiable
-- between float dtypes).
local function cast(t, dt)
  if t.data.dtype == dt then return t end
  local from = t.data.dtype
  return record(t.data:astype(dt), "ToCopyBackward0", {t}, function(g) return g:astype(from) end)
end
function methods.to(t, dt) return cast(t, tostring(dt):gsub("^torch%.", "")) end
function methods.float(t) return cast(t, "float32") end
function methods.double(t) return cast(t, "float64") end
function methods.long(t) return new(t.data:astype("int64")) end

-- comparisons: bool tensors, no gradient
for _, op in ipairs{"eq", "ne", "lt", "le", "gt", "ge"} do
  methods[op] = function(a, b)
    if is_tensor(b) then b = b.data end
    return new(a.data[op](a.data, b))
  end
end
-- }=====

-- {===== field access
local fields = {
  shape = function(t) return t.data.shape end,
  ndim = function(t) return t.data.ndim end,
  dtype = function(t) return t.data.dtype end,
  size = function(t) return t.data.size end,
  is_leaf = function(t) return rawget(t, "grad_fn") == nil end,
  T = function(t) return methods.transpose(t) end,
}
TMT.__index = function(t, k)
  local m = methods[k]
  if m ~= nil then return m end
  local f = fields[k]
  if f then return f(t) end
  if type(k) == "number" or (type(k) == "table" and not is_tensor(k)) then return index(t, k) end
  if k == "grad" or k == "grad_fn" then return nil end
  if type(k) == "string" then
    local names = {}
    for n in pairs(methods) do names[#names + 1] = n end
    for n in pairs(fields) do names[#names + 1] = n end
    table.sort(names)
    local near = util.nearest(k, names)
    error(("nn.Tensor: no field or method '%s'%s"):format(k,
      near and (" (did you mean '%s'?)"):format(near) or ""), 2)
  end
  error("nn.Tensor: index with a position or a table of positions and ranges", 2)
end
TMT.__newindex = function(t, k, v)
  if type(k) == "number" or type(k) == "table" then
    -- writing into the data, outside the tape (PyTorch's in-place assignment
    -- under no_grad)
    if is_tensor(v) then v = v.data end
    t.data[k] = v
    return
  end
  if fields[k] then error(("nn.Tensor: field '%s' is read-only"):format(k), 2) end
  rawset(t, k, v)
end
TMT.__len = function(t)
  if t.data.ndim == 0 then error("nn.Tensor: len() of a 0-d tensor", 2) end
  return t.data.shape[1]
end
-- }=====

require "geolab.nn_tensor_print"

-- nn.Tensor (also callable: nn.Tensor(x) is nn.tensor(x)), nn.tensor,
-- nn.Parameter, nn.no_grad, nn.is_tensor, nn.matmul, nn.cat, nn.stack,
-- nn.manual_seed.
function T.install(nn)
  nn.Tensor = setmetatable({}, {__name = "nn.Tensor class",
    __call = function(_, x, opts) return T.tensor(x, opts, "nn.Tensor") end,
    __index = methods, __tostring = function() return "nn.Tensor" end})
  nn.tensor = function(x, opts) return T.tensor(x, opts, "nn.tensor") end
  nn.Parameter, nn.no_grad = T.Parameter, T.no_grad
  nn.is_tensor, nn.matmul, nn.cat, nn.stack = is_tensor, matmul, T.cat, T.stack
  nn.manual_seed = T.manual_seed
end

return T
