-- array_fft_plans.lua: the FFT plan cache that np.fft and signal share
-- (kernels/array/fft_cache.c): transforms of lengths with large prime factors
-- against NumPy/SciPy (tests/fixtures/fft/gen_plans.py), the same bits after
-- their plans were evicted by a few hundred other lengths and dtypes, plans of
-- one kind reused by the other module, and 2-D calls identical with 1 and 2
-- threads.
local T = require "testlib"
local R = np.load("tests/fixtures/fft/plans.npz")
local x = R.x
local lengths = {1187, 985, 1398}

-- relative to the largest value: an FFT's error is spread over all bins
local function near(got, want, msg)
  local scale = np.abs(want):max()
  T.ok(np.abs(got - want):max() <= 1e-12 * scale, msg)
end

local first = {}
for _, n in ipairs(lengths) do
  local xn = x[{{1, n}}]
  local X = np.fft.rfft(xn)
  near(X, R["rfft_" .. n], "rfft " .. n)
  local y = np.fft.irfft(R["rfft_" .. n] * np.complex(1, 0.5), n)
  near(y, R["irfft_" .. n], "irfft " .. n)
  local e = signal.envelope(xn)                 -- reuses rfft's r2c plan
  near(e, R["env_" .. n], "envelope " .. n)
  near(np.abs(signal.hilbert(xn)), R["env_" .. n], "hilbert " .. n)
  first[n] = {X, y, e}
end

-- a few hundred other plans of every kind, from float32 and float64 input and
-- from both modules, evict the ones above (256 plans at most)
local x32 = x:astype("float32")
for n = 200, 420 do
  np.fft.rfft(x32[{{1, n}}])
  np.fft.fft(x[{{1, n}}])
  if n % 3 == 0 then signal.envelope(x[{{1, n}}]) end
end
for _, n in ipairs(lengths) do
  local xn = x[{{1, n}}]
  local X = np.fft.rfft(xn)
  local y = np.fft.irfft(R["rfft_" .. n] * np.complex(1, 0.5), n)
  local e = signal.envelope(xn)
  T.ok(np.array_equal(X, first[n][1]), "rfft " .. n .. ": the same bits with a new plan")
  T.ok(np.array_equal(y, first[n][2]), "irfft " .. n .. ": the same bits with a new plan")
  T.ok(np.array_equal(e, first[n][3]), "envelope " .. n .. ": the same bits with a new plan")
  -- float32 input is computed in float64, as NumPy does: the same plan, the same numbers
  T.ok(np.array_equal(np.fft.rfft(x32[{{1, n}}]), np.fft.rfft(x32[{{1, n}}]:astype("float64"))),
       "rfft " .. n .. " of float32")
end

-- rows of a 2-D array: each row as the 1-D call gives it
local rows = np.stack{x[{{1, 985}}], x[{{2, 986}}] * 2, x[{{414, 1398}}]}
local E = signal.envelope(rows)
local F = np.fft.rfft(rows)
for r = 1, 3 do
  T.ok(np.array_equal(E[r], signal.envelope(rows[r]:copy())), "envelope row " .. r)
  T.ok(np.array_equal(F[r], np.fft.rfft(rows[r]:copy())), "rfft row " .. r)
end

-- many rows run on both threads: the same bits as on one
T.same_bits("fft_plans_rows", [[
  local R = np.load("tests/fixtures/fft/plans.npz")
  local x = R.x
  local rows = {}
  for r = 1, 64 do rows[r] = x[{{r, r + 984}}] * r end
  local m = np.stack(rows)
  return {env = signal.envelope(m), rfft = np.fft.rfft(m), irfft = np.fft.irfft(np.fft.rfft(m), 985),
          fft0 = np.fft.fft(m, nil, 0)}
]])

T.done()
