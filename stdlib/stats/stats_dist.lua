-- stats_dist.lua: scipy.stats' continuous distributions used by the course
-- and by the tests' p-values: norm, t, beta. Each is called as scipy's
-- (stats.norm.cdf(x, loc, scale), stats.t.sf(x, df), stats.beta.pdf(x, a, b))
-- or frozen (local rv = stats.norm(10, 2); rv:ppf(0.975)). Arguments
-- broadcast as NumPy's; invalid parameters (scale <= 0, df <= 0) give NaN as
-- in scipy. The special functions are in C (kernels/stats/special.c).
local np = require "geolab.array"
local util = require "geolab.util"
local core = require "geolab.stats_core"

local M = {}
local SQRT2PI = math.sqrt(2 * math.pi)
local LOG_SQRT2PI = math.log(math.sqrt(2 * math.pi))

-- Converts the arguments to float64 arrays broadcast to one shape; scalar is
-- true when they were all numbers (the result is then a number).
local function broadcast(fname, vals, names)
  local scalar, arrs, shape = true, {}, nil
  for i = 1, #names do
    local v = vals[i]
    if type(v) == "table" then v = util.asarray(v, fname, "float64", 4) end
    if type(v) == "number" then v = np.array({v}, "float64")
    elseif type(v) == "userdata" and getmetatable(v) and v.dtype then
      scalar = false
      if v.dtype:match("^complex") then error(fname .. ": " .. names[i] .. " must be real", 4) end
      v = v:astype("float64")
    else
      error(("%s: %s must be a number or an array, got %s"):format(fname, names[i], type(vals[i])), 4)
    end
    arrs[i] = v
  end
  local z = arrs[1] * 0
  for i = 2, #arrs do
    local ok, s = pcall(function() return z + arrs[i] * 0 end)
    if not ok then error(fname .. ": arguments cannot be broadcast together", 4) end
    z = s
  end
  shape = z.shape
  for i = 1, #arrs do arrs[i] = np.broadcast_to(arrs[i], shape):copy() end
  return arrs, scalar
end

local function unwrap(r, scalar)
  if scalar then return r:reshape{-1}[1] end
  return r
end

