-- report_run.lua: geolab report, convert, run --manifest and verify as a
-- user runs them (issue 16): what a report shows, that it is self-contained
-- and the same with 1 and 2 threads, the notebook against the committed
-- validated one, convert's round trip, manifests and their verification,
-- and the command-line errors.
local T = require "testlib"
local C = require "geolab.report_cells"
local json = require "geolab.report_json"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end   -- some commands run elsewhere
local DEMO = "tests/fixtures/report/cells_demo.lua"
local dir = T.tmp("report_run")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local sh = T.sh
local function geolab (args) return sh(("'%s' %s"):format(exe, args)) end
-- the date, thread count and timings are the only run-dependent parts
local function strip_html (s) return (s:gsub('<span class="run">[^<]*</span>', "")) end
local function strip_nb (s)
  return (s:gsub('\n *"date": [^\n]*', ""):gsub('\n *"threads": [^\n]*', ""):gsub('\n *"seconds": [^\n]*', ""))
end

-- {===== the HTML report of the demo
local out, rc = geolab(("report --threads 1 %s -o %s/demo1.html"):format(DEMO, dir))
T.eq(rc, 1, "a cell raised an error: exit status 1")
T.eq(out, ("geolab report: %s/demo1.html: 5 cells run, 1 with errors\n"):format(dir))
local html = T.read(dir .. "/demo1.html")
T.ok(html:find('<pre class="out">x:\tarray([1, 2, 3, 4, 5])\n</pre>', 1, true), "printed output")
T.ok(html:find('<pre class="out">sum of squares\t55\n</pre>\n<pre class="stderr">a warning\n</pre>\n<img', 1, true),
     "stdout, stderr, then the figure left open at the end of the cell")
T.ok(html:find('<pre class="error">tests/fixtures/report/cells_demo.lua:25: attempt to index a nil value (global \'bad\')\n' ..
               'stack traceback:\n  tests/fixtures/report/cells_demo.lua:25: in main chunk</pre>', 1, true), "error and traceback")
T.ok(html:find('<pre class="out">before the error\n</pre>\n<pre class="error">', 1, true), "output before the error kept")
T.ok(html:find('<pre class="out">after the error\t5\n</pre>', 1, true), "later cells still run, with earlier cells' locals")
T.ok(html:find("<h1>A demo of cells</h1>", 1, true) and html:find("<ol>\n<li>first</li>", 1, true), "markdown")
T.ok(html:find('[2] cells_demo.lua line 12: data', 1, true), "cell label with its line and title")
T.ok(html:find("geolab %d+%.%d+%.%d+, seed 0, threads <span class=\"run\">1</span>"), "header: version, seed, threads")
T.ok(html:find('run <span class="run">%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d UTC</span>'), "header: date")
-- self-contained: nothing to fetch
local _, nimg = html:gsub("<img ", "")
T.eq(nimg, 1, "one figure")
T.ok(not html:find("<script", 1, true) and not html:find("<link", 1, true) and not html:find("url(", 1, true),
     "no scripts, stylesheets or CSS urls")
for name, value in html:gmatch('(%a+)="([^"]*)"') do
  if name == "src" then T.ok(value:find("^data:image/png;base64,"), "an image is a data: URI: " .. value:sub(1, 40)) end
  if name == "href" then T.ok(false, "no links in the demo: " .. value) end
end
-- the figure is the PNG a plain run draws
local b64 = html:match('src="data:image/png;base64,([^"]*)"')
local png = T.tmp("report_run/demo_plain.png")
sh(("'%s' -e 'local x = np.arange(1, 6); local fig, ax = plt.subplots(1, 1, {figsize = {2, 1.5}, dpi = 50}); " ..
    "ax:plot(x, x * x); fig:savefig(\"%s\")'"):format(exe, png))
T.eq(b64, require("geolab.report_html").base64(T.read(png) or ""), "embedded figure = plain savefig bytes")
-- the same bytes with two threads, but for the date, thread count and timings
geolab(("report --threads 2 %s -o %s/demo2.html"):format(DEMO, dir))
local html2 = T.read(dir .. "/demo2.html")
T.ok(html2:find('threads <span class="run">2</span>', 1, true), "two threads in the header")
T.ok(strip_html(html) == strip_html(html2), "1 and 2 threads: identical reports but for date and timings")
T.ok(strip_html(html) ~= html, "the stripped fields exist")
-- =====}

