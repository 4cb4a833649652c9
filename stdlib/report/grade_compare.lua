-- grade_compare.lua: the numbers a cell printed, and a submission's summary
-- compared with the teacher's reference summary (geolab grade --expected):
-- every printed number within a tolerance, every figure hash equal.
local M = {}

-- M.numbers(text) -> list of the numbers in text, in order ("nan", "inf"
-- and "-inf" kept as strings, JSON has no such numbers).
function M.numbers (text)
  local out, pos, n = {}, 1, #text
  local WORD = "%f[%a%-][%-]?[iInN][naNA][fFnN]%f[%A]"
  local ws, we = text:find(WORD)   -- the next nan/inf, found once, not at every number
  while pos <= n do
    if ws and ws < pos then ws, we = text:find(WORD, pos) end
    local s = text:find("[%-%+]?%.?%d", pos)
    if ws and (not s or ws < s) then
      local w = text:sub(ws, we):lower()
      out[#out + 1] = w == "-nan" and "nan" or w
      pos = we + 1
    elseif not s then break
    else
      -- the longest number starting at s
      local tok = text:match("^[%-%+]?%d*%.?%d+[eE][%-%+]?%d+", s) or text:match("^[%-%+]?%d+%.?%d*[eE][%-%+]?%d+", s)
               or text:match("^[%-%+]?%d+%.%d*", s) or text:match("^[%-%+]?%.%d+", s) or text:match("^[%-%+]?%d+", s)
               or text:sub(s, s)
      local v = tonumber(tok)
      if v then out[#out + 1] = v end
      pos = s + #tok
    end
  end
  return out
end

local function close (a, b, rtol, atol)
  if type(a) == "string" or type(b) == "string" then return a == b end
  return math.abs(a - b) <= atol + rtol * math.abs(b)
end

-- M.compare(summary, ref, rtol, atol) -> {equal, rtol, atol, differences = {...}}
-- Each difference: {cell, what, index, got, expected}.
function M.compare (s, ref, rtol, atol)
  local diffs = {}
  local function diff (cell, what, index, got, expected)
    diffs[#diffs + 1] = {cell = cell, what = what, index = index, got = got, expected = expected}
  end
  local rc = ref.cells or {}
  for i = 1, math.max(#s.cells, #rc) do
    local a, b = s.cells[i], rc[i]
    if not a then diff(i, "cell missing", nil, nil, b.status)
    elseif not b then diff(i, "extra cell", nil, a.status, nil)
    else
      if a.status ~= b.status then diff(i, "status", nil, a.status, b.status) end
      local na, nb = a.numbers or {}, b.numbers or {}
      if #na ~= #nb then diff(i, "count of printed numbers", nil, #na, #nb) end
      for k = 1, math.min(#na, #nb) do
        if not close(na[k], nb[k], rtol, atol) then diff(i, "number", k, na[k], nb[k]) end
      end
      local fa, fb = a.figures or {}, b.figures or {}
      if #fa ~= #fb then diff(i, "count of figures", nil, #fa, #fb) end
      for k = 1, math.min(#fa, #fb) do
        if fa[k] ~= fb[k] then diff(i, "figure sha256", k, fa[k], fb[k]) end
      end
    end
  end
  return {equal = #diffs == 0, rtol = rtol, atol = atol, differences = diffs}
end

function M.headline (c)
  if c.equal then return ("same results as the reference (rtol %g, atol %g)"):format(c.rtol, c.atol) end
  local first = c.differences[1]
  return ("%d difference%s from the reference (rtol %g), first: cell %d %s%s: got %s, expected %s"):format(
    #c.differences, #c.differences == 1 and "" or "s", c.rtol, first.cell, first.what,
    first.index and (" " .. first.index) or "", tostring(first.got), tostring(first.expected))
end

return M
