-- notebooks_fresh.lua: notebooks/*.ipynb are the practicals of scripts/ as
-- `geolab convert` writes them (issue 17): each script converted again into
-- a scratch folder must give the checked-in notebook byte for byte, and no
-- notebook is left without its script. So the notebooks are never edited by
-- hand and never stale: after changing a practical, run
-- notebooks/regenerate.sh (tests/kernel/kernel_nbconvert.py executes them).
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:find("/") and not exe:find("^/") then exe = fs.abspath(exe) end
local dir = T.tmp("notebooks_fresh")
os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(dir, dir))

local scripts, notebooks = {}, {}
for _, name in ipairs(fs.listdir("scripts")) do
  local n = name:match("^(.+)%.lua$")
  if n then scripts[#scripts + 1] = n end
end
for _, name in ipairs(fs.listdir("notebooks")) do
  local n = name:match("^(.+)%.ipynb$")
  if n then notebooks[#notebooks + 1] = n end
end
T.ok(#scripts >= 7, "practicals found: " .. #scripts)
T.eq(notebooks, scripts, "one notebook per practical (notebooks/regenerate.sh writes them)")
for _, n in ipairs(scripts) do
  local out, rc = T.sh(("'%s' convert scripts/%s.lua -o '%s/%s.ipynb'"):format(exe, n, dir, n))
  T.eq(rc, 0, out)
  local want = T.read(("%s/%s.ipynb"):format(dir, n))
  T.ok(want and want == T.read(("notebooks/%s.ipynb"):format(n)),
    ("notebooks/%s.ipynb is not scripts/%s.lua as geolab convert writes it: run notebooks/regenerate.sh"):format(n, n))
end
-- data/ is found from the notebooks' folder, as the scripts find it from the source root
T.ok(fs.isfile("notebooks/data/iris/iris.csv"), "notebooks/data leads to data/")
T.done()
