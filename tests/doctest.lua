-- doctest.lua: runs the examples of one manual page (docs/NAME.md).
-- Every ```lua block runs, in order, in one environment per page; when a
-- ```output block follows it, what the block printed must match that block
-- (trailing spaces ignored). Run from a scratch folder holding links to data/
-- and docs/ (tests/CMakeLists.txt sets that up), so examples may write files.
local path = assert(arg[1], "usage: geolab tests/doctest.lua docs/PAGE.md")
local text = assert(io.open(path)):read("a")

local blocks = {}
local lineno = 0
local cur
for line in (text .. "\n"):gmatch("(.-)\n") do
  lineno = lineno + 1
  if cur then
    if line:match("^```%s*$") then blocks[#blocks + 1] = cur; cur = nil
    else cur.lines[#cur.lines + 1] = line end
  else
    local lang = line:match("^```(%w+)%s*$")
    lang = lang and lang:lower()   -- ```Lua (the tutorials) is ```lua
    if lang == "lua" or lang == "output" then cur = {kind = lang, line = lineno, lines = {}}
    elseif line:match("^```") then cur = {kind = "other", line = lineno, lines = {}} end
  end
end
assert(not cur, path .. ": unterminated code block")

local out = {}
local env = setmetatable({}, {__index = _G})
env.print = function(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  out[#out + 1] = table.concat(parts, "\t") .. "\n"
end
env.io = setmetatable({write = function(...)
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
end}, {__index = io})

local function norm(s)
  s = s:gsub("[ \t]+\n", "\n"):gsub("\n+$", "")
  return s
end

local npass, nfail = 0, 0
for i, b in ipairs(blocks) do
  if b.kind == "lua" then
    out = {}
    local code = table.concat(b.lines, "\n")
    local f, err = load(code, "=" .. path .. ":" .. b.line, "t", env)
    local ok
    if f then ok, err = xpcall(f, debug.traceback) end
    if not f or not ok then
      nfail = nfail + 1
      io.stderr:write(("%s:%d: example failed: %s\n"):format(path, b.line, tostring(err)))
    else
      local nxt = blocks[i + 1]
      if nxt and nxt.kind == "output" then
        local want, got = norm(table.concat(nxt.lines, "\n")), norm(table.concat(out))
        if want == got then npass = npass + 1
        else
          nfail = nfail + 1
          io.stderr:write(("%s:%d: output differs\n--- expected\n%s\n--- got\n%s\n"):format(path, b.line, want, got))
        end
      else
        npass = npass + 1
      end
    end
  end
end
print(("%d passed, %d failed"):format(npass, nfail))
os.exit(nfail == 0 and npass > 0 and 0 or 1)
