-- hostile.lua: every script of tests/grade/hostile/ graded in turn; each is
-- stopped or refused, says so in summary.json, and the grader carries on to
-- the next (issue 16 part B).
local T = require "testlib"
local json = require "geolab.report_json"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local H = "tests/grade/hostile/"
local dir = fs.abspath(T.tmp("grade_hostile"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "/data'")
-- the data folder holds a link out of it; a file outside it that must stay put
os.execute(("ln -s /etc '%s/data/etc_link' && echo secret > '%s/secret.txt' && ln -s '%s/secret.txt' '%s/data/secret_link'")
  :format(dir, dir, dir, dir))
T.write(dir .. "/data/ok.txt", "allowed\n")
T.write("/tmp/geolab_hostile_keep.txt", "keep\n")
os.remove("/tmp/geolab_hostile_escape.txt"); os.remove("/tmp/geolab_hostile_escape.npy")
os.remove("/tmp/geolab_hostile_escape.png")

local sh = T.sh

-- grade(name, extra options) -> summary table, output, exit code
local function grade (name, opts)
  local out = dir .. "/" .. name
  local o, rc = sh(("'%s' grade %s%s.lua --data '%s/data' --out '%s' %s"):format(exe, H, name, dir, out, opts or ""))
  local s = json.decode(T.read(out .. "/summary.json"), name)
  T.ok(T.read(out .. "/report.html"):find("seccomp: ", 1, true), name .. ": the report names the layers")
  return s, o, rc
end
local function refused (s, what, detail)
  for _, r in ipairs(s.refused) do
    if r.what == what and (detail == nil or r.detail:find(detail, 1, true)) then return true end
  end
  return false
end
local function cell (s, i) return s.cells[i] end
local NOT_READ = "not allowed by the grading sandbox (files are read only under --data, the script's folder and --out)"

-- {===== files
local s, o, rc = grade("read_passwd")
T.eq(rc, 1, "read_passwd: exit status 1 (a cell failed)")
T.ok(o:find("read_passwd.lua: errors", 1, true), o)
T.eq(s.status, "errors")
T.ok(refused(s, "read", "/etc/passwd"), "read of /etc/passwd logged")
T.ok(cell(s, 1).stdout:find("not allowed by the grading sandbox", 1, true), "io.open returns nil, message")
T.ok(not cell(s, 2).stdout:find("root:", 1, true) and cell(s, 2).stdout:find("^false"), "pd.read_csv refused")
T.eq(cell(s, 3).stdout, "false\tnp.loadtxt: cannot open file: " .. NOT_READ .. " (/etc/passwd)\n" ..
     "false\tfs.listdir: /etc: " .. NOT_READ .. "\n", "np.loadtxt and fs.listdir refused")
T.eq(cell(s, 4).status, "error")
T.ok(not T.read(dir .. "/read_passwd/summary.json"):find("root:x:", 1, true), "no line of /etc/passwd anywhere")

s = grade("escape_paths", "-- '" .. dir .. "/data'")
T.eq(s.status, "ok")
local out1 = cell(s, 1).stdout
T.ok(not out1:find("root:", 1, true) and not out1:find("\nsecret\n", 1, true), "nothing read through links or ..")
T.ok(refused(s, "read", "etc_link/passwd") and refused(s, "read", "/../../") and refused(s, "read", "secret_link"),
     "each escape logged")
T.eq(select(2, out1:gsub("not allowed by the grading sandbox", "")), 4, "four refusals printed")
T.eq(cell(s, 2).stdout, "allowed\n\n", "a file inside the data folder reads")

s = grade("write_outside")
T.eq(s.status, "ok")
for _, p in ipairs {"/tmp/geolab_hostile_escape.txt", "/tmp/geolab_hostile_escape.npy", "/tmp/geolab_hostile_escape.png",
                    dir .. "/escape.txt", "/tmp/geolab_hostile_dir"} do
  T.ok(not fs.exists(p), "not written: " .. p)
end
T.eq(T.read("/tmp/geolab_hostile_keep.txt"), "keep\n", "os.remove outside refused")
T.eq(select(2, cell(s, 1).stdout:gsub("grading sandbox", "")), 4, "four refusals say so: " .. cell(s, 1).stdout)
T.ok(cell(s, 1).stdout:find("savefig: cannot write /tmp/geolab_hostile_escape.png (Permission denied)", 1, true))
T.ok(cell(s, 1).stdout:find("\nfalse\tfs.mkdir: ", 1, true), "fs.mkdir refused")
T.ok(refused(s, "write", "/tmp/geolab_hostile_escape.npy") and refused(s, "write", "/../../escape.txt"))
T.ok(fs.isfile(dir .. "/write_outside/files/inside.npy"), "writes under out/files work")
-- =====}

-- {===== processes, C libraries, bytecode, metatables
s = grade("spawn")
T.eq(s.status, "errors")
T.eq(cell(s, 1).stdout, "false\tos.execute: not allowed in the grading sandbox\nfalse\tio.popen: not allowed in the grading sandbox\n")
T.ok(refused(s, "call os.execute", ":(){") and refused(s, "call io.popen", "id"))
T.ok(cell(s, 2).error:find("os.execute: not allowed", 1, true))

s = grade("socket")
T.eq(s.status, "errors")
T.ok(cell(s, 1).stdout:find("^false\tpackage.loadlib: not allowed"), cell(s, 1).stdout)
T.ok(cell(s, 1).stdout:find("false\t[^\n]*module 'socket' not found"), "no C searcher finds socket.so")
T.ok(refused(s, "call package.loadlib", "libc.so.6"))
T.eq(s.sandbox.seccomp:match("^%a+"), "active", "seccomp filter on")

s = grade("bytecode")
T.eq(s.status, "ok")
T.eq(cell(s, 1).stdout, ('nil\tload: only text chunks (mode "t") in the grading sandbox\n'):rep(3), "each load refused")
T.eq(cell(s, 2).stdout, "2\n", "text chunks load")
T.eq(#s.refused, 3)
T.eq(s.refused[1].what, "load bytecode")

s = grade("string_meta")
T.eq(s.status, "ok")
T.ok(cell(s, 1).stdout:find("^false\t.*attempt to index a boolean value"), "getmetatable(\"\") gives no metatable")
T.eq(cell(s, 2).stdout, "5 apples\nabab\n", "string methods unchanged for the next cell and the grader")
-- =====}

-- {===== limits
s = grade("huge_png")
T.eq(s.status, "errors")
T.ok(cell(s, 1).error:find("savefig: a figure of 60000x60000 pixels is over the grading limit", 1, true), cell(s, 1).error)
T.ok(refused(s, "figure size", "60000x60000"))
T.eq(#s.figures, 0, "no figure written")

s = grade("print_bomb", "--timeout 60")
T.eq(s.status, "stopped")
T.eq(s.limit, "output")
T.ok(cell(s, 1).error:find("grade: printed output over the limit of 2 MiB: the script was stopped", 1, true))
T.ok(cell(s, 1).numbers_truncated and #cell(s, 1).numbers == 10000 and cell(s, 1).numbers[1] == 1, "numbers kept: the first 10000")
T.ok(cell(s, 1).stdout_bytes > 2000000 and #cell(s, 1).stdout < 70000, "stdout in summary.json capped")
T.eq(cell(s, 2).status, "error", "later prints stop too")
T.ok(refused(s, "output limit"))

s = grade("infinite_loop", "--timeout 10")
T.eq(s.status, "stopped")
T.eq(s.limit, "wall")
T.eq(s.exit.signal, "KILL")
T.eq(cell(s, 1).stdout, "before\n", "the cells before the loop are kept")
T.eq(cell(s, 2).status, "stopped")
T.eq(cell(s, 2).error, "stopped: the wall-clock limit (10 s) was reached")

s = grade("coroutine_swallow", "--timeout 10")
T.eq(s.status, "stopped")
T.eq(s.limit, "wall")
T.eq(cell(s, 1).status, "stopped")

-- a sanitizer build cannot limit its address space: no memory bomb there
if s.sandbox.rlimits:find("address space: not set", 1, true) then
  print("skipped: memory bomb (" .. s.sandbox.rlimits .. ")")
else
  s = grade("memory_bomb", "--memory 512M --timeout 120")
  T.eq(s.status, "stopped")
  T.eq(s.limit, "memory")
  T.eq(cell(s, 1).status, "error")
  T.ok(cell(s, 1).error:find("not enough memory", 1, true), cell(s, 1).error)
  T.ok(s.measured.peak_memory_mib < 600, "peak under the limit: " .. s.measured.peak_memory_mib)
end

s = grade("gc_after", "--timeout 20")
T.eq(s.status, "ok", "a __gc loop after the script never runs (the child leaves with _exit; else: stopped, wall)")
T.eq(cell(s, 1).stdout, "script done\n")
-- =====}

-- the sandbox layers, as the summary reports them
T.ok(s.sandbox.lua:find("^active"))
T.ok(s.sandbox.rlimits:find("^active"))
T.ok(s.sandbox.seccomp:find("^active") or s.sandbox.seccomp:find("^unavailable"))
T.ok(s.sandbox.landlock:find("^active %(ABI %d+%)") or s.sandbox.landlock:find("^unavailable"), s.sandbox.landlock)
T.done()
