-- tests/bench/bench_report.lua: bench/report.lua on the canned run in
-- tests/bench/sample/ (3 rounds of "alpha", a verified row, a scaling series
-- and a memory row in "beta", a failed case "gamma", a case never run
-- "delta"): medians, ranges, ratios, check verdicts, sections and notes.
local T = require "testlib"
local exe = arg[-1] or "geolab"

local p = assert(io.popen(("'%s' bench/report.lua tests/bench/sample 2>&1"):format(exe)))
local page = p:read("a")
local ok = p:close()
T.ok(ok, "bench/report.lua failed: " .. page)
local function has(s, msg) T.ok(page:find(s, 1, true) ~= nil, (msg or "page lacks") .. ": " .. s) end
local function hasnt(s) T.ok(page:find(s, 1, true) == nil, "page should not contain: " .. s) end

-- environment, from run.env and the round logs
has("# Performance")
has("- CPU: Canned CPU 9000, 2 cores, 1024 MB of memory; Canned OS.")
has("core type Cooperlake (`OPENBLAS_CORETYPE` unset, so detected from the CPU, on both sides)")
has("sampled before and after every run of every side): 0.50 to 3.25")
has("- Not run: delta.")
-- a case never run keeps its heading and notes
has("## Delta: listed but never run\n\nNot measured in this run (`bench/run.sh delta` measures it).\n\nDelta's note survives.")
has("- The machine was shared (a remark from the canned run).")   -- bench/out/run.note

-- medians over 3 rounds, ranges, and the ratio of medians with the range of
-- the per-round ratios (10/20, 12/25, 11/30)
has("| fast op | 11.0 (10.0–12.0) | 25.0 (20.0–30.0) | **0.440 (0.367–0.500)** |")
has("`bench/alpha.lua` / `bench/alpha.py`, 3 rounds, load 1.50–3.25, OPENBLAS_NUM_THREADS=2, " ..
    "peak memory of the whole script 11.0 MB (geolab) and 40.0 MB (Python).")
-- a check within its tolerance passes; one that differs in one round only,
-- or a row without any check, gives no ratio
has("| fast op | sum | 100.0000000001 | 100 | rtol=1e-9 | ok |")
has("| bad op | 5.00 (5.00–5.00) | 6.00 (6.00–6.00) | not comparable |")
has("| bad op | sum | 1.5 | 1.7 | rtol=1e-9 | **FAILED** |")
has("- bad op: not comparable, sum differs in round 2 (geolab 1.5, Python 1.7, rtol=1e-9).")
has("- unchecked op: not comparable, no check that both sides computed the same thing.")
hasnt("some other line")
-- hand-written notes are kept
has("Sentinel note of alpha: kept across runs.")

-- a comparison one side made (VERIFIED), with `|` escaped in the table
has("| verified op | 4.00 | 8.00 | **0.500** |")
has("| verified op | result | saved for Python | max\\|diff\\|=1e-16<=1e-12 | compared by the Python side | ok |")
-- a row timed on one side only
has("| build 16x | 180 | — | not comparable |")
has("- build 16x: not comparable, no Python value.")
-- scaling: growth factors between consecutive sizes, per side
has("| build | geolab | 1x, 4x, 16x | 10.0, 40.0, 180 | 4.0, 4.5 |")
has("| build | Python | 1x, 4x, 16x | 20.0, 100, not run | 5.0 |")
-- memory rows go to their own table
has("| peak case | 50.0 | 200 | **0.250** |")
-- a failed case: said so, and none of its rows is comparable
has("**This case failed: python exited with status 1 in round 1**")
has("- gamma op: not comparable, case failed: python exited with status 1 in round 1.")
-- the summary counts rows and names those where geolab is behind
has("5 timed rows checked comparable, 4 not comparable")
has("geolab is slower than Python (ratio above 1) on 1 of them: beta / slow op (1.50).")
-- sections in the order of bench/TITLES
local a, b, g, s = page:find("## Alpha", 1, true), page:find("## Beta", 1, true),
  page:find("## Gamma", 1, true), page:find("## Scaling", 1, true)
T.ok(a and b and g and s and a < b and b < g and g < s, "sections out of order")
T.done()
