-- seis.lua: the seis module (global `seis`), modelled on ObsPy: seis.read
-- returns a Stream of Traces; a Trace holds `data` (an array) and `stats`
-- (network, station, location, channel, starttime and endtime as
-- pd.Timestamp, sampling_rate, delta, npts, calib, and the format's own
-- header as stats.mseed / stats.sac). miniSEED 2 is read and written by
-- libmseed, SAC binary by kernels/seis/sac.c (stdlib/seis/seis_core.c,
-- seis_mseed.c); merging is in seis_merge.lua, writing in seis_write.lua.
--
-- Processing methods (detrend, filter, ...) live in seis_process.lua: when
-- that module is built in, it is given the Trace and Stream method tables
-- at the end of this file (install(seis, Trace, Stream)); seis._Trace and
-- seis._Stream hold them too.
local np = require "geolab.array"
local util = require "geolab.util"
local core = require "geolab.seis_core"
local error = util.raise

local seis = {}
local function pd() return require "geolab.frame" end
local function Timestamp_mt() return getmetatable(pd().Timestamp(0)) end

-- {===== times

-- A time argument as nanoseconds since 1970: a pd.Timestamp or a date
-- string. Numbers are refused with ObsPy's habit translated.
local function ns_of(t, fname, what)
  if type(t) == "table" and getmetatable(t) == Timestamp_mt() then return t.value end
  if type(t) == "string" then
    local ok, ts = pcall(pd().Timestamp, t)
    if ok then return ts.value end
    error(("%s: cannot read %s '%s' as a date"):format(fname, what or "time", t), 3)
  end
  if type(t) == "number" then
    error(("%s: %s must be a pd.Timestamp or a date string, got a number (ObsPy's t + 10 is t + pd.Timedelta('10s') here)"):format(fname, what or "time"), 3)
  end
  error(("%s: %s must be a pd.Timestamp or a date string, got %s"):format(fname, what or "time", type(t)), 3)
end

-- ObsPy prints UTCDateTime as 2010-02-27T06:50:00.069539Z (microseconds).
local function iso(ns)
  local us = (ns + 500) // 1000
  local s, frac = us // 1000000, us % 1000000
  return os.date("!%Y-%m-%dT%H:%M:%S", s) .. (".%06dZ"):format(frac)
end
seis._iso = iso

-- Offset in nanoseconds of n samples at rate sr (ObsPy: n * delta seconds).
local function span_ns(n, sr)
  if sr == 0 or n == 0 then return 0 end
  local v = n * (1.0 / sr) * 1e9
  local r = math.tointeger(math.floor(v + 0.5))
  -- pd.Timestamp is int64 nanoseconds (1677-2262); a span past that is no time
  if not r or math.abs(r) > 9.2e18 then
    error(("seis: %d samples at %s Hz span more than pd.Timestamp can hold (1677-2262)"):format(n, util.repr(sr)), 0)
  end
  return r
end

-- Most samples a gap fill or a pad may add: beyond this, times are corrupt
-- or a typo (a pad to 2100), not a gap to fill; ObsPy would try and run out
-- of memory. 10 million samples (80 MB of float64), or 100 times the data.
function seis._max_fill(ndata) return math.max(10000000, 100 * ndata) end
seis._span_ns = span_ns
-- }=====

