-- array_dim.lua: dim= is PyTorch's name for axis= (the same 0-based
-- number), accepted by every function that takes axis=; giving both is an
-- error rather than a silent choice.
local T = require "testlib"

local a = np.arange(12):reshape(3, 4)
local function same(f, name)
  T.eq(f{dim = 1}:totable(), f{axis = 1}:totable(), name .. "{dim = 1}")
  T.eq(f{dim = 0}:totable(), f{axis = 0}:totable(), name .. "{dim = 0}")
  T.eq(f{dim = -1}:totable(), f{axis = -1}:totable(), name .. "{dim = -1}")
  T.err("give axis= or dim= (the same dimension number), not both", f, {axis = 0, dim = 0})
end
for _, m in ipairs{"sum", "mean", "std", "var", "min", "max", "prod", "argmax", "argmin", "cumsum",
                   "cumprod", "any", "all", "sort", "argsort", "median", "ptp"} do
  if a[m] then same(function(o) return a[m](a, o) end, "a:" .. m) end
end
T.eq(a:sum{dim = 1}:totable(), {6, 22, 38}, "a:sum{dim = 1} is the row sums (torch.sum(x, dim=1))")
same(function(o) return np.sum(a, o) end, "np.sum")
same(function(o) return np.diff(a, o) end, "np.diff")
same(function(o) return np.linalg.norm(a, o) end, "np.linalg.norm")
same(function(o) return np.quantile(a, 0.5, o) end, "np.quantile")
same(function(o) return np.concatenate({a, a}, o) end, "np.concatenate")
same(function(o) return np.flip(a, o) end, "np.flip")
T.eq(np.expand_dims(np.zeros{3}, {dim = 0}).shape, {1, 3}, "np.expand_dims{dim}")
T.err("np.sum: unknown option 'dims' (did you mean 'dim'?)", np.sum, a, {dims = 1})
T.done()