-- {===== the notebook: the bytes python3-nbformat validated (tests/fixtures/report/validate_ipynb.py)
out, rc = geolab(("report %s -o %s/demo.ipynb"):format(DEMO, dir))
T.eq(rc, 1, "ipynb: exit status 1 (an error cell)")
local nb = T.read(dir .. "/demo.ipynb")
local want = T.read("tests/fixtures/report/cells_demo.ipynb")
T.ok(nb and want and strip_nb(nb) == strip_nb(want), "the notebook is the validated fixture but for run fields")
T.ok(strip_nb(nb) ~= nb, "run fields stripped")
local doc = json.decode(nb, "demo.ipynb")
T.eq({doc.nbformat, doc.nbformat_minor, #doc.cells}, {4, 5, 6})
T.eq(doc.cells[2].cell_type, "markdown")
local kinds = {}
for _, o in ipairs(doc.cells[4].outputs) do kinds[#kinds + 1] = o.output_type .. (o.name and ":" .. o.name or "") end
T.eq(kinds, {"stream:stdout", "stream:stderr", "display_data"})
T.eq(doc.cells[5].outputs[2].ename, "LuaError")
T.eq(doc.cells[5].outputs[2].evalue, "tests/fixtures/report/cells_demo.lua:25: attempt to index a nil value (global 'bad')")
T.eq(doc.cells[4].outputs[3].data["image/png"], b64, "image/png as in the HTML")
-- =====}

-- {===== convert: notebook -> script -> notebook
out, rc = geolab(("convert tests/fixtures/report/cells_demo.ipynb -o %s/back.lua"):format(dir))
T.eq({out, rc}, {"", 0}, "convert")
local back = T.read(dir .. "/back.lua")
local orig = C.split(T.read(DEMO))
local again = C.split(back)
T.eq(#again, #orig, "same number of cells")
for i = 1, math.min(#orig, #again) do
  T.eq({again[i].kind, again[i].source, again[i].title}, {orig[i].kind, orig[i].source, orig[i].title}, "cell " .. i)
end
geolab(("convert %s/back.lua -o %s/back.ipynb"):format(dir, dir))
geolab(("convert %s/back.ipynb -o %s/back2.lua"):format(dir, dir))
T.eq(T.read(dir .. "/back2.lua"), back, "the round trip is stable")
T.ok(back:find("^%-%- %%%%\n%-%- cells_demo%.lua"), "percent format: " .. back:sub(1, 40))
T.ok(back:find("\n%-%- %%%% %[markdown%]\n%-%- # A demo of cells\n%-%-\n%-%- Text with"), "markdown as comments")
local nb0 = json.decode(T.read(dir .. "/back.ipynb"))
T.eq({#nb0.cells, #nb0.cells[3].outputs, nb0.cells[3].execution_count == json.null}, {6, 0, true}, "a script without outputs")
-- =====}

-- {===== figures: saved, shown, left open; each once
local figs = T.write(dir .. "/figs.lua", [[
-- %%
local fig, ax = plt.subplots(1, 1, {figsize = {2, 1.5}, dpi = 40})
ax:plot({1, 2}, {1, 2})
fig:savefig("a.png", {dpi = 30})
-- %%
local f2 = plt.figure{figsize = {2, 1}, dpi = 40}
f2:add_subplot(1, 1, 1):plot({1, 2}, {2, 1})
plt.show()
print(#plt._figures())
-- %%
fig:savefig("b.svg")
print(fig.dpi)
-- %%
fig:savefig("c.bmp")
]])
out, rc = sh(("cd '%s' && '%s' report figs.lua -o figs.html"):format(dir, exe))
T.eq(rc, 1, out)
local fh = T.read(dir .. "/figs.html")
local seq = {}
for tag in fh:gmatch('<img alt="figure %d+"') do seq[#seq + 1] = "img" end
T.eq(#seq, 3, "three pictures: a.png once (saved, then unchanged at the end), the shown figure, the SVG as PNG")
local imgs = {}
for d in fh:gmatch('base64,([^"]*)') do imgs[#imgs + 1] = d end
T.eq(imgs[1], require("geolab.report_html").base64(T.read(dir .. "/a.png") or ""), "the saved PNG's bytes")
T.ok(fh:find('<pre class="out">0\n</pre>', 1, true), "plt.show closes the figures it shows")
T.ok(fh:find('<pre class="out">40\n</pre>', 1, true), "a figure closed at the end of its cell is still usable")
T.ok(fh:find("figs.lua:14: savefig: format 'bmp' is not supported", 1, true), "a savefig error names the user's line")
-- =====}

-- {===== run --manifest and verify
local script = T.write(dir .. "/m.lua", [[
-- %%
local t = {}
for i = 1, 3 do t[i] = i * i end
print("squares", table.concat(t, " "))
-- %%
local f = io.open("out/result.txt", "w"); f:write(np.random.normal{size = 2}:sum(), "\n"); f:close()
print("seeded", np.random.rand())
]])
os.execute("mkdir -p '" .. dir .. "/out'")
local plain = sh(("cd '%s' && '%s' --seed 5 m.lua"):format(dir, exe))
out, rc = sh(("cd '%s' && '%s' run --seed 5 --manifest m.json m.lua"):format(dir, exe))
T.eq({out, rc}, {plain, 0}, "run --manifest prints what the plain run prints")
local m = json.decode(T.read(dir .. "/m.json"), "m.json")
T.eq({m.format, m.hash, m.seed, m.script, #m.cells}, {"geolab run manifest 1", "sha256", 5, "m.lua", 2})
T.eq(m.cells[1].stdout, {require("geolab.report_core").sha256("squares\t1 4 9")}, "a printed line's hash")
T.eq(#m.files, 1, "one file written")
T.eq(m.files[1].path, "out/result.txt")
T.eq(m.files[1].sha256, (require("geolab.report_core").sha256_file(dir .. "/out/result.txt")))
out, rc = sh(("cd '%s' && '%s' verify m.json"):format(dir, exe))
T.eq({out, rc}, {"geolab verify: m.lua: identical (2 cells, 2 printed lines, 0 figures, 1 files)\n", 0}, "verify")
-- another seed on the command line: the numbers and the file differ
out, rc = sh(("cd '%s' && '%s' verify --seed 6 m.json m.lua"):format(dir, exe))
T.eq(rc, 1, "differences: exit status 1")
T.ok(out:find("geolab verify: m.lua: 2 differences from m.json\n", 1, true), out)
T.ok(out:find("  cell 2 (line 6): stdout line 1 differs: now seeded\t", 1, true), out)
T.ok(out:find("  file out/result.txt differs\n", 1, true), out)
-- a changed script
T.write(dir .. "/m.lua", T.read(dir .. "/m.lua"):gsub("i %* i", "i + i"))
out, rc = sh(("cd '%s' && '%s' verify m.json"):format(dir, exe))
T.eq(rc, 1)
T.ok(out:find("the script changed since the manifest was written", 1, true), out)
T.ok(out:find("cell 1 (line 2): stdout line 1 differs: now squares\t2 4 6", 1, true), out)
-- =====}

-- {===== os.exit ends the run, but the report is written
T.write(dir .. "/ex.lua", "-- %%\nprint(1)\n-- %%\nif true then os.exit(3) end\n-- %%\nprint('never')\n")
out, rc = sh(("cd '%s' && '%s' report ex.lua -o ex.html"):format(dir, exe))
T.eq({out, rc}, {"geolab report: ex.html: 2 cells run, 1 with errors\n", 1})
local exh = T.read(dir .. "/ex.html") or ""
T.ok(exh:find('<pre class="error">os.exit(3): the script stopped here</pre>', 1, true), "os.exit shown")
T.ok(exh:find("[ ] ex.lua line 6, not run", 1, true) and not exh:find("never</pre>", 1, true), "later cells not run")
out, rc = sh(("cd '%s' && '%s' run --manifest exm.json ex.lua"):format(dir, exe))
T.eq({out, rc}, {"1\n", 3}, "run --manifest exits with the script's os.exit status")
-- =====}

-- {===== command-line errors
local function err_of (args) local o, r = geolab(args); return o:match("^[^\n]*"), r end
T.eq({err_of("report")}, {"geolab report: no script given", 1})
T.eq({err_of("report --bogus x.lua")}, {"geolab report: unrecognized option '--bogus'", 1})
T.eq({err_of("report --threads 0 x.lua")}, {"geolab report: --threads needs a positive integer, got '0'", 1})
T.eq({err_of("report x.lua -o r.pdf")}, {"geolab report: cannot tell the format of 'r.pdf': name it .html or .ipynb", 1})
T.eq({err_of("report " .. dir .. "/none.lua -o " .. dir .. "/x.html")},
     {"geolab report: cannot open " .. dir .. "/none.lua: No such file or directory", 1})
T.eq({err_of("convert " .. DEMO .. " -o x.txt")}, {"geolab convert: converts .ipynb to .lua or .lua to .ipynb", 1})
T.write(dir .. "/bad.ipynb", '{"cells": [}')
T.eq({err_of(("convert %s/bad.ipynb -o %s/x.lua"):format(dir, dir))},
     {("geolab convert: %s/bad.ipynb: line 1: unexpected '}'"):format(dir), 1})
T.write(dir .. "/nocells.ipynb", '{"metadata": {}}')
T.eq({err_of(("convert %s/nocells.ipynb -o %s/x.lua"):format(dir, dir))},
     {("geolab convert: %s/nocells.ipynb: not a Jupyter notebook (no 'cells' list)"):format(dir), 1})
T.eq({err_of("verify " .. DEMO)}, {"geolab verify: " .. DEMO .. ": line 1: unexpected '-'", 1})
T.eq({err_of("run")}, {"geolab run: no script given", 1})
-- a script named like a subcommand still runs by its path; -h lists the subcommands
T.ok(select(1, geolab("-h")):find("geolab report script.lua -o report.html", 1, true), "usage lists subcommands")
-- =====}
T.done()
