-- nn_tensor_print.lua: tostring(tensor) as PyTorch 1.13 prints it
-- (torch/_tensor_str.py): tensor([...], dtype=..., grad_fn=<...>), four
-- decimals, one width for all elements, scientific notation for wide ranges,
-- rows wrapped at 80 columns, 3 edge items past 1000 elements.
local T = require "geolab.nn_tensor"

local LINEWIDTH, EDGE, THRESHOLD, PREC = 80, 3, 1000, 4

local function special(v)
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" end
  if v == -math.huge then return "-inf" end
end

-- The formatter of _tensor_str.py: width and mode from the values.
local function formatter(flat, floating)
  local f = {int_mode = true, sci = false, width = 1, floating = floating}
  if not floating then
    for _, v in ipairs(flat) do
      local s = type(v) == "boolean" and (v and "True" or "False") or tostring(math.tointeger(v) or v)
      if #s > f.width then f.width = #s end
    end
    return f
  end
  local nz = {}
  for _, v in ipairs(flat) do
    if v == v and v ~= math.huge and v ~= -math.huge and v ~= 0 then nz[#nz + 1] = v end
  end
  if #nz == 0 then return f end
  local mn, mx = math.huge, 0
  for _, v in ipairs(nz) do
    local a = math.abs(v)
    if a < mn then mn = a end
    if a > mx then mx = a end
    if f.int_mode and v ~= math.ceil(v) then f.int_mode = false end
  end
  local fmt, extra
  if f.int_mode then
    if mx / mn > 1000 or mx > 1e8 then f.sci = true; fmt, extra = "%." .. PREC .. "e", 0
    else fmt, extra = "%.0f", 1 end
  else
    if mx / mn > 1000 or mx > 1e8 or mn < 1e-4 then f.sci = true; fmt, extra = "%." .. PREC .. "e", 0
    else fmt, extra = "%." .. PREC .. "f", 0 end
  end
  for _, v in ipairs(nz) do
    local n = #fmt:format(v) + extra
    if n > f.width then f.width = n end
  end
  return f
end

local function fmt_value(f, v)
  local s
  if not f.floating then
    s = type(v) == "boolean" and (v and "True" or "False") or tostring(math.tointeger(v) or v)
  else
    s = special(v)
    if not s then
      if f.sci then s = ("%." .. PREC .. "e"):format(v)
      elseif f.int_mode then s = ("%.0f"):format(v) .. "."
      else s = ("%." .. PREC .. "f"):format(v) end
    end
  end
  return (" "):rep(f.width - #s) .. s
end

local function vector_str(row, indent, summarize, f)
  local per_line = math.max(1, (LINEWIDTH - indent) // (f.width + 2))
  local data = {}
  if summarize and #row > 2 * EDGE then
    for i = 1, EDGE do data[#data + 1] = fmt_value(f, row[i]) end
    data[#data + 1] = " ..."
    for i = #row - EDGE + 1, #row do data[#data + 1] = fmt_value(f, row[i]) end
  else
    for i = 1, #row do data[i] = fmt_value(f, row[i]) end
  end
  local lines = {}
  for i = 1, #data, per_line do
    lines[#lines + 1] = table.concat(data, ", ", i, math.min(i + per_line - 1, #data))
  end
  return "[" .. table.concat(lines, ",\n" .. (" "):rep(indent + 1)) .. "]"
end

local function tensor_str(t, dim, indent, summarize, f)
  if dim == 1 then return vector_str(t, indent, summarize, f) end
  local slices = {}
  if summarize and #t > 2 * EDGE then
    for i = 1, EDGE do slices[#slices + 1] = tensor_str(t[i], dim - 1, indent + 1, summarize, f) end
    slices[#slices + 1] = "..."
    for i = #t - EDGE + 1, #t do slices[#slices + 1] = tensor_str(t[i], dim - 1, indent + 1, summarize, f) end
  else
    for i = 1, #t do slices[i] = tensor_str(t[i], dim - 1, indent + 1, summarize, f) end
  end
  return "[" .. table.concat(slices, "," .. ("\n"):rep(dim - 1) .. (" "):rep(indent + 1)) .. "]"
end

local function flatten(x, out)
  for _, v in ipairs(x) do
    if type(v) == "table" then flatten(v, out) else out[#out + 1] = v end
  end
  return out
end

-- The values the formatter sees: the edge items only, past the threshold.
local function summarized(x, dim)
  if dim == 0 then return x end
  local out = {}
  local keep = #x > 2 * EDGE
  for i = 1, #x do
    if not keep or i <= EDGE or i > #x - EDGE then out[#out + 1] = summarized(x[i], dim - 1) end
  end
  return out
end

local function tensor_tostring(t)
  local x = t.data
  local prefix = "tensor("
  local indent = #prefix
  local suffixes = {}
  local dt = x.dtype
  local floating = dt == "float32" or dt == "float64"
  local body
  if x.size == 0 then
    if x.ndim ~= 1 then suffixes[#suffixes + 1] = "size=" .. T.shape_str(x.shape) end
    if dt ~= "float32" then suffixes[#suffixes + 1] = "dtype=torch." .. dt end
    body = "[]"
  else
    if dt ~= "float32" and dt ~= "int64" and dt ~= "bool" then
      suffixes[#suffixes + 1] = "dtype=torch." .. dt
    end
    local vals = x:totable()
    local summarize = x.size > THRESHOLD
    if x.ndim == 0 then
      body = fmt_value(formatter({vals}, floating), vals)
    else
      local fv = summarize and summarized(vals, x.ndim) or vals
      local f = formatter(flatten(fv, {}), floating)
      body = tensor_str(vals, x.ndim, indent, summarize, f)
    end
  end
  local gf = rawget(t, "grad_fn")
  if gf then suffixes[#suffixes + 1] = "grad_fn=<" .. gf.name .. ">"
  elseif t.requires_grad then suffixes[#suffixes + 1] = "requires_grad=True" end
  local s = prefix .. body
  local parts = {s}
  local nl = s:match(".*()\n")
  local last = nl and (#s - nl + 2) or (#s + 2)
  for _, suf in ipairs(suffixes) do
    if last + #suf + 2 > LINEWIDTH then
      parts[#parts + 1] = ",\n" .. (" "):rep(indent) .. suf
      last = indent + #suf
    else
      parts[#parts + 1] = ", " .. suf
      last = last + #suf + 2
    end
  end
  parts[#parts + 1] = ")"
  if rawget(t, "_param") then return "Parameter containing:\n" .. table.concat(parts) end
  return table.concat(parts)
end

T.TMT.__tostring = tensor_tostring
return T
