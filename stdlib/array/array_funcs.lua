-- array_funcs.lua: the np functions written in Lua (compositions of the C
-- ones): keyword forms of the constructors and of np.random, meshgrid,
-- polyfit/polyval/poly1d, cov/corrcoef, histogram_bin_edges and the
-- histogram bin rules. Loaded by luaopen_geolab_array (array_npfun.c) once
-- the C functions are in the table.
local np = require "geolab.array"
local util = require "geolab.util"

local unpack = table.unpack

local ARRAY_MT = getmetatable(np.ones({0}))
local function is_array(v) return getmetatable(v) == ARRAY_MT end

-- An options table: a plain table, not an array and without positional items.
local function is_opts(v)
  return type(v) == "table" and not is_array(v) and rawget(v, 1) == nil
end

-- dim= (PyTorch) is axis= wherever axis= is allowed, as in the C functions
-- (gl_check_options); the returned table has it as axis.
local function check_opts(opts, allowed, fname)
  if type(opts) == "table" and rawget(opts, "dim") ~= nil then
    local has_axis = false
    for _, k in ipairs(allowed) do if k == "axis" then has_axis = true end end
    if has_axis then
      if rawget(opts, "axis") ~= nil then
        error(fname .. ": give axis= or dim= (the same dimension number), not both", 3)
      end
      local c = {}
      for k, v in pairs(opts) do c[k] = v end
      c.axis, c.dim = c.dim, nil
      opts = c
    end
  end
  return util.check_options(opts, allowed, fname, 3)
end

-- np.asarray(v, t) raising in the caller's name: "np.cov: m must be an array
-- or a table of numbers, got string".
local c_asarray = np.asarray
local function as(v, t, fname, what)
  local ok, a = pcall(c_asarray, v, t)
  if ok then return a end
  if v == nil then error(("%s: %s is required"):format(fname, what), 3) end
  error(("%s: %s must be an array or a table of numbers, got %s"):format(fname, what,
    type(v) == "table" and "a table of other values" or type(v)), 3)
end

