-- grade_run.lua: geolab grade on a well-behaved submission: what
-- summary.json holds, that grading twice gives the same bytes except the
-- measured times and memory, the comparison with a reference summary
-- (--expected), and the command-line errors (issue 16 part B).
local T = require "testlib"
local json = require "geolab.report_json"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local F = "tests/fixtures/grade/"
local dir = fs.abspath(T.tmp("grade_run"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local sh = T.sh
local function geolab (args) return sh(("'%s' %s"):format(exe, args)) end
-- summary.json without the values that change from run to run
local function stable (path)
  return (T.read(path):gsub('\n "measured": %b{},?', ""))
end

-- {===== one submission, graded twice
local out, rc = geolab(("grade %ssubmission.lua --data data --out %s/a"):format(F, dir))
T.eq(rc, 0, out)
T.eq(out, ("geolab grade: %ssubmission.lua: ok -> %s/a/summary.json\n"):format(F, dir))
local s = json.decode(T.read(dir .. "/a/summary.json"))
T.eq(s.status, "ok")
T.eq(#s.cells, 3)
-- printed values against pandas/scikit-learn's on the same data: mean of
-- iris sepal and petal lengths 5.8433, 3.7580 (pandas); KMeans inertia
-- 53.80997864410693 (scikit-learn 1.2.1, n_init=3, random_state=0;
-- tests/fixtures/grade/reference_values.py)
T.eq(s.cells[1].numbers, {5.8433, 3.758})
T.close(s.cells[2].numbers[1], 53.80997864410693, 1e-12)
T.eq(#s.cells[3].figures, 1)
T.eq(s.figures[1].file, "figures/cell03-1.png")
T.eq(s.figures[1].sha256, require("geolab.report_core").sha256(T.read(dir .. "/a/figures/cell03-1.png")))
T.ok(fs.isfile(dir .. "/a/files/clusters.png"), "the script wrote into out/files (its arg[1])")
T.eq(#s.refused, 0)
T.eq(s.exit.code, 0)
T.eq(s.limit, nil)
T.ok(s.measured.wall_s > 0 and s.measured.cpu_s > 0 and s.measured.peak_memory_mib > 1)
local html = T.read(dir .. "/a/report.html")
T.ok(html:find("<h1>submission.lua</h1>", 1, true) and html:find("landlock: ", 1, true) and
     html:find("status: ok", 1, true) and html:find("data:image/png;base64,", 1, true), "the report")

out, rc = geolab(("grade %ssubmission.lua --data data --out %s/b"):format(F, dir))
T.eq(rc, 0, out)
T.eq(stable(dir .. "/b/summary.json"), stable(dir .. "/a/summary.json"), "same summary except measured values")
T.ok(stable(dir .. "/a/summary.json") ~= T.read(dir .. "/a/summary.json"), "stable() did drop the measured values")
-- regrading into the same folder replaces the summary
out, rc = geolab(("grade %ssubmission.lua --data data --out %s/b --seed 3"):format(F, dir))
T.eq(rc, 0, out)
local s3 = json.decode(T.read(dir .. "/b/summary.json"))
T.eq(s3.seed, 3)
T.ok(s3.cells[3].numbers[1] ~= s.cells[3].numbers[1], "the seed reaches np.random")
-- =====}

-- {===== a notebook hand-in: its code cells graded as the same code as a script
-- (the cells `geolab run notebook.ipynb` runs), cell by cell the same summary
out, rc = geolab(("convert %ssubmission.lua -o %s/submission.ipynb"):format(F, dir))
T.eq(rc, 0, out)
out, rc = geolab(("grade %s/submission.ipynb --data data --out %s/nb --expected %s/a/summary.json"):format(dir, dir, dir))
T.eq(rc, 0, out)
T.ok(out:find(("geolab grade: %s/submission.ipynb: ok -> %s/nb/summary.json\n"):format(dir, dir), 1, true), out)
T.ok(out:find("same results as the reference", 1, true), out)
local nb = json.decode(T.read(dir .. "/nb/summary.json"))
T.eq(nb.status, "ok")
T.eq(#nb.cells, #s.cells, "one summary cell per code cell")
for i, c in ipairs(s.cells) do
  local n = nb.cells[i]
  T.eq({n.index, n.status, n.stdout, n.numbers, n.figures}, {c.index, c.status, c.stdout, c.numbers, c.figures},
    "notebook cell " .. i .. " as the script's")
end
T.eq(nb.figures[1].sha256, s.figures[1].sha256, "the same figure bytes")
T.ok(fs.isfile(dir .. "/nb/files/clusters.png"), "the notebook wrote into out/files too")
T.ok(T.read(dir .. "/nb/report.html"):find("data:image/png;base64,", 1, true), "its report")
-- a file that is not a notebook: graded as an error that says why
T.write(dir .. "/bad.ipynb", '{"cells": 3}')
out, rc = geolab(("grade %s/bad.ipynb --data data --out %s/nbbad"):format(dir, dir))
T.eq(rc, 1, out)
local bad = json.decode(T.read(dir .. "/nbbad/summary.json"))
T.eq({bad.status, bad.error}, {"errors", dir .. "/bad.ipynb: not a Jupyter notebook (no 'cells' list)"})
-- =====}

-- {===== --expected: every number within rtol, every figure hash
out, rc = geolab(("grade %ssubmission.lua --data data --out %s/c --expected %s/a/summary.json"):format(F, dir, dir))
T.eq(rc, 0, out)
T.ok(out:find("same results as the reference (rtol 1e-06, atol 1e-09)", 1, true), out)
out, rc = geolab(("grade %ssubmission_off.lua --data data --out %s/d --expected %s/a/summary.json"):format(F, dir, dir))
T.eq(rc, 1, out)
local d = json.decode(T.read(dir .. "/d/summary.json"))
T.eq(d.status, "ok")
T.eq(d.comparison.equal, false)
T.eq(#d.comparison.differences, 1, "only the inertia differs")
local diff = d.comparison.differences[1]
T.eq({diff.cell, diff.what, diff.index}, {2, "number", 1})
T.close(diff.got, 53.80997864410693 * 1.001, 1e-12)
-- a looser tolerance accepts it
out, rc = geolab(("grade %ssubmission_off.lua --data data --out %s/d --expected %s/a/summary.json --rtol 0.01"):format(F, dir, dir))
T.eq(rc, 0, out)
-- =====}

-- {===== --tests: the teacher's tests, per cell and at the end, with points
out, rc = geolab(("grade %ssubmission.lua --data data --out %s/t --tests %sexam.tests.lua"):format(F, dir, F))
T.eq(rc, 0, out)
T.ok(out:find(": ok, tests 7/9 points -> ", 1, true), out)
local t = json.decode(T.read(dir .. "/t/summary.json")).tests
T.eq({t.score, t.total}, {7, 9})
local passed = {}
for i, x in ipairs(t.results) do passed[i] = x.passed end
T.eq(passed, {true, true, true, true, false, false})
T.ok(t.results[5].message:find("timed out after 0.5 s", 1, true), "a test's own time limit")
T.ok(t.results[6].message:find("boom", 1, true))
html = T.read(dir .. "/t/report.html")
T.ok(html:find("PASS hidden test 1 (3 points)", 1, true), "hidden test: pass/fail and points")
T.ok(not html:find("inertia 5", 1, true) and not html:find(">  PASS inertia", 1, true), "its name and details never")
-- the same tests on a script that fails early: failures, never passes
T.write(dir .. "/early.lua", "-- %%\nerror('stop')\n-- %%\nkm = 1\n")
out, rc = geolab(("grade %s/early.lua --data data --out %s/t2 --tests %sexam.tests.lua"):format(dir, dir, F))
T.eq(rc, 1, out)
t = json.decode(T.read(dir .. "/t2/summary.json")).tests
T.eq(t.score, 0)
-- geolab check: the student's side
out, rc = geolab(("check %ssubmission.lua --data data --out %s/chk --tests %sexam.tests.lua"):format(F, dir, F))
T.eq(rc, 1, "not every point")
T.ok(out:find("tests: 7/9 points\n  PASS iris means printed (1 point)\n", 1, true), out)
T.ok(out:find("\n  PASS hidden test 1 (3 points)\n", 1, true) and not out:find("inertia", 1, true), out)
out, rc = geolab(("check %ssubmission.lua --data data"):format(F))
T.eq(rc, 2)
T.eq(out, "geolab check: --tests FILE is required\n")
-- =====}

-- {===== --batch: a class, two at a time, one of them hostile
local subs = dir .. "/subs"
-- (alice hands in a notebook)
os.execute(("mkdir -p '%s' && cp '%s/submission.ipynb' '%s/alice.ipynb' && cp %ssubmission_off.lua '%s/bob.lua' && " ..
            "cp tests/grade/hostile/infinite_loop.lua '%s/carol.lua' && cp tests/grade/hostile/read_passwd.lua '%s/dave.lua'")
  :format(subs, dir, subs, F, subs, subs, subs))
-- carol loops until the 20 s wall-clock kill; the others finish well within it
out, rc = geolab(("grade --batch %s --out %s/class --jobs 2 --timeout 20 --data data --tests %sexam.tests.lua"):format(subs, dir, F))
T.eq(rc, 0, out)
T.ok(out:find("geolab grade: 4 submissions, 4 graded now -> " .. dir .. "/class/class.csv\n", 1, true), out)
local csv = T.read(dir .. "/class/class.csv")
T.eq(csv, "submission,status,limit,score,total,differences,refused,wall_s\n" ..
  csv:match("\n(alice,ok,,7,9,,0,[%d.]+\n)") .. csv:match("\n(bob,ok,,7,9,,0,[%d.]+\n)") ..
  csv:match("\n(carol,stopped,wall,0,9,,0,[%d.]+\n)") .. csv:match("\n(dave,errors,,0,9,,6,[%d.]+\n)"),
  "sorted by score, then name; the hostile ones stopped or refused")
local chtml = T.read(dir .. "/class/class.html")
T.ok(chtml:find('<a href="carol/report.html">carol</a>', 1, true) and chtml:find("addEventListener", 1, true), "sortable HTML")
T.ok(fs.isfile(dir .. "/class/alice/report.html"))
out, rc = geolab(("grade --batch %s --out %s/class --jobs 2 --timeout 20 --data data"):format(subs, dir))
T.ok(out:find("alice: already graded (--force grades it again)", 1, true) and
     out:find("4 submissions, 0 graded now", 1, true), out)
out, rc = geolab(("grade --batch %s --out %s/class --jobs 2 --timeout 20 --data data --force"):format(subs, dir))
T.ok(out:find("4 submissions, 4 graded now", 1, true), out)
-- =====}

-- {===== the exam example against the teacher's committed reference run
out, rc = geolab(("grade scripts/05_exam_example.lua --data data --out %s/ex --tests scripts/exam/05_exam.tests.lua " ..
                  "--expected scripts/exam/05_reference.json"):format(dir))
T.eq(rc, 0, out)
T.ok(out:find("05_exam_example.lua: ok, tests 10/10 points", 1, true), out)
T.ok(out:find("same results as the reference", 1, true), out)
local ex = json.decode(T.read(dir .. "/ex/summary.json"))
T.eq(#ex.figures, 2)
T.eq(#ex.refused, 0, "the exam example needs nothing the sandbox refuses")
-- =====}

-- {===== command-line errors
local function fails (args, msg)
  local o, r = geolab("grade " .. args)
  T.eq(r, 2, args)
  T.ok(o:find(msg, 1, true), ("%s: %s"):format(args, o))
end
fails(F .. "submission.lua --data data --out " .. dir .. "/e --timout 3", "geolab grade: unrecognized option '--timout'")
fails(F .. "submission.lua --data data", "geolab grade: --out DIR is required")
fails(F .. "nothere.lua --out " .. dir .. "/e", "geolab grade: cannot open submission 'tests/fixtures/grade/nothere.lua'")
fails(F .. "submission.lua --data nothere --out " .. dir .. "/e", "geolab grade: --data 'nothere' is not a folder")
fails(F .. "submission.lua --memory lots --out " .. dir .. "/e", "geolab grade: --memory needs a size such as 2G or 512M, got 'lots'")
fails(F .. "submission.lua --timeout -1 --out " .. dir .. "/e", "geolab grade: --timeout needs a non-negative number, got '-1'")
-- =====}
T.done()
