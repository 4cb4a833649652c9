-- array_complex.lua: complex64/complex128 arrays and complex scalars against
-- NumPy 1.24 (tests/fixtures/complex, written by gen_complex.py): arithmetic,
-- promotion, math, reductions, products, printing, npy/npz files, and the
-- loud failures where NumPy would silently drop the imaginary part.
local T = require "testlib"
local np = np or require "geolab.array"
local F = "tests/fixtures/complex/"
local V = np.load(F .. "values.npz")
local j = np.j


-- {======================================================= scalars
local z = np.complex(1, 2)
T.eq(tostring(z), "(1+2j)")
T.eq(tostring(np.j), "1j")
T.eq(tostring(3 + 4 * j), "(3+4j)")
T.eq(tostring(-3.5 * j), "(-0-3.5j)")          -- Python: -3.5j
T.eq(tostring(np.complex(1.5, -2)), "(1.5-2j)")
T.eq(tostring(np.complex(1e20, 1e-7)), "(1e+20+1e-07j)")
T.eq(tostring(np.complex(0 / 0, math.huge)), "(nan+infj)")
T.eq(tostring(z * z), "(-3+4j)")
T.eq(tostring(z / np.complex(3, -1)), "(0.1+0.7000000000000001j)")  -- Python's value
T.eq(z.real, 1.0); T.eq(z.imag, 2.0)
T.eq(tostring(z:conj()), "(1-2j)")
T.eq(z:abs(), math.sqrt(5))
T.ok(z == np.complex(1, 2) and z ~= np.complex(1, 3), "== compares both parts")
T.err("complex numbers are not ordered", function() return z < z end)
T.err("complex numbers are immutable", function() z.real = 3 end)
T.eq(tostring(z ^ 2), "(-3+4j)")
-- }

-- {======================================================= creation, dtypes
local a = np.array{1, z, 3}
T.eq(a.dtype, "complex128")
T.eq(np.zeros(3, {dtype = "complex64"}).dtype, "complex64")
T.eq(np.array({1, 2}, {dtype = "complex128"}).dtype, "complex128")
T.eq(np.array({1, 2}, "c8").dtype, "complex64")
T.eq(np.full(2, j).dtype, "complex128")
T.eq(np.complex64, "complex64")
T.ok(np.iscomplexobj(a) and np.iscomplexobj(j) and not np.iscomplexobj(np.zeros(2)), "iscomplexobj")
T.ok(np.isrealobj(np.zeros(2)) and not np.isrealobj(a), "isrealobj")
T.err("np.array: cannot convert a complex number to float64", np.array, {1, j}, "float64")
T.err("astype: cannot cast complex128 to float64 without losing the imaginary part; use np.real(a)",
      function() return a:astype("float64") end)
T.eq(np.real(a):astype("float32").dtype, "float32")
T.eq(a:astype("complex64").dtype, "complex64")
T.eq(np.array({1, 2}, "int32"):astype("complex64").dtype, "complex64")
-- promotion: NumPy 1.24's promote_types and its value-based rule for Python scalars
local function dt(x, y) return (np.zeros(2, x) + (type(y) == "string" and np.zeros(2, y) or y)).dtype end
T.eq(dt("float32", "complex64"), "complex64")
T.eq(dt("float64", "complex64"), "complex128")
T.eq(dt("int32", "complex64"), "complex128")
T.eq(dt("uint8", "complex64"), "complex64")
T.eq(dt("bool", "complex64"), "complex64")
T.eq(dt("float32", j), "complex64")
T.eq(dt("int64", j), "complex128")
T.eq(dt("uint8", j), "complex128")
T.eq(dt("complex64", 1.5), "complex64")
T.eq(dt("complex64", "float64"), "complex128")
-- }

-- {======================================================= arithmetic, math
local A, B, R = V.a, V.b, V.r
T.close(A + B, V.add); T.close(A - B, V.sub); T.close(A * B, V.mul, 0, 0)
T.close(A / B, V.div, 0, 0)                    -- NumPy's Smith division, bit for bit
T.close(A + R, V.addr); T.close(A * R, V.mulr); T.close(R / A, V.divr)
T.close(A ^ 2, V.pow2); T.close(A ^ B, V.powb, 1e-13)
T.close(-A, V.neg); T.close(np.conj(A), V.conj); T.close(A:conj(), V.conj)
T.close(np.abs(A), V.abs); T.eq(np.abs(A).dtype, "float64")
T.close(np.angle(A), V.angle); T.close(np.angle(A, {deg = true}), V.angle_deg); T.close(np.angle(A, true), V.angle_deg)
T.close(np.real(A), V.real); T.close(np.imag(A), V.imag); T.close(A.real, V.real); T.close(A.imag, V.imag)
T.close(np.sqrt(A), V.sqrt); T.close(np.exp(A), V.exp); T.close(np.log(A), V.log); T.close(np.log10(A), V.log10)
T.close(np.sin(A), V.sin); T.close(np.cos(A), V.cos); T.close(np.tanh(A), V.tanh)
T.close(np.reciprocal(A), V.reciprocal)
T.close(V.a64 * V.a64, V.mul64, 1e-6)          -- float32 parts: NumPy rounds the same products
T.eq((V.a64 * V.a64).dtype, "complex64")
T.close(np.abs(V.a64), V.abs64, 1e-6); T.eq(np.abs(V.a64).dtype, "float32")
T.close(A * 2 + j, V.a * 2 + np.complex(0, 1))
T.close(1 + j * A, (A * j) + 1)                 -- scalar on either side
-- .real / .imag are views
local c = A:copy()
c.imag[{1, 1}] = 5
T.eq(c[{1, 1}].imag, 5.0)
c.real[{{}, 2}] = 0
T.close(np.real(c)[{{}, 2}], np.zeros(3))
T.close(np.real(np.array{1.0, 2}), {1, 2}); T.close(np.imag(np.array{1.0, 2}), {0, 0})
-- comparisons: == and ~= only
T.eq(A:eq(A):all(), true); T.eq(A:ne(B):all(), true)
T.ok(A == A:copy() and A ~= B, "array == of complex arrays")
T.err("lt: complex numbers are not ordered", function() return A:lt(B) end)
T.err("np.maximum: not supported for complex arrays", np.maximum, A, B)
T.err("np.floor: not supported for complex arrays", np.floor, A)
T.err("np.max: not supported for complex arrays", np.max, A)
-- sorting: NumPy's lexicographic order, NaNs last
T.close(np.sort(V.srt), V.srt_sorted, 0, 0)
T.eq((np.argsort(V.srt) - 1):totable(), V.srt_arg:totable())
T.close(np.sort(A, 0), V.a_sort0, 0, 0)
T.eq((np.argsort(A, 1) - 1):totable(), V.a_argsort1:totable())
T.err("np.unique: complex arrays are not supported", np.unique, A)
T.eq(np.isclose(A, A + 1e-9 * B):totable(), V.isclose:totable())
T.eq(np.isclose(A, B):totable(), V.isclose_b:totable())
T.ok(np.allclose(A, A + 1e-12 * j) and not np.allclose(A, B), "allclose")
T.eq(np.isnan(np.array{np.complex(0 / 0, 1), 1}):totable(), {true, false})
-- }

