-- ml_cluster_metrics.lua: clustering metrics of the ml module (scikit-learn's
-- sklearn.metrics.cluster): external (adjusted Rand, Rand, mutual information
-- and its normalised form, homogeneity/completeness/V-measure,
-- Fowlkes-Mallows, contingency matrix) and internal (silhouette,
-- Davies-Bouldin, Calinski-Harabasz). Labels may be numbers or strings.
local np = require "geolab.array"
local base = require "geolab.ml_base"
local core = require "geolab.spatial_core"

local M = {}
local EPS = 2.220446049250313e-16

local function codes_of(y, fname)
  local classes, codes = base.encode_labels(y, fname)
  local nc = type(classes) == "table" and #classes or classes.shape[1]
  return codes, nc
end

-- contingency as a Lua table of rows (dense; clusterings have few labels)
local function contingency(lt, lp, fname)
  local a, na = codes_of(lt, fname)
  local b, nb = codes_of(lp, fname)
  if #a ~= #b then
    error(("%s: labels_true and labels_pred have different lengths (%d and %d)"):format(fname, #a, #b), 3)
  end
  local at, bt = a:totable(), b:totable()
  local C = {}
  for i = 1, na do local r = {}; for j = 1, nb do r[j] = 0 end; C[i] = r end
  for i = 1, #at do local r = C[at[i] + 1]; r[bt[i] + 1] = r[bt[i] + 1] + 1 end
  return C, na, nb, #at
end

function M.contingency_matrix(labels_true, labels_pred)
  local C = contingency(labels_true, labels_pred, "ml.contingency_matrix")
  return np.array(C, "int64")
end

local function pair_confusion(C, n)
  local nc, nk = {}, {}
  local ss = 0
  for i, r in ipairs(C) do
    nc[i] = 0
    for j, v in ipairs(r) do nc[i] = nc[i] + v; nk[j] = (nk[j] or 0) + v; ss = ss + v * v end
  end
  local c01, c10 = 0, 0
  for i, r in ipairs(C) do for j, v in ipairs(r) do c01 = c01 + v * nk[j]; c10 = c10 + v * nc[i] end end
  c01, c10 = c01 - ss, c10 - ss
  local c11 = ss - n
  local c00 = n * n - c01 - c10 - ss
  return c00, c01, c10, c11, nc, nk, ss
end

function M.pair_confusion_matrix(labels_true, labels_pred)
  local C, _, _, n = contingency(labels_true, labels_pred, "ml.pair_confusion_matrix")
  local c00, c01, c10, c11 = pair_confusion(C, n)
  return np.array({{c00, c01}, {c10, c11}}, "int64")
end

function M.adjusted_rand_score(labels_true, labels_pred)
  local C, _, _, n = contingency(labels_true, labels_pred, "ml.adjusted_rand_score")
  local tn, fp, fn, tp = pair_confusion(C, n)
  tn, fp, fn, tp = tn + 0.0, fp + 0.0, fn + 0.0, tp + 0.0
  if fn == 0 and fp == 0 then return 1.0 end
  return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
end

function M.rand_score(labels_true, labels_pred)
  local C, _, _, n = contingency(labels_true, labels_pred, "ml.rand_score")
  local tn, fp, fn, tp = pair_confusion(C, n)
  local total = tn + fp + fn + tp
  if tn + tp == total or total == 0 then return 1.0 end
  return (tn + tp) / total
end

local function entropy_counts(cnt, n)
  if n == 0 then return 1.0 end
  local h = 0
  local ln = math.log(n)
  for _, c in ipairs(cnt) do if c > 0 then h = h - (c / n) * (math.log(c) - ln) end end
  return h
end

local function mi_of(C, n)
  local pi, pj = {}, {}
  for i, r in ipairs(C) do
    pi[i] = 0
    for j, v in ipairs(r) do pi[i] = pi[i] + v; pj[j] = (pj[j] or 0) + v end
  end
  local mi = 0
  local lsum = math.log(n)
  for i, r in ipairs(C) do
    for j, v in ipairs(r) do
      if v > 0 then
        local cnm = v / n
        local log_outer = -math.log(pi[i] * pj[j] + 0.0) + lsum + lsum
        local t = cnm * (math.log(v) - lsum) + cnm * log_outer
        if math.abs(t) < EPS then t = 0 end
        mi = mi + t
      end
    end
  end
  return math.max(mi, 0), pi, pj
end

function M.mutual_info_score(labels_true, labels_pred)
  local C, _, _, n = contingency(labels_true, labels_pred, "ml.mutual_info_score")
  return (mi_of(C, n))
end

local function generalized_mean(a, b, method)
  if method == "min" then return math.min(a, b)
  elseif method == "max" then return math.max(a, b)
  elseif method == "geometric" then return math.sqrt(a * b)
  elseif method == "arithmetic" then return (a + b) / 2 end
  error("ml.normalized_mutual_info_score: average_method must be 'min', 'geometric', 'arithmetic' or 'max'", 3)
end

function M.normalized_mutual_info_score(labels_true, labels_pred, opts)
  base.check_options(opts, {"average_method"}, "ml.normalized_mutual_info_score")
  local method = opts and opts.average_method or "arithmetic"
  local C, na, nb, n = contingency(labels_true, labels_pred, "ml.normalized_mutual_info_score")
  if (na == nb and (na == 1 or na == 0)) then return 1.0 end
  local mi, pi, pj = mi_of(C, n)
  if mi == 0 then return 0.0 end
  local norm = generalized_mean(entropy_counts(pi, n), entropy_counts(pj, n), method)
  return mi / math.max(norm, EPS)
end

-- fname: the public function the user called, named in its errors.
local function hcv(labels_true, labels_pred, opts, fname)
  base.check_options(opts, {"beta"}, fname)
  local beta = opts and opts.beta or 1.0
  local C, _, _, n = contingency(labels_true, labels_pred, fname)
  if n == 0 then return 1.0, 1.0, 1.0 end
  local mi, pi, pj = mi_of(C, n)
  local hc, hk = entropy_counts(pi, n), entropy_counts(pj, n)
  local h = hc ~= 0 and mi / hc or 1.0
  local c = hk ~= 0 and mi / hk or 1.0
  local v = (h + c == 0) and 0.0 or (1 + beta) * h * c / (beta * h + c)
  return h, c, v
end
function M.homogeneity_completeness_v_measure(labels_true, labels_pred, opts)
  return hcv(labels_true, labels_pred, opts, "ml.homogeneity_completeness_v_measure")
end
function M.homogeneity_score(t, p) return (hcv(t, p, nil, "ml.homogeneity_score")) end
function M.completeness_score(t, p) local _, c = hcv(t, p, nil, "ml.completeness_score"); return c end
function M.v_measure_score(t, p, opts) local _, _, v = hcv(t, p, opts, "ml.v_measure_score"); return v end

function M.fowlkes_mallows_score(labels_true, labels_pred)
  local C, _, _, n = contingency(labels_true, labels_pred, "ml.fowlkes_mallows_score")
  local _, _, _, _, nc, nk, ss = pair_confusion(C, n)
  local tk = ss - n
  local pk, qk = -n, -n
  for _, v in ipairs(nk) do pk = pk + v * v end
  for _, v in ipairs(nc) do qk = qk + v * v end
  if tk == 0 then return 0.0 end
  return math.sqrt(tk / pk) * math.sqrt(tk / qk)
end

-- {===== internal metrics

local function internal_args(X, labels, fname)
  X = base.check_X(X, fname, {dtype = "float64"})
  local codes, nl = codes_of(labels, fname)
  local n = X.shape[1]
  if #codes ~= n then error(("%s: X has %d samples but labels has %d"):format(fname, n, #codes), 3) end
  if nl < 2 or nl > n - 1 then
    error(("%s: Number of labels is %d. Valid values are 2 to n_samples - 1 (inclusive)"):format(fname, nl), 3)
  end
  return X, codes, nl, n
end

local function silhouette_samples(X, labels, fname)
  local Xa, codes, nl = internal_args(X, labels, fname)
  return core.silhouette(Xa, codes, nl)
end
function M.silhouette_samples(X, labels) return silhouette_samples(X, labels, "ml.silhouette_samples") end

-- ml.silhouette_score(X, labels, {sample_size=, random_state=0})
function M.silhouette_score(X, labels, opts)
  base.check_options(opts, {"sample_size", "random_state", "metric"}, "ml.silhouette_score")
  if opts and opts.metric and opts.metric ~= "euclidean" then
    error("ml.silhouette_score: only the euclidean metric is supported", 2)
  end
  if opts and opts.sample_size then
    local Xa = base.check_X(X, "ml.silhouette_score", {dtype = "float64"})
    local rng = base.rng(opts.random_state)
    local rows = rng:permutation(Xa.shape[1])[{{1, opts.sample_size}}]
    local _, c = base.encode_labels(labels, "ml.silhouette_score")
    return silhouette_samples(Xa[rows], c[rows], "ml.silhouette_score"):mean()
  end
  return silhouette_samples(X, labels, "ml.silhouette_score"):mean()
end

local function centroids(X, codes, nl)
  local C, members = {}, {}
  for j = 1, nl do
    local mask = codes:eq(j - 1)
    members[j] = X[mask]
    C[j] = members[j]:mean(0)
  end
  return C, members
end

function M.davies_bouldin_score(X, labels)
  local Xa, codes, nl = internal_args(X, labels, "ml.davies_bouldin_score")
  local C, members = centroids(Xa, codes, nl)
  local intra = {}
  local allzero = true
  for j = 1, nl do
    intra[j] = ((members[j] - C[j]) ^ 2):sum(1):sqrt():mean()
    if math.abs(intra[j]) > 1e-8 then allzero = false end
  end
  local D, dzero = {}, true
  for a = 1, nl do
    D[a] = {}
    for b = 1, nl do
      D[a][b] = math.sqrt(((C[a] - C[b]) ^ 2):sum())
      if math.abs(D[a][b]) > 1e-8 then dzero = false end
    end
  end
  if allzero or dzero then return 0.0 end
  local s = 0
  for a = 1, nl do
    local m = -math.huge
    for b = 1, nl do
      local dd = D[a][b] == 0 and math.huge or D[a][b]
      local v = (intra[a] + intra[b]) / dd
      if v > m then m = v end
    end
    s = s + m
  end
  return s / nl
end

function M.calinski_harabasz_score(X, labels)
  local Xa, codes, nl, n = internal_args(X, labels, "ml.calinski_harabasz_score")
  local mean = Xa:mean(0)
  local C, members = centroids(Xa, codes, nl)
  local extra, intra = 0, 0
  for j = 1, nl do
    extra = extra + members[j].shape[1] * ((C[j] - mean) ^ 2):sum()
    intra = intra + ((members[j] - C[j]) ^ 2):sum()
  end
  if intra == 0 then return 1.0 end
  return extra * (n - nl) / (intra * (nl - 1))
end

-- }=====

return M
