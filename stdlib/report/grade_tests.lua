-- grade_tests.lua: the teacher's tests of geolab grade --tests and geolab
-- check. A tests file returns a list of tests:
--   return {
--     {name = "k-means inertia", points = 2, cell = 2, timeout = 5, hidden = true,
--      test = function (sub, out) assert(...) end},
--   }
-- test(sub, out) gets the submission's globals (its top-level variables) and
-- what each cell printed (out[k], a string). A test that names a cell runs
-- right after that cell, in the state the script had then; the others run
-- after the last cell. A test passes when it returns without error (an
-- explicit false fails); an error, a crash or a timeout is a failure, never a
-- pass. Each test has its own time limit (default 10 s): a count hook stops
-- Lua code past it; C code running past it is stopped by the grader's
-- wall-clock kill, and the tests not yet run then count as failed. The
-- tests run in the grading child, in the sandbox, as trusted code.
local T = {}
local json = require "geolab.report_json"

local DEFAULT_TIMEOUT = 10

-- T.load(path) -> list of tests, checked; raises with a clear message.
function T.load (path)
  local f, err = loadfile(path, "t", setmetatable({}, {__index = _G}))
  if not f then error(("--tests: %s"):format(err), 0) end
  local ok, tests = pcall(f)
  if not ok then error(("--tests: %s: %s"):format(path, tostring(tests)), 0) end
  if type(tests) ~= "table" then error(("--tests: %s must return a list of tests"):format(path), 0) end
  for i, t in ipairs(tests) do
    local function bad (msg) error(("--tests: %s: test %d: %s"):format(path, i, msg), 0) end
    if type(t) ~= "table" then bad("not a table") end
    if type(t.test) ~= "function" then bad("needs test = function (sub, out) ... end") end
    if t.points ~= nil and (type(t.points) ~= "number" or t.points < 0) then bad("points must be a non-negative number") end
    if t.cell ~= nil and math.type(t.cell) ~= "integer" then bad("cell must be an integer") end
    if t.timeout ~= nil and (type(t.timeout) ~= "number" or t.timeout <= 0) then bad("timeout must be a positive number") end
    for k in pairs(t) do
      if not ({name = 1, points = 1, cell = 1, timeout = 1, hidden = 1, test = 1})[k] then
        bad(("unknown field '%s'"):format(tostring(k)))
      end
    end
  end
  return tests
end

-- Runs one test with its time limit; -> passed, message.
local function run_one (t, sub, out)
  local limit = t.timeout or DEFAULT_TIMEOUT
  local deadline = os.clock() + limit
  local function stop ()
    if os.clock() > deadline then error(("timed out after %g s"):format(limit), 2) end
  end
  local co = coroutine.create(function () return t.test(sub, out) end)
  debug.sethook(co, stop, "", 1000)
  local ok, res = coroutine.resume(co)
  if ok and coroutine.status(co) ~= "dead" then ok, res = false, "the test yielded" end
  if not ok then return false, tostring(res) end
  if res == false then return false, "returned false" end
  return true, nil
end

-- T.runner(path) -> runner with :after_cell(k, sub, out) and :finish(sub, out) -> results
function T.runner (path)
  local tests = T.load(path)
  local results, r = {}, {}
  for i, t in ipairs(tests) do
    results[i] = {name = t.name or ("test " .. i), points = t.points or 1, cell = t.cell, hidden = t.hidden or false,
                  passed = false, message = "not run (the script stopped before it)"}
  end
  local function run (i, sub, out)
    local ok, msg = run_one(tests[i], sub, out)
    results[i].passed, results[i].message = ok, msg or json.null
  end
  function r.after_cell (k, sub, out)
    for i, t in ipairs(tests) do if t.cell == k then run(i, sub, out) end end
  end
  function r.finish (sub, out)
    for i, t in ipairs(tests) do if t.cell == nil then run(i, sub, out) end end
  end
  function r.results ()
    local score, total = 0, 0
    for _, x in ipairs(results) do
      total = total + x.points
      if x.passed then score = score + x.points end
    end
    return {score = score, total = total, results = results}
  end
  return r
end

-- Feedback lines for a student: hidden tests show only pass/fail and points.
function T.feedback (tests)
  local lines = {("tests: %g/%g points"):format(tests.score, tests.total)}
  local nh = 0
  for _, x in ipairs(tests.results) do
    if x.hidden then
      nh = nh + 1
      lines[#lines + 1] = ("  %s hidden test %d (%g point%s)"):format(x.passed and "PASS" or "FAIL", nh, x.points,
        x.points == 1 and "" or "s")
    else
      lines[#lines + 1] = ("  %s %s (%g point%s)%s"):format(x.passed and "PASS" or "FAIL", x.name, x.points,
        x.points == 1 and "" or "s", x.passed and "" or ": " .. tostring(x.message))
    end
  end
  return lines
end

-- geolab check submission.lua --tests public.tests.lua: the same engine
function T.check (o, host, G)
  if not o.tests then
    io.stderr:write("geolab check: --tests FILE is required\n")
    return 2
  end
  if #o.data == 0 then o.data = {"."} end
  o.out = o.out or fs.join(".geolab-check", (fs.stem(o.script or "script")))
  local ok, s = pcall(G.grade_one, o, host)
  if not ok then
    io.stderr:write("geolab check: " .. tostring(s) .. "\n")
    return 2
  end
  print(("geolab check: %s: %s%s"):format(o.script, s.status, s.limit and (" (" .. s.limit .. ")") or ""))
  for _, c in ipairs(s.cells) do
    if c.error then print(("  cell %d (line %d): %s"):format(c.index, c.line, (c.error:match("^[^\n]*")))) end
  end
  if s.tests then for _, l in ipairs(T.feedback(s.tests)) do print(l) end end
  return (s.status == "ok" and s.tests and s.tests.score == s.tests.total) and 0 or 1
end

return T
