-- core_help.lua: help() prints manual entries cut from docs/*.md (issue 10),
-- and every public function of every module has one.
local T = require "testlib"
-- the entries are cut at build time (cmake/helpgen.lua): nothing is read at
-- startup, and the markdown itself is no longer in the binary
T.eq(package.loaded["geolab.help_entries"], nil, "help entries are loaded only when help() is used")
T.ok(not pcall(require, "geolab.help_pages"), "the manual's markdown is not embedded")
local H = require "geolab.help"

-- internal hooks that the module tables expose but users never call
local NOT_PUBLIC = {
  ["plt.Axes.new"] = "made by fig:add_subplot / plt.subplots, not by users",
  ["plt.Axes.draw"] = "called by savefig while rendering",
  ["plt.Figure.render"] = "called by savefig while rendering",
}

-- coverage: every module function, class and submodule function; methods of
-- ml classes are covered by their class's entry (help(model.fit) -> ml.SVC)
local missing = {}
local n = 0
for _, p in ipairs(H.public()) do
  local key = p[1]
  local method_of_class = key:match("^ml%.%u[%w_]*%.") or key:match("^stats%.[%w_]+_class%.")
    or key:match("^seis%.%u[%w_]*%.")
  if not NOT_PUBLIC[key] and not method_of_class then
    n = n + 1
    if H.text(key):match("^help: no manual entry") then missing[#missing + 1] = key end
  end
end
T.ok(n > 300, "public functions found: " .. n)
T.eq(missing, {}, "functions without a manual entry (add a definition line to docs/*.md)")

-- entries: signature from the definition line, its page, an example
local e = H.text(np.linspace)
T.ok(e:find("^np%.linspace  %(docs/arrays%.md"), e)
T.ok(e:find("`np.linspace(start, stop[, num = 50][, {endpoint = true, dtype}])`", 1, true), e)
T.ok(e:find("Example:\n", 1, true) and e:find("np.linspace(0, 1, 5)", 1, true), e)
T.eq(H.text("pd.read_csv"):match("^[^\n]+"), 'pd.read_csv  (docs/frames.md, "Making frames and series")')
T.ok(H.text("?np.linspace"):find("^np%.linspace"))
-- objects: an estimator gives its class, a frame pd.DataFrame, an array np.array
T.ok(H.text(ml.SVC{C = 1}):find("^ml%.SVC  %(docs/ml%.md"))
T.ok(H.text(ml.SVC):find("^ml%.SVC  "))
T.ok(H.text("ml.SVC.fit"):find("^ml%.SVC  "), "a method gives its class")
T.ok(H.text(pd.DataFrame{a = {1}}):find("^pd%.DataFrame  "))
T.ok(H.text(np.zeros{2}):find("^np%.array  "))
T.ok(H.text(plt.Axes.scatter):find("^plt%.Axes%.scatter  %(docs/plotting%.md"))
T.ok(H.text(seis.PhaseNet.pretrained):find("^seis%.PhaseNet%.pretrained  %(docs/seismic%.md"),
  "a function of a capitalised namespace, by value")
T.ok(H.text(plt.axhline):find("^plt%.axhline%(...%) is ax:axhline"))
-- the triangulation functions are defined on their own rows
for _, f in ipairs{"triplot", "tripcolor", "tricontour", "tricontourf"} do
  local e = H.text("plt." .. f)
  T.ok(e:find("`ax:" .. f .. "(tri", 1, true), e)
  T.ok(H.text("plt.Axes." .. f):find("^plt%.Axes%." .. f .. "  %(docs/plotting%.md"), f)
end
-- modules and the list of modules
T.ok(H.text():find("^geolab modules"))
T.ok(H.text(np):find("linspace") and H.text("pd"):find("read_csv"))
-- unknown names suggest
T.eq(H.text("np.linspac"), "help: no manual entry for 'np.linspac' (did you mean np.linspace?)")
T.ok(H.text(42):find("^help: no manual entry for this number"))
local db = require "geolab.help_entries"
T.ok(db.index["np.linspace"][1] > 0, "np.linspace is indexed as a definition")
T.ok(db.index[":plot"] ~= nil, "methods are indexed without their receiver")
-- help is a global that prints
T.eq(type(help), "function")
T.done()
