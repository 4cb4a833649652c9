-- tensor_autograd.lua: nn.Tensor: every differentiable operation against
-- finite differences (float64), values against NumPy definitions, printing
-- against PyTorch 1.13's strings (tests/fixtures/nn/tensor_print.txt), and
-- the errors.
local T = require "testlib"
local G = require "nn.gradcheck"

local rng = np.random.Generator(3)
local function r(shape) return rng:normal(0, 1, shape) end
local function pos(shape) return rng:uniform(0.5, 2, shape) end
local TOL = 1e-6

local function gc(name, f, inputs)
  local e = G.check(f, inputs)
  T.ok(e < TOL, ("%s: gradient error %.3g"):format(name, e))
end

-- {===== gradients of every operation
gc("add", function(a, b) return a + b end, {r{3, 4}, r{3, 4}})
gc("add broadcast", function(a, b) return a + b end, {r{3, 4}, r{4}})
gc("add broadcast keepdim", function(a, b) return a + b end, {r{3, 1}, r{2, 1, 4}})
gc("sub", function(a, b) return a - b * 2 end, {r{3, 4}, r{1, 4}})
gc("number - t", function(a) return 3 - a end, {r{3}})
gc("mul", function(a, b) return a * b end, {r{2, 3}, r{2, 3}})
gc("mul self", function(a) return a * a * a end, {r{5}})
gc("div", function(a, b) return a / b end, {r{2, 3}, pos{3}})
gc("number / t", function(a) return 2 / a end, {pos{4}})
gc("pow number", function(a) return a ^ 3 end, {r{4}})
gc("pow tensor", function(a, b) return a ^ b end, {pos{4}, r{4}})
gc("unm", function(a) return -a end, {r{2, 2}})
gc("exp", function(a) return a:exp() end, {r{3, 2}})
gc("log", function(a) return a:log() end, {pos{3, 2}})
gc("sqrt", function(a) return a:sqrt() end, {pos{5}})
gc("abs", function(a) return a:abs() end, {r{6}})
gc("clamp", function(a) return a:clamp(-0.5, 0.5) end, {np.array{-1.0, -0.3, 0.2, 0.9, 0.45}})
gc("clamp min", function(a) return a:clamp{min = 0} end, {np.array{-1.0, 0.3, 2}})
gc("matmul 2d", function(a, b) return a:matmul(b) end, {r{3, 4}, r{4, 2}})
gc("matmul batch", function(a, b) return nn.matmul(a, b) end, {r{2, 3, 4}, r{4, 5}})
gc("matmul batch both", function(a, b) return a:matmul(b) end, {r{2, 3, 4}, r{2, 4, 2}})
gc("matmul vec", function(a, b) return a:matmul(b) end, {r{3, 4}, r{4}})
gc("matmul vec left", function(a, b) return a:matmul(b) end, {r{4}, r{4, 3}})
local c62, c232, c423, c322 = r{6, 2}, r{2, 3, 2}, r{4, 2, 3}, r{3, 2, 2}
gc("reshape", function(a) return a:reshape{6, -1} * c62 end, {r{3, 4}})
gc("view", function(a) return a:view(2, 6) end, {r{3, 4}})
gc("flatten", function(a) return a:flatten(1) end, {r{2, 3, 2}})
gc("transpose", function(a) return a:transpose(0, 2) * c232 end, {r{2, 3, 2}})
gc("permute", function(a) return a:permute(2, 0, 1) * c423 end, {r{2, 3, 4}})
gc("squeeze", function(a) return a:squeeze(1) end, {r{3, 1, 2}})
gc("unsqueeze", function(a) return a:unsqueeze(-1) * c322 end, {r{3, 2}})
gc("sum", function(a) return a:sum() end, {r{3, 4}})
gc("sum dim", function(a) return a:sum(1) end, {r{3, 4}})
gc("sum dims keepdim", function(a) return a:sum({0, 2}, true) end, {r{2, 3, 4}})
gc("sum opts", function(a) return a:sum{dim = -1, keepdim = true} end, {r{2, 3}})
gc("mean", function(a) return a:mean() end, {r{3, 4}})
gc("mean dim", function(a) return a:mean(0) end, {r{3, 4}})
gc("max", function(a) return a:max() end, {r{3, 4}})
gc("max dim", function(a) return (a:max(1)) end, {r{3, 4}})
gc("max dim keepdim", function(a) return (a:max(0, true)) end, {r{3, 4}})
gc("min dim", function(a) return (a:min(-1)) end, {r{3, 4}})
gc("index row", function(a) return a[2] end, {r{3, 4}})
gc("index slice", function(a) return a[{{}, {2, 3}}] end, {r{3, 4}})
gc("index element", function(a) return a[{2, 3}] end, {r{3, 4}})
gc("index step", function(a) return a[{{1, -1, 2}}] end, {r{5, 2}})
gc("cat", function(a, b) return nn.cat({a, b}, 1) end, {r{2, 3}, r{2, 2}})
gc("cat dim0", function(a, b) return nn.cat{a, b, a} end, {r{2, 3}, r{1, 3}})
gc("stack", function(a, b) return nn.stack({a, b}, 1) end, {r{2, 3}, r{2, 3}})
gc("clone, double", function(a) return a:clone():double() * 2 end, {r{3}})
do -- a cast's gradient goes back in the input's dtype (finite differences
  -- through float32 rounding would be too coarse)
  local a = nn.tensor({0.5, 0.25}, {dtype = "float64", requires_grad = true})
  ;(a:float() * nn.tensor{3, 4}):sum():backward()
  T.eq(a.grad.dtype, "float64", "cast gradient dtype")
  T.close(a.grad, {3, 4}, 0, 0, "cast gradient")
end
gc("chain", function(a, b) return ((a:matmul(b)):exp():sum(1) + 1):log():mean() end, {r{3, 4}, r{4, 2}})
-- }=====

