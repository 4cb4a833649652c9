-- core_print.lua: tables that functions return print readably (issue 10),
-- and stay plain tables for #, ipairs, indexing and table.concat.
local T = require "testlib"
local util = require "geolab.util"

-- array shapes print as NumPy's tuples
T.eq(tostring(np.zeros{3, 4}.shape), "(3, 4)")
T.eq(tostring(np.zeros{3}.shape), "(3,)")
T.eq(tostring(np.array(5).shape), "()")
T.eq(tostring(np.zeros{2, 3}.strides), "(24, 8)")
local sh = np.zeros{3, 4}.shape
T.eq(#sh, 2); T.eq(sh[2], 4); T.eq(table.concat(sh, "x"), "3x4")
T.eq(sh, {3, 4})
local n = 0
for _, v in ipairs(sh) do n = n + v end
T.eq(n, 7)

-- C lists: totable, split, npz
T.eq(tostring(np.arange(4):reshape{2, 2}:totable()), "{{0, 1}, {2, 3}}")
T.eq(tostring(np.array{0.5, 1.0}:tolist()), "{0.5, 1.0}")
T.eq(tostring(np.split(np.arange(4), 2)), "{array([0, 1]), array([2, 3])}")

-- frames
local df = pd.DataFrame{a = {1, 2}, b = {"x", "y"}}
T.eq(tostring(df.columns), '{"a", "b"}')
T.eq(tostring(df.shape), "(2, 2)")
T.eq(tostring(df.a.shape), "(2,)")
T.eq(tostring(df.b.values), '{"x", "y"}')
T.eq(tostring(df.b:unique()), '{"x", "y"}')
T.eq(tostring(df.b:tolist()), '{"x", "y"}')
T.eq(table.concat(df.columns, ","), "a,b")
-- a printable list is still data where functions take plain tables
T.eq(df[df.columns].shape[2], 2)

-- estimators
local X = np.array{{1, 2}, {2, 1}, {3, 4}, {4, 3}, {0, 0}, {5, 5}}
local y = {"a", "b", "a", "b", "a", "b"}
local tree = ml.DecisionTreeClassifier{random_state = 0}:fit(X, y)
T.eq(tostring(tree.classes_), '{"a", "b"}')
T.eq(tostring(tree:predict(X)), '{"a", "b", "a", "b", "a", "b"}')
T.ok(tostring(ml.SVC{C = 10}:get_params()):find("'C': 10, ", 1, true))
local g = ml.GridSearchCV(ml.DecisionTreeClassifier(), {max_depth = {1, 2}}, {cv = 2}):fit(X, y)
T.eq(tostring(g.best_params_), "{max_depth = 1}")
T.eq(tostring(ml.cross_val_predict(ml.DecisionTreeClassifier(), X, y, {cv = 2})),
  '{"b", "a", "b", "a", "b", "a"}')
T.eq(tostring(ml.ParameterGrid{a = {1, 2}, b = {"x"}}), '{{a = 1, b = "x"}, {a = 2, b = "x"}}')
T.ok(tostring(ml.cross_validate(ml.DecisionTreeClassifier(), X, y, {cv = 2})):find("test_score = array(", 1, true))
-- a printable list of labels fits an estimator like a plain one
T.eq(ml.DecisionTreeClassifier():fit(X, tree:predict(X)):score(X, y), 1.0)

-- util helpers: Python's shortest float text, quoted strings, long lists elided
T.eq(util.repr({1.5, 0.1, 1e300, 2.0, "a\nb", {x = 1}, 0 / 0, math.huge}),
  '{1.5, 0.1, 1e+300, 2.0, "a\\nb", {x = 1}, nan, inf}')
local long = {}
for i = 1, 2000 do long[i] = i end
T.eq(tostring(util.list(long)), "{1, 2, 3, ..., 1998, 1999, 2000}")
T.eq(tostring(util.shape{7}), "(7,)")
T.ok(util.bare(util.dict{}) and util.bare({}) and not util.bare(df) and not util.bare(3))

T.done()
