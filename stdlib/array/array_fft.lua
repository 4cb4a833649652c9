-- array_fft.lua: the n-dimensional transforms of np.fft (fft2, ifft2, fftn,
-- ifftn, rfft2, irfft2, rfftn, irfftn), written as NumPy 1.24 writes them
-- (numpy/fft/_pocketfft.py): one-dimensional transforms of the C part
-- (array_fft.c) along each axis in turn, the last axis first.
local np = require "geolab.array"
local util = require "geolab.util"
local F = np.fft

local ALLOWED = {"s", "axes", "norm"}

-- The public function fname running body: any error, its own or one of the
-- one-dimensional transforms it calls, is raised in fname's name at the
-- caller's line.
local function guard(fname, body)
  return function(...)
    local ok, r = pcall(body, ...)
    if ok then return r end
    local msg = tostring(r):gsub("^%[geolab[^%]]*%]:%d+: ", ""):gsub("^np%.fft%.[%w_]+: ", ""):gsub("^np%.asarray: ", "")
    error(fname .. ": " .. msg, 2)
  end
end
local function call(_, f, ...) return f(...) end

-- f(a[, s][, axes][, norm]) or f(a, {s =, axes =, norm =}).
local function args(fname, a, s, axes, norm, ...)
  if select("#", ...) > 0 then error("too many arguments (a, s, axes, norm, or an options table)", 0) end
  local opts
  if type(norm) == "table" then opts, norm = norm, nil
  elseif norm == nil and type(axes) == "table" and rawget(axes, 1) == nil and next(axes) ~= nil then opts, axes = axes, nil
  elseif axes == nil and norm == nil and type(s) == "table" and rawget(s, 1) == nil and next(s) ~= nil then opts, s = s, nil end
  if opts then
    util.check_options(opts, ALLOWED, fname, 0)
    s, axes, norm = opts.s, opts.axes, opts.norm
  end
  local ta = type(a)
  if ta ~= "userdata" and ta ~= "table" and ta ~= "number" then error("a must be an array, got " .. ta, 0) end
  a = call(fname, np.asarray, a)
  if s ~= nil and type(s) ~= "table" then error("s must be a table of lengths, got " .. type(s), 0) end
  if axes ~= nil and type(axes) ~= "table" then error("axes must be a table of axis numbers, got " .. type(axes), 0) end
  if norm ~= nil and type(norm) ~= "string" then error("norm must be a string, got " .. type(norm), 0) end
  if a.ndim == 0 then error("input must have at least one dimension", 0) end
  return a, s, axes, norm
end

-- NumPy's _cook_nd_args: default lengths from the shape, default axes the last #s.
local function cook(fname, a, s, axes, default_axes, invreal)
  local shapeless = s == nil
  axes = axes or default_axes
  if s == nil then
    s = {}
    if axes == nil then for i = 1, a.ndim do s[i] = a.shape[i] end
    else
      for i, ax in ipairs(axes) do
        if math.type(ax) ~= "integer" or ax < -a.ndim or ax >= a.ndim then
          error(("axis %s is out of bounds for array of dimension %d"):format(tostring(ax), a.ndim), 0)
        end
        s[i] = a.shape[(ax % a.ndim) + 1]
      end
    end
  end
  if axes == nil then axes = {}; for i = 1, #s do axes[i] = i - 1 - #s end end
  if #s ~= #axes then error("shape and axes have different lengths", 0) end
  if #axes == 0 then error("no axes to transform", 0) end
  if invreal and shapeless then
    local ax = axes[#axes]
    s[#s] = (a.shape[(ax % a.ndim) + 1] - 1) * 2
  end
  return s, axes
end

local function raw_nd(fname, f, default_axes)
  return guard(fname, function(...)
    local a, s, axes, norm = args(fname, ...)
    s, axes = cook(fname, a, s, axes, default_axes)
    for i = #axes, 1, -1 do a = call(fname, f, a, s[i], axes[i], norm) end
    return a
  end)
end

local function rfft_nd(fname, default_axes)
  return guard(fname, function(...)
    local a, s, axes, norm = args(fname, ...)
    s, axes = cook(fname, a, s, axes, default_axes)
    a = call(fname, F.rfft, a, s[#s], axes[#axes], norm)
    for i = 1, #axes - 1 do a = call(fname, F.fft, a, s[i], axes[i], norm) end
    return a
  end)
end

local function irfft_nd(fname, default_axes)
  return guard(fname, function(...)
    local a, s, axes, norm = args(fname, ...)
    s, axes = cook(fname, a, s, axes, default_axes, true)
    for i = 1, #axes - 1 do a = call(fname, F.ifft, a, s[i], axes[i], norm) end
    return call(fname, F.irfft, a, s[#s], axes[#axes], norm)
  end)
end

F.fft2 = raw_nd("np.fft.fft2", F.fft, {-2, -1})
F.ifft2 = raw_nd("np.fft.ifft2", F.ifft, {-2, -1})
F.fftn = raw_nd("np.fft.fftn", F.fft, nil)
F.ifftn = raw_nd("np.fft.ifftn", F.ifft, nil)
F.rfft2 = rfft_nd("np.fft.rfft2", {-2, -1})
F.irfft2 = irfft_nd("np.fft.irfft2", {-2, -1})
F.rfftn = rfft_nd("np.fft.rfftn", nil)
F.irfftn = irfft_nd("np.fft.irfftn", nil)

return F
