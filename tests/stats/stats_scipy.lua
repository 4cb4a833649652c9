-- stats_scipy.lua: stats' moments, correlations, distributions, entropy, mode
-- and percentileofscore against scipy 1.10.1 (tests/fixtures/stats/gen_stats.py).
local T = require "testlib"
local R = dofile("tests/fixtures/stats/stats_ref.lua")

local x, m, ties, xn, y = np.array(R.x), np.array(R.m), np.array(R.ties), np.array(R.xn), np.array(R.y)

-- moments: the same formulas in the same order as scipy; 1e-12 relative
T.close(stats.skew(x), R.skew.x)
T.close(stats.skew(x, {bias = false}), R.skew.x_unbiased)
T.close(stats.skew(m), R.skew.m0)
T.close(stats.skew(m, 1), R.skew.m1)
T.close(stats.skew(m, {axis = -1}), R.skew.m1)
T.close(stats.skew(m, None), R.skew.mnone)
T.close(stats.skew(xn, {nan_policy = "omit"}), R.skew.xn_omit)
T.ok(stats.skew(xn) ~= stats.skew(xn), "NaN propagates by default")
T.err("stats.skew: the input contains nan values", stats.skew, xn, {nan_policy = "raise"})
T.close(stats.kurtosis(x), R.kurtosis.x)
T.close(stats.kurtosis(x, {bias = false}), R.kurtosis.x_unbiased)
T.close(stats.kurtosis(x, {fisher = false}), R.kurtosis.x_pearson)
T.close(stats.kurtosis(m), R.kurtosis.m0)
T.close(stats.kurtosis(m, 1, {bias = false}), R.kurtosis.m1_unbiased)
T.close(stats.kurtosis(xn, {nan_policy = "omit"}), R.kurtosis.xn_omit)
T.eq(stats.kurtosis(m, {keepdims = true}).shape, {1, 4})
T.close(stats.kurtosis(m:astype("float32")), R.kurtosis.m0, 1e-5)   -- float32 in, float32 out
T.eq(stats.kurtosis(m:astype("float32")).dtype, "float32")
T.ok(stats.skew(np.array{2, 2, 2}) ~= stats.skew(np.array{2, 2, 2}), "a constant sample has NaN skewness, as scipy")
T.close(stats.moment(x, 3), R.moment.x3)
T.close(stats.moment(x, 5), R.moment.x5)
T.close(stats.moment(m, 4), R.moment.m4)
T.eq(stats.moment(x, 1), 0.0)

local d = stats.describe(m)
T.eq(d.nobs, R.describe.nobs)
T.close(d.minmax[1], R.describe.min); T.close(d.minmax[2], R.describe.max)
T.close(d.mean, R.describe.mean); T.close(d.variance, R.describe.variance)
T.close(d.skewness, R.describe.skewness); T.close(d.kurtosis, R.describe.kurtosis)
local nobs, mm, mean = table.unpack(d)
T.eq(nobs, 30); T.ok(mm == d.minmax and mean == d.mean, "positional fields unpack in scipy's order")
local dx = stats.describe(x, {ddof = 0, bias = false})
T.close(dx.variance, R.describe_x.variance); T.close(dx.skewness, R.describe_x.skewness)
T.close(dx.kurtosis, R.describe_x.kurtosis)
T.ok(tostring(stats.describe(np.array{1, 2, 4})):find("^DescribeResult%(nobs=3, minmax=%(1.0, 4.0%), mean=2.3333333333333335"),
  "describe prints as scipy's DescribeResult")
T.err("stats.describe: the input must not be empty", stats.describe, np.array({}, "float64"))

T.close(stats.zscore(m), R.zscore.m0)
T.close(stats.zscore(m, 1, {ddof = 1}), R.zscore.m1_ddof1)
T.close(stats.zscore(x), R.zscore.x)
T.close(stats.variation(m), R.variation)

