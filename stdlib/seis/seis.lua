-- seis.lua: the seis module (global `seis`), modelled on ObsPy: seis.read
-- returns a Stream of Traces; a Trace holds `data` (an array) and `stats`
-- (network, station, location, channel, starttime and endtime as
-- pd.Timestamp, sampling_rate, delta, npts, and the format's own header).
-- miniSEED 2 is read by libmseed, SAC binary by kernels/seis/sac.c
-- (stdlib/seis/seis_core.c).
local np = require "geolab.array"
local util = require "geolab.util"
local core = require "geolab.seis_core"

local seis = {}

local function pd() return require "geolab.frame" end

-- {===== Trace

local Trace = {__name = "seis.Trace"}
local Stats = {__name = "seis.Stats"}

local STATS_ORDER = {"network", "station", "location", "channel", "starttime", "endtime",
  "sampling_rate", "delta", "npts", "calib"}

Stats.__index = function(s, k)
  if k == "endtime" then
    local n = rawget(s, "npts")
    return rawget(s, "starttime") + pd().Timedelta(math.floor((n - 1) * 1e9 / rawget(s, "sampling_rate") + 0.5), "ns")
  elseif k == "delta" then return 1 / rawget(s, "sampling_rate")
  elseif k == "npts" then return 0 end
  if type(k) == "string" and k:sub(1, 1) ~= "_" then
    local names = {}
    for _, n in ipairs(STATS_ORDER) do names[n] = true end
    for n in pairs(s) do names[n] = true end
    util.missing(names, "stats", k, 2)
  end
end
Stats.__tostring = function(s)
  local lines = {}
  local function add(k, v) lines[#lines + 1] = ("%16s: %s"):format(k, tostring(v)) end
  for _, k in ipairs(STATS_ORDER) do add(k, s[k]) end
  for _, k in ipairs(util.sorted_keys(s)) do
    local known = false
    for _, o in ipairs(STATS_ORDER) do if o == k then known = true end end
    if not known and k:sub(1, 1) ~= "_" then add(k, type(s[k]) == "table" and "AttribDict(...)" or s[k]) end
  end
  return table.concat(lines, "\n")
end

local function iso(t)
  -- ObsPy prints UTCDateTime as 2010-02-27T06:50:00.069539Z
  local s = tostring(t):gsub(" ", "T")
  if not s:find("%.") then s = s .. ".000000" end
  local frac = s:match("%.(%d+)$")
  if frac and #frac < 6 then s = s .. ("0"):rep(6 - #frac) end
  return s .. "Z"
end

local function make_trace(seg, format)
  local stats = setmetatable({
    network = seg.network or "", station = seg.station or "", location = seg.location or "",
    channel = seg.channel or "", sampling_rate = seg.sampling_rate, calib = 1.0,
    starttime = pd().Timestamp(seg.starttime_ns), npts = seg.data.shape[1],
    _format = format,
  }, Stats)
  if format == "MSEED" then stats.mseed = util.dict{dataquality = seg.quality, encoding = seg.text and "ASCII" or nil} end
  if format == "SAC" then stats.sac = util.dict(seg.sac) end
  return setmetatable({stats = stats, data = seg.data}, Trace)
end

Trace.__index = function(tr, k)
  local m = rawget(Trace, k)
  if m ~= nil then return m end
  if k == "id" then
    local s = tr.stats
    return ("%s.%s.%s.%s"):format(s.network, s.station, s.location, s.channel)
  end
  if type(k) == "string" and k:sub(1, 1) ~= "_" then
    local names = {data = true, stats = true, id = true}
    for n, v in pairs(Trace) do if type(v) == "function" and n:sub(1, 2) ~= "__" then names[n] = true end end
    local near = util.nearest(k, util.sorted_keys(names))
    error(("Trace has no field or method '%s'%s"):format(k, near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
end

Trace.__tostring = function(tr)
  local s = tr.stats
  local npts = tr.data and tr.data.shape[1] or 0
  return ("%s | %s - %s | %s Hz, %d samples"):format(tr.id, iso(s.starttime), iso(s.endtime),
    util.repr(s.sampling_rate), npts)
end
Trace.__len = function(tr) return tr.data.shape[1] end

local function check_trace(tr, fname)
  if getmetatable(tr) ~= Trace then error(fname .. ": call it on a Trace with ':' (tr:" .. fname:match("[%w_]+$") .. "(...))", 3) end
end

-- tr:copy(): a deep copy (data and stats).
function Trace.copy(tr)
  check_trace(tr, "Trace.copy")
  local st = {}
  for k, v in pairs(tr.stats) do st[k] = type(v) == "table" and util.bare(v) == false and v or v end
  local c = setmetatable({stats = setmetatable(st, Stats), data = tr.data:copy()}, Trace)
  c.stats.npts = c.data.shape[1]
  return c
end

-- tr:times(): seconds of each sample from the start (ObsPy's tr.times()).
function Trace.times(tr)
  check_trace(tr, "Trace.times")
  return np.arange(tr.data.shape[1]) / tr.stats.sampling_rate
end

-- Sample index (0-based offset) of time t from the start, rounded as ObsPy's trim.
local function offset_of(tr, t, fname)
  if getmetatable(t) ~= getmetatable(tr.stats.starttime) then
    if type(t) == "string" then t = pd().Timestamp(t)
    else error(fname .. ": times must be pd.Timestamp values or date strings, got " .. type(t), 4) end
  end
  local dns = (t - tr.stats.starttime)
  local secs = dns.value and dns.value / 1e9 or dns:total_seconds()
  return secs * tr.stats.sampling_rate, t
end

-- tr:slice(starttime, endtime): a new Trace sharing no data outside the
-- window; tr:trim(...) does the same in place. Samples on the window's edges
-- are kept when they fall within it (nearest_sample = true, as ObsPy).
local function window(tr, t0, t1, fname)
  local n = tr.data.shape[1]
  local i0, i1 = 0, n - 1
  if t0 ~= nil then i0 = math.max(0, math.floor(offset_of(tr, t0, fname) + 0.5)) end
  if t1 ~= nil then i1 = math.min(n - 1, math.floor(offset_of(tr, t1, fname) + 0.5)) end
  return i0, i1
end

function Trace.slice(tr, t0, t1)
  check_trace(tr, "Trace.slice")
  local i0, i1 = window(tr, t0, t1, "Trace.slice")
  local c = tr:copy()
  if i1 < i0 then c.data = np.array({}, tr.data.dtype)
  else c.data = tr.data[{{i0 + 1, i1 + 1}}]:copy() end
  c.stats.starttime = tr.stats.starttime + pd().Timedelta(math.floor(i0 * 1e9 / tr.stats.sampling_rate + 0.5), "ns")
  c.stats.npts = c.data.shape[1]
  return c
end

function Trace.trim(tr, t0, t1)
  check_trace(tr, "Trace.trim")
  local c = tr:slice(t0, t1)
  tr.data, tr.stats.starttime, tr.stats.npts = c.data, c.stats.starttime, c.stats.npts
  return tr
end
-- }=====

-- {===== Stream

local Stream = {__name = "seis.Stream"}
Stream.__index = function(st, k)
  local m = rawget(Stream, k)
  if m ~= nil then return m end
  if type(k) == "string" and k:sub(1, 1) ~= "_" then
    local names = {traces = true}
    for n, v in pairs(Stream) do if type(v) == "function" and n:sub(1, 2) ~= "__" then names[n] = true end end
    local near = util.nearest(k, util.sorted_keys(names))
    error(("Stream has no field or method '%s'%s"):format(k, near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
end
Stream.__len = function(st) return #st.traces end
Stream.__tostring = function(st)
  local lines = {("%d Trace(s) in Stream:"):format(#st.traces)}
  for _, tr in ipairs(st.traces) do lines[#lines + 1] = tostring(tr) end
  return table.concat(lines, "\n")
end
Stream.__add = function(a, b)
  local out = {}
  for _, tr in ipairs(a.traces) do out[#out + 1] = tr end
  for _, tr in ipairs(b.traces) do out[#out + 1] = tr end
  return seis.Stream(out)
end

-- st[i] is the i-th trace (positions from 1); st.traces the list.
local index_mt = Stream.__index
Stream.__index = function(st, k)
  if math.type(k) == "integer" then
    local tr = st.traces[k < 0 and #st.traces + k + 1 or k]
    if tr == nil then
      if k == 0 then error("Stream: positions count from 1 in geolab (Lua); ObsPy's st[0] is st[1]", 2) end
      error(("Stream: index %d out of range (%d traces)"):format(k, #st.traces), 2)
    end
    return tr
  end
  return index_mt(st, k)
end

function seis.Stream(traces)
  traces = traces or {}
  if type(traces) ~= "table" then error("seis.Stream: traces must be a list of Traces", 2) end
  for i, tr in ipairs(traces) do
    if getmetatable(tr) ~= Trace then error(("seis.Stream: item %d is not a Trace"):format(i), 2) end
  end
  return setmetatable({traces = traces}, Stream)
end

-- st:select{network, station, location, channel, component, sampling_rate}:
-- the traces matching every given code (* and ? wildcards, as ObsPy).
function Stream.select(st, opts)
  if getmetatable(st) ~= Stream then error("Stream.select: call it with ':' (st:select{...})", 2) end
  opts = util.check_options(opts, {"network", "station", "location", "channel", "component", "sampling_rate", "npts", "id"}, "Stream.select", 2)
  local fs_core = require "geolab.fs_core"
  local out = {}
  for _, tr in ipairs(st.traces) do
    local s, ok = tr.stats, true
    for _, k in ipairs{"network", "station", "location", "channel"} do
      if opts[k] ~= nil and not fs_core.fnmatch(tostring(opts[k]):upper(), s[k]:upper()) then ok = false end
    end
    if opts.id ~= nil and not fs_core.fnmatch(opts.id:upper(), tr.id:upper()) then ok = false end
    if opts.component ~= nil and not fs_core.fnmatch(tostring(opts.component):upper(), s.channel:sub(-1):upper()) then ok = false end
    if opts.sampling_rate ~= nil and math.abs(s.sampling_rate - opts.sampling_rate) > 1e-9 * s.sampling_rate then ok = false end
    if opts.npts ~= nil and tr.data.shape[1] ~= opts.npts then ok = false end
    if ok then out[#out + 1] = tr end
  end
  return seis.Stream(out)
end

function Stream.copy(st)
  if getmetatable(st) ~= Stream then error("Stream.copy: call it with ':'", 2) end
  local out = {}
  for i, tr in ipairs(st.traces) do out[i] = tr:copy() end
  return seis.Stream(out)
end
-- }=====

-- {===== reading

-- A SAC file says its size: 632 header bytes and npts float32 samples.
local function looks_like_sac(path)
  local f = io.open(path, "rb")
  if not f then return false end
  local head = f:read(632)
  local size = f:seek("end")
  f:close()
  if not head or #head < 632 then return false end
  for _, fmt in ipairs{"<i4", ">i4"} do
    local nv = string.unpack(fmt, head, 281 + 24)
    local npts = string.unpack(fmt, head, 281 + 36)
    if nv == 6 and npts >= 0 and size == 632 + 4 * npts then return true end
  end
  return false
end

-- seis.read(path[, {format = "MSEED"|"SAC"}]): a Stream of every trace in the
-- file (or in every file a glob pattern matches), format detected from the
-- content unless given.
function seis.read(path, opts)
  local fname = "seis.read"
  if type(path) ~= "string" then error(fname .. ": path must be a string, got " .. type(path), 2) end
  opts = util.check_options(opts, {"format"}, fname, 2)
  local format = opts.format and tostring(opts.format):upper()
  if format == "MINISEED" then format = "MSEED" end
  if format ~= nil and format ~= "MSEED" and format ~= "SAC" then
    error(fname .. ": format must be 'MSEED' or 'SAC', got '" .. tostring(opts.format) .. "'", 2)
  end
  local files = {path}
  if path:find("[%*%?%[]") then
    files = require("geolab.fs").glob(path)
    if #files == 0 then error(fname .. ": no file matches " .. path, 2) end
  end
  local traces = {}
  for _, p in ipairs(files) do
    local f = io.open(p, "rb")
    if not f then error(("%s: %s: no such file"):format(fname, p), 2) end
    local size = f:seek("end")
    f:close()
    if size == 0 then error(("%s: %s: empty file"):format(fname, p), 2) end
    local fmt = format or (looks_like_sac(p) and "SAC" or "MSEED")
    local segs, err
    if fmt == "SAC" then segs, err = core.read_sac(p) else segs, err = core.read_mseed(p) end
    if not segs then error(("%s: %s: %s"):format(fname, p, err), 2) end
    if #segs == 0 then error(("%s: %s: no %s data records found"):format(fname, p, fmt == "MSEED" and "miniSEED" or "SAC"), 2) end
    for _, s in ipairs(segs) do traces[#traces + 1] = make_trace(s, fmt) end
  end
  return seis.Stream(traces)
end
-- }=====

seis.Trace_class, seis.Stream_class = Trace, Stream
return seis
