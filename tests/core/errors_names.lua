-- errors_names.lua: errors name what the user called and point at the
-- user's line (issue 12, "Clear errors, no silent nonsense"; issue 10 item
-- on method typos). Each case failed before: module Lua code raised at
-- "[geolab.frame]:55:", ax:plott said "attempt to call a nil value", and
-- the issue's examples blamed np.asarray, 'asarray', "y has 3 samples",
-- "infs or NaNs" and "Operation not supported".
local T = require "testlib"
local SRC = debug.getinfo(1, "S").short_src

-- The message of f() and the line of this file that made the call.
local function raised(f)
  local ok, e = pcall(f)
  T.ok(not ok, "expected an error")
  return tostring(e)
end
local function at_line(e, fname, line, what)
  local want = ("%s:%d: %s:"):format(SRC, line, fname)
  T.ok(e:sub(1, #want) == want, (what or fname) .. ": '" .. e .. "' should start with '" .. want .. "'")
  T.ok(not e:find("[geolab.", 1, true), (what or fname) .. ": no module position in '" .. e .. "'")
end

-- {===== errors raised in the Lua parts of modules point at the user's line
local line
local e = raised(function() line = debug.getinfo(1, "l").currentline; local r = pd.DataFrame("x"); return r end)
at_line(e, "pd.DataFrame", line)
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = pd.concat(3); return r end)
at_line(e, "pd.concat", line)
local _, ax = plt.subplots()
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = ax:bar(); return r end)
at_line(e, "bar", line, "ax:bar")
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = ml.train_test_split(true); return r end)
at_line(e, "ml.train_test_split", line)
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = ml.SVC{C = -1}:fit(np.zeros{4, 2}, {1, 2, 1, 2}); return r end)
at_line(e, "ml.SVC.fit", line)   -- ml_svm.lua's errors used level 0: no position at all
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = np.polyfit({1, 2}, {1, 2}, "x"); return r end)
at_line(e, "np.polyfit", line)
-- a helper two calls deep inside the module still reports the user's line
e = raised(function() line = debug.getinfo(1, "l").currentline; local r = ml.cross_val_score(ml.SVC(), np.zeros{3, 2}, {1, 2, 1}, {cv = 5}); return r end)
at_line(e, "ml.cross_val_score", line)
-- a direct pcall of a module function: no position, as with Lua's own functions
local ok, m = pcall(pd.DataFrame, "x")
T.ok(not ok and m:sub(1, 13) == "pd.DataFrame:", "pcall(pd.DataFrame, 'x'): " .. tostring(m))
-- }=====

-- {===== the issue's examples
e = raised(function() return ml.LinearRegression():fit({{"a"}, {"b"}}, {1, 2}) end)
T.ok(e:find("ml.LinearRegression.fit:", 1, true) and not e:find("asarray", 1, true), "fit on strings: " .. e)
e = raised(function() return ml.SVC():fit(np.zeros{3, 2}, "abc") end)
T.ok(e:find("ml.SVC.fit:", 1, true) and not e:find("3 samples", 1, true), "SVC fit y='abc': " .. e)
e = raised(function() return plt.scatter("a", "b") end)
T.ok(e:find("plt.scatter:", 1, true) and not e:find("bad argument", 1, true), "plt.scatter('a', 'b'): " .. e)
plt.close("all")
e = raised(function() return ml.LinearRegression():fit(np.array{{1e308}, {1.5e308}}, np.array{1, 2}) end)
T.ok(e:find("ml.LinearRegression.fit:", 1, true) and e:find("too large", 1, true) and not e:find("infs or NaNs", 1, true),
  "fit near 1e308: " .. e)
e = raised(function() return ml.Ridge():fit(np.array{{1e308}, {-1.5e308}}, np.array{1, 2}) end)
T.ok(e:find("ml.Ridge.fit:", 1, true) and e:find("too large", 1, true), "Ridge near 1e308: " .. e)
local dir = T.tmp("errors_names.npz")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
e = raised(function() return np.savez(dir, {a = np.zeros{2}}) end)
T.ok(e:find("np.savez:", 1, true) and e:find("Is a directory", 1, true) and not e:find("Operation not supported", 1, true),
  "np.savez to a folder: " .. e)
e = raised(function() return np.savez_compressed(dir, {a = np.zeros{2}}) end)
T.ok(e:find("np.savez_compressed:", 1, true) and e:find("Is a directory", 1, true), "np.savez_compressed to a folder: " .. e)
-- }=====

