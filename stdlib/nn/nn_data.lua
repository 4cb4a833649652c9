-- nn_data.lua: nn.DataLoader, PyTorch's DataLoader over a TensorDataset of
-- np arrays: batches of rows of X (and the matching items of y). Without
-- shuffling a batch is a view of X; with it, a copy gathered through a
-- permutation drawn anew at every pass (every epoch), as PyTorch's
-- RandomSampler does. The permutations come from the loader's own
-- generator when a seed is given, else from nn's generator (seeded from the
-- run seed): the same script gives the same batches on every run.
local util = require "geolab.util"
local np = require "geolab.array"
local error = util.raise

local M = {}
local FNAME = "nn.DataLoader"
local OPTS = {"batch_size", "shuffle", "seed", "drop_last"}

local fallback_gen   -- used only when nn's generator is not built in
local function nn_generator()
  if package.preload["geolab.nn_tensor"] or package.loaded["geolab.nn_tensor"] then
    return require("geolab.nn_tensor").generator()
  end
  if fallback_gen == nil then fallback_gen = np.random.Generator() end
  return fallback_gen
end

local function is_array(x) return type(x) == "userdata" and type(x.shape) == "table" end

-- An np array from an array, a tensor (its data) or a Lua table of numbers.
local function as_array(x, what)
  if is_array(x) then return x end
  if type(x) == "table" then
    local ok, d = pcall(function() return x.data end)
    if ok and is_array(d) then return d end
    return util.asarray(x, FNAME .. ": " .. what, nil, 4)
  end
  error(("%s: %s must be an array, got %s"):format(FNAME, what, type(x)), 4)
end

local Loader = {}
Loader.__index = Loader
Loader.__name = "nn.DataLoader"

-- nn.DataLoader(X[, y][, {batch_size = 1, shuffle = false, seed, drop_last = false}])
function M.DataLoader(X, y, opts)
  if opts == nil and type(y) == "table" and not is_array(y) and util.bare(y) then
    -- DataLoader(X, opts): a table of options rather than labels
    local k = next(y)
    if k == nil or type(k) == "string" then y, opts = nil, y end
  end
  opts = util.check_options(opts, OPTS, FNAME, 2)
  if X == nil then error(FNAME .. ": X (an array of samples, one per row) is required", 2) end
  X = as_array(X, "X")
  if X.ndim == 0 then error(FNAME .. ": X must have at least one dimension (one sample per row)", 2) end
  local n = #X
  if n == 0 then error(FNAME .. ": X is empty (no samples)", 2) end
  if y ~= nil then
    y = as_array(y, "y")
    if y.ndim == 0 or #y ~= n then
      error(("%s: X and y have different lengths (%d and %d)"):format(FNAME, n, y.ndim == 0 and 0 or #y), 2)
    end
  end
  local bs = opts.batch_size or 1
  if math.type(bs) ~= "integer" and not (type(bs) == "number" and bs == math.floor(bs)) or bs < 1 then
    error(("%s: batch_size must be a positive integer, got %s"):format(FNAME, tostring(bs)), 2)
  end
  bs = math.tointeger(bs)
  local shuffle, drop_last = opts.shuffle or false, opts.drop_last or false
  if type(shuffle) ~= "boolean" then error(FNAME .. ": shuffle must be a boolean", 2) end
  if type(drop_last) ~= "boolean" then error(FNAME .. ": drop_last must be a boolean", 2) end
  local gen
  if opts.seed ~= nil then
    if math.type(opts.seed) ~= "integer" then
      error(("%s: seed must be an integer, got %s"):format(FNAME, tostring(opts.seed)), 2)
    end
    if not shuffle then error(FNAME .. ": seed is only used with shuffle = true", 2) end
    gen = np.random.Generator(opts.seed)
  end
  local nb = drop_last and n // bs or (n + bs - 1) // bs
  return setmetatable({X = X, y = y, batch_size = bs, shuffle = shuffle, drop_last = drop_last,
    n_samples = n, n_batches = nb, _gen = gen}, Loader)
end

function Loader.__len(self) return self.n_batches end

function Loader.__tostring(self)
  return ("<nn.DataLoader: %d samples, %d batches of %d%s%s>"):format(self.n_samples, self.n_batches,
    self.batch_size, self.shuffle and ", shuffled" or "", self.drop_last and ", drop_last" or "")
end

-- The order of one pass: nil (in order) or a permutation of 1..n.
local function pass_order(self)
  if not self.shuffle then return nil end
  return (self._gen or nn_generator()):permutation(self.n_samples)
end

local function batch(self, perm, i)
  local a = (i - 1) * self.batch_size + 1
  local b = math.min(i * self.batch_size, self.n_samples)
  if perm == nil then
    local xb = self.X[{{a, b}}]
    return xb, self.y and self.y[{{a, b}}]
  end
  local idx = perm[{{a, b}}]
  return self.X[idx], self.y and self.y[idx]
end

-- One minor collection per batch. PyTorch frees a step's activations,
-- gradients and graph by reference counting as the step ends, and the next
-- step reuses that memory while it is still in cache. Lua's generational
-- collector waits until the heap has grown by 5% (genminormul), or, after
-- a large dataset was loaded, until it has doubled ("bad collection",
-- lgc.c stepgenfull): the course MLP's 72 kB of garbage per step then
-- cycled through 12 to 200 MB of memory, and its epoch took 230-290 ms
-- instead of 200 (bench/nn.notes). A young collection here costs a few
-- microseconds: it visits only the objects made since the last one. A
-- collector the user stopped stays stopped ("step" would run anyway).
local function collect_step()
  if collectgarbage("isrunning") then collectgarbage("step") end
end

-- for xb, yb in loader:iter() do ... end: one pass (one epoch); a new
-- permutation each pass when shuffling. yb is nil when the loader has no y.
function Loader:iter()
  local perm, i = pass_order(self), 0
  return function()
    i = i + 1
    if i > self.n_batches then return nil end
    collect_step()
    return batch(self, perm, i)
  end
end

-- for i, xb, yb in loader:batches() do ... end: the same, with the batch number.
function Loader:batches()
  local perm, i = pass_order(self), 0
  return function()
    i = i + 1
    if i > self.n_batches then return nil end
    collect_step()
    return i, batch(self, perm, i)
  end
end

function M.is_loader(x) return getmetatable(x) == Loader end

function M.install(nn)
  nn.DataLoader = M.DataLoader
end

return M
