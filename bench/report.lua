-- bench/report.lua: writes docs/performance.md (to stdout) from what bench/run.sh
-- recorded under ROOT/bench/out: run.env, run.note (optional: a remark on the
-- run, from BENCH_NOTE), and for each case results/NAME/ with
-- each side's stdout per round ({geolab,python}.R.out) and the round log (runs).
-- Plain Lua 5.4 (run by geolab):  geolab bench/report.lua [ROOT]
-- A ratio is printed only for a row whose checks passed on both sides; the
-- rules are in bench/run.sh's header. tests/bench/ runs this on a canned sample.
local root = arg and arg[1] or "."
local out = root .. "/bench/out"

local function lines(path)
  local f = io.open(path)
  if not f then return nil end
  local t = {}
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end
local function slurp(path)
  local f = io.open(path)
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- {====== numbers
local function median(v)
  local s = {}
  for i, x in ipairs(v) do s[i] = x end
  table.sort(s)
  local n = #s
  if n == 0 then return nil end
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end
local function range(v)
  local lo, hi = math.huge, -math.huge
  for _, x in ipairs(v) do lo, hi = math.min(lo, x), math.max(hi, x) end
  return lo, hi
end
-- 3 significant digits at least, no exponent for the sizes met here
local function num(x)
  if x == nil then return "—" end
  local a = math.abs(x)
  if a >= 100 then return ("%.0f"):format(x)
  elseif a >= 10 then return ("%.1f"):format(x)
  elseif a >= 1 then return ("%.2f"):format(x)
  elseif a >= 0.01 then return ("%.3f"):format(x)
  else return ("%.2g"):format(x) end
end
-- table cells: a `|` would end the cell
local function cell(x) return (tostring(x):gsub("|", "\\|")) end
local function label(row) return cell(row:gsub("_", " ")) end
local function load(x) return x and ("%.2f"):format(x) or "?" end
-- "median (min–max)" over the rounds; the range only when there are several
local function spread(v)
  if #v == 0 then return "—" end
  local m = median(v)
  if #v == 1 then return num(m) end
  local lo, hi = range(v)
  return ("%s (%s–%s)"):format(num(m), num(lo), num(hi))
end

-- {====== one case: parse every round of both sides
local SIDES = {"geolab", "python"}

-- tolerance "rtol=1e-9" / "atol=0.01"; none means exact
local function parse_tol(s)
  if not s then return {rtol = 0, atol = 0, text = "exact"} end
  local k, v = s:match("^(%a+)=(%S+)$")
  v = tonumber(v)
  if (k == "rtol" or k == "atol") and v then
    return {rtol = k == "rtol" and v or 0, atol = k == "atol" and v or 0, text = s}
  end
  return nil
end

local function new_row(c, row)
  local r = c.rows[row]
  if not r then
    r = {name = row, t = {geolab = {}, python = {}}, mem = {geolab = {}, python = {}},
         checks = {}, check_order = {}, verified = {}, problems = {}}
    c.rows[row] = r
    c.order[#c.order + 1] = row
  end
  return r
end

local function parse_out(c, side, round, path)
  for _, l in ipairs(lines(path) or {}) do
    local kind, rest = l:match("^(%u+)%s+(.*)$")
    if kind == "RESULT" or kind == "MEM" then
      local row, v = rest:match("^(%S+)%s+(%S+)%s*$")
      v = tonumber(v)
      if row and v then
        local r = new_row(c, row)
        local t = kind == "RESULT" and r.t or r.mem
        t[side][#t[side] + 1] = v
        if kind == "MEM" then r.is_mem = true else r.is_time = true end
      else
        c.problems[#c.problems + 1] = ("%s round %d: unreadable line `%s`"):format(side, round, l)
      end
    elseif kind == "CHECK" then
      local row, what, v, tol = rest:match("^(%S+)%s+(%S+)%s+(%S+)%s*(%S*)%s*$")
      local tt = row and parse_tol(tol ~= "" and tol or nil)
      if row and tt then
        local r = new_row(c, row)
        local ch = r.checks[what]
        if not ch then
          ch = {what = what, geolab = {}, python = {}, tol = tt}
          r.checks[what] = ch
          r.check_order[#r.check_order + 1] = what
        end
        ch[side][round] = v
        if tt.text ~= "exact" then ch.tol = tt end
      else
        c.problems[#c.problems + 1] = ("%s round %d: unreadable line `%s`"):format(side, round, l)
      end
    elseif kind == "VERIFIED" then
      local row, what, detail = rest:match("^(%S+)%s+(%S+)%s*(.*)$")
      if row then
        local r = new_row(c, row)
        r.verified[what] = {side = side, detail = detail}
        if not r.verified_order then r.verified_order = {} end
        local seen = false
        for _, w in ipairs(r.verified_order) do seen = seen or w == what end
        if not seen then r.verified_order[#r.verified_order + 1] = what end
      end
    elseif kind == "ENV" then
      local k, v = rest:match("^(%S+)%s+(.*)$")
      if k then c.env[side .. " " .. k] = v end
    end
  end
end

local function same(a, b, tol)
  local x, y = tonumber(a), tonumber(b)
  if x and y then
    if x == y then return true end
    if x ~= x and y ~= y then return true end
    return math.abs(x - y) <= tol.atol + tol.rtol * math.abs(y)
  end
  return a == b
end

-- the verdict of one check over all rounds: ok, or what went wrong
local function judge(ch, rounds, ran)
  for r = 1, rounds do
    local g, p = ch.geolab[r], ch.python[r]
    -- a round one side did not finish (stopped, failed) compares nothing
    if (g or p) and (not ran or (ran.geolab[r] and ran.python[r])) then
      if not g then return false, ("%s: printed by Python only"):format(ch.what), r end
      if not p then return false, ("%s: printed by geolab only"):format(ch.what), r end
      if not same(g, p, ch.tol) then
        return false, ("%s differs in round %d (geolab %s, Python %s, %s)"):format(ch.what, r, g, p, ch.tol.text), r
      end
    end
  end
  return true
end

local function read_case(name)
  local d = out .. "/results/" .. name
  local runs = lines(d .. "/runs")
  if not runs then return nil end
  local c = {name = name, rows = {}, order = {}, problems = {}, env = {}, runs = {},
             rounds = 0, loads = {}, rss = {geolab = {}, python = {}}, ran = {geolab = {}, python = {}}}
  for _, l in ipairs(runs) do
    local r, side, kv = l:match("^run%s+(%d+)%s+(%a+)%s+(.*)$")
    if r then
      r = tonumber(r)
      c.rounds = math.max(c.rounds, r)
      if c.ran[side] then c.ran[side][r] = true end
      local e = {}
      for k, v in kv:gmatch("(%S+)=(%S+)") do e[k] = tonumber(v) or v end
      c.loads[#c.loads + 1] = e.load_before
      c.loads[#c.loads + 1] = e.load_after
      if type(e.maxrss_kb) == "number" then table.insert(c.rss[side], e.maxrss_kb / 1024) end
      parse_out(c, side, r, ("%s/%s.%d.out"):format(d, side, r))
    end
    c.failed = c.failed or l:match("^failed%s+(.*)$")
    c.blas = c.blas or l:match("^blas_threads%s+(%d+)")
  end
  -- a row's verdict: times on both sides, at least one check, all passed
  for _, name in ipairs(c.order) do
    local r = c.rows[name]
    local why
    if c.failed then why = "case failed: " .. c.failed end
    local t = r.is_time and r.t or r.mem
    if not why and #t.geolab == 0 then why = "no geolab value" end
    if not why and #t.python == 0 then why = "no Python value" end
    for _, w in ipairs(r.check_order) do
      local ok, msg = judge(r.checks[w], c.rounds, c.ran)
      if not ok then why = why or msg end
    end
    if not why and #r.check_order == 0 and not r.verified_order then
      why = "no check that both sides computed the same thing"
    end
    r.why = why
  end
  return c
end

-- {====== the page
local W = {}
local function w(s) W[#W + 1] = s or "" end

local env, env_order = {}, {}
for _, l in ipairs(lines(out .. "/run.env") or {}) do
  local k, v = l:match("^(%S+)%s+(.*)$")
  if k then env[k] = v; env_order[#env_order + 1] = k end
end
local titles, names = {}, {}
for _, l in ipairs(lines(root .. "/bench/TITLES") or {}) do
  local k, v = l:match("^([^#%s]%S*)%s+(.+)$")
  if k then titles[k] = v; names[#names + 1] = k end
end
local cases, missing, ordered = {}, {}, {}
for _, n in ipairs(names) do
  local c = read_case(n)
  if c then cases[#cases + 1] = c else missing[#missing + 1] = n end
  ordered[#ordered + 1] = c or {name = n, missing = true}
end
local alll = {}
for _, c in ipairs(cases) do for _, x in ipairs(c.loads) do alll[#alll + 1] = x end end

local function e(k) return env[k] or "?" end
local quick = env.quick and env.quick ~= "0"
w("# Performance")
w()
if quick then
  w("**A quick run (BENCH_QUICK=1): smaller data and fewer repetitions, to check the scripts; not a measurement.**")
  w()
end
w("geolab against the Python stack on the same data, in the same run, on the same machine.")
w("Written whole by `bench/run.sh` (`bench/report.lua`) from what it measured; edit the")
w("`bench/NAME.notes` files, not this page. Each case runs interleaved rounds (geolab, Python,")
w("geolab, Python, ...; how many is said under each heading); every time is the median over the rounds of each")
w("script's own best of a few repetitions, in milliseconds, with the range (min–max) in")
w("brackets. The ratio is **geolab time / Python time**: below 1 means geolab is faster;")
w("its range is that of the per-round ratios. A ratio is given only where the two sides were")
w("checked to compute the same thing (the checks follow each table); otherwise the row says")
w("why it is not comparable.")
w()
w("## Machine and settings")
w()
w(("- Run %s, commit %s, %s."):format(e("date"), e("commit"), e("geolab")))
w(("- CPU: %s, %s cores, %s MB of memory; %s."):format(e("cpu"), e("cores"), e("memory_MB"), e("os")))
w(("- Python %s: NumPy %s, SciPy %s, pandas %s, scikit-learn %s, matplotlib %s, PyTorch %s (CPU)."):format(
  e("python"), e("numpy"), e("scipy"), e("pandas"), e("sklearn"), e("matplotlib"), e("torch")))
w(("- BLAS: one OpenBLAS library for both sides (%s), core type %s (%s on both sides)."):format(
  e("openblas_config"), e("openblas_core"), env.openblas_coretype == "unset"
    and "`OPENBLAS_CORETYPE` unset, so detected from the CPU," or ("`OPENBLAS_CORETYPE=%s`"):format(e("openblas_coretype"))))
w(("- Threads: %s on both sides: `geolab --threads %s`, `OMP_NUM_THREADS=%s`, `OPENBLAS_NUM_THREADS=%s`"):format(
  e("threads"), e("threads"), e("threads"), e("threads")))
w("  (1 for the nn cases, as issue 14 prescribes for PyTorch, whose own pool would fight")
w("  OpenBLAS's); the Python scripts set scikit-learn's `n_jobs=2` and `torch.set_num_threads(2)`. geolab calls BLAS")
w("  on one thread by design and parallelises around it, so that results do not depend on")
w("  the thread count.")
if #alll > 0 then
  local lo, hi = range(alll)
  w(("- Machine load (1-minute load average, sampled before and after every run of every side): %s to %s"):format(load(lo), load(hi)))
  w(("  on %s cores. The machine is shared; times rise with the load, ratios less so."):format(e("cores")))
end
if #missing > 0 then
  w("- Not run: " .. table.concat(missing, ", ") .. ".")
end
local note = slurp(out .. "/run.note")   -- what the person who ran it has to say (BENCH_NOTE)
if note and note:match("%S") then w("- " .. note:gsub("%s+$", "")) end

-- {====== summary: every comparable time row, and where geolab is behind
do
  local n, behind, nc = 0, {}, 0
  for _, c in ipairs(cases) do
    for _, name in ipairs(c.order) do
      local r = c.rows[name]
      if r.is_time then
        if r.why then nc = nc + 1
        else
          n = n + 1
          local q = median(r.t.geolab) / median(r.t.python)
          if q > 1 then behind[#behind + 1] = ("%s / %s (%s)"):format(c.name, label(name), num(q)) end
        end
      end
    end
  end
  w()
  w("## Summary")
  w()
  w(("%d timed rows checked comparable, %d not comparable (each says why below)."):format(n, nc))
  if #behind == 0 then
    w("geolab is faster than Python on every comparable row.")
  else
    w(("geolab is slower than Python (ratio above 1) on %d of them: %s."):format(#behind, table.concat(behind, "; ")))
  end
end

-- the rows of a case: a times table, then the checks
local function ratio_cell(r)
  local t = r.is_time and r.t or r.mem
  if r.why then return "not comparable" end
  local mg, mp = median(t.geolab), median(t.python)
  local s = num(mg / mp)
  local per = {}
  for i = 1, math.min(#t.geolab, #t.python) do per[i] = t.geolab[i] / t.python[i] end
  if #per > 1 then
    local lo, hi = range(per)
    s = ("%s (%s–%s)"):format(s, num(lo), num(hi))
  end
  return "**" .. s .. "**"
end

local scaling = {}   -- rows named NAME_<k>x, for the scaling section
local memrows = {}
for _, c in ipairs(ordered) do
  w()
  w("## " .. (titles[c.name] or c.name))
  w()
  if c.missing then   -- keep its heading and notes: say it was not measured
    w(("Not measured in this run (`bench/run.sh %s` measures it)."):format(c.name))
    local notes = slurp(root .. "/bench/" .. c.name .. ".notes")
    if notes then w(); w((notes:gsub("%s+$", ""))) end
    goto next_case
  end
  local ll, lh = range(c.loads)
  local info = ("`bench/%s.lua` / `bench/%s.py`, %d round%s, load %s–%s"):format(
    c.name, c.name, c.rounds, c.rounds == 1 and "" or "s", load(ll), load(lh))
  if c.blas then info = info .. (", OPENBLAS_NUM_THREADS=%s"):format(c.blas) end
  if #c.rss.geolab > 0 and #c.rss.python > 0 then
    info = info .. (", peak memory of the whole script %s MB (geolab) and %s MB (Python)"):format(
      num(median(c.rss.geolab)), num(median(c.rss.python)))
  end
  w(info .. ".")
  if c.failed then
    w()
    w("**This case failed: " .. c.failed .. "** (see bench/out/results/" .. c.name .. "/).")
  end
  for _, p in ipairs(c.problems) do w(); w("Unreadable output: " .. p) end
  local trows = {}
  for _, n in ipairs(c.order) do
    local r = c.rows[n]
    if r.is_time then trows[#trows + 1] = r end
    if r.is_mem then memrows[#memrows + 1] = r end
    local base, k = n:match("^(.-)_(%d+)x$")
    if base and r.is_time then
      local s = scaling[base]
      if not s then s = {name = base, ks = {}, rows = {}}; scaling[base] = s; scaling[#scaling + 1] = s end
      s.ks[#s.ks + 1] = tonumber(k); s.rows[tonumber(k)] = r
    end
  end
  if #trows > 0 then
    w()
    w("| row | geolab (ms) | Python (ms) | geolab / Python |")
    w("|---|---:|---:|---:|")
    for _, r in ipairs(trows) do
      w(("| %s | %s | %s | %s |"):format(label(r.name), spread(r.t.geolab), spread(r.t.python), ratio_cell(r)))
    end
  end
  -- checks
  local ck = {}
  for _, n in ipairs(c.order) do
    local r = c.rows[n]
    for _, what in ipairs(r.check_order) do
      local ch = r.checks[what]
      local ok, msg, bad = judge(ch, c.rounds, c.ran)
      -- the values of the round that failed, else of the last round
      local shown = bad or c.rounds
      local val = function(t) return t[shown] or "—" end
      -- a row the Python side does not run (r.why says so) has nothing to compare
      local verdict = ok and "ok" or (r.why and not next(ch.python) and "not run by Python" or "**FAILED**")
      ck[#ck + 1] = ("| %s | %s | %s | %s | %s | %s |"):format(label(n), cell(what), cell(val(ch.geolab)),
        cell(val(ch.python)), ch.tol.text, verdict)
    end
    for _, what in ipairs(r.verified_order or {}) do
      local v = r.verified[what]
      local by_py = v.side == "python"
      ck[#ck + 1] = ("| %s | %s | %s | %s | compared by the %s side | ok |"):format(label(n), cell(what),
        by_py and "saved for Python" or cell(v.detail), by_py and cell(v.detail) or "saved for geolab",
        by_py and "Python" or "geolab")
    end
  end
  local why = {}
  for _, n in ipairs(c.order) do
    local r = c.rows[n]
    if r.why then why[#why + 1] = ("- %s: not comparable, %s."):format(label(n), r.why) end
  end
  if #ck > 0 then
    w()
    w("Checks (every round is compared; the values shown are the last round's, or those of the round that failed):")
    w()
    w("| row | quantity | geolab | Python | tolerance | |")
    w("|---|---|---:|---:|---|---|")
    for _, l in ipairs(ck) do w(l) end
  end
  if #why > 0 then
    w()
    for _, l in ipairs(why) do w(l) end
  end
  local notes = slurp(root .. "/bench/" .. c.name .. ".notes")   -- hand-written, kept across runs
  if notes then w(); w((notes:gsub("%s+$", ""))) end
  ::next_case::
end

if #scaling > 0 then
  w()
  w("## Scaling")
  w()
  w("Median times (ms) at each size and the growth factor from one size to the next: with")
  w("data 4 times larger, a linear algorithm takes 4 times longer, an n log n one a little more.")
  w()
  w("| row | side | sizes | times (ms) | growth per step |")
  w("|---|---|---|---|---|")
  for _, s in ipairs(scaling) do
    table.sort(s.ks)
    for _, side in ipairs(SIDES) do
      local ts, gs, sz = {}, {}, {}
      local prev
      for _, k in ipairs(s.ks) do
        local m = median(s.rows[k].t[side])
        sz[#sz + 1] = k .. "x"
        ts[#ts + 1] = m and num(m) or "not run"
        if m and prev then gs[#gs + 1] = ("%.1f"):format(m / prev) end
        prev = m
      end
      w(("| %s | %s | %s | %s | %s |"):format(label(s.name), side == "geolab" and "geolab" or "Python",
        table.concat(sz, ", "), table.concat(ts, ", "), #gs > 0 and table.concat(gs, ", ") or "—"))
    end
  end
end

if #memrows > 0 then
  w()
  w("## Peak memory")
  w()
  w("Peak resident memory (VmHWM) of a process that does only that work, in MB, median of the")
  w("rounds; the ratio is geolab / Python (below 1: geolab needs less).")
  w()
  w("| row | geolab (MB) | Python (MB) | geolab / Python |")
  w("|---|---:|---:|---:|")
  for _, r in ipairs(memrows) do
    w(("| %s | %s | %s | %s |"):format(label(r.name), spread(r.mem.geolab), spread(r.mem.python), ratio_cell(r)))
  end
end

io.write(table.concat(W, "\n"), "\n")
