-- frame_query.lua: df:query("a > 1 and b == 'x'"), pandas' expression
-- strings parsed by a small recursive-descent parser into Series
-- operations; nothing is ever handed to load(), so a query cannot run code.
-- Grammar (pandas precedence, Python's operators and words):
--   or   := and { ("or" | "|") and }
--   and  := not { ("and" | "&") not }
--   not  := ("not" | "~") not | cmp
--   cmp  := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum | ["not"] "in" list ]
--   sum  := prod { ("+" | "-") prod };  prod := unary { ("*" | "/" | "%") unary }
--   unary := "-" unary | atom;  atom := number | string | name | `name` | "(" or ")"
--   list := "[" [atom { "," atom }] "]"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local util = require "geolab.util"

local Q = {}

local function lex(src, fname)
  local toks, i, n = {}, 1, #src
  local function err(msg) error(("%s: %s at position %d in \"%s\""):format(fname, msg, i, src), 0) end
  while i <= n do
    local c = src:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c:match("%d") or (c == "." and src:sub(i + 1, i + 1):match("%d")) then
      local num = src:match("^%d*%.?%d*[eE][-+]?%d+", i) or src:match("^%d*%.?%d*", i)
      local v = math.tointeger(tonumber(num)) or tonumber(num)
      if v == nil then err("bad number '" .. num .. "'") end
      toks[#toks + 1] = { t = "num", v = v }
      i = i + #num
    elseif c == "'" or c == '"' then
      local j = src:find(c, i + 1, true)
      if not j then err("unterminated string") end
      toks[#toks + 1] = { t = "str", v = src:sub(i + 1, j - 1) }
      i = j + 1
    elseif c == "`" then
      local j = src:find("`", i + 1, true)
      if not j then err("unterminated `name`") end
      toks[#toks + 1] = { t = "name", v = src:sub(i + 1, j - 1) }
      i = j + 1
    elseif c:match("[%a_]") then
      local w = src:match("^[%w_]+", i)
      if w == "and" or w == "or" or w == "not" or w == "in" then toks[#toks + 1] = { t = w }
      elseif w == "True" or w == "true" then toks[#toks + 1] = { t = "bool", v = true }
      elseif w == "False" or w == "false" then toks[#toks + 1] = { t = "bool", v = false }
      else toks[#toks + 1] = { t = "name", v = w } end
      i = i + #w
    elseif c == "@" then err("@variables are not supported (put the value in the string)")
    else
      local two = src:sub(i, i + 1)
      if two == "==" or two == "!=" or two == "<=" or two == ">=" then toks[#toks + 1] = { t = two }; i = i + 2
      elseif c:match("[<>%+%-%*/%%%(%)%[%],&|~]") then toks[#toks + 1] = { t = c }; i = i + 1
      else err("unexpected character '" .. c .. "'") end
    end
  end
  toks[#toks + 1] = { t = "eof" }
  return toks
end

local CMP = { ["=="] = "eq", ["!="] = "ne", ["<"] = "lt", ["<="] = "le", [">"] = "gt", [">="] = "ge" }
local FLIP = { eq = "eq", ne = "ne", lt = "gt", le = "ge", gt = "lt", ge = "le" }

-- Evaluates expression src against frame df: a Series (or a scalar).
function Q.eval(df, src, fname)
  local toks = lex(src, fname)
  local p = 1
  local function peek() return toks[p].t end
  local function take() p = p + 1; return toks[p - 1] end
  local function err(msg) error(("%s: %s in \"%s\""):format(fname, msg, src), 0) end
  local function expect(t) if peek() ~= t then err(("expected '%s', got '%s'"):format(t, peek())) end return take() end
  local orx
  local function atom()
    local tk = take()
    if tk.t == "num" or tk.t == "str" or tk.t == "bool" then return tk.v end
    if tk.t == "name" then
      if df._cols[tk.v] then return S.new(df._cols[tk.v], df._index, tk.v) end
      if tk.v == "index" or tk.v == df._index.name then   -- the index as a column
        return S.new(D.as_col(df._index, df._n, nil, fname), df._index, tk.v)
      end
      local near = util.nearest(tk.v, df._names, #tk.v // 3 + 1)
      err(("column '%s' not found%s"):format(tk.v, near and (" (did you mean '" .. near .. "'?)") or ""))
    end
    if tk.t == "(" then local v = orx(); expect(")"); return v end
    err(("unexpected '%s'"):format(tk.t == "eof" and "end of expression" or tk.t))
  end
  local function unary()
    if peek() == "-" then take(); local v = unary(); return type(v) == "number" and -v or -v end
    return atom()
  end
  local function arith(a, op, b)
    if S.is_series(a) or S.is_series(b) or (type(a) == "number" and type(b) == "number") then
      if op == "+" then return a + b elseif op == "-" then return a - b
      elseif op == "*" then return a * b elseif op == "/" then return a / b else return a % b end
    end
    if op == "+" and type(a) == "string" and type(b) == "string" then return a .. b end
    err("cannot apply '" .. op .. "' to " .. type(a) .. " and " .. type(b))
  end
  local function prod()
    local v = unary()
    while peek() == "*" or peek() == "/" or peek() == "%" do local op = take().t; v = arith(v, op, unary()) end
    return v
  end
  local function sum()
    local v = prod()
    while peek() == "+" or peek() == "-" do local op = take().t; v = arith(v, op, prod()) end
    return v
  end
  local function cmp()
    local a = sum()
    local t = peek()
    if CMP[t] then
      take()
      local b = sum()
      local m = CMP[t]
      if S.is_series(a) then return S.methods[m](a, b) end
      if S.is_series(b) then return S.methods[FLIP[m]](b, a) end
      err("a comparison needs a column")
    end
    local negate = false
    if t == "not" and toks[p + 1].t == "in" then take(); negate = true; t = "in" end
    if t == "in" then
      take()
      expect("[")
      local list = {}
      if peek() ~= "]" then
        list[1] = atom()
        while peek() == "," do take(); list[#list + 1] = atom() end
      end
      expect("]")
      if not S.is_series(a) then err("'in' needs a column on its left") end
      local r = S.methods.isin(a, list)
      return negate and ~r or r
    end
    return a
  end
  local function notx()
    if peek() == "not" or peek() == "~" then take(); local v = notx(); return ~v end
    return cmp()
  end
  local function andx()
    local v = notx()
    while peek() == "and" or peek() == "&" do take(); v = v & notx() end
    return v
  end
  orx = function()
    local v = andx()
    while peek() == "or" or peek() == "|" do take(); v = v | andx() end
    return v
  end
  local v = orx()
  if peek() ~= "eof" then err(("unexpected '%s'"):format(toks[p].v or peek())) end
  return v
end

-- df:query(expr): the rows where the expression holds.
function D.methods.query(df, expr)
  if type(expr) ~= "string" then error("DataFrame.query: expr must be a string", 2) end
  local ok, r = pcall(Q.eval, df, expr, "DataFrame.query")
  if not ok then error(r, 2) end
  if not S.is_series(r) or r._c.kind ~= "bool" then
    error(("DataFrame.query: \"%s\" is not a condition (true/false per row)"):format(expr), 2)
  end
  return D.methods.take(df, require("geolab.frame_core").positions(r._c.data))
end

function D.methods.eval(df, expr)
  if type(expr) ~= "string" then error("DataFrame.eval: expr must be a string", 2) end
  local ok, r = pcall(Q.eval, df, expr, "DataFrame.eval")
  if not ok then error(r, 2) end
  return r
end

return Q
