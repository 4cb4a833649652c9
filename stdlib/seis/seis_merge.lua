-- seis_merge.lua: st:merge() and st:get_gaps() (geolab.seis_merge), ObsPy's
-- Stream.merge(method=0) and Trace.__add__: traces of one id, sorted by
-- time, are joined one after the other; an exact fit is concatenated, a gap
-- is filled, an overlap keeps both sides where they agree and fills the
-- overlapping samples where they differ, a trace inside another one is
-- dropped when its samples agree. ObsPy fills with masked values; geolab
-- has no masked arrays, so the default fill is NaN (an integer trace
-- becomes float64, which holds every int32 exactly); fill_value = a number
-- keeps the dtype, "latest" repeats the last sample before each gap and
-- "interpolate" draws a line across it, as in ObsPy.
local np = require "geolab.array"
local util = require "geolab.util"
local error = util.raise
local M = {}

local function round(x) return x >= 0 and math.floor(x + 0.5) or -math.floor(-x + 0.5) end

local function equal(a, b)
  if a.shape[1] ~= b.shape[1] then return false end
  if a.shape[1] == 0 then return true end
  return a:eq(b):all()
end

-- ObsPy's Trace.__add__(trace, method=0, fill_value): a new trace.
local function add(seis, lt, rt, fill)
  if rt.stats.starttime.value < lt.stats.starttime.value then lt, rt = rt, lt end
  local sr = lt.stats.sampling_rate
  local ls, rs = lt.stats, rt.stats
  local lend, rend = ls.endtime.value, rs.endtime.value
  local delta = round((rs.starttime.value - lend) / 1e9 * sr) - 1
  local a, b = lt.data, rt.data
  local na, nb = a.shape[1], b.shape[1]
  local dtype = a.dtype
  local numfill = type(fill) == "number" and fill or nil
  local parts, nan = nil, false
  local limit = seis._max_fill(na + nb)
  local function chunk(k, left, right)
    if k > limit then
      error(("Stream.merge: a gap of %d samples in %s is too large to fill (at most %d here; corrupt times?)"):format(k, ls.network .. "." .. ls.station .. "." .. ls.location .. "." .. ls.channel, limit), 4)
    end
    if fill == "latest" then return np.full(k, left, dtype) end
    if fill == "interpolate" then
      local v = np.linspace(left, right, k + 2)[{{2, k + 1}}]
      return v:astype(dtype)
    end
    if numfill == nil then nan = true end
    return seis._gap_chunk(k, dtype, numfill)
  end
  if delta < 0 and lend < rend then                 -- overlap
    local k = -delta
    if k > na then k = na end
    if k > nb then k = nb end
    if equal(a[{{na - k + 1, na}}], b[{{1, k}}]) then
      parts = {a[{{1, na - k}}], b}
    else
      parts = {a[{{1, na - k}}], chunk(k, a[na - k > 0 and na - k or 1], b[math.min(k + 1, nb)]),
        k < nb and b[{{k + 1, nb}}] or np.zeros(0, dtype)}
    end
  elseif delta < 0 then                              -- rt inside lt
    local s = round((rs.starttime.value - ls.starttime.value) / 1e9 * sr)
    local e = math.min(s + nb, na)
    if equal(a[{{s + 1, e}}], b[{{1, e - s}}]) then parts = {a}
    else
      parts = {a[{{1, s}}], chunk(e - s, a[math.max(s, 1)], a[math.min(e + 1, na)]),
        e < na and a[{{e + 1, na}}] or np.zeros(0, dtype)}
    end
  elseif delta == 0 then parts = {a, b}              -- exact fit
  else parts = {a, chunk(delta, a[na], b[1]), b} end -- gap
  return seis._new_trace(seis._join(parts, dtype, nan), ls:copy())
end

-- tr1 + tr2: ObsPy's Trace.__add__ (method 0, gaps NaN): a new trace.
function M.trace_add(seis, a, b)
  if not (seis._is_trace(a) and seis._is_trace(b)) then
    error("Trace +: both operands must be Traces (a Stream is st + tr)", 3)
  end
  if a.id ~= b.id then error(("Trace +: trace ids differ: %s and %s"):format(a.id, b.id), 3) end
  if a.stats.sampling_rate ~= b.stats.sampling_rate then error("Trace +: sampling rates differ", 3) end
  if a.data.dtype ~= b.data.dtype then error("Trace +: data types differ", 3) end
  if a.stats.calib ~= b.stats.calib then error("Trace +: calibration factors differ", 3) end
  return add(seis, a, b, nil)
