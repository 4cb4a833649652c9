-- seis_picktrain.lua: fine-tuning a phase picker as the course does it with
-- SeisBench: training windows cut around picks with random offsets and zero
-- padding (WindowAroundSample, RandomWindow "pad"), normalized per channel
-- (Normalize: demean, peak; or PhaseNet's own mean/std rule), Gaussian
-- probability labels (ProbabilisticLabeller, noise = 1 - P - S), the vector
-- cross-entropy loss, a training loop with nn and Adam, and the picking
-- error of a model on labelled windows. Installed into seis as
-- seis.pick_labels, seis.PickGenerator, seis.pick_loss, seis.finetune_picker
-- and seis.pick_errors (docs/seismic.md, docs/tutorials/06_phasenet.md).
local np = require "geolab.array"
local util = require "geolab.util"

local M = {}

local function fail(fname, msg, ...)
  util.raise(fname .. ": " .. (select("#", ...) > 0 and msg:format(...) or msg), 3)
end

local function is_array(x)
  local mt = type(x) == "userdata" and getmetatable(x)
  return mt and mt.__name == "geolab.Array" or false
end

-- a pick position: nil (no pick) or a finite number
local function check_pick(fname, v, what, i)
  if v == nil then return nil end
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
    fail(fname, "%s of window %d must be a sample position (a number) or nil, got %s", what, i, util.repr(v))
  end
  return v
end

-- {===== labels

-- (3, n) float32 rows noise, P, S: exp(-(t - pick)^2 / (2 sigma^2)) at
-- samples t = 1..n for each phase that has a pick (a pick outside 1..n
-- leaves its tail), P and S scaled down together where they sum past 1
-- (SeisBench's ProbabilisticLabeller), noise = 1 - P - S.
local function labels(n, p, s, sigma)
  local t = np.arange(1, n + 1)
  local function g(c)
    if c == nil then return np.zeros{n} end
    local d = (t - c) / sigma
    return np.exp(d * d * -0.5)
  end
  local P, S = g(p), g(s)
  local scale = np.maximum(P + S, 1)
  P, S = P / scale, S / scale
  return np.stack({np.maximum(1 - P - S, 0), P, S}):astype("float32")
end

function M.pick_labels(n, p, s, opts)
  local fname = "seis.pick_labels"
  opts = util.check_options(opts, {"sigma"}, fname, 2)
  if math.type(n) ~= "integer" or n < 1 then
    fail(fname, "n must be a positive integer (samples), got %s", util.repr(n))
  end
  check_pick(fname, p, "the P pick", 1); check_pick(fname, s, "the S pick", 1)
  local sigma = opts.sigma or 30
  if type(sigma) ~= "number" or not (sigma > 0) then
    fail(fname, "sigma must be a positive number (samples), got %s", util.repr(sigma))
  end
  return labels(n, p, s, sigma)
end
-- }=====

-- {===== normalization of one window (3, L) float64, in a new array

local function normalize(x, how)
  local m = x:mean{axis = 1, keepdims = true}
  x = x - m
  if how == "peak" then
    -- SeisBench Normalize(amp_norm_type="peak"): x / (max |x| + 1e-10)
    return x / (np.abs(x):max{axis = 1, keepdims = true} + 1e-10)
  end
  -- PhaseNet's rule (data/phasenet/README.md): population std per channel,
  -- a zero channel left zero, times 3 / nonzero channels
  local sd = x:std{axis = 1, keepdims = true}
  local nz = sd:gt(0):astype("int64"):sum()
  x = x / np.where(sd:gt(0), sd, 1)
  if nz > 0 and nz < 3 then x = x * (3 / nz) end
  return x
end
-- }=====

-- {===== the generator

local GEN_OPTS = {"length", "samples_before", "windowlen", "sigma", "normalize", "seed"}

local Gen = {}
Gen.__index = Gen
Gen.__name = "seis.PickGenerator"

-- waveforms: a list of (T, 3) arrays (samples x E, N, Z as the shared files)
-- or one (N, T, 3) array; picks: a list of {p = , s = } 1-based positions.
function M.PickGenerator(waveforms, picks, opts)
  local fname = "seis.PickGenerator"
  opts = util.check_options(opts, GEN_OPTS, fname, 2)
  local recs = {}
  if is_array(waveforms) then
    if waveforms.ndim ~= 3 or waveforms.shape[3] ~= 3 then
      fail(fname, "waveforms must be (windows, samples, 3), got shape %s", tostring(waveforms.shape))
    end
    for i = 1, waveforms.shape[1] do recs[i] = waveforms[i] end
  elseif type(waveforms) == "table" then
    for i, w in ipairs(waveforms) do
      if not is_array(w) or w.ndim ~= 2 or w.shape[2] ~= 3 then
        fail(fname, "waveform %d must be a (samples, 3) array, got %s", i,
          is_array(w) and "shape " .. tostring(w.shape) or type(w))
      end
      recs[i] = w
    end
  else
    fail(fname, "waveforms must be a list of (samples, 3) arrays or a (windows, samples, 3) array, got %s", type(waveforms))
  end
  if #recs == 0 then fail(fname, "no waveforms") end
  if type(picks) ~= "table" or #picks ~= #recs then
    fail(fname, "picks must be a list of {p =, s =} with one entry per waveform (%d), got %s", #recs,
      type(picks) == "table" and tostring(#picks) or type(picks))
  end
  local self = setmetatable({fname = fname}, Gen)
  self.length = opts.length or 3000
  self.samples_before = opts.samples_before or 1000
  self.windowlen = opts.windowlen or 2500
  self.sigma = opts.sigma or 30
  self.norm = opts.normalize or "peak"
  for _, k in ipairs{"length", "samples_before", "windowlen"} do
    if math.type(self[k]) ~= "integer" or self[k] < (k == "samples_before" and 0 or 1) then
      fail(fname, "%s must be a %s integer, got %s", k, k == "samples_before" and "non-negative" or "positive",
        util.repr(self[k]))
    end
  end
  if type(self.sigma) ~= "number" or not (self.sigma > 0) then
    fail(fname, "sigma must be a positive number (samples), got %s", util.repr(self.sigma))
  end
  if self.norm ~= "peak" and self.norm ~= "std" then
    fail(fname, "normalize must be 'peak' or 'std', got %s", util.repr(self.norm))
  end
  self.recs, self.picks = {}, {}
  for i, w in ipairs(recs) do
    local pk = picks[i]
    if type(pk) ~= "table" then fail(fname, "picks[%d] must be a table {p =, s =}, got %s", i, type(pk)) end
    local p, s = check_pick(fname, pk.p, "the P pick", i), check_pick(fname, pk.s, "the S pick", i)
    if p == nil and s == nil then fail(fname, "window %d has neither a P nor an S pick", i) end
    local x = w:astype("float64")
    if np.isnan(x):any() then fail(fname, "waveform %d has NaN samples", i) end
    self.recs[i] = x.T:copy()                     -- (3, T)
    self.picks[i] = {p = p, s = s}
  end
  self.rng = np.random.Generator(opts.seed or 0)
  return self
end

Gen.__len = function(self) return #self.recs end
Gen.__tostring = function(self)
  return ("PickGenerator(%d windows, length %d, samples_before %d, windowlen %d, sigma %s, normalize %s)"):format(
    #self.recs, self.length, self.samples_before, self.windowlen, util.repr(self.sigma), self.norm)
end

local function rint(rng, lo, hi)            -- uniform integer in lo..hi
  if hi <= lo then return lo end
  return lo + math.floor(rng:random() * (hi - lo + 1))
end

-- One augmented window i: x (3, length) float32 normalized, y (3, length)
-- float32 labels, and the pick positions in the window (1-based; possibly
-- outside 1..length when the cut left the pick out).
function Gen:sample(i)
  local rec, pk = self.recs[i], self.picks[i]
  if not rec then fail("seis.PickGenerator:sample", "window %s out of 1..%d", util.repr(i), #self.recs) end
  local T, L = rec.shape[2], self.length
  local rng = self.rng
  -- WindowAroundSample(selection = "random", strategy = "variable")
  local anchors = {}
  if pk.p then anchors[#anchors + 1] = pk.p end
  if pk.s then anchors[#anchors + 1] = pk.s end
  local a = math.floor(anchors[rint(rng, 1, #anchors)] + 0.5)
  local c0 = math.max(1, a - self.samples_before)
  local c1 = math.min(T, a - self.samples_before + self.windowlen - 1)
  -- RandomWindow(strategy = "pad"): a random part of the cut, or the cut at
  -- a random place in zeros
  local x = np.zeros{3, L}
  local shift                                     -- window sample = record sample + shift
  local n = c1 - c0 + 1
  if n >= L then
    local s0 = rint(rng, c0, c1 - L + 1)
    x[{{}, {1, L}}] = rec[{{}, {s0, s0 + L - 1}}]
    shift = 1 - s0
  else
    local o = rint(rng, 0, L - n)
    if n > 0 then x[{{}, {o + 1, o + n}}] = rec[{{}, {c0, c1}}] end
    shift = o + 1 - c0
  end
  local p = pk.p and pk.p + shift or nil
  local s = pk.s and pk.s + shift or nil
  return normalize(x, self.norm):astype("float32"), labels(L, p, s, self.sigma), p, s
end

-- A batch of windows (list of positions): x (B, 3, L), y (B, 3, L).
function Gen:batch(idx)
  local xs, ys = {}, {}
  for k, i in ipairs(idx) do xs[k], ys[k] = self:sample(i) end
  return np.stack(xs), np.stack(ys)
end

-- for xb, yb in gen:batches(batch_size) do ... end: one epoch over every
-- window once, in a new random order each call (the generator's seed), with
-- fresh random cuts.
function Gen:batches(batch_size)
  local fname = "seis.PickGenerator:batches"
  if math.type(batch_size) ~= "integer" or batch_size < 1 then
    fail(fname, "batch_size must be a positive integer, got %s", util.repr(batch_size))
  end
  local order = self.rng:permutation(#self.recs):totable()
  local k = 0
  return function()
    if k >= #order then return nil end
    local idx = {}
    for j = k + 1, math.min(k + batch_size, #order) do idx[#idx + 1] = order[j] end
    k = k + batch_size
    return self:batch(idx)
  end
end
-- }=====

-- {===== loss

-- -mean over batch and samples of sum_c y_c log(p_c + eps), probabilities
-- (B, 3, L) (a tensor with its tape, or an array), labels of that shape.
function M.pick_loss(probs, y, opts)
  local fname = "seis.pick_loss"
  local nn = require "geolab.nn"
  opts = util.check_options(opts, {"eps"}, fname, 2)
  local eps = opts.eps or 1e-5
  if not nn.is_tensor(probs) then
    if not is_array(probs) then fail(fname, "probabilities must be a tensor or an array, got %s", type(probs)) end
    probs = nn.tensor(probs)
  end
  if nn.is_tensor(y) then y = y.data end
  if not is_array(y) then fail(fname, "labels must be an array, got %s", type(y)) end
  local ps, ys = probs.shape, y.shape
  if probs.ndim ~= 3 or y.ndim ~= 3 or ps[1] ~= ys[1] or ps[2] ~= ys[2] or ps[3] ~= ys[3] then
    fail(fname, "probabilities %s and labels %s must have the same (batch, classes, samples) shape",
      tostring(ps), tostring(ys))
  end
  local h = (probs + eps):log() * y:astype(probs.dtype)
  return -(h:sum(1):mean())
end
-- }=====

-- {===== training and evaluation

local function model_of(fname, m)
  local nn = require "geolab.nn"
  if nn.is_module(m) then return m end
  if type(m) == "table" and nn.is_module(rawget(m, "model")) then return m.model end
  fail(fname, "expected a picker (seis.PhaseNet) or an nn module, got %s", type(m))
end

-- Adam on every parameter, one pass of gen:batches per epoch, the model in
-- training mode (batch statistics, running statistics updated); back in
-- eval mode at the end. Returns {loss = {per epoch}, val_loss = {...}}.
local FT_OPTS = {"epochs", "lr", "batch_size", "val", "verbose", "weight_decay"}
function M.finetune_picker(picker, gen, opts)
  local fname = "seis.finetune_picker"
  local nn, optim = require "geolab.nn", require "geolab.optim"
  opts = util.check_options(opts, FT_OPTS, fname, 2)
  local model = model_of(fname, picker)
  if getmetatable(gen) ~= Gen then fail(fname, "expected a seis.PickGenerator, got %s", type(gen)) end
  local epochs, bs = opts.epochs or 5, opts.batch_size or 16
  if math.type(epochs) ~= "integer" or epochs < 1 then
    fail(fname, "epochs must be a positive integer, got %s", util.repr(epochs))
  end
  if opts.val ~= nil and getmetatable(opts.val) ~= Gen then
    fail(fname, "val must be a seis.PickGenerator, got %s", type(opts.val))
  end
  local opt = optim.Adam(model:parameters(), {lr = opts.lr or 1e-3, weight_decay = opts.weight_decay or 0})
  local hist = {loss = util.list{}, val_loss = util.list{}}
  for e = 1, epochs do
    model:train()
    local sum, n = 0, 0
    for xb, yb in gen:batches(bs) do
      opt:zero_grad()
      local loss = M.pick_loss(model(xb), yb)
      loss:backward()
      opt:step()
      sum, n = sum + loss:item() * #xb, n + #xb
      if loss:item() ~= loss:item() then fail(fname, "the loss became NaN in epoch %d", e) end
    end
    hist.loss[e] = sum / n
    if opts.val then hist.val_loss[e] = M.pick_loss_of(model, opts.val, bs) end
    if opts.verbose then
      print(("epoch %d  loss %.4f%s"):format(e, hist.loss[e],
        opts.val and ("  val_loss %.4f"):format(hist.val_loss[e]) or ""))
    end
  end
  model:eval()
  return setmetatable(hist, {__tostring = function(h)
    return ("finetune_picker history: %d epochs, loss %s"):format(#h.loss, tostring(h.loss))
  end})
end

-- The mean loss of a model in eval mode over one pass of a generator.
function M.pick_loss_of(model, gen, bs)
  local nn = require "geolab.nn"
  model:eval()
  local sum, n = 0, 0
  nn.no_grad(function()
    for xb, yb in gen:batches(bs or 16) do
      sum, n = sum + M.pick_loss(model(xb), yb):item() * #xb, n + #xb
    end
  end)
  return sum / n
end

-- Picking error on fixed windows: x (N, 3, L) (already normalized, as a
-- generator's batch gives them) with their label positions p, s (lists);
-- for each phase the highest-probability sample, a pick when its
-- probability reaches the threshold. Residuals pick - label in samples.
function M.pick_errors(picker, x, p, s, opts)
  local fname = "seis.pick_errors"
  local nn = require "geolab.nn"
  opts = util.check_options(opts, {"threshold", "tolerance", "batch_size"}, fname, 2)
  local model = model_of(fname, picker)
  if not is_array(x) or x.ndim ~= 3 or x.shape[2] ~= 3 then
    fail(fname, "x must be a (windows, 3, samples) array, got %s", is_array(x) and "shape " .. tostring(x.shape) or type(x))
  end
  local N = x.shape[1]
  if type(p) ~= "table" or type(s) ~= "table" then fail(fname, "p and s must be lists of label positions") end
  local thr, tol, bs = opts.threshold or 0.3, opts.tolerance or 10, opts.batch_size or 32
  model:eval()
  local res = {P = {}, S = {}}
  local hits = {P = 0, S = 0}
  local count = {P = 0, S = 0}
  nn.no_grad(function()
    for i = 1, N, bs do
      local j = math.min(i + bs - 1, N)
      local pr = model(x[{{i, j}}]).data
      for k = i, j do
        for c, ph in ipairs{"P", "S"} do
          local lab = (ph == "P" and p or s)[k]
          if lab ~= nil and lab >= 1 and lab <= x.shape[3] then
            count[ph] = count[ph] + 1
            local tr = pr[{k - i + 1, c + 1}]
            local at = tr:argmax()
            if tr[at] >= thr then
              local r = at - lab
              res[ph][#res[ph] + 1] = r
              if math.abs(r) <= tol then hits[ph] = hits[ph] + 1 end
            end
          end
        end
      end
    end
  end)
  local out = {}
  for _, ph in ipairs{"P", "S"} do
    local r = res[ph]
    local mae = 0
    for _, v in ipairs(r) do mae = mae + math.abs(v) end
    out[ph] = {n = count[ph], picked = #r, hit_rate = count[ph] > 0 and hits[ph] / count[ph] or 0,
      mae = #r > 0 and mae / #r or 0, residuals = np.array(#r > 0 and r or {}, "float64")}
  end
  return setmetatable(out, {__tostring = function(o)
    return ("pick_errors: P %d/%d within %d (mean |residual| %.1f), S %d/%d (%.1f)"):format(
      math.floor(o.P.hit_rate * o.P.n + 0.5), o.P.n, tol, o.P.mae, math.floor(o.S.hit_rate * o.S.n + 0.5), o.S.n, o.S.mae)
  end})
end
-- }=====

function M.install(seis)
  seis.pick_labels = M.pick_labels
  seis.PickGenerator = M.PickGenerator
  seis.pick_loss = M.pick_loss
  seis.finetune_picker = M.finetune_picker
  seis.pick_errors = M.pick_errors
end

return M
