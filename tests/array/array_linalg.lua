-- array_linalg.lua: np.matmul/dot/inner/outer and np.linalg against NumPy
-- fixtures (tests/fixtures/linalg/gen_linalg.py), plus dtypes and error texts.
local T = require "testlib"
local C = dofile("tests/fixtures/linalg/cases.lua")
local A = np.array
local TOL = 1e-10

local function close(got, want, tol, msg) T.close(got, want, tol or TOL, tol or TOL, msg) end

-- Columns of a matrix (nested tables) with their sign fixed so that the
-- reference's largest component is positive: eigenvectors and singular
-- vectors are only defined up to sign.
local function signfix(got, want, cols_are_vectors)
  got = type(got) == "table" and got or got:totable()
  local rows, cols = #want, #want[1]
  local g, w = {}, {}
  for i = 1, rows do g[i], w[i] = {}, {} end
  local nvec, len = cols_are_vectors and cols or rows, cols_are_vectors and rows or cols
  for j = 1, nvec do
    local best, s = 0, 1
    for i = 1, len do
      local x = cols_are_vectors and want[i][j] or want[j][i]
      if math.abs(x) > best then best = math.abs(x); s = x < 0 and -1 or 1 end
    end
    local bi, bg = 0, 0
    for i = 1, len do
      local x = cols_are_vectors and got[i][j] or got[j][i]
      local y = cols_are_vectors and want[i][j] or want[j][i]
      if math.abs(y) > bi then bi = math.abs(y); bg = x end
    end
    local sg = (bg < 0 and -1 or 1) * s
    for i = 1, len do
      if cols_are_vectors then g[i][j] = got[i][j] * sg; w[i][j] = want[i][j]
      else g[j][i] = got[j][i] * sg; w[j][i] = want[j][i] end
    end
  end
  return g, w
end
local function close_vecs(got, want, cols, tol, msg)
  local g, w = signfix(got, want, cols)
  close(g, w, tol, msg)
end

