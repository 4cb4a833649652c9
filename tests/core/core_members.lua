-- core_members.lua: a mistyped method or attribute of a geolab object is an
-- error with a suggestion, as Python's AttributeError is, never a silent nil
-- (then "attempt to call a nil value" or a wrong branch). Each object below
-- returned nil before (issue 10, "Objects not under the strict-member rule").
-- Open on purpose, and so not tested here: plain data tables that functions
-- return (df.columns, shapes, get_params, cv_results_), which are Lua lists
-- and dicts.
local T = require "testlib"

local df = pd.DataFrame{a = {1, 2, 3}, b = {4, 5, 6}, g = {"x", "y", "x"}}
local fig, ax = plt.subplots()

-- np
T.err("array: no field or method 'resahpe' (did you mean 'reshape'?)", function() return np.zeros(3).resahpe end)
T.err("array: no field or method 'shpe' (did you mean 'shape'?)", function() return np.zeros(3).shpe end)
T.err("Generator has no method 'normall' (did you mean 'normal'?)", function() return np.random.Generator(0).normall end)
T.eq(np.random.Generator(0):integers(1, 2, {size = 1})[1], 1)   -- still works
-- stats
local kde = stats.gaussian_kde(np.array{1.0, 2.0, 4.0})
T.err("gaussian_kde has no method 'evalute' (did you mean 'evaluate'?)", function() return kde.evalute end)
T.err("stats.norm(...) has no method 'cdff' (did you mean 'cdf'?)", function() return stats.norm(0, 1).cdff end)
T.close(stats.norm(0, 1):cdf(0), 0.5)
-- frame
T.err("Index has no method 'tolsit' (did you mean 'tolist'?)", function() return df.index.tolsit end)
T.eq(df.index.name, nil)   -- an unset name reads as nil, as pandas' None
T.err("Series: no method, attribute or label 'zzzz'", function() return df.a.zzzz end)
T.eq(df.a.name, "a")
T.eq(pd.Series{1, 2}.name, nil)
T.err("Series.str: unknown method 'uper' (did you mean 'upper'?)", function() return df.g.str.uper end)
local days = pd.Series(pd.date_range("2020-01-01", {periods = 3, freq = "D"}))
T.err("Series.dt: unknown field 'yeer' (did you mean 'year'?)", function() return days.dt.yeer end)
T.err("plot: unknown kind 'scater' (did you mean 'scatter'?)", function() return df.plot.scater end)
T.err("Timestamp has no attribute 'yeer' (did you mean 'year'?)", function() return pd.Timestamp("2020-01-01").yeer end)
T.eq(pd.Timestamp("2020-03-01").month, 3)
T.err("Timedelta has no attribute 'dayz' (did you mean 'days'?)", function() return pd.Timedelta("1D").dayz end)
for row in df:itertuples() do
  T.err("Pandas has no attribute 'gg' (did you mean 'g'?)", function() return row.gg end)
  T.eq(row.a, 1)
  break
end
local holes = pd.DataFrame{a = {1, 0 / 0}}
local n = 0
for row in holes:itertuples{index = false} do n = n + 1; if n == 2 then T.ok(row.a ~= row.a or row.a == nil) end end
-- spatial
T.err("KDTree has no method 'qeury' (did you mean 'query'?)", function() return spatial.KDTree(np.zeros{3, 2}).qeury end)
-- ml
local pipe = ml.make_pipeline(ml.StandardScaler(), ml.LinearRegression())
T.err("Pipeline has no method 'fitt' (did you mean 'fit'?)", function() return pipe.fitt end)
T.eq(pipe.memory, nil)   -- a parameter left at None
T.err("distribution has no method 'rvss' (did you mean 'rvs'?)", function() return ml.stats.uniform(0, 1).rvss end)
-- plot
local line = ax:plot({1, 2}, {1, 2})   -- one Line2D (matplotlib: a list of one)
T.err("Line2D has no method or attribute 'set_colr'", function() return line.set_colr end)
T.err("AxesImage has no method or attribute 'autoscal'", function() return ax:imshow(np.zeros{2, 2}).autoscal end)
T.err("Triangulation has no attribute 'trianglse' (did you mean 'triangles'?)",
  function() return plt.Triangulation({0, 1, 0}, {0, 0, 1}).trianglse end)
T.err("Polygon has no method or attribute 'set_colr'", function() return plt.Polygon{{0, 0}, {1, 0}, {0, 1}}.set_colr end)
-- the error points at the user's line
local ok, e = pcall(function() return kde.evalute end)
T.ok(not ok and e:find("core_members.lua:%d+: gaussian_kde has no method"), e)
plt.close(fig)
T.done()
