-- errors_where.lua: an uncaught error, as geolab prints it, names the user's
-- line and the public function, never a line of geolab's own Lua chunks
-- ("[geolab.frame]:62:") or a source path ("stdlib/..."). Each call runs in a
-- fresh process, as a student's script or REPL line does, because the position
-- is added by the host's message handler, which pcall never reaches. Before
-- the fix, an error raised in C under a module's Lua code (pd.read_csv of a
-- missing file) read "[geolab.frame]:62: pd.read_csv: ...", and a call in
-- tail position (any expression typed at the REPL, `return plt.subplots{...}`)
-- read "[geolab.util]:34: plt.subplots: unknown option 'nrow' ...".
local T = require "testlib"
local exe = arg[-1] or "geolab"
if exe:sub(1, 1) ~= "/" and exe:find("/", 1, true) then exe = os.getenv("PWD") .. "/" .. exe end
local dir = T.tmp("errors_where")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
local missing = dir .. "/missing"

-- {code, the start of the message after the position}
local CASES = {
  {"plt.subplots{nrow = 2}", "plt.subplots: unknown option 'nrow' (did you mean 'nrows'?)"},
  {"plt.subplots(2, 2, {nrow = 2})", "plt.subplots: unknown option 'nrow'"},
  {"plt.figure():subplots{nrow = 2}", "subplots: unknown option 'nrow' (did you mean 'nrows'?)"},
  {"plt.figure():savefig('" .. missing .. "/x.png')", "savefig: cannot write"},
  {"plt.imread('" .. missing .. ".png')", "plt.imread: cannot open"},
  {"pd.read_csv('" .. missing .. ".csv')", "pd.read_csv: cannot open"},
  {"pd.DataFrame{a = {1, 2}}:to_csv('" .. missing .. "/x.csv')", "DataFrame.to_csv: cannot write"},
  {"pd.DataFrame{a = {1, 2}}:groupby('b')", "groupby: column 'b' not found (did you mean 'a'?)"},
  {"pd.Series{1, 2}:rolling(0)", "rolling: window must be"},
  {"np.load('" .. missing .. ".npy')", "np.load: cannot open file"},
  {"np.read_idx('" .. missing .. ".idx')", "np.read_idx: cannot open file"},
  {"np.interp({1}, {2, 1}, {1, 2})", "np.interp: xp must be increasing"},
  {"spatial.read_las('" .. missing .. ".las')", "spatial.read_las: "},
  {"spatial.KDTree(np.zeros{3, 2}):query(np.zeros{2, 3})", "KDTree:query: points have 3 coordinates"},
  {"ml.StandardScaler():fit('x')", "ml.StandardScaler.fit: X must be"},
  {"ml.train_test_split(np.zeros{4, 2}, {test_size = 2.5})", "ml.train_test_split: test_size=2.5"},
  -- reworded by the caller after its own pcall: no position inside the text
  {"ml.cross_val_score(ml.SVC(), np.zeros{3, 2}, {1, 2, 1}, {cv = 5})",
   "ml.cross_val_score: cannot have n_splits=5 greater than the number of samples n_samples=3"},
  {"stats.pearsonr({1, 2, 3}, {1, 2})", "stats.pearsonr: x and y must have the same length"},
  {"signal.find_peaks(np.zeros{5}, {heigth = 1})", "signal.find_peaks: unknown option 'heigth'"},
  {"fs.listdir('" .. missing .. "')", "fs.listdir: "},
}

local function run(cmd)
  local p = assert(io.popen(cmd .. " 2>&1"))
  local out = p:read("a")
  p:close()
  return out:match("^[^\n]*")
end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

-- Scripts run from dir by their bare names: Lua shortens a chunk name past
-- 60 characters to ".../end", and a clone in a deep folder (mktemp -d) made
-- every expected position a prefix of something else.
local function run_script(name)
  return run(("cd '%s' && '%s' '%s'"):format(dir, exe, name))
end

-- where: the accepted positions ("file:2: "), one string or a list
local function check(what, got, where, want)
  local ok = false
  for _, w in ipairs(type(where) == "table" and where or {where}) do
    local head = w .. want
    if got:sub(1, #head) == head then ok = true end
  end
  T.ok(ok, ("%s: got '%s', want it to start with '%s'"):format(what, got,
    (type(where) == "table" and where[1] or where) .. want))
  T.ok(not got:find("[geolab.", 1, true) and not got:find("stdlib/", 1, true),
    what .. ": internal location in '" .. got .. "'")
end

-- The cases run as a helper's tail call and as a REPL line too: one of each
-- way an error is raised (util.raise in Lua, C under Lua, C called directly,
-- a method, a reworded pcall), to keep the fresh processes few (under ASan
-- each costs about half a second).
local ALL_FORMS = {[1] = true, [3] = true, [6] = true, [7] = true, [10] = true, [13] = true, [14] = true, [17] = true}

for i, c in ipairs(CASES) do
  local code, want = c[1], c[2]
  -- a statement of a script, on line 2
  local script = ("s%d.lua"):format(i)
  write(dir .. "/" .. script, "local x = 1\n" .. code .. "\n")
  check(code, run_script(script), script .. ":2: ", want)
  if not ALL_FORMS[i] then goto next end
  -- the same call as a helper's tail call: when the function called is Lua
  -- the helper's frame is gone and the nearest line of the user's is the
  -- helper's call, on line 3; a C function keeps the helper's frame (line 1)
  script = ("t%d.lua"):format(i)
  write(dir .. "/" .. script, "local function helper() return " .. code .. " end\nlocal x = 1\nhelper()\n")
  check("tail call " .. code, run_script(script), {script .. ":3: ", script .. ":1: "}, want)
  -- typed at the REPL, where an expression runs as a call, not a tail call
  local input = ("%s/r%d.txt"):format(dir, i)
  write(input, code .. "\n")
  check("REPL " .. code, run(("'%s' -i < '%s'"):format(exe, input)), "stdin:1: ", want)
  ::next::
end

-- `return <call>` in a main chunk leaves no user frame at all: no position,
-- but still no module line
write(dir .. "/main_tail.lua", "return plt.subplots{nrow = 2}\n")
check("main chunk tail call", run_script("main_tail.lua"), "",
  "plt.subplots: unknown option 'nrow'")

-- the REPL still prints every value of an expression, and statements run
write(dir .. "/values.txt", "1 + 1, 'a', nil, 4 -- a comment\nx = 5\nx\n")
local p = assert(io.popen(("'%s' -i < '%s/values.txt' 2>&1"):format(exe, dir)))
local out = p:read("a")
p:close()
T.eq(out, "2\ta\tnil\t4\n5\n")
T.done()