-- {=====  products  =====
do
  local a, b = A(C.mm_a), A(C.mm_b)
  close(np.matmul(a, b), C.mm_ab, nil, "matmul")
  close(a:matmul(b), C.mm_ab, nil, "a:matmul")
  close(np.dot(a, b), C.mm_ab, nil, "dot 2-d")
  T.eq(np.matmul(a, b).shape, {3, 5})
  close(np.matmul(a.T, A(C.mm_x)), C.mm_atx, nil, "transposed view")
  close(np.matmul(A(C.mm_x).T, a), np.matmul(A(C.mm_atx).T, np.eye(4)), nil, "transposed right view")
  close(np.matmul(A(C.mm_ab3), A(C.mm_bb2)), C.mm_batched, nil, "batched")
  local bc = np.matmul(A(C.mm_ab3), A(C.mm_bc4))
  T.eq(bc.shape, {2, 2, 3, 2}); close(bc, C.mm_bcast, nil, "broadcast batch")
  local av = np.matmul(a, A(C.mm_v4))
  T.eq(av.shape, {3}); close(av, C.mm_av, nil, "matrix @ vector")
  local va = np.matmul(A(C.mm_v3), a)
  T.eq(va.shape, {4}); close(va, C.mm_va, nil, "vector @ matrix")
  local vv = np.matmul(A(C.mm_v4), A(C.mm_v4))
  T.eq(type(vv), "number"); close(vv, C.mm_vv, nil, "vector @ vector")
  close(np.dot(A(C.mm_v4), A(C.mm_v4)), C.mm_vv)
  -- a vector against a stack, on either side
  T.eq(np.matmul(np.arange(4.0), np.arange(40.0):reshape{2, 4, 5}):totable(),
       {{70, 76, 82, 88, 94}, {190, 196, 202, 208, 214}})
  T.eq(np.matmul(np.arange(24.0):reshape{2, 3, 4}, np.arange(4.0)):totable(), {{14, 38, 62}, {86, 110, 134}})
  -- strided (non-BLAS) and reversed views
  local big = np.zeros{3, 8}
  big[{{}, {1, 8, 2}}] = a
  close(np.matmul(big[{{}, {1, 8, 2}}], b), C.mm_ab, nil, "strided view")
  close(np.matmul(a[{{-1, 1, -1}}], b)[{{-1, 1, -1}}], C.mm_ab, nil, "reversed rows")
  -- integers are exact and stay integers
  local ii = np.matmul(A(C.mm_ai), A(C.mm_bi))
  T.eq(ii.dtype, "int64"); T.eq(ii:totable(), C.mm_aibi)
  local i32 = np.matmul(A(C.mm_ai):astype("int32"), A(C.mm_bi):astype("int32"))
  T.eq(i32.dtype, "int32"); T.eq(i32:totable(), C.mm_aibi)
  local ib = np.matmul(A(C.mm_ai), b)
  T.eq(ib.dtype, "float64"); close(ib, C.mm_aib)
  T.eq(np.dot({1, 2, 3}, {4, 5, 6}), 32)
  T.eq(math.type(np.dot({1, 2, 3}, {4, 5, 6})), "integer")
  -- float32 in, float32 out; mixed promotes
  local f = np.matmul(a:astype("float32"), b:astype("float32"))
  T.eq(f.dtype, "float32"); close(f, C.mm_ab, 1e-5)
  T.eq(np.matmul(a:astype("float32"), b).dtype, "float64")
  -- dot beyond 2-d, inner, outer
  local d = np.dot(A(C.dot_a), A(C.dot_b))
  T.eq(d.shape, {2, 3, 5, 6}); close(d, C.dot_nd, nil, "dot n-d")
  close(np.inner(A(C.inner_a), A(C.inner_b)), C.inner, nil, "inner")
  close(np.outer(A(C.mm_v3), A(C.mm_v4)), C.outer, nil, "outer")
  T.eq(np.outer({1, 2}, {3, 4}):totable(), {{3, 4}, {6, 8}})
  -- scalars multiply
  T.eq(np.dot(2, A{1, 2}):totable(), {2, 4})
  T.eq(np.dot(3, 4), 12)
  T.eq(np.matmul(A{{true, false}, {false, true}}, A{{true, true}, {false, false}}):totable(),
       {{true, true}, {false, false}})
  T.eq(np.matmul(np.broadcast_to(np.arange(3.0), {4, 3}), np.ones{3, 2}):totable(),
       {{3, 3}, {3, 3}, {3, 3}, {3, 3}})   -- stride-0 operand is copied for BLAS
  -- empty inner dimension gives zeros
  T.eq(np.matmul(np.zeros{2, 0}, np.zeros{0, 3}):totable(), {{0, 0, 0}, {0, 0, 0}})
  -- errors
  T.err("np.matmul: shapes (3,4) and (5,2) do not align", np.matmul, np.zeros{3, 4}, np.zeros{5, 2})
  T.err("matmul: shapes (3,4) and (5,2) do not align", function () return np.zeros{3, 4}:matmul(np.zeros{5, 2}) end)
  T.err("np.dot: shapes (3,) and (4,) do not align", np.dot, np.zeros{3}, np.zeros{4})
  T.err("np.matmul: input operand 1 does not have enough dimensions", np.matmul, 2, np.zeros{2})
  T.err("np.matmul: operands could not be broadcast together", np.matmul, np.zeros{2, 3, 3}, np.zeros{4, 3, 3})
  -- a big product still matches a slow reference on one element
  local n = 300
  local x, y = np.random.Generator(1):random{n, n}, np.random.Generator(2):random{n, n}
  local p, s = np.matmul(x, y), 0
  for k = 1, n do s = s + x[{7, k}] * y[{k, 11}] end
  close(p[{7, 11}], s, 1e-12)
end
-- }

