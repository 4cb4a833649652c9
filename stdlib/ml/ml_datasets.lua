-- ml_datasets.lua: ml.datasets, scikit-learn's toy datasets (load_*, read
-- from data/sklearn/, exported from sklearn's own bundled copies) and sample
-- generators (make_*). The generators draw from NumPy's legacy RandomState
-- stream (base.sk_rng) in the order scikit-learn 1.2 draws, so the same
-- random_state gives the same numbers as sklearn (to the last bits of the
-- matrix products and of sin/cos).
-- Errors carry no source position: the message names the ml function.
local error = require("geolab.util").raise   -- keeps the level of each call (util.lua)
local np = require "geolab.array"
local base = require "geolab.ml_base"
local util = require "geolab.util"

local D = {}

-- {==================================================================
-- Bunch: a table of named results that prints its keys, and whose missing
-- keys are errors (sklearn's Bunch raises AttributeError).
-- ==================================================================}

local Bunch = {__name = "Bunch"}
Bunch.__index = function(t, k)
  if type(k) ~= "string" or k:sub(1, 2) == "__" then return nil end
  local near = util.nearest(k, util.sorted_keys(t))
  error(("ml.datasets: the result has no field '%s'%s"):format(k,
    near and (" (did you mean '" .. near .. "'?)") or ""))
end
Bunch.__tostring = function(t)
  return "Bunch(" .. table.concat(util.sorted_keys(t), ", ") .. ")"
end

-- {==================================================================
-- load_*
-- ==================================================================}

local function data_dirs()
  local dirs = {}
  local env = os.getenv("GEOLAB_DATA_DIR")
  if env and env ~= "" then dirs[#dirs + 1] = env end
  local ok, core = pcall(require, "geolab.ml_core")
  if ok and core.data_dir then dirs[#dirs + 1] = core.data_dir() end
  dirs[#dirs + 1] = "data"
  return dirs
end

local function find_file(name, fname)
  local tried = {}
  for _, d in ipairs(data_dirs()) do
    local p = d .. "/sklearn/" .. name
    local f = io.open(p, "rb")
    if f then f:close(); return p end
    tried[#tried + 1] = p
  end
  error(("%s: dataset file not found (looked for %s; set GEOLAB_DATA_DIR to the geolab data/ folder)"):format(
    fname, table.concat(tried, ", ")))
end

local function read_text(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function as_frame_of(X, names, y, yname)
  local pd = require "geolab.frame"
  local cols, order = {}, {}
  for j, n in ipairs(names) do cols[n] = X[{{}, j}]:copy(); order[j] = n end
  local data = pd.DataFrame(cols, {columns = order})
  local target = pd.Series(y, {name = yname})
  local all = {}
  for k, v in pairs(cols) do all[k] = v end
  all[yname] = y
  local o2 = {table.unpack(order)}
  o2[#o2 + 1] = yname
  return data, target, pd.DataFrame(all, {columns = o2})
end

-- load(name, opts, extra): reads data/sklearn/NAME.{npz,lua,rst}; extra(arrs)
-- may replace data (diabetes unscaled) and add fields (digits images).
local function loader(name, extra)
  local fname = "ml.datasets.load_" .. name
  return function(opts)
    local allowed = {"return_X_y", "as_frame"}
    if name == "diabetes" then allowed[3] = "scaled" end
    if name == "digits" then allowed[3] = "n_class" end
    opts = util.check_options(opts, allowed, fname, 0)
    local arrs = np.load(find_file(name .. ".npz", fname))
    local meta = assert(loadfile(find_file(name .. ".lua", fname), "t", {}))()
    local X, y = arrs.data, arrs.target
    local out = {feature_names = util.list(meta.feature_names), target_names = util.list(meta.target_names),
                 filename = meta.filename, data_module = "sklearn.datasets.data"}
    if extra then X, y = extra(arrs, opts, out, fname) end
    if X.dtype ~= "float64" then X = X:astype("float64") end
    if opts.return_X_y and not opts.as_frame then return X, y end
    if opts.as_frame then
      local data, target, frame = as_frame_of(X, meta.feature_names, y, "target")
      if opts.return_X_y then return data, target end
      out.data, out.target, out.frame = data, target, frame
    else
      out.data, out.target = X, y
    end
    out.DESCR = read_text(find_file(name .. ".rst", fname))
    return setmetatable(out, Bunch)
  end
end

D.load_iris = loader("iris")
D.load_wine = loader("wine")
D.load_breast_cancer = loader("breast_cancer")
D.load_diabetes = loader("diabetes", function(arrs, opts)
  if opts.scaled == false then return arrs.data_raw, arrs.target end
  return arrs.data, arrs.target
end)
D.load_digits = loader("digits", function(arrs, opts, out, fname)
  local X, y = arrs.data, arrs.target
  local k = opts.n_class or 10
  if math.type(k) ~= "integer" or k < 1 or k > 10 then
    error(fname .. ": n_class must be an integer in 1..10")
  end
  if k < 10 then
    local keep = y:lt(k)
    X, y = X[keep], y[keep]   -- target_names stay 0..9, as in sklearn
  end
  out.images = X:astype("float64"):reshape{-1, 8, 8}
  return X, y
end)

-- {==================================================================
-- make_*: generators
-- ==================================================================}

local function check_int(v, what, fname, min)
  if math.type(v) ~= "integer" or v < (min or 1) then
    error(("%s: %s must be an integer >= %d, got %s"):format(fname, what, min or 1, tostring(v)))
  end
  return v
end

local function check_num(v, what, fname)
  if type(v) ~= "number" then error(("%s: %s must be a number, got %s"):format(fname, what, type(v))) end
  return v
end

-- sklearn.utils.shuffle(X, y, random_state=rng): rows permuted together.
local function shuffle_rows(rng, X, y)
  local p = rng:permutation(X.shape[1])
  return X[p], y[p]
end

-- A (n, 2) array from two equal-length Lua lists.
local function columns2(a, b)
  return np.column_stack{np.array(a), np.array(b)}
end

-- make_blobs{n_samples=100, n_features=2, centers=, cluster_std=1.0,
-- center_box={-10, 10}, shuffle=true, random_state=, return_centers=false}
-- -> X, y [, centers]
function D.make_blobs(opts)
  local fname = "ml.datasets.make_blobs"
  opts = util.check_options(opts, {"n_samples", "n_features", "centers", "cluster_std", "center_box",
    "shuffle", "random_state", "return_centers"}, fname, 0)
  local rng = base.sk_rng(opts.random_state)
  local ns, nf = opts.n_samples or 100, opts.n_features or 2
  check_int(nf, "n_features", fname)
  local box = opts.center_box or {-10.0, 10.0}
  local centers, k = opts.centers, nil
  local per = {}
  if type(ns) == "table" then   -- samples per center
    k = #ns
    for i = 1, k do per[i] = check_int(ns[i], "n_samples[" .. i .. "]", fname, 0) end
    if centers ~= nil and type(centers) ~= "number" then
      centers = base.to_array(centers, fname, "centers")
      if centers.shape[1] ~= k then
        error(("%s: length of n_samples (%d) and centers (%d) differ"):format(fname, k, centers.shape[1]))
      end
    end
  else
    check_int(ns, "n_samples", fname)
  end
  if centers == nil or type(centers) == "number" then
    k = k or centers or 3
    check_int(k, "centers", fname)
    centers = rng:uniform(k * nf):reshape{k, nf} * (box[2] - box[1]) + box[1]
  elseif type(ns) ~= "table" then
    centers = base.to_array(centers, fname, "centers"):astype("float64")
    if centers.ndim ~= 2 then error(fname .. ": centers must be 2-D (centers x features)") end
    k, nf = centers.shape[1], centers.shape[2]
  end
  if type(ns) ~= "table" then
    for i = 1, k do per[i] = ns // k + ((i <= ns % k) and 1 or 0) end
  end
  local std = opts.cluster_std or 1.0
  local stds = {}
  for i = 1, k do
    stds[i] = type(std) == "number" and std or (type(std) == "table" and std[i]) or
      (type(std) == "userdata" and std[i])
    if type(stds[i]) ~= "number" then error(fname .. ": cluster_std must be a number or one per center") end
  end
  local parts, labels = {}, {}
  for i = 1, k do
    local g = rng:normal(per[i] * nf):reshape{per[i], nf}
    -- legacy normal(loc, scale) is loc + scale * gauss, element by element
    parts[i] = centers[{{i, i}, {}}] + g * stds[i]
    for _ = 1, per[i] do labels[#labels + 1] = i - 1 end
  end
  local X = np.vstack(parts)
  local y = np.array(labels, "int64")
  if opts.shuffle ~= false then X, y = shuffle_rows(rng, X, y) end
  if opts.return_centers then return X, y, centers end
  return X, y
end

local function split_in_out(ns, fname)
  if type(ns) == "table" then
    if #ns ~= 2 then error(fname .. ": n_samples must be an integer or a pair {n_out, n_in}") end
    return check_int(ns[1], "n_samples[1]", fname, 0), check_int(ns[2], "n_samples[2]", fname, 0)
  end
  check_int(ns, "n_samples", fname)
  return ns // 2, ns - ns // 2
end

-- NumPy's linspace(0, stop, n[, endpoint]): i * step, the last set to stop.
local function linspace(stop, n, endpoint)
  local out = {}
  local div = endpoint and (n - 1) or n
  local step = stop / div
  for i = 1, n do out[i] = (i - 1) * step end
  if endpoint and n > 1 then out[n] = stop end
  return out
end

local function finish_two(rng, xs, ys, nout, nin, opts)
  local X = columns2(xs, ys)
  local lab = {}
  for i = 1, nout + nin do lab[i] = i <= nout and 0 or 1 end
  local y = np.array(lab, "int64")
  if opts.shuffle ~= false then X, y = shuffle_rows(rng, X, y) end
  if opts.noise ~= nil then X = X + rng:normal(X.size):reshape(X.shape) * opts.noise end
  return X, y
end

-- make_moons{n_samples=100, shuffle=true, noise=, random_state=} -> X, y
function D.make_moons(opts)
  local fname = "ml.datasets.make_moons"
  opts = util.check_options(opts, {"n_samples", "shuffle", "noise", "random_state"}, fname, 0)
  local nout, nin = split_in_out(opts.n_samples or 100, fname)
  if opts.noise ~= nil then check_num(opts.noise, "noise", fname) end
  local rng = base.sk_rng(opts.random_state)
  local xs, ys = {}, {}
  for i, t in ipairs(linspace(math.pi, nout, true)) do xs[i], ys[i] = math.cos(t), math.sin(t) end
  for i, t in ipairs(linspace(math.pi, nin, true)) do
    xs[nout + i], ys[nout + i] = 1 - math.cos(t), 1 - math.sin(t) - 0.5
  end
  return finish_two(rng, xs, ys, nout, nin, opts)
end

-- make_circles{n_samples=100, shuffle=true, noise=, random_state=, factor=0.8} -> X, y
function D.make_circles(opts)
  local fname = "ml.datasets.make_circles"
  opts = util.check_options(opts, {"n_samples", "shuffle", "noise", "random_state", "factor"}, fname, 0)
  local factor = check_num(opts.factor or 0.8, "factor", fname)
  if factor >= 1 or factor < 0 then error(fname .. ": factor has to be between 0 and 1") end
  local nout, nin = split_in_out(opts.n_samples or 100, fname)
  if opts.noise ~= nil then check_num(opts.noise, "noise", fname) end
  local rng = base.sk_rng(opts.random_state)
  local xs, ys = {}, {}
  for i, t in ipairs(linspace(2 * math.pi, nout, false)) do xs[i], ys[i] = math.cos(t), math.sin(t) end
  for i, t in ipairs(linspace(2 * math.pi, nin, false)) do
    xs[nout + i], ys[nout + i] = math.cos(t) * factor, math.sin(t) * factor
  end
  return finish_two(rng, xs, ys, nout, nin, opts)
end

-- X = U diag(s) V' with random orthonormal U, V (QR of normal draws) and
-- a bell-shaped profile of singular values plus a fat tail (sklearn's
-- make_low_rank_matrix), drawn from the stream rng.
local function low_rank(rng, n_samples, n_features, rank, tail)
  local n = math.min(n_samples, n_features)
  local U = np.linalg.qr(rng:normal(n_samples * n):reshape{n_samples, n})
  local V = np.linalg.qr(rng:normal(n_features * n):reshape{n_features, n})
  local sv = {}
  for i = 0, n - 1 do
    sv[i + 1] = (1 - tail) * math.exp(-1.0 * (i / rank) ^ 2) + tail * math.exp(-0.1 * i / rank)
  end
  local S = np.zeros{n, n}
  for i = 1, n do S[{i, i}] = sv[i] end
  return U:matmul(S):matmul(V.T)
end

-- make_low_rank_matrix{n_samples=100, n_features=100, effective_rank=10,
-- tail_strength=0.5, random_state=} -> X
function D.make_low_rank_matrix(opts)
  local fname = "ml.datasets.make_low_rank_matrix"
  opts = util.check_options(opts, {"n_samples", "n_features", "effective_rank", "tail_strength", "random_state"},
    fname, 0)
  local n = check_int(opts.n_samples or 100, "n_samples", fname)
  local p = check_int(opts.n_features or 100, "n_features", fname)
  local r = check_num(opts.effective_rank or 10, "effective_rank", fname)
  local t = check_num(opts.tail_strength or 0.5, "tail_strength", fname)
  return low_rank(base.sk_rng(opts.random_state), n, p, r, t)
end

-- make_regression{n_samples=100, n_features=100, n_informative=10,
-- n_targets=1, bias=0.0, effective_rank=, tail_strength=0.5, noise=0.0,
-- shuffle=true, coef=false, random_state=} -> X, y [, coef]
function D.make_regression(opts)
  local fname = "ml.datasets.make_regression"
  opts = util.check_options(opts, {"n_samples", "n_features", "n_informative", "n_targets", "bias",
    "effective_rank", "tail_strength", "noise", "shuffle", "coef", "random_state"}, fname, 0)
  local n = check_int(opts.n_samples or 100, "n_samples", fname)
  local nf = check_int(opts.n_features or 100, "n_features", fname)
  local ni = math.min(nf, check_int(opts.n_informative or 10, "n_informative", fname, 0))
  local nt = check_int(opts.n_targets or 1, "n_targets", fname)
  local bias = check_num(opts.bias or 0.0, "bias", fname)
  local noise = check_num(opts.noise or 0.0, "noise", fname)
  local rng = base.sk_rng(opts.random_state)
  local X
  if opts.effective_rank == nil then X = rng:normal(n * nf):reshape{n, nf}
  else
    X = low_rank(rng, n, nf, check_num(opts.effective_rank, "effective_rank", fname),
      check_num(opts.tail_strength or 0.5, "tail_strength", fname))
  end
  local gt = np.zeros{nf, nt}
  if ni > 0 then gt[{{1, ni}, {}}] = rng:uniform(ni * nt):reshape{ni, nt} * 100 end
  local y = X:matmul(gt) + bias
  if noise > 0 then y = y + rng:normal(n * nt):reshape{n, nt} * noise end
  if opts.shuffle ~= false then
    X, y = shuffle_rows(rng, X, y)
    local idx = np.arange(1, nf + 1)
    rng:shuffle(idx)
    X = X[{{}, idx}]
    gt = gt[idx]
  end
  if nt == 1 then y = y:reshape{-1}; gt = gt:reshape{-1} end
  if opts.coef then return X, y, gt end
  return X, y
end

-- Vertices of a dims-dimensional hypercube, one per row (sklearn's
-- _generate_hypercube): distinct bit patterns, the high bit first.
local function hypercube(rng, samples, dims)
  if dims > 30 then
    local hi = rng:randint(2, samples * (dims - 30)):reshape{samples, dims - 30}:astype("float64")
    return np.hstack{hi, hypercube(rng, samples, 30)}
  end
  local v = base.sample_without_replacement(rng, 1 << dims, samples)
  local out = np.zeros{samples, dims}
  for i = 1, samples do
    for j = 1, dims do out[{i, j}] = (v[i] >> (dims - j)) & 1 end
  end
  return out
end

-- make_classification{n_samples=100, n_features=20, n_informative=2,
-- n_redundant=2, n_repeated=0, n_classes=2, n_clusters_per_class=2,
-- weights=, flip_y=0.01, class_sep=1.0, hypercube=true, shift=0.0,
-- scale=1.0, shuffle=true, random_state=} -> X, y
function D.make_classification(opts)
  local fname = "ml.datasets.make_classification"
  opts = util.check_options(opts, {"n_samples", "n_features", "n_informative", "n_redundant",
    "n_repeated", "n_classes", "n_clusters_per_class", "weights", "flip_y", "class_sep", "hypercube",
    "shift", "scale", "shuffle", "random_state"}, fname, 0)
  local n = check_int(opts.n_samples or 100, "n_samples", fname)
  local nf = check_int(opts.n_features or 20, "n_features", fname)
  local ni = check_int(opts.n_informative or 2, "n_informative", fname)
  local nr = check_int(opts.n_redundant or 2, "n_redundant", fname, 0)
  local nrep = check_int(opts.n_repeated or 0, "n_repeated", fname, 0)
  local nc = check_int(opts.n_classes or 2, "n_classes", fname)
  local ncpc = check_int(opts.n_clusters_per_class or 2, "n_clusters_per_class", fname)
  local flip_y = check_num(opts.flip_y or 0.01, "flip_y", fname)
  local sep = check_num(opts.class_sep or 1.0, "class_sep", fname)
  if ni + nr + nrep > nf then
    error(fname .. ": number of informative, redundant and repeated features must sum to less than the number of total features")
  end
  if 2 ^ ni < nc * ncpc then
    error(fname .. ": n_classes * n_clusters_per_class must be smaller or equal 2**n_informative")
  end
  local weights = opts.weights
  if weights ~= nil then
    local w = {}
    for i = 1, #weights do w[i] = weights[i] end
    if #w == nc - 1 then
      local s = 0
      for i = 1, #w do s = s + w[i] end
      w[nc] = 1.0 - s
    elseif #w ~= nc then
      error(fname .. ": weights specified but incompatible with number of classes")
    end
    weights = w
  else
    weights = {}
    for i = 1, nc do weights[i] = 1.0 / nc end
  end
  local rng = base.sk_rng(opts.random_state)
  local nuseless = nf - ni - nr - nrep
  local ncl = nc * ncpc
  local per, tot = {}, 0
  for k = 1, ncl do
    per[k] = math.floor(n * weights[(k - 1) % nc + 1] / ncpc)
    tot = tot + per[k]
  end
  for i = 0, n - tot - 1 do per[i % ncl + 1] = per[i % ncl + 1] + 1 end
  local X = np.zeros{n, nf}
  local yl = {}
  local cent = hypercube(rng, ncl, ni) * (2 * sep) - sep
  if opts.hypercube == false then
    cent = cent * rng:uniform(ncl):reshape{ncl, 1}
    cent = cent * rng:uniform(ni):reshape{1, ni}
  end
  X[{{}, {1, ni}}] = rng:normal(n * ni):reshape{n, ni}
  local stop = 0
  for k = 1, ncl do
    local start = stop
    stop = stop + per[k]
    for i = start + 1, stop do yl[i] = (k - 1) % nc end
    local A = rng:uniform(ni * ni):reshape{ni, ni} * 2 - 1
    if stop > start then
      local Xk = X[{{start + 1, stop}, {1, ni}}]
      X[{{start + 1, stop}, {1, ni}}] = Xk:matmul(A) + cent[{{k, k}, {}}]
    end
  end
  if nr > 0 then
    local B = rng:uniform(ni * nr):reshape{ni, nr} * 2 - 1
    X[{{}, {ni + 1, ni + nr}}] = X[{{}, {1, ni}}]:matmul(B)
  end
  if nrep > 0 then
    local m = ni + nr
    local u = rng:uniform(nrep)
    for r = 1, nrep do
      local src = math.floor((m - 1) * u[r] + 0.5) + 1
      X[{{}, {m + r, m + r}}] = X[{{}, {src, src}}]
    end
  end
  if nuseless > 0 then
    X[{{}, {nf - nuseless + 1, nf}}] = rng:normal(n * nuseless):reshape{n, nuseless}
  end
  local y = np.array(yl, "int64")
  if flip_y >= 0 then
    local flip = rng:uniform(n):lt(flip_y)
    local nflip = flip:sum()
    if nflip > 0 then y[flip] = rng:randint(nc, math.tointeger(nflip)) end
  end
  -- shift/scale None (sklearn's None) draw one random value per feature
  local shift, scale = opts.shift or 0.0, opts.scale or 1.0
  if shift == util.None then shift = (rng:uniform(nf) * 2 - 1) * sep end
  X = X + (type(shift) == "table" and np.array(shift) or shift)
  if scale == util.None then scale = rng:uniform(nf) * 100 + 1 end
  X = X * (type(scale) == "table" and np.array(scale) or scale)
  if opts.shuffle ~= false then
    X, y = shuffle_rows(rng, X, y)
    local idx = np.arange(1, nf + 1)
    rng:shuffle(idx)
    X = X[{{}, idx}]
  end
  return X, y
end

return {datasets = setmetatable(D, {__index = function(_, k)
  if type(k) ~= "string" or k:sub(1, 2) == "__" then return nil end
  local near = util.nearest(k, util.sorted_keys(D))
  error(("ml.datasets: no function '%s'%s"):format(k, near and (" (did you mean ml.datasets." .. near .. "?)") or ""))
end})}
