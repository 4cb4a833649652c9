-- pyformat.lua: Python's format(value, spec) for numbers, so that a format
-- copied from a notebook (sklearn's values_format=".2f", ".1%", "d";
-- f"{x:,.0f}") prints what Python prints; printf-style specs ("%.2f") work
-- too. geolab.pyformat: P.compile(spec) -> function(number) -> string, or
-- nil and the reason the spec is not understood.
local P = {}

-- Python's repr of a float: the shortest digits that round-trip, ".0" on integers.
local function float_repr(x)
  local s
  for p = 1, 17 do
    s = ("%." .. p .. "g"):format(x)
    if tonumber(s) == x then break end
  end
  local m, e = s:match("^(-?[%d%.]+)e([-+]%d+)$")
  if m then
    local ei = tonumber(e)
    if ei >= -4 and ei < 16 then
      s = ("%.17f"):format(x):gsub("0+$", "")
      if s:sub(-1) == "." then s = s .. "0" end
      return s
    end
    return ("%se%s%02d"):format(m, ei < 0 and "-" or "+", math.abs(ei))
  end
  if not s:find("[%.n]") then s = s .. ".0" end
  return s
end

-- "1234567.5" -> "1,234,567.5"
local function group(digits, sep)
  local int, rest = digits:match("^(%d+)(.*)$")
  if not int then return digits end
  int = int:reverse():gsub("(%d%d%d)", "%1" .. sep):reverse()
  if int:sub(1, 1) == sep then int = int:sub(2) end
  return int .. rest
end

-- Parses [[fill]align][sign][#][0][width][grouping][.precision][type].
local function parse(spec)
  local i, f = 1, {}
  local c1, c2 = spec:sub(1, 1), spec:sub(2, 2)
  if c2 ~= "" and c2:match("[<>=^]") then f.fill, f.align, i = c1, c2, 3
  elseif c1 ~= "" and c1:match("[<>=^]") then f.align, i = c1, 2 end
  local c = spec:sub(i, i)
  if c:match("^[-+ ]$") then f.sign, i = c, i + 1 end
  if spec:sub(i, i) == "#" then f.alt, i = true, i + 1 end
  if spec:sub(i, i) == "0" then f.zero, i = true, i + 1 end
  local w = spec:match("^%d+", i)
  if w then f.width, i = tonumber(w), i + #w end
  c = spec:sub(i, i)
  if c == "," or c == "_" then f.group, i = c, i + 1 end
  local p = spec:match("^%.(%d+)", i)
  if p then f.prec, i = tonumber(p), i + #p + 1 end
  local t = spec:sub(i)
  if #t > 1 or (t ~= "" and not t:match("[dfFeEgGn%%]")) then return nil end
  f.type = t
  return f
end

local function pad(s, f, numeric)
  local w = f.width or 0
  if #s >= w then return s end
  local fill = f.fill or " "
  local align = f.align or (numeric and ">" or "<")
  if f.zero and not f.align then fill, align = "0", "=" end
  local n = w - #s
  if align == "<" then return s .. fill:rep(n)
  elseif align == ">" then return fill:rep(n) .. s
  elseif align == "^" then return fill:rep(n // 2) .. s .. fill:rep(n - n // 2) end
  local sgn, body = s:match("^([-+ ]?)(.*)$")   -- "=": padding after the sign
  return sgn .. fill:rep(n) .. body
end

local function python(spec)
  local f = parse(spec)
  if not f then return nil end
  local t = f.type
  return function(v)
    if type(v) ~= "number" then error(("format spec '%s' needs a number, got %s"):format(spec, type(v)), 2) end
    local neg = v < 0 or (v == 0 and 1 / v < 0)
    local a = math.abs(v)
    local body
    if v ~= v then body, neg = "nan", false
    elseif a == math.huge then body = "inf"
    elseif t == "d" then
      if math.type(v) ~= "integer" and v ~= math.floor(v) then
        error(("format spec '%s': code 'd' needs an integer value, got %s (Python raises ValueError; use '.0f')"):format(
          spec, float_repr(v)), 2)
      end
      body = ("%d"):format(math.tointeger(a) or a)
    elseif t == "" then
      if math.type(v) == "integer" then body = ("%d"):format(a)
      elseif f.prec then body = ("%." .. math.max(f.prec, 1) .. "g"):format(a)
      else body = float_repr(a) end
    elseif t == "%" then body = ("%." .. (f.prec or 6) .. "f"):format(a * 100) .. "%"
    else
      local ct = t == "n" and "g" or t == "F" and "f" or t   -- Lua has no %F: only inf/nan differ, handled below
      local p = f.prec or 6
      if (ct == "g" or ct == "G") and p == 0 then p = 1 end
      body = ("%" .. (f.alt and "#" or "") .. "." .. p .. ct):format(a)
    end
    if (v ~= v or a == math.huge) then
      if t == "%" then body = body .. "%" end
      if t == "F" or t == "E" or t == "G" then body = body:upper() end
    end
    if f.group then body = group(body, f.group) end
    local sign = neg and "-" or (f.sign == "+" and "+" or f.sign == " " and " " or "")
    return pad(sign .. body, f, true)
  end
end

-- A printf-style spec: one conversion, literal text around it ("%.1f %%").
local function printf(spec)
  local n, conv = 0, nil
  for flags, c in spec:gmatch("%%([-+ #0]*%d*%.?%d*)(.)") do
    if c ~= "%" then n = n + 1; conv = c end
    if c ~= "%" and not c:match("[dieEfgG]") then return nil end
    if c == "%" and flags ~= "" then return nil end
  end
  if n ~= 1 then return nil end
  return function(v)
    if type(v) ~= "number" then error(("format '%s' needs a number, got %s"):format(spec, type(v)), 2) end
    if (conv == "d" or conv == "i") then
      if v ~= math.floor(v) then
        error(("format '%s': %%%s needs an integer value, got %s"):format(spec, conv, float_repr(v)), 2)
      end
      v = math.tointeger(v) or v
    end
    return spec:format(v)
  end
end

function P.compile(spec)
  if type(spec) ~= "string" then return nil, "a format must be a string" end
  local fn = spec:find("%", 1, true) and spec:find("%%[-+ #0]*%d*%.?%d*[dieEfgG]") and printf(spec) or python(spec)
  if not fn then
    return nil, ("'%s' is neither a Python format spec ('d', '.2f', '.1%%', ',.0f', '.2g') nor a printf format ('%%.2f')"):format(spec)
  end
  return fn
end

-- P.format(spec, v): format(v, spec) in one call; raises on a bad spec.
function P.format(spec, v)
  local fn, err = P.compile(spec)
  if not fn then error(err, 2) end
  return fn(v)
end

return P
