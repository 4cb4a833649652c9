-- report_html.lua: the self-contained HTML page of `geolab report`: one file
-- with its CSS inline and figures as data: URIs, so it opens anywhere and
-- fetches nothing. Lua code is highlighted by report_cells' tokenizer.
local C = require "geolab.report_cells"
local M = require "geolab.report_md"
local H = {}
local esc = M.escape

-- base64 of a byte string (figures as data: URIs, and .ipynb image/png)
local B64 = {}
for i = 1, 64 do B64[i - 1] = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"):sub(i, i) end
function H.base64 (s)
  local out, n = {}, #s
  for i = 1, n - 2, 3 do
    local a, b, c = s:byte(i, i + 2)
    local v = a * 65536 + b * 256 + c
    out[#out + 1] = B64[v >> 18] .. B64[(v >> 12) & 63] .. B64[(v >> 6) & 63] .. B64[v & 63]
  end
  local r = n % 3
  if r == 1 then
    local v = s:byte(n) * 65536
    out[#out + 1] = B64[v >> 18] .. B64[(v >> 12) & 63] .. "=="
  elseif r == 2 then
    local a, b = s:byte(n - 1, n)
    local v = a * 65536 + b * 256
    out[#out + 1] = B64[v >> 18] .. B64[(v >> 12) & 63] .. B64[(v >> 6) & 63] .. "="
  end
  return table.concat(out)
end

-- names shown as built-ins: Lua's base functions and libraries, geolab's modules
local BUILTIN = {}
for k in ("assert error ipairs next pairs pcall print require select setmetatable getmetatable tonumber " ..
          "tostring type xpcall rawget rawset rawequal rawlen load dofile self string table math io os utf8 " ..
          "coroutine debug np array pd frame plt plot ml spatial stats signal fs seis nn optim"):gmatch("%S+") do
  BUILTIN[k] = true
end
local CLASS = {keyword = "k", string = "s", comment = "c", number = "n"}
-- H.highlight(code, lang) -> <pre> of the code, Lua tokens in spans
function H.highlight (code, lang)
  if lang ~= nil and lang ~= "" and lang ~= "lua" then return '<pre class="code">' .. esc(code) .. "</pre>" end
  local out, prev = {}, nil
  for _, t in ipairs(C.tokens(code)) do
    local cl = CLASS[t[1]]
    if t[1] == "name" and BUILTIN[t[2]] and prev ~= "." and prev ~= ":" then cl = "b" end
    if t[1] ~= "space" and t[1] ~= "comment" then prev = t[2] end
    out[#out + 1] = cl and ('<span class="%s">%s</span>'):format(cl, esc(t[2])) or esc(t[2])
  end
  return '<pre class="code">' .. table.concat(out) .. "</pre>"
end

local CSS = [[
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222;line-height:1.45}
header{border-bottom:1px solid #ccc;margin-bottom:1em;font-size:.9em;color:#555}
header h1{color:#222;font-size:1.4em;margin:.2em 0}
.cell{margin:1em 0}
.label{font-family:monospace;font-size:.8em;color:#888}
pre{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.85em;padding:.5em;overflow-x:auto;margin:.2em 0;white-space:pre-wrap}
pre.code{background:#f5f5f7;border-left:3px solid #4a7bd0}
pre.out{background:#fff;border-left:3px solid #ddd}
pre.stderr{background:#fff8e6;border-left:3px solid #e0b040}
pre.error{background:#fdecec;border-left:3px solid #d04040;color:#800}
pre.math,span.math{font-family:"DejaVu Serif",serif;font-style:italic}
.k{color:#7a3e9d;font-weight:bold}.s{color:#2a7a2a}.c{color:#888;font-style:italic}.n{color:#b35c00}.b{color:#2050a0}
img{max-width:100%;display:block;margin:.3em 0}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .6em}th{background:#f0f0f0}
blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em;color:#555}
code{background:#f0f0f0;padding:0 .2em}
]]

-- H.page(run) -> the HTML text of a run (report.lua's record). Everything
-- that may change between reruns (date, thread count, timings) is in a
-- <span class="run"> so that comparisons can drop it.
-- The script that sorts the table with the given id by the column whose
-- heading is clicked (numbers as numbers), for the class and sweep tables.
function H.sortable_script (id)
  return (([[<script>
document.querySelectorAll("#TABLEID th").forEach(function (th, i) {
  th.addEventListener("click", function () {
    var body = document.querySelector("#TABLEID tbody"), rows = Array.from(body.rows);
    var asc = th.dataset.asc !== "1"; th.dataset.asc = asc ? "1" : "0";
    rows.sort(function (a, b) {
      var x = a.cells[i].textContent, y = b.cells[i].textContent, nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>]]):gsub("TABLEID", id))
end

function H.page (run)
  local o = {}
  local function w (s) o[#o + 1] = s end
  local title = run.script:match("([^/]+)$")
  w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
  w("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
  w("<title>" .. esc(title) .. "</title>\n<style>\n" .. CSS .. "</style>\n</head>\n<body>\n<header>\n")
  w("<h1>" .. esc(title) .. "</h1>\n")
  w(("<div>geolab %s, seed %s, threads <span class=\"run\">%d</span>, run <span class=\"run\">%s</span>, total <span class=\"run\">%.2f s</span></div>\n"):format(
    esc(run.version), tostring(run.seed), run.threads, esc(run.date), run.seconds))
  local ncode = 0
  for _, c in ipairs(run.cells) do if c.kind == "code" then ncode = ncode + 1 end end
  w(("<div>%d code cell%s, %d with errors</div>\n"):format(ncode, ncode == 1 and "" or "s", run.nerrors))
  for _, line in ipairs(run.header or {}) do w('<div class="grade">' .. esc(line) .. "</div>\n") end   -- geolab grade
  w("</header>\n")
  local nfig = 0
  for i, c in ipairs(run.cells) do
    w(('<section class="cell %s" id="cell-%d">\n'):format(c.kind, i))
    if c.kind == "markdown" then
      w(M.render(c.source, H.highlight) .. "\n")
    elseif c.kind == "raw" then
      w('<pre class="out">' .. esc(c.source) .. "</pre>\n")
    else
      if c.count then
        w(('<div class="label">[%d] %s line %d%s, <span class="run">%.3f s</span></div>\n'):format(
          c.count, esc(title), c.line, c.title ~= "" and ": " .. esc(c.title) or "", c.seconds or 0))
      else   -- after os.exit
        w(('<div class="label">[ ] %s line %d%s, not run</div>\n'):format(
          esc(title), c.line, c.title ~= "" and ": " .. esc(c.title) or ""))
      end
      w(H.highlight(c.source) .. "\n")
      for _, out in ipairs(c.outputs or {}) do
        if out.type == "stream" then
          w(('<pre class="%s">%s</pre>\n'):format(out.name == "stderr" and "stderr" or "out", esc(out.text)))
        elseif out.type == "image" then
          nfig = nfig + 1
          w(('<img alt="figure %d" src="data:image/png;base64,%s">\n'):format(nfig, H.base64(out.png)))
        elseif out.type == "error" then
          w('<pre class="error">' .. esc(out.text) .. "</pre>\n")
        end
      end
    end
    w("</section>\n")
  end
  w("</body>\n</html>\n")
  return table.concat(o)
end

return H