-- A distribution: shapes lists its shape parameters (scipy's order); fns maps a
-- method name to f(z, params) on the standardized variable z = (x - loc)/scale,
-- and kind says how loc/scale enter: "x" methods (pdf, cdf...) or "q" (ppf).
local function distribution(name, shapes, fns, extra)
  local fullname = "stats." .. name
  local D = {}
  local Frozen = {__name = fullname .. "_frozen"}
  -- strict: stats.norm(0, 1):cdff(x) says "did you mean 'cdf'?"
  Frozen.__index = util.member_index(Frozen, fullname .. "(...)")
  Frozen.__methods = Frozen   -- REPL completion
  local argnames = {}
  for i, s in ipairs(shapes) do argnames[i] = s end
  argnames[#argnames + 1] = "loc"; argnames[#argnames + 1] = "scale"
  local allowed = {}
  for _, n in ipairs(argnames) do allowed[#allowed + 1] = n end

  -- Reads (x, shapes..., loc, scale) given positionally or in a trailing table.
  local function params(fname, x, ...)
    local pos = table.pack(...)
    local opts
    if pos.n > 0 and type(pos[pos.n]) == "table" and not (getmetatable(pos[pos.n]) and pos[pos.n].dtype)
       and pos[pos.n][1] == nil then
      opts = pos[pos.n]; pos[pos.n] = nil; pos.n = pos.n - 1
    end
    opts = util.check_options(opts, allowed, fname, 3)
    local vals = {}
    for i, n in ipairs(argnames) do
      local v = pos[i]
      if opts[n] ~= nil then
        if v ~= nil then error(("%s: %s given twice"):format(fname, n), 3) end
        v = opts[n]
      end
      if v == nil then
        if n == "loc" then v = 0 elseif n == "scale" then v = 1
        else error(("%s: missing the shape parameter %s"):format(fname, n), 3) end
      end
      vals[i] = v
    end
    if pos.n > #argnames then error(("%s: too many arguments (%d)"):format(fname, pos.n + 1), 3) end
    if x == nil then error(fname .. ": missing the first argument", 3) end
    table.insert(vals, 1, x)
    local names = {"x"}
    for _, n in ipairs(argnames) do names[#names + 1] = n end
    return broadcast(fname, vals, names)
  end

  for method, spec in pairs(fns) do
    local fname = fullname .. "." .. method
    D[method] = function(x, ...)
      local a, scalar = params(fname, x, ...)
      local ns = #shapes
      local loc, scale = a[ns + 2], a[ns + 3]
      local sh = {}
      for i = 1, ns do sh[i] = a[i + 1] end
      local bad = scale:le(0)
      for i = 1, ns do bad = bad:logical_or(sh[i]:le(0)) end
      local r
      if spec.kind == "q" then
        r = spec.f(a[1], sh) * scale + loc
      else
        local z = (a[1] - loc) / scale
        r = spec.f(z, sh)
        if spec.density == "log" then r = r - scale:log()
        elseif spec.density then r = r / scale end
      end
      r = np.where(bad, 0 / 0, r)
      return unwrap(r, scalar)
    end
    Frozen[method] = function(self, x)
      if getmetatable(self) ~= Frozen then error(fname .. ": call it with ':' on a frozen distribution", 2) end
      local args = {}
      for i, n in ipairs(argnames) do args[i] = self.args[n] end
      return D[method](x, table.unpack(args, 1, #argnames))
    end
  end
  for k, f in pairs(extra or {}) do
    D[k] = f
    Frozen[k] = function(self, ...)
      local args = {}
      for i, n in ipairs(argnames) do args[i] = self.args[n] end
      local rest = table.pack(...)
      for i = 1, rest.n do args[#argnames + i] = rest[i] end
      return f(table.unpack(args, 1, #argnames + rest.n))
    end
  end
  Frozen.__tostring = function(self)
    local parts = {}
    for _, n in ipairs(argnames) do parts[#parts + 1] = n .. "=" .. util.repr(self.args[n]) end
    return fullname .. "(" .. table.concat(parts, ", ") .. ")"
  end
  setmetatable(D, {
    __name = fullname,
    __call = function(_, ...)
      local pos = table.pack(...)
      local opts
      if pos.n > 0 and type(pos[pos.n]) == "table" and not (getmetatable(pos[pos.n]) and pos[pos.n].dtype) then
        opts = pos[pos.n]; pos[pos.n] = nil; pos.n = pos.n - 1
      end
      opts = util.check_options(opts, allowed, fullname, 2)
      local args = {}
      for i, n in ipairs(argnames) do
        local v = pos[i]
        if opts[n] ~= nil then v = opts[n] end
        if v == nil then
          if n == "loc" then v = 0 elseif n == "scale" then v = 1
          else error(("%s: missing the shape parameter %s"):format(fullname, n), 2) end
        end
        if type(v) ~= "number" then error(("%s: %s must be a number, got %s"):format(fullname, n, type(v)), 2) end
        args[n] = v
      end
      return setmetatable({args = args}, Frozen)
    end,
    __index = function(_, k)
      if type(k) == "string" and k:sub(1, 1) ~= "_" then util.missing(D, fullname, k, 2) end
    end,
  })
  return D
end

-- ---- norm ----
M.norm = distribution("norm", {}, {
  pdf = {f = function(z) return (-(z * z) / 2.0):exp() / SQRT2PI end, density = true},
  logpdf = {f = function(z) return -(z * z) / 2.0 - LOG_SQRT2PI end, density = "log"},
  cdf = {f = function(z) return core.ndtr(z) end},
  sf = {f = function(z) return core.ndtr(-z) end},
  logcdf = {f = function(z) return core.ndtr(z):log() end},
  logsf = {f = function(z) return core.ndtr(-z):log() end},
  ppf = {f = function(q) return core.ndtri(q) end, kind = "q"},
  isf = {f = function(q) return -core.ndtri(q) end, kind = "q"},
}, {
  mean = function(loc) return loc or 0 end,
  var = function(_, scale) scale = scale or 1; return scale * scale end,
  std = function(_, scale) return scale or 1 end,
  -- stats.norm.rvs(loc, scale, size[, {random_state=}]): draws from
  -- np.random (the run's seeded generator) or from a Generator(seed).
  rvs = function(loc, scale, size, opts)
    if type(size) == "table" and size[1] == nil and opts == nil then opts, size = size, nil end
    opts = util.check_options(opts, {"random_state", "size", "loc", "scale"}, "stats.norm.rvs", 2)
    loc, scale, size = opts.loc or loc or 0, opts.scale or scale or 1, opts.size or size or 1
    if opts.random_state ~= nil then
      local g = np.random.Generator(opts.random_state)
      return g:normal(loc, scale, size)
    end
    return np.random.normal(loc, scale, size)
  end,
})

-- ---- Student's t ----
M.t = distribution("t", {"df"}, {
  pdf = {f = function(z, s)
    local df = s[1]
    local c = (core.gammaln((df + 1) / 2) - core.gammaln(df / 2)):exp() / (df * math.pi):sqrt()
    return c * (1 + z * z / df) ^ (-(df + 1) / 2)
  end, density = true},
  cdf = {f = function(z, s) return core.stdtr(s[1], z) end},
  sf = {f = function(z, s) return core.stdtr(s[1], -z) end},
})

-- ---- beta ----
M.beta = distribution("beta", {"a", "b"}, {
  pdf = {f = function(z, s)
    local a, b = s[1], s[2]
    local inside = z:ge(0):logical_and(z:le(1))
    local zz = np.where(inside, z, 0.5)
    local lb = core.gammaln(a) + core.gammaln(b) - core.gammaln(a + b)
    local v = ((a - 1) * zz:log() + (b - 1) * (1 - zz):log() - lb):exp()
    return np.where(inside, v, 0.0)
  end, density = true},
  cdf = {f = function(z, s)
    local zz = z:clip(0, 1)
    return core.betainc(s[1], s[2], zz)
  end},
  sf = {f = function(z, s)
    local zz = z:clip(0, 1)
    return core.betainc(s[2], s[1], 1 - zz)
  end},
})

-- stats.betainc-like access for the p-values of pearsonr/spearmanr.
M._betainc = core.betainc
M._stdtr = core.stdtr

return M
