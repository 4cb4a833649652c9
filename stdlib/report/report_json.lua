-- report_json.lua: a small JSON reader and writer for notebooks (.ipynb) and
-- run manifests. Objects keep a written key order: a table may list its keys
-- in order in field `[json.ORDER]`; otherwise keys are sorted, so the same
-- data always gives the same bytes. Arrays are Lua sequences; an empty table
-- is written as [] unless marked with json.object().
local json = {}

json.ORDER = setmetatable({}, {__name = "json.ORDER"})   -- a private key
local OBJECT = setmetatable({}, {__name = "json.OBJECT"})
json.null = setmetatable({}, {__name = "json.null", __tostring = function () return "null" end})

-- json.object(t[, keys]): t written as an object, keys in the given order.
function json.object (t, keys)
  t = t or {}
  t[OBJECT] = true
  if keys then t[json.ORDER] = keys end
  return t
end

local ESC = {['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
             ["\r"] = "\\r", ["\t"] = "\\t"}
local function quote (s)
  return '"' .. s:gsub('[%c"\\]', function (c)
    return ESC[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function is_array (t)
  if t[OBJECT] then return false end
  local n = #t
  for k in pairs(t) do
    if k ~= json.ORDER and (math.type(k) ~= "integer" or k < 1 or k > n) then return false end
  end
  return true
end

local function keys_of (t)
  if t[json.ORDER] then return t[json.ORDER] end
  local ks = {}
  for k in pairs(t) do
    if type(k) == "string" then ks[#ks + 1] = k
    elseif k ~= json.ORDER and k ~= OBJECT then error("json: object keys must be strings, got " .. type(k)) end
  end
  table.sort(ks)
  return ks
end

local function num (x)
  if math.type(x) == "integer" then return tostring(x) end
  if x ~= x or x == math.huge or x == -math.huge then error("json: cannot write NaN or infinity", 0) end
  if x == math.floor(x) and math.abs(x) < 2 ^ 53 then return ("%d"):format(x) end
  local s = ("%.15g"):format(x)
  if tonumber(s) ~= x then s = ("%.17g"):format(x) end
  return s
end

-- json.encode(v[, indent]): indent (spaces per level) as Jupyter's 1, or
-- nil for one line.
function json.encode (v, indent)
  local out = {}
  local function put (x, depth)
    local t = type(x)
    if x == json.null or x == nil then out[#out + 1] = "null"
    elseif t == "boolean" then out[#out + 1] = tostring(x)
    elseif t == "number" then out[#out + 1] = num(x)
    elseif t == "string" then out[#out + 1] = quote(x)
    elseif t == "table" then
      local nl = indent and "\n" .. (" "):rep(indent * (depth + 1)) or ""
      local close = indent and "\n" .. (" "):rep(indent * depth) or ""
      if is_array(x) then
        if #x == 0 then out[#out + 1] = "[]"; return end
        out[#out + 1] = "["
        for i = 1, #x do
          out[#out + 1] = (i > 1 and "," or "") .. nl
          put(x[i], depth + 1)
        end
        out[#out + 1] = close .. "]"
      else
        local ks, n = keys_of(x), 0
        for _, k in ipairs(ks) do
          if x[k] ~= nil then   -- a key listed in the order but absent is left out
            out[#out + 1] = (n > 0 and "," or "{") .. nl .. quote(k) .. (indent and ": " or ":")
            n = n + 1
            put(x[k], depth + 1)
          end
        end
        if n == 0 then out[#out + 1] = "{}"; return end
        out[#out + 1] = close .. "}"
      end
    else error("json: cannot write a " .. t) end
  end
  put(v, 0)
  return table.concat(out)
end

-- json.decode(s[, what]) -> value, or raises "what: line L: message".
-- Objects come back with their key order in [json.ORDER].
function json.decode (s, what)
  what = what or "json"
  local pos = 1
  local function fail (msg)
    local line = select(2, s:sub(1, pos - 1):gsub("\n", "")) + 1
    error(("%s: line %d: %s"):format(what, line, msg), 0)
  end
  local function ws () pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local value
  local function str ()
    local out, i = {}, pos + 1
    while true do
      local j = s:find('["\\%c]', i)
      if not j then fail("unterminated string") end
      out[#out + 1] = s:sub(i, j - 1)
      local c = s:sub(j, j)
      if c == '"' then pos = j + 1; return table.concat(out) end
      if c ~= "\\" then fail("control character in a string") end
      local e = s:sub(j + 1, j + 1)
      local simple = ({['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t"})[e]
      if simple then out[#out + 1] = simple; i = j + 2
      elseif e == "u" then
        local h = s:match("^%x%x%x%x", j + 2)
        if not h then fail("bad \\u escape") end
        local cp = tonumber(h, 16)
        i = j + 6
        if cp >= 0xD800 and cp <= 0xDBFF then   -- a surrogate pair
          local lo = s:match("^\\u(%x%x%x%x)", i)
          if lo then cp = 0x10000 + (cp - 0xD800) * 0x400 + (tonumber(lo, 16) - 0xDC00); i = i + 6 end
        end
        out[#out + 1] = utf8.char(cp)
      else fail("bad escape \\" .. e) end
    end
  end
  function value ()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t, order = {}, {}
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return json.object(t, order) end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("expected a key") end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        if t[k] == nil then order[#order + 1] = k end
        t[k] = value()
        ws()
        c = s:sub(pos, pos); pos = pos + 1
        if c == "}" then return json.object(t, order) end
        if c ~= "," then pos = pos - 1; fail("expected ',' or '}'") end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value()
        ws()
        c = s:sub(pos, pos); pos = pos + 1
        if c == "]" then return t end
        if c ~= "," then pos = pos - 1; fail("expected ',' or ']'") end
      end
    elseif c == '"' then return str()
    elseif s:find("^true", pos) then pos = pos + 4; return true
    elseif s:find("^false", pos) then pos = pos + 5; return false
    elseif s:find("^null", pos) then pos = pos + 4; return json.null
    else
      local n = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not n or n == "" or not tonumber(n) then fail(c == "" and "unexpected end" or "unexpected '" .. c .. "'") end
      pos = pos + #n
      return math.tointeger(tonumber(n)) or tonumber(n)
    end
  end
  local v = value()
  ws()
  if pos <= #s then fail("text after the value") end
  return v
end

return json
