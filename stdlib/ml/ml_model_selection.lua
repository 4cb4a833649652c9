-- ml_model_selection.lua: splitting, cross-validation, grid search and
-- learning/validation curves (sklearn.model_selection), and permutation
-- importance (sklearn.inspection). Fold indices are 1-based int64 arrays.
-- Without shuffling, KFold and StratifiedKFold give scikit-learn's folds.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"
local bare = util.bare  -- data table, not an object (printable lists count)

local M = {}

-- {==================================================================
-- Rows of any data: arrays, frames, Series, Lua lists
-- ==================================================================}

local function n_rows(a, fname)
  if type(a) == "userdata" then return a.ndim == 0 and 1 or a.shape[1] end
  if type(a) ~= "table" then
    error(("%s: expected arrays, frames or lists, got %s"):format(fname or "ml", type(a)), 3)
  end
  return #a
end

-- Rows idx (1-based int64 array) of a.
local function take(a, idx)
  if type(a) == "userdata" then return a[idx] end
  local mt = getmetatable(a)
  if mt and not bare(a) then
    local ok, t = pcall(function() return a.take end)
    if ok and type(t) == "function" then return a:take(idx) end
  end
  local out = {}
  local ii = idx:totable()
  for i = 1, #ii do out[i] = a[ii[i]] end
  return util.list(out)
end
M._take = take

local function is_options(t)
  return type(t) == "table" and bare(t) and t[1] == nil and next(t) ~= nil
end

-- {==================================================================
-- Splitters
-- ==================================================================}