-- {===== Stats

-- Stats keeps its values in a private table so that every assignment is
-- checked and the derived fields stay derived: delta sets sampling_rate,
-- endtime is starttime + (npts - 1) * delta, npts follows the trace's data.
local Stats = {__name = "seis.Stats"}
local STATS_ORDER = {"network", "station", "location", "channel", "starttime", "endtime",
  "sampling_rate", "delta", "npts", "calib"}
local CODES = {network = true, station = true, location = true, channel = true}

local function stats_get(s, k)
  local d = rawget(s, "_d")
  if k == "starttime" then return pd().Timestamp(d.starttime_ns) end
  if k == "delta" then return d.sampling_rate == 0 and 0.0 or 1.0 / d.sampling_rate end
  if k == "npts" then
    local tr = rawget(s, "_tr")
    local data = tr and rawget(tr, "_data")
    return data and data.shape[1] or d.npts or 0
  end
  if k == "endtime" then
    local n = stats_get(s, "npts")
    return pd().Timestamp(d.starttime_ns + span_ns(math.max(n - 1, 0), d.sampling_rate))
  end
  return d[k]
end

local copy_stats
Stats.__index = function(s, k)
  if k == "copy" then return copy_stats end
  local v = stats_get(s, k)
  if v ~= nil or type(k) ~= "string" or k:sub(1, 1) == "_" then return v end
  local names = {}
  for _, n in ipairs(STATS_ORDER) do names[n] = true end
  for n in pairs(rawget(s, "_d")) do if not n:find("_ns$") then names[n] = true end end
  local near = util.nearest(k, util.sorted_keys(names))
  error(("Stats has no field '%s'%s"):format(k, near and (" (did you mean '" .. near .. "'?)") or ""), 2)
end

Stats.__newindex = function(s, k, v)
  local d = rawget(s, "_d")
  if CODES[k] then
    if type(v) ~= "string" then error(("Stats: %s must be a string, got %s"):format(k, type(v)), 2) end
    d[k] = v
  elseif k == "starttime" then d.starttime_ns = ns_of(v, "Stats", "starttime")
  elseif k == "sampling_rate" or k == "delta" then
    if type(v) ~= "number" or v ~= v or v < 0 or v == math.huge then
      error(("Stats: %s must be a finite number >= 0, got %s"):format(k, tostring(v)), 2)
    end
    if k == "delta" then v = v == 0 and 0.0 or 1.0 / v end
    d.sampling_rate = v + 0.0
  elseif k == "endtime" then
    error("Stats: endtime is derived (starttime + (npts - 1) * delta); set starttime or trim the trace", 2)
  elseif k == "npts" then
    if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) then
      error("Stats: npts must be an integer", 2)
    end
    if rawget(s, "_tr") then error("Stats: npts follows the trace's data (assign tr.data instead)", 2) end
    d.npts = math.tointeger(v)
  elseif k == "calib" then
    if type(v) ~= "number" then error("Stats: calib must be a number", 2) end
    d.calib = v
  else
    d[k] = v
  end
end