-- correlations; p-values from the beta and t distributions (incomplete beta
-- by continued fraction vs Boost's: 1e-11 relative, lgamma of n/2 loses digits)
local r, p = stats.pearsonr(x, y)
T.close(r, R.pearsonr.r); T.close(p, R.pearsonr.p, 1e-11)
T.close(select(2, stats.pearsonr(x, y, {alternative = "less"})), R.pearsonr.p_less, 1e-11)
T.close(select(2, stats.pearsonr(x, y, {alternative = "greater"})), R.pearsonr.p_greater, 1e-11)
r, p = stats.pearsonr(np.array(R.pearsonr_big.x), np.array(R.pearsonr_big.y))
T.close(r, R.pearsonr_big.r); T.close(p, R.pearsonr_big.p, 1e-10)
T.err("stats.pearsonr: x and y must have the same length (40 and 3)", stats.pearsonr, x, {1, 2, 3})
T.err("stats.pearsonr: unknown option 'alternativ' (did you mean 'alternative'?)", stats.pearsonr, x, y, {alternativ = "less"})
local rho
rho, p = stats.spearmanr(x, y)
T.close(rho, R.spearmanr.rho); T.close(p, R.spearmanr.p, 1e-11)
rho, p = stats.spearmanr(ties, np.array(R.ties):flip() ^ 2)
T.close(rho, R.spearmanr_ties.rho); T.close(p, R.spearmanr_ties.p, 1e-11)
rho, p = stats.spearmanr(m)
T.close(rho, R.spearmanr_m.rho); T.close(p, R.spearmanr_m.p, 1e-11, 1e-300)

for meth, want in pairs(R.rankdata) do T.close(stats.rankdata(ties, meth), want, 0, 0, meth) end
T.eq(stats.rankdata(ties, "dense").dtype, "int64")
T.close(stats.rankdata(np.array(R.m)[{{1, 6}}], {axis = 0}), R.rankdata_axis0)

-- entropy, mode, percentileofscore
local pk, qk = np.array(R.entropy.pk), np.array(R.entropy.qk)
T.close(stats.entropy(pk), R.entropy.h)
T.close(stats.entropy(pk, {base = 2}), R.entropy.h2)
T.close(stats.entropy(pk, qk), R.entropy.kl)
T.close(stats.entropy(m:abs()), R.entropy.m0)
T.close(stats.entropy(m:abs(), {axis = 1}), R.entropy.m1)
local mo, ct = stats.mode(ties)
T.eq(mo, R.mode.ties); T.eq(ct, R.mode.ties_count)
mo, ct = stats.mode(np.array(R.m)[{{}, {1, 3}}]:round())
T.close(mo, R.mode.m); T.close(ct, R.mode.m_count)
for kind, want in pairs(R.percentileofscore) do
  T.close(stats.percentileofscore(ties, np.array{0, 3, 5, 9, 10}, kind), want, 1e-15, 0, kind)
  T.close(stats.percentileofscore(ties, 5, {kind = kind}), want[3], 1e-15, 0, kind)
end

-- distributions: erf/erfc of glibc vs cephes and our refined inverse: 1e-13;
-- the extreme tails (p = 1e-300) to 1e-12
local N = R.norm
local z, pp = np.array(N.z), np.array(N.p)
T.close(stats.norm.pdf(z), N.pdf, 1e-13); T.close(stats.norm.logpdf(z), N.logpdf, 1e-13)
T.close(stats.norm.cdf(z), N.cdf, 1e-13); T.close(stats.norm.sf(z), N.sf, 1e-13)
T.close(stats.norm.ppf(pp), N.ppf, 1e-13); T.close(stats.norm.isf(pp), N.isf, 1e-12)
T.close(stats.norm.cdf(z, 1.5, 2.5), N.cdf_ls, 1e-13)
T.close(stats.norm.ppf(pp, {loc = -3, scale = 0.5}), N.ppf_ls, 1e-13)
T.close(stats.norm(1, 3):pdf(z), N.pdf_ls, 1e-13)
T.eq(stats.norm.ppf(0), -math.huge); T.eq(stats.norm.ppf(1), math.huge)
T.ok(stats.norm.ppf(1.5) ~= stats.norm.ppf(1.5), "ppf outside [0, 1] is NaN, as scipy")
T.ok(stats.norm.cdf(1, 0, -1) ~= stats.norm.cdf(1, 0, -1), "scale <= 0 is NaN, as scipy")
local Tt = R.t
T.close(stats.t.cdf(np.array(Tt.x), np.array(Tt.df)), Tt.cdf, 1e-12)
T.close(stats.t.sf(np.array(Tt.x), np.array(Tt.df)), Tt.sf, 1e-12)
T.close(stats.t.pdf(np.array(Tt.x), np.array(Tt.df)), Tt.pdf, 1e-12)
T.close(stats.t(5):sf(np.array(Tt.x)), Tt.sf5, 1e-12)
local B = R.beta
local bx = np.array(B.x)
T.close(stats.beta.cdf(bx, 2.5, 0.7), B.cdf, 1e-12, 1e-300)
T.close(stats.beta.sf(bx, 2.5, 0.7), B.sf, 1e-12, 1e-300)
T.close(stats.beta.pdf(bx[{{2, -2}}], 2.5, 0.7), B.pdf, 1e-12)
T.close(stats.beta.cdf(bx, 250, 300), B.cdf_big, 1e-10, 1e-300)

-- bad input
T.err("stats.norm.pdf: unknown option 'sigma'", stats.norm.pdf, 1, {sigma = 2})
T.err("stats.t.cdf: missing the shape parameter df", stats.t.cdf, 1)
T.err("stats.norm.foo does not exist", function() return stats.norm.foo end)
T.err("stats.skew: axis 2 is out of bounds for array of dimension 2", stats.skew, m, 2)
T.err("stats.kurtosis: nan_policy must be", stats.kurtosis, x, {nan_policy = "drop"})
T.err("stats.skew: unknown option 'biased' (did you mean 'bias'?)", stats.skew, x, {biased = false})
T.err("stats.entropy: base must be a positive number", stats.entropy, pk, {base = -1})
T.err("stats.percentileofscore: kind can only be", stats.percentileofscore, ties, 3, "median")
T.err("stats.spearmanr: needs at least 2 variables", stats.spearmanr, x)
-- skew and kurtosis of 1-D float64 input take a path on Lua numbers: the same
-- bits as the array path (a 1-row 2-D array along axis 1), NaN, constant and
-- unbiased cases included
do
  local function same(a, b) return a == b or (a ~= a and b ~= b) end
  local g = np.random.Generator(13)
  for _, n in ipairs{1, 2, 3, 4, 5, 64, 257, 2373} do
    for _, kind in ipairs{"normal", "tiny", "huge", "const", "nan"} do
      local v = g:normal{size = n} + 3
      if kind == "tiny" then v = v * 1e-9 elseif kind == "huge" then v = v * 1e9
      elseif kind == "const" then v = np.full({n}, 3.25) elseif kind == "nan" then v[n] = 0 / 0 end
      local V = v:reshape{1, -1}
      for _, bias in ipairs{true, false} do
        local what = ("n=%d %s bias=%s"):format(n, kind, tostring(bias))
        T.eq(same(stats.skew(v, {bias = bias}), stats.skew(V, 1, {bias = bias})[1]), true, "skew 1-D path " .. what)
        for _, fisher in ipairs{true, false} do
          T.eq(same(stats.kurtosis(v, {bias = bias, fisher = fisher}),
            stats.kurtosis(V, 1, {bias = bias, fisher = fisher})[1]), true, "kurtosis 1-D path " .. what)
        end
      end
    end
  end
end

T.done()
