-- report_units.lua: the parts of geolab report (issue 16) on their own:
-- cells of the percent format, top-level locals shared between cells, the
-- Lua tokenizer, the Markdown renderer, JSON, SHA-256 from Lua.
local T = require "testlib"
local C = require "geolab.report_cells"
local M = require "geolab.report_md"
local H = require "geolab.report_html"
local json = require "geolab.report_json"
local core = require "geolab.report_core"

-- {===== cells
local src = table.concat({
  "#!/usr/bin/env geolab",     -- 1
  "-- header",                 -- 2
  "-- %% [markdown]",          -- 3
  "-- # Title",                -- 4
  "--",                        -- 5
  "-- text",                   -- 6
  "",                          -- 7
  "-- %% load data",           -- 8
  "local a = 1",               -- 9
  "",                          -- 10
  "-- %%",                     -- 11
  "local function f()",        -- 12
  "-- %% not a boundary: inside a function",   -- 13
  "  return a",                -- 14
  "end",                       -- 15
  "-- %%weird is a comment",   -- 16
  "-- %% [md]",                -- 17
  "-- short",                  -- 18
}, "\n") .. "\n"
local cells, found = C.split(src)
T.ok(found, "markers found")
T.eq(#cells, 5, "cells")
T.eq({cells[1].kind, cells[1].source, cells[1].line}, {"code", "-- header", 2}, "lines before the first marker")
T.eq({cells[2].kind, cells[2].source, cells[2].line}, {"markdown", "# Title\n\ntext", 4}, "markdown cell")
T.eq({cells[3].kind, cells[3].title, cells[3].source, cells[3].line}, {"code", "load data", "local a = 1", 9})
T.eq(cells[4].source, "local function f()\n-- %% not a boundary: inside a function\n  return a\nend\n-- %%weird is a comment")
T.eq({cells[5].kind, cells[5].source}, {"markdown", "short"}, "[md] is markdown too")
-- the code that runs keeps the script's line numbers
T.eq(#cells[3].code:match("^\n*"), 8, "cell 3 code starts on line 9")
T.eq(cells[3].code:match("[^\n]+"), "local a = 1")
-- no marker: one code cell, the shebang blanked as loadfile does
local one, f1 = C.split("#!/bin/x\nprint(1)\n")
T.eq({#one, f1, one[1].source, one[1].line}, {1, false, "print(1)", 2})
T.eq(C.marker("-- %% [markdown] Intro"), "markdown")
T.eq(select(2, C.marker("-- %% Intro [markdown]")), "Intro")
T.eq(C.marker("--%%"), "code", "jupytext accepts no space")
T.eq(C.marker("x = 1 -- %%"), nil)

-- join: the percent format back (geolab convert)
T.eq(C.join{{kind = "markdown", source = "# T\n\nx"}, {kind = "code", source = "print(1)\n", title = "t"},
            {kind = "code", source = ""}},
     "-- %% [markdown]\n-- # T\n--\n-- x\n\n-- %% t\nprint(1)\n\n-- %%\n")
-- =====}

-- {===== top-level locals become the shared environment's names
T.eq(C.globalize("local a, b = 1, 2"), "a, b = 1, 2")
T.eq(C.globalize("local x"), "x = nil ")
T.eq(C.globalize("local n <const> = 3"), "n = 3")
T.eq(C.globalize("local f <close> = g()"), "local f <close> = g()", "<close> stays local")
T.eq(C.globalize("local function f(x) local y = x return y end"), " function f(x) local y = x return y end")
T.eq(C.globalize("do local z = 1 end local w = 'local q = 1'"), "do local z = 1 end w = 'local q = 1'")
T.eq(select(2, C.globalize("if c then local k = 1 end\nlocal --[[ c ]] m,\n  n = 1, 2"):gsub("\n", "")), 2,
     "line breaks inside a declaration are kept")
local g = C.globalize("local a,\n b\nprint(a)")
T.eq(select(2, g:gsub("\n", "")), 2, "line count kept: " .. g)
local env = setmetatable({}, {__index = _G})
assert(load(C.globalize("local a = 40\nlocal function inc(v) return v + 1 end"), "=c1", "t", env))()
T.eq(assert(load(C.globalize("local b = inc(a) + 1\nreturn b"), "=c2", "t", env))(), 42, "names cross cells")
T.eq(rawget(_G, "inc"), nil, "the globals are untouched")
-- =====}

-- {===== tokens and highlighting
local toks = C.tokens("local s = [==[a]]b]==] -- c\nx = 0x1p4 .. 'q\\'' --[[ long\n]] y")
local kinds = {}
for _, t in ipairs(toks) do if t[1] ~= "space" then kinds[#kinds + 1] = t[1] .. ":" .. t[2] end end
T.eq(kinds, {"keyword:local", "name:s", "op:=", "string:[==[a]]b]==]", "comment:-- c", "name:x", "op:=",
             "number:0x1p4", "op:..", "string:'q\\''", "comment:--[[ long\n]]", "name:y"})
local all = {}
for _, t in ipairs(C.tokens("print('x') --[[ unterminated")) do all[#all + 1] = t[2] end
T.eq(table.concat(all), "print('x') --[[ unterminated", "tokens give the source back")
T.eq(H.highlight("local x = 'a<b' -- c&d"),
     '<pre class="code"><span class="k">local</span> x = <span class="s">\'a&lt;b\'</span> <span class="c">-- c&amp;d</span></pre>')
T.eq(H.highlight("ax:plot(np.x)"), '<pre class="code">ax:plot(<span class="b">np</span>.x)</pre>', "fields are not built-ins")
T.eq(H.base64(""), "")
T.eq(H.base64("f"), "Zg==")
T.eq(H.base64("fo"), "Zm8=")
T.eq(H.base64("foobar"), "Zm9vYmFy")   -- RFC 4648's examples
-- =====}

-- {===== Markdown
local function md(s) return M.render(s, H.highlight) end
T.eq(md("# Title *x*"), "<h1>Title <em>x</em></h1>")
T.eq(md("a **b** and `c*d*` $x_i^2$\nnext line"),
     '<p>a <strong>b</strong> and <code>c*d*</code> <span class="math">x_i^2</span>\nnext line</p>')
T.eq(md("- a\n- b\n  - c\n\n1. x\n2. y"), "<ul>\n<li>a</li>\n<li>b\n<ul>\n<li>c</li>\n</ul></li>\n</ul>\n<ol>\n<li>x</li>\n<li>y</li>\n</ol>")
T.eq(md("| a | b |\n|:--|--:|\n| 1 | 2 |"),
     '<table>\n<thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>\n' ..
     '<tbody>\n<tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr>\n</tbody></table>')
T.eq(md("[site](https://x.org/?a=1&b=2) [bad](javascript:alert)"),
     '<p><a href="https://x.org/?a=1&amp;b=2">site</a> bad</p>', "only safe links")
T.eq(md("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "HTML is shown, not run")
T.eq(md("![map](http://x.org/m.png)"), '<p><span class="img">[image: map http://x.org/m.png]</span></p>',
     "images are never fetched")
T.eq(md("```lua\nlocal x\n```"), '<pre class="code"><span class="k">local</span> x</pre>')
T.eq(md("> quoted\n\n---"), "<blockquote><p>quoted</p></blockquote>\n<hr>")
T.eq(md("$$\na < b\n$$"), '<pre class="math">a &lt; b</pre>')
-- =====}

-- {===== JSON
local v = json.decode('{"b": [1, 2.5, "x\\n\\u00e9\\ud83d\\ude00"], "a": {"t": true, "n": null}, "e": []}')
T.eq(v[json.ORDER], {"b", "a", "e"}, "key order kept")
T.eq({v.b[1], v.b[2], v.b[3], v.a.t, v.a.n == json.null}, {1, 2.5, "x\né😀", true, true})
T.eq(json.encode(v), '{"b":[1,2.5,"x\\né😀"],"a":{"t":true,"n":null},"e":[]}')
T.eq(json.encode({z = 1, a = {}, m = json.object()}, 1), '{\n "a": [],\n "m": {},\n "z": 1\n}', "sorted keys")
T.eq(json.encode({0.1, 1e300, 3.0, 2 ^ 60, 1 / 3}), "[0.1,1e+300,3,1.152921504606847e+18,0.33333333333333331]")
T.eq(json.encode("\1\"\\"), '"\\u0001\\"\\\\"')
T.err("nb.ipynb: line 2: expected ',' or '}'", json.decode, '{"a": 1\n "b": 2}', "nb.ipynb")
T.err("x: line 1: text after the value", json.decode, "[] []", "x")
T.err("json: cannot write NaN or infinity", json.encode, {0 / 0})
T.err("json: cannot write NaN or infinity", json.encode, {math.huge})
-- =====}

-- {===== hashes
T.eq(core.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "FIPS 180-4 example")
local p = T.write(T.tmp("report_sha.txt"), ("a"):rep(1000))
T.eq({core.sha256_file(p)}, {"41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3", 1000})
T.eq(select(1, core.sha256_file(T.tmp("no_such_file"))), nil)
-- =====}
T.done()
