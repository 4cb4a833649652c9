-- grade_slurm_missing.lua: geolab grade --slurm where Slurm is not installed
-- (PATH without sbatch): a clear error naming the missing command and the
-- local alternative, nothing submitted, nothing graded; and the options
-- that only make sense with --slurm (issue 18). Needs no cluster.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = fs.abspath(T.tmp("grade_slurm_missing"))
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "/subs' '" .. dir .. "/empty'")
os.execute(("cp tests/fixtures/grade/submission.lua '%s/subs/alice.lua'"):format(dir))

local function geolab (args, env)
  return T.sh(("%s'%s' %s"):format(env or "", exe, args))
end

-- {===== no sbatch on PATH
local out, rc = geolab(("grade --batch '%s/subs' --out '%s/class' --slurm --data data"):format(dir, dir),
                       ("env PATH='%s/empty' "):format(dir))
T.eq(rc, 2, out)
T.eq(out, "geolab grade: --slurm: sbatch not found on PATH (install Slurm or run without --slurm); " ..
          "to grade on this machine instead: geolab grade --batch DIR --out DIR --jobs N\n")
T.ok(not fs.exists(dir .. "/class/.slurm") and not fs.exists(dir .. "/class/alice"), "nothing submitted or graded")
-- =====}

-- {===== options
local function fails (args, msg)
  local o, r = geolab("grade " .. args)
  T.eq(r, 2, args)
  T.ok(o:find(msg, 1, true), ("%s: %s"):format(args, o))
end
local b = ("--batch '%s/subs' --out '%s/class' "):format(dir, dir)
fails(b .. "--partition debug", "geolab grade: --partition needs --slurm")
fails(b .. "--no-wait", "geolab grade: --no-wait needs --slurm")
fails(b .. "--slurm --jobs 2", "geolab grade: --jobs is for grading on this machine; with --slurm, --array-limit K")
fails(b .. "--slurm --array-limit 0", "geolab grade: --array-limit needs an integer >= 1, got '0'")
fails("tests/fixtures/grade/submission.lua --out x --slurm", "geolab grade: --slurm grades a folder: give --batch DIR")
fails("--collect '" .. dir .. "/nothere'", "geolab grade: no Slurm grading was submitted into '" .. dir .. "/nothere'")
-- =====}
T.done()
