-- seis_write.lua: st:write / tr:write / seis.write (geolab.seis_write), as
-- ObsPy's Stream.write(filename, format, **kwargs): miniSEED 2 through
-- libmseed (msr_pack) and SAC binary. Files are replaced only once complete
-- (gl_afile: temporary + fsync + rename, docs/dev/guarantees.md).
local np = require "geolab.array"
local util = require "geolab.util"
local core = require "geolab.seis_core"
local error = util.raise
local M = {}

-- ObsPy's encodings: name -> {code, dtype the data must have}
local ENC = {STEIM1 = "int32", STEIM2 = "int32", INT32 = "int32", INT16 = "int32",
  FLOAT32 = "float32", FLOAT64 = "float64", ASCII = "uint8"}
local ENC_CODE = {[0] = "ASCII", [1] = "INT16", [3] = "INT32", [4] = "FLOAT32", [5] = "FLOAT64",
  [10] = "STEIM1", [11] = "STEIM2"}
-- ObsPy's choice by dtype when no encoding is given
local BY_DTYPE = {int32 = "STEIM2", float32 = "FLOAT32", float64 = "FLOAT64", uint8 = "ASCII"}

local function contiguous(a)
  if a.shape[1] > 1 and a.strides[1] ~= a.itemsize then return a:copy() end
  return a
end

local function byteorder_of(v, fname, default)
  if v == nil then return default end
  if v == ">" or v == 1 or v == "big" or v == "BIG" then return true end
  if v == "<" or v == 0 or v == "little" or v == "LITTLE" then return false end
  if v == "=" then return string.pack("=i4", 1):byte(1) == 0 end
  error(("%s: byteorder must be '>', '<', '=', 'big', 'little', 0 or 1, got %s"):format(fname, tostring(v)), 4)
end

local function guess_format(path)
  local ext = path:match("%.([%w]+)$")
  ext = ext and ext:lower()
  if ext == "mseed" or ext == "miniseed" or ext == "ms" then return "MSEED" end
  if ext == "sac" then return "SAC" end
  return nil
end

