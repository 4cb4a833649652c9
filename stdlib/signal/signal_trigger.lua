-- signal_trigger.lua: STA/LTA characteristic functions and trigger on/off
-- times with ObsPy's semantics (obspy.signal.trigger: classic_sta_lta,
-- recursive_sta_lta, trigger_onset). Sums run in C (kernels/signal/conv.c);
-- trigger_onset is ObsPy's deque algorithm, with 1-based sample positions.
local np = require "geolab.array"
local core = require "geolab.signal_core"
local B = require "geolab.signal_base"
local err = B.error

local Tr = {}

local function stalta(fname, recursive, ...)
  local a = B.args(fname, {"a", "nsta", "nlta"}, {}, ...)
  local x = B.vec(a.a, fname, "a")
  local nsta, nlta = B.int(a.nsta, fname, "nsta", 1), B.int(a.nlta, fname, "nlta", 1)
  if nsta == nil or nlta == nil then err(fname, "nsta and nlta (window lengths in samples) are required") end
  if nsta >= nlta then err(fname, "nsta (%d) must be shorter than nlta (%d)", nsta, nlta) end
  if not recursive and x.size < nlta then
    err(fname, "the trace (%d samples) is shorter than nlta (%d)", x.size, nlta)
  end
  return core.sta_lta(fname, x, nsta, nlta, recursive)
end

-- classic_sta_lta(a, nsta, nlta) -> characteristic function (0 before sample nlta)
function Tr.classic_sta_lta(...) return stalta("signal.classic_sta_lta", false, ...) end
-- recursive_sta_lta(a, nsta, nlta) -> characteristic function (0 for the first nlta samples)
function Tr.recursive_sta_lta(...) return stalta("signal.recursive_sta_lta", true, ...) end

-- trigger_onset(charfct, thres1, thres2[, {max_len=9e99, max_len_delete=false}])
-- -> (n, 2) int64 array of on/off sample positions (1-based)
function Tr.trigger_onset(...)
  local fname = "signal.trigger_onset"
  local a = B.args(fname, {"charfct", "thres1", "thres2", "max_len", "max_len_delete"}, {}, ...)
  local c = B.vec(a.charfct, fname, "charfct"):totable()
  local t1, t2 = B.num(a.thres1, fname, "thres1"), B.num(a.thres2, fname, "thres2")
  if t1 == nil or t2 == nil then err(fname, "thres1 and thres2 are required") end
  local max_len = B.num(a.max_len, fname, "max_len") or 9e99
  local del = a.max_len_delete and true or false
  local ind1, ind2 = {}, {}
  for i, v in ipairs(c) do
    if v >= t1 then ind1[#ind1 + 1] = i - 1 end
    if v >= t2 then ind2[#ind2 + 1] = i - 1 end
  end
  if #ind1 == 0 then return np.zeros({0, 2}, {dtype = "int64"}) end
  -- deques as arrays with a head index (0-based sample numbers inside)
  local on, of = {ind1[1]}, {-1}
  for i = 1, #ind2 do
    if i == #ind2 or ind2[i + 1] - ind2[i] > 1 then of[#of + 1] = ind2[i] end
  end
  for i = 1, #ind1 - 1 do
    if ind1[i + 1] - ind1[i] > 1 then on[#on + 1] = ind1[i + 1] end
  end
  if del then of[#of + 1] = 1e99; on[#on + 1] = on[#on]
  else of[#of + 1] = ind2[#ind2] end
  of[#of + 1] = #c
  local oh, fh = 1, 1          -- heads
  local pick = {}
  while on[#on] > of[fh] do
    while on[oh] and on[oh] <= of[fh] do oh = oh + 1 end
    if not on[oh] then break end
    while of[fh] < on[oh] do fh = fh + 1 end
    local skip = false
    if of[fh] - on[oh] > max_len then
      if del then oh = oh + 1; skip = true
      else fh = fh - 1; of[fh] = on[oh] + max_len end
    end
    if not skip and of[fh] <= #c then pick[#pick + 1] = {on[oh] + 1, math.floor(of[fh]) + 1} end
  end
  if #pick == 0 then return np.zeros({0, 2}, {dtype = "int64"}) end
  return np.array(pick, "int64")
end

return Tr