-- {=====  solve, inv, det  =====
do
  local S = A(C.S)
  close(np.linalg.solve(S, A(C.b4)), C.solve_v, nil, "solve vector")
  T.eq(np.linalg.solve(S, A(C.b4)).shape, {4})
  close(np.linalg.solve(S, A(C.B42)), C.solve_m, nil, "solve matrix")
  close(np.linalg.solve(A(C.Sb), A(C.bb)), C.solve_b, nil, "solve stack")
  close(np.linalg.solve(S, A(C.Bs)), C.solve_bcast, nil, "solve broadcast")
  close(np.linalg.inv(S), C.inv, nil, "inv")
  close(np.linalg.inv(A(C.Sb)), C.inv_b, nil, "inv stack")
  close(np.linalg.det(S), C.det, nil, "det")
  close(np.linalg.det(A(C.Sb)), C.det_b, nil, "det stack")
  local sg, ld = np.linalg.slogdet(S)
  close({sg, ld}, C.slogdet)
  sg, ld = np.linalg.slogdet(A(C.Sb))
  close(sg, C.slogdet_b_sign); close(ld, C.slogdet_b_logdet)
  T.eq(np.linalg.det(A{{1, 2}, {2, 4}}), 0.0)
  local s0, l0 = np.linalg.slogdet(A{{1, 2}, {2, 4}})
  T.eq(s0, 0.0); T.eq(l0, -math.huge)
  -- dtypes: float32 stays, integers become float64
  local f = np.linalg.inv(S:astype("float32"))
  T.eq(f.dtype, "float32"); close(f, C.inv, 1e-4)
  T.eq(np.linalg.inv(A{{2, 0}, {0, 4}}).dtype, "float64")
  T.eq(np.linalg.inv(A{{2, 0}, {0, 4}}):totable(), {{0.5, 0}, {0, 0.25}})
  T.eq(np.linalg.solve(S:astype("float32"), A(C.b4):astype("float32")).dtype, "float32")
  -- errors
  T.err("np.linalg.inv: singular matrix", np.linalg.inv, A{{1, 2}, {2, 4}})
  T.err("np.linalg.solve: singular matrix", np.linalg.solve, A{{1, 2}, {2, 4}}, A{1, 2})
  T.err("np.linalg.inv: last 2 dimensions of the array must be square", np.linalg.inv, np.zeros{2, 3})
  T.err("np.linalg.det: 1-dimensional array given", np.linalg.det, np.zeros{3})
  T.err("np.linalg.solve: shapes (4,4) and (3,) do not align", np.linalg.solve, S, np.zeros{3})
  T.err("np.linalg.solve: b must have one axis less than a (a vector) or as many (a matrix), got 1 and 3 axes",
        np.linalg.solve, A(C.Sb), np.zeros{4})
  T.err("np.linalg.inv: array must not contain infs or NaNs", np.linalg.inv, A{{1, 0}, {0, 0 / 0}})
  T.err("np.linalg.solve: array must not contain infs or NaNs", np.linalg.solve, S, A{1, 2, math.huge, 4})
end
-- }

-- {=====  eigenvalues  =====
do
  local w, v = np.linalg.eigh(A(C.H))
  close(w, C.eigh_w, nil, "eigh w")
  close_vecs(v, C.eigh_v, true, nil, "eigh v")
  close(np.linalg.eigvalsh(A(C.Hn)), C.eigh_L, nil, "eigvalsh L (default)")
  close(np.linalg.eigvalsh(A(C.Hn), "U"), C.eigh_U, nil, "eigvalsh U")
  close(np.linalg.eigvalsh(A(C.Hn), {UPLO = "U"}), C.eigh_U, nil, "eigvalsh {UPLO=}")
  local _, vu = np.linalg.eigh(A(C.Hn), "U")
  close_vecs(vu, C.eigh_Uv, true, nil, "eigh U vectors")
  close(np.linalg.eigh(A(C.Hb)), C.eigh_bw, nil, "eigh stack")
  local wf = np.linalg.eigvalsh(A(C.H):astype("float32"))
  T.eq(wf.dtype, "float32"); close(wf, C.eigh_w, 1e-5)
  -- general, all real: arrays
  local we, ve = np.linalg.eig(A(C.Er))
  close(we, C.eig_w, nil, "eig w"); close_vecs(ve, C.eig_v, true, nil, "eig v")
  -- complex: complex arrays as NumPy, and A v = w v holds in complex arithmetic
  local wc, vc = np.linalg.eig(A(C.Ec))
  T.eq(wc.dtype, "complex128"); T.eq(vc.dtype, "complex128")
  close(wc.real, C.eig_c_re, nil, "eig complex re"); close(wc.imag, C.eig_c_im, nil, "eig complex im")
  local E = A(C.Ec)
  for j = 1, 3 do
    local vr, vi = vc.real[{{}, j}], vc.imag[{{}, j}]
    local lr, li = wc.real[j], wc.imag[j]
    close(np.matmul(E, vr), vr * lr - vi * li, 1e-12, "A v = w v (re)")
    close(np.matmul(E, vi), vr * li + vi * lr, 1e-12, "A v = w v (im)")
  end
  local ev = np.linalg.eigvals(A(C.Ec))
  close(ev.imag, C.eig_c_im)
  T.err("np.linalg.eigh: array must not contain infs or NaNs", np.linalg.eigh, A{{1, 0 / 0}, {0, 1}})
  T.err("np.linalg.eigh: UPLO argument must be 'L' or 'U'", np.linalg.eigh, A(C.H), "X")
  T.err("np.linalg.eigh: unknown option 'UPLOW' (did you mean 'UPLO'?)", np.linalg.eigh, A(C.H), {UPLOW = "U"})
  T.err("np.linalg.eig: last 2 dimensions of the array must be square", np.linalg.eig, np.zeros{2, 3})
end
-- }

