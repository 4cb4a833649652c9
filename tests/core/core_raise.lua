-- core_raise.lua: errors raised by geolab's Lua parts point at the user's line
-- (util.raise), whatever depth the check sits at inside geolab.
local T = require "testlib"
local util = require "geolab.util"
local X = np.array{{1, 2}, {3, 4}, {5, 6}, {7, 8}}
local y = {1, 2, 1, 2}

-- The line of the call below it, as the message must name it.
local function here() return debug.getinfo(2, "l").currentline + 1 end

-- pcall(f) where f's last statement is not a tail call, so its frame stays.
local function catch(f) local ok, e = pcall(f); T.ok(not ok, "expected an error"); return tostring(e) end

local line = here()
local e = catch(function() local m = ml.SVC{kernal = "rbf"}; return m end)
T.eq(e, ("%s:%d: ml.SVC: unknown option 'kernal' (did you mean 'kernel'?)"):format(arg[0], line))

line = here()
e = catch(function() local p = ml.SVC():predict(X); return p end)   -- raised in ml_base's helpers
T.eq(e, ("%s:%d: ml.SVC.predict: this SVC instance is not fitted yet; call fit first"):format(arg[0], line))

line = here()
e = catch(function() local m = ml.LinearRegression():fit(X, {1, 2}); return m end)
T.ok(e:find(("^%s:%d: ml%%.LinearRegression%%.fit: X has 4 samples but y has 2"):format(
  arg[0]:gsub("%p", "%%%0"), line)), e)

line = here()
e = catch(function() local m = ml.RandomForestClassifier{n_estimators = 0}:fit(X, y); return m end)
T.ok(e:find(("^%s:%d: ml%%.RandomForestClassifier"):format(arg[0]:gsub("%p", "%%%0"), line)), e)

-- util.raise itself: level 2 is the caller of the checking function, level 0 no
-- position, and a tail call into it loses no level.
local function check(v) if v < 0 then util.raise("f: v must be >= 0, got " .. v, 2) end return v end
local function check_tail(v) if v < 0 then return util.raise("f: negative", 2) end return v end
line = here()
e = catch(function() local r = check(-1); return r end)
T.eq(e, ("%s:%d: f: v must be >= 0, got -1"):format(arg[0], line))
line = here()
e = catch(function() local r = check_tail(-1); return r end)
T.eq(e, ("%s:%d: f: negative"):format(arg[0], line))
e = catch(function() util.raise("f: plain", 0) end)
T.eq(e, "f: plain")
-- a pcall of the public function itself: the caller is C, so no position (as Lua's error)
local ok
ok, e = pcall(ml.SVC, {kernal = "rbf"})
T.eq(e, "ml.SVC: unknown option 'kernal' (did you mean 'kernel'?)")
T.done()
