-- nn_layers.lua: the layer classes, PyTorch's torch.nn layers with their
-- parameter names, default initialisation (drawn in PyTorch's order from the
-- nn generator) and printed forms (extra_repr): Linear, convolutions, pools,
-- batch norm, Dropout, activations, Flatten, Identity. Forward passes go
-- through nn.functional's internals; a layer names itself in its errors.
local util = require "geolab.util"
local np = require "geolab.array"
local T = require "geolab.nn_tensor"
local Mod = require "geolab.nn_module"
local F = require "geolab.nn_functional"
local error = util.raise

local I = F._internal
local Module = Mod.Module
local L = {}

-- Python's repr of a value in extra_repr: True/False, ints, floats as
-- Python prints them, tables as tuples.
local function pyrepr(v)
  if type(v) == "boolean" then return v and "True" or "False" end
  if v == nil then return "None" end
  if type(v) == "table" then
    local p = {}
    for i = 1, #v do p[i] = pyrepr(v[i]) end
    return "(" .. table.concat(p, ", ") .. (#v == 1 and ",)" or ")")
  end
  if math.type(v) == "integer" then return tostring(v) end
  if type(v) == "number" then
    local s
    for p = 1, 17 do
      s = ("%." .. p .. "g"):format(v)
      if tonumber(s) == v then break end
    end
    local m, e = s:match("^(-?[%d%.]+)e([-+]%d+)$")
    if m then
      local ei = tonumber(e)
      if ei >= -4 and ei < 16 then
        s = ("%.17f"):format(v):gsub("0+$", "")
        return s:sub(-1) == "." and s .. "0" or s
      end
      return ("%se%s%02d"):format(m, ei < 0 and "-" or "+", math.abs(ei))
    end
    return s:find("[%.n]") and s or s .. ".0"
  end
  return tostring(v)
end
L.pyrepr = pyrepr

local function class(name)
  local C = Module:extend(name)
  L[name] = C
  return C
end

-- Options given as a trailing table, after the positional arguments.
local function options(o, allowed, who)
  return util.check_options(o, allowed, who, 4)
end

local function check_int(v, who, what, level)
  if math.type(v) ~= "integer" or v < 1 then
    error(("%s: %s must be a positive integer, got %s"):format(who, what, tostring(v)), (level or 3) + 1)
  end
end

local function check_dtype(dt, who)
  dt = dt or "float32"
  dt = tostring(dt):gsub("^torch%.", "")
  if dt ~= "float32" and dt ~= "float64" then
    error(("%s: dtype must be float32 or float64, got '%s'"):format(who, dt), 4)
  end
  return dt
end

-- U(-bound, bound) of shape, as dtype, from the nn generator: PyTorch's
-- kaiming_uniform(a = sqrt(5)) (bound 1/sqrt(fan_in)) and its bias init.
local function uniform(shape, bound, dt)
  return T.generator():uniform(-bound, bound, shape):astype(dt)
end

-- The layer's label in errors: "nn." and its printed form.
local function label(self) return "nn." .. tostring(self) end

-- The input of a layer with parameters: cast to its dtype (np arrays) or
-- checked (tensors).
local function layer_input(self, x)
  return I.input(x, self:_label(), self:_dtype(), 3)
end

-- {===== Linear
local Linear = class("Linear")
function Linear:__init(nin, nout, o)
  local who = "nn.Linear"
  if type(o) == "boolean" then o = {bias = o} end
  o = options(o, {"bias", "dtype"}, who)
  check_int(nin, who, "in_features"); check_int(nout, who, "out_features")
  local dt = check_dtype(o.dtype, who)
  self.in_features, self.out_features = nin, nout
  local bound = 1 / math.sqrt(nin)
  self.weight = T.Parameter(uniform({nout, nin}, bound, dt))
  if o.bias ~= false then self.bias = T.Parameter(uniform({nout}, bound, dt)) end
end
function Linear:extra_repr()
  return ("in_features=%d, out_features=%d, bias=%s"):format(self.in_features, self.out_features,
    pyrepr(self.bias ~= nil))
end
function Linear:_label() return ("nn.Linear(%d, %d)"):format(self.in_features, self.out_features) end
function Linear:forward(x)
  return I.linear(layer_input(self, x), self.weight, self.bias, self:_label())
end
-- }=====

-- {===== convolutions
local function conv_class(name, d, transposed)
  local C = class(name)
  local allowed = {"stride", "padding", "dilation", "groups", "bias", "padding_mode", "dtype"}
  if transposed then allowed[#allowed + 1] = "output_padding" end
  function C:__init(cin, cout, k, o)
    local who = "nn." .. name
    o = options(o, allowed, who)
    check_int(cin, who, "in_channels"); check_int(cout, who, "out_channels")
    local groups = o.groups or 1
    check_int(groups, who, "groups")
    if cin % groups ~= 0 then error(who .. ": in_channels must be divisible by groups", 3) end
    if cout % groups ~= 0 then error(who .. ": out_channels must be divisible by groups", 3) end
    if (o.padding_mode or "zeros") ~= "zeros" then
      error(("%s: only padding_mode='zeros' is supported, got '%s'"):format(who, tostring(o.padding_mode)), 3)
    end
    local dt = check_dtype(o.dtype, who)
    self.in_channels, self.out_channels, self.groups = cin, cout, groups
    self.kernel_size = I.tuple(k, d, who, "kernel_size")
    self.stride = I.tuple(o.stride or 1, d, who, "stride")
    self.dilation = I.tuple(o.dilation or 1, d, who, "dilation")
    self.padding = I.padding_spec(o.padding, d, who)
    if transposed and type(self.padding) == "string" then
      error(who .. ": padding must be numbers for a transposed convolution", 3)
    end
    self.output_padding = I.tuple(o.output_padding or 0, d, who, "output_padding")
    self.padding_mode = "zeros"
    local shape = transposed and {cin, cout // groups} or {cout, cin // groups}
    local fan_in = shape[2]
    for i = 1, d do shape[#shape + 1] = self.kernel_size[i]; fan_in = fan_in * self.kernel_size[i] end
    local bound = 1 / math.sqrt(fan_in)
    self.weight = T.Parameter(uniform(shape, bound, dt))
    if o.bias ~= false then self.bias = T.Parameter(uniform({cout}, bound, dt)) end
  end
  function C:extra_repr()
    local s = ("%d, %d, kernel_size=%s, stride=%s"):format(self.in_channels, self.out_channels,
      pyrepr(self.kernel_size), pyrepr(self.stride))
    local function nonzero(t, v)
      for i = 1, #t do if t[i] ~= v then return true end end
      return false
    end
    if type(self.padding) == "string" then s = s .. ", padding=" .. self.padding
    elseif type(self.padding[1]) == "table" then s = s .. ", padding=" .. pyrepr(self.padding)
    elseif nonzero(self.padding, 0) then s = s .. ", padding=" .. pyrepr(self.padding) end
    if nonzero(self.dilation, 1) then s = s .. ", dilation=" .. pyrepr(self.dilation) end
    if nonzero(self.output_padding, 0) then s = s .. ", output_padding=" .. pyrepr(self.output_padding) end
    if self.groups ~= 1 then s = s .. ", groups=" .. self.groups end
    if self.bias == nil then s = s .. ", bias=False" end
    return s
  end
  C._label = label
  function C:forward(x)
    local o = {stride = self.stride, padding = self.padding, dilation = self.dilation,
      groups = self.groups, output_padding = self.output_padding}
    local xt = layer_input(self, x)
    if transposed then return I.conv_transpose(xt, self.weight, self.bias, o, d, self:_label()) end
    return I.conv(xt, self.weight, self.bias, o, d, self:_label())
  end
end
conv_class("Conv1d", 1); conv_class("Conv2d", 2)
conv_class("ConvTranspose1d", 1, true); conv_class("ConvTranspose2d", 2, true)
-- }=====

-- {===== pools
local function pool_class(name, d, max)
  local C = class(name)
  local allowed = max and {"stride", "padding", "dilation", "return_indices", "ceil_mode"}
    or {"stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"}
  function C:__init(k, o)
    local who = "nn." .. name
    o = options(o, allowed, who)
    if o.return_indices then error(who .. ": return_indices is not supported", 3) end
    I.tuple(k, d, who, "kernel_size")
    -- kept as given, as PyTorch prints them (AvgPool1d stores 1-tuples)
    local single = (not max) and d == 1
    local function keep(v) return (single and type(v) == "number") and {v} or v end
    self.kernel_size = keep(k)
    self.stride = keep(o.stride or k)
    self.padding = keep(o.padding or 0)
    I.tuple(self.stride, d, who, "stride"); I.tuple(self.padding, d, who, "padding")
    self.ceil_mode = o.ceil_mode or false
    if max then
      self.dilation = o.dilation or 1
      I.tuple(self.dilation, d, who, "dilation")
    else
      self.count_include_pad = o.count_include_pad ~= false
      self.divisor_override = o.divisor_override
    end
  end
  function C:extra_repr()
    local s = ("kernel_size=%s, stride=%s, padding=%s"):format(pyrepr(self.kernel_size),
      pyrepr(self.stride), pyrepr(self.padding))
    if max then s = s .. (", dilation=%s, ceil_mode=%s"):format(pyrepr(self.dilation), pyrepr(self.ceil_mode)) end
    return s
  end
  C._label = label
  function C:forward(x)
    local who = self:_label()
    local xt = I.input(x, who)
    local o = {stride = self.stride, padding = self.padding, ceil_mode = self.ceil_mode,
      dilation = self.dilation, count_include_pad = self.count_include_pad,
      divisor_override = self.divisor_override}
    if max then return I.max_pool(xt, self.kernel_size, o, d, who) end
    return I.avg_pool(xt, self.kernel_size, o, d, who)
  end
end
pool_class("MaxPool1d", 1, true); pool_class("MaxPool2d", 2, true)
pool_class("AvgPool1d", 1, false); pool_class("AvgPool2d", 2, false)

for d = 1, 2 do
  local C = class(("AdaptiveAvgPool%dd"):format(d))
  function C:__init(size)
    I.tuple(size, d, "nn." .. C._classname, "output_size")
    self.output_size = size
  end
  function C:extra_repr() return "output_size=" .. pyrepr(self.output_size) end
  C._label = label
  function C:forward(x)
    local who = self:_label()
    return I.adaptive_avg_pool(I.input(x, who), self.output_size, d, who)
  end
end
-- }=====

-- {===== batch norm
local function bn_class(name, dims)
  local C = class(name)
  function C:__init(n, o)
    local who = "nn." .. name
    o = options(o, {"eps", "momentum", "affine", "track_running_stats", "dtype"}, who)
    check_int(n, who, "num_features")
    local dt = check_dtype(o.dtype, who)
    self.num_features = n
    self.eps = o.eps or 1e-5
    if o.momentum == util.None then self.momentum = nil else self.momentum = o.momentum or 0.1 end
    self.affine = o.affine ~= false
    self.track_running_stats = o.track_running_stats ~= false
    if self.affine then
      self.weight = T.Parameter(np.ones({n}, dt))
      self.bias = T.Parameter(np.zeros({n}, dt))
    end
    if self.track_running_stats then
      self:register_buffer("running_mean", np.zeros({n}, dt))
      self:register_buffer("running_var", np.ones({n}, dt))
      self:register_buffer("num_batches_tracked", np.array(0, "int64"))
    end
    rawset(self, "_dt", dt)
  end
  function C:extra_repr()
    return ("%d, eps=%s, momentum=%s, affine=%s, track_running_stats=%s"):format(self.num_features,
      pyrepr(self.eps), self.momentum == nil and "None" or pyrepr(self.momentum), pyrepr(self.affine),
      pyrepr(self.track_running_stats))
  end
  C._label = label
  function C:_dtype() return self.weight and self.weight.data.dtype or (self.running_mean and self.running_mean.dtype) or rawget(self, "_dt") end
  function C:forward(x)
    local who = self:_label()
    local xt = layer_input(self, x)
    local nd = xt.data.ndim
    local ok = false
    for _, v in ipairs(dims) do ok = ok or v == nd end
    if not ok or xt.data.shape[2] ~= self.num_features then
      local n = self.num_features
      local want = #dims == 2 and ("(N, %d) or (N, %d, L)"):format(n, n) or ("(N, %d, H, W)"):format(n)
      error(("%s: expected input of shape %s, got %s"):format(who, want, T.shape_str(xt.data.shape)), 2)
    end
    local factor = self.momentum or 0
    if self.training and self.track_running_stats then
      local nbt = self.num_batches_tracked
      if nbt ~= nil then
        nbt[{}] = nbt:item() + 1
        if self.momentum == nil then factor = 1 / nbt:item() end
      end
    end
    local bn_training = self.training or (self.running_mean == nil and self.running_var == nil)
    local use_stats = (not self.training) or self.track_running_stats
    return I.batch_norm(xt, use_stats and self.running_mean or nil, use_stats and self.running_var or nil,
      self.weight, self.bias, bn_training, factor, self.eps, who)
  end
end
bn_class("BatchNorm1d", {2, 3}); bn_class("BatchNorm2d", {4})
-- }=====

-- {===== parameterless layers
local Dropout = class("Dropout")
function Dropout:__init(p, o)
  if type(p) == "table" then o, p = p, p.p end
  o = options(o, {"p", "inplace"}, "nn.Dropout")
  p = p or 0.5
  if type(p) ~= "number" or p < 0 or p > 1 then
    error(("nn.Dropout: dropout probability has to be between 0 and 1, but got %s"):format(tostring(p)), 3)
  end
  self.p, self.inplace = p, o.inplace or false
end
function Dropout:extra_repr() return ("p=%s, inplace=%s"):format(pyrepr(self.p), pyrepr(self.inplace)) end
Dropout._label = label
function Dropout:forward(x) return I.dropout(I.input(x, self:_label()), self.p, self.training, self:_label()) end

local function simple(name, fn, extra)
  local C = class(name)
  C._label = label
  function C:forward(x) return fn(self, I.input(x, self:_label())) end
  function C:extra_repr() return extra and extra(self) or "" end
  return C
end
local function inplace_arg(self, o, who, allowed)
  o = options(o, allowed or {"inplace"}, who)
  self.inplace = o.inplace or false
  return o
end

local ReLU = simple("ReLU", function(_, x) return I.relu(x) end,
  function(s) return s.inplace and "inplace=True" or "" end)
function ReLU:__init(o) if type(o) == "boolean" then o = {inplace = o} end; inplace_arg(self, o, "nn.ReLU") end

local Leaky = simple("LeakyReLU", function(s, x) return I.leaky_relu(x, s.negative_slope) end,
  function(s) return "negative_slope=" .. pyrepr(s.negative_slope) .. (s.inplace and ", inplace=True" or "") end)
function Leaky:__init(slope, o)
  if type(slope) == "table" then o, slope = slope, slope.negative_slope end
  inplace_arg(self, o, "nn.LeakyReLU", {"negative_slope", "inplace"})
  self.negative_slope = slope or 0.01
end

local ELU = simple("ELU", function(s, x) return I.elu(x, s.alpha) end,
  function(s) return "alpha=" .. pyrepr(s.alpha) .. (s.inplace and ", inplace=True" or "") end)
function ELU:__init(alpha, o)
  if type(alpha) == "table" then o, alpha = alpha, alpha.alpha end
  inplace_arg(self, o, "nn.ELU", {"alpha", "inplace"})
  self.alpha = alpha or 1.0
end

local GELU = simple("GELU", function(s, x) return I.gelu_any(x, s.approximate, s:_label()) end,
  function(s) return "approximate='" .. s.approximate .. "'" end)
function GELU:__init(o)
  if type(o) == "string" then o = {approximate = o} end
  o = options(o, {"approximate"}, "nn.GELU")
  local a = o.approximate or "none"
  if a ~= "none" and a ~= "tanh" then
    error(("nn.GELU: approximate must be 'none' or 'tanh', got '%s'"):format(tostring(a)), 3)
  end
  self.approximate = a
end

simple("Sigmoid", function(_, x) return I.sigmoid(x) end)
simple("Tanh", function(_, x) return I.tanh(x) end)
simple("Identity", function(_, x) return x end)

local function softmax_class(name, log)
  local C = simple(name, function(s, x) return I.softmax(x, s.dim, log, s:_label()) end,
    function(s) return "dim=" .. pyrepr(s.dim) end)
  function C:__init(dim)
    if type(dim) == "table" then dim = options(dim, {"dim"}, "nn." .. name).dim end
    if dim ~= nil and math.type(dim) ~= "integer" then
      error(("nn.%s: dim must be an integer, got %s"):format(name, tostring(dim)), 3)
    end
    self.dim = dim
  end
end
softmax_class("Softmax", false); softmax_class("LogSoftmax", true)

local Flatten = simple("Flatten", function(s, x) return x:flatten(s.start_dim, s.end_dim) end,
  function(s) return ("start_dim=%d, end_dim=%d"):format(s.start_dim, s.end_dim) end)
function Flatten:__init(s, e)
  if type(s) == "table" then
    local o = options(s, {"start_dim", "end_dim"}, "nn.Flatten")
    s, e = o.start_dim, o.end_dim
  end
  self.start_dim, self.end_dim = s or 1, e or -1
end
-- }=====

function L.install(nn)
  for k, v in pairs(L) do
    if type(v) == "table" and rawget(v, "__imt") then nn[k] = v end
  end
end

return L
