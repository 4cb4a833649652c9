-- array_random.lua: np.random and Generator objects. Exact streams against an
-- independent transcription (tests/fixtures/random/gen_stream.py), statistical
-- properties with tolerances, shapes, dtypes and error texts.
local T = require "testlib"
local S = dofile("tests/fixtures/random/stream.lua")
local A = np.array

local function mean(t) local s = 0; for _, x in ipairs(t) do s = s + x end; return s / #t end
local function var(t)
  local m, s = mean(t), 0
  for _, x in ipairs(t) do s = s + (x - m) ^ 2 end
  return s / (#t - 1)
end
local function tab(x) return type(x) == "number" and {x} or x:flatten():totable() end

-- {=====  exact streams  =====
do
  np.random.seed(0)
  T.eq(tab(np.random.random(5)), S.seed0_random, "seed 0 random")
  np.random.seed(0)
  T.close(np.random.standard_normal(5), S.seed0_normal, 1e-15, 0, "seed 0 standard_normal")
  np.random.seed(0)
  T.eq(tab(np.random.integers(0, 10, 10)), S.seed0_integers, "seed 0 integers")
  local g = np.random.Generator(42)
  T.eq(tab(g:uniform(-1, 2, 4)), S.seed42_uniform, "seed 42 uniform")
  T.close(np.random.Generator(42):normal(5, 2, 3), S.seed42_normal, 1e-15, 0, "seed 42 normal")
  T.eq(np.random.Generator(7):permutation(8):totable(), S.seed7_permutation, "seed 7 permutation")
  -- scalar draws continue the same stream as array draws
  np.random.seed(0)
  local r1, r2 = np.random.random(), np.random.random()
  T.eq({r1, r2}, {S.seed0_random[1], S.seed0_random[2]})
  -- same seed, same numbers; generators are independent of the default one
  local a = np.random.Generator(3):normal(0, 1, {4, 5})
  np.random.seed(3); np.random.normal(0, 1, 100)
  local b = np.random.Generator(3):normal(0, 1, {4, 5})
  T.eq(a:totable(), b:totable())
  np.random.seed(11); local x = np.random.random{3}
  np.random.seed(11); local y = np.random.random{3}
  T.eq(x:totable(), y:totable())
  T.ok(np.random.random() ~= x[1])
  -- a Generator without a seed is seeded from the default stream: reproducible
  np.random.seed(5); local g1 = np.random.Generator():random()
  np.random.seed(5); local g2 = np.random.default_rng():random()
  T.eq(g1, g2)
  T.eq(tostring(np.random.Generator(1)), "Generator(xoshiro256**)")
end
-- }

-- {=====  shapes, dtypes, parameters  =====
do
  local g = np.random.Generator(1)
  T.eq(g:random{3, 4}.shape, {3, 4})
  T.eq(np.random.random{3, 4}.shape, {3, 4})
  T.eq(g:normal(0, 1, 5).shape, {5})
  T.eq(math.type(g:normal()), "float")
  T.eq(math.type(g:integers(10)), "integer")
  T.eq(g:random({2}, {dtype = "float32"}).dtype, "float32")
  T.eq(g:random{dtype = "float32"} < 1, true)
  T.eq(np.random.normal(0, 1, {3}, {dtype = "float32"}).dtype, "float32")
  T.eq(np.random.normal(0, 1, {dtype = "float32"}) ~= nil, true)
  T.eq(g:standard_normal({2, 2}, {dtype = "float32"}).dtype, "float32")
  T.eq(g:uniform(0, 1, {3}, {dtype = "float32"}).dtype, "float32")
  T.eq(g:integers(0, 5, {4}, {dtype = "int32"}).dtype, "int32")
  T.eq(g:integers(0, 5, {4}, {dtype = "uint8"}).dtype, "uint8")
  T.eq(g:poisson(3, {2, 2}).dtype, "int64")
  -- array parameters broadcast; a size must be compatible
  local v = g:normal(A{0, 100, -100}, 0)
  T.eq(v:totable(), {0, 100, -100})
  local w = g:normal(A{0, 1000}, 1, {3, 2})
  T.eq(w.shape, {3, 2}); T.ok(w[{2, 2}] > 900)
  T.eq(g:uniform(A{{0}, {10}}, A{1, 2, 3}).shape, {2, 3})
  -- endpoint and single-argument integers
  local iv = g:integers(3, 5, 2000, {endpoint = true}):totable()
  local seen = {}
  for _, k in ipairs(iv) do seen[k] = true; T.ok(k >= 3 and k <= 5) end
  T.ok(seen[3] and seen[4] and seen[5], "endpoint=true reaches high")
  for _, k in ipairs(g:integers(4, nil, 200):totable()) do T.ok(k >= 0 and k < 4) end
  T.eq(g:integers(7, 8, 3):totable(), {7, 7, 7})
end
-- }

-- {=====  statistics  =====
do
  local g = np.random.Generator(2024)
  local n = 100000
  local x = tab(g:normal(5, 2, n))
  T.close(mean(x), 5, 0, 0.03, "normal mean")            -- sd of the mean 0.006
  T.close(math.sqrt(var(x)), 2, 0, 0.03, "normal sd")
  local u = g:uniform(-2, 3, n)
  T.ok(u:min() >= -2 and u:max() < 3)
  T.close(mean(tab(u)), 0.5, 0, 0.03, "uniform mean")
  local r = tab(g:random(n))
  T.close(var(r), 1 / 12, 0, 0.003, "random variance")
  local f32 = tab(g:normal(0, 1, n, {dtype = "float32"}))
  T.close(mean(f32), 0, 0, 0.02, "float32 normal mean")
  T.close(mean(tab(g:exponential(3, n))), 3, 0, 0.06, "exponential mean")
  T.close(mean(tab(g:poisson(4.5, n))), 4.5, 0, 0.05, "poisson mean")
  T.close(var(tab(g:poisson(50, n))), 50, 0.05, 0, "poisson(50) variance")
  T.close(mean(tab(g:binomial(20, 0.3, n))), 6, 0, 0.05, "binomial mean")
  T.close(mean(tab(g:binomial(1000, 0.7, n))), 700, 0, 0.5, "binomial mean (BTRS)")
  T.close(mean(tab(g:gamma(2, 3, n))), 6, 0, 0.1, "gamma mean")
  T.close(mean(tab(g:beta(2, 5, n))), 2 / 7, 0, 0.005, "beta mean")
  -- chi-square of integers over 10 cells (9 dof, p = 0.001: 27.88)
  local counts = {}
  for i = 0, 9 do counts[i] = 0 end
  for _, k in ipairs(tab(g:integers(0, 10, n))) do counts[k] = counts[k] + 1 end
  local chi2, e = 0, n / 10
  for i = 0, 9 do chi2 = chi2 + (counts[i] - e) ^ 2 / e end
  T.ok(chi2 < 27.88, "integers chi-square " .. chi2)
  -- choice with weights follows them, zero weight never drawn
  local c = {0, 0, 0}
  for _, k in ipairs(tab(g:choice(3, 30000, {p = {0.2, 0, 0.8}}))) do c[k] = c[k] + 1 end
  T.eq(c[2], 0); T.close(c[1] / 30000, 0.2, 0, 0.015)
  -- multivariate normal: sample covariance near cov
  local cov = A{{2, 0.8, 0}, {0.8, 1, -0.3}, {0, -0.3, 0.5}}
  local mv = g:multivariate_normal({1, -1, 0}, cov, 50000)
  T.eq(mv.shape, {50000, 3})
  local m = mv:mean(0)
  T.close(m, {1, -1, 0}, 0, 0.03, "mvn mean")
  local d = mv - m
  local sc = np.matmul(d.T, d) / (50000 - 1)
  T.close(sc, cov, 0, 0.05, "mvn covariance (svd)")
  local mc = g:multivariate_normal({0, 0, 0}, cov, {20000}, {method = "cholesky"})
  T.close(np.matmul(mc.T, mc) / 20000, cov, 0, 0.06, "mvn covariance (cholesky)")
  -- a singular (rank 1) covariance works through the SVD
  local s1 = g:multivariate_normal({0, 0}, {{1, 1}, {1, 1}}, 100)
  T.close(s1[{{}, 1}], s1[{{}, 2}], 1e-6, 1e-6, "rank-1 covariance (up to sqrt(eps) from the zero singular value)")
end
-- }

-- {=====  permutations and choice  =====
do
  local g = np.random.Generator(9)
  local p = g:permutation(10)
  T.eq(p.dtype, "int64")
  local sorted = p:totable(); table.sort(sorted)
  T.eq(sorted, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  local src = A{{1, 2}, {3, 4}, {5, 6}, {7, 8}}
  local pa = g:permutation(src)
  T.eq(src:totable(), {{1, 2}, {3, 4}, {5, 6}, {7, 8}}, "permutation(a) copies")
  local m = np.arange(12):reshape{6, 2}
  g:shuffle(m)
  local firsts = {}
  for i = 1, 6 do
    T.eq(m[{i, 2}], m[{i, 1}] + 1, "rows stay intact")
    firsts[#firsts + 1] = m[{i, 1}]
  end
  table.sort(firsts); T.eq(firsts, {0, 2, 4, 6, 8, 10})
  local view = np.arange(10)[{{1, 10, 2}}]
  np.random.shuffle(view)
  local vs = view:totable(); table.sort(vs); T.eq(vs, {0, 2, 4, 6, 8})
  T.eq(pa.shape, {4, 2})
  local c = g:choice(5, 5, {replace = false}):totable()
  table.sort(c); T.eq(c, {1, 2, 3, 4, 5})
  for _, x in ipairs(g:choice(A{10, 20, 30}, 50):totable()) do T.ok(x == 10 or x == 20 or x == 30) end
  T.eq(g:choice(A{{1, 2}, {3, 4}}, 3).shape, {3, 2})
  T.eq(type(g:choice(4)), "number")
  T.eq(g:choice(A{1.5, 2.5}, {2, 2}).dtype, "float64")
  local nz = g:choice(4, 2, {replace = false, p = {0.5, 0, 0.5, 0}}):totable()
  table.sort(nz); T.eq(nz, {1, 3})
end
-- }

-- {=====  errors  =====
do
  local g = np.random.Generator(1)
  T.err("np.random.normal: scale must be non-negative", np.random.normal, 0, -1, 3)
  T.err("np.random.normal: unknown option 'dtyp' (did you mean 'dtype'?)", np.random.normal, 0, 1, 3, {dtyp = "float32"})
  T.err("np.random.normal: dtype must be float32 or float64, got int64", np.random.normal, 0, 1, 3, {dtype = "int64"})
  T.err("np.random.integers: low >= high", np.random.integers, 5, 5)
  T.err("np.random.integers: high is out of bounds for uint8", np.random.integers, 0, 300, 2, {dtype = "uint8"})
  T.err("np.random.random: negative dimensions are not allowed", np.random.random, {-1})
  T.err("np.random.choice: probabilities do not sum to 1", g.choice, g, 3, 2, {p = {0.5, 0.2, 0.2}})
  T.err("np.random.choice: cannot take a larger sample than population when replace=false", g.choice, g, 3, 4, {replace = false})
  T.err("np.random.choice: fewer non-zero entries in p than size", g.choice, g, 3, 2, {replace = false, p = {1, 0, 0}})
  T.err("np.random.poisson: lam must be non-negative", g.poisson, g, -1)
  T.err("np.random.binomial: n must be non-negative and 0 <= p <= 1", g.binomial, g, 10, 1.5)
  T.err("np.random.multivariate_normal: covariance is not symmetric positive-semidefinite",
        g.multivariate_normal, g, {0, 0}, {{1, 2}, {2, 1}})
  T.err("np.random.multivariate_normal: cov must be 2 dimensional and square", g.multivariate_normal, g, {0, 0}, {1, 2})
  T.err("np.random.seed: seed must be an integer", np.random.seed, 1.5)
  T.err("np.random.shuffle: an array is needed (it is shuffled in place), got table", np.random.shuffle, {1, 2})
  T.err("np.random.normal: expected a Generator (call it as g:normal(...), not g.normal(...))", g.normal, 0, 1)
  T.err("np.random.normal: too many arguments", np.random.normal, 0, 1, 2, {}, 5)
  T.err("np.random.gamma: missing argument #1", np.random.gamma)
  T.err("np.random.uniform: parameter of shape (2,) cannot be broadcast to size (3,)", g.uniform, g, A{0, 1}, 2, 3)
end
-- }

-- size {} is NumPy's size=(): a 0-d array; no size with scalar parameters: a number
do
  local g = np.random.default_rng(3)
  for _, c in ipairs{{"normal", {0, 1, {}}}, {"uniform", {0, 1, {}}}, {"integers", {0, 5, {}}},
                     {"poisson", {3, {}}}, {"choice", {5, {}}}} do
    local r = g[c[1]](g, table.unpack(c[2]))
    T.eq({type(r), r.ndim}, {"userdata", 0}, c[1] .. " with size {} gives a 0-d array")
  end
  T.eq(type(g:normal(0, 1)), "number", "no size: a number")
  T.eq(type(g:normal(0, 1, {dtype = "float32"})), "number", "options table is not a size")
  T.eq(g:normal{loc = 0, scale = 1, size = {}}.ndim, 0, "keyword size={}")
  T.eq(type(np.random.normal(0, 1, {})), "userdata", "np.random.normal(0, 1, {})")
end

T.done()
