-- report_md.lua: a small Markdown renderer for report cells. Headings,
-- paragraphs, lists (nested by indentation), block quotes, rules, fenced
-- code, pipe tables; inline code, emphasis, links, images by URL; $math$
-- shown as text. Everything is HTML-escaped: raw HTML in a cell is shown,
-- never interpreted, so a report cannot carry scripts or fetch anything.
local M = {}

local function esc (s)
  return (s:gsub("[&<>\"]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;"}))
end
M.escape = esc

-- A link target is kept only when it cannot run code: http(s), mailto, a
-- fragment or a relative path.
local function safe_url (u)
  local scheme = u:match("^(%a[%w+.-]*):")
  if scheme and not ({http = true, https = true, mailto = true})[scheme:lower()] then return nil end
  return u
end

-- Inline spans. Code spans and math are cut out first so that nothing inside
-- them is read as emphasis or links.
function M.inline (s)
  local keep = {}
  local function stash (html) keep[#keep + 1] = html; return "\0" .. #keep .. "\0" end
  s = s:gsub("(`+)(.-)%1", function (_, code) return stash("<code>" .. esc(code:match("^ ?(.-) ?$")) .. "</code>") end)
  s = s:gsub("%$%$(.-)%$%$", function (m) return stash('<span class="math">' .. esc(m) .. "</span>") end)
  s = s:gsub("%$([^$\n]+)%$", function (m) return stash('<span class="math">' .. esc(m) .. "</span>") end)
  s = s:gsub("\\([\\`*_{}%[%]()#+%-.!$])", function (c) return stash(esc(c)) end)
  -- links and images, before escaping (their brackets are syntax)
  s = s:gsub("(!?)%[([^%]]*)%]%(([^)%s]*)[^)]*%)", function (bang, text, url)
    local u = safe_url(url)
    if bang == "!" then   -- an image would be fetched: show its text and address instead
      return stash("<span class=\"img\">[image: " .. esc(text) .. " " .. esc(url) .. "]</span>")
    end
    if not u then return stash(esc(text)) end
    return stash('<a href="' .. esc(u) .. '">' .. M.inline(text) .. "</a>")
  end)
  s = esc(s)
  s = s:gsub("%*%*(.-)%*%*", "<strong>%1</strong>"):gsub("__(.-)__", "<strong>%1</strong>")
  s = s:gsub("%*([^%s*][^*]-)%*", "<em>%1</em>"):gsub("%f[%w_]_([^%s_][^_]-)_%f[^%w_]", "<em>%1</em>")
  s = s:gsub("~~(.-)~~", "<del>%1</del>")
  for _ = 1, 3 do   -- stashed spans may hold stashes (a link with code in it)
    s = s:gsub("%z(%d+)%z", function (k) return keep[tonumber(k)] end)
  end
  return s
end

local function split_row (l)
  l = l:match("^%s*|?(.-)|?%s*$")
  local cells = {}
  for c in (l .. "|"):gmatch("(.-)|") do cells[#cells + 1] = c:match("^%s*(.-)%s*$") end
  return cells
end

local function is_table_sep (l)
  return l and l:find("^%s*|?%s*:?%-+:?%s*|") ~= nil or (l and l:find("^%s*|?%s*:?%-+:?%s*|?%s*$") and l:find("|"))
end

-- M.render(text, highlight) -> HTML. highlight(code, lang) renders fenced code.
function M.render (text, highlight)
  local lines = {}
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = (l:gsub("\t", "    ")) end
  local out, i = {}, 1
  local para = {}
  local function flush_para ()
    if #para > 0 then out[#out + 1] = "<p>" .. M.inline(table.concat(para, "\n")) .. "</p>"; para = {} end
  end
  while i <= #lines do
    local l = lines[i]
    local fence, lang = l:match("^%s*(```+)%s*([%w_+-]*)")
    if not fence then fence, lang = l:match("^%s*(~~~+)%s*([%w_+-]*)") end
    if fence then
      flush_para()
      local code = {}
      i = i + 1
      while i <= #lines and not lines[i]:find("^%s*" .. fence:gsub("%p", "%%%0")) do code[#code + 1] = lines[i]; i = i + 1 end
      out[#out + 1] = highlight(table.concat(code, "\n"), lang:lower())
      i = i + 1
    elseif l:find("^%s*$") then flush_para(); i = i + 1
    elseif l:find("^%s*%$%$%s*$") then   -- display math block: shown as text
      flush_para()
      local m = {}
      i = i + 1
      while i <= #lines and not lines[i]:find("^%s*%$%$%s*$") do m[#m + 1] = lines[i]; i = i + 1 end
      out[#out + 1] = '<pre class="math">' .. esc(table.concat(m, "\n")) .. "</pre>"
      i = i + 1
    elseif l:find("^ ? ? ?#+%s") or l:find("^ ? ? ?#+$") then
      flush_para()
      local h, t = l:match("^%s*(#+)%s*(.-)%s*#*%s*$")
      local n = math.min(#h, 6)
      out[#out + 1] = ("<h%d>%s</h%d>"):format(n, M.inline(t), n)
      i = i + 1
    elseif l:find("^%s*[-*_]%s*[-*_]%s*[-*_][-*_%s]*$") and not l:find("[^-*_%s]") then
      flush_para(); out[#out + 1] = "<hr>"; i = i + 1
    elseif #para > 0 and l:find("^%s*=+%s*$") then   -- setext headings
      out[#out + 1] = "<h1>" .. M.inline(table.concat(para, "\n")) .. "</h1>"; para = {}; i = i + 1
    elseif l:find("|") and is_table_sep(lines[i + 1]) then
      flush_para()
      local head, seps = split_row(l), split_row(lines[i + 1])
      local align = {}
      for k, sp in ipairs(seps) do
        align[k] = sp:find("^:.*:$") and "center" or sp:find(":$") and "right" or sp:find("^:") and "left" or nil
      end
      local function row (cells, tag)
        local r = {"<tr>"}
        for k = 1, #head do
          local a = align[k] and (' style="text-align:%s"'):format(align[k]) or ""
          r[#r + 1] = ("<%s%s>%s</%s>"):format(tag, a, M.inline(cells[k] or ""), tag)
        end
        return table.concat(r) .. "</tr>"
      end
      local t = {"<table>", "<thead>" .. row(head, "th") .. "</thead>", "<tbody>"}
      i = i + 2
      while i <= #lines and lines[i]:find("|") and not lines[i]:find("^%s*$") do
        t[#t + 1] = row(split_row(lines[i]), "td"); i = i + 1
      end
      t[#t + 1] = "</tbody></table>"
      out[#out + 1] = table.concat(t, "\n")
    elseif l:find("^%s*>") then
      flush_para()
      local q = {}
      while i <= #lines and lines[i]:find("^%s*>") do q[#q + 1] = lines[i]:match("^%s*> ?(.*)$"); i = i + 1 end
      out[#out + 1] = "<blockquote>" .. M.render(table.concat(q, "\n"), highlight) .. "</blockquote>"
    elseif l:find("^%s*[-*+]%s+") or l:find("^%s*%d+[.)]%s+") then
      flush_para()
      -- a list: items at this indentation; deeper lines belong to the item
      local ind = #l:match("^(%s*)")
      local ordered = l:find("^%s*%d+[.)]") ~= nil
      local start = ordered and tonumber(l:match("^%s*(%d+)")) or 1
      local items = {}
      while i <= #lines do
        local x = lines[i]
        local xi = #x:match("^(%s*)")
        local bullet = ordered and x:match("^%s*%d+[.)]%s+()") or (not ordered and x:match("^%s*[-*+]%s+()"))
        if bullet and xi == ind then items[#items + 1] = {x:sub(bullet)}
        elseif x:find("^%s*$") then
          local nx = lines[i + 1]
          if not nx or #nx:match("^(%s*)") <= ind and not (nx:match(ordered and "^%s*%d+[.)]%s" or "^%s*[-*+]%s")) then break end
          items[#items][#items[#items] + 1] = ""
        elseif xi > ind then items[#items][#items[#items] + 1] = x:sub(math.min(xi, ind + 4) + 1)
        elseif #items[#items] > 0 and not bullet and xi <= ind and not x:find("^%s*$") and items[#items][#items[#items]] ~= "" and xi == ind and not x:find("^%s*[-*+#>]") then
          items[#items][#items[#items] + 1] = x:sub(xi + 1)   -- a lazy continuation line
        else break end
        i = i + 1
      end
      local t = {ordered and (start ~= 1 and ('<ol start="%d">'):format(start) or "<ol>") or "<ul>"}
      for _, it in ipairs(items) do
        local body = table.concat(it, "\n")
        local html = M.render(body, highlight)
        if not body:find("\n%s*\n") then html = html:gsub("^<p>(.-)</p>", "%1", 1) end   -- tight list
        t[#t + 1] = "<li>" .. html .. "</li>"
      end
      t[#t + 1] = ordered and "</ol>" or "</ul>"
      out[#out + 1] = table.concat(t, "\n")
    else para[#para + 1] = l:match("^%s*(.-)$"); i = i + 1 end
  end
  flush_para()
  return table.concat(out, "\n")
end

return M