Stats.__pairs = function(s)
  local keys = {}
  for _, k in ipairs(STATS_ORDER) do keys[#keys + 1] = k end
  for _, k in ipairs(util.sorted_keys(rawget(s, "_d"))) do
    local known = k == "starttime_ns" or k == "npts"
    for _, o in ipairs(STATS_ORDER) do if o == k then known = true end end
    if not known then keys[#keys + 1] = k end
  end
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, s[k] end
  end, s, nil
end

Stats.__tostring = function(s)
  local lines = {}
  for k, v in pairs(s) do
    if k == "starttime" or k == "endtime" then v = iso(v.value)
    elseif type(v) == "number" or type(v) == "string" then v = type(v) == "number" and util.repr(v) or v
    else v = tostring(v) end
    lines[#lines + 1] = ("%16s: %s"):format(k, v)
  end
  return table.concat(lines, "\n")
end

-- A new Stats from a header table (ObsPy's Trace(header=...) keys).
local function new_stats(header, fname)
  local s = setmetatable({_d = {network = "", station = "", location = "", channel = "",
    starttime_ns = 0, sampling_rate = 1.0, calib = 1.0}}, Stats)
  if header ~= nil then
    if type(header) ~= "table" then error(fname .. ": header must be a table, got " .. type(header), 3) end
    for k, v in pairs(header) do
      if type(k) ~= "string" then error(fname .. ": header keys must be strings", 3) end
      if k ~= "endtime" then
        local ok, e = pcall(Stats.__newindex, s, k, v)
        if not ok then error(fname .. ": " .. tostring(e):gsub("^.-Stats: ", "header "), 3) end
      end
    end
  end
  return s
end

function copy_stats(s)
  local d = {}
  for k, v in pairs(rawget(s, "_d")) do
    if type(v) == "table" and util.bare(v) then
      local c = {}
      for kk, vv in pairs(v) do c[kk] = vv end
      v = setmetatable(c, getmetatable(v))
    end
    d[k] = v
  end
  return setmetatable({_d = d}, Stats)
end
-- }=====

-- {===== Trace

local Trace = {}   -- methods
local Trace_mt = {__name = "seis.Trace"}
seis._Trace, seis._Trace_mt = Trace, Trace_mt

local function is_trace(x) return getmetatable(x) == Trace_mt end
seis._is_trace = is_trace

-- check(x, fname) for a method of one class: called with '.' instead of ':',
-- the error names the method and the right form (level 3: the method's caller)
local function method_check(is_x, class, var)
  return function(x, fname)
    if not is_x(x) then
      error(("%s: call it on a %s with ':' (%s:%s(...))"):format(fname, class, var, fname:match("[%w_]+$")), 3)
    end
  end
end

local check_trace = method_check(is_trace, "Trace", "tr")

-- The data of a trace: a 1-D array (a table of numbers is converted).
local function as_data(x, fname)
  if x == nil then return np.zeros(0) end
  if type(x) == "table" and util.bare(x) then x = util.asarray(x, fname, nil, 3) end
  if getmetatable(x) == nil or type(x) ~= "userdata" or x.ndim == nil then
    error(("%s: data must be a 1-D array, got %s"):format(fname, type(x)), 3)
  end
  if x.ndim ~= 1 then error(("%s: data must be a 1-D array, got %d dimensions"):format(fname, x.ndim), 3) end
  return x
end

Trace_mt.__index = util.member_index(Trace, "Trace", function(tr, k)
  if k == "data" then return rawget(tr, "_data"), true end
  if k == "stats" then return rawget(tr, "_stats"), true end
  if k == "id" then return Trace.get_id(tr), true end
  if k == "meta" then return rawget(tr, "_stats"), true end
end)
Trace_mt.__newindex = function(tr, k, v)
  if k == "data" then rawset(tr, "_data", as_data(v, "Trace.data"))
  elseif k == "stats" then
    if getmetatable(v) ~= Stats then error("Trace.stats: assign a Stats (tr.stats = other.stats:copy()) or set its fields", 2) end
    local s = copy_stats(v)
    rawset(s, "_tr", tr)
    rawset(tr, "_stats", s)
  elseif k == "id" then error("Trace.id is network.station.location.channel: set tr.stats fields instead", 2)
  else rawset(tr, k, v) end   -- other attributes, as on a Python object
end

-- seis.Trace([data][, header]) or seis.Trace{data = ..., header = {...}}:
-- a new trace (ObsPy's Trace(data=np.array([]), header=None)).
local function new_trace(data, stats)
  local tr = setmetatable({_data = data, _stats = stats}, Trace_mt)
  rawset(stats, "_tr", tr)
  rawget(stats, "_d").npts = nil
  return tr
end
seis._new_trace = new_trace

local function Trace_new(_, data, header)
  local fname = "seis.Trace"
  if type(data) == "table" and util.bare(data) and (data.data ~= nil or data.header ~= nil
      or (next(data) ~= nil and data[1] == nil)) then
    if header ~= nil then error(fname .. ": give data and header either as arguments or in one options table", 2) end
    local o = util.check_options(data, {"data", "header"}, fname, 2)
    data, header = o.data, o.header
  end
  local d = as_data(data, fname)
  return new_trace(d, new_stats(header, fname))
end

function Trace.get_id(tr)
  check_trace(tr, "Trace.get_id")
  local d = rawget(rawget(tr, "_stats"), "_d")
  return ("%s.%s.%s.%s"):format(d.network, d.station, d.location, d.channel)
end

-- ObsPy's Trace.__str__: id | start - end | rate Hz, npts samples.
local function trace_str(tr, id_length)
  local s = tr.stats
  local id = tr.id
  if id_length then id = id .. (" "):rep(id_length - #id) end
  local d = rawget(s, "_d")
  local rate
  if d.sampling_rate < 0.1 then rate = ("%.1f s"):format(s.delta)
  else rate = ("%.1f Hz"):format(d.sampling_rate) end
  return ("%s | %s - %s | %s, %d samples"):format(id, iso(d.starttime_ns), iso(s.endtime.value), rate, s.npts)
end
Trace_mt.__tostring = function(tr) return trace_str(tr) end
Trace_mt.__len = function(tr) return rawget(tr, "_data").shape[1] end
Trace_mt.__add = function(a, b)
  if seis._is_stream(a) or seis._is_stream(b) then return seis._stream_add(a, b) end
  return require("geolab.seis_merge").trace_add(seis, a, b)
end

-- tr:copy(): a deep copy (data and stats).
function Trace.copy(tr)
  check_trace(tr, "Trace.copy")
  return new_trace(tr.data:copy(), copy_stats(tr.stats))
end

-- tr:times([type = "relative"]): the time of each sample, seconds from the
-- start ("relative") or POSIX seconds ("timestamp"), as ObsPy's tr.times().
function Trace.times(tr, kind)
  check_trace(tr, "Trace.times")
  if type(kind) == "table" then kind = util.check_options(kind, {"type"}, "Trace.times", 2).type end
  kind = kind or "relative"
  local n, sr = tr.stats.npts, tr.stats.sampling_rate
  local t = np.arange(n) * (sr == 0 and 0 or 1 / sr)
  if kind == "relative" then return t end
  if kind == "timestamp" then return t + tr.stats.starttime.value / 1e9 end
  error(("Trace.times: type must be 'relative' or 'timestamp', got '%s' (for datetimes use pd.date_range or tr.stats.starttime)"):format(tostring(kind)), 2)
end

-- ObsPy rounds sample offsets half away from zero (compatibility.round_away).
local function round_away(x)
  if x >= 0 then return math.floor(x + 0.5) end
  return -math.floor(-x + 0.5)
end

-- Options of trim/slice: positional (t0, t1, pad, nearest_sample, fill_value)
-- as ObsPy, a trailing options table, or one options table.
local function trim_args(fname, t0, t1, ...)
  local opts
  local rest = {...}
  if type(t0) == "table" and util.bare(t0) then
    opts = util.check_options(t0, {"starttime", "endtime", "pad", "nearest_sample", "fill_value"}, fname, 3)
    t0, t1 = opts.starttime, opts.endtime
  elseif type(rest[1]) == "table" and util.bare(rest[1]) then
    opts = util.check_options(rest[1], {"pad", "nearest_sample", "fill_value"}, fname, 3)
  else
    opts = {pad = rest[1], nearest_sample = rest[2], fill_value = rest[3]}
  end
  local pad = opts.pad or false
  local nearest = opts.nearest_sample
  if nearest == nil then nearest = true end
  if type(pad) ~= "boolean" then error(fname .. ": pad must be true or false", 3) end
  if type(nearest) ~= "boolean" then error(fname .. ": nearest_sample must be true or false", 3) end
  local fill = opts.fill_value
  if fill ~= nil and type(fill) ~= "number" then error(fname .. ": fill_value must be a number", 3) end
  local n0 = t0 ~= nil and ns_of(t0, fname, "starttime") or nil
  local n1 = t1 ~= nil and ns_of(t1, fname, "endtime") or nil
  if n0 and n1 and n0 > n1 then error(fname .. ": starttime is after endtime", 3) end
  return n0, n1, pad, nearest, fill
end

-- The pad of k samples: fill_value, or NaN (ObsPy's masked samples; an
-- integer trace becomes float64 to hold them).
local function gap_chunk(k, dtype, fill)
  if fill ~= nil then return np.full(k, fill, dtype) end
  if dtype == "float32" then return np.full(k, 0 / 0, "float32") end
  return np.full(k, 0 / 0)
end
seis._gap_chunk = gap_chunk

-- The parts concatenated into a new array of dtype; with nan (NaN pads
-- among the parts) an integer trace becomes float64.
local function join(parts, dtype, nan)
  local out = {}
  local float = nan and dtype ~= "float32" and dtype ~= "float64"
  for _, p in ipairs(parts) do
    if p.shape[1] > 0 then out[#out + 1] = float and p.dtype ~= "float64" and p:astype("float64") or p end
  end
  if #out == 0 then return np.zeros(0, dtype) end
  local r = #out == 1 and out[1]:copy() or np.concatenate(out)
  if not float and r.dtype ~= dtype then r = r:astype(dtype) end
  return r
end
seis._join = join

-- The trim of ObsPy's _ltrim/_rtrim: the window [t0, t1] in samples,
-- rounded to the nearest sample (or inward with nearest_sample = false),
-- padded with fill_value (NaN by default) when pad is true.
local function do_trim(tr, fname, n0, n1, pad, nearest, fill)
  local s = tr.stats
  local d = rawget(s, "_d")
  local sr = d.sampling_rate
  local data = tr.data
  if sr == 0 then error(fname .. ": the trace has sampling rate 0", 3) end
  local limit = seis._max_fill(data.shape[1])
  local function check_pad(k)
    if k > limit then
      error(("%s: padding %d samples is too many (at most %d here: a start or end far from the data?)"):format(fname, k, limit), 4)
    end
  end
  if n0 then
    local x = (n0 - d.starttime_ns) / 1e9 * sr
    local k = nearest and round_away(x) or math.ceil(x - 1e-7)
    local n = data.shape[1]
    if k > 0 or pad then d.starttime_ns = d.starttime_ns + span_ns(k, sr) end
    if k < 0 and pad then check_pad(-k) end
    if k < 0 and pad then data = join({gap_chunk(-k, data.dtype, fill), data}, data.dtype, fill == nil)
    elseif k > 0 then
      data = k >= n and np.zeros(0, data.dtype) or data[{{k + 1, n}}]
    end
  end
  if n1 then
    local n = data.shape[1]
    local x = (n1 - d.starttime_ns) / 1e9 * sr
    local k = (nearest and round_away(x) or math.floor(x + 1e-7)) - n + 1
    if k > 0 and pad then check_pad(k) end
    if k > 0 and pad then data = join({data, gap_chunk(k, data.dtype, fill)}, data.dtype, fill == nil)
    elseif k < 0 then
      data = n + k < 1 and np.zeros(0, data.dtype) or data[{{1, n + k}}]
    end
  end
  rawset(tr, "_data", data)
  return tr
end

-- tr:trim([starttime][, endtime][, pad, nearest_sample, fill_value]): cuts
-- the trace to the window in place and returns it (ObsPy's Trace.trim).
function Trace.trim(tr, ...)
  check_trace(tr, "Trace.trim")
  return do_trim(tr, "Trace.trim", trim_args("Trace.trim", ...))
end

-- tr:slice([starttime][, endtime][, {nearest_sample}]): a new Trace on the
-- window, sharing the data (a view, as ObsPy's slice).
function Trace.slice(tr, t0, t1, opts)
  check_trace(tr, "Trace.slice")
  if type(opts) == "table" then opts = util.check_options(opts, {"nearest_sample"}, "Trace.slice", 2) end
  local n0, n1, _, nearest = trim_args("Trace.slice", t0, t1, opts)
  local c = new_trace(tr.data, copy_stats(tr.stats))
  return do_trim(c, "Trace.slice", n0, n1, false, nearest, nil)
end

-- tr:write(path[, format][, opts]): a one-trace Stream written (st:write).
function Trace.write(tr, ...)
  check_trace(tr, "Trace.write")
  return require("geolab.seis_write").write(seis.Stream{tr}, "Trace.write", ...)
end

-- tr:max(): the value of largest magnitude, with its sign (ObsPy's tr.max()).
function Trace.max(tr)
  check_trace(tr, "Trace.max")
  if tr.stats.npts == 0 then error("Trace.max: the trace is empty", 2) end
  local hi, lo = tr.data:max(), tr.data:min()
  return math.abs(lo) > math.abs(hi) and lo or hi
end
-- }=====

-- {===== Stream

local Stream = {}
local Stream_mt = {__name = "seis.Stream"}
seis._Stream, seis._Stream_mt = Stream, Stream_mt
local function is_stream(x) return getmetatable(x) == Stream_mt end
seis._is_stream = is_stream

local check_stream = method_check(is_stream, "Stream", "st")

local member = util.member_index(Stream, "Stream")
Stream_mt.__index = function(st, k)
  if math.type(k) == "integer" then
    local traces = rawget(st, "traces")
    if k == 0 then error("Stream: positions count from 1 in geolab (Lua); ObsPy's st[0] is st[1]", 2) end
    return traces[k < 0 and #traces + k + 1 or k]   -- nil past the end, so ipairs(st) works
  end
  return member(st, k)
end
Stream_mt.__newindex = function(st, k, v)
  if math.type(k) == "integer" then
    if not is_trace(v) then error("Stream: only Traces can be stored in a Stream", 2) end
    local traces = rawget(st, "traces")
    if k < 1 or k > #traces + 1 then error(("Stream: position %d out of range (%d traces)"):format(k, #traces), 2) end
    traces[k] = v
    return
  end
  error(("Stream: cannot set field '%s' (traces are in st.traces)"):format(tostring(k)), 2)
end
Stream_mt.__len = function(st) return #rawget(st, "traces") end

-- ObsPy's Stream.__str__: ids padded to the longest; past 20 traces the
-- first and last only.
local function stream_str(st, extended)
  local traces = rawget(st, "traces")
  local out = {("%d Trace(s) in Stream:"):format(#traces)}
  if #traces <= 20 or extended then
    local w = 0
    for _, tr in ipairs(traces) do w = math.max(w, #tr.id) end
    for _, tr in ipairs(traces) do out[#out + 1] = trace_str(tr, w) end
    return table.concat(out, "\n")
  end
  return out[1] .. "\n\n" .. trace_str(traces[1]) .. "\n...\n" .. ("(%d other traces)"):format(#traces - 2)
    .. "\n...\n" .. trace_str(traces[#traces]) .. '\n\n[Use "print(st:__str__(true))" to print all Traces]'
end
Stream_mt.__tostring = function(st) return stream_str(st) end
function Stream.__str__(st, extended)
  check_stream(st, "Stream.__str__")
  return stream_str(st, extended)
end

local function traces_of(x, fname)
  if is_stream(x) then return rawget(x, "traces") end
  if is_trace(x) then return {x} end
  error(fname .. ": expected a Stream or a Trace, got " .. (getmetatable(x) and tostring(getmetatable(x).__name) or type(x)), 3)
end

function seis._stream_add(a, b)
  local out = {}
  for _, tr in ipairs(traces_of(a, "Stream +")) do out[#out + 1] = tr end
  for _, tr in ipairs(traces_of(b, "Stream +")) do out[#out + 1] = tr end
  return setmetatable({traces = out}, Stream_mt)
end
Stream_mt.__add = seis._stream_add

-- seis.Stream([traces]): a Stream of the given Traces (ObsPy's Stream(traces=...)).
local function Stream_new(_, traces)
  if type(traces) == "table" and util.bare(traces) and traces.traces ~= nil then
    traces = util.check_options(traces, {"traces"}, "seis.Stream", 2).traces
  end
  if is_trace(traces) then traces = {traces} end
  traces = traces or {}
  if type(traces) ~= "table" or not util.bare(traces) then
    error("seis.Stream: traces must be a list of Traces, got " .. type(traces), 2)
  end
  local list = {}
  for i, tr in ipairs(traces) do
    if not is_trace(tr) then error(("seis.Stream: item %d is not a Trace"):format(i), 2) end
    list[i] = tr
  end
  return setmetatable({traces = list}, Stream_mt)
end

function Stream.append(st, tr)
  check_stream(st, "Stream.append")
  if not is_trace(tr) then error("Stream.append: expected a Trace, got " .. type(tr), 2) end
  local t = rawget(st, "traces")
  t[#t + 1] = tr
  return st
end

function Stream.extend(st, other)
  check_stream(st, "Stream.extend")
  local add
  if is_stream(other) then add = rawget(other, "traces")
  elseif type(other) == "table" and util.bare(other) then add = other
  else error("Stream.extend: expected a Stream or a list of Traces, got " .. type(other), 2) end
  local t = rawget(st, "traces")
  for i, tr in ipairs(add) do
    if not is_trace(tr) then error(("Stream.extend: item %d is not a Trace"):format(i), 2) end
    t[#t + 1] = tr
  end
  return st
end

-- st:select{network, station, location, channel, component, id,
-- sampling_rate, npts}: the traces matching every given code (* ? [..]
-- wildcards, case-insensitive, as ObsPy); the traces themselves, not copies.
function Stream.select(st, opts)
  check_stream(st, "Stream.select")
  opts = util.check_options(opts, {"network", "station", "location", "channel", "component", "id",
    "sampling_rate", "npts"}, "Stream.select", 2)
  local fs_core = require "geolab.fs_core"
  for _, k in ipairs{"network", "station", "location", "channel", "component", "id"} do
    if opts[k] ~= nil and type(opts[k]) ~= "string" then
      error(("Stream.select: %s must be a string pattern, got %s"):format(k, type(opts[k])), 2)
    end
  end
  if opts.component and #opts.component > 1 and not opts.component:find("[%*%?%[]") then
    error("Stream.select: component is one character (the last of the channel code)", 2)
  end
  local out = {}
  for _, tr in ipairs(rawget(st, "traces")) do
    local s, ok = rawget(tr.stats, "_d"), true
    for _, k in ipairs{"network", "station", "location", "channel"} do
      if opts[k] ~= nil and not fs_core.fnmatch(opts[k]:upper(), s[k]:upper()) then ok = false end
    end
    if opts.id ~= nil and not fs_core.fnmatch(opts.id:upper(), tr.id:upper()) then ok = false end
    if opts.component ~= nil and not fs_core.fnmatch(opts.component:upper(), s.channel:sub(-1):upper()) then ok = false end
    if opts.sampling_rate ~= nil and math.abs(s.sampling_rate - opts.sampling_rate) > 1e-9 * math.abs(opts.sampling_rate) then ok = false end
    if opts.npts ~= nil and tr.stats.npts ~= opts.npts then ok = false end
    if ok then out[#out + 1] = tr end
  end
  return setmetatable({traces = out}, Stream_mt)
end

function Stream.copy(st)
  check_stream(st, "Stream.copy")
  local out = {}
  for i, tr in ipairs(rawget(st, "traces")) do out[i] = tr:copy() end
  return setmetatable({traces = out}, Stream_mt)
end

-- st:sort([keys]): in place by network, station, location, channel,
-- starttime, endtime (ObsPy's default keys), stable.
function Stream.sort(st, keys, reverse)
  check_stream(st, "Stream.sort")
  if type(keys) == "table" and util.bare(keys) and keys[1] == nil and next(keys) ~= nil then
    local o = util.check_options(keys, {"keys", "reverse"}, "Stream.sort", 2)
    keys, reverse = o.keys, o.reverse
  end
  if keys ~= nil and (type(keys) ~= "table" or not util.bare(keys)) then
    error("Stream.sort: keys must be a list of stats names, got " .. type(keys), 2)
  end
  if reverse ~= nil and type(reverse) ~= "boolean" then error("Stream.sort: reverse must be true or false", 2) end
  keys = keys or {"network", "station", "location", "channel", "starttime", "endtime"}
  local valid = {network = true, station = true, location = true, channel = true, starttime = true,
    endtime = true, sampling_rate = true, delta = true, npts = true, calib = true}
  for _, k in ipairs(keys) do
    if not valid[k] then error(("Stream.sort: cannot sort by '%s'"):format(tostring(k)), 2) end
  end
  local t = rawget(st, "traces")
  local idx = {}
  for i = 1, #t do idx[i] = i end
  local function key(tr, k)
    local v = tr.stats[k]
    if type(v) == "table" then return v.value end
    return v
  end
  table.sort(idx, function(a, b)
    for _, k in ipairs(keys) do
      local x, y = key(t[a], k), key(t[b], k)
      if x ~= y then if reverse then return x > y end return x < y end
    end
    return a < b
  end)
  local sorted = {}
  for i, j in ipairs(idx) do sorted[i] = t[j] end
  for i = 1, #t do t[i] = sorted[i] end
  return st
end

function Stream.trim(st, ...)
  check_stream(st, "Stream.trim")
  local n0, n1, pad, nearest, fill = trim_args("Stream.trim", ...)
  for _, tr in ipairs(rawget(st, "traces")) do do_trim(tr, "Stream.trim", n0, n1, pad, nearest, fill) end
  -- ObsPy drops the traces left empty
  local keep = {}
  for _, tr in ipairs(rawget(st, "traces")) do if tr.stats.npts > 0 then keep[#keep + 1] = tr end end
  rawset(st, "traces", keep)
  return st
end

function Stream.slice(st, t0, t1, opts)
  check_stream(st, "Stream.slice")
  local out = {}
  for _, tr in ipairs(rawget(st, "traces")) do
    local c = tr:slice(t0, t1, opts)
    if c.stats.npts > 0 then out[#out + 1] = c end
  end
  return setmetatable({traces = out}, Stream_mt)
end

function Stream.merge(st, ...)
  check_stream(st, "Stream.merge")
  return require("geolab.seis_merge").merge(seis, st, ...)
end

function Stream.write(st, ...)
  check_stream(st, "Stream.write")
  return require("geolab.seis_write").write(st, "Stream.write", ...)
end

function Stream.get_gaps(st, ...)
  check_stream(st, "Stream.get_gaps")
  return require("geolab.seis_merge").get_gaps(seis, st, ...)
end
-- }=====

-- {===== reading

local function file_head(path, n)
  local f = io.open(path, "rb")
  if not f then return nil end
  local head = f:read(n) or ""
  local size = f:seek("end")
  f:close()
  return head, size
end

-- A SAC file says its size: 632 header bytes and npts float32 samples.
local function looks_like_sac(head, size)
  if #head < 632 then return false end
  for _, fmt in ipairs{"<i4", ">i4"} do
    local nv = string.unpack(fmt, head, 281 + 24)
    local npts = string.unpack(fmt, head, 281 + 36)
    if nv == 6 and npts >= 0 and size == 632 + 4 * npts then return true end
  end
  return false
end

local FORMATS = {MSEED = "MSEED", MINISEED = "MSEED", SAC = "SAC"}

-- seis.read(path[, format][, {format, headonly, starttime, endtime}]):
-- a Stream of every trace in the file, or in every file a glob pattern
-- matches (sorted by name), the format detected from the content.
local function read_one(p, format, fname)
  local head, size = file_head(p, 632)
  if not head then
    local f, why = io.open(p, "rb")
    if f then f:close() end
    error(("%s: %s: %s"):format(fname, p, why and why:gsub("^[^:]*: ", "") or "cannot open"), 3)
  end
  if size == 0 then error(("%s: %s: empty file"):format(fname, p), 3) end
  local fmt = format
  if not fmt then
    if head:sub(1, 2) == "MS" and head:byte(3) == 3 then
      error(("%s: %s: miniSEED 3 is not supported (Debian's libmseed 2.19 reads miniSEED 2 only)"):format(fname, p), 3)
    end
    fmt = looks_like_sac(head, size) and "SAC" or "MSEED"
  end
  local segs, err
  if fmt == "SAC" then segs, err = core.read_sac(p) else segs, err = core.read_mseed(p) end
  -- a gzipped file (inflated by the readers) shows its format only inside
  if not segs and not format and head:sub(1, 2) == "\31\139" then
    local s2, e2 = core.read_sac(p)
    if s2 then segs, err, fmt = s2, e2, "SAC" end
  end
  if not segs then
    if fmt == "MSEED" and head:sub(1, 2) == "MS" and head:byte(3) == 3 then
      err = "miniSEED 3 is not supported (Debian's libmseed 2.19 reads miniSEED 2 only)"
    elseif fmt == "MSEED" and not format and head:match("^%s*[%-%d%.]+%s") then
      err = err .. "; alphanumeric SAC is not read, only binary SAC"
    end
    error(("%s: %s: %s"):format(fname, p, err), 3)
  end
  if err then io.stderr:write(("%s: warning: %s: %s\n"):format(fname, p, err)) end
  if #segs == 0 then error(("%s: %s: no %s data found"):format(fname, p, fmt == "MSEED" and "miniSEED" or "SAC"), 3) end
  local out = {}
  for _, seg in ipairs(segs) do
    local st = new_stats({network = seg.network, station = seg.station, location = seg.location,
      channel = seg.channel, sampling_rate = seg.sampling_rate}, fname)
    local d = rawget(st, "_d")
    d.starttime_ns = seg.starttime_ns
    d._format = fmt
    if fmt == "MSEED" then
      d.mseed = util.dict{dataquality = seg.quality, encoding = seg.encoding, byteorder = seg.byteorder,
        record_length = seg.record_length, number_of_records = seg.number_of_records, filesize = size}
    else
      d.sac = util.dict(seg.sac)
    end
    local ok, e = pcall(span_ns, seg.data.shape[1], seg.sampling_rate)
    if not ok then error(("%s: %s: %s"):format(fname, p, tostring(e):gsub("^seis: ", "")), 3) end
    if math.abs(seg.starttime_ns + e) > 9.2e18 then
      error(("%s: %s: the trace ends past 2262, the range of pd.Timestamp"):format(fname, p), 3)
    end
    out[#out + 1] = new_trace(seg.data, st)
  end
  return out
end

function seis.read(path, format, opts)
  local fname = "seis.read"
  if type(format) == "table" and opts == nil then format, opts = nil, format end
  if type(path) ~= "string" then error(fname .. ": path must be a string, got " .. type(path), 2) end
  opts = util.check_options(opts, {"format", "starttime", "endtime", "nearest_sample", "pad", "fill_value"}, fname, 2)
  if format ~= nil and opts.format ~= nil then error(fname .. ": format given twice", 2) end
  format = format or opts.format
  if format ~= nil then
    if type(format) ~= "string" then error(fname .. ": format must be a string, got " .. type(format), 2) end
    local f = FORMATS[format:upper()]
    if not f then
      local near = util.nearest(format:upper(), {"MSEED", "SAC"})
      error(("%s: unknown format '%s' (%s'MSEED' and 'SAC' are read)"):format(fname, format,
        near and ("did you mean '" .. near .. "'? ") or ""), 2)
    end
    format = f
  end
  local files = {path}
  if path:find("[%*%?%[]") then
    files = require("geolab.fs").glob(path)
    if #files == 0 then error(fname .. ": no file matches " .. path, 2) end
  end
  local traces = {}
  for _, p in ipairs(files) do
    for _, tr in ipairs(read_one(p, format, fname)) do traces[#traces + 1] = tr end
  end
  local st = setmetatable({traces = traces}, Stream_mt)
  if opts.starttime ~= nil or opts.endtime ~= nil then
    st:trim(opts.starttime, opts.endtime, {pad = opts.pad, nearest_sample = opts.nearest_sample, fill_value = opts.fill_value})
  end
  return st
end
-- }=====

-- __methods: help() and tests/core/arg_fuzz.lua walk the methods too
seis.Trace = setmetatable({}, {__call = Trace_new, __name = "seis.Trace", __index = Trace, __methods = Trace})
seis.Stream = setmetatable({}, {__call = Stream_new, __name = "seis.Stream", __index = Stream, __methods = Stream})
seis.Stats = setmetatable({}, {__call = function(_, header) return new_stats(header, "seis.Stats") end,
  __name = "seis.Stats"})

function seis.write(st, ...)
  if is_trace(st) then st = Stream_new(nil, {st}) end
  if not is_stream(st) then error("seis.write: expected a Stream or a Trace, got " .. type(st), 2) end
  return require("geolab.seis_write").write(st, "seis.write", ...)
end

-- seis.PhaseNet: the pretrained picker (seis_phasenet.lua), loaded on first
-- use so that `seis` does not pull in nn.
seis.PhaseNet = {
  pretrained = function(...) return require("geolab.seis_phasenet").pretrained(...) end,
}

if package.preload["geolab.seis_process"] then
  require("geolab.seis_process").install(seis, Trace, Stream)
end
if package.preload["geolab.seis_picktrain"] then
  require("geolab.seis_picktrain").install(seis)
end
return seis