-- sklearn's _approximate_mode: integer draws per class summing to n_draws.
local function approximate_mode(counts, n_draws, rng)
  local tot = 0
  for _, c in ipairs(counts) do tot = tot + c end
  local cont, floored, s = {}, {}, 0
  for k, c in ipairs(counts) do
    cont[k] = c / tot * n_draws
    floored[k] = math.floor(cont[k])
    s = s + floored[k]
  end
  local need = math.floor(n_draws - s + 0.5)
  if need > 0 then
    local rem, vals, seen = {}, {}, {}
    for k = 1, #counts do
      rem[k] = cont[k] - floored[k]
      if not seen[rem[k]] then seen[rem[k]] = true; vals[#vals + 1] = rem[k] end
    end
    table.sort(vals, function(a, b) return a > b end)
    for _, v in ipairs(vals) do
      local inds = {}
      for k = 1, #counts do if rem[k] == v then inds[#inds + 1] = k end end
      local add = math.min(#inds, need)
      local pick = rng:permutation(#inds):totable()   -- choice(replace=False)
      for q = 1, add do floored[inds[pick[q]]] = floored[inds[pick[q]]] + 1 end
      need = need - add
      if need == 0 then break end
    end
  end
  return floored
end

local function split_sizes(n, test_size, train_size, fname)
  if test_size == nil and train_size == nil then test_size = 0.25 end
  local function size(v, what)
    if v == nil then return nil end
    if math.type(v) == "integer" then
      if v < 1 or v >= n then error(("%s: %s=%d should be in 1..%d"):format(fname, what, v, n - 1), 4) end
      return v
    end
    if v <= 0 or v >= 1 then error(("%s: %s=%s should be in (0, 1)"):format(fname, what, tostring(v)), 4) end
    return what == "test_size" and math.ceil(v * n) or math.floor(v * n)
  end
  local nt, ntr = size(test_size, "test_size"), size(train_size, "train_size")
  if nt == nil then nt = n - ntr end
  if ntr == nil then ntr = n - nt end
  if nt + ntr > n then error(fname .. ": train_size + test_size exceeds the number of samples", 3) end
  if ntr == 0 then error(fname .. ": the resulting train set is empty; lower test_size", 3) end
  return ntr, nt
end

-- train_test_split(a, b, ... [, {test_size=0.25, train_size=, random_state=,
-- shuffle=true, stratify=}]) -> a_train, a_test, b_train, b_test, ...
function M.train_test_split(...)
  local fname = "ml.train_test_split"
  local args = table.pack(...)
  local opts = {}
  if args.n > 0 and is_options(args[args.n]) then opts = args[args.n]; args.n = args.n - 1 end
  base.check_options(opts, {"test_size", "train_size", "random_state", "shuffle", "stratify"}, fname, 2)
  if args.n == 0 then error(fname .. ": at least one array is required", 2) end
  local n = n_rows(args[1], fname)
  for i = 2, args.n do
    if n_rows(args[i], fname) ~= n then
      error(("%s: found input variables with inconsistent numbers of samples: %d and %d"):format(
        fname, n, n_rows(args[i], fname)), 2)
    end
  end
  local ntr, nt = split_sizes(n, opts.test_size, opts.train_size, fname)
  local train, test
  if opts.shuffle == false then
    if opts.stratify ~= nil then error(fname .. ": stratified splitting requires shuffle=true", 2) end
    train, test = np.arange(1, ntr + 1), np.arange(ntr + 1, ntr + nt + 1)
  elseif opts.stratify ~= nil then
    local rng = base.sk_rng(opts.random_state)   -- StratifiedShuffleSplit's draws
    local classes, codes = base.encode_labels(opts.stratify, fname)
    local K = #classes
    local counts = np.bincount(codes, {minlength = K}):totable()
    for k = 1, K do
      if counts[k] < 2 then
        error(fname .. ": the least populated class in stratify has only 1 member, which is too few", 2)
      end
    end
    if nt < K or ntr < K then error(fname .. ": test_size and train_size must each be >= the number of classes", 2) end
    local n_i = approximate_mode(counts, ntr, rng)
    local remaining = {}
    for k = 1, K do remaining[k] = counts[k] - n_i[k] end
    local t_i = approximate_mode(remaining, nt, rng)
    local tr, te = {}, {}
    local ct = codes:totable()
    local members = {}
    for k = 1, K do members[k] = {} end
    for i = 1, n do members[ct[i] + 1][#members[ct[i] + 1] + 1] = i end
    for k = 1, K do
      local perm = rng:permutation(#members[k]):totable()
      for q = 1, n_i[k] do tr[#tr + 1] = members[k][perm[q]] end
      for q = n_i[k] + 1, n_i[k] + t_i[k] do te[#te + 1] = members[k][perm[q]] end
    end
    train, test = np.array(tr, "int64"), np.array(te, "int64")
    rng:shuffle(train); rng:shuffle(test)
  else
    local perm = base.sk_rng(opts.random_state):permutation(n)   -- ShuffleSplit's
    test = perm[{{1, nt}}]
    train = perm[{{nt + 1, nt + ntr}}]
  end
  local out = {}
  for i = 1, args.n do
    out[#out + 1] = take(args[i], train)
    out[#out + 1] = take(args[i], test)
  end
  return table.unpack(out)
end

-- KFold{n_splits=5, shuffle=false, random_state=}
local KFold = base.estimator("KFold", {n_splits = 5, shuffle = false, random_state = base.NONE})
M.KFold = KFold

local function check_splits(self, n, fname)
  if math.type(self.n_splits) ~= "integer" or self.n_splits < 2 then
    error(fname .. ": n_splits must be an integer >= 2", 4)
  end
  if self.n_splits > n then
    error(("%s: cannot have n_splits=%d greater than the number of samples n_samples=%d"):format(
      fname, self.n_splits, n), 4)
  end
end

-- The folds as a list of {train, test} (1-based int64 arrays).
function KFold:folds(X)
  local n = n_rows(X)
  check_splits(self, n, "ml.KFold.split")
  local idx = np.arange(1, n + 1)
  if self.shuffle then base.sk_rng(self.random_state):shuffle(idx) end
  local k = self.n_splits
  local out, cur = {}, 0
  local all = np.arange(1, n + 1)
  for f = 1, k do
    local size = n // k + ((f <= n % k) and 1 or 0)
    -- as sklearn, through a mask: both index lists come out sorted
    local mask = np.zeros({n}, "bool")
    mask[idx[{{cur + 1, cur + size}}]] = true
    out[f] = {all[~mask], all[mask]}
    cur = cur + size
  end
  return out
end

-- for fold, train, test in cv:split(X, y) do ... end
local function split_iter(self, X, y)
  local folds = self:folds(X, y)
  local i = 0
  return function()
    i = i + 1
    if folds[i] then return i, folds[i][1], folds[i][2] end
  end
end
KFold.split = split_iter
function KFold:get_n_splits() return self.n_splits end

-- StratifiedKFold{n_splits=5, shuffle=false, random_state=}
local StratifiedKFold = base.estimator("StratifiedKFold", {n_splits = 5, shuffle = false, random_state = base.NONE})
M.StratifiedKFold = StratifiedKFold

function StratifiedKFold:folds(X, y)
  local fname = "ml.StratifiedKFold.split"
  if y == nil then error(fname .. ": y is required for stratified folds", 3) end
  local n = n_rows(y)
  check_splits(self, n, fname)
  local rng = self.shuffle and base.sk_rng(self.random_state) or nil
  -- classes numbered by first appearance, as sklearn does
  local _, codes = base.encode_labels(y, fname)
  local ct = codes:totable()
  local order, enc, K = {}, {}, 0
  for i = 1, n do
    if order[ct[i]] == nil then order[ct[i]] = K; K = K + 1 end
    enc[i] = order[ct[i]]
  end
  local k = self.n_splits
  local counts = {}
  for c = 0, K - 1 do counts[c] = 0 end
  for i = 1, n do counts[enc[i]] = counts[enc[i]] + 1 end
  for c = 0, K - 1 do
    if counts[c] < k and K > 0 then
      local mn = math.huge
      for cc = 0, K - 1 do mn = math.min(mn, counts[cc]) end
      io.stderr:write(("%s: warning: the least populated class in y has only %d members, which is less than n_splits=%d\n"):format(fname, mn, k))
      break
    end
  end
  local y_order = {}
  for i = 1, n do y_order[i] = enc[i] end
  table.sort(y_order)
  -- allocation[f][c]: members of class c in fold f
  local alloc = {}
  for f = 1, k do
    alloc[f] = {}
    for c = 0, K - 1 do alloc[f][c] = 0 end
    for i = f, n, k do alloc[f][y_order[i]] = alloc[f][y_order[i]] + 1 end
  end
  local test_fold = {}
  for c = 0, K - 1 do
    local ff = {}
    for f = 1, k do for _ = 1, alloc[f][c] do ff[#ff + 1] = f end end
    if rng and #ff > 0 then ff = np.array(ff, "int64"); rng:shuffle(ff); ff = ff:totable() end
    local q = 0
    for i = 1, n do if enc[i] == c then q = q + 1; test_fold[i] = ff[q] end end
  end
  local out = {}
  for f = 1, k do
    local tr, te = {}, {}
    for i = 1, n do if test_fold[i] == f then te[#te + 1] = i else tr[#tr + 1] = i end end
    out[f] = {np.array(tr, "int64"), np.array(te, "int64")}
  end
  return out
end
StratifiedKFold.split = split_iter
function StratifiedKFold:get_n_splits() return self.n_splits end

-- ShuffleSplit{n_splits=10, test_size=, train_size=, random_state=}
local ShuffleSplit = base.estimator("ShuffleSplit", {n_splits = 10, test_size = base.NONE,
  train_size = base.NONE, random_state = base.NONE})
M.ShuffleSplit = ShuffleSplit
function ShuffleSplit:folds(X)
  local n = n_rows(X)
  local ntr, nt = split_sizes(n, self.test_size or (self.train_size == nil and 0.1 or nil), self.train_size,
    "ml.ShuffleSplit.split")
  local rng = base.sk_rng(self.random_state)
  local out = {}
  for f = 1, self.n_splits do
    local perm = rng:permutation(n)
    out[f] = {perm[{{nt + 1, nt + ntr}}]:copy(), perm[{{1, nt}}]:copy()}
  end
  return out
end
ShuffleSplit.split = split_iter
function ShuffleSplit:get_n_splits() return self.n_splits end

-- Folds from a cv argument: nil/integer (stratified for classifiers), a
-- splitter, or a list of {train, test}.
local function folds_of(cv, est, X, y, groups)
  if cv == nil then cv = 5 end
  if type(cv) == "number" then
    local cls = (y ~= nil and est and base.is_classifier(est)) and StratifiedKFold or KFold
    return cls{n_splits = math.tointeger(cv)}:folds(X, y)
  end
  if type(cv) == "table" and cv.folds then return cv:folds(X, y, groups) end
  if type(cv) == "table" and cv[1] and type(cv[1]) == "table" then return cv end
  error("cv must be an integer, a splitter (ml.KFold{...}) or a list of {train, test}")
end
-- fname: the public function called; a splitter's complaint ("ml.KFold.split:
-- cannot have n_splits=5 greater than ...") is reworded in its name.
local function get_folds(cv, est, X, y, groups, fname)
  fname = fname or "ml"
  local ok, folds = pcall(folds_of, cv, est, X, y, groups)
  if ok then return folds end
  if type(folds) ~= "string" then _G.error(folds, 0) end
  error(fname .. ": " .. (folds:gsub("^ml%.[%w_]+[%.:][%w_]+: ", ""):gsub("^ml%.[%w_]+: ", "")))
end
M._get_folds = get_folds

-- {==================================================================
-- Cross-validation
-- ==================================================================}

local function scorer_of(scoring, fname)
  local metrics = require "geolab.ml_metrics"
  return metrics._scorer(scoring, fname)
end

local clock = os.perf_counter or os.clock   -- wall time when the host has it

local function fit_score(est, X, y, train, test, scorers, train_score)
  local e = base.clone(est)
  local t0 = clock()
  if y ~= nil then e:fit(take(X, train), take(y, train)) else e:fit(take(X, train)) end
  local t1 = clock()
  local te, tr = {}, {}
  for name, sc in pairs(scorers) do
    te[name] = sc(e, take(X, test), y ~= nil and take(y, test) or nil)
    if train_score then tr[name] = sc(e, take(X, train), y ~= nil and take(y, train) or nil) end
  end
  return te, tr, t1 - t0, clock() - t1, e
end

-- cross_validate(est, X, y [, {cv=5, scoring=, return_train_score=false,
-- return_estimator=false}]) -> {test_score=, train_score=, fit_time=, score_time=}
-- (with a list of scorings: test_<name>, train_<name>).
local function cross_validate(est, X, y, opts, fname)
  base.check_options(opts, {"cv", "scoring", "return_train_score", "return_estimator", "n_jobs", "groups",
    "verbose", "error_score"}, fname, 2)
  opts = opts or {}
  if not base.is_estimator(est) then error(fname .. ": the first argument must be an estimator", 2) end
  local scorers, multi = {}, false
  if type(opts.scoring) == "table" then
    multi = true
    for _, s in ipairs(opts.scoring) do scorers[s] = scorer_of(s, fname) end
  else scorers.score = scorer_of(opts.scoring, fname) end
  local folds = get_folds(opts.cv, est, X, y, opts.groups, fname)
  local res = {fit_time = {}, score_time = {}}
  local ests = {}
  local te_all, tr_all = {}, {}
  for f, fold in ipairs(folds) do
    local te, tr, ft, st, e = fit_score(est, X, y, fold[1], fold[2], scorers, opts.return_train_score)
    res.fit_time[f], res.score_time[f] = ft, st
    te_all[f], tr_all[f], ests[f] = te, tr, e
  end
  for name in pairs(scorers) do
    local a, b = {}, {}
    for f = 1, #folds do a[f] = te_all[f][name]; b[f] = tr_all[f][name] end
    local key = multi and name or "score"
    res["test_" .. key] = np.array(a)
    if opts.return_train_score then res["train_" .. key] = np.array(b) end
  end
  res.fit_time, res.score_time = np.array(res.fit_time), np.array(res.score_time)
  if opts.return_estimator then res.estimator = util.list(ests) end
  return util.dict(res)
end
function M.cross_validate(est, X, y, opts) return cross_validate(est, X, y, opts, "ml.cross_validate") end

-- cross_val_score(est, X, y [, {cv=5, scoring=}]) -> array of fold scores
function M.cross_val_score(est, X, y, opts)
  local fname = "ml.cross_val_score"
  base.check_options(opts, {"cv", "scoring", "n_jobs", "groups", "verbose", "error_score"}, fname, 2)
  opts = opts or {}
  if type(opts.scoring) == "table" then error(fname .. ": scoring must be one name; use ml.cross_validate for several", 2) end
  return cross_validate(est, X, y, {cv = opts.cv, scoring = opts.scoring, groups = opts.groups}, fname).test_score
end

-- cross_val_predict(est, X, y [, {cv=5, method="predict"}]) -> predictions for every row
function M.cross_val_predict(est, X, y, opts)
  local fname = "ml.cross_val_predict"
  base.check_options(opts, {"cv", "method", "n_jobs", "groups"}, fname, 2)
  opts = opts or {}
  local method = opts.method or "predict"
  if not base.is_estimator(est) then error(fname .. ": the first argument must be an estimator", 2) end
  if type(est[method]) ~= "function" then error(("%s: %s has no method '%s'"):format(fname, tostring(est), tostring(method)), 2) end
  local folds = get_folds(opts.cv, est, X, y, opts.groups, fname)
  local n = n_rows(X, fname)
  local out, parts = nil, {}
  for _, fold in ipairs(folds) do
    local e = base.clone(est):fit(take(X, fold[1]), take(y, fold[1]))
    parts[#parts + 1] = {fold[2], e[method](e, take(X, fold[2]))}
  end
  if type(parts[1][2]) == "table" then
    out = {}
    for _, pt in ipairs(parts) do
      local idx = pt[1]:totable()
      for q, i in ipairs(idx) do out[i] = pt[2][q] end
    end
    return util.list(out)
  end
  local first = parts[1][2]
  local shape = {n}
  if first.ndim == 2 then shape[2] = first.shape[2] end
  out = np.zeros(shape, first.dtype)
  for _, pt in ipairs(parts) do out[pt[1]] = pt[2] end
  return out
end

-- {==================================================================
-- GridSearchCV
-- ==================================================================}

-- ParameterGrid: list of parameter tables, keys sorted, last key fastest.
local function param_grid(grid, fname)
  fname = fname or "ml.GridSearchCV"
  local grids = (grid[1] ~= nil) and grid or {grid}
  local out = {}
  for _, g in ipairs(grids) do
    if type(g) ~= "table" or not bare(g) then
      error(("%s: param_grid must be a table of lists or a list of such tables, found a %s"):format(fname, type(g)))
    end
    local keys = {}
    for k in pairs(g) do keys[#keys + 1] = k end
    table.sort(keys)
    local function rec(i, cur)
      if i > #keys then
        local c = {}
        for k, v in pairs(cur) do c[k] = v end
        out[#out + 1] = util.dict(c)
        return
      end
      local vals = g[keys[i]]
      if type(vals) ~= "table" or (not bare(vals) and not base.is_estimator(vals)) then
        error(("%s: the values of parameter '%s' must be a list"):format(fname, keys[i]))
      end
      for _, v in ipairs(vals) do cur[keys[i]] = v; rec(i + 1, cur) end
      cur[keys[i]] = nil
    end
    rec(1, {})
  end
  return util.list(out), grids
end
M.ParameterGrid = function(grid)
  if type(grid) ~= "table" or not bare(grid) then
    error("ml.ParameterGrid: param_grid must be a table of lists or a list of such tables, got " .. type(grid), 2)
  end
  return (param_grid(grid, "ml.ParameterGrid"))
end

local GridSearchCV = base.estimator("GridSearchCV", {estimator = base.NONE, param_grid = base.NONE,
  scoring = base.NONE, n_jobs = base.NONE, refit = true, cv = base.NONE, verbose = 0,
  pre_dispatch = "2*n_jobs", error_score = 0 / 0, return_train_score = false})
M.GridSearchCV = GridSearchCV

do  -- GridSearchCV(est, grid [, opts]) as well as GridSearchCV{estimator=, param_grid=}
  local mt = getmetatable(GridSearchCV)
  local ctor = mt.__call
  mt.__call = function(cls, a, b, c)
    if base.is_estimator(a) then
      local o = {}
      for k, v in pairs(c or {}) do o[k] = v end
      o.estimator, o.param_grid = a, b
      return ctor(cls, o)
    end
    return ctor(cls, a)
  end
end

function GridSearchCV._estimator_type(self)
  return self.estimator and self.estimator._estimator_type
end

function GridSearchCV:_sub_estimator(name)
  if name == "estimator" then return self.estimator end
end

-- The candidates a search tries (RandomizedSearchCV has its own).
function GridSearchCV:_candidates(fname)
  if type(self.param_grid) ~= "table" then error(fname .. ": param_grid must be a table of lists", 3) end
  return (param_grid(self.param_grid, fname))
end

local function rank_min(scores)
  local n = #scores
  local ranks = {}
  for i = 1, n do
    local r = 1
    for j = 1, n do
      local a, b = scores[j], scores[i]
      if (a == a) and (b ~= b or a > b) then r = r + 1 end
    end
    ranks[i] = r
  end
  return ranks
end

-- fit(X, y [, {groups=}]): groups go to a group splitter (ml.GroupKFold).
function GridSearchCV:fit(X, y, fit_opts)
  local fname = getmetatable(self)._fname .. ".fit"
  base.check_options(fit_opts, {"groups"}, fname, 2)
  if not base.is_estimator(self.estimator) then error(fname .. ": estimator must be an ml estimator", 2) end
  local cands = self:_candidates(fname)
  -- check every name before fitting anything
  local valid = self.estimator:get_params{deep = true}
  local names = {}
  for k in pairs(valid) do names[#names + 1] = k end
  table.sort(names)
  for _, prm in ipairs(cands) do
    for k in pairs(prm) do
      if valid[k] == nil and not names[k] then
        local ok = pcall(function() base.clone(self.estimator):set_params{[k] = prm[k]} end)
        if not ok then
          local near = base.nearest(k, names)
          error(("%s: invalid parameter '%s' for %s%s"):format(fname, k, getmetatable(self.estimator)._name,
            near and (" (did you mean '" .. near .. "'?)") or ""), 2)
        end
      end
    end
  end
  local scorer = scorer_of(self.scoring, fname)
  local folds = get_folds(self.cv, self.estimator, X, y, fit_opts and fit_opts.groups, fname)
  local nf = #folds
  local res = {params = cands, mean_test_score = {}, std_test_score = {}, mean_fit_time = {},
               mean_score_time = {}}
  for f = 1, nf do res[("split%d_test_score"):format(f - 1)] = {} end
  if self.return_train_score then
    res.mean_train_score = {}
    for f = 1, nf do res[("split%d_train_score"):format(f - 1)] = {} end
  end
  for c, prm in ipairs(cands) do
    local est = base.clone(self.estimator):set_params(prm)
    local s, ft, st, trs = {}, 0, 0, {}
    for f, fold in ipairs(folds) do
      local te, tr, a, b = fit_score(est, X, y, fold[1], fold[2], {score = scorer}, self.return_train_score)
      s[f] = te.score; ft = ft + a; st = st + b
      res[("split%d_test_score"):format(f - 1)][c] = te.score
      if self.return_train_score then
        trs[f] = tr.score
        res[("split%d_train_score"):format(f - 1)][c] = tr.score
      end
    end
    local m = 0
    for f = 1, nf do m = m + s[f] end
    m = m / nf
    local v = 0
    for f = 1, nf do v = v + (s[f] - m) ^ 2 end
    res.mean_test_score[c] = m
    res.std_test_score[c] = math.sqrt(v / nf)
    res.mean_fit_time[c], res.mean_score_time[c] = ft / nf, st / nf
    if self.return_train_score then
      local mt = 0
      for f = 1, nf do mt = mt + trs[f] end
      res.mean_train_score[c] = mt / nf
    end
  end
  res.rank_test_score = rank_min(res.mean_test_score)
  local best = 1
  for c = 1, #cands do if res.rank_test_score[c] < res.rank_test_score[best] then best = c end end
  self.best_index_ = best
  self.best_params_ = cands[best]
  self.best_score_ = res.mean_test_score[best]
  self.n_splits_ = nf
  self.scorer_ = scorer
  -- cv_results_ as a frame when pd is there (one row per candidate)
  local cols, order = {}, {}
  local pnames, pseen = {}, {}
  for _, prm in ipairs(cands) do
    for k in pairs(prm) do if not pseen[k] then pseen[k] = true; pnames[#pnames + 1] = k end end
  end
  table.sort(pnames)
  for _, k in ipairs{"mean_fit_time", "mean_score_time"} do cols[k] = res[k]; order[#order + 1] = k end
  for _, k in ipairs(pnames) do
    local col = {}
    for c, prm in ipairs(cands) do
      local v = prm[k]
      if base.is_estimator(v) then v = tostring(v) end
      col[c] = v == nil and "" or v
    end
    local allnum = true
    for c = 1, #col do if type(col[c]) ~= "number" then allnum = false end end
    if not allnum then for c = 1, #col do col[c] = type(col[c]) == "boolean" and tostring(col[c]) or tostring(col[c]) end end
    cols["param_" .. k] = col
    order[#order + 1] = "param_" .. k
  end
  local pstr = {}
  for c, prm in ipairs(cands) do
    local keys = {}
    for k in pairs(prm) do keys[#keys + 1] = k end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = "'" .. k .. "': " .. base.repr(prm[k]) end
    pstr[c] = "{" .. table.concat(parts, ", ") .. "}"
  end
  cols.params = pstr; order[#order + 1] = "params"
  for f = 1, nf do local k = ("split%d_test_score"):format(f - 1); cols[k] = res[k]; order[#order + 1] = k end
  for _, k in ipairs{"mean_test_score", "std_test_score", "rank_test_score"} do cols[k] = res[k]; order[#order + 1] = k end
  if self.return_train_score then
    for f = 1, nf do local k = ("split%d_train_score"):format(f - 1); cols[k] = res[k]; order[#order + 1] = k end
    cols.mean_train_score = res.mean_train_score; order[#order + 1] = "mean_train_score"
  end
  local ok, pd = pcall(require, "geolab.frame")
  if ok and pd and pd.DataFrame then
    self.cv_results_ = pd.DataFrame(cols, {columns = order})
  else
    local t = {}
    for k, v in pairs(cols) do t[k] = v end
    t.params = cands
    self.cv_results_ = util.dict(t)
  end
  self._cv_params = cands
  if self.refit then
    self.best_estimator_ = base.clone(self.estimator):set_params(cands[best])
    if y ~= nil then self.best_estimator_:fit(X, y) else self.best_estimator_:fit(X) end
    self.classes_ = self.best_estimator_.classes_
  end
  self.n_features_in_ = self.best_estimator_ and self.best_estimator_.n_features_in_
  return self
end

for _, m in ipairs{"predict", "predict_proba", "predict_log_proba", "decision_function", "transform",
                   "inverse_transform"} do
  GridSearchCV[m] = function(self, X)
    local fname = getmetatable(self)._fname .. "." .. m
    if not rawget(self, "best_estimator_") then
      if rawget(self, "best_params_") then error(fname .. ": refit=false; refit the best parameters yourself", 2) end
      base.check_is_fitted(self, "best_estimator_", fname)
    end
    local e = self.best_estimator_
    if not e[m] then error(("%s: %s has no method %s"):format(fname, tostring(e), m), 2) end
    return e[m](e, X)
  end
end

function GridSearchCV:score(X, y)
  base.check_is_fitted(self, "best_estimator_", getmetatable(self)._fname .. ".score")
  return self.scorer_(self.best_estimator_, X, y)
end

-- {==================================================================
-- Curves
-- ==================================================================}

-- learning_curve(est, X, y [, {train_sizes=, cv=5, scoring=, shuffle=false,
-- random_state=}]) -> train_sizes_abs, train_scores, test_scores
function M.learning_curve(est, X, y, opts)
  local fname = "ml.learning_curve"
  base.check_options(opts, {"train_sizes", "cv", "scoring", "shuffle", "random_state", "n_jobs"}, fname, 2)
  opts = opts or {}
  if not base.is_estimator(est) then error(fname .. ": the first argument must be an estimator", 2) end
  local folds = get_folds(opts.cv, est, X, y, nil, fname)
  local scorer = scorer_of(opts.scoring, fname)
  local n_max = folds[1][1].size
  local sizes = opts.train_sizes or {0.1, 0.325, 0.55, 0.775, 1.0}
  if type(sizes) == "userdata" then sizes = sizes:totable() end
  local abs, seen = {}, {}
  for _, s in ipairs(sizes) do
    local v
    if math.type(s) == "float" and s <= 1 then v = math.floor(s * n_max) else v = math.tointeger(s) end
    v = math.max(1, math.min(n_max, v))
    if not seen[v] then seen[v] = true; abs[#abs + 1] = v end
  end
  table.sort(abs)
  local rng = opts.shuffle and base.sk_rng(opts.random_state) or nil
  local tr, te = {}, {}
  for i = 1, #abs do tr[i], te[i] = {}, {} end
  for f, fold in ipairs(folds) do
    local train = fold[1]
    if rng then train = train:copy(); rng:shuffle(train) end
    for i, m in ipairs(abs) do
      local sub = train[{{1, m}}]:copy()
      local e = base.clone(est):fit(take(X, sub), take(y, sub))
      tr[i][f] = scorer(e, take(X, sub), take(y, sub))
      te[i][f] = scorer(e, take(X, fold[2]), take(y, fold[2]))
    end
  end
  return np.array(abs, "int64"), np.array(tr), np.array(te)
end

-- validation_curve(est, X, y, {param_name=, param_range=, cv=5, scoring=})
-- -> train_scores, test_scores (one row per value)
function M.validation_curve(est, X, y, opts)
  local fname = "ml.validation_curve"
  base.check_options(opts, {"param_name", "param_range", "cv", "scoring", "n_jobs"}, fname, 2)
  opts = opts or {}
  if not opts.param_name or not opts.param_range then
    error(fname .. ": param_name and param_range are required", 2)
  end
  local range = opts.param_range
  if type(range) == "userdata" then range = range:totable() end
  if not base.is_estimator(est) then error(fname .. ": the first argument must be an estimator", 2) end
  local folds = get_folds(opts.cv, est, X, y, nil, fname)
  local scorer = scorer_of(opts.scoring, fname)
  local tr, te = {}, {}
  for i, v in ipairs(range) do
    tr[i], te[i] = {}, {}
    for f, fold in ipairs(folds) do
      local e = base.clone(est):set_params{[opts.param_name] = v}
      e:fit(take(X, fold[1]), take(y, fold[1]))
      tr[i][f] = scorer(e, take(X, fold[1]), take(y, fold[1]))
      te[i][f] = scorer(e, take(X, fold[2]), take(y, fold[2]))
    end
  end
  return np.array(tr), np.array(te)
end

-- {==================================================================
-- permutation_importance
-- ==================================================================}

-- permutation_importance(est, X, y [, {n_repeats=5, random_state=, scoring=}])
-- -> {importances_mean=, importances_std=, importances=(features x repeats)}
function M.permutation_importance(est, X, y, opts)
  local fname = "ml.permutation_importance"
  base.check_options(opts, {"n_repeats", "random_state", "scoring", "n_jobs", "sample_weight", "max_samples"}, fname, 2)
  opts = opts or {}
  if not base.is_estimator(est) then error(fname .. ": the first argument must be an estimator", 2) end
  local A = base.check_X(X, fname)
  local scorer = scorer_of(opts.scoring, fname)
  local reps = opts.n_repeats or 5
  -- as scikit-learn: one seed drawn from random_state, and every column
  -- shuffled by a fresh RandomState(seed), the permutation compounding
  local seed = base.sk_rng(opts.random_state):randint(2147483648)
  local baseline = scorer(est, A, y)
  local n, p = A.shape[1], A.shape[2]
  local imp = np.zeros{p, reps}
  for j = 1, p do
    local Xp = A:copy()
    local rs = base.sk_rng(seed)
    local idx = np.arange(1, n + 1)
    for r = 1, reps do
      rs:shuffle(idx)
      Xp[{{}, j}] = Xp[{{}, j}][idx]       -- the permuted column is permuted again
      imp[{j, r}] = baseline - scorer(est, Xp, y)
    end
  end
  return {importances_mean = imp:mean(1), importances_std = imp:std(1), importances = imp}
end

return M
