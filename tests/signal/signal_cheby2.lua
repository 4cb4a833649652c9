-- signal_cheby2.lua: Chebyshev II design (signal.cheby2) and order selection
-- (signal.cheb2ord) against scipy.signal 1.10.1
-- (tests/fixtures/signal/gen_cheby2.py): designs to 1e-12.
local T = require "testlib"
local F = np.load("tests/fixtures/signal/cheby2.npz")

local designs = {
  {"c2_4_low", {4, 40, 0.3}},
  {"c2_5_high", {5, 60, 0.2, "high"}},
  {"c2_3_band", {3, 30, {0.2, 0.5}, "bandpass"}},
  {"c2_4_stop", {4, 50, {0.2, 0.5}, {btype = "bandstop"}}},
  {"c2_12_low", {12, 96, 0.1}},
  {"c2_7_low_fs", {7, 80, 10.0, {fs = 100.0}}},
}
for _, d in ipairs(designs) do
  local name, args = d[1], d[2]
  local b, a = signal.cheby2(table.unpack(args))
  -- zeros of b: poly() of conjugate pairs on the unit circle, where the
  -- rounding of numpy.poly's products leaves ~1e-16 absolute noise
  T.close(b, F[name .. "_b"], 1e-12, 1e-15, name .. " b")
  T.close(a, F[name .. "_a"], 1e-12, 1e-15, name .. " a")
  local sargs = {table.unpack(args)}
  local last = sargs[#sargs]
  if type(last) == "table" and (last.btype or last.fs) then
    local o = {output = "sos"}
    for k, v in pairs(last) do o[k] = v end
    sargs[#sargs] = o
  else
    sargs[#sargs + 1] = {output = "sos"}
  end
  local sos = signal.cheby2(table.unpack(sargs))
  T.eq(sos.shape[1], F[name .. "_sos"].shape[1], name .. " sections")
  T.close(sos, F[name .. "_sos"], 1e-12, 1e-15, name .. " sos")
  -- exact zeros carry scipy's sign (printed 0. or -0.)
  local got, ref = sos:flatten():totable(), F[name .. "_sos"]:flatten():totable()
  for i, v in ipairs(ref) do
    if v == 0 and got[i] == 0 then T.eq(1 / got[i], 1 / v, ("%s sos: sign of the zero at %d"):format(name, i)) end
  end
end
T.close((signal.cheby2{N = 4, rs = 40, Wn = 0.3}), F.c2_4_low_b)

local orders = {
  {"o_low", {0.2, 0.3, 3, 40}},
  {"o_high", {0.3, 0.2, 3, 40}},
  {"o_band", {{0.2, 0.5}, {0.1, 0.6}, 3, 60}},
  {"o_low_fs", {10.0, 12.0, 1, 96, {fs = 100.0}}},
  {"o_obspy", {0.25 * 0.99 ^ 10, 0.25, 1, 96}},
}
for _, o in ipairs(orders) do
  local n, wn = signal.cheb2ord(table.unpack(o[2]))
  T.eq(n, math.tointeger(F[o[1] .. "_n"]:item()), o[1] .. " order")
  T.ok(math.type(n) == "integer", o[1] .. " order is an integer")
  -- arccosh and tan in a different order than NumPy's: a few ulps
  T.close(wn, F[o[1] .. "_wn"], 1e-13, 0, o[1] .. " wn")
end

T.err("signal.cheby2: stopband attenuation rs (in dB) must be provided", signal.cheby2, 4)
T.err("signal.cheby2: stopband attenuation (rs) must be positive", signal.cheby2, 4, -1, 0.2)
T.err("signal.cheby2: critical frequency 60 is at or above the Nyquist", signal.cheby2, 4, 40, 60, {fs = 100})
T.err("signal.cheb2ord: gpass should be smaller than gstop", signal.cheb2ord, 0.2, 0.3, 50, 40)
T.err("signal.cheb2ord: bandstop order selection is not supported", signal.cheb2ord, {0.1, 0.6}, {0.2, 0.5}, 3, 60)
T.err("signal.cheb2ord: wp and ws must have the same length", signal.cheb2ord, {0.1, 0.6}, 0.2, 3, 60)
T.done()