-- {===== miniSEED

local LIMITS = {network = 2, station = 5, location = 2, channel = 3}

local function mseed_traces(traces, fname, opts)
  local enc_opt = opts.encoding
  if enc_opt ~= nil then
    if math.type(enc_opt) == "integer" then enc_opt = ENC_CODE[enc_opt] or enc_opt end
    if type(enc_opt) ~= "string" or not ENC[enc_opt:upper()] then
      local near = type(enc_opt) == "string" and util.nearest(enc_opt:upper(), util.sorted_keys(ENC))
      error(("%s: unknown encoding '%s'%s (STEIM1, STEIM2, INT16, INT32, FLOAT32, FLOAT64, ASCII)"):format(fname,
        tostring(opts.encoding), near and (" (did you mean '" .. near .. "'?)") or ""), 4)
    end
    enc_opt = enc_opt:upper()
  end
  local groups, order = {}, {}
  for i, tr in ipairs(traces) do
    local s = tr.stats
    for k, n in pairs(LIMITS) do
      if #s[k] > n then
        error(("%s: trace %d: %s code '%s' is longer than miniSEED 2 allows (%d characters)"):format(fname, i, k, s[k], n), 4)
      end
    end
    local data = tr.data
    if data.dtype == "int64" then
      if data.shape[1] > 0 and (data:min() < -2147483648 or data:max() > 2147483647) then
        error(("%s: trace %d: int64 data outside the int32 range cannot be written to miniSEED"):format(fname, i), 4)
      end
      data = data:astype("int32")
    end
    if (data.dtype == "float32" or data.dtype == "float64") and data:isnan():any() then
      error(("%s: trace %d holds NaN (the gaps of st:merge()?): miniSEED has no missing values; merge with a fill_value or write the traces unmerged (ObsPy refuses masked arrays alike)"):format(fname, i), 4)
    end
    local enc = enc_opt
    if not enc then
      local m = rawget(rawget(s, "_d"), "mseed")
      local se = m and m.encoding
      if se and ENC[se] == data.dtype then enc = se
      else
        enc = BY_DTYPE[data.dtype]
        if se and enc and ENC[se] then
          io.stderr:write(("%s: warning: trace %d: stats.mseed.encoding %s does not match its %s data; writing %s\n")
            :format(fname, i, se, data.dtype, enc))
        end
      end
      if not enc then
        error(("%s: trace %d: %s data cannot be written to miniSEED (int32, float32, float64 or uint8 text)"):format(fname, i, data.dtype), 4)
      end
    end
    if ENC[enc] ~= data.dtype then
      error(("%s: trace %d has %s data, encoding %s needs %s (convert with tr.data = tr.data:astype('%s'), or choose another encoding)")
        :format(fname, i, data.dtype, enc, ENC[enc], ENC[enc]), 4)
    end
    if enc == "INT16" and data.shape[1] > 0 and (data:min() < -32768 or data:max() > 32767) then
      error(("%s: trace %d: values outside -32768..32767 cannot be written as INT16"):format(fname, i), 4)
    end
    if data.shape[1] > 0 then
      if not groups[enc] then groups[enc] = {}; order[#order + 1] = enc end
      local m = rawget(rawget(s, "_d"), "mseed")
      local g = groups[enc]
      g[#g + 1] = {network = s.network, station = s.station, location = s.location, channel = s.channel,
        quality = m and m.dataquality or "D", starttime_ns = s.starttime.value,
        sampling_rate = s.sampling_rate, data = contiguous(data)}
    end
  end
  return groups, order
end

local function write_mseed(traces, path, fname, opts)
  opts = util.check_options(opts, {"format", "encoding", "reclen", "byteorder"}, fname, 4)
  local reclen = opts.reclen or 4096
  if math.type(reclen) ~= "integer" or reclen < 128 or reclen > 1048576 or reclen & (reclen - 1) ~= 0 then
    error(("%s: reclen must be a power of 2 from 128 to 1048576, got %s"):format(fname, tostring(opts.reclen)), 4)
  end
  local big = byteorder_of(opts.byteorder, fname, true)
  local groups, order = mseed_traces(traces, fname, opts)
  if #order == 0 then error(fname .. ": nothing to write (every trace is empty)", 4) end
  local list = {}   -- one file: the groups one after the other, in order of first use
  for _, e in ipairs(order) do for _, t in ipairs(groups[e]) do t.encoding = e; list[#list + 1] = t end end
  local ok, err = core.write_mseed(path, list, reclen, big)
  if not ok then error(("%s: %s (%s)"):format(fname, err, path), 4) end
end
-- }=====

-- {===== SAC

-- SAC header slots (0-based, SAC's order) of the fields stats.sac may carry.
local SAC_F = {delta = 0, depmin = 1, depmax = 2, scale = 3, odelta = 4, b = 5, e = 6, o = 7, a = 8,
  t0 = 10, t1 = 11, t2 = 12, t3 = 13, t4 = 14, t5 = 15, t6 = 16, t7 = 17, t8 = 18, t9 = 19, f = 20,
  stla = 31, stlo = 32, stel = 33, stdp = 34, evla = 35, evlo = 36, evel = 37, evdp = 38, mag = 39,
  user0 = 40, user1 = 41, user2 = 42, user3 = 43, user4 = 44, user5 = 45, user6 = 46, user7 = 47,
  user8 = 48, user9 = 49, dist = 50, az = 51, baz = 52, gcarc = 53, depmen = 56, cmpaz = 57, cmpinc = 58}
local SAC_I = {nzyear = 0, nzjday = 1, nzhour = 2, nzmin = 3, nzsec = 4, nzmsec = 5, nvhdr = 6, npts = 9,
  iftype = 15, idep = 16, iztype = 17, ievtyp = 22, leven = 35, lpspol = 36, lovrok = 37, lcalda = 38}

-- Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end

local function sac_header(tr, fname, i, big)
  local s = tr.stats
  local sac = rawget(rawget(s, "_d"), "sac") or {}
  local f, n = {}, {}
  for j = 1, 70 do f[j] = -12345.0 end
  for j = 1, 40 do n[j] = -12345 end
  for k, j in pairs(SAC_F) do if type(sac[k]) == "number" then f[j + 1] = sac[k] end end
  for k, j in pairs(SAC_I) do if math.type(sac[k]) == "integer" then n[j + 1] = sac[k] end end
  local start = s.starttime.value
  local ref
  if math.type(sac.nzyear) == "integer" and math.type(sac.nzjday) == "integer" then
    -- keep the file's reference time: picks and origin stay relative to it
    local days = days_from_civil(sac.nzyear, 1, 1) + sac.nzjday - 1
    ref = ((days * 86400 + (sac.nzhour or 0) * 3600 + (sac.nzmin or 0) * 60 + (sac.nzsec or 0)) * 1000
      + (sac.nzmsec or 0)) * 1000000
  else
    ref = start // 1000000 * 1000000            -- the start, to the millisecond
    local t = os.date("!*t", ref // 1000000000)
    n[1], n[2], n[3], n[4], n[5], n[6] = t.year, t.yday, t.hour, t.min, t.sec, ref // 1000000 % 1000
    n[SAC_I.iztype + 1] = 9                      -- IB: the reference is the start
  end
  local npts = s.npts
  f[1] = s.delta
  f[SAC_F.b + 1] = (start - ref) / 1e9
  f[SAC_F.e + 1] = f[SAC_F.b + 1] + (npts > 0 and (npts - 1) or 0) * s.delta
  local data = tr.data
  if npts > 0 then
    local d = data:astype("float64")
    f[SAC_F.depmin + 1], f[SAC_F.depmax + 1], f[SAC_F.depmen + 1] = d:min(), d:max(), d:mean()
  end
  n[SAC_I.nvhdr + 1], n[SAC_I.npts + 1], n[SAC_I.iftype + 1], n[SAC_I.leven + 1] = 6, npts, 1, 1
  if n[SAC_I.lovrok + 1] == -12345 then n[SAC_I.lovrok + 1] = 1 end
  for _, k in ipairs{"lpspol", "lcalda"} do if n[SAC_I[k] + 1] == -12345 then n[SAC_I[k] + 1] = 0 end end
  local k = {}
  for j = 1, 23 do k[j] = "-12345" end
  local function put(j, v, width, what)
    if v == nil or v == "" then return end
    if #v > width then
      error(("%s: trace %d: %s '%s' is longer than SAC allows (%d characters)"):format(fname, i, what, v, width), 5)
    end
    k[j] = v
  end
  put(1, s.station, 8, "station code")
  put(2, sac.kevnm, 16, "kevnm")
  put(3, s.location, 8, "location code")
  put(20, s.channel, 8, "channel code")
  put(21, s.network, 8, "network code")
  local e = big and ">" or "<"
  local parts = {string.pack(e .. ("f"):rep(70), table.unpack(f)), string.pack(e .. ("i4"):rep(40), table.unpack(n))}
  for j = 1, 23 do
    local w = j == 2 and 16 or 8
    parts[#parts + 1] = k[j] .. (" "):rep(w - #k[j])
  end
  return table.concat(parts)
end

local function write_sac(traces, path, fname, opts)
  opts = util.check_options(opts, {"format", "byteorder"}, fname, 4)
  local big = byteorder_of(opts.byteorder, fname, false)
  local base, ext = path:match("^(.-)(%.[^%./]*)$")
  if not base then base, ext = path, "" end
  for i, tr in ipairs(traces) do
    local data = tr.data
    if data.dtype ~= "float32" and data.dtype ~= "float64" and data.dtype ~= "int32" and data.dtype ~= "int64" then
      error(("%s: trace %d: %s data cannot be written to SAC (numbers only)"):format(fname, i, data.dtype), 4)
    end
    if tr.stats.sampling_rate == 0 then error(("%s: trace %d has sampling rate 0: SAC needs a delta"):format(fname, i), 4) end
    local head = sac_header(tr, fname, i, big)
    -- ObsPy writes one file per trace, numbered when there are several
    local p = #traces == 1 and path or ("%s%02d%s"):format(base, i, ext)
    local ok, err = core.write_sac(p, head, contiguous(data.dtype == "float32" and data or data:astype("float32")), big)
    if not ok then error(("%s: %s (%s)"):format(fname, err, p), 4) end
  end
end
-- }=====

-- write(st, fname, path[, format][, opts])
function M.write(st, fname, path, format, opts)
  if type(format) == "table" and opts == nil then format, opts = nil, format end
  if type(path) ~= "string" then error(("%s: path must be a string, got %s"):format(fname, type(path)), 3) end
  if opts ~= nil and type(opts) ~= "table" then error(("%s: options must be a table, got %s"):format(fname, type(opts)), 3) end
  opts = opts or {}
  if format ~= nil and opts.format ~= nil then error(fname .. ": format given twice", 3) end
  format = format or opts.format
  if format == nil then
    format = guess_format(path)
    if not format then
      error(("%s: cannot tell the format from the name '%s': give format = 'MSEED' or 'SAC'"):format(fname, path), 3)
    end
  end
  if type(format) ~= "string" then error(("%s: format must be a string, got %s"):format(fname, type(format)), 3) end
  local f = format:upper()
  if f == "MINISEED" then f = "MSEED" end
  local traces = rawget(st, "traces")
  if #traces == 0 then error(fname .. ": nothing to write (the Stream is empty)", 3) end
  if f == "MSEED" then write_mseed(traces, path, fname, opts)
  elseif f == "SAC" then write_sac(traces, path, fname, opts)
  else
    local near = util.nearest(f, {"MSEED", "SAC"})
    error(("%s: unknown format '%s' (%s'MSEED' and 'SAC' are written)"):format(fname, format,
      near and ("did you mean '" .. near .. "'? ") or ""), 3)
  end
end

return M
