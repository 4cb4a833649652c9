-- ml_display.lua: ConfusionMatrixDisplay against scikit-learn 1.2.1
-- (fixtures from tests/fixtures/ml/gen_display.py): the matrix, the text of
-- every cell and the tick labels; the figure is drawn through plt.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/display.lua")
local D = ml.ConfusionMatrixDisplay

local function texts(d)
  local out = {}
  for i, row in ipairs(d.text_) do
    out[i] = {}
    for j, t in ipairs(row) do out[i][j] = t.s end
  end
  return out
end

for i, c in ipairs(F.cases) do
  local opts = {}
  for k, v in pairs(c.opts) do opts[k] = v end
  local d = D.from_predictions(F.y_true, F.y_pred, opts)
  T.close(d.confusion_matrix, c.cm, 1e-15, 0, "case " .. i .. " confusion_matrix")
  T.eq(texts(d), c.texts, "case " .. i .. " cell texts")
  T.eq(d.display_labels_, c.xticklabels, "case " .. i .. " tick labels")
  T.ok(d.im_ ~= nil and d.ax_ ~= nil and d.figure_ ~= nil, "im_, ax_, figure_")
  plt.close(d.figure_)
end
local model = ml.GaussianNB():fit(ml.datasets.load_iris().data, ml.datasets.load_iris().target)
local iris = ml.datasets.load_iris()
local de = D.from_estimator(model, iris.data, iris.target, {cmap = "Blues"})
T.close(de.confusion_matrix, F.estimator.cm, 0, 0, "from_estimator")
T.eq(texts(de), F.estimator.texts)
local path = T.tmp("cm_display.png")
de.figure_:savefig(path)
T.ok(io.open(path, "rb") ~= nil, "saved")
plt.close(de.figure_)
-- a display from a matrix, drawn on given axes, values_format
local fig, ax = plt.subplots()
local d = D{confusion_matrix = np.array{{5, 1}, {2, 7}}, display_labels = {"rock", "soil"}}
T.ok(d:plot{ax = ax, values_format = ".1f", colorbar = false} == d, "plot returns the display")
T.eq(texts(d), {{"5.0", "1.0"}, {"2.0", "7.0"}})
T.ok(d.ax_ == ax and d.figure_ == fig, "drawn on the given axes")
T.ok(tostring(d):match("^ConfusionMatrixDisplay%(2x2"), "prints")
plt.close(fig)
-- errors
T.err("ml.ConfusionMatrixDisplay: unknown option 'display_label' (did you mean 'display_labels'?)", D,
  {confusion_matrix = {{1}}, display_label = {"a"}})
T.err("confusion_matrix must be a square 2-D matrix", D, {confusion_matrix = {{1, 2}}})
T.err("display_labels must list 2 labels", D, {confusion_matrix = {{1, 2}, {3, 4}}, display_labels = {"a"}})
T.err("ml.ConfusionMatrixDisplay.from_predictions: unknown option 'normalise' (did you mean 'normalize'?)",
  D.from_predictions, F.y_true, F.y_pred, {normalise = "true"})
-- plot options as sklearn's: include_values, colorbar, im_kw, text_kw
local d0 = D.from_predictions(F.y_true, F.y_pred, {include_values = false})
T.eq(d0.text_, nil, "include_values=false: no texts (sklearn's text_ is None)")
-- fig.axes counts the colorbar's axes, as matplotlib's
T.eq(#d0.figure_.axes, F.no_values.n_axes, "include_values=false keeps the colorbar")
local ntext = 0
for _, a in ipairs(d0.ax_.artists) do if a.kind == "text" then ntext = ntext + 1 end end
T.eq(ntext, 0, "include_values=false draws no text")
local dn = D.from_predictions(F.y_true, F.y_pred, {colorbar = false})
T.eq(#dn.figure_.axes, F.no_colorbar.n_axes, "colorbar=false")
local di = D.from_predictions(F.y_true, F.y_pred, {im_kw = {vmin = 0, vmax = 10, cmap = "Blues"}})
T.eq({di.im_.vmin, di.im_.vmax}, F.im_kw.clim, "im_kw vmin/vmax")
T.close(di.text_[1][2].color, F.im_kw.color_low, 1e-6, 0, "text colour from im_kw's cmap (low cell)")
T.close(di.text_[1][1].color, F.im_kw.color_high, 1e-6, 0, "text colour from im_kw's cmap (high cell)")
local dt = D.from_predictions(F.y_true, F.y_pred, {text_kw = {fontsize = 8, color = "red"}})
T.eq(dt.text_[1][1].size, F.text_kw.fontsize, "text_kw fontsize")
T.eq(dt.text_[2][2].color, {1, 0, 0, 1}, "text_kw color (red)")
-- printf-style formats work too; what Python's format refuses fails loudly
T.eq(texts(D.from_predictions(F.y_true, F.y_pred, {normalize = "true", values_format = "%.2f"})), F.cases[6].texts)
T.err("ml.ConfusionMatrixDisplay.plot: values_format 'x.1' is neither a Python format spec",
  D.from_predictions, F.y_true, F.y_pred, {values_format = "x.1"})
T.err("ml.ConfusionMatrixDisplay.plot: values_format 'd': code 'd' needs an integer value, got 0.75 (Python raises ValueError; use '.0f')",
  D.from_predictions, F.y_true, F.y_pred, {values_format = "d", normalize = "true"})
T.err("ml.ConfusionMatrixDisplay.plot: im_kw must be a table of options", function() d:plot{im_kw = "Blues"} end)
T.err("ml.ConfusionMatrixDisplay.plot: include_values must be true or false", function() d:plot{include_values = "no"} end)
T.err("call it with a dot", function() D:from_predictions(F.y_true, F.y_pred) end)
T.err("is not a classifier", D.from_estimator, ml.LinearRegression():fit(iris.data, iris.target), iris.data, iris.target)
T.done()