-- {=====================================================================
-- Keyword forms: f(p1, p2, ..., {name = value}) for NumPy's keywords
-- ======================================================================

-- Wraps f so that any of its positional parameters `params` (names, in order)
-- can also be given by name in a trailing options table; the other keys in
-- `pass` are left in the table for f. skip: leading arguments that are not
-- parameters (the generator of a method). Unknown keys raise with a suggestion.
local function keywords(f, fname, params, pass, skip)
  skip = skip or 0
  local allowed, pos = {}, {}
  for i, p in ipairs(params) do allowed[#allowed + 1] = p; pos[p] = i end
  for _, p in ipairs(pass or {}) do allowed[#allowed + 1] = p end
  return function(...)
    local n = select("#", ...)
    local last = n > skip and select(n, ...) or nil
    if not is_opts(last) then return f(...) end
    check_opts(last, allowed, fname)
    local named = false
    for k in pairs(last) do if pos[k] then named = true break end end
    if not named then return f(...) end
    local args, rest, top = {...}, {}, 0
    args[n] = nil
    n = n - 1
    for k, v in pairs(last) do
      local i = pos[k]
      if i then
        i = i + skip
        if i <= n and args[i] ~= nil then
          error(("%s: argument '%s' given twice (by position and by name)"):format(fname, k), 2)
        end
        args[i] = v
        if i > top then top = i end
      else
        rest[k] = v
      end
    end
    if n > top then top = n end
    if next(rest) then
      top = top + 1
      args[top] = rest
    end
    return f(unpack(args, 1, top))
  end
end

-- Leading integers as a shape: np.zeros(3, 4) is np.zeros({3, 4}).
local function shape_args(f, fname, nvalue)
  local shaped = keywords(f, fname, nvalue and {"shape", "fill_value", "dtype"} or {"shape", "dtype"}, nil)
  return function(...)
    local n = select("#", ...)
    if not nvalue and n >= 2 and math.type((...)) == "integer" and math.type((select(2, ...))) == "integer" then
      local shape, i = {}, 1
      while i <= n and math.type((select(i, ...))) == "integer" do shape[i] = (select(i, ...)); i = i + 1 end
      return f(shape, select(i, ...))
    end
    return shaped(...)
  end
end

np.zeros = shape_args(np.zeros, "np.zeros")
np.ones = shape_args(np.ones, "np.ones")
np.empty = shape_args(np.empty, "np.empty")
np.full = shape_args(np.full, "np.full", true)
for _, name in ipairs{"zeros_like", "ones_like", "empty_like"} do
  np[name] = keywords(np[name], "np." .. name, {"a", "dtype"})
end
np.full_like = keywords(np.full_like, "np.full_like", {"a", "fill_value", "dtype"})

np.clip = keywords(np.clip, "np.clip", {"a", "a_min", "a_max"})
ARRAY_MT.__methods.clip = np.clip   -- a:clip{a_max = 1}
np.linspace = keywords(np.linspace, "np.linspace", {"start", "stop", "num"}, {"endpoint", "dtype", "retstep"})
np.logspace = keywords(np.logspace, "np.logspace", {"start", "stop", "num"}, {"endpoint", "base", "dtype"})
np.eye = keywords(np.eye, "np.eye", {"N", "M"}, {"k", "dtype"})

-- arange{start=, stop=, step=, dtype=}: a missing start is 0 and a missing
-- step 1; one positional argument is stop, as in NumPy, unless stop is named.
do
  local c_arange = np.arange
  local allowed = {"start", "stop", "step", "dtype"}
  np.arange = function(...)
    local n = select("#", ...)
    local o = n > 0 and select(n, ...) or nil
    if not is_opts(o) or (o.start == nil and o.stop == nil and o.step == nil) then return c_arange(...) end
    check_opts(o, allowed, "np.arange")
    local pos = {...}
    pos[n] = nil
    local v = {}
    if n - 1 == 1 and o.stop == nil then v[2] = pos[1]
    else for i = 1, n - 1 do v[i] = pos[i] end end
    for i, k in ipairs{"start", "stop", "step"} do
      if o[k] ~= nil then
        if v[i] ~= nil then error(("np.arange: argument '%s' given twice (by position and by name)"):format(k), 2) end
        v[i] = o[k]
      end
    end
    if v[2] == nil then error("np.arange: stop is required", 2) end
    if o.dtype ~= nil then return c_arange(v[1] or 0, v[2], v[3] or 1, {dtype = o.dtype}) end
    return c_arange(v[1] or 0, v[2], v[3] or 1)
  end
end

-- }=====================================================================

-- {=====================================================================
-- np.random: keyword forms, rand/randn/randint, sizes as separate integers
-- ======================================================================

local rnd_params = {
  uniform = {{"low", "high", "size"}, {"dtype"}},
  normal = {{"loc", "scale", "size"}, {"dtype"}},
  exponential = {{"scale", "size"}, {"dtype"}},
  gamma = {{"shape", "scale", "size"}, {"dtype"}},
  beta = {{"a", "b", "size"}, {"dtype"}},
  poisson = {{"lam", "size"}, {}},
  binomial = {{"n", "p", "size"}, {}},
  integers = {{"low", "high", "size"}, {"dtype", "endpoint"}},
  random = {{"size"}, {"dtype"}},
  standard_normal = {{"size"}, {"dtype"}},
  choice = {{"a", "size"}, {"replace", "p"}},
  permutation = {{"x"}, {}},
  shuffle = {{"x"}, {}},
  multivariate_normal = {{"mean", "cov", "size"}, {"check_valid", "method", "tol"}},
}

-- random(3, 4) as random({3, 4}): size-first functions.
local function size_varargs(f)
  return function(...)
    local n = select("#", ...)
    if n >= 2 and math.type((...)) == "integer" and math.type((select(2, ...))) == "integer" then
      local shape, i = {}, 1
      while i <= n and math.type((select(i, ...))) == "integer" do shape[i] = (select(i, ...)); i = i + 1 end
      return f(shape, select(i, ...))
    end
    return f(...)
  end
end

-- The legacy functions NumPy students use, on top of a generator's methods
-- (m: name -> function, self the generator or nil for np.random's bound ones).
local function legacy(get, fname)
  local function call(name, ...) return get(name)(...) end
  local t = {}
  -- rand(d0, d1, ...): uniform [0, 1) of that shape (a number without one)
  t.rand = function(...)
    local shape = {...}
    if #shape == 0 then return call("random") end
    if type(shape[1]) == "table" then error(fname .. ".rand: give the dimensions as separate integers, rand(3, 4)", 2) end
    return call("random", shape)
  end
  t.randn = function(...)
    local shape = {...}
    if #shape == 0 then return call("standard_normal") end
    if type(shape[1]) == "table" then error(fname .. ".randn: give the dimensions as separate integers, randn(3, 4)", 2) end
    return call("standard_normal", shape)
  end
  -- randint(low, high, size): integers in [low, high) (values, not positions)
  t.randint = keywords(function(low, high, size, opts)
    if is_opts(size) and opts == nil then size, opts = nil, size end
    if is_opts(high) and size == nil and opts == nil then high, opts = nil, high end
    if opts ~= nil then check_opts(opts, {"dtype"}, fname .. ".randint") end
    return call("integers", low, high, size, opts)
  end, fname .. ".randint", {"low", "high", "size"}, {"dtype"})
  return t
end

do
  local R = np.random
  for name, p in pairs(rnd_params) do
    local f = R[name]
    if name == "random" or name == "standard_normal" then f = size_varargs(f) end
    R[name] = keywords(f, "np.random." .. name, p[1], p[2])
  end
  for k, f in pairs(legacy(function(name) return R[name] end, "np.random")) do R[k] = f end
  -- the same on Generator objects (g:normal{loc=1, size=3})
  local G = getmetatable(R.Generator(0)).__index
  for name, p in pairs(rnd_params) do
    local f = G[name]
    if name == "random" or name == "standard_normal" then
      local m = f
      f = function(self, ...) return size_varargs(function(...) return m(self, ...) end)(...) end
    end
    G[name] = keywords(f, "np.random.Generator:" .. name, p[1], p[2], 1)
  end
end

-- }=====================================================================

-- {=====================================================================
-- diff with prepend/append; concatenate with axis nil
-- ======================================================================

-- An axis number (0-based, negative from the end) checked and made non-negative.
local function axis0(ax, ndim, fname)
  if math.type(ax) ~= "integer" then error(fname .. ": axis must be an integer", 3) end
  local k = ax < 0 and ax + ndim or ax
  if k < 0 or k >= ndim then
    error(("%s: axis %d is out of bounds for array of dimension %d"):format(fname, ax, ndim), 3)
  end
  return k
end

-- diff(a, [n], [axis], {n=1, axis=-1, prepend=, append=}): prepend/append are
-- joined to a along axis first (a number is broadcast to one slice), as NumPy.
do
  local c_diff = np.diff
  local function diff(a, n, axis, o)
    if is_opts(n) and axis == nil and o == nil then n, o = nil, n
    elseif is_opts(axis) and o == nil then axis, o = nil, axis end
    o = check_opts(o, {"n", "axis", "prepend", "append"}, "np.diff")
    a = as(a, nil, "np.diff", "a")
    if o.prepend == nil and o.append == nil then
      local co = {n = o.n, axis = o.axis}
      if n ~= nil then co.n = co.n == nil and n or error("np.diff: n given twice", 3) end
      if axis ~= nil then co.axis = co.axis == nil and axis or error("np.diff: axis given twice", 3) end
      return c_diff(a, co)
    end
    if a.ndim == 0 then error("np.diff: diff requires input that is at least one dimensional", 3) end
    if axis == nil then axis = o.axis end
    if n == nil then n = o.n end
    local k = axis0(axis == nil and -1 or axis, a.ndim, "np.diff")
    local parts = {}
    local function edge(v)
      v = as(v, nil, "np.diff", "prepend/append")
      if v.ndim == 0 then
        local shape = {}
        for d = 1, a.ndim do shape[d] = a.shape[d] end
        shape[k + 1] = 1
        v = np.broadcast_to(v, shape)
      end
      parts[#parts + 1] = v
    end
    if o.prepend ~= nil then edge(o.prepend) end
    parts[#parts + 1] = a
    if o.append ~= nil then edge(o.append) end
    return c_diff(np.concatenate(parts, k), {n = n, axis = k})
  end
  np.diff = function(...) return diff(...) end
  ARRAY_MT.__methods.diff = np.diff   -- a:diff{prepend=0} too
end

-- concatenate(arrays, nil): NumPy's axis=None joins the flattened arrays.
do
  local c_concatenate = np.concatenate
  np.concatenate = function(arrays, ...)
    if select("#", ...) >= 1 and (...) == nil and type(arrays) == "table" and not is_array(arrays) then
      local flat = {}
      for i = 1, #arrays do flat[i] = as(arrays[i], nil, "np.concatenate", "arrays[" .. i .. "]"):ravel() end
      return c_concatenate(flat)
    end
    return c_concatenate(arrays, ...)
  end
end

-- }=====================================================================

-- {=====================================================================
-- meshgrid
-- ======================================================================

-- meshgrid(x1, x2, ..., {indexing="xy", sparse=false, copy=true}): one array
-- per input, as multiple results (X, Y = np.meshgrid(x, y)).
function np.meshgrid(...)
  local xs, n = {...}, select("#", ...)
  local o = {}
  if n > 0 and is_opts(xs[n]) then o = xs[n]; xs[n] = nil; n = n - 1 end
  check_opts(o, {"indexing", "sparse", "copy"}, "np.meshgrid")
  local indexing = o.indexing or "xy"
  if indexing ~= "xy" and indexing ~= "ij" then
    error("np.meshgrid: Valid values for `indexing` are 'xy' and 'ij'.", 2)
  end
  if n == 0 then return end
  local nd = n
  local out, shape = {}, {}
  for i = 1, n do
    local x = as(xs[i], nil, "np.meshgrid", "argument " .. i):ravel()
    local s = {}
    for d = 1, nd do s[d] = 1 end
    s[i] = x.size
    if indexing == "xy" and nd > 1 and i <= 2 then s[1], s[2] = 1, 1; s[i == 1 and 2 or 1] = x.size end
    out[i] = x:reshape(s)
    for d = 1, nd do if s[d] ~= 1 then shape[d] = s[d] end end
  end
  for d = 1, nd do shape[d] = shape[d] or 1 end
  for i = 1, n do
    if not o.sparse then out[i] = np.broadcast_to(out[i], shape) end
    -- copy=false still copies dense grids: NumPy's would be read-only broadcast views
    if o.copy ~= false or not o.sparse then out[i] = out[i]:copy() end
  end
  return unpack(out, 1, n)
end

-- }=====================================================================

-- {=====================================================================
-- Polynomials: polyval, polyfit, poly1d, roots
-- ======================================================================

local function float_type(...)
  for i = 1, select("#", ...) do
    local a = select(i, ...)
    if a ~= nil and (not is_array(a) or a.dtype ~= "float32") then return "float64" end
  end
  return "float32"
end

-- polyval(p, x): Horner's scheme from the highest power, as NumPy (y = y*x + c).
function np.polyval(p, x)
  if p == nil then error("np.polyval: p (the coefficients) is required", 2) end
  if x == nil then error("np.polyval: x is required", 2) end
  if getmetatable(p) and getmetatable(p).__name == "np.poly1d" then p = p.coeffs end
  p = as(p, nil, "np.polyval", "p")
  if p.ndim ~= 1 then error("np.polyval: p must be 1-D, got " .. p.ndim .. " dimensions", 2) end
  local scalar = type(x) == "number"
  if not scalar then x = as(x, nil, "np.polyval", "x") end
  local y = scalar and 0 or np.zeros_like(x)
  for i = 1, #p do y = y * x + p[i] end
  return y
end

-- polyfit(x, y, deg, {w=, rcond=, full=false, cov=false}): least squares on
-- the scaled Vandermonde matrix, as NumPy; highest power first.
function np.polyfit(x, y, deg, o)
  local fname = "np.polyfit"
  if is_opts(deg) and o == nil then deg, o = deg.deg, deg end
  o = check_opts(o, {"deg", "w", "rcond", "full", "cov"}, fname)
  if deg == nil then deg = o.deg end
  if math.type(deg) ~= "integer" then error(fname .. ": deg must be an integer", 2) end
  if deg < 0 then error(fname .. ": expected deg >= 0", 2) end
  local t = float_type(x, y, o.w)
  x, y = as(x, t, fname, "x"), as(y, t, fname, "y")
  local order = deg + 1
  if x.ndim ~= 1 then error(fname .. ": expected 1D vector for x", 2) end
  if x.size == 0 then error(fname .. ": expected non-empty vector for x", 2) end
  if y.ndim < 1 or y.ndim > 2 then error(fname .. ": expected 1D or 2D array for y", 2) end
  if x.shape[1] ~= y.shape[1] then error(fname .. ": expected x and y to have same length", 2) end
  local eps = t == "float32" and 1.1920928955078125e-07 or 2.220446049250313e-16
  local rcond = o.rcond or #x * eps
  -- np.vander: powers by repeated products (not pow), so the bits agree
  local lhs = np.ones({#x, order}, t)
  local col = np.ones({#x}, t)
  for j = order - 1, 1, -1 do
    col = col * x
    lhs[{{}, j}] = col
  end
  local rhs = y
  if o.w ~= nil then
    local w = as(o.w, t, fname, "w")
    if w.ndim ~= 1 then error(fname .. ": expected a 1-d array for weights", 2) end
    if w.shape[1] ~= y.shape[1] then error(fname .. ": expected w and y to have the same length", 2) end
    lhs = lhs * w:reshape{-1, 1}
    rhs = y.ndim == 2 and y * w:reshape{-1, 1} or y * w
  end
  local scale = np.sqrt((lhs * lhs):sum(0))
  lhs = lhs / scale
  local c, resids, rank, s = np.linalg.lstsq(lhs, rhs, rcond)
  c = (c.T / scale).T
  if rank ~= order and not o.full then   -- NumPy's RankWarning
    io.stderr:write(fname .. ": warning: Polyfit may be poorly conditioned (rank " .. rank .. " < " .. order .. ")\n")
  end
  if o.full then return c, resids, rank, s, rcond end
  if o.cov then
    local vbase = np.linalg.inv(lhs.T:matmul(lhs))
    vbase = vbase / np.outer(scale, scale)
    local fac
    if o.cov == "unscaled" then fac = 1
    else
      if #x <= order then
        error(fname .. ": the number of data points must exceed order to scale the covariance matrix", 2)
      end
      fac = resids / (#x - order)
    end
    if y.ndim == 1 then
      if type(fac) ~= "number" then fac = fac.size > 0 and fac[1] or 0 / 0 end
      return c, vbase * fac
    end
    return c, vbase:reshape{order, order, 1} * fac
  end
  return c
end

-- roots(p): the eigenvalues of the companion matrix, as NumPy. Real roots
-- give a float64 array, complex ones a complex128 array (as np.linalg.eigvals).
function np.roots(p)
  if getmetatable(p) and getmetatable(p).__name == "np.poly1d" then p = p.coeffs end
  p = as(p, "float64", "np.roots", "p")
  if p.ndim ~= 1 then error("np.roots: input must be a rank-1 array", 2) end
  local v = p:totable()
  local first, last = nil, nil
  for i = 1, #v do if v[i] ~= 0 then first = first or i; last = i end end
  if not first then return np.zeros({0}) end
  local trailing = #v - last
  local c = {}
  for i = first, last do c[#c + 1] = v[i] end
  local n = #c - 1
  local r
  if n >= 1 then
    local A = np.zeros({n, n})
    for j = 1, n do A[{1, j}] = -c[j + 1] / c[1] end
    for i = 2, n do A[{i, i - 1}] = 1 end
    r = np.linalg.eigvals(A)
  else
    r = np.zeros({0})
  end
  if trailing > 0 then return np.concatenate({r, np.zeros({trailing})}) end
  return r
end

-- poly1d: a polynomial object (highest power first), callable, printed as NumPy prints it.
local Poly = {__name = "np.poly1d"}
local poly_fields = {coeffs = true, c = true, coef = true, coefficients = true, order = true,
  o = true, roots = true, r = true, variable = true}

local function poly_new(coeffs, variable)
  local c = coeffs
  -- leading zeros go, but one zero stays (NumPy: poly1d([0, 0]) is poly1d([0.]))
  local v = c:totable()
  local k = 1
  while k < #v and v[k] == 0 do k = k + 1 end
  if #v == 0 then c = np.zeros({1}, c.dtype) elseif k > 1 then c = c[{{k, #v}}]:copy() end
  return setmetatable({_c = c, _var = variable or "x"}, Poly)
end

function np.poly1d(c_or_r, r, variable)
  if is_opts(r) then
    local o = check_opts(r, {"r", "variable"}, "np.poly1d")
    r, variable = o.r, o.variable
  end
  if getmetatable(c_or_r) == Poly then
    return poly_new(c_or_r._c:copy(), variable or c_or_r._var)
  end
  local a = as(c_or_r, nil, "np.poly1d", "c_or_r")
  if r then
    -- from roots: the product of (x - r_i)
    local p = np.ones({1})
    for i = 1, #a do p = np.convolve(p, np.array({1, -a[i]})) end
    a = p
  end
  if a.ndim > 1 then error("np.poly1d: Polynomial must be 1d only.", 2) end
  if a.ndim == 0 then a = a:reshape{1} end
  return poly_new(a:copy(), variable)
end

Poly.__index = function(p, k)
  if k == "coeffs" or k == "c" or k == "coef" or k == "coefficients" then return p._c end
  if k == "order" or k == "o" then return #p._c - 1 end
  if k == "roots" or k == "r" then return np.roots(p._c) end
  if k == "variable" then return p._var end
  if math.type(k) == "integer" then
    -- p[k]: the coefficient of x^k, as NumPy (0 above the order)
    if k < 0 or k > #p._c - 1 then return 0 end
    return p._c[#p._c - k]
  end
  local m = rawget(Poly, "methods")[k]
  if m then return m end
  local names = util.sorted_keys(poly_fields)
  for n in pairs(rawget(Poly, "methods")) do names[#names + 1] = n end
  local near = util.nearest(tostring(k), names)
  error(("np.poly1d: no field '%s'%s"):format(tostring(k), near and (" (did you mean '" .. near .. "'?)") or ""), 2)
end
Poly.__newindex = function() error("np.poly1d: coefficients are read-only (make a new np.poly1d)", 2) end
Poly.__call = function(p, x)
  if getmetatable(x) == Poly then return poly_new(np.polyval(p._c, x), p._var) end
  return np.polyval(p._c, x)
end
Poly.__len = function(p) return #p._c - 1 end

local function coeffs_of(q)
  if getmetatable(q) == Poly then return q._c end
  q = np.asarray(q)
  return q.ndim == 0 and q:reshape{1} or q
end

-- a + b for coefficient arrays aligned at the lowest power, as NumPy's polyadd.
local function polyadd(a, b)
  local na, nb = #a, #b
  if na == nb then return a + b end
  if na < nb then a, b, na, nb = b, a, nb, na end
  return np.concatenate({a[{{1, na - nb}}], a[{{na - nb + 1, na}}] + b})
end

Poly.__add = function(p, q) return poly_new(polyadd(coeffs_of(p), coeffs_of(q)), p._var or q._var) end
Poly.__sub = function(p, q) return poly_new(polyadd(coeffs_of(p), -coeffs_of(q)), p._var or q._var) end
Poly.__unm = function(p) return poly_new(-p._c, p._var) end
Poly.__mul = function(p, q)
  if type(p) == "number" then return poly_new(q._c * p, q._var) end
  if type(q) == "number" then return poly_new(p._c * q, p._var) end
  return poly_new(np.convolve(coeffs_of(p), coeffs_of(q)), p._var or q._var)
end
Poly.__div = function(p, q)
  if type(q) ~= "number" then error("np.poly1d: division by a polynomial is np.polydiv, not supported yet", 2) end
  return poly_new(p._c / q, p._var)
end
Poly.__pow = function(p, k)
  if math.type(k) ~= "integer" or k < 0 then error("np.poly1d: Power to non-negative integers only.", 2) end
  local r = np.ones({1})
  for _ = 1, k do r = np.convolve(r, p._c) end
  return poly_new(r, p._var)
end
Poly.__eq = function(p, q)
  if getmetatable(p) ~= Poly or getmetatable(q) ~= Poly then return false end
  return #p._c == #q._c and np.array_equal(p._c, q._c)
end

-- NumPy's poly1d.__str__: '%.4g' coefficients, powers raised onto a line above.
local function fmt_float(q)
  local s = ("%.4g"):format(q)
  if s:sub(-5) == ".0000" then s = s:sub(1, -6) end
  return s
end

local function raise_power(astr, wrap)
  wrap = wrap or 70
  local n, line1, line2, output = 1, "", "", " "
  while true do
    local s, e, power = astr:find("%*%*(%d*)", n)
    if not s then break end
    local partstr = astr:sub(n, s - 1)
    n = e + 1
    local toadd2 = partstr .. (" "):rep(#power - 1)
    local toadd1 = (" "):rep(#partstr - 1) .. power
    if #line2 + #toadd2 > wrap or #line1 + #toadd1 > wrap then
      output = output .. line1 .. "\n" .. line2 .. "\n "
      line1, line2 = toadd1, toadd2
    else
      line2 = line2 .. partstr .. (" "):rep(#power - 1)
      line1 = line1 .. (" "):rep(#partstr - 1) .. power
    end
  end
  output = output .. line1 .. "\n" .. line2
  return output .. astr:sub(n)
end

Poly.__tostring = function(p)
  local thestr, var = "0", p._var
  local v = p._c:totable()
  local k0 = 1
  while k0 <= #v and v[k0] == 0 do k0 = k0 + 1 end
  local coeffs = {}
  for i = k0, #v do coeffs[#coeffs + 1] = v[i] end
  local N = #coeffs - 1
  for k, coeff in ipairs(coeffs) do
    local coefstr = fmt_float(coeff)
    local power = N - (k - 1)
    local newstr
    if power == 0 then
      if coefstr ~= "0" then newstr = coefstr
      else newstr = k == 1 and "0" or "" end
    elseif power == 1 then
      if coefstr == "0" then newstr = "" else newstr = coefstr .. " " .. var end
    else
      if coefstr == "0" then newstr = "" else newstr = ("%s %s**%d"):format(coefstr, var, power) end
    end
    if k > 1 then
      if newstr ~= "" then
        if newstr:sub(1, 1) == "-" then thestr = thestr .. " - " .. newstr:sub(2)
        else thestr = thestr .. " + " .. newstr end
      end
    else
      thestr = newstr
    end
  end
  return raise_power(thestr)
end

rawset(Poly, "methods", {
  -- deriv(m=1) and integ(m=1, k=0), as NumPy's polyder/polyint
  deriv = function(p, m)
    m = m or 1
    local c = p._c
    for _ = 1, m do
      local n = #c - 1
      if n <= 0 then c = np.zeros({1}, c.dtype) break end
      c = c[{{1, n}}] * np.arange(n, 0, -1)
    end
    return poly_new(c, p._var)
  end,
  integ = function(p, m, k)
    m, k = m or 1, k or 0
    local c = p._c
    for _ = 1, m do
      local n = #c
      c = np.concatenate({c / np.arange(n, 0, -1), np.array({k}, "float64")})
    end
    return poly_new(c, p._var)
  end,
  __tostring = Poly.__tostring,
})

-- NumPy's polynomial helpers on coefficient arrays (highest power first);
-- a poly1d argument gives a poly1d result, as in NumPy.
local function poly_out(r, ...)
  for i = 1, select("#", ...) do
    local q = select(i, ...)
    if getmetatable(q) == Poly then return poly_new(r, q._var) end
  end
  return r
end
local function coeffs_arg(q, fname, what)
  if getmetatable(q) == Poly then return q._c end
  local a = as(q, nil, fname, what)
  if a.ndim > 1 then error(("%s: %s must be 1-D"):format(fname, what), 3) end
  return a.ndim == 0 and a:reshape{1} or a
end
function np.polyadd(a1, a2)
  return poly_out(polyadd(coeffs_arg(a1, "np.polyadd", "a1"), coeffs_arg(a2, "np.polyadd", "a2")), a1, a2)
end
function np.polysub(a1, a2)
  return poly_out(polyadd(coeffs_arg(a1, "np.polysub", "a1"), -coeffs_arg(a2, "np.polysub", "a2")), a1, a2)
end
function np.polymul(a1, a2)
  return poly_out(np.convolve(coeffs_arg(a1, "np.polymul", "a1"), coeffs_arg(a2, "np.polymul", "a2")), a1, a2)
end
function np.polyder(p, m)
  return poly_out(poly_new(coeffs_arg(p, "np.polyder", "p"), "x"):deriv(m)._c, p)
end
function np.polyint(p, m, k)
  return poly_out(poly_new(coeffs_arg(p, "np.polyint", "p"), "x"):integ(m, k)._c, p)
end

-- convolve(a, v) for 'full' mode (1-D), used by poly1d; NumPy's np.convolve.
if np.convolve == nil then
  function np.convolve(a, v, mode)
    a, v = as(a, nil, "np.convolve", "a"), as(v, nil, "np.convolve", "v")
    if a.ndim ~= 1 or v.ndim ~= 1 then error("np.convolve: a and v must be 1-D", 2) end
    mode = mode or "full"
    if mode ~= "full" then error("np.convolve: only mode 'full' is supported", 2) end
    local na, nv = #a, #v
    if na == 0 or nv == 0 then error("np.convolve: " .. (na == 0 and "a" or "v") .. " cannot be empty", 2) end
    local isf = function(t) return t == "float32" or t == "float64" end
    local r = np.zeros({na + nv - 1}, (isf(a.dtype) or isf(v.dtype)) and "float64" or "int64")
    for j = 1, nv do
      local seg = r[{{j, j + na - 1}}]
      r[{{j, j + na - 1}}] = seg + a * v[j]
    end
    return r
  end
end

-- }=====================================================================

-- {=====================================================================
-- cov, corrcoef
-- ======================================================================

-- The 2-D float64 observations matrix of cov: variables in rows.
local function as_rows(m, rowvar, fname, what)
  local X = as(m, "float64", fname, what):copy()
  if X.ndim > 2 then error(("%s: %s has more than 2 dimensions"):format(fname, what), 3) end
  if X.ndim == 0 then X = X:reshape{1, 1} elseif X.ndim == 1 then X = X:reshape{1, -1} end
  if not rowvar and X.shape[1] ~= 1 then X = X.T:copy() end
  return X
end

local function cov(m, y, o, fname)
  o = o or {}
  local rowvar = o.rowvar ~= false
  local X = as_rows(m, rowvar, fname, "m")
  if X.shape[1] == 0 then return np.zeros({0, 0}) end
  if y ~= nil then X = np.concatenate({X, as_rows(y, rowvar, fname, "y")}, 0) end
  local ddof = o.ddof
  if ddof == nil then ddof = o.bias and 0 or 1 end
  local nobs = X.shape[2]
  local w
  local function weights(v, name)
    local a = as(v, "float64", fname, name)
    if a.ndim ~= 1 then error(("%s: cannot handle multidimensional %s"):format(fname, name), 3) end
    if a.size ~= nobs then error(("%s: incompatible numbers of samples and %s"):format(fname, name), 3) end
    if a:lt(0):any() then error(("%s: %s cannot be negative"):format(fname, name), 3) end
    return a
  end
  if o.fweights ~= nil then
    w = weights(o.fweights, "fweights")
    if not np.array_equal(w, np.round(w)) then error(fname .. ": fweights must be integer", 3) end
  end
  local aw
  if o.aweights ~= nil then
    aw = weights(o.aweights, "aweights")
    w = w and w * aw or aw
  end
  local avg, w_sum, fact
  if w == nil then
    avg = X:mean(1)
    fact = nobs - ddof
  else
    w_sum = w:sum()
    avg = (X * w):sum(1) / w_sum
    if ddof == 0 then fact = w_sum
    elseif aw == nil then fact = w_sum - ddof
    else fact = w_sum - ddof * (w * aw):sum() / w_sum end
  end
  if fact <= 0 then fact = 0.0 end
  X = X - avg:reshape{-1, 1}
  local XT = w == nil and X.T or (X * w).T
  local c = X:matmul(XT) * (1 / fact)
  if c.size == 1 then return c[{1, 1}] end
  return c
end

-- cov(m, [y], {rowvar=true, bias=false, ddof=, fweights=, aweights=}): float64, as NumPy.
function np.cov(m, y, o)
  if is_opts(y) and o == nil then y, o = nil, y end
  o = check_opts(o, {"y", "rowvar", "bias", "ddof", "fweights", "aweights", "dtype"}, "np.cov")
  if o.dtype ~= nil and o.dtype ~= "float64" then error("np.cov: only dtype float64 is supported", 2) end
  if m == nil then error("np.cov: m is required", 2) end
  if o.ddof ~= nil and math.type(o.ddof) ~= "integer" then error("np.cov: ddof must be integer", 2) end
  return cov(m, y == nil and o.y or y, o, "np.cov")
end

-- corrcoef(x, [y], {rowvar=true}): Pearson correlation coefficients, clipped to [-1, 1].
function np.corrcoef(x, y, o)
  if is_opts(y) and o == nil then y, o = nil, y end
  o = check_opts(o, {"y", "rowvar", "dtype"}, "np.corrcoef")
  if x == nil then error("np.corrcoef: x is required", 2) end
  local c = cov(x, y == nil and o.y or y, {rowvar = o.rowvar}, "np.corrcoef")
  if type(c) == "number" then return c / c end
  local sd = np.sqrt(np.diag(c))
  c = c / sd:reshape{-1, 1}
  c = c / sd:reshape{1, -1}
  return np.clip(c, -1, 1)
end

-- }=====================================================================

-- {=====================================================================
-- histogram_bin_edges and the bin-count rules of NumPy
-- ======================================================================

local function ptp(x) return x:max() - x:min() end

-- Bin widths, NumPy's _hist_bin_selectors (x flat float64, no NaN)
local selectors = {}
function selectors.sqrt(x) return ptp(x) / math.sqrt(x.size) end
function selectors.sturges(x) return ptp(x) / (math.log(x.size, 2) + 1.0) end
function selectors.rice(x) return ptp(x) / (2.0 * x.size ^ (1.0 / 3)) end
function selectors.scott(x) return (24.0 * math.pi ^ 0.5 / x.size) ^ (1.0 / 3.0) * x:std() end
function selectors.fd(x)
  local q = np.percentile(x, {75, 25})
  return 2.0 * (q[1] - q[2]) * x.size ^ (-1.0 / 3.0)
end
function selectors.doane(x)
  local n = x.size
  if n > 2 then
    local sg1 = math.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)))
    local sigma = x:std()
    if sigma > 0.0 then
      local t = (x - x:mean()) / sigma
      local g1 = (t ^ 3):mean()
      return ptp(x) / (1.0 + math.log(n, 2) + math.log(1.0 + math.abs(g1) / sg1, 2))
    end
  end
  return 0.0
end
function selectors.stone(x, range)
  local n, p = x.size, ptp(x)
  if n <= 1 or p == 0 then return 0 end
  local function jhat(nbins)
    local hh = p / nbins
    local pk = np.histogram(x, nbins, {range = range}) / n
    return (2 - (n + 1) * (pk * pk):sum()) / hh
  end
  local upper = math.max(100, math.floor(math.sqrt(n)))
  local best, bj = 1, jhat(1)
  for k = 2, upper do
    local j = jhat(k)
    if j < bj then best, bj = k, j end
  end
  return p / best
end
function selectors.auto(x, range)
  local fd, st = selectors.fd(x, range), selectors.sturges(x, range)
  if fd ~= 0 then return math.min(fd, st) end
  return st
end
local selector_names = {"auto", "fd", "doane", "rice", "scott", "sqrt", "stone", "sturges"}

local function num_str(v) return v ~= v and "nan" or ("%g"):format(v) end

-- first and last edge: range, or the data's min and max (widened by 0.5 when equal)
local function outer_edges(a, range, fname)
  local lo, hi
  if range ~= nil then
    if type(range) ~= "table" or #range ~= 2 then error(fname .. ": range must be a table {min, max}", 4) end
    lo, hi = range[1], range[2]
    if lo > hi then error(fname .. ": max must be larger than min in range parameter.", 4) end
    if not (lo - lo == 0 and hi - hi == 0) then
      error(("%s: supplied range of [%s, %s] is not finite"):format(fname, num_str(lo), num_str(hi)), 4)
    end
  elseif a.size == 0 then
    lo, hi = 0, 1
  else
    lo, hi = a:min(), a:max()
    if not (lo - lo == 0 and hi - hi == 0) then
      error(("%s: autodetected range of [%s, %s] is not finite"):format(fname, num_str(lo), num_str(hi)), 4)
    end
  end
  if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
  return lo, hi
end

-- The edges NumPy's histogram would use: (edges, number of equal bins or nil, lo, hi)
local function bin_edges(a, bins, range, weights, fname)
  a = as(a, nil, fname, "a")
  local et = a.dtype == "float32" and "float32" or "float64"
  local flat = np.asarray(a, "float64"):ravel()
  if bins == nil then bins = 10 end
  if type(bins) == "string" then
    local sel = selectors[bins]
    if not sel then
      local near = util.nearest(bins, selector_names)
      error(("%s: '%s' is not a valid estimator for `bins`%s"):format(fname, bins,
        near and (" (did you mean '" .. near .. "'?)") or ""), 3)
    end
    if weights ~= nil then
      error(fname .. ": Automated estimation of the number of bins is not supported for weighted data", 3)
    end
    local lo, hi = outer_edges(flat, range, fname)
    if range ~= nil then
      local keep = np.logical_and(flat:ge(lo), flat:le(hi))
      if not keep:all() then flat = flat[keep] end
    end
    local nb = 1
    if flat.size > 0 then
      local width = sel(flat, {lo, hi})
      if width ~= 0 and width == width then nb = math.tointeger(math.ceil((hi - lo) / width)) or nb end
    end
    if nb > util.MAX_BINS then
      error(("%s: the '%s' rule asks for %d bins, more than the limit of %d bins (outliers? give a count or a range)")
        :format(fname, bins, nb, util.MAX_BINS), 3)
    end
    return np.linspace(lo, hi, nb + 1, {dtype = et}), nb, lo, hi
  elseif type(bins) == "number" then
    if math.type(bins) ~= "integer" then error(fname .. ": `bins` must be an integer, a string, or an array", 3) end
    if bins < 1 then error(fname .. ": `bins` must be positive, when an integer", 3) end
    if bins > util.MAX_BINS then
      error(("%s: bins=%d is more than the limit of %d bins"):format(fname, bins, util.MAX_BINS), 3)
    end
    local lo, hi = outer_edges(flat, range, fname)
    return np.linspace(lo, hi, bins + 1, {dtype = et}), bins, lo, hi
  end
  local e = as(bins, nil, fname, "bins")
  if e.ndim ~= 1 then error(fname .. ": `bins` must be 1d, when an array", 3) end
  if e.size > 1 and e[{{1, -2}}]:gt(e[{{2, -1}}]):any() then
    error(fname .. ": `bins` must increase monotonically, when an array", 3)
  end
  return e
end

-- histogram_bin_edges(a, [bins], {bins=10, range=, weights=}): bins a count,
-- a rule name ("auto", "fd", "doane", "rice", "scott", "sqrt", "stone",
-- "sturges") or the edges themselves.
function np.histogram_bin_edges(a, bins, o)
  if is_opts(bins) and o == nil then bins, o = nil, bins end
  o = check_opts(o, {"bins", "range", "weights"}, "np.histogram_bin_edges")
  if a == nil then error("np.histogram_bin_edges: a is required", 2) end
  if bins == nil then bins = o.bins end
  return (bin_edges(a, bins, o.range, o.weights, "np.histogram_bin_edges"))
end

-- A weighted histogram as NumPy 1.24 computes it (numpy/lib/histograms.py):
-- the counts take the weights' dtype (float32 weights give float32 counts,
-- whatever the dtype of a; int32 int32; bool bool, a logical or). a is read
-- in blocks of 65536 values; with equal bins each block's sums are taken in
-- float64 (bincount) and added to the counts in the weights' dtype; with
-- explicit edges a float block is sorted (by NumPy's own unstable argsort,
-- kernels/array/npsort.c, as equal values' order changes the rounding) and
-- the counts are differences of its cumulative sum in that dtype. So the rounding is NumPy's, not only the
-- dtype. density=true divides by widths and by the sum in that dtype.
local HIST_BLOCK = 65536
local function weighted_histogram(c_histogram, a, b, o)
  local fname = "np.histogram"
  local x = as(a, nil, fname, "a")
  local w = as(o.weights, nil, fname, "weights")
  if #x.shape ~= #w.shape or x.size ~= w.size then
    error(fname .. ": weights should have the same shape as a", 3)
  end
  local nt = w.dtype
  if nt:match("^complex") then error(fname .. ": complex weights are not supported", 3) end
  local edges, nb = bin_edges(x, b, o.range, w, fname)
  local n, nbins = x.size, edges.size - 1
  local xf, wf = x:ravel(), w:ravel()
  local e64 = edges:astype("float64")
  local h
  if nb ~= nil or not (nt == "float32" or nt == "float64") then
    if nb == nil and nt == "bool" then   -- NumPy adds an int64 cumsum to bool counts
      error(fname .. ": bool weights need a count of bins (NumPy: Cannot cast ufunc 'add' output from " ..
        "dtype('int64') to dtype('bool')); use weights = w:astype('int64')", 3)
    end
    h = np.zeros(nbins, nt)
    for s = 1, n, HIST_BLOCK do
      local e = math.min(s + HIST_BLOCK - 1, n)
      local part = c_histogram(xf[{{s, e}}], e64, {weights = wf[{{s, e}}]})   -- float64 sums
      if nt == "bool" then h = np.logical_or(h, part:ne(0)) else h = h + part:astype(nt) end
    end
  else
    local cum, zero = np.zeros(nbins + 1, nt), np.zeros(1, nt)
    local inner, last = e64[{{1, -2}}], e64[{{-1, -1}}]
    for s = 1, n, HIST_BLOCK do
      local e = math.min(s + HIST_BLOCK - 1, n)
      local xs, ws = xf[{{s, e}}], wf[{{s, e}}]
      local order = np._argsort_numpy(xs)   -- NumPy's tie order decides the rounding
      local sa = xs[order]:astype("float64")
      local cw = np.concatenate{zero, ws[order]:cumsum()}
      -- searchsorted positions count from 1, so they index cw as NumPy's 0-based ones
      local at = np.concatenate{sa:searchsorted(inner), sa:searchsorted(last, {side = "right"})}
      cum = cum + cw[at]
    end
    h = np.diff(cum)
  end
  if o.density then
    local total = h:sum()
    if type(total) == "boolean" then total = total and 1 or 0 end
    return h:astype("float64") / np.diff(edges):astype("float64") / total, edges
  end
  return h, edges
end

-- histogram with a rule name for bins: the count and range the rule gives.
-- float32 data with a count or a rule for bins (or float32 edges) gets
-- float32 edges, as NumPy's (linspace in float64, then rounded to float32),
-- and is counted against those rounded edges as NumPy counts.
do
  local c_histogram = np.histogram
  np.histogram = function(a, bins, o, ...)
    if is_opts(bins) and o == nil then bins, o = nil, bins end
    local b = bins
    if b == nil and type(o) == "table" then b = o.bins end
    if type(o) == "table" and o.weights ~= nil and select("#", ...) == 0 then
      check_opts(o, {"bins", "range", "density", "weights"}, "np.histogram")
      return weighted_histogram(c_histogram, a, b, o)
    end
    local f32 = is_array(a) and a.dtype == "float32" and select("#", ...) == 0
    if type(b) ~= "string" and not f32 then return c_histogram(a, bins, o, ...) end
    check_opts(o, {"bins", "range", "density", "weights"}, "np.histogram")
    if f32 then
      local edges, nb = bin_edges(a, b, o and o.range, o and o.weights, "np.histogram")
      if nb ~= nil or edges.dtype == "float32" then
        local o2 = {}
        for k, v in pairs(o or {}) do o2[k] = v end
        o2.bins, o2.range, o2.density = nil, nil, nil
        local h = c_histogram(a, edges:astype("float64"), o2)
        if o and o.density then   -- NumPy divides by widths taken in float32
          return h:astype("float64") / np.diff(edges):astype("float64") / h:sum(), edges
        end
        -- weighted counts take the weights' dtype (summed in float64 first)
        if is_array(o and o.weights) and o.weights.dtype == "float32" then h = h:astype("float32") end
        return h, edges
      end
      if type(b) ~= "string" then return c_histogram(a, bins, o) end
    end
    local _, nb, lo, hi = bin_edges(a, b, o and o.range, o and o.weights, "np.histogram")
    local o2 = {}
    for k, v in pairs(o or {}) do o2[k] = v end
    o2.bins, o2.range = nb, {lo, hi}
    return c_histogram(a, o2)
  end
end

-- }=====================================================================

-- {=====================================================================
-- Error messages name the public function (issue 10: no internal error leaks)
-- ======================================================================

-- An error inside f is re-raised as "<fname>: ...": no position inside this
-- file, no "bad argument #1 to 'f'" naming a local of this file.
local function named(fname, f)
  local short = fname:match("([^%.:]+)$")
  return function(...)
    local r = table.pack(pcall(f, ...))
    if r[1] then return table.unpack(r, 2, r.n) end
    local msg = r[2]
    if type(msg) ~= "string" then error(msg, 0) end
    msg = msg:gsub("%[geolab%.[%w_]+%]:%d+: ", ""):gsub("bad argument #(%d+) to '[^']*'", "bad argument #%1")
    if not msg:find(short, 1, true) then msg = fname .. ": " .. msg end
    error(msg)   -- at the user's line (gl_moderror.c)
  end
end

for _, name in ipairs{"zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "clip", "linspace", "logspace", "eye", "arange", "diff", "concatenate", "meshgrid", "polyval", "polyfit",
    "roots", "poly1d", "polyadd", "polysub", "polymul", "polyder", "polyint", "convolve", "cov", "corrcoef",
    "histogram_bin_edges", "histogram"} do
  np[name] = named("np." .. name, np[name])
end
ARRAY_MT.__methods.diff = np.diff
ARRAY_MT.__methods.clip = np.clip
do
  local R = np.random
  for name in pairs(rnd_params) do R[name] = named("np.random." .. name, R[name]) end
  for _, name in ipairs{"rand", "randn", "randint"} do R[name] = named("np.random." .. name, R[name]) end
  local GM = getmetatable(R.Generator(0))
  local G = GM.__index
  for name in pairs(rnd_params) do G[name] = named("np.random.Generator:" .. name, G[name]) end
  -- strict: g:normall() says "did you mean 'normal'?" (util.member_index)
  GM.__index = util.member_index(G, "Generator")
  GM.__methods = G   -- REPL completion
end

-- }=====================================================================

require "geolab.array_fft"   -- np.fft's n-dimensional transforms

return np
