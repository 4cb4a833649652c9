-- helpgen.lua: builds help()'s entries from the manual at build time (run by
-- the luarun host tool: luarun helpgen.lua OUT page.md...). It writes the Lua
-- module geolab.help_entries:
--   sections[i] = {page = "arrays.md", title = "...", examples = {"lua code", ...}}
--   units[j]    = {section i, "text of a list item, table row or paragraph",
--                  whether it starts with a code span}
--   index[name] = {j, -k, ...}: units whose code spans name `name`, in page
--                 order; positive when the unit starts with that span (a
--                 definition, docs/dev/conventions.md "Help entries"),
--                 negative for a mention.
-- Names are the leading word of a code span with a method's receiver dropped
-- (`ax:plot(...)` -> ":plot", `np.linspace(...)` -> "np.linspace"), so help()
-- looks entries up by key instead of reading markdown at run time. A page that
-- cannot be read this way (an unclosed code fence, a heading without its
-- space or title, a definition whose brackets do not balance) stops the build
-- with file:line.
local out_path = arg[1]
local pages = {}
for i = 2, #arg do pages[#pages + 1] = arg[i] end
table.sort(pages, function(a, b) return a:match("[^/]+$") < b:match("[^/]+$") end)

local errors = {}
local function fail(file, line, msg)
  errors[#errors + 1] = ("%s:%d: %s"):format(file, line, msg)
end

local sections, units, index = {}, {}, {}

-- The name a code span starts with, receiver dropped; nil if none.
local function span_name(c)
  if c:find("<Tab>", 1, true) then return nil end  -- completion demos, not definitions
  local name = c:match("^[%w_][%w_%.:%[%]]*")
  if not name then return nil end
  name = name:gsub("[%.:]+$", "")
  local recv, meth = name:match("^([%w_%[%]]+):([%w_]+)$")
  if recv then return ":" .. meth end
  if name:find("[:%[%]]") then return nil end
  return name
end

local function balanced(s)
  local stack, close = {}, {[")"] = "(", ["]"] = "[", ["}"] = "{"}
  for ch in s:gmatch("[%(%)%[%]{}]") do
    if close[ch] then
      if stack[#stack] ~= close[ch] then return false end
      stack[#stack] = nil
    else stack[#stack + 1] = ch end
  end
  return #stack == 0
end

local function add_unit(file, line, sec_id, text)
  local first = text:match("^[%s|%-%*]*`([^`]+)`")
  local seen = {}
  local uid
  for c in text:gmatch("`([^`]+)`") do
    local name = span_name(c)
    if name and not seen[name] then
      seen[name] = true
      if not uid then
        units[#units + 1] = {sec_id, text, first ~= nil}
        uid = #units
      end
      local def = (c == first)
      if def and name:find("[%w_]") and not balanced(c) then
        fail(file, line, ("definition `%s` has unbalanced brackets"):format(c))
      end
      local list = index[name] or {}
      index[name] = list
      list[#list + 1] = def and uid or -uid
    end
  end
end

local function parse_page(path)
  local name = path:match("[^/]+$")
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  local sec_id
  local function new_section(title)
    sections[#sections + 1] = {page = name, title = title, examples = {}}
    sec_id = #sections
  end
  new_section("")
  local unit, unit_line, in_code, code, code_line = nil, 0, false, nil, 0
  local function flush()
    if unit then add_unit(name, unit_line, sec_id, unit) end
    unit = nil
  end
  local ln = 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    ln = ln + 1
    if in_code then
      if line:match("^```") then
        in_code = false
        if code.lang == "lua" then
          local ex = sections[sec_id].examples
          ex[#ex + 1] = table.concat(code, "\n")
        end
      else code[#code + 1] = line end
    elseif line:match("^```") then
      flush()
      in_code, code, code_line = true, {lang = line:match("^```(%w*)")}, ln
    elseif line:match("^#") and not line:match("^#+ ") then
      fail(name, ln, "a heading needs a space after its #s: " .. line)
    elseif line:match("^#+ ") then
      flush()
      local title = line:gsub("^#+%s*", ""):gsub("%s+$", "")
      if title == "" then fail(name, ln, "empty heading") end
      new_section(title)
    elseif line:match("^%s*$") then flush()
    elseif line:match("^|") then
      flush()
      if not line:match("^|[%s%-:|]+$") then unit, unit_line = line, ln end
      flush()
    elseif line:match("^%s*[-*] ") or line:match("^%s*%d+%. ") then
      flush()
      unit, unit_line = line, ln
    elseif unit then unit = unit .. "\n" .. line
    else unit, unit_line = line, ln end
  end
  if in_code then fail(name, code_line, "code block never closed") end
  flush()
end

for _, p in ipairs(pages) do
  -- from-python.md's tables start rows with the Python form, not a definition
  if not p:match("from%-python%.md$") then parse_page(p) end
end

if #errors > 0 then
  error("help entries: the manual cannot be read:\n" .. table.concat(errors, "\n"), 0)
end

local q = function(s) return ("%q"):format(s) end
local o = {"-- Generated by cmake/helpgen.lua from docs/*.md. Do not edit.\nreturn {\nsections = {\n"}
for _, s in ipairs(sections) do
  local ex = {}
  for i, e in ipairs(s.examples) do ex[i] = q(e) end
  o[#o + 1] = ("{page = %s, title = %s, examples = {%s}},\n"):format(q(s.page), q(s.title), table.concat(ex, ", "))
end
o[#o + 1] = "},\nunits = {\n"
for _, u in ipairs(units) do o[#o + 1] = ("{%d, %s, %s},\n"):format(u[1], q(u[2]), tostring(u[3])) end
o[#o + 1] = "},\nindex = {\n"
local names = {}
for k in pairs(index) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do
  o[#o + 1] = ("[%s] = {%s},\n"):format(q(k), table.concat(index[k], ","))
end
o[#o + 1] = "},\n}\n"
local f = assert(io.open(out_path, "wb"))
f:write(table.concat(o))
f:close()
