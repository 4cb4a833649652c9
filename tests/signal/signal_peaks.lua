-- signal_peaks.lua: find_peaks, peak_prominences and peak_widths against
-- scipy.signal 1.10.1 (tests/fixtures/signal/gen_peaks.py). Positions are
-- identical (scipy's + 1: geolab counts from 1); values to 1e-12.
local T = require "testlib"
local F = np.load("tests/fixtures/signal/peaks.npz")
local x = F.x

local POS = {left_edges = true, right_edges = true, left_bases = true, right_bases = true,
  left_ips = true, right_ips = true}
local cases = {
  plain = {}, height = {height = 2.0}, height_range = {height = {1.0, 3.0}},
  threshold = {threshold = 0.5}, distance = {distance = 25}, prominence = {prominence = 2.0},
  prominence_wlen = {prominence = {1.0, 4.0}, wlen = 51}, width = {width = 5},
  width_rel = {width = {3, 30}, rel_height = 0.8}, plateau = {plateau_size = 2},
  all = {height = 0.5, threshold = 0.01, distance = 10, prominence = 1.5, width = 2, plateau_size = {1, 5}},
}
local names = {}
for k in pairs(cases) do names[#names + 1] = k end
table.sort(names)
for _, name in ipairs(names) do
  local peaks, props = signal.find_peaks(x, cases[name])
  local want = F[name .. "__peaks"]
  T.eq(peaks.size, want.size, name .. " count")
  T.eq(peaks:totable(), (want + 1):totable(), name .. " positions")
  local nkeys = 0
  for k in pairs(props) do
    nkeys = nkeys + 1
    local ref = F[name .. "_" .. k]
    T.ok(ref ~= nil, name .. ": scipy has property " .. k)
    if ref then T.close(props[k], POS[k] and ref + 1 or ref, 1e-12, 1e-12, name .. " " .. k) end
  end
  local nref = 0
  for _, k in ipairs{"plateau_sizes", "left_edges", "right_edges", "peak_heights", "left_thresholds",
      "right_thresholds", "prominences", "left_bases", "right_bases", "widths", "width_heights",
      "left_ips", "right_ips"} do
    if F[name .. "_" .. k] ~= nil then nref = nref + 1 end
  end
  T.eq(nkeys, nref, name .. " same property names")
end

local peaks = F.prom_peaks + 1
local p, lb, rb = signal.peak_prominences(x, peaks)
T.close(p, F.prom, 1e-12, 0, "prominences"); T.eq(lb:totable(), (F.prom_lb + 1):totable()); T.eq(rb:totable(), (F.prom_rb + 1):totable())
p, lb, rb = signal.peak_prominences(x, peaks, {wlen = 30})
T.close(p, F.promw, 1e-12, 0, "prominences wlen"); T.eq(lb:totable(), (F.promw_lb + 1):totable())
local w, wh, l, r = signal.peak_widths(x, peaks)
T.close(w, F.wid, 1e-12, 0, "widths"); T.close(wh, F.wid_h, 1e-12, 0, "width heights")
T.close(l, F.wid_l + 1, 1e-12, 0, "left_ips"); T.close(r, F.wid_r + 1, 1e-12, 0, "right_ips")
w, wh, l, r = signal.peak_widths(x, peaks, {rel_height = 1.0})
T.close(w, F.wid1, 1e-12, 0, "widths rel 1"); T.close(l, F.wid1_l + 1, 1e-12, 0, "left_ips rel 1")

-- small cases by hand: a plateau's position is its middle (rounded down, 0-based as scipy)
local pk = signal.find_peaks({0, 1, 0, 2, 2, 0, 3, 3, 3, 3, 0})
T.eq(pk:totable(), {2, 4, 8})
T.eq(signal.find_peaks({1, 2, 3}).size, 0)
T.err("signal.find_peaks: distance must be greater or equal to 1", signal.find_peaks, x, {distance = 0.5})
T.err("signal.find_peaks: wlen must be larger than 1", signal.find_peaks, x, {prominence = 1, wlen = 1})
T.err("signal.find_peaks: unknown option 'heigth' (did you mean 'height'?)", signal.find_peaks, x, {heigth = 1})
T.err("signal.peak_prominences: peak 0 is not a valid position in x", signal.peak_prominences, x, {0})
T.err("signal.peak_widths: rel_height must be greater or equal to 0.0", signal.peak_widths, x, {5}, {rel_height = -1})
T.done()
