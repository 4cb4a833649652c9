-- ml_splitters.lua: TimeSeriesSplit and GroupKFold (sklearn.model_selection).
-- A splitter has folds(X, y, groups) -> list of {train, test} (1-based int64
-- arrays, sorted) and split(X, y, groups) -> iterator of fold, train, test;
-- cross-validation and the searches call folds.
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"

local M = {}

local function n_rows(a, fname)
  if type(a) == "userdata" then return a.ndim == 0 and 1 or a.shape[1] end
  if type(a) == "table" then
    local ok, s = pcall(function() return a.shape end)
    if ok and type(s) == "table" and s[1] then return s[1] end
    return #a
  end
  error(("%s: X must be an array, a frame or a table, got %s"):format(fname, type(a)))
end

local function split_iter(self, X, y, groups)
  local folds = self:folds(X, y, groups)
  local i = 0
  return function()
    i = i + 1
    if folds[i] then return i, folds[i][1], folds[i][2] end
  end
end

local function range(a, b)   -- int64 array a..b (empty when b < a)
  if b < a then return np.zeros({0}, "int64") end
  return np.arange(a, b + 1):astype("int64")
end

local function ints(t)
  if #t == 0 then return np.zeros({0}, "int64") end
  return np.array(t, "int64")
end

local function check_n_splits(self, fname, min)
  if math.type(self.n_splits) ~= "integer" or self.n_splits < min then
    error(("%s: n_splits must be an integer >= %d, got %s"):format(fname, min, tostring(self.n_splits)))
  end
end

-- {==================================================================
-- TimeSeriesSplit{n_splits=5, max_train_size=, test_size=, gap=0}: each
-- test block follows its training block in time (rows are in time order).
-- ==================================================================}

local TimeSeriesSplit = base.estimator("TimeSeriesSplit", {n_splits = 5, max_train_size = base.NONE,
  test_size = base.NONE, gap = 0})
M.TimeSeriesSplit = TimeSeriesSplit

function TimeSeriesSplit:folds(X)
  local fname = "ml.TimeSeriesSplit.split"
  check_n_splits(self, fname, 2)
  local n = n_rows(X, fname)
  local k, gap = self.n_splits, self.gap or 0
  if math.type(gap) ~= "integer" or gap < 0 then error(fname .. ": gap must be an integer >= 0") end
  local ts = self.test_size
  if ts ~= nil and (math.type(ts) ~= "integer" or ts < 1) then error(fname .. ": test_size must be an integer >= 1") end
  ts = ts or n // (k + 1)
  local mts = self.max_train_size
  if mts ~= nil and (math.type(mts) ~= "integer" or mts < 1) then
    error(fname .. ": max_train_size must be an integer >= 1 or None")
  end
  if k + 1 > n then
    error(("%s: cannot have number of folds=%d greater than the number of samples=%d"):format(fname, k + 1, n))
  end
  if n - gap - ts * k <= 0 then
    error(("%s: too many splits=%d for number of samples=%d with test_size=%d and gap=%d"):format(
      fname, k, n, ts, gap))
  end
  local out = {}
  for s = n - k * ts, n - 1, ts do   -- 0-based test starts, as sklearn
    local train_end = s - gap
    local lo = (mts and mts < train_end) and (train_end - mts) or 0
    out[#out + 1] = util.list{range(lo + 1, train_end), range(s + 1, math.min(s + ts, n))}
  end
  return util.list(out)
end
TimeSeriesSplit.split = split_iter
function TimeSeriesSplit:get_n_splits() return self.n_splits end

-- {==================================================================
-- GroupKFold{n_splits=5}: no group in both train and test; the largest
-- groups go first, each to the fold with the fewest samples so far.
-- ==================================================================}

-- NumPy 1.24's argsort (kind="quicksort": introsort with median-of-three
-- and insertion sort below 17 elements), so that groups of equal size are
-- ordered as sklearn orders them. v: Lua list; returns 0-based positions.
-- (The heapsort fallback for degenerate inputs is not reproduced: with the
-- depth limit 2*log2(n) it needs adversarial data, not group counts.)
local function np_argsort(v)
  local n = #v
  local t = {}
  for i = 1, n do t[i] = i - 1 end
  local function val(p) return v[t[p] + 1] end
  local function swap(a, b) t[a], t[b] = t[b], t[a] end
  local stack = {}
  local pl, pr = 1, n
  while true do
    while pr - pl > 16 do
      local pm = pl + ((pr - pl) >> 1)
      if val(pm) < val(pl) then swap(pm, pl) end
      if val(pr) < val(pm) then swap(pr, pm) end
      if val(pm) < val(pl) then swap(pm, pl) end
      local vp = val(pm)
      local pi, pj = pl, pr - 1
      swap(pm, pj)
      while true do
        repeat pi = pi + 1 until not (val(pi) < vp)
        repeat pj = pj - 1 until not (vp < val(pj))
        if pi >= pj then break end
        swap(pi, pj)
      end
      swap(pi, pr - 1)
      if pi - pl < pr - pi then
        stack[#stack + 1] = {pi + 1, pr}; pr = pi - 1
      else
        stack[#stack + 1] = {pl, pi - 1}; pl = pi + 1
      end
    end
    for pi = pl + 1, pr do
      local vi = t[pi]
      local vpv = v[vi + 1]
      local pj = pi
      while pj > pl and vpv < v[t[pj - 1] + 1] do t[pj] = t[pj - 1]; pj = pj - 1 end
      t[pj] = vi
    end
    if #stack == 0 then break end
    local top = table.remove(stack)
    pl, pr = top[1], top[2]
  end
  return t
end
M._np_argsort = np_argsort

local GroupKFold = base.estimator("GroupKFold", {n_splits = 5})
M.GroupKFold = GroupKFold

function GroupKFold:folds(X, y, groups)
  local fname = "ml.GroupKFold.split"
  check_n_splits(self, fname, 2)
  if groups == nil then error(fname .. ": the groups parameter should not be None (pass groups, one per sample)") end
  local n = n_rows(X, fname)
  -- unique groups, sorted, and each sample's group number (np.unique inverse)
  local classes, codes = base.encode_labels(groups, fname)
  if codes.shape[1] ~= n then
    error(("%s: X has %d samples but groups has %d"):format(fname, n, codes.shape[1]))
  end
  local G = #classes
  if self.n_splits > G then
    error(("%s: cannot have number of splits n_splits=%d greater than the number of groups: %d"):format(
      fname, self.n_splits, G))
  end
  local ct = codes:totable()
  local counts = {}
  for g = 1, G do counts[g] = 0 end
  for i = 1, n do counts[ct[i] + 1] = counts[ct[i] + 1] + 1 end
  local order = np_argsort(counts)
  local per_fold, to_fold = {}, {}
  for f = 1, self.n_splits do per_fold[f] = 0 end
  for r = G, 1, -1 do   -- argsort(...)[::-1]: the largest groups first
    local g = order[r] + 1
    local light = 1
    for f = 2, self.n_splits do if per_fold[f] < per_fold[light] then light = f end end
    per_fold[light] = per_fold[light] + counts[g]
    to_fold[g] = light
  end
  local out = {}
  for f = 1, self.n_splits do
    local tr, te = {}, {}
    for i = 1, n do
      if to_fold[ct[i] + 1] == f then te[#te + 1] = i else tr[#tr + 1] = i end
    end
    out[f] = util.list{ints(tr), ints(te)}
  end
  return util.list(out)
end
GroupKFold.split = split_iter
function GroupKFold:get_n_splits() return self.n_splits end

return M
