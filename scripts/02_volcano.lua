#!/usr/bin/env geolab
-- 02_volcano.lua: practical 2, classifying seismo-volcanic events
-- (volcano-tectonic VT, long-period LP, tremor TR, avalanche AV, icequake IC)
-- from hand-made waveform features, on the synthetic eight-station dataset of
-- data/volcano (generated first when absent; see data/volcano/README.md).
-- Run from the project root: build/geolab scripts/02_volcano.lua [figure folder] [N per class]
-- The test runs N = 50; the calibrated run of data/volcano/README.md is N = 200.
local outdir = (arg and arg[1]) or "figures"
local nper = tonumber(arg and arg[2] or "50")
fs.mkdir(outdir, {parents = true, exist_ok = true})
local figures = {}
local function save(fig, name)
  fig:savefig(fs.join(outdir, name), {dpi = 80})
  figures[#figures + 1] = name
end
local classes = {"VT", "LP", "TR", "AV", "IC"}
local colors = {VT = "C0", LP = "C1", TR = "C2", AV = "C3", IC = "C4"}
local FS = 100                                   -- Hz

-- 1. The data: a folder per class, one 14 x 8192 array per event (rows 1-8
--    the stations, row 9 unused, rows 10-14 the masks of the five classes).
local datadir = fs.join(outdir, ("volcano_N%d"):format(nper))
if not fs.isdir(datadir) then
  dofile("data/volcano/generate.lua").generate(datadir, nper, 0)
end
local files = {}
for _, cls in ipairs(classes) do
  files[cls] = fs.glob(fs.join(datadir, cls, "*.npy"))
  table.sort(files[cls])
end
print(("events: %s"):format(table.concat((function()
  local t = {}
  for _, cls in ipairs(classes) do t[#t + 1] = ("%s %d"):format(cls, #files[cls]) end
  return t
end)(), ", ")))

local event = np.load(files.VT[1])
print(("one event: %s, shape %s, %s, %.2f s at %d Hz"):format(fs.basename(files.VT[1]),
  tostring(event.shape), event.dtype, event.shape[2] / FS, FS))

-- The recipe (span, best station, features) is data/volcano/features.lua.
local V = dofile("data/volcano/features.lua")
local span, pick, features, feature_names = V.span, V.pick, V.features, V.names

-- 2. The eight stations of one event, offset, with the event's span shaded.
local t = np.arange(event.shape[2]) / FS
local function draw_stations(ax, ev, cls)
  local i1, i2 = span(ev)
  ax:axvspan(t[i1], t[i2], {color = colors[cls], alpha = 0.2, label = cls .. " mask"})
  for k = 1, 8 do
    local tr = ev[k]:astype("float64")
    ax:plot(t, tr / np.abs(tr):max() * 0.45 + k, {color = "k", lw = 0.4})
  end
  ax:set_yticks(np.arange(1, 9), {"1", "2", "3", "4", "5", "6", "7", "8"})
  ax:set_xlabel("time (s)"); ax:set_ylabel("station"); ax:set_xlim(0, t[-1])
  ax:legend{loc = "upper right"}
end
local fig, ax = plt.subplots{figsize = {10, 6}}
draw_stations(ax, event, "VT")
ax:set_title(fs.basename(files.VT[1]) .. ": eight stations, each normalised")
save(fig, "02_event.png")

-- 3. The station with the largest peak amplitude, and the event's waveform on
--    it, cut to the span.
local trace, best = pick(event)
local i1, i2 = span(event)
print(("best station %d (peak %.1f counts), span %.2f-%.2f s"):format(best, np.abs(trace):max(),
  (i1 - 1) / FS, (i2 - 1) / FS))

-- 4. A balanced set: N events per class, drawn with a seeded generator.
local rng = np.random.Generator(0)
local chosen = {}
for _, cls in ipairs(classes) do
  local order = rng:permutation(#files[cls])
  for j = 1, nper do chosen[#chosen + 1] = {cls, files[cls][order[j]]} end
end
print(("balanced set: %d events, %d per class"):format(#chosen, nper))

-- 5. The features of every event of the set (data/volcano/features.lua).
local rows, y, examples = {}, {}, {}
for _, c in ipairs(chosen) do
  local ev = np.load(c[2])
  local tr = pick(ev)
  local a, b = span(ev)
  rows[#rows + 1] = features(tr, a, b)
  y[#y + 1] = c[1]
  if not examples[c[1]] then examples[c[1]] = {tr, a, b, fs.basename(c[2])} end
end
local X = np.array(rows)
print(("features: %d events x %d features"):format(X.shape[1], X.shape[2]))
print()
print(("%-13s" .. ("%10s"):rep(#classes)):format("median", table.unpack(classes)))
local code = {}
for k, cls in ipairs(classes) do code[cls] = k end
local yi = np.array((function()
  local out = {}
  for k, cls in ipairs(y) do out[k] = code[cls] end
  return out
end)())
for j, name in ipairs(feature_names) do
  local line = ("%-13s"):format(name)
  for k = 1, #classes do
    line = line .. ("%10.4g"):format(np.median(X[{yi:eq(k), j}]))
  end
  print(line)
end

-- 6. One waveform per class (its best station, the span shaded).
local wfig, wax = plt.subplots(5, 1, {figsize = {10, 10}, sharex = true})
for k, cls in ipairs(classes) do
  local tr, a, b, name = table.unpack(examples[cls])
  wax[k]:plot(t, tr, {color = "k", lw = 0.4})
  wax[k]:axvspan(t[a], t[b], {color = colors[cls], alpha = 0.25})
  wax[k]:set_ylabel("counts"); wax[k]:set_title(cls .. ": " .. name, {loc = "left"})
end
wax[5]:set_xlabel("time (s)")
save(wfig, "02_waveforms.png")

-- 7. Class by feature: histograms with the same bins down each column, on a
--    log axis (log-spaced bins) for the positive features that span more
--    than a decade.
local hfig, hax = plt.subplots(#classes, #feature_names, {figsize = {1.9 * #feature_names, 8}})
for j, name in ipairs(feature_names) do
  local col = X[{{}, j}]
  local logx = col:min() > 0 and col:max() > 10 * col:min()
  local edges = logx and np.logspace(math.log(col:min(), 10), math.log(col:max(), 10), 16)
      or np.linspace(col:min(), col:max(), 16)
  for k, cls in ipairs(classes) do
    local a = hax[k][j]
    a:hist(col[yi:eq(k)], {bins = edges, color = colors[cls]})
    if logx then a:set_xscale("log") end
    if k == 1 then a:set_title(name) end
    if j == 1 then a:set_ylabel(cls) end
  end
end
save(hfig, "02_features.png")

-- 8. Train and test: a stratified 70/30 split, features scaled for the
--    linear models and k-NN (a forest does not need it).
local Xtr, Xte, ytr, yte = ml.train_test_split(X, y, {test_size = 0.3, stratify = y, random_state = 0})
local scaler = ml.StandardScaler():fit(Xtr)
local Str, Ste = scaler:transform(Xtr), scaler:transform(Xte)
local models = {
  {"random forest", ml.RandomForestClassifier{n_estimators = 100, random_state = 0}, Xtr, Xte},
  {"linear SVM", ml.LinearSVC{C = 1, max_iter = 10000}, Str, Ste},
  {"logistic regression", ml.LogisticRegression{max_iter = 1000}, Str, Ste},
  {"10-NN", ml.KNeighborsClassifier{n_neighbors = 10}, Str, Ste},
}
print()
print(("train %d, test %d"):format(Xtr.shape[1], Xte.shape[1]))
local rf_pred
for _, m in ipairs(models) do
  local pred = m[2]:fit(m[3], ytr):predict(m[4])
  if m[1] == "random forest" then rf_pred = pred end
  print(("%-20s accuracy %.3f"):format(m[1], ml.accuracy_score(yte, pred)))
end
print()
print("random forest:")
io.write(ml.classification_report(yte, rf_pred, {labels = classes, digits = 3}))
print()
print(ml.confusion_matrix(yte, rf_pred, {labels = classes}))

local cfig, cax = plt.subplots{figsize = {6, 5}}
ml.ConfusionMatrixDisplay.from_predictions(yte, rf_pred, {labels = classes, normalize = "true",
  values_format = ".2f", cmap = "Blues", ax = cax})
cax:set_title("random forest, normalised by true class")
save(cfig, "02_confusion.png")

-- 9. Which features the forest uses: importances, sorted.
local imp = models[1][2].feature_importances_
local order = imp:argsort()
local names, vals = {}, {}
for k = 1, #feature_names do
  names[k] = feature_names[order[k]]; vals[k] = imp[order[k]]
end
print()
print("importances: " .. table.concat((function()
  local out = {}
  for k = #names, 1, -1 do out[#out + 1] = ("%s %.3f"):format(names[k], vals[k]) end
  return out
end)(), ", "))
local ifig, iax = plt.subplots{figsize = {6, 5}}
iax:barh(names, vals, {color = "C0"})
iax:set_xlabel("mean decrease in impurity"); iax:set_title("random forest feature importances")
save(ifig, "02_importances.png")

-- 10. A spectrogram of each class's example (its best station).
local sfig, sax = plt.subplots(5, 1, {figsize = {10, 12}, sharex = true})
for k, cls in ipairs(classes) do
  local tr, _, _, name = table.unpack(examples[cls])
  local f, st, Sxx = signal.spectrogram(tr, FS, {nperseg = 256, noverlap = 192})
  local m = sax[k]:pcolormesh(st, f, np.log10(Sxx + 1e-12), {cmap = "magma", shading = "auto"})
  sax[k]:set_ylabel("Hz"); sax[k]:set_title(cls .. ": " .. name, {loc = "left"})
  sfig:colorbar(m, {ax = sax[k], label = "log10 PSD"})
end
sax[5]:set_xlabel("time (s)")
save(sfig, "02_spectrograms.png")

print()
print("figures: " .. table.concat(figures, ", "))
