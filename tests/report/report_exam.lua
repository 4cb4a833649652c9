-- report_exam.lua: scripts/05_exam_example.lua is split into cells (issue
-- 16) and its report is made here: HTML and notebook, in
-- build/testtmp/report_exam/. Its cells print the script's .expected output,
-- the report embeds the very PNG files a plain run writes, and the cells are
-- what the script's markers say.
local T = require "testlib"
local json = require "geolab.report_json"
local H = require "geolab.report_html"
local exe = arg[-1] or "geolab"
local dir = T.tmp("report_exam")
os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(dir, dir))

local run = T.sh

local S = "scripts/05_exam_example.lua"
local out, rc = run(("'%s' report %s -o '%s/05_exam_example.html' -- '%s/figs'"):format(exe, S, dir, dir))
T.eq({out, rc}, {("geolab report: %s/05_exam_example.html: 8 cells run, 0 with errors\n"):format(dir), 0})
out, rc = run(("'%s' report %s -o '%s/05_exam_example.ipynb' -- '%s/figs_nb'"):format(exe, S, dir, dir))
T.eq(rc, 0, out)
run(("'%s' %s '%s/plain'"):format(exe, S, dir))   -- the plain run, for its figures

local nb = json.decode(T.read(dir .. "/05_exam_example.ipynb"), "05_exam_example.ipynb")
local kinds, text, pngs = {}, {}, {}
for _, c in ipairs(nb.cells) do
  kinds[#kinds + 1] = c.cell_type:sub(1, 1)
  for _, o in ipairs(c.outputs or {}) do
    if o.output_type == "stream" then text[#text + 1] = table.concat(o.text)
    elseif o.output_type == "display_data" then pngs[#pngs + 1] = o.data["image/png"]
    else T.ok(false, "unexpected output " .. o.output_type) end
  end
end
T.eq(table.concat(kinds), "mcmcmcmcmcmcmcmc", "a title, then a heading before each of the 7 steps' code")
T.eq(nb.cells[3].source[1], "## 1. Data: 150 flowers, 4 measurements (cm), 3 varieties.")
T.eq(table.concat(text), T.read("scripts/05_exam_example.expected"), "the cells print the script's output")
T.eq(#pngs, 2, "two figures")
T.eq(pngs[1], H.base64(T.read(dir .. "/plain/05_confusion.png") or ""), "confusion matrices: the plain run's PNG")
T.eq(pngs[2], H.base64(T.read(dir .. "/plain/05_importances.png") or ""), "importances: the plain run's PNG")
local html = T.read(dir .. "/05_exam_example.html")
T.ok(html:find("<h2>4. Grid search of the SVC&#39;s C and gamma.</h2>", 1, true) or
     html:find("<h2>4. Grid search of the SVC's C and gamma.</h2>", 1, true), "markdown headings")
T.ok(html:find("<code>--threads</code>", 1, true), "inline code in the introduction")
local n = 0
for d in html:gmatch('src="data:image/png;base64,([^"]*)"') do n = n + 1; T.eq(d, pngs[n], "HTML figure " .. n) end
T.eq(n, 2, "the HTML embeds both figures")
T.done()
