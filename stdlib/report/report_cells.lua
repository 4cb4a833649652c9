-- report_cells.lua: cells in Lua scripts (jupytext's percent format) and a
-- small Lua tokenizer, used to split a script, to share top-level locals
-- between cells and to highlight code.
--   -- %%                 a code cell (anything after %% is its title)
--   -- %% [markdown]      a Markdown cell: its lines are `--` comments
-- Lines before the first marker form a code cell of their own when they hold
-- any code (a shebang line and blank lines do not count).
local C = {}

local KEYWORDS = {}
for k in ("and break do else elseif end false for function goto if in local nil not or repeat return " ..
          "then true until while"):gmatch("%a+") do KEYWORDS[k] = true end
C.KEYWORDS = KEYWORDS

-- The level of a long bracket opening at i ("[[", "[==["), or nil.
local function long_open (s, i)
  local eq = s:match("^%[(=*)%[", i)
  return eq and #eq
end

-- C.tokens(src) -> list of {kind, text}: kinds "space", "comment", "string",
-- "number", "keyword", "name", "op". Concatenating the texts gives src back;
-- an unfinished string or comment runs to the end.
function C.tokens (src)
  local toks, i, n = {}, 1, #src
  local function add (kind, j) toks[#toks + 1] = {kind, src:sub(i, j)}; i = j + 1 end
  while i <= n do
    local c = src:sub(i, i)
    if c:find("%s") then add("space", (src:find("[^%s]", i) or n + 1) - 1)
    elseif src:find("^%-%-", i) then
      local lv = long_open(src, i + 2)
      if lv then
        local _, e = src:find("]" .. ("="):rep(lv) .. "]", i + 4 + lv, true)
        add("comment", e or n)
      else add("comment", (src:find("\n", i, true) or n + 1) - 1) end
    elseif c == "[" and long_open(src, i) then
      local lv = long_open(src, i)
      local _, e = src:find("]" .. ("="):rep(lv) .. "]", i + 2 + lv, true)
      add("string", e or n)
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == c or d == "\n" then break
        else j = j + 1 end
      end
      add("string", math.min(j, n))
    elseif c:find("%d") or (c == "." and src:find("^%.%d", i)) then
      local j = src:match("^0[xX]()", i)
      if j then j = src:match("^[%x%.]*()", j); j = src:match("^[pP][-+]?%d*()", j) or j
      else j = src:match("^[%d%.]*()", i); j = src:match("^[eE][-+]?%d*()", j) or j end
      add("number", j - 1)
    elseif c:find("[%a_]") then
      local j = src:match("^[%w_]*()", i)
      local w = src:sub(i, j - 1)
      add(KEYWORDS[w] and "keyword" or "name", j - 1)
    else
      local op = src:match("^%.%.%.", i) or src:match("^[=~<>]=", i) or src:match("^//", i) or
                 src:match("^::", i) or src:match("^<<", i) or src:match("^>>", i) or src:match("^%.%.", i) or c
      add("op", i + #op - 1)
    end
  end
  return toks
end

local OPEN = {["function"] = 1, ["if"] = 1, ["do"] = 1, ["repeat"] = 1}
local CLOSE = {["end"] = true, ["until"] = true}

-- C.depth(src) -> the block depth at the end of src (0: balanced).
function C.depth (src)
  local d = 0
  for _, t in ipairs(C.tokens(src)) do
    if t[1] == "keyword" then
      if OPEN[t[2]] then d = d + 1 elseif CLOSE[t[2]] then d = d - 1 end
    end
  end
  return d
end

-- C.globalize(src) -> src with its top-level `local` declarations made
-- assignments, so that the names live in the environment the cells share
-- (a notebook's globals): `local a, b <const> = 1, 2` -> `a, b = 1, 2`,
-- `local x` -> `x = nil`, `local function f` -> `function f`. A
-- declaration with a <close> variable is left alone: it must close at the
-- end of its cell. Line breaks are kept, so line numbers stay the script's.
function C.globalize (src)
  local toks = C.tokens(src)
  local depth, out, i = 0, {}, 1
  local function skip (j)   -- next significant token from j
    while toks[j] and (toks[j][1] == "space" or toks[j][1] == "comment") do j = j + 1 end
    return j
  end
  while i <= #toks do
    local t = toks[i]
    if t[1] == "keyword" and t[2] == "local" and depth == 0 then
      local j = skip(i + 1)
      if toks[j] and toks[j][2] == "function" then
        i = i + 1   -- drop `local`: `function f` defines it in the environment
        goto continue
      end
      -- a name list with attributes; look for <close> first
      local k, names, close, last = j, {}, false, nil
      while toks[k] and toks[k][1] == "name" do
        names[#names + 1] = k
        last = k
        local a = skip(k + 1)
        if toks[a] and toks[a][2] == "<" then
          local an, gt = skip(a + 1), nil
          gt = skip(an + 1)
          if toks[an] and toks[an][2] == "close" then close = true end
          if toks[gt] and toks[gt][2] == ">" then last = gt; a = skip(gt + 1) end
        end
        if toks[a] and toks[a][2] == "," then k = skip(a + 1) else break end
      end
      if close or #names == 0 then out[#out + 1] = t[2]; i = i + 1; goto continue end
      -- copy the names (their spacing, not the attributes), then `= nil` if bare
      for idx, nk in ipairs(names) do
        if idx > 1 then out[#out + 1] = ", " end
        out[#out + 1] = toks[nk][2]
      end
      local after = skip(last + 1)
      for m = last + 1, after - 1 do out[#out + 1] = toks[m][2] end   -- keep line breaks
      local eqk = toks[after] and toks[after][2] == "="
      if not eqk then out[#out + 1] = " = nil " end
      -- line breaks inside the declaration itself must survive
      for m = i + 1, last do
        local _, nl = toks[m][2]:gsub("\n", "")
        if nl > 0 then out[#out + 1] = ("\n"):rep(nl) end
      end
      i = after
      goto continue
    end
    if t[1] == "keyword" then
      if OPEN[t[2]] then depth = depth + 1 elseif CLOSE[t[2]] then depth = depth - 1 end
    end
    out[#out + 1] = t[2]
    i = i + 1
    ::continue::
  end
  return table.concat(out)
end

-- C.marker(line) -> nil, or kind ("code" or "markdown") and the title
local function marker (line)
  local rest = line:match("^%-%-%s*%%%%(.*)$")
  if not rest then return nil end
  if rest ~= "" and not rest:find("^%s") then return nil end   -- "-- %%foo" is a comment
  local kind = "code"
  local t = rest:gsub("%[(%w+)%]", function (w)
    w = w:lower()
    if w == "markdown" or w == "md" then kind = "markdown" elseif w == "raw" then kind = "raw" end
    return ""
  end)
  t = t:gsub('%s+%w+="[^"]*"', ""):match("^%s*(.-)%s*$")
  return kind, t
end
C.marker = marker

-- The text of a Markdown cell: each line without its `--` and one space.
local function markdown_text (lines)
  local out = {}
  for _, l in ipairs(lines) do
    local body = l:match("^%-%-%s?(.*)$")
    out[#out + 1] = body or l
  end
  return out
end

local function trim_blank (lines)
  local a, b = 1, #lines
  while a <= b and lines[a]:find("^%s*$") do a = a + 1 end
  while b >= a and lines[b]:find("^%s*$") do b = b - 1 end
  return a, b
end

-- C.split(src) -> list of cells {kind = "code"|"markdown"|"raw", title,
-- source (text shown: blank lines around trimmed), line (the script line of
-- source's first line), code (what runs: the source padded with empty lines
-- so that line numbers are the script's)}, and whether markers were found.
function C.split (src)
  local lines = {}
  for l in (src:gsub("\r\n", "\n") .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
  if #lines > 0 and src:sub(-1) == "\n" then lines[#lines] = nil end
  if lines[1] and lines[1]:find("^#") then lines[1] = "" end   -- shebang: loadfile skips it too
  local cells, cur, found = {}, {kind = "code", first = 1, lines = {}}, false
  local function flush ()
    local body = cur.kind == "markdown" and markdown_text(cur.lines) or cur.lines
    local a, b = trim_blank(body)
    if a <= b or cur.marked then
      local shown = table.concat(body, "\n", a, b)
      local cell = {kind = cur.kind, title = cur.title or "", source = shown, line = cur.first + a - 1}
      if cur.kind == "code" then
        cell.code = ("\n"):rep(cur.first - 1) .. table.concat(cur.lines, "\n")
      end
      cells[#cells + 1] = cell
    end
  end
  -- a marker inside an open block (a function spanning markers) is not a
  -- boundary: the cell goes on to the block's end
  for n, l in ipairs(lines) do
    local kind, title = marker(l)
    if kind and (cur.kind ~= "code" or C.depth(table.concat(cur.lines, "\n")) <= 0) then
      flush()
      found = true
      cur = {kind = kind, title = title, first = n + 1, lines = {}, marked = true}
    else
      cur.lines[#cur.lines + 1] = l
    end
  end
  flush()
  return cells, found
end

-- C.join(cells) -> script text in the percent format (geolab convert):
-- cells separated by a blank line, Markdown as `-- ` comment lines.
function C.join (cells)
  local out = {}
  for i, c in ipairs(cells) do
    if i > 1 then out[#out + 1] = "" end
    local head = c.kind == "markdown" and "-- %% [markdown]" or c.kind == "raw" and "-- %% [raw]" or "-- %%"
    if c.title and c.title ~= "" then head = head:gsub("^%-%- %%%%", "-- %%%% " .. c.title:gsub("%%", "%%%%")) end
    out[#out + 1] = head
    local src = c.source:gsub("\n+$", "")
    if c.kind ~= "code" then
      for l in (src .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = l == "" and "--" or "-- " .. l end
      if src == "" then out[#out] = nil end
    elseif src ~= "" then out[#out + 1] = src end
  end
  return table.concat(out, "\n") .. "\n"
end

return C
