-- core_strict.lua: a missing field of a geolab module is an error with a
-- suggestion (issue 10), for globals, submodules and require'd modules alike.
local T = require "testlib"

T.err("np.linspac does not exist (did you mean np.linspace?)", function() return np.linspac end)
T.err("np.random.normall does not exist (did you mean np.random.normal?)", function() return np.random.normall end)
T.err("np.linalg.soLve does not exist (did you mean np.linalg.solve?)", function() return np.linalg.soLve end)
T.err("pd.read_cvs does not exist (did you mean pd.read_csv?)", function() return pd.read_cvs end)
T.err("plt.subplot2 does not exist (did you mean plt.subplot?)", function() return plt.subplot2 end)
T.err("ml.RandomForest does not exist (did you mean ml.RandomForest", function() return ml.RandomForest end)
T.err("spatial.KDtre does not exist (did you mean spatial.KDTree?)", function() return spatial.KDtre end)
T.err("pd.plotting.scatter_matrx does not exist (did you mean pd.plotting.scatter_matrix?)",
  function() return pd.plotting.scatter_matrx end)
T.err("np.zzzzzz does not exist", function() return np.zzzzzz end)
-- the same table through require, and through the long global name
T.err("np.linspac does not exist", function() return require("geolab.array").linspac end)
T.err("pd.read_cvs does not exist", function() return frame.read_cvs end)
-- the error points at the caller's line
local ok, e = pcall(function() return np.interpp end)
T.ok(not ok and e:find("core_strict.lua:%d+: np.interpp"), e)
-- private names and rawget probes stay quiet; constants still read
T.eq(np._nothing, nil)
T.eq(rawget(np, "interpp"), nil)
T.ok(np.pi > 3 and np.nan ~= np.nan)
-- mistyped frame methods name the method
local df = pd.DataFrame{a = {1, 2}}
T.err("DataFrame: no column or method 'groupbyy' (did you mean df:groupby?)", function() return df:groupbyy("a") end)
T.err("Series: no method or label 'meann' (did you mean s:mean?)", function() return df.a:meann() end)
T.err("DataFrame: column 'b' not found", function() return df.b end)
T.done()
