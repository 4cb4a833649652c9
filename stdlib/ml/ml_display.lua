-- ml_display.lua: ConfusionMatrixDisplay (sklearn.metrics), drawn through
-- plt's public API (plt.confusion_matrix: imshow, one text per cell in the
-- colour that contrasts with it, ticks, labels, colorbar).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"
local metrics = require "geolab.ml_metrics"
local pyformat = require "geolab.pyformat"

local M = {}

local CMD = {}
-- sklearn's attributes read as nil while unset (text_ is None without values)
local CMD_ATTRS = {confusion_matrix = true, display_labels = true, im_ = true, ax_ = true, figure_ = true, text_ = true}
CMD.__index = require("geolab.util").member_index(CMD, "ConfusionMatrixDisplay",
  function(_, k) return nil, CMD_ATTRS[k] end)
CMD.__name = "ConfusionMatrixDisplay"
M.ConfusionMatrixDisplay = setmetatable(CMD, {
  __call = function(_, opts)
    local fname = "ml.ConfusionMatrixDisplay"
    opts = util.check_options(opts, {"confusion_matrix", "display_labels"}, fname, 0)
    if opts.confusion_matrix == nil then
      error(fname .. ": confusion_matrix is required, e.g. ml.ConfusionMatrixDisplay{confusion_matrix = cm}")
    end
    local cm = base.to_array(opts.confusion_matrix, fname, "confusion_matrix")
    if cm.ndim ~= 2 or cm.shape[1] ~= cm.shape[2] then
      error(fname .. ": confusion_matrix must be a square 2-D matrix")
    end
    local labels = opts.display_labels
    if labels ~= nil then
      if type(labels) == "userdata" then labels = labels:totable() end
      if type(labels) ~= "table" or #labels ~= cm.shape[1] then
        error(("%s: display_labels must list %d labels, one per class"):format(fname, cm.shape[1]))
      end
    end
    return setmetatable({confusion_matrix = cm, display_labels = labels}, CMD)
  end,
  __tostring = function() return "<class ml.ConfusionMatrixDisplay>" end,
})

CMD.__tostring = function(self)
  local n = self.confusion_matrix.shape[1]
  return ("ConfusionMatrixDisplay(%dx%d%s)"):format(n, n, rawget(self, "figure_") and ", plotted" or "")
end

local PLOT_OPTS = {"include_values", "cmap", "xticks_rotation", "values_format", "ax", "colorbar",
                   "im_kw", "text_kw"}

-- disp:plot{cmap="viridis", ax=, colorbar=true, values_format=,
-- xticks_rotation="horizontal", include_values=true, im_kw=, text_kw=} ->
-- disp, with im_, ax_, figure_ and text_ (nil without values) set.
function CMD:plot(opts)
  local fname = "ml.ConfusionMatrixDisplay.plot"
  opts = util.check_options(opts, PLOT_OPTS, fname, 0)
  for _, k in ipairs{"im_kw", "text_kw"} do
    if opts[k] ~= nil and not (type(opts[k]) == "table" and util.bare(opts[k])) then
      error(("%s: %s must be a table of options (e.g. {fontsize = 8}), got %s"):format(fname, k, base.repr(opts[k])))
    end
  end
  if opts.include_values ~= nil and type(opts.include_values) ~= "boolean" then
    error(("%s: include_values must be true or false, got %s"):format(fname, base.repr(opts.include_values)))
  end
  local plt = require "geolab.plot"
  local cm = self.confusion_matrix
  local n = cm.shape[1]
  local labels = {}
  for i = 1, n do
    local l = self.display_labels and self.display_labels[i] or (i - 1)
    labels[i] = type(l) == "number" and (base.repr(l):gsub("%.0$", "")) or tostring(l)
  end
  -- sklearn's text: ".2g", or "d" for integer matrices (never longer);
  -- values_format is Python's format spec (".2f", "d", ".1%") or printf's ("%.2f")
  local fmt = opts.values_format
  if fmt == nil then fmt = (cm.dtype == "float64" or cm.dtype == "float32") and ".2g" or "d" end
  local _, err = pyformat.compile(fmt)
  if err then error(("%s: values_format %s"):format(fname, err)) end
  local rot = opts.xticks_rotation
  if rot == "horizontal" then rot = nil elseif rot == "vertical" then rot = 90 end
  local n0 = opts.ax and #opts.ax.artists or 0
  local ok, fig, ax, im = pcall(plt.confusion_matrix, cm, {display_labels = labels, cmap = opts.cmap or "viridis",
    values_format = fmt, ax = opts.ax, colorbar = opts.colorbar ~= false, xticks_rotation = rot,
    include_values = opts.include_values, im_kw = opts.im_kw, text_kw = opts.text_kw})
  if not ok then error((tostring(fig):gsub("^plt%.confusion_matrix:", fname .. ":"))) end
  self.figure_, self.ax_, self.im_ = fig, ax, im
  -- text_[i][j]: the Text artist of cell (i, j), as sklearn's text_
  local texts = {}
  for k = n0 + 1, #ax.artists do
    local a = ax.artists[k]
    if a.kind == "text" and #texts < n * n then texts[#texts + 1] = a end
  end
  if opts.include_values == false then self.text_ = nil   -- sklearn's text_ = None
  else
    self.text_ = {}
    for i = 1, n do
      self.text_[i] = {}
      for j = 1, n do self.text_[i][j] = texts[(i - 1) * n + j] end
    end
  end
  self.display_labels_ = util.list(labels)
  return self
