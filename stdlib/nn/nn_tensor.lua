-- nn_tensor.lua: nn.Tensor, PyTorch's tensor with reverse-mode gradients: an
-- np array (data) plus the tape node that made it (grad_fn). Every
-- differentiable operation records a node holding its inputs and a Lua
-- function mapping the output gradient to the input gradients; t:backward()
-- walks the nodes in reverse creation order and accumulates into the .grad of
-- leaves. The arithmetic is np's (whole-array operations, never a Lua loop
-- over elements). The other nn parts use the helpers this file returns.
local util = require "geolab.util"
local np = require "geolab.array"
local core = require "geolab.nn_core"
local error = util.raise

local M = {}
local TMT = {__name = "nn.Tensor"}
local methods = {}
M.methods, M.TMT = methods, TMT

local grad_on = true             -- false inside nn.no_grad
local node_count = 0             -- creation numbers: the tape's fixed order
local FLOATS = {float32 = true, float64 = true}

-- Creation numbers of parameters and modules: a user module built from a
-- table constructor orders its fields by them (source order).
local stamps, stamp_count = setmetatable({}, {__mode = "k"}), 0
function M.stamp(x) stamp_count = stamp_count + 1; stamps[x] = stamp_count; return x end
function M.stamp_of(x) return stamps[x] end

local function is_tensor(x) return getmetatable(x) == TMT end
local function is_array(x) return type(x) == "userdata" and type(x.shape) == "table" end
M.is_tensor, M.is_array = is_tensor, is_array

-- A new tensor around an np array (not copied).
local function new(data, requires_grad)
  return setmetatable({data = data, requires_grad = requires_grad or false}, TMT)
end
M.new = new