-- {======================================================= reductions, products
T.close(A:sum(), V.sum_all[{}] or V.sum_all)
T.close(A:sum(0), V.sum0); T.close(np.sum(A, {axis = -1}), V.sum1)
T.close(A:mean(0), V.mean0); T.close(A:mean(), V.mean_all)
T.close(A:prod(1), V.prod1); T.close(A:prod(), V.prod_all)
T.eq(tostring(A:sum{axis = 1, keepdims = true}.shape), "(3, 1)")
T.close(V.a64:sum(0), V.sum64, 1e-6); T.eq(V.a64:sum(0).dtype, "complex64")
T.close(np.matmul(A, V.m), V.matmul); T.close(A:matmul(V.m), V.matmul)
T.close(np.matmul(V.a64, V.m:astype("complex64")), V.matmul64, 1e-5)  -- cgemm in float32
T.close(np.dot(A, V.m[{{}, 1}]), V.dot_vec)
T.close(np.matmul(A.T:copy().T, V.m), V.matmul)    -- strided operand
T.err("np.linalg.inv: complex matrices are not supported yet", np.linalg.inv, A[{{1, 3}, {1, 3}}])
T.err("np.linalg.det: complex matrices are not supported yet", np.linalg.det, A[{{1, 3}, {1, 3}}])
-- }

-- {======================================================= indexing, shapes
T.eq(tostring(A[{1, 1}]), tostring(np.complex(A.real[{1, 1}], A.imag[{1, 1}])))
local e = np.zeros(3, "complex128")
e[2] = 1 + 2 * j
e[{{3, 3}}] = j
T.eq(tostring(e), "array([0.+0.j, 1.+2.j, 0.+1.j])")
T.err("index: cannot assign complex values to a float64 array", function() local r = np.zeros(3); r[1] = j end)
T.err("index: cannot assign complex values to a float64 array", function() local r = np.zeros(3); r[{{1, 2}}] = e[{{1, 2}}] end)
T.eq(tostring(e:totable()[2]), "(1+2j)")
T.eq(np.concatenate{e, e}.dtype, "complex128")
T.eq(np.concatenate{np.zeros(1), np.zeros(1, "complex64")}.dtype, "complex128")
T.close(np.stack{e, e}:reshape(3, 2)[{3}], {1, 2, 0, 1})
T.close(A.T[{2, 3}], A[{3, 2}])
local mask = A.real:gt(0)
T.eq(A[mask].size, mask:sum()); T.close(A[mask].real, A.real[mask])
T.eq(np.where(np.array{true, false}, j, 1):totable()[2].real, 1.0)
-- }

-- {======================================================= printing (NumPy's reprs)
local P = np.load(F .. "print.npz")
local expected = {}
for name, text in T.read(F .. "print.txt"):gmatch("== (%w+)\n(.-)\n%f[=\0]") do expected[name] = text end
local n = 0
for name, text in pairs(expected) do
  T.eq(tostring(P[name]), text, "repr of " .. name)
  n = n + 1
end
T.eq(n, 14, "print cases read")
-- }

-- {======================================================= npy / npz files
local c8, c16 = np.load(F .. "c8.npy"), np.load(F .. "c16.npy")
T.eq(c8.dtype, "complex64"); T.eq(c16.dtype, "complex128")
T.eq(tostring(c8), "array([[ 1.  +2.j , -0.  -3.5j],\n       [ 0.25+0.j ,  7.  +0.j ]], dtype=complex64)")
T.close(c16[{1}], np.complex(1 / 3, 2))
-- geolab's file of the same array is NumPy's file byte for byte
for _, name in ipairs{"c8", "c16"} do
  local out = T.tmp("complex_" .. name .. ".npy")
  np.save(out, np.load(F .. name .. ".npy"))
  T.eq(T.read(out) == T.read(F .. name .. ".npy"), true, name .. ".npy written as NumPy writes it")
end
local zpath = T.tmp("complex.npz")
np.savez(zpath, {a = A, b = V.a64})
local back = np.load(zpath)
T.ok(np.array_equal(back.a, A) and back.b.dtype == "complex64", "npz round trip")
-- }

T.done()