-- {===== values and the tape
do
  local x = nn.tensor({{1, 2, 3}, {4, 5, 6}}, {requires_grad = true})
  local y = (x * x + 2 * x):sum()
  T.eq(y:item(), 1 + 4 + 9 + 16 + 25 + 36 + 2 * 21, "sum value")
  y:backward()
  T.close(x.grad, {{4, 6, 8}, {10, 12, 14}}, 0, 0, "d/dx (x^2 + 2x) = 2x + 2")
  T.eq(x.grad.dtype, "float32", "grad dtype")
  local g = x.grad
  ;(x:sum()):backward()
  T.close(g, {{5, 7, 9}, {11, 13, 15}}, 0, 0, "backward accumulates into the same array")
  T.ok(rawequal(g, x.grad), "grad array kept")
  -- a value used twice along different paths
  local a = nn.tensor({1, 2}, {requires_grad = true, dtype = "float64"})
  local b = a * 3
  local c = (b * a + b):sum()
  c:backward()
  T.close(a.grad, {6 * 1 + 3, 6 * 2 + 3}, 0, 0, "diamond graph")
  -- the graph lets go of its arrays after backward, unless retained
  local r = nn.tensor({1, 2}, {requires_grad = true})
  local q = (r * r):sum()
  q:backward{retain_graph = true}
  q:backward()
  T.close(r.grad, {4, 8}, 0, 0, "retain_graph allows a second backward")
  T.err("trying to backward through the graph a second time", function() q:backward() end)
  T.eq(#q.grad_fn.inputs, 0, "a node drops its inputs after backward")
  -- no_grad records nothing
  local z = nn.no_grad(function() return a * 2 end)
  T.eq(z.requires_grad, false, "no_grad result has no grad")
  T.ok(z.grad_fn == nil, "no_grad: no node")
  T.ok((a * 2).grad_fn ~= nil, "recording resumes after no_grad")
  local ok = pcall(nn.no_grad, function() error("boom") end)
  T.ok(not ok and (a * 2).requires_grad, "no_grad restores recording after an error")
  -- detach
  local d = (a * 2):detach()
  T.ok(not d.requires_grad and d.grad_fn == nil, "detach")
  -- max/argmax positions are 1-based
  local m = nn.tensor{{1, 5, 2}, {7, 0, 3}}
  local v, i = m:max(1)
  T.close(v.data, {5, 7}, 0, 0, "max values")
  T.eq(i.data:totable(), {2, 1}, "max positions 1-based")
  T.eq(m:argmax(1).data:totable(), {2, 1}, "argmax 1-based")
  T.eq(m:argmax():item(), 4, "argmax flat 1-based")
  T.eq(m:argmin(0).data:totable(), {1, 2, 1}, "argmin dim 0")
  T.eq(m.shape[2], 3, "shape field")
  T.eq(m.ndim, 2, "ndim"); T.eq(m.size, 6, "size"); T.eq(m.dtype, "float32", "default dtype")
  T.eq(#m, 2, "#t")
  T.ok(rawequal(m:numpy(), m.data), "numpy() is the array")
  T.eq(nn.tensor(np.array({1, 2}, "int64")).dtype, "int64", "np arrays keep their dtype")
  T.eq(nn.tensor(np.array{1.5}).dtype, "float64", "float64 arrays stay float64")
  local s = nn.tensor{1, 2}
  s[2] = 7
  T.eq(s.data:totable(), {1, 7}, "assignment into data")
end
-- }=====

-- {===== printing, as PyTorch prints
do
  local f = assert(io.open("tests/fixtures/nn/tensor_print.txt"))
  local text = f:read("a")
  f:close()
  local n = 0
  for expr, want in text:gmatch("== ([^\n]*)\n(.-)\n%f[=\0]") do
    local got = tostring(assert(load("return " .. expr))())
    T.eq(got, want, "print " .. expr)
    n = n + 1
  end
  T.eq(n, 17, "every printing case read")
  T.eq(tostring(nn.Parameter(np.array({1, 2}, "float32"))),
    "Parameter containing:\ntensor([1., 2.], requires_grad=True)", "Parameter")
end
-- }=====

-- {===== errors
do
  local a32 = nn.tensor({1, 2}, {requires_grad = true})
  local a64 = nn.tensor({1, 2}, {dtype = "float64"})
  T.err("nn.Tensor.__add: the tensors have different dtypes (float32 and float64)", function() return a32 + a64 end)
  T.err("nn.matmul: the tensors have different dtypes", function() return nn.tensor{{1}}:matmul(nn.tensor({{1}}, {dtype = "float64"})) end)
  T.err("nn.matmul: shapes (2, 3) and (2, 3) cannot be multiplied", function() return nn.tensor(np.ones{2, 3}):matmul(nn.tensor(np.ones{2, 3})) end)
  T.err("grad can be implicitly created only for scalar outputs", function() (a32 * 2):backward() end)
  T.err("does not require grad", function() nn.tensor{1}:backward() end)
  T.err("nn.Tensor:sum: dim 2 out of range for a 1-d tensor", function() return a32:sum(2) end)
  T.err("nn.Tensor:item: a tensor with 2 elements", function() return a32:item() end)
  T.err("nn.Tensor: no field or method 'summ' (did you mean 'sum'?)", function() return a32.summ end)
  T.err("nn.tensor: unknown option 'requires_gard'", function() return nn.tensor(1, {requires_gard = true}) end)
  T.err("nn.tensor: only float tensors can require gradients", function() return nn.tensor(np.array({1}, "int64"), {requires_grad = true}) end)
  T.err("nn.Parameter: only float arrays", function() return nn.Parameter(np.array({1}, "int64")) end)
  T.err("nn.Tensor:permute: 2 dims given for a 3-d tensor", function() return nn.tensor(np.ones{1, 2, 3}):permute(0, 1) end)
  T.err("nn.cat: ", function() return nn.cat({nn.tensor(np.ones{2, 2}), nn.tensor(np.ones{3})}) end)
  T.err("nn.no_grad: a function expected", function() return nn.no_grad(3) end)
  T.err("nn.Tensor.__add: operands could not be broadcast together with shapes (1,2) (3,)",
    function() return nn.tensor{{1, 2}} + nn.tensor{1, 2, 3} end)
end
-- }=====

T.done()