-- {=====  svd, qr, cholesky, lstsq, pinv  =====
do
  local M = A(C.M)
  local u, s, vh = np.linalg.svd(M)
  T.eq(u.shape, {5, 5}); T.eq(vh.shape, {3, 3})
  close(s, C.svd_s, nil, "svd s")
  -- the first 3 columns of u are determined up to sign, the rest is any basis
  close_vecs(u[{{}, {1, 3}}], np.array(C.svd_u)[{{}, {1, 3}}]:totable(), true, nil, "svd u")
  close_vecs(vh, C.svd_vh, false, nil, "svd vh")
  close(np.matmul(u.T, u), np.eye(5), 1e-12, "u orthogonal")
  local ur, sr, vhr = np.linalg.svd(M, {full_matrices = false})
  T.eq(ur.shape, {5, 3}); close_vecs(ur, C.svd_ur, true, nil, "svd reduced u")
  close(np.matmul(ur * sr, vhr), C.M, 1e-12, "u s vh = M")
  close(np.linalg.svd(A(C.W), {compute_uv = false}), C.svd_sw, nil, "svd values only")
  local q, r = np.linalg.qr(M)
  T.eq(q.shape, {5, 3}); T.eq(r.shape, {3, 3})
  close_vecs(q, C.qr_q, true, nil, "qr q"); close_vecs(r, C.qr_r, false, nil, "qr r")
  local qc, rc = np.linalg.qr(M, "complete")
  T.eq(qc.shape, {5, 5}); T.eq(rc.shape, {5, 3})
  close(np.matmul(qc, rc), C.M, 1e-12, "complete q r = M")
  close(np.abs(rc), np.abs(A(C.qr_rc)), 1e-12, "complete r")
  local rr = np.linalg.qr(M, {mode = "r"})
  close(np.abs(rr), np.abs(A(C.qr_r)), 1e-12, "mode r")
  local qw, rw = np.linalg.qr(A(C.W))
  T.eq(qw.shape, {3, 3}); T.eq(rw.shape, {3, 5}); close(np.matmul(qw, rw), C.W, 1e-12)
  close(np.linalg.cholesky(A(C.H)), C.chol, nil, "cholesky")
  close(np.linalg.cholesky(A(C.Cb)), C.chol_b, nil, "cholesky stack")
  T.eq(np.linalg.cholesky(A(C.H):astype("float32")).dtype, "float32")
  local x, res, rank, sv = np.linalg.lstsq(M, A(C.yb))
  close(x, C.lstsq_x, nil, "lstsq x"); close(res, C.lstsq_res, nil, "lstsq residuals")
  T.eq(rank, C.lstsq_rank); close(sv, C.lstsq_s)
  local x2, res2 = np.linalg.lstsq(M, A(C.Y2))
  close(x2, C.lstsq_x2); close(res2, C.lstsq_res2)
  local xd, resd, rankd = np.linalg.lstsq(A(C.Rd), np.arange(4.0))
  close(xd, C.lstsq_xd, 1e-9, "lstsq rank-deficient"); T.eq(rankd, 2); T.eq(resd.shape, {0})
  close(np.linalg.pinv(M), C.pinv, nil, "pinv")
  close(np.linalg.pinv(A(C.Rd)), C.pinv_d, 1e-9, "pinv rank-deficient")
  T.eq(np.linalg.matrix_rank(A(C.Rd)), C.lstsq_rankd)
  T.eq(np.linalg.matrix_rank(np.eye(4)), 4)
  T.eq(np.linalg.matrix_rank(np.ones{3, 3}), 1)
  T.eq(np.linalg.matrix_rank(np.zeros{2, 4, 4}):totable(), {0, 0})
  T.eq(np.linalg.matrix_rank({0, 0}), 0)
  T.eq(np.linalg.matrix_rank(np.eye(3), 2), 0)
  T.err("np.linalg.cholesky: matrix is not positive definite", np.linalg.cholesky, A{{1, 2}, {2, 1}})
  T.err("np.linalg.qr: unrecognized mode 'full'", np.linalg.qr, M, "full")
  T.err("np.linalg.svd: unknown option 'full_matrix' (did you mean 'full_matrices'?)", np.linalg.svd, M, {full_matrix = false})
  T.err("np.linalg.svd: array must not contain infs or NaNs", np.linalg.svd, A{{1, math.huge}})
  T.err("np.linalg.lstsq: shapes (5,3) and (4,) do not align", np.linalg.lstsq, M, np.zeros{4})
end
-- }

