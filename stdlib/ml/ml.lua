-- ml.lua: the ml module (scikit-learn's estimators, model selection and
-- metrics). Each part stdlib/ml/ml_<part>.lua returns a table of names that is
-- merged here in a fixed order; a part not built yet is skipped.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local M = {}

local parts = {
  "ml_preprocessing", "ml_linear", "ml_robust", "ml_svm", "ml_neighbors",
  "ml_tree", "ml_ensemble", "ml_naive_bayes", "ml_model_selection", "ml_metrics",
  "ml_pipeline", "ml_inspection",
  -- written by the spatial/clustering issue
  "ml_cluster", "ml_decomposition", "ml_cluster_metrics",
  -- issue 10
  "ml_datasets", "ml_splitters", "ml_search", "ml_covariance", "ml_lda", "ml_display", "ml_mlp",
}

local base = require "geolab.ml_base"
M.None = base.NONE
M.clone = base.clone

for _, name in ipairs(parts) do
  if package.preload["geolab." .. name] then
    local part = require("geolab." .. name)
    if type(part) == "table" then
      for k, v in pairs(part) do
        if type(k) == "string" and k:sub(1, 1) ~= "_" then M[k] = v end
      end
    end
  end
end

-- An unknown name suggests the nearest one instead of giving nil.
require("geolab.util").strict(M, "ml")

return M
