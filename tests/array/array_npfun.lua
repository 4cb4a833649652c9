-- array_npfun.lua: the NumPy functions the course notebooks use (issue 10)
-- against NumPy 1.24 (tests/fixtures/npfun, from gen_npfun.py): interp,
-- meshgrid, polyfit/polyval/poly1d, cov/corrcoef, histogram_bin_edges, diff
-- with prepend/append, diag, genfromtxt, bincount, unique, clip, logs; the
-- keyword and np.zeros(3, 4) call forms; error texts.
local T = require "testlib"

local F = np.load("tests/fixtures/npfun/npfun.npz")

local function same(got, name, rtol, msg)
  local want = F[name]
  T.eq(got.shape, want.shape, (msg or name) .. " shape")
  T.close(got, want, rtol or 1e-12, 0, msg or name)
end

-- {=====  interp  =====
local x, xp, fp = F.interp_x, F.interp_xp, F.interp_fp
T.close(np.interp(x, xp, fp), F.interp_default, 0, 0, "interp bit-identical")
same(np.interp(x, xp, fp, -7.5, np.nan), "interp_lr", 0)
same(np.interp(x, xp, fp, {left = -7.5, right = np.nan}), "interp_lr", 0, "interp keywords")
T.close(np.interp(2.2, xp, fp), F.interp_scalar:item(), 0, 0, "interp scalar")
T.eq(math.type(np.interp(2.2, xp, fp)), "float", "interp of a number is a number")
same(np.interp(F.interp_px, F.interp_pxp, F.interp_pfp, {period = 360}), "interp_period", 1e-15)
same(np.interp(F.interp_x2d, xp, fp), "interp_2d", 0)
T.eq(np.interp(np.array({1, 2}, "float32"), {0, 4}, {0, 1}).dtype, "float64", "interp gives float64 (NumPy)")
T.err("np.interp: xp must be increasing", np.interp, 1, {3, 2, 1}, {1, 2, 3})
T.err("np.interp: fp and xp are not of the same length", np.interp, 1, {1, 2, 3}, {1, 2})
T.err("np.interp: array of sample points is empty", np.interp, 1, {}, {})
T.err("np.interp: period must be a non-zero", np.interp, 1, {1, 2}, {1, 2}, {period = 0})
T.err("np.interp: unknown option 'rigth' (did you mean 'right'?)", np.interp, 1, {1, 2}, {1, 2}, {rigth = 0})
-- }

-- {=====  meshgrid  =====
local mx, my, mz = np.array{1, 2, 3}, np.array{4.0, 5.0}, np.array{6, 7, 8, 9}
local X, Y = np.meshgrid(mx, my)
same(X, "mesh_xy_X", 0); same(Y, "mesh_xy_Y", 0)
T.eq(X.dtype, "int64", "meshgrid keeps dtypes"); T.eq(Y.dtype, "float64", "meshgrid keeps dtypes")
local X3, Y3, Z3 = np.meshgrid(mx, my, mz)
same(X3, "mesh_xy3_X", 0); same(Y3, "mesh_xy3_Y", 0); same(Z3, "mesh_xy3_Z", 0)
X3, Y3, Z3 = np.meshgrid(mx, my, mz, {indexing = "ij"})
same(X3, "mesh_ij3_X", 0); same(Y3, "mesh_ij3_Y", 0); same(Z3, "mesh_ij3_Z", 0)
X, Y = np.meshgrid({1, 2, 3}, {4.0, 5.0}, {sparse = true})
same(X, "mesh_sp_X", 0); same(Y, "mesh_sp_Y", 0)
X[{1, 1}] = 100
T.eq(mx[1], 1, "meshgrid copies")
T.err("np.meshgrid: Valid values for `indexing` are 'xy' and 'ij'", np.meshgrid, mx, my, {indexing = "yx"})
-- }

