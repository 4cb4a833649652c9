-- ml_metrics.lua: classification and regression metrics (sklearn.metrics).
-- Labels may be numbers or strings; y arguments may be arrays, Lua lists or
-- frame Series. Where scikit-learn warns and returns 0 (zero_division), so do we.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"

local M = {}

-- {==================================================================
-- Labels
-- ==================================================================}

local function as_list(y, fname)
  local L = base.labels_of(y, fname)
  if type(L) == "userdata" then
    if L.dtype == "bool" then L = L:astype("int64") end
    return L:totable(), true
  end
  return L, false
end

-- classes (sorted union, or opts.labels), index of each class, true and
-- predicted lists of 1-based class numbers (0 when not among labels).
local function encode_pair(y_true, y_pred, fname, labels)
  local t, tnum = as_list(y_true, fname)
  local p, pnum = as_list(y_pred, fname)
  if #t ~= #p then
    error(("%s: y_true has %d samples but y_pred has %d"):format(fname, #t, #p), 3)
  end
  if tnum ~= pnum then  -- mixed: compare as strings
    for i = 1, #t do t[i] = tostring(t[i]) end
    for i = 1, #p do p[i] = tostring(p[i]) end
  end
  local classes = {}
  if labels then
    for i, l in ipairs((as_list(labels, fname))) do classes[i] = l end
  else
    local seen = {}
    for _, list in ipairs{t, p} do
      for i = 1, #list do
        local v = list[i]
        if not seen[v] then seen[v] = true; classes[#classes + 1] = v end
      end
    end
    table.sort(classes, function(a, b)
      if type(a) == type(b) then return a < b end
      return tostring(a) < tostring(b)
    end)
  end
  local idx = {}
  for i, c in ipairs(classes) do idx[c] = i end
  local ct, cp = {}, {}
  for i = 1, #t do ct[i] = idx[t[i]] or 0; cp[i] = idx[p[i]] or 0 end
  return classes, idx, ct, cp
end

local function weights_of(sw, n, fname)
  if sw == nil then return nil end
  local w = base.to_array(sw, fname, "sample_weight"):astype("float64"):totable()
  if #w ~= n then error(fname .. ": sample_weight has the wrong length", 3) end
  return w
end

-- {==================================================================
-- Classification
-- ==================================================================}

-- confusion_matrix(y_true, y_pred [, {labels=, normalize=, sample_weight=}])
function M.confusion_matrix(y_true, y_pred, opts)
  local fname = "ml.confusion_matrix"
  base.check_options(opts, {"labels", "normalize", "sample_weight"}, fname, 2)
  opts = opts or {}
  local classes, _, ct, cp = encode_pair(y_true, y_pred, fname, opts.labels)
  local w = weights_of(opts.sample_weight, #ct, fname)
  local K = #classes
  local cm = {}
  for i = 1, K do cm[i] = {}; for j = 1, K do cm[i][j] = 0 end end
  for i = 1, #ct do
    local a, b = ct[i], cp[i]
    if a > 0 and b > 0 then cm[a][b] = cm[a][b] + (w and w[i] or 1) end
  end
  local dtype = (w or opts.normalize) and "float64" or "int64"
  local A = K > 0 and np.array(cm, dtype) or np.zeros({0, 0}, dtype)
  local norm = opts.normalize
  if norm then
    A = A:astype("float64")
    if norm == "true" then A = A / np.maximum(A:sum{axis = 1, keepdims = true}, 1e-300)
    elseif norm == "pred" then A = A / np.maximum(A:sum{axis = 0, keepdims = true}, 1e-300)
    elseif norm == "all" then A = A / math.max(A:sum(), 1e-300)
    else error(fname .. ": normalize must be 'true', 'pred', 'all' or nil, got '" .. tostring(norm) .. "'", 2) end
  end
  return A
end

function M.accuracy_score(y_true, y_pred, opts)
  local fname = "ml.accuracy_score"
  base.check_options(opts, {"normalize", "sample_weight"}, fname, 2)
  opts = opts or {}
  local _, _, ct, cp = encode_pair(y_true, y_pred, fname)
  local w = weights_of(opts.sample_weight, #ct, fname)
  local good, tot = 0, 0
  for i = 1, #ct do
    local wi = w and w[i] or 1
    if ct[i] == cp[i] then good = good + wi end
    tot = tot + wi
  end
  if opts.normalize == false then return good end
  if tot == 0 then return 0.0 end
  return good / tot
end

-- Per-class true positives, predicted counts and true counts.
local function class_counts(ct, cp, K, w)
  local tp, pred, tru = {}, {}, {}
  for k = 1, K do tp[k], pred[k], tru[k] = 0, 0, 0 end
  for i = 1, #ct do
    local a, b, wi = ct[i], cp[i], (w and w[i] or 1)
    if a > 0 then tru[a] = tru[a] + wi end
    if b > 0 then pred[b] = pred[b] + wi end
    if a > 0 and a == b then tp[a] = tp[a] + wi end
  end
  return tp, pred, tru
end

local function div(a, b, zero) if b == 0 then return zero end return a / b end

-- precision_recall_fscore_support(y_true, y_pred [, {average=, pos_label=,
-- labels=, beta=1, zero_division=0, sample_weight=}]) -> p, r, f, support
-- average nil gives arrays per class; 'binary' (only class pos_label),
-- 'micro', 'macro', 'weighted' give numbers (support nil, as sklearn).
function M.precision_recall_fscore_support(y_true, y_pred, opts)
  local fname = "ml.precision_recall_fscore_support"
  base.check_options(opts, {"average", "pos_label", "labels", "beta", "zero_division", "sample_weight"}, fname, 2)
  opts = opts or {}
  return M._prfs(y_true, y_pred, opts, fname)
end

function M._prfs(y_true, y_pred, opts, fname)
  local beta = opts.beta or 1
  local zd = opts.zero_division or 0
  local average = opts.average
  local classes, idx, ct, cp = encode_pair(y_true, y_pred, fname, opts.labels)
  local w = weights_of(opts.sample_weight, #ct, fname)
  local K = #classes
  local tp, pred, tru = class_counts(ct, cp, K, w)
  local function f_of(p, r)
    local b2 = beta * beta
    if p + r == 0 then return zd end
    return (1 + b2) * p * r / (b2 * p + r)
  end
  if average == "binary" then
    local pos = opts.pos_label
    if pos == nil then pos = 1 end
    if K > 2 then
      error(("%s: y has %d classes but average='binary'; choose average='macro', 'micro' or 'weighted'"):format(fname, K), 3)
    end
    local k = idx[pos]
    if not k then
      if K <= 2 and classes[1] ~= nil and type(classes[1]) == "string" then
        error(("%s: pos_label=%s is not a valid label; give pos_label= one of %s"):format(
          fname, base.repr(pos), base.repr(classes)), 3)
      end
      return 0.0, 0.0, 0.0, nil
    end
    local p, r = div(tp[k], pred[k], zd), div(tp[k], tru[k], zd)
    return p, r, f_of(p, r), nil
  end
  if average == "micro" then
    local stp, sp, st = 0, 0, 0
    for k = 1, K do stp = stp + tp[k]; sp = sp + pred[k]; st = st + tru[k] end
    local p, r = div(stp, sp, zd), div(stp, st, zd)
    return p, r, f_of(p, r), nil
  end
  local P, R, F, S = {}, {}, {}, {}
  for k = 1, K do
    P[k] = div(tp[k], pred[k], zd); R[k] = div(tp[k], tru[k], zd)
    F[k] = f_of(P[k], R[k]); S[k] = tru[k]
  end
  if average == nil then
    return np.array(P), np.array(R), np.array(F), np.array(S, w and "float64" or "int64"), classes
  end
  if average ~= "macro" and average ~= "weighted" then
    error(("%s: average must be 'binary', 'micro', 'macro', 'weighted' or nil, got '%s'"):format(
      fname, tostring(average)), 3)
  end
  local sp, sr, sf, sw_ = 0, 0, 0, 0
  for k = 1, K do
    local wk = average == "weighted" and S[k] or 1
    sp = sp + wk * P[k]; sr = sr + wk * R[k]; sf = sf + wk * F[k]; sw_ = sw_ + wk
  end
  if sw_ == 0 then return zd, zd, zd, nil end
  return sp / sw_, sr / sw_, sf / sw_, nil
end

local prf_opts = {"average", "pos_label", "labels", "zero_division", "sample_weight"}
local function default_average(opts)
  opts = opts or {}
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  if o.average == nil and opts.average == nil then o.average = "binary" end
  if o.average == "none" then o.average = nil end
  return o
end

function M.precision_score(y_true, y_pred, opts)
  base.check_options(opts, prf_opts, "ml.precision_score", 2)
  local p = M._prfs(y_true, y_pred, default_average(opts), "ml.precision_score")
  return p
end
function M.recall_score(y_true, y_pred, opts)
  base.check_options(opts, prf_opts, "ml.recall_score", 2)
  local _, r = M._prfs(y_true, y_pred, default_average(opts), "ml.recall_score")
  return r
end
function M.f1_score(y_true, y_pred, opts)
  base.check_options(opts, prf_opts, "ml.f1_score", 2)
  local _, _, f = M._prfs(y_true, y_pred, default_average(opts), "ml.f1_score")
  return f
end
function M.fbeta_score(y_true, y_pred, beta, opts)
  base.check_options(opts, prf_opts, "ml.fbeta_score", 2)
  local o = default_average(opts); o.beta = beta
  local _, _, f = M._prfs(y_true, y_pred, o, "ml.fbeta_score")
  return f
end

function M.balanced_accuracy_score(y_true, y_pred, opts)
  local fname = "ml.balanced_accuracy_score"
  base.check_options(opts, {"sample_weight", "adjusted"}, fname, 2)
  opts = opts or {}
  local classes, _, ct, cp = encode_pair(y_true, y_pred, fname)
  local w = weights_of(opts.sample_weight, #ct, fname)
  local tp, _, tru = class_counts(ct, cp, #classes, w)
  local s, n = 0, 0
  for k = 1, #classes do if tru[k] > 0 then s = s + tp[k] / tru[k]; n = n + 1 end end
  local score = n > 0 and s / n or 0
  if opts.adjusted then local chance = 1 / n; score = (score - chance) / (1 - chance) end
  return score
end

-- classification_report(y_true, y_pred [, {labels=, target_names=, digits=2,
-- output_dict=false, as_frame=false, zero_division=0}]): scikit-learn's text
-- layout; output_dict gives {[name]={precision=, recall=, ["f1-score"]=,
-- support=}, accuracy=, ["macro avg"]=, ["weighted avg"]=}; as_frame a pd frame.
function M.classification_report(y_true, y_pred, opts)
  local fname = "ml.classification_report"
  base.check_options(opts, {"labels", "target_names", "digits", "output_dict", "as_frame",
                            "zero_division", "sample_weight"}, fname, 2)
  opts = opts or {}
  local digits = opts.digits or 2
  local o = {labels = opts.labels, zero_division = opts.zero_division, sample_weight = opts.sample_weight}
  local P, R, F, S, classes = M._prfs(y_true, y_pred, o, fname)
  P, R, F, S = P:totable(), R:totable(), F:totable(), S:totable()
  local names = {}
  for i, c in ipairs(classes) do
    names[i] = opts.target_names and opts.target_names[i] or tostring(c)
    if math.type(c) == "float" and not opts.target_names then names[i] = base.repr(c) end
  end
  local total = 0
  for _, s in ipairs(S) do total = total + s end
  -- as sklearn: the micro average is the accuracy unless `labels` leaves out
  -- a class that occurs in y_true or y_pred
  local micro_is_acc = true
  if opts.labels ~= nil then
    local given = {}
    for _, c in ipairs((as_list(opts.labels, fname))) do given[c] = true end
    for _, c in ipairs((encode_pair(y_true, y_pred, fname))) do
      if not given[c] then micro_is_acc = false end
    end
  end
  local rows = {}
  for i = 1, #classes do rows[i] = {names[i], P[i], R[i], F[i], S[i]} end
  local avgs = {}
  local oo = {labels = opts.labels, zero_division = opts.zero_division, sample_weight = opts.sample_weight}
  for _, av in ipairs{"micro", "macro", "weighted"} do
    oo.average = av
    local p, r, f = M._prfs(y_true, y_pred, oo, fname)
    local head = av .. " avg"
    if av == "micro" and micro_is_acc then head = "accuracy" end
    avgs[#avgs + 1] = {head, p, r, f, total}
  end
  if opts.output_dict or opts.as_frame then
    local d = {}
    for _, r in ipairs(rows) do d[r[1]] = {precision = r[2], recall = r[3], ["f1-score"] = r[4], support = r[5]} end
    for _, r in ipairs(avgs) do
      if r[1] == "accuracy" then d.accuracy = r[4]
      else d[r[1]] = {precision = r[2], recall = r[3], ["f1-score"] = r[4], support = r[5]} end
    end
    if not opts.as_frame then return d end
    local pd = require "geolab.frame"
    local idx, cols = {}, {precision = {}, recall = {}, ["f1-score"] = {}, support = {}}
    local function add(name, r, acc)
      idx[#idx + 1] = name
      cols.precision[#idx] = acc and 0 / 0 or r[2]
      cols.recall[#idx] = acc and 0 / 0 or r[3]
      cols["f1-score"][#idx] = r[4]
      cols.support[#idx] = r[5]
    end
    for _, r in ipairs(rows) do add(r[1], r) end
    for _, r in ipairs(avgs) do add(r[1], r, r[1] == "accuracy") end
    return pd.DataFrame({precision = cols.precision, recall = cols.recall,
      ["f1-score"] = cols["f1-score"], support = cols.support},
      {index = idx, columns = {"precision", "recall", "f1-score", "support"}})
  end
  local width = #"weighted avg"
  for _, nm in ipairs(names) do width = math.max(width, #nm) end
  width = math.max(width, digits)
  local out = {}
  out[1] = ("%" .. width .. "s ") :format("") .. (" %9s"):rep(4):format("precision", "recall", "f1-score", "support")
  out[2] = ""
  local function num(v) return ("%9." .. digits .. "f"):format(v) end
  local function sup(v)
    if math.type(v) == "float" and v == math.floor(v) then v = math.tointeger(v) end
    return ("%9s"):format(tostring(v))
  end
  for _, r in ipairs(rows) do
    out[#out + 1] = ("%" .. width .. "s "):format(r[1]) .. " " .. num(r[2]) .. " " .. num(r[3]) ..
      " " .. num(r[4]) .. " " .. sup(r[5])
  end
  out[#out + 1] = ""
  for _, r in ipairs(avgs) do
    if r[1] == "accuracy" then
      out[#out + 1] = ("%" .. width .. "s "):format(r[1]) .. " " .. ("%9s"):format("") .. " " ..
        ("%9s"):format("") .. " " .. num(r[4]) .. " " .. sup(r[5])
    else
      out[#out + 1] = ("%" .. width .. "s "):format(r[1]) .. " " .. num(r[2]) .. " " .. num(r[3]) ..
        " " .. num(r[4]) .. " " .. sup(r[5])
    end
  end
  return table.concat(out, "\n") .. "\n"
end

-- {==================================================================
-- ROC (binary)
-- ==================================================================}

local function binary_targets(y_true, pos_label, fname)
  local t = as_list(y_true, fname)
  local seen, cls = {}, {}
  for i = 1, #t do if t[i] ~= t[i] then error(fname .. ": y_true contains NaN", 3) end end
  for i = 1, #t do if not seen[t[i]] then seen[t[i]] = true; cls[#cls + 1] = t[i] end end
  if #cls > 2 then error(fname .. ": only binary y_true is supported (got " .. #cls .. " classes)", 3) end
  table.sort(cls, function(a, b) if type(a) == type(b) then return a < b end return tostring(a) < tostring(b) end)
  if pos_label == nil then
    local ok = true
    for _, c in ipairs(cls) do if not (c == 0 or c == 1 or c == -1) then ok = false end end
    if not ok then
      error(("%s: y_true takes values %s; give pos_label= one of them"):format(fname, base.repr(cls)), 3)
    end
    pos_label = 1
  end
  local out = {}
  for i = 1, #t do out[i] = (t[i] == pos_label) and 1.0 or 0.0 end
  return out
end

-- roc_curve(y_true, y_score [, {pos_label=, drop_intermediate=true}]) -> fpr, tpr, thresholds
local function roc_curve(y_true, y_score, opts, fname)
  base.check_options(opts, {"pos_label", "drop_intermediate", "sample_weight"}, fname, 2)
  opts = opts or {}
  local yt = binary_targets(y_true, opts.pos_label, fname)
  local s = base.to_array(y_score, fname, "y_score"):astype("float64")
  if s.ndim ~= 1 then s = s:reshape{-1} end
  local sc = s:totable()
  local n = #sc
  if n ~= #yt then error(("%s: y_true has %d samples but y_score has %d"):format(fname, #yt, n), 2) end
  local w = weights_of(opts.sample_weight, n, fname)
  -- stable sort by decreasing score (NumPy's mergesort reversed: ties keep
  -- reversed input order; ties are merged below anyway)
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b) if sc[a] ~= sc[b] then return sc[a] > sc[b] end return a > b end)
  local tps, fps, thr = {}, {}, {}
  local ctp, cw = 0, 0
  for j = 1, n do
    local i = order[j]
    local wi = w and w[i] or 1
    ctp = ctp + yt[i] * wi
    cw = cw + wi
    if j == n or sc[order[j + 1]] ~= sc[i] then
      tps[#tps + 1] = ctp; fps[#fps + 1] = cw - ctp; thr[#thr + 1] = sc[i]
    end
  end
  if opts.drop_intermediate ~= false and #tps > 2 then
    local keep = {true}
    for k = 2, #tps - 1 do
      keep[k] = (fps[k + 1] - 2 * fps[k] + fps[k - 1] ~= 0) or (tps[k + 1] - 2 * tps[k] + tps[k - 1] ~= 0)
    end
    keep[#tps] = true
    local a, b, c = {}, {}, {}
    for k = 1, #tps do if keep[k] then a[#a + 1] = tps[k]; b[#b + 1] = fps[k]; c[#c + 1] = thr[k] end end
    tps, fps, thr = a, b, c
  end
  table.insert(tps, 1, 0); table.insert(fps, 1, 0); table.insert(thr, 1, thr[1] + 1)
  local P, N = tps[#tps], fps[#fps]
  local fpr, tpr = {}, {}
  for k = 1, #tps do
    fpr[k] = N > 0 and fps[k] / N or 0 / 0
    tpr[k] = P > 0 and tps[k] / P or 0 / 0
  end
  return np.array(fpr), np.array(tpr), np.array(thr)
end
function M.roc_curve(y_true, y_score, opts) return roc_curve(y_true, y_score, opts, "ml.roc_curve") end

-- auc(x, y): trapezoidal area under a curve (x monotonic).
function M.auc(x, y)
  local xs = base.to_array(x, "ml.auc", "x"):astype("float64"):totable()
  local ys = base.to_array(y, "ml.auc", "y"):astype("float64"):totable()
  if #xs ~= #ys then error(("ml.auc: x has %d points but y has %d"):format(#xs, #ys), 2) end
  local a = 0
  for i = 2, #xs do a = a + (xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1]) / 2 end
  if #xs >= 2 and xs[#xs] < xs[1] then a = -a end
  return a
end

function M.roc_auc_score(y_true, y_score, opts)
  local fname = "ml.roc_auc_score"
  base.check_options(opts, {"pos_label", "sample_weight"}, fname, 2)
  opts = opts or {}
  local s = base.to_array(y_score, fname, "y_score")
  if s.ndim == 2 then
    if s.shape[2] ~= 2 then error(fname .. ": only binary problems are supported; y_score must be 1-D", 2) end
    s = s[{{}, 2}]
  end
  local t = as_list(y_true, fname)
  local seen, nc = {}, 0
  for i = 1, #t do if t[i] ~= t[i] then error(fname .. ": y_true contains NaN", 2) end end
  for i = 1, #t do if not seen[t[i]] then seen[t[i]] = true; nc = nc + 1 end end
  if nc < 2 then error(fname .. ": only one class present in y_true; ROC AUC is not defined", 2) end
  local pos = opts.pos_label
  if pos == nil then  -- the greater label, as sklearn's label binarizer
    local cls = {}
    for c in pairs(seen) do cls[#cls + 1] = c end
    table.sort(cls, function(a, b) if type(a) == type(b) then return a < b end return tostring(a) < tostring(b) end)
    pos = cls[#cls]
  end
  local fpr, tpr = roc_curve(y_true, s, {pos_label = pos, sample_weight = opts.sample_weight}, fname)
  return M.auc(fpr, tpr)
end

-- {==================================================================
-- Regression
-- ==================================================================}

local function reg_pair(y_true, y_pred, fname)
  local a = base.to_array(y_true, fname, "y_true"):astype("float64")
  local b = base.to_array(y_pred, fname, "y_pred"):astype("float64")
  if a.ndim == 2 and a.shape[2] == 1 then a = a:reshape{-1} end
  if b.ndim == 2 and b.shape[2] == 1 then b = b:reshape{-1} end
  if a.size ~= b.size then
    error(("%s: y_true has %d samples but y_pred has %d"):format(fname, a.size, b.size), 3)
  end
  if a.size == 0 then error(fname .. ": empty input", 3) end
  return a:reshape{-1}, b:reshape{-1}
end

local function mean_squared_error(y_true, y_pred, opts, fname)
  base.check_options(opts, {"squared", "sample_weight"}, fname, 2)
  local a, b = reg_pair(y_true, y_pred, fname)
  local d = a - b
  local mse
  if opts and opts.sample_weight then
    local w = base.to_array(opts.sample_weight):astype("float64")
    mse = (d * d * w):sum() / w:sum()
  else mse = (d * d):mean() end
  if opts and opts.squared == false then return math.sqrt(mse) end
  return mse
end

function M.mean_squared_error(y_true, y_pred, opts)
  return mean_squared_error(y_true, y_pred, opts, "ml.mean_squared_error")
end
function M.root_mean_squared_error(y_true, y_pred)
  return math.sqrt(mean_squared_error(y_true, y_pred, nil, "ml.root_mean_squared_error"))
end

function M.mean_absolute_error(y_true, y_pred)
  local a, b = reg_pair(y_true, y_pred, "ml.mean_absolute_error")
  return (a - b):abs():mean()
end

function M.median_absolute_error(y_true, y_pred)
  local a, b = reg_pair(y_true, y_pred, "ml.median_absolute_error")
  return np.median((a - b):abs())
end

function M.max_error(y_true, y_pred)
  local a, b = reg_pair(y_true, y_pred, "ml.max_error")
  return (a - b):abs():max()
end

function M.r2_score(y_true, y_pred, opts)
  base.check_options(opts, {"sample_weight"}, "ml.r2_score", 2)
  local a, b = reg_pair(y_true, y_pred, "ml.r2_score")
  local w = opts and opts.sample_weight and base.to_array(opts.sample_weight):astype("float64")
  local num, den
  if w then
    local m = (a * w):sum() / w:sum()
    num = (w * (a - b) ^ 2):sum(); den = (w * (a - m) ^ 2):sum()
  else
    local m = a:mean()
    local d, e = a - b, a - m
    num = (d * d):sum(); den = (e * e):sum()
  end
  if den == 0 then return num == 0 and 1.0 or 0.0 end
  return 1 - num / den
end

function M.explained_variance_score(y_true, y_pred)
  local a, b = reg_pair(y_true, y_pred, "ml.explained_variance_score")
  local d = a - b
  local num = ((d - d:mean()) ^ 2):mean()
  local den = ((a - a:mean()) ^ 2):mean()
  if den == 0 then return num == 0 and 1.0 or 0.0 end
  return 1 - num / den
end

-- {==================================================================
-- Scorers by name (cross_val_score{scoring=...}, GridSearchCV)
-- ==================================================================}

local scorers = {
  accuracy = function(est, X, y) return M.accuracy_score(y, est:predict(X)) end,
  balanced_accuracy = function(est, X, y) return M.balanced_accuracy_score(y, est:predict(X)) end,
  r2 = function(est, X, y) return M.r2_score(y, est:predict(X)) end,
  neg_mean_squared_error = function(est, X, y) return -M.mean_squared_error(y, est:predict(X)) end,
  neg_root_mean_squared_error = function(est, X, y) return -M.root_mean_squared_error(y, est:predict(X)) end,
  neg_mean_absolute_error = function(est, X, y) return -M.mean_absolute_error(y, est:predict(X)) end,
  neg_median_absolute_error = function(est, X, y) return -M.median_absolute_error(y, est:predict(X)) end,
  explained_variance = function(est, X, y) return M.explained_variance_score(y, est:predict(X)) end,
  f1 = function(est, X, y) return M.f1_score(y, est:predict(X)) end,
  f1_macro = function(est, X, y) return M.f1_score(y, est:predict(X), {average = "macro"}) end,
  f1_micro = function(est, X, y) return M.f1_score(y, est:predict(X), {average = "micro"}) end,
  f1_weighted = function(est, X, y) return M.f1_score(y, est:predict(X), {average = "weighted"}) end,
  precision = function(est, X, y) return M.precision_score(y, est:predict(X)) end,
  precision_macro = function(est, X, y) return M.precision_score(y, est:predict(X), {average = "macro"}) end,
  recall = function(est, X, y) return M.recall_score(y, est:predict(X)) end,
  recall_macro = function(est, X, y) return M.recall_score(y, est:predict(X), {average = "macro"}) end,
  roc_auc = function(est, X, y)
    local s = est.decision_function and est:decision_function(X) or est:predict_proba(X)[{{}, 2}]
    return M.roc_auc_score(y, s)
  end,
}

-- get_scorer(name | function | nil) -> function(est, X, y); fname names the
-- public function in errors (cross_val_score's scoring= comes here too)
function M._scorer(scoring, fname)
  if scoring == nil then return function(est, X, y) return est:score(X, y) end end
  if type(scoring) == "function" then return scoring end
  local f = scorers[scoring]
  if not f then
    local names = {}
    for k in pairs(scorers) do names[#names + 1] = k end
    table.sort(names)
    local near = base.nearest(tostring(scoring), names)
    error(("%s: unknown scoring '%s'%s"):format(fname, tostring(scoring),
      near and (" (did you mean '" .. near .. "'?)") or ""), 3)
  end
  return f
end
function M.get_scorer(scoring) return M._scorer(scoring, "ml.get_scorer") end

M.get_scorer_names = function()
  local names = {}
  for k in pairs(scorers) do names[#names + 1] = k end
  table.sort(names)
  return require("geolab.util").list(names)
end

return M
