-- gradcheck.lua: finite-difference gradient checks for nn (torch/nn's
-- Jacobian.lua idea): require "nn.gradcheck" from the tests. Run on its own,
-- it checks itself: a right gradient passes and a wrong one is caught.
--
-- G.check(f, inputs[, {eps, tol, seed}]) -> max relative error
--   inputs: float64 tensors (requires_grad set here) or np arrays; f(...)
--   returns a tensor. The loss is sum(f(...) * R) for a fixed random R, so
--   every output element counts; its analytic gradient (backward) is compared
--   with central differences (eps 1e-6) for every element of every input.
-- G.check_module(m, x[, opts]): m cast to float64; the gradient of x and of
--   every parameter checked the same way.
local G = {}

local function as_t(x)
  if nn.is_tensor(x) then return x end
  return nn.tensor(x:astype("float64"), {requires_grad = true})
end

local function loss_of(out, R)
  return (out.data * R):sum()
end

function G.check(f, inputs, opts)
  opts = opts or {}
  local eps = opts.eps or 1e-6
  local ts = {}
  for i, x in ipairs(inputs) do
    ts[i] = as_t(x)
    ts[i].requires_grad = true
    ts[i].grad = nil
  end
  local params = opts.params or {}
  for _, p in ipairs(params) do p.grad = nil end
  local out = f(table.unpack(ts))
  local gen = np.random.Generator(opts.seed or 7)
  local R = out.ndim == 0 and np.array(gen:normal(0, 1)) or gen:normal(0, 1, out.shape)
  out:backward(R:astype(out.dtype))
  local all = {}
  for _, t in ipairs(ts) do all[#all + 1] = t end
  for _, p in ipairs(params) do all[#all + 1] = p end
  local worst = 0
  for _, t in ipairs(all) do
    local flat = t.data:reshape{-1}
    local ga = t.grad and t.grad:reshape{-1} or np.zeros({t.data.size})
    for i = 1, t.data.size do
      local v = flat[i]
      flat[i] = v + eps
      local lp = nn.no_grad(function() return loss_of(f(table.unpack(ts)), R) end)
      flat[i] = v - eps
      local lm = nn.no_grad(function() return loss_of(f(table.unpack(ts)), R) end)
      flat[i] = v
      local num = (lp - lm) / (2 * eps)
      local err = math.abs(num - ga[i]) / math.max(1e-3, math.abs(num), math.abs(ga[i]))
      if err > worst then worst = err end
    end
  end
  return worst
end

function G.check_module(m, x, opts)
  m:double()
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.params = m:parameters()
  return G.check(function(xt) return m(xt) end, {x}, o)
end

-- G.fixture(T, path, builders[, tol]): the cases of a make_modules.py file.
-- builders[name]() returns the geolab module of case `name`; its weights are
-- loaded from the fixture by state_dict key (strict), then forward output,
-- input gradient, parameter gradients and buffers after the step are
-- compared with PyTorch's, to tol relative (default 1e-5) plus tol times the
-- largest magnitude (float32 sums in another order cannot do better).
-- Returns the number of cases run; every case in the file must have a builder.
function G.fixture(T, path, builders, tol)
  tol = tol or 1e-5
  local z = np.load(path)
  local cases, names = {}, {}
  for k, v in pairs(z) do
    local name, rest = k:match("^(.-)__(.*)$")
    if not cases[name] then cases[name] = {p = {}, gp = {}, after = {}}; names[#names + 1] = name end
    local c = cases[name]
    local kind, key = rest:match("^(%a+)__(.*)$")
    if kind then c[kind][key] = v else c[rest] = v end
  end
  table.sort(names)
  local function close(got, want, what)
    local scale = want.size > 0 and np.abs(want):max() or 0
    T.close(got, want, tol, tol * scale, what)
  end
  for _, name in ipairs(names) do
    local c, build = cases[name], builders[name]
    T.ok(build ~= nil, "a builder for fixture case " .. name)
    if build then
      local m, is_loss, train = build()
      m:train(train ~= false)
      if next(c.p) then m:load_state_dict(c.p) end
      local x = nn.tensor(c.x, {requires_grad = true})
      local y = is_loss and m(x, c.t) or m(x)
      close(y.data, c.y, name .. " forward")
      T.eq(y.dtype, "float32", name .. " output dtype")
      y:backward(c.g)
      close(x.grad, c.gx, name .. " input gradient")
      for k, p in m:named_parameters() do
        T.ok(c.gp[k] ~= nil, name .. " has PyTorch's parameter " .. k)
        if c.gp[k] then close(p.grad, c.gp[k], name .. " gradient of " .. k) end
      end
      local sd = m:state_dict()
      for k, v in pairs(c.after) do
        close(sd[k], v, name .. " " .. k .. " after the step")
      end
    end
  end
  return #names
end

-- run as a script: the checker catches a wrong gradient
if ... == nil then
  local T = require "testlib"
  local x = np.random.Generator(1):normal(0, 1, {3, 4})
  T.ok(G.check(function(t) return t * t end, {x}) < 1e-6, "x*x passes")
  -- x * x with a backward that forgets the factor 2
  local T_ = require "geolab.nn_tensor"
  local wrong = function(t)
    return T_.record(t.data * t.data, "Wrong", {t}, function(g) return g * t.data end)
  end
  T.ok(G.check(wrong, {x}) > 0.1, "a wrong gradient is caught")
  T.done()
end

return G