-- {=====  polyfit, polyval, poly1d, roots  =====
local px, py, pw = F.pf_x, F.pf_y, F.pf_w
same(np.polyfit(px, py, 2), "pf_deg2", 1e-10)
same(np.polyfit(px, py, 0), "pf_deg0", 1e-12)
same(np.polyfit(px, py, 2, {w = pw}), "pf_w2", 1e-10)
same(np.polyfit(px, py, {deg = 2, w = pw}), "pf_w2", 1e-10, "polyfit deg by name")
local c, res, rank, sv, rcond = np.polyfit(px, py, 3, {full = true})
same(c, "pf_full_c", 1e-9); same(res, "pf_full_res", 1e-9); same(sv, "pf_full_sv", 1e-12)
T.eq(rank, F.pf_full_rank:item(), "polyfit rank"); T.close(rcond, F.pf_full_rcond:item(), 1e-15)
local V
c, V = np.polyfit(px, py, 2, {cov = true})
same(c, "pf_cov_c", 1e-10); same(V, "pf_cov_V", 1e-9)
c, V = np.polyfit(px, py, 2, {cov = "unscaled"})
same(V, "pf_covu_V", 1e-9)
same(np.polyfit(px, F.pf_y2, 1), "pf_2d", 1e-10)
local c32 = np.polyfit(px:astype("float32"), py:astype("float32"), 2)
T.eq(c32.dtype, "float32", "polyfit keeps float32")
-- float32 least squares: NumPy's LAPACK and ours round differently (eps 1.2e-7)
T.close(c32, F.pf_f32, 1e-4)
T.err("np.polyfit: expected deg >= 0", np.polyfit, px, py, -1)
T.err("np.polyfit: expected x and y to have same length", np.polyfit, {1, 2, 3}, {1, 2}, 1)
T.err("np.polyfit: unknown option 'wieghts'", np.polyfit, px, py, 1, {wieghts = pw})
same(np.polyval(F.pv_p, F.pv_x), "pv_val", 0)
local pvi = np.polyval({3, -2, 1}, np.array{1, 2, 3})
same(pvi, "pv_int", 0); T.eq(pvi.dtype, "int64", "polyval of integers stays integer")
T.eq(np.polyval({3, -2, 1}, 2), 9, "polyval of a number")
same(np.sort(np.roots({1, -6, 11, -6})), "roots_cubic", 1e-12)
same(np.sort(np.roots({2, -2, 0, 0})), "roots_trailing", 1e-12)
local p = np.poly1d({1, 2, 3}) * np.poly1d({1, -1}) + 2
same(p.coeffs, "poly_prod", 0)
T.eq(p(2), np.polyval(F.poly_prod, 2), "poly1d is callable")
T.eq(p.order, 3, "poly1d order"); T.eq(#p, 3, "#poly1d is the order")
T.eq(p[0], F.poly_prod[4], "p[k] is the coefficient of x^k"); T.eq(p[9], 0, "above the order: 0")
same(np.poly1d({1, 2, 3, 4}):deriv().coeffs, "poly_deriv", 0)
same(np.poly1d({3, 2, 1}):integ(1, 5).coeffs, "poly_integ", 1e-15)
same(np.poly1d({1, 2, 3}, true).coeffs, "poly_fromroots", 0)
same(np.poly1d({1, 2, 3}, {r = true}).coeffs, "poly_fromroots", 0, "poly1d{r=true}")
same(np.polyder({1, 2, 3, 4}, 2), "pd_der2", 0)
same(np.polyint({3.0, 2, 1}, 2, 4), "pd_int2", 1e-15)
same(np.polyadd({1, 2}, {1, 2, 3}), "pd_add", 0)
same(np.polysub({1, 2}, {1, 2, 3}), "pd_sub", 0)
same(np.polymul({1, 2}, {1, 2, 3}), "pd_mul", 0)
same(np.polyadd(np.poly1d({1, 2}), {1, 2, 3}).coeffs, "pd_add", 0, "polyadd of a poly1d is a poly1d")
for _, case in ipairs(dofile("tests/fixtures/npfun/poly_str.lua")) do
  T.eq(tostring(np.poly1d(case[1])), case[2], "str(poly1d) " .. #case[1])
end
T.eq(tostring(np.poly1d({1, 0, -2}, {variable = "t"})), "   2\n1 t - 2", "poly1d variable")
T.err("np.poly1d: no field 'cofs' (did you mean 'coef'?)", function() return np.poly1d{1, 2}.cofs end)
-- }

-- {=====  cov, corrcoef  =====
local C, cy = F.cov_m, F.cov_y
same(np.cov(C), "cov_default", 1e-12)
same(np.cov(C.T, {rowvar = false}), "cov_rowvar", 1e-12)
same(np.cov(C, {bias = true}), "cov_bias", 1e-12)
same(np.cov(C, {ddof = 2}), "cov_ddof2", 1e-12)
same(np.cov(C, cy), "cov_y_res", 1e-12)
same(np.cov(C, {fweights = F.cov_fw}), "cov_fw_res", 1e-12)
same(np.cov(C, {aweights = F.cov_aw}), "cov_aw_res", 1e-12)
same(np.cov(C, {fweights = F.cov_fw, aweights = F.cov_aw, ddof = 1}), "cov_both", 1e-12)
T.close(np.cov(cy), F.cov_1d:item(), 1e-12, 0, "cov of one variable is a number")
local c32cov = np.cov(C:astype("float32"))
T.eq(c32cov.dtype, "float64", "cov computes in float64 (NumPy)")
same(c32cov, "cov_f32", 1e-12)
same(np.corrcoef(C), "corr_default", 1e-12)
same(np.corrcoef(C[1], cy), "corr_y", 1e-12)
same(np.corrcoef(C.T, {rowvar = false}), "corr_rowvar", 1e-12)
T.err("np.cov: unknown option 'rowvars' (did you mean 'rowvar'?)", np.cov, C, {rowvars = false})
T.err("np.cov: fweights must be integer", np.cov, C, {fweights = F.cov_aw})
-- }

-- {=====  histogram_bin_edges, histogram with a rule  =====
local h = F.hist_data
for _, rule in ipairs{"auto", "fd", "doane", "rice", "scott", "sqrt", "stone", "sturges"} do
  same(np.histogram_bin_edges(h, rule), "hbe_" .. rule, 1e-12)
end
same(np.histogram_bin_edges(h, 7), "hbe_int7", 0)
same(np.histogram_bin_edges(h, {bins = "fd", range = {-1, 4}}), "hbe_range", 1e-12)
local e32 = np.histogram_bin_edges(h:astype("float32"), "sturges")
T.eq(e32.dtype, "float32", "edges of float32 data are float32 (NumPy)")
same(e32, "hbe_f32", 0)
local counts, edges = np.histogram(h, "auto")
same(counts, "hist_auto_counts", 0); same(edges, "hist_auto_edges", 1e-12)
same(np.histogram(h, {bins = "sqrt", range = {-2, 7}, density = true}), "hist_sqrt_density", 1e-12)
T.err("np.histogram_bin_edges: 'sturge' is not a valid estimator for `bins` (did you mean 'sturges'?)",
      np.histogram_bin_edges, h, "sturge")
T.err("np.histogram_bin_edges: `bins` must be positive, when an integer", np.histogram_bin_edges, h, 0)
T.err("not supported for weighted data", np.histogram, h, {bins = "auto", weights = h})
-- }

-- {=====  diff, concatenate(axis=nil), scans, diag  =====
same(np.diff(F.diff_d1, {prepend = 0}), "diff_prepend", 0)
same(np.diff(F.diff_d1, {n = 2, prepend = {-3, 0}, append = 40}), "diff_pa_n2", 0)
same(np.diff(F.diff_d2, {append = 0}), "diff_2d_append", 0)
same(np.diff(F.diff_d2, 1, -2, {prepend = F.diff_d2[{{1, 1}}]}), "diff_2d_axis0", 0)
same(np.diff(F.diff_d2, {axis = 0, prepend = F.diff_d2[{{1, 1}}]}), "diff_2d_axis0", 0, "diff axis=0 (NumPy's numbering)")
same(np.diff(F.diff_d2, 1, 0, {prepend = F.diff_d2[{{1, 1}}]}), "diff_2d_axis0", 0, "diff positional axis 0")
same(F.diff_d1:diff{prepend = 0}, "diff_prepend", 0, "diff method with prepend")
T.err("np.diff: unknown option 'prepnd' (did you mean 'prepend'?)", np.diff, F.diff_d1, {prepnd = 0})
same(np.concatenate({np.ones{2, 2}, np.arange(3)}, nil), "cat_none", 0)
local cs = np.cumsum(np.array({{0.1, 0.2}, {0.3, 0.4}}, "float32"))
same(cs, "cumsum_f32", 0); T.eq(cs.dtype, "float32", "cumsum keeps float32")
same(F.diff_d1:cumprod(), "cumprod_i", 0)
same(np.diag(F.diag_v, 1), "diag_k1", 0); same(np.diag(F.diag_v, {k = -2}), "diag_km2", 0)
same(np.diag(F.diag_m), "diag_m0", 0); same(np.diag(F.diag_m, 1), "diag_m1", 0)
same(np.diag(F.diag_m, -2), "diag_mm2", 0)
T.eq(np.diag(F.diag_m, 7).shape, {0}, "diag beyond the matrix is empty")
T.err("np.diag: input must be 1-D or 2-D", np.diag, np.zeros{2, 2, 2})
-- }

-- {=====  bincount, unique, clip, logs  =====
same(np.bincount(F.bc_x), "bc", 0)
same(np.bincount(F.bc_x, F.bc_w), "bc_w_res", 1e-15)
same(np.bincount(F.bc_x, {weights = F.bc_w}), "bc_w_res", 1e-15, "bincount{weights=}")
same(np.bincount(F.bc_x, {minlength = 10}), "bc_min", 0)
T.err("np.bincount: the input must have no negative elements", np.bincount, np.array{1, -1})
local vals, idx, inv, cnt = np.unique(F.uq_x, {return_index = true, return_inverse = true, return_counts = true})
same(vals, "uq_vals", 0); same(idx, "uq_idx1", 0); same(inv, "uq_inv1", 0); same(cnt, "uq_cnt", 0)
same(vals[inv], "uq_x", 0, "unique: values[inverse] rebuilds x (1-based)")
same(np.clip(F.clip_x, -1, 4), "clip_both", 0)
same(F.clip_x:clip(0), "clip_lo", 0)
same(F.clip_x:clip(0, nil), "clip_lo", 0, "clip with nil bound")
same(np.clip(np.array{1, 5, 9}, 2, 6), "clip_int", 0)
same(np.clip(F.clip_x, {a_min = -1, a_max = 4}), "clip_both", 0, "clip keywords")
same(F.clip_x:clip{a_min = 0}, "clip_lo", 0, "clip method keywords")
T.eq(np.clip(np.array{1, 5, 9}, 2, 6).dtype, "int64", "clip keeps int")
for _, f in ipairs{"log10", "log2", "log1p", "expm1"} do
  local lx = f == "expm1" and F.log_x[{{1, 4}}] or F.log_x
  same(np[f](lx), f, 1e-15)
  same(lx[f](lx), f, 1e-15, f .. " method")
  local r32 = np[f](lx:astype("float32"))
  T.eq(r32.dtype, "float32", f .. " keeps float32")
  same(r32, f .. "_f32", 2e-7)   -- libm float vs NumPy's SIMD float: 1 ulp
end
T.eq(np.isnan(F.clip_x):totable(), {false, false, true, false, false}, "isnan")
T.eq(F.clip_x:isfinite():totable(), {true, true, false, true, true}, "isfinite")
T.eq(np.isinf(np.array{1, math.huge, -math.huge, 0 / 0}):totable(), {false, true, true, false}, "isinf")
T.eq(np.isnan(np.array{1, 2}):totable(), {false, false}, "integers are never NaN")
-- }

-- {=====  genfromtxt  =====
local path = "tests/fixtures/npfun/missing.csv"
same(np.genfromtxt(path, {delimiter = ",", skip_header = 2}), "gft_default", 0)
same(np.genfromtxt(path, {delimiter = ",", skip_header = 2, missing_values = "NA", filling_values = -1}), "gft_missing", 0)
-- usecols are column positions, 1-based like every position in geolab
same(np.genfromtxt(path, {delimiter = ",", skip_header = 2, usecols = {1, 3}, skip_footer = 1}), "gft_usecols", 0)
local gi = np.genfromtxt(path, {delimiter = ",", skip_header = 2, dtype = "int64"})
same(gi, "gft_int", 0); T.eq(gi.dtype, "int64", "genfromtxt dtype")
T.err("np.genfromtxt: option 'usecols' must hold 1-based column numbers", np.genfromtxt, path, {delimiter = ",", usecols = 0})
T.err("np.genfromtxt: unknown option 'skip_headr' (did you mean 'skip_header'?)", np.genfromtxt, path, {skip_headr = 1})
T.err("np.genfromtxt: option 'missing_values' must be a string", np.genfromtxt, path, {missing_values = {"NA"}})
-- filling of integer dtypes as NumPy 1.24 (np.genfromtxt(io.StringIO("1,\n2,3"), delimiter=",",
-- dtype=np.uint8[, filling_values=300]) -> 255 / 44; 2.7 -> 2; NaN or 1e300 raise). The
-- uint8 default -1 was an undefined float-to-unsigned conversion (fuzz target lua_genfromtxt).
do
  local p = T.tmp("gft_fill.csv")
  local f = assert(io.open(p, "w")); f:write("1,\n2,3\n"); f:close()
  T.eq(np.genfromtxt(p, {delimiter = ",", dtype = "uint8"}):totable(), {{1, 255}, {2, 3}}, "uint8 default filling wraps")
  T.eq(np.genfromtxt(p, {delimiter = ",", dtype = "uint8", filling_values = 300}):totable(), {{1, 44}, {2, 3}})
  T.eq(np.genfromtxt(p, {delimiter = ",", dtype = "int32", filling_values = 2.7}):totable(), {{1, 2}, {2, 3}})
  T.eq(np.genfromtxt(p, {delimiter = ",", dtype = "int64"}):totable(), {{1, -1}, {2, 3}})
  T.err("np.genfromtxt: filling value nan cannot be converted to int64", np.genfromtxt, p,
    {delimiter = ",", dtype = "int64", filling_values = 0 / 0})
  T.err("np.genfromtxt: filling value 1e+300 cannot be converted to uint8", np.genfromtxt, p,
    {delimiter = ",", dtype = "uint8", filling_values = 1e300})
end
-- }

-- {=====  call forms: np.zeros(3, 4), keywords  =====
T.eq(np.zeros(3, 4).shape, {3, 4}, "np.zeros(3, 4)")
T.eq(np.ones(2, 3, "int32").dtype, "int32", "np.ones(2, 3, dtype)")
T.eq(np.empty(2, 3, {dtype = "float32"}).dtype, "float32", "np.empty(2, 3, {dtype=})")
T.eq(np.zeros({3, 4}, "float32").dtype, "float32", "np.zeros({3,4}, dtype)")
T.eq(np.zeros{shape = {2, 2}, dtype = "float32"}.dtype, "float32", "np.zeros{shape=, dtype=}")
T.eq(np.full{shape = {2}, fill_value = 3}:totable(), {3, 3}, "np.full{shape=, fill_value=}")
T.eq(np.full_like(np.array{1, 2}, 2.5):totable(), {2, 2}, "full_like keeps the dtype (NumPy)")
T.eq(np.zeros_like(np.array{1.5}, {dtype = "int32"}).dtype, "int32", "zeros_like dtype")
T.eq(np.linspace{start = 0, stop = 1, num = 5}:totable(), {0, 0.25, 0.5, 0.75, 1}, "linspace keywords")
T.eq(np.linspace(0, 1, {num = 3}):totable(), {0, 0.5, 1}, "linspace num by name")
T.eq(np.arange{start = 1, stop = 7, step = 2}:totable(), {1, 3, 5}, "arange keywords")
T.eq(np.arange{stop = 3}:totable(), {0, 1, 2}, "arange{stop=}")
T.eq(np.arange(2, {stop = 4}):totable(), {2, 3}, "arange(start, {stop=})")
T.eq(np.arange(1, 2, 0.5, {dtype = "float32"}).dtype, "float32", "arange dtype")
T.err("np.arange: argument 'stop' given twice", np.arange, 1, 3, {stop = 4})
T.err("np.linspace: unknown option 'nun' (did you mean 'num'?)", np.linspace, {start = 0, stop = 1, nun = 3})
np.random.seed(5)
local a1 = np.random.normal(1, 2, 3)
np.random.seed(5)
T.eq(np.random.normal{loc = 1, scale = 2, size = 3}:totable(), a1:totable(), "normal{loc=, scale=, size=}")
np.random.seed(5)
T.eq(np.random.normal(1, {scale = 2, size = 3}):totable(), a1:totable(), "normal(loc, {scale=, size=})")
T.err("np.random.normal: unknown option 'sizee' (did you mean 'size'?)", np.random.normal, {sizee = 3})
np.random.seed(5)
local u1 = np.random.uniform(-1, 1, {2, 2})
np.random.seed(5)
T.eq(np.random.uniform{low = -1, high = 1, size = {2, 2}}:totable(), u1:totable(), "uniform keywords")
local g1, g2 = np.random.Generator(3), np.random.Generator(3)
T.eq(g1:normal{loc = 2, size = 4}:totable(), g2:normal(2, 1, 4):totable(), "Generator methods take keywords")
np.random.seed(5)
local r1 = np.random.random({2, 3})
np.random.seed(5)
T.eq(np.random.rand(2, 3):totable(), r1:totable(), "rand(2, 3) is random({2, 3})")
np.random.seed(5)
T.eq(np.random.random(2, 3):totable(), r1:totable(), "random(2, 3)")
T.eq(np.random.randn(4).shape, {4}, "randn(4)")
T.eq(math.type(np.random.randn()), "float", "randn() is a number")
local ri = np.random.randint(3, 7, 200)
T.ok(ri:min() >= 3 and ri:max() <= 6, "randint: high is exclusive, values not positions")
T.eq(ri.dtype, "int64", "randint dtype")
T.eq(np.random.randint(0, 2, {2, 5}).shape, {2, 5}, "randint size table")
T.eq(np.random.randint{low = 0, high = 5, size = 3}.shape, {3}, "randint keywords")
local ar = np.arange(10)
np.random.shuffle(ar)
T.eq(np.sort(ar):totable(), np.arange(10):totable(), "shuffle is in place")
T.eq(np.sort(np.random.permutation(5)):totable(), {1, 2, 3, 4, 5}, "permutation(n) gives positions 1..n")
-- }

T.done()