-- A 0-d array of dtype from a Lua number (np reductions without an axis give
-- numbers; tensors keep 0-d arrays, as PyTorch's scalars).
local function scalar(v, dtype)
  if type(v) == "boolean" then v = v and 1 or 0 end
  return np.array(v, dtype)
end
M.scalar = scalar

-- Sums the broadcast gradient g back to shape (NumPy broadcasting undone).
local function sum_to(g, shape)
  local gs = g.shape
  if #gs == #shape then
    local same = true
    for i = 1, #gs do if gs[i] ~= shape[i] then same = false; break end end
    if same then return g end
  end
  local lead = #gs - #shape
  local axes = {}
  for i = 1, lead do axes[#axes + 1] = i - 1 end
  for i = 1, #shape do
    if shape[i] == 1 and gs[lead + i] ~= 1 then axes[#axes + 1] = lead + i - 1 end
  end
  if #axes > 0 then
    local r = g:sum{axis = axes, keepdims = true}
    if type(r) == "number" then r = scalar(r, g.dtype) end
    g = r
  end
  return g:reshape(shape)
end
M.sum_to = sum_to

local function shape_str(s)
  local p = {}
  for i = 1, #s do p[i] = tostring(s[i]) end
  return "(" .. table.concat(p, ", ") .. (#s == 1 and ",)" or ")")
end
M.shape_str = shape_str

-- {===== the tape

-- record(data, name, inputs, backward): the tensor of data; when gradients
-- are on and some input requires them, a node remembers the inputs and
-- backward(g, needs) -> g1, g2, ... (needs[i]: input i wants a gradient).
-- One metatable for every node (a step records a dozen).
local NODE_MT = {__name = "nn.Node", __tostring = function(n) return "<" .. n.name .. ">" end}
local function record(data, name, inputs, backward)
  local out = new(data)
  if not grad_on then return out end
  local needs, any = {}, false
  for i = 1, #inputs do
    local x = inputs[i]
    local r = getmetatable(x) == TMT and x.requires_grad or false
    needs[i] = r
    any = any or r
  end
  if any then
    node_count = node_count + 1
    out.requires_grad = true
    out.grad_fn = setmetatable({id = node_count, name = name, inputs = inputs,
      needs = needs, backward = backward}, NODE_MT)
  end
  return out
end
M.record = record

function M.grad_enabled() return grad_on end

-- Adds gradient g into a leaf's .grad (in place once it exists: optimisers
-- and user code may hold the array).
local function accumulate_leaf(t, g)
  if g.dtype ~= t.data.dtype then g = g:astype(t.data.dtype) end
  local cur = rawget(t, "grad")
  if cur == nil then
    local c = g:copy()
    if #c.shape ~= #t.data.shape then c = c:reshape(t.data.shape) end
    rawset(t, "grad", c)
  elseif not core.add_into(cur, g) then      -- in place, no temporary (same bits)
    cur[{}] = cur + g
  end
end

-- t:backward([grad][, {retain_graph = false}]): as PyTorch, the recorded
-- operations let go of what they kept (inputs, saved arrays) once run, so a
-- loss kept in a list does not keep its whole graph alive; retain_graph keeps
-- them for a second backward pass.
function methods.backward(t, g, opts)
  if opts == nil and type(g) == "table" and not is_tensor(g) and getmetatable(g) == nil then g, opts = nil, g end
  util.check_options(opts, {"retain_graph"}, "nn.Tensor:backward", 2)
  local retain = opts and opts.retain_graph or false
  if not t.requires_grad then
    error("nn.Tensor:backward: element 0 of tensors does not require grad and does not have a grad_fn", 2)
  end
  if g == nil then
    if t.data.size ~= 1 then
      error("nn.Tensor:backward: grad can be implicitly created only for scalar outputs (got shape "
        .. shape_str(t.data.shape) .. "); pass the gradient", 2)
    end
    g = np.ones(t.data.shape, t.data.dtype)
  else
    if is_tensor(g) then g = g.data end
    if not is_array(g) then g = scalar(g, t.data.dtype) end
  end
  if t.grad_fn == nil then accumulate_leaf(t, g); return end
  -- every node reachable from t, run newest first: a node's output gradient
  -- is complete once every node created after it has run
  local nodes, seen, stack = {}, {}, {t.grad_fn}
  while #stack > 0 do
    local n = table.remove(stack)
    if not seen[n] then
      seen[n] = true
      nodes[#nodes + 1] = n
      for i = 1, #n.inputs do
        local x = n.inputs[i]
        if n.needs[i] and x.grad_fn and not seen[x.grad_fn] then stack[#stack + 1] = x.grad_fn end
      end
    end
  end
  table.sort(nodes, function(a, b) return a.id > b.id end)
  for _, n in ipairs(nodes) do
    if n.backward == nil then
      error("nn.Tensor:backward: trying to backward through the graph a second time "
        .. "(pass {retain_graph = true} to the first backward)", 2)
    end
  end
  local gmap = {[t.grad_fn] = g}
  for _, n in ipairs(nodes) do
    local gn = gmap[n]
    if gn ~= nil then
      gmap[n] = nil
      local grads = table.pack(n.backward(gn, n.needs))
      for i = 1, #n.inputs do
        local gi = grads[i]
        if n.needs[i] and gi ~= nil then
          local x = n.inputs[i]
          if x.grad_fn then
            local cur = gmap[x.grad_fn]
            gmap[x.grad_fn] = cur == nil and gi or cur + gi
          else
            accumulate_leaf(x, gi)
          end
        end
      end
    end
  end
  if not retain then
    for _, n in ipairs(nodes) do n.backward = nil; n.inputs = {}; n.needs = {} end
  end
end

-- nn.no_grad(fn, ...): fn(...) without recording, its results returned.
local function no_grad(fn, ...)
  local mt = getmetatable(fn)
  if type(fn) ~= "function" and not (type(mt) == "table" and mt.__call) then
    error("nn.no_grad: a function expected, got " .. type(fn), 2)
  end
  local was = grad_on
  grad_on = false
  local res = table.pack(pcall(fn, ...))
  grad_on = was
  if not res[1] then error(res[2], 0) end
  return table.unpack(res, 2, res.n)
end
M.no_grad = no_grad
-- }=====

-- {===== building tensors

local function dtype_of(opts, fname)
  local dt = opts and opts.dtype
  if dt == nil then return nil end
  dt = tostring(dt):gsub("^torch%.", "")
  if dt == "float" then dt = "float32" elseif dt == "double" then dt = "float64"
  elseif dt == "long" then dt = "int64" end
  local ok = {float32 = true, float64 = true, int64 = true, int32 = true, uint8 = true, bool = true}
  if not ok[dt] then error(("%s: unknown dtype '%s'"):format(fname, tostring(opts.dtype)), 3) end
  return dt
end

-- nn.tensor(x[, {dtype, requires_grad}]): a tensor owning a copy of x (np
-- array, number or nested table). Numbers and tables give float32 (PyTorch's
-- default dtype); an np array keeps its dtype, as torch.tensor(ndarray) does.
local function tensor(x, opts, who)
  who = who or "nn.tensor"
  util.check_options(opts, {"dtype", "requires_grad"}, who, 2)
  local dt = dtype_of(opts, who)
  local data
  if is_tensor(x) then data = x.data:copy()
  elseif is_array(x) then data = x:copy()
  elseif type(x) == "number" or type(x) == "table" then
    local okc, a = pcall(np.array, x, "float64")
    if not okc then error(who .. ": " .. tostring(a):gsub("^[^:]*: ", ""), 2) end
    data = a:astype(dt or ((math.type(x) == "integer") and "int64" or "float32"))
  else
    error(who .. ": expected an np array, a number or a table, got " .. type(x), 2)
  end
  if dt and data.dtype ~= dt then data = data:astype(dt) end
  local rg = opts and opts.requires_grad or false
  if rg and not FLOATS[data.dtype] then
    error(who .. ": only float tensors can require gradients, got " .. data.dtype, 2)
  end
  return new(data, rg)
end
M.tensor = tensor

-- nn.Parameter(x[, requires_grad=true]): a leaf tensor a module learns. An np
-- array is used as is (not copied), a tensor's array is shared.
local function Parameter(x, requires_grad)
  if is_tensor(x) then x = x.data end
  if not is_array(x) then
    error("nn.Parameter: expected an np array or a tensor, got " .. type(x), 2)
  end
  if not FLOATS[x.dtype] then
    error("nn.Parameter: only float arrays can be parameters, got " .. x.dtype, 2)
  end
  local p = new(x, requires_grad ~= false)
  rawset(p, "_param", true)
  M.stamp(p)
  return p
end
M.Parameter = Parameter

-- as_tensor(x, dtype, fname): x as a tensor for an operation of dtype: an np
-- array or number is wrapped (cast to dtype when given); a tensor of another
-- float dtype raises, as PyTorch does.
local function as_tensor(x, dtype, fname, level)
  if is_tensor(x) then
    if dtype and x.data.dtype ~= dtype and FLOATS[x.data.dtype] then
      error(("%s: expected a %s tensor, got %s (convert with x:%s() or change the model's dtype)")
        :format(fname, dtype, x.data.dtype, dtype == "float32" and "float" or "double"), (level or 2) + 1)
    end
    return x
  end
  if is_array(x) then
    if dtype and x.dtype ~= dtype then x = x:astype(dtype) end
    return new(x)
  end
  if type(x) == "number" then return new(scalar(x, dtype or "float32")) end
  if type(x) == "table" and not getmetatable(x) then
    local okc, a = pcall(np.array, x, dtype or "float32")
    if okc then return new(a) end
  end
  error(("%s: expected a tensor or an np array, got %s"):format(fname, type(x)), (level or 2) + 1)
end
M.as_tensor = as_tensor
-- }=====

-- {===== elementwise arithmetic

-- The two operands of a binary operator as arrays (or numbers), checked.
local function operands(a, b, fname)
  local ta, tb = is_tensor(a), is_tensor(b)
  local dt = ta and a.data.dtype or b.data.dtype
  local function conv(x, ist)
    if ist then return x.data end
    if type(x) == "number" then return x end
    if is_array(x) then return FLOATS[dt] and x.dtype ~= dt and x:astype(dt) or x end
    error(("%s: cannot combine a tensor with %s"):format(fname, type(x)), 4)
  end
  if ta and tb and a.data.dtype ~= b.data.dtype then
    error(("%s: the tensors have different dtypes (%s and %s)"):format(fname, a.data.dtype, b.data.dtype), 4)
  end
  return conv(a, ta), conv(b, tb)
end

local function shape_of(x) return type(x) == "number" and {} or x.shape end

local function binop(name, fname, f, back)
  return function(a, b)
    local x, y = operands(a, b, fname)
    local okc, z = pcall(f, x, y)
    if not okc then error(fname .. ": " .. tostring(z):gsub("^.-: ", "", 1), 2) end
    if type(z) == "number" then z = scalar(z, (is_tensor(a) and a or b).data.dtype) end
    return record(z, name, {a, b}, function(g, needs)
      local ga, gb = back(g, x, y, z, needs)
      if ga then ga = sum_to(ga, shape_of(x)) end
      if gb then gb = sum_to(gb, shape_of(y)) end
      return ga, gb
    end)
  end
end

TMT.__add = binop("AddBackward0", "nn.Tensor.__add", function(x, y) return x + y end,
  function(g, _, _, _, needs) return needs[1] and g, needs[2] and g end)
TMT.__sub = binop("SubBackward0", "nn.Tensor.__sub", function(x, y) return x - y end,
  function(g, _, _, _, needs) return needs[1] and g, needs[2] and -g end)
TMT.__mul = binop("MulBackward0", "nn.Tensor.__mul", function(x, y) return x * y end,
  function(g, x, y, _, needs) return needs[1] and g * y, needs[2] and g * x end)
TMT.__div = binop("DivBackward0", "nn.Tensor.__div", function(x, y) return x / y end,
  function(g, x, y, _, needs)
    return needs[1] and g / y, needs[2] and -g * x / (y * y)
  end)
TMT.__pow = binop("PowBackward0", "nn.Tensor.__pow", function(x, y) return x ^ y end,
  function(g, x, y, z, needs)
    local ga, gb
    if needs[1] then ga = g * y * (x ^ (y - 1)) end
    if needs[2] then gb = g * z * np.log(x) end
    return ga, gb
  end)
TMT.__unm = function(a)
  return record(-a.data, "NegBackward0", {a}, function(g) return -g end)
end
methods.add = TMT.__add
methods.sub = TMT.__sub
methods.mul = TMT.__mul
methods.div = TMT.__div
methods.pow = TMT.__pow
methods.neg = TMT.__unm

-- unary(name, f, back): back(g, x, y) -> gx
local function unary(name, f, back)
  return function(t)
    local x = t.data
    local y = f(x)
    return record(y, name, {t}, function(g) return back(g, x, y) end)
  end
end
methods.exp = unary("ExpBackward0", np.exp, function(g, _, y) return g * y end)
methods.log = unary("LogBackward0", np.log, function(g, x) return g / x end)
methods.sqrt = unary("SqrtBackward0", np.sqrt, function(g, _, y) return g / (y * 2) end)
methods.abs = unary("AbsBackward0", np.abs, function(g, x) return g * np.sign(x) end)

-- t:clamp([min][, max]) (also {min=, max=}): the gradient passes where
-- min <= x <= max, as PyTorch's.
function methods.clamp(t, lo, hi)
  if type(lo) == "table" then
    util.check_options(lo, {"min", "max"}, "nn.Tensor:clamp", 2)
    lo, hi = lo.min, lo.max
  end
  if lo == nil and hi == nil then error("nn.Tensor:clamp: at least one of min and max is needed", 2) end
  local x = t.data
  local y = x
  if lo then y = np.maximum(y, lo) end
  if hi then y = np.minimum(y, hi) end
  if y == x then y = x:copy() end
  return record(y, "ClampBackward1", {t}, function(g)
    local m
    if lo then m = x:ge(lo) end
    if hi then m = m and (m & x:le(hi)) or x:le(hi) end
    return g * m:astype(g.dtype)
  end)
end
methods.clip = methods.clamp
-- }=====

-- {===== the nn generator: initialisation, dropout, shuffling. Made on first
-- use from np's default generator (seeded with the run seed, --seed), so a
-- script gives the same numbers every run; nn.manual_seed(n) reseeds it.
local gen
function M.generator()
  if gen == nil then gen = np.random.Generator() end
  return gen
end
function M.manual_seed(n)
  if math.type(n) ~= "integer" then
    error("nn.manual_seed: seed must be an integer, got " .. tostring(n), 2)
  end
  gen = np.random.Generator(n)
end
-- }=====

return M