end

-- st:merge([method = 0][, {method, fill_value, interpolation_samples}]):
-- in place, returns st.
function M.merge(seis, st, method, opts)
  local fname = "Stream.merge"
  if type(method) == "table" then method, opts = nil, method end
  opts = util.check_options(opts, {"method", "fill_value", "interpolation_samples"}, fname, 3)
  if method ~= nil and opts.method ~= nil then error(fname .. ": method given twice", 3) end
  method = method or opts.method or 0
  if method ~= 0 then
    error(("%s: only method 0 (ObsPy's default) is implemented, got %s"):format(fname, tostring(method)), 3)
  end
  if (opts.interpolation_samples or 0) ~= 0 then
    error(fname .. ": interpolation_samples is used by method 1 only", 3)
  end
  local fill = opts.fill_value
  if fill ~= nil and type(fill) ~= "number" and fill ~= "latest" and fill ~= "interpolate" then
    error(fname .. ": fill_value must be nil (NaN), a number, 'latest' or 'interpolate', got " .. tostring(fill), 3)
  end
  local traces = rawget(st, "traces")
  -- ObsPy's _merge_checks: one sampling rate, dtype and calib per id
  local seen = {}
  for _, tr in ipairs(traces) do
    local id, s = tr.id, tr.stats
    local f = seen[id]
    if not f then seen[id] = {sr = s.sampling_rate, dtype = tr.data.dtype, calib = s.calib}
    else
      if f.sr ~= s.sampling_rate then error(fname .. ": cannot merge traces with the same id (" .. id .. ") but different sampling rates", 3) end
      if f.dtype ~= tr.data.dtype then error(fname .. ": cannot merge traces with the same id (" .. id .. ") but different data types (" .. f.dtype .. ", " .. tr.data.dtype .. ")", 3) end
      if f.calib ~= s.calib then error(fname .. ": cannot merge traces with the same id (" .. id .. ") but different calibration factors", 3) end
    end
  end
  local order = {}
  for i, tr in ipairs(traces) do order[tr] = i end
  st:sort()
  local groups, ids = {}, {}
  for _, tr in ipairs(traces) do
    if tr.stats.npts > 0 then
      local id = tr.id
      if not groups[id] then groups[id] = {}; ids[#ids + 1] = id end
      local g = groups[id]
      g[#g + 1] = tr
    end
  end
  local out = {}
  for _, id in ipairs(ids) do
    local g = groups[id]
    local cur = g[1]
    for j = 2, #g do cur = add(seis, cur, g[j], fill) end
    out[#out + 1] = cur
  end
  -- ObsPy restores the first order: unchanged traces keep their place,
  -- merged (new) ones go first
  local pos = {}
  for i, tr in ipairs(out) do pos[tr] = {order[tr] or 0, i} end
  table.sort(out, function(x, y)
    local a, b = pos[x], pos[y]
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  rawset(st, "traces", out)
  return st
end

-- st:get_gaps(): a list of gaps (and overlaps, with negative duration) as
-- ObsPy: {network, station, location, channel, starttime, endtime,
-- duration (seconds), samples}.
function M.get_gaps(seis, st)
  local copy = seis.Stream(rawget(st, "traces"))
  copy:sort()
  local traces = rawget(copy, "traces")
  local gaps = {}
  for i = 1, #traces - 1 do
    local a, b = traces[i], traces[i + 1]
    if a.id == b.id and a.stats.sampling_rate == b.stats.sampling_rate then
      local s = a.stats
      local t0, t1 = s.endtime, b.stats.starttime
      local stime, etime = t0, t1
      local delta = (t1.value - t0.value) / 1e9
      if delta > 0 or t1 < t0 then
        local nsamples = round(math.abs(delta) * s.sampling_rate)
        if delta > 0 then nsamples = nsamples - 1 else nsamples = nsamples + 1 end
        if delta < 0 then
          if b.stats.endtime < t0 then etime = b.stats.endtime end
          delta = (etime.value - stime.value) / 1e9
        end
        if delta ~= 0 then
          gaps[#gaps + 1] = util.list{s.network, s.station, s.location, s.channel, stime, etime,
            delta, delta > 0 and nsamples or -nsamples}
        end
      end
    end
  end
  return util.list(gaps)
end

return M
