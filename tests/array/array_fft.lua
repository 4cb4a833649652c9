-- array_fft.lua: np.fft against NumPy 1.24 (tests/fixtures/fft/fft.npz,
-- written by gen_fft.py). Tolerance: 1e-12 of the largest output of each
-- transform (FFTW and pocketfft round differently; an output that is nearly
-- zero by cancellation cannot agree to 1e-12 of itself).
local T = require "testlib"
local np = np or require "geolab.array"
local R = np.load("tests/fixtures/fft/fft.npz")
local F = np.fft

local function close(got, want, msg)
  T.eq(tostring(got.shape), tostring(want.shape), (msg or "") .. " shape")
  T.eq(got.dtype, want.dtype, (msg or "") .. " dtype")
  local scale = np.abs(want):max()
  T.close(got, want, 0, 1e-12 * scale, msg)
end

-- {======================================================= 1-D transforms
close(F.fft(R.x), R.fft_x, "fft")
close(F.ifft(R.x), R.ifft_x, "ifft")
close(F.rfft(R.x), R.rfft_x, "rfft")
close(F.irfft(F.rfft(R.x)), R.irfft_rx, "irfft(rfft)")
close(F.irfft(R.h), R.irfft_h, "irfft ignores the imaginary DC part")
close(F.irfft(R.h, 13), R.irfft_h13, "irfft n=13")
close(F.fft(R.x, 16), R.fft_x16, "n pads"); close(F.fft(R.x, 5), R.fft_x5, "n crops")
close(F.fft(R.x, {n = 16}), R.fft_x16, "n as option")
close(F.rfft(R.x, 7), R.rfft_x7, "rfft n=7")
close(F.fft(R.y, nil, 0), R.fft_y0, "axis 0"); close(F.fft(R.y, {axis = 0}), R.fft_y0, "axis option")
close(F.fft(R.y, nil, -1), R.fft_y1, "axis -1")
close(F.rfft(R.y), R.rfft_y); close(F.rfft(R.y, {axis = 0}), R.rfft_y0)
close(F.irfft(R.y), R.irfft_y, "irfft of real input")
close(F.fft(R.c), R.fft_c); close(F.ifft(R.c, {axis = 0}), R.ifft_c0)
close(F.fft(R.p), R.fft_p, "prime length"); close(F.rfft(R.p), R.rfft_p)
close(F.fft(R.c, {norm = "ortho"}), R.ortho); close(F.fft(R.c, nil, nil, "forward"), R.forward)
close(F.ifft(R.c, {norm = "ortho"}), R.iortho); close(F.ifft(R.c, {norm = "forward"}), R.iforward)
close(F.rfft(R.x, {norm = "ortho"}), R.rortho); close(F.irfft(R.h, {norm = "forward"}), R.irforward)
close(F.fft(R.x32), R.fft_x32, "float32 input gives complex128, as NumPy 1.24")
close(F.fft(R.x:totable()), R.fft_x, "a Lua table")
T.close(F.ifft(F.fft(R.c)), R.c, 0, 1e-14 * 4, "round trip")
-- }

-- {======================================================= n-D transforms
close(F.fft2(R.c), R.fft2_c); close(F.ifft2(R.c), R.ifft2_c)
close(F.fft2(R.c, {5, 8}), R.fft2_c_s, "fft2 s="); close(F.fft2(R.c, {s = {5, 8}}), R.fft2_c_s)
close(F.fftn(R.z), R.fftn_z); close(F.ifftn(R.z), R.ifftn_z)
close(F.fftn(R.z, {axes = {0, 2}}), R.fftn_z_ax, "fftn axes=")
close(F.rfft2(R.y), R.rfft2_y)
close(F.irfft2(F.rfft2(R.y), {s = {3, 7}}), R.irfft2_y)
close(F.rfftn(R.z.real), R.rfftn_z); close(F.irfftn(R.z), R.irfftn_z)
-- }

-- {======================================================= frequencies, shifts
T.close(F.fftfreq(8), R.fftfreq8, 0, 0); T.close(F.fftfreq(7, 0.01), R.fftfreq7, 0, 0)
T.close(F.fftfreq(7, {d = 0.01}), R.fftfreq7, 0, 0)
T.close(F.rfftfreq(8, 0.1), R.rfftfreq8, 0, 0); T.close(F.rfftfreq(9), R.rfftfreq9, 0, 0)
T.close(F.fftshift(R.y), R.shift_y, 0, 0); T.close(F.ifftshift(R.y), R.ishift_y, 0, 0)
T.close(F.fftshift(R.y, 1), R.shift_y1, 0, 0); T.close(F.fftshift(R.y, {axes = {1}}), R.shift_y1, 0, 0)
T.eq(F.ifftshift(np.arange(7)):totable(), R.ishift_x:totable())
T.eq(F.fftshift(F.ifftshift(np.arange(7))):totable(), np.arange(7):totable())
-- }

-- {======================================================= errors
T.err("np.fft.fft: invalid number of FFT data points (0) specified", F.fft, R.x, 0)
T.err("np.fft.fft: axis 2 is out of bounds for array of dimension 2", F.fft, R.y, nil, 2)
T.err("np.fft.fft: invalid norm 'unitary'", F.fft, R.x, {norm = "unitary"})
T.err("np.fft.fft: unknown option 'axes' (did you mean 'axis'?)", F.fft, R.x, {axes = 1})
T.err("np.fft.rfft: input is complex", F.rfft, R.c)
T.err("np.fft.fft: input must have at least one dimension", F.fft, 3)
T.err("np.fft.fft2: shape and axes have different lengths", F.fft2, R.c, {s = {4}, axes = {0, 1}})
T.err("np.fft.fftfreq: n must be positive", F.fftfreq, 0)
-- }

-- {======================================================= determinism
T.same_bits("fft", [[
  local x = np.random.Generator(1):normal(0, 1, {64, 1001})
  return {re = np.real(np.fft.fft(x)), im = np.imag(np.fft.rfft(x, 100, 0))}
]])
-- }

T.done()
