-- ml_params.lua: hyper-parameters as sklearn shows them: None for unset
-- parameters (get_params lists every name), repr with non-default values
-- only (fixtures from tests/fixtures/ml/gen_params.py, sklearn 1.2.1).
local T = require "testlib"
local F = dofile("tests/fixtures/ml/params.lua")

T.ok(None ~= nil and ml.None == None, "global None is ml.None")
T.eq(tostring(None), "None")
T.err("read-only", function() None.x = 1 end)

local opts = {
  {max_depth = None, n_estimators = 50}, {max_depth = 4, random_state = 0},
  {max_leaf_nodes = None}, {C = 10.0, kernel = "linear"}, {C = 0.5, class_weight = None},
}
for i, case in ipairs(F) do
  local m = ml[case.name](opts[i])
  T.eq(tostring(m), case.repr, case.name .. " repr")
  local p = m:get_params()
  for _, k in ipairs(case.none) do T.ok(p[k] == None, case.name .. ": " .. k .. " is None") end
  for k, v in pairs(case.params) do
    if type(v) == "number" then T.close(p[k], v, 0, 0, case.name .. " " .. k) else T.eq(p[k], v, case.name .. " " .. k) end
  end
  local n = 0
  for _ in pairs(p) do n = n + 1 end
  local m2 = 0
  for _ in pairs(case.params) do m2 = m2 + 1 end
  T.eq(n, m2 + #case.none, case.name .. " lists every parameter")
  -- get_params feeds set_params and clone unchanged
  T.eq(tostring(ml[case.name]():set_params(p)), case.repr)
  T.eq(tostring(ml.clone(m)), case.repr)
end

-- None stored as nil: the estimator reads it as unset
local rf = ml.RandomForestClassifier{max_depth = None}
T.ok(rawget(rf, "max_depth") == nil, "None is stored as nil")
T.eq(tostring(ml.RandomForestClassifier{max_depth = 3}:set_params{max_depth = None}), "RandomForestClassifier()")
-- the params table prints as a Python dict
T.eq(tostring(ml.LabelEncoder():get_params()), "{}")
T.eq(tostring(ml.KFold{n_splits = 3}:get_params()), "{'n_splits': 3, 'random_state': None, 'shuffle': False}")
T.err("ml.KFold.get_params: unknown option 'dep' (did you mean 'deep'?)", function() ml.KFold():get_params{dep = true} end)
-- Pipeline params list memory as None too
T.ok(ml.make_pipeline(ml.StandardScaler()):get_params().memory == None, "Pipeline memory None")

T.done()