end

local PRED_OPTS = {"labels", "sample_weight", "normalize", "display_labels", "include_values",
                   "xticks_rotation", "values_format", "cmap", "ax", "colorbar", "im_kw", "text_kw"}

-- The sorted union of the labels in y_true and y_pred (sklearn's unique_labels).
local function union_labels(a, b, fname)
  local seen, out = {}, {}
  for _, y in ipairs{a, b} do
    local L = base.labels_of(y, fname)
    local t = type(L) == "userdata" and L:totable() or L
    for _, v in ipairs(t) do
      if math.type(v) == "float" and v == math.floor(v) then v = math.tointeger(v) end
      if not seen[v] then seen[v] = true; out[#out + 1] = v end
    end
  end
  table.sort(out, function(x, y)
    if type(x) ~= type(y) then error(fname .. ": y_true and y_pred mix numbers and strings") end
    return x < y
  end)
  return out
end

-- ConfusionMatrixDisplay.from_predictions(y_true, y_pred, {labels=,
-- normalize=, display_labels=, cmap=, ax=, colorbar=, values_format=, ...})
function CMD.from_predictions(y_true, y_pred, opts)
  local fname = "ml.ConfusionMatrixDisplay.from_predictions"
  if getmetatable(y_true) == CMD or y_true == CMD then
    error(fname .. ": call it with a dot: ml.ConfusionMatrixDisplay.from_predictions(y_true, y_pred)")
  end
  opts = util.check_options(opts, PRED_OPTS, fname, 0)
  local cm = metrics.confusion_matrix(y_true, y_pred, {labels = opts.labels, normalize = opts.normalize,
                                                       sample_weight = opts.sample_weight})
  local dl = opts.display_labels or opts.labels or union_labels(y_true, y_pred, fname)
  local disp = M.ConfusionMatrixDisplay{confusion_matrix = cm, display_labels = dl}
  local p = {}
  for _, k in ipairs(PLOT_OPTS) do p[k] = opts[k] end
  return disp:plot(p)
end

-- ConfusionMatrixDisplay.from_estimator(model, X, y, {...}): predictions of
-- a fitted classifier against y.
function CMD.from_estimator(est, X, y, opts)
  local fname = "ml.ConfusionMatrixDisplay.from_estimator"
  if not base.is_estimator(est) or type(est.predict) ~= "function" then
    error(fname .. ": the first argument must be a fitted ml classifier (call it with a dot)")
  end
  if not base.is_classifier(est) then
    error(("%s: %s is not a classifier"):format(fname, getmetatable(est)._name))
  end
  return CMD.from_predictions(y, est:predict(X), opts)
end

return M