-- {===== method typos on objects
local function typo(obj, k, want)
  local msg = raised(function() return obj[k] end)
  T.ok(msg:find(want, 1, true) ~= nil, ("%s: '%s' should contain \"%s\""):format(k, msg, want))
  msg = raised(function() return obj[k](obj) end)
  T.ok(msg:find(want, 1, true) ~= nil and not msg:find("nil value", 1, true), k .. " called: " .. msg)
end
local fig
fig, ax = plt.subplots()
typo(ax, "plott", "Axes has no method 'plott' (did you mean 'plot'?)")
typo(ax, "set_xlabell", "Axes has no method 'set_xlabell' (did you mean 'set_xlabel'?)")
typo(fig, "savefigg", "Figure has no method 'savefigg' (did you mean 'savefig'?)")
local im = ax:imshow(np.zeros{2, 2})
typo(fig:colorbar(im), "set_labell", "Colorbar has no method 'set_labell' (did you mean 'set_label'?)")
plt.close("all")

-- every estimator class: model:fitt
local n = 0
for _, name in ipairs(require("geolab.util").public_names(ml)) do
  local cls = rawget(ml, name)
  if type(cls) == "table" and rawget(cls, "_fname") and rawget(cls, "fit") then
    local okm, model = pcall(cls)
    if okm then
      n = n + 1
      typo(model, "fitt", ("%s has no method 'fitt' (did you mean 'fit'?)"):format(name))
    end
  end
end
T.ok(n > 40, "estimator classes checked: " .. n)
local svc = ml.SVC()
typo(svc, "kernal", "SVC has no attribute 'kernal' (did you mean 'kernel'?)")
T.eq(ml.DecisionTreeClassifier().max_depth, nil, "a parameter left at None reads as nil")
T.eq(svc.kernel, "rbf", "parameters read")
local cmd = ml.ConfusionMatrixDisplay.from_predictions({1, 2, 1}, {1, 2, 2})
typo(cmd, "plott", "ConfusionMatrixDisplay has no method 'plott' (did you mean 'plot'?)")
plt.close("all")

-- frames: columns stay attributes (df.alpha), typos of methods and columns raise
local df = pd.DataFrame{alpha = {1, 2, 3}, beta = {4, 5, 6}}
T.eq(df.alpha:tolist(), {1, 2, 3}, "df.colname is the column, as in pandas")
typo(df, "groupbyy", "did you mean df:groupby?")
e = raised(function() return df.alpah end)
T.ok(e:find("DataFrame", 1, true) and e:find("alpha", 1, true), "df.alpah: " .. e)
local s = df.alpha
typo(s, "meen", "did you mean s:mean?")
e = raised(function() return s.foo end)
T.ok(e:find("Series", 1, true), "s.foo: " .. e)
local gb = df:groupby("alpha")
typo(gb, "meen", "GroupBy has no method or column 'meen' (did you mean 'mean'?)")
e = raised(function() return gb.bta end)
T.ok(e:find("GroupBy has no method or column 'bta' (did you mean 'beta'?)", 1, true), "gb.bta: " .. e)
T.eq(gb.beta:sum():tolist(), {4, 5, 6}, "gb.colname selects the column")
typo(df:rolling(2), "meen", "Rolling has no method 'meen' (did you mean 'mean'?)")
local ts = pd.DataFrame({v = {1, 2, 3}}, {index = pd.date_range("2020-01-01", {periods = 3, freq = "D"})})
typo(ts:resample("2D"), "meen", "Resampler has no method 'meen' (did you mean 'mean'?)")
-- }=====
T.done()
