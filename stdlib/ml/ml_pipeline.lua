-- ml_pipeline.lua: Pipeline and make_pipeline (sklearn.pipeline).
-- ml.Pipeline{{"scale", ml.StandardScaler()}, {"svc", ml.SVC()}} or
-- ml.Pipeline{steps = {...}}; parameters of steps are "svc__C".
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local base = require "geolab.ml_base"
local util = require "geolab.util"

local M = {}

local Pipeline = base.estimator("Pipeline", {steps = base.NONE, memory = base.NONE, verbose = false})
M.Pipeline = Pipeline

local function check_steps(steps, fname)
  if type(steps) ~= "table" or #steps == 0 then
    error(fname .. ": steps must be a non-empty list of {name, estimator}", 4)
  end
  local seen = {}
  for i, s in ipairs(steps) do
    if type(s) ~= "table" or type(s[1]) ~= "string" or not (base.is_estimator(s[2]) or s[2] == "passthrough") then
      error(("%s: step %d must be {name, estimator}"):format(fname, i), 4)
    end
    if seen[s[1]] then error(("%s: step names must be unique, '%s' is repeated"):format(fname, s[1]), 4) end
    if s[1]:find("__", 1, true) then error(("%s: step name '%s' must not contain '__'"):format(fname, s[1]), 4) end
    seen[s[1]] = true
    if i < #steps and s[2] ~= "passthrough" and not s[2].transform then
      error(("%s: all intermediate steps must be transformers; '%s' (%s) has no transform"):format(
        fname, s[1], tostring(s[2])), 4)
    end
  end
end

do
  local mt = getmetatable(Pipeline)
  local ctor = mt.__call
  mt.__call = function(cls, opts)
    if type(opts) == "table" and opts[1] ~= nil then
      local steps = {}
      for i, s in ipairs(opts) do steps[i] = s end
      local o = {steps = steps}
      for k, v in pairs(opts) do if type(k) == "string" then o[k] = v end end
      opts = o
    end
    local self = ctor(cls, opts)
    check_steps(self.steps, "ml.Pipeline")
    return self
  end
end

function Pipeline.__index(self, k)
  local v = Pipeline[k]
  if v ~= nil then return v end
  if k == "named_steps" then
    local t = {}
    for _, s in ipairs(rawget(self, "steps")) do t[s[1]] = s[2] end
    return t
  end
  local steps = rawget(self, "steps")
  local last = steps and steps[#steps][2]
  if (k == "classes_" or k == "n_features_in_" or k == "feature_names_in_") and last ~= "passthrough" then
    if k == "classes_" then return last.classes_ end
    return steps[1][2][k]
  end
  -- strict for user code, as every estimator (util.member_index); parameters
  -- left at None (memory) read as nil
  if type(k) ~= "string" or k:sub(1, 1) == "_" or k == "memory" or k == "verbose" or k == "steps"
     or not util.user_read(2) then return nil end
  util.no_member(self, Pipeline, "Pipeline", k, 2)
end

function Pipeline._estimator_type(self)
  local last = self.steps[#self.steps][2]
  return last ~= "passthrough" and last._estimator_type or nil
end

function Pipeline:_sub_estimator(name)
  for _, s in ipairs(self.steps) do if s[1] == name then return s[2] end end
end

-- get_params{deep=true} lists "step__param" names too.
function Pipeline:get_params(opts)
  local out = {steps = self.steps, memory = self.memory, verbose = self.verbose}
  if out.memory == nil then out.memory = base.NONE end
  if opts == nil or opts.deep ~= false then
    for _, s in ipairs(self.steps) do
      out[s[1]] = s[2]
      if s[2] ~= "passthrough" then
        for k, v in pairs(s[2]:get_params(opts)) do out[s[1] .. "__" .. k] = v end
      end
    end
  end
  return out
end

function Pipeline.__tostring(self)
  local parts = {}
  for i, s in ipairs(self.steps) do parts[i] = "('" .. s[1] .. "', " .. tostring(s[2]) .. ")" end
  return "Pipeline(steps=[" .. table.concat(parts, ", ") .. "])"
end

function Pipeline:_clone()
  local steps = {}
  for i, s in ipairs(self.steps) do
    steps[i] = {s[1], s[2] == "passthrough" and s[2] or base.clone(s[2])}
  end
  return Pipeline{steps = steps, memory = self.memory, verbose = self.verbose}
end

local function transform_all(self, X, upto)
  for i = 1, upto do
    local e = self.steps[i][2]
    if e ~= "passthrough" then X = e:transform(X) end
  end
  return X
end

function Pipeline:fit(X, y, ...)
  local n = #self.steps
  for i = 1, n - 1 do
    local e = self.steps[i][2]
    if e ~= "passthrough" then
      if e.fit_transform then X = e:fit_transform(X, y) else X = e:fit(X, y):transform(X) end
    end
  end
  local last = self.steps[n][2]
  if last ~= "passthrough" then last:fit(X, y, ...) end
  self._fitted = true
  return self
end

function Pipeline:fit_transform(X, y)
  self:fit(X, y)
  return self:transform(X)
end

local function delegate(name)
  return function(self, X, ...)
    base.check_is_fitted(self, "_fitted", "ml.Pipeline." .. name)
    local n = #self.steps
    local last = self.steps[n][2]
    if last == "passthrough" or not last[name] then
      error(("ml.Pipeline.%s: the last step %s has no method %s"):format(name, tostring(last), name), 2)
    end
    return last[name](last, transform_all(self, X, n - 1), ...)
  end
end
for _, m in ipairs{"predict", "predict_proba", "predict_log_proba", "decision_function", "score"} do
  Pipeline[m] = delegate(m)
end

function Pipeline:transform(X)
  base.check_is_fitted(self, "_fitted", "ml.Pipeline.transform")
  return transform_all(self, X, #self.steps)
end

function Pipeline:inverse_transform(X)
  base.check_is_fitted(self, "_fitted", "ml.Pipeline.inverse_transform")
  for i = #self.steps, 1, -1 do
    local e = self.steps[i][2]
    if e ~= "passthrough" then X = e:inverse_transform(X) end
  end
  return X
end

-- make_pipeline(est1, est2, ...): names are the lowercased class names.
function M.make_pipeline(...)
  local steps, count = {}, {}
  for i = 1, select("#", ...) do
    local e = select(i, ...)
    if not base.is_estimator(e) then error(("ml.make_pipeline: argument %d is not an estimator"):format(i), 2) end
    local nm = getmetatable(e)._name:lower()
    count[nm] = (count[nm] or 0) + 1
    steps[i] = {nm, e}
  end
  if #steps == 0 then error("ml.make_pipeline: give at least one estimator", 2) end
  local idx = {}
  for _, s in ipairs(steps) do  -- repeated names get -1, -2 suffixes as sklearn
    if count[s[1]] > 1 then idx[s[1]] = (idx[s[1]] or 0) + 1; s[1] = s[1] .. "-" .. idx[s[1]] end
  end
  return Pipeline{steps = steps}
end

return M