-- {=====  norm  =====
do
  local v, M, T3 = A(C.nv), A(C.M), A(C.T3)
  close(np.linalg.norm(v), C.norm_v_2)
  close(np.linalg.norm(v, 1), C.norm_v_1)
  close(np.linalg.norm(v, math.huge), C.norm_v_inf)
  close(np.linalg.norm(v, -math.huge), C.norm_v_minf)
  close(np.linalg.norm(v, "-inf"), C.norm_v_minf)
  close(np.linalg.norm(v, 0), C.norm_v_0)
  close(np.linalg.norm(v, 3), C.norm_v_3)
  close(np.linalg.norm(v, -1), C.norm_v_m1)
  close(np.linalg.norm(M), C.norm_M)
  for _, o in ipairs{{"fro", "fro"}, {"nuc", "nuc"}, {1, "1"}, {-1, "m1"}, {2, "2"}, {-2, "m2"},
                     {math.huge, "inf"}, {-math.huge, "minf"}} do
    close(np.linalg.norm(M, o[1]), C["norm_m_" .. o[2]], nil, "matrix norm " .. o[2])
  end
  close(np.linalg.norm(T3), C.norm_flat)
  close(np.linalg.norm(T3, nil, 1), C.norm_ax2, nil, "axis 1")
  close(np.linalg.norm(T3, {ord = 1, axis = 2}), C.norm_ax3_1, nil, "axis 2, ord 1")
  local k = np.linalg.norm(T3, {axis = 2, keepdims = true})
  T.eq(k.shape, {2, 3, 1}); close(k, C.norm_ax_keep)
  close(np.linalg.norm(T3, "nuc", {1, 2}), C.norm_pair, nil, "matrix norms of a stack")
  close(np.linalg.norm(T3, math.huge, {2, 1}), C.norm_pair_t, nil, "swapped axes")
  T.eq(np.linalg.norm(v:astype("float32")) > 0, true)
  T.eq(np.linalg.norm(A{3, 4}), 5.0)
  T.eq(np.linalg.norm(A{{3, 4}}:astype("float32"), nil, 1).dtype, "float32")
  T.err("np.linalg.norm: invalid norm order 'fro' for vectors", np.linalg.norm, v, "fro")
  T.err("np.linalg.norm: invalid norm order 3 for matrices", np.linalg.norm, M, 3)
  T.err("np.linalg.norm: improper number of dimensions to norm", np.linalg.norm, T3, 2)
  T.err("np.linalg.norm: axis 3 is out of bounds for array of dimension 3", np.linalg.norm, T3, nil, 3)
  T.err("np.linalg.norm: unknown option 'axes' (did you mean 'axis'?)", np.linalg.norm, T3, {axes = 1})
end
-- }

T.done()
