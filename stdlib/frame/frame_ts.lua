-- frame_ts.lua: time series on a datetime index: frequency strings,
-- Timedelta/Timestamp, to_datetime, date_range, resample, interpolate,
-- reindex, asfreq, rolling windows and label/position selection (loc, iloc).
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local util = require "geolab.util"
local bare = util.bare  -- data table, not an object (printable lists count)

local T = {}
local NAT = C.NAT
local NS = { ns = 1, us = 1000, ms = 1000000, s = 1000000000 }
NS.min = 60 * NS.s; NS.h = 60 * NS.min; NS.D = 24 * NS.h; NS.W = 7 * NS.D
local unit_alias = {
  n = "ns", ns = "ns", nanosecond = "ns", nanoseconds = "ns", N = "ns",
  us = "us", microsecond = "us", microseconds = "us", U = "us",
  ms = "ms", millisecond = "ms", milliseconds = "ms", L = "ms",
  s = "s", S = "s", sec = "s", second = "s", seconds = "s",
  min = "min", T = "min", minute = "min", minutes = "min", m = "min",
  h = "h", H = "h", hour = "h", hours = "h",
  d = "D", D = "D", day = "D", days = "D",
  w = "W", W = "W", week = "W", weeks = "W",
}
T.NS = NS
-- Nanoseconds in one `unit` ("s", "ms", "min", "D"...), or nil.
function T.unit_ns(unit) return type(unit) == "string" and unit_alias[unit] and NS[unit_alias[unit]] or nil end

-- "5min" -> 5 * 60e9 (fixed durations only).
function T.parse_timedelta(x, fname)
  if type(x) == "table" and x.value then return x.value end
  if math.type(x) == "integer" then return x end
  if type(x) ~= "string" then error((fname or "Timedelta") .. ": expected a duration string like '5min'", 3) end
  local total, any = 0, false
  local s = x:gsub("%s+", "")
  local hh, mm, ss = s:match("^(%d+):(%d%d):(%d%d%.?%d*)$")
  if hh then return math.floor((tonumber(hh) * 3600 + tonumber(mm) * 60 + tonumber(ss)) * NS.s + 0.5) end
  for num, unit in s:gmatch("([%d%.]*)(%a+)") do
    local u = unit_alias[unit]
    if not u then error(("%s: unknown unit '%s' in '%s'"):format(fname or "Timedelta", unit, x), 3) end
    local v = num == "" and 1 or tonumber(num)
    if not v then error(("%s: cannot parse '%s'"):format(fname or "Timedelta", x), 3) end
    total = total + v * NS[u]
    any = true
  end
  if not any then error(("%s: cannot parse '%s'"):format(fname or "Timedelta", x), 3) end
  return math.tointeger(total) or math.floor(total + 0.5)
end

-- Resample rule -> kind (resample.h GL_RULE_*), multiple, step ns.
local cal = { M = 1, ME = 1, MS = 2, W = 3, ["W-SUN"] = 3, A = 4, Y = 4, YE = 4, AS = 5, YS = 5 }
function T.parse_rule(rule, fname)
  if type(rule) ~= "string" then
    return 0, 1, T.parse_timedelta(rule, fname)
  end
  local num, unit = rule:match("^%s*(%d*)%s*([%a%-]+)%s*$")
  if unit and cal[unit] then return cal[unit], tonumber(num ~= "" and num or 1), 0 end
  return 0, 1, T.parse_timedelta(rule, fname)
end

-- {====================================================================
-- Timestamp and Timedelta scalars
-- ====================================================================}

local Timestamp = { __name = "geolab.Timestamp" }
local Timedelta = { __name = "geolab.Timedelta" }
T.Timestamp_mt, T.Timedelta_mt = Timestamp, Timedelta

function T.timestamp(ns) return setmetatable({ value = ns }, Timestamp) end
function Timestamp.__tostring(t)
  return fc.dt_format(fc.full(1, t.value, "int64"), fc.dt_digits(fc.full(1, t.value, "int64")) < 0 and 0 or nil)[1]
end
-- what a user may mean on a Timestamp / Timedelta (strict, as pandas' attributes)
local TS_NAMES = { year = 1, month = 1, day = 1, hour = 1, minute = 1, second = 1, dayofyear = 1,
  dayofweek = 1, nanosecond = 1, microsecond = 1, quarter = 1, days_in_month = 1, date = 1,
  isoformat = 1, value = 1 }
local TD_NAMES = { seconds = 1, days = 1, total_seconds = 1, value = 1 }
local function no_attr(obj, names, name, k)
  if type(k) ~= "string" or k:sub(1, 1) == "_" or not util.user_read(3) then return nil end
  util.no_member(obj, names, name, k, 3)
end
function Timestamp.__index(t, k)
  local ok, r = pcall(fc.dt_field, fc.full(1, rawget(t, "value"), "int64"), k)
  if ok then return fc.get(r, 1) end
  if k == "isoformat" then return function(self) return (tostring(self):gsub(" ", "T")) end end
  local v = no_attr(t, TS_NAMES, "Timestamp", k)   -- not a tail call: no_attr counts frames
  return v
end
function Timestamp.__eq(a, b) return a.value == b.value end
function Timestamp.__lt(a, b) return T.ns_of(a) < T.ns_of(b) end
function Timestamp.__le(a, b) return T.ns_of(a) <= T.ns_of(b) end
-- A bare number is refused, as pandas refuses it (TypeError): ObsPy's
-- UTCDateTime + 10 adds seconds, and nanoseconds would be a silent surprise.
local function no_number(b, op)
  if type(b) == "number" then
    error(("Timestamp %s number: give a duration, pd.Timedelta(10, 's') or '10s' (pandas refuses numbers; ObsPy's UTCDateTime %s 10 means seconds)")
      :format(op, op), 3)
  end
end
function Timestamp.__sub(a, b)
  if getmetatable(b) == Timestamp then return T.timedelta(a.value - b.value) end
  no_number(b, "-")
  return T.timestamp(a.value - T.parse_timedelta(b))
end
function Timestamp.__add(a, b)
  if getmetatable(a) ~= Timestamp then a, b = b, a end
  no_number(b, "+")
  return T.timestamp(a.value + T.parse_timedelta(b))
end

function T.timedelta(ns) return setmetatable({ value = ns }, Timedelta) end
function Timedelta.__tostring(t)
  local v = t.value
  local neg = v < 0
  if neg then v = -v end
  local days = v // NS.D
  local r = v - days * NS.D
  local h, m, s, f = r // NS.h, r % NS.h // NS.min, r % NS.min // NS.s, r % NS.s
  local out = ("%s%d days %02d:%02d:%02d"):format(neg and "-" or "", days, h, m, s)
  if f ~= 0 then out = out .. (".%09d"):format(f):gsub("0+$", "") end
  return out
end
function Timedelta.__index(t, k)
  local v = rawget(t, "value")
  if k == "seconds" then return v % NS.D // NS.s
  elseif k == "days" then return v // NS.D
  elseif k == "total_seconds" then return function() return v / NS.s end end
  local r = no_attr(t, TD_NAMES, "Timedelta", k)   -- not a tail call: no_attr counts frames
  return r
end
function Timedelta.__eq(a, b) return a.value == b.value end
function Timedelta.__lt(a, b) return a.value < b.value end
function Timedelta.__le(a, b) return a.value <= b.value end
function Timedelta.__add(a, b) return T.timedelta(T.parse_timedelta(a) + T.parse_timedelta(b)) end
function Timedelta.__mul(a, b)
  if type(a) == "number" then a, b = b, a end
  return T.timedelta(math.floor(a.value * b + 0.5))
end

function T.ns_of(x, fname)
  if type(x) == "table" and getmetatable(x) == Timestamp then return x.value end
  if math.type(x) == "integer" then return x end
  if type(x) == "string" then
    local v, res, e = fc.dt_parse(x)
    if not v then error(("%s: cannot parse '%s' as a date (%s)"):format(fname or "to_datetime", x, res), 3) end
    return v, res, e
  end
  error((fname or "to_datetime") .. ": expected a date string or Timestamp, got " .. type(x), 3)
end

-- Used by Series comparisons against date strings.
function S.parse_time(v) return (T.ns_of(v, "compare")) end

-- A datetime column from strings/list/array (errors name the position).
function S.to_datetime_col(c, fname, dayfirst)
  if c.kind == "datetime" then return c end
  if c.kind == "string" then
    local r, bad, msg = fc.to_datetime(c.data, dayfirst)
    if not r then
      error(("%s: cannot parse '%s' at position %d as a date (%s)"):format(fname or "to_datetime",
        tostring(c.data[bad]), bad, msg), 3)
    end
    return C.new("datetime", r)
  end
  if c.kind == "int" then return C.new("datetime", fc.astype(c.data, "int64")) end
  error((fname or "to_datetime") .. ": cannot convert " .. c.kind .. " values to datetimes", 3)
end

function T.to_datetime(x, opts)
  local dayfirst = opts and opts.dayfirst
  if type(x) == "string" then
    local v, res = fc.dt_parse(x, dayfirst)
    if not v then error(("pd.to_datetime: cannot parse '%s' as a date (%s)"):format(x, res), 2) end
    return T.timestamp(v)
  end
  if S.is_series(x) then return S.new(S.to_datetime_col(x._c, "pd.to_datetime", dayfirst), x._index, x.name) end
  local c = type(x) == "table" and C.from_list(x) or C.from_array(x, nil, "pd.to_datetime")
  if type(x) == "table" then
    local t = { n = #x }
    for i = 1, #x do t[i] = x[i] or false end
    c = C.new("string", t)
  end
  if opts and opts.unit and c.kind ~= "string" then
    local mult = NS[unit_alias[opts.unit] or "ns"]
    return C.index(C.new("datetime", fc.astype(np.multiply(c.data, mult), "int64")))
  end
  local r, bad, msg = fc.to_datetime(c.kind == "string" and c.data or C.tolist(c), dayfirst)
  if not r then error(("pd.to_datetime: cannot parse '%s' at position %d as a date (%s)"):format(tostring(x[bad]), bad, msg), 2) end
  return C.index(C.new("datetime", r))
end

function T.date_range(start, stop, opts)
  if type(stop) == "table" and opts == nil and bare(stop) then opts, stop = stop, nil end
  opts = opts or {}
  local freq = opts.freq or "D"
  local kind, mult, step = T.parse_rule(freq, "pd.date_range")
  local a = start and T.ns_of(start, "pd.date_range")
  local b = stop and T.ns_of(stop, "pd.date_range")
  local n = opts.periods
  local vals = {}
  if kind ~= 0 then
    -- calendar frequencies: month/year ends and starts, weeks ending Sunday
    if not a then error("pd.date_range: give start with a calendar frequency", 2) end
    local function label(x)
      local _, lab = fc.resample_bins(fc.full(1, x, "int64"), kind, 1, 0)
      return fc.get(lab, 1)
    end
    local hop = (kind == 2) and 32 * NS.D or (kind == 5) and 366 * NS.D or NS.D
    local t = label(a)
    if t < a then t = label(t + hop) end
    while (n == nil or #vals < n) and (b == nil or t <= b) do
      vals[#vals + 1] = t
      for _ = 1, mult do t = label(t + hop) end
      if #vals > 10000000 then error("pd.date_range: too many periods", 2) end
    end
  else
    if not a and b and n then a = b - (n - 1) * step end
    if not a then error("pd.date_range: give start (or end and periods)", 2) end
    if not b and not n then error("pd.date_range: give end or periods", 2) end
    local count = n or ((b - a) // step + 1)
    if count > 100000000 then error("pd.date_range: too many periods", 2) end
    local r = fc.range(0, count)
    local arr = np.add(np.multiply(r, step), a)
    return C.index(C.new("datetime", fc.astype(arr, "int64")), opts.name)
  end
  return C.index(C.new("datetime", #vals > 0 and fc.asarray(vals, "int64") or fc.full(0, 0, "int64")), opts.name)
end

-- {====================================================================
-- resample
-- ====================================================================}

local Resampler = {}
Resampler.__index = require("geolab.util").member_index(Resampler, "Resampler")

local function need_dt_index(obj, fname)
  local ix = obj._index
  if ix.kind ~= "datetime" then
    error(fname .. ": needs a datetime index (use set_index or index_col with parse_dates)", 3)
  end
  return ix
end

local function resample(obj, rule, opts)
  local ix = need_dt_index(obj, "resample")
  local kind, mult, step = T.parse_rule(rule, "resample")
  local codes, labels = fc.resample_bins(ix.data, kind, mult, step)
  return setmetatable({ obj = obj, codes = codes, labels = labels, rule = rule,
                        on = opts and opts.on }, Resampler)
end

local function agg_col(c, codes, ng, how)
  if c.kind == "string" then
    if how ~= "count" and how ~= "first" and how ~= "last" and how ~= "size" then return nil end
    local out = {}
    for g = 1, ng do out[g] = (how == "count" or how == "size") and 0 or false end
    local cl = fc.tolist(codes)
    for i = 1, c.n do
      local g = cl[i] + 1
      if g >= 1 and (c.data[i] or how == "size") then
        if how == "count" or how == "size" then out[g] = out[g] + 1
        elseif how == "last" or out[g] == false then out[g] = c.data[i] end
      end
    end
    if how == "count" or how == "size" then return C.from_list(out, ng) end
    out.n = ng
    return C.new("string", out)
  end
  local a = C.float_array(c)
  if not a then return nil end
  local r = fc.group_reduce(codes, ng, a, how)
  if how == "count" or how == "size" then return C.new("int", fc.astype(r, "int64")) end
  if c.kind == "datetime" and (how == "min" or how == "max" or how == "first" or how == "last") then
    local m = fc.isna(r)
    local v = fc.astype(fc.putmask(r, m, fc.full(1, 0)), "int64")
    return C.new("datetime", fc.putmask(v, m, fc.full(1, NAT, "int64"), true))
  end
  if (how == "min" or how == "max" or how == "first" or how == "last" or how == "sum") and c.kind == "int" then
    if not np.any(fc.isna(r)) then return C.new("int", fc.astype(r, "int64")) end
  end
  return C.new("float", r)
end
T.agg_col = agg_col

local function resample_apply(rs, how)
  local obj, ng = rs.obj, select(2, fc.info(rs.labels))
  local ix = C.index(C.new("datetime", rs.labels), obj._index.name)
  if S.is_series(obj) then
    local c = agg_col(obj._c, rs.codes, ng, how)
    if not c then error(("resample.%s: column '%s' is not numeric"):format(how, tostring(obj.name)), 3) end
    return S.new(c, ix, obj.name)
  end
  local names, cols = {}, {}
  for _, nm in ipairs(obj._names) do
    local c = agg_col(obj._cols[nm], rs.codes, ng, how)
    if c then names[#names + 1] = nm; cols[#cols + 1] = c end
  end
  return D.from_cols(names, cols, ix)
end
for _, how in ipairs { "mean", "sum", "min", "max", "first", "last", "count", "median", "std", "var", "prod" } do
  Resampler[how] = function(rs) return resample_apply(rs, how) end
end
function Resampler.size(rs)
  local ng = select(2, fc.info(rs.labels))
  local r = fc.group_reduce(rs.codes, ng, fc.full(select(2, fc.info(rs.codes)), 0), "size")
  return S.new(C.new("int", fc.astype(r, "int64")), C.index(C.new("datetime", rs.labels), rs.obj._index.name), nil)
end
function Resampler.agg(rs, spec)
  if type(spec) == "string" then return resample_apply(rs, spec) end
  local D_ = rs.obj
  local names, cols = {}, {}
  local ng = select(2, fc.info(rs.labels))
  for _, nm in ipairs(D_._names) do
    local how = spec[nm]
    if how then
      names[#names + 1] = nm
      cols[#cols + 1] = agg_col(D_._cols[nm], rs.codes, ng, how)
    end
  end
  return D.from_cols(names, cols, C.index(C.new("datetime", rs.labels), D_._index.name))
end
function Resampler.asfreq(rs)
  local ng = select(2, fc.info(rs.labels))
  return T.reindex(rs.obj, C.index(C.new("datetime", rs.labels), rs.obj._index.name))
    or ng
end
function Resampler.interpolate(rs, opts)
  return T.interpolate(Resampler.asfreq(rs), opts)
end

-- {====================================================================
-- interpolate, reindex, asfreq
-- ====================================================================}

function T.interpolate(obj, opts)
  local method = opts and opts.method or "linear"
  local limit = opts and opts.limit or 0
  if method ~= "linear" and method ~= "time" and method ~= "nearest" and method ~= "index" and method ~= "values" then
    error("interpolate: method must be 'linear', 'time', 'index' or 'nearest', got '" .. tostring(method) .. "'", 2)
  end
  local x
  if method == "time" or method == "index" or method == "values" or method == "nearest" then
    local ix = obj._index
    if method == "time" and ix.kind ~= "datetime" then error("interpolate: method 'time' needs a datetime index", 2) end
    x = C.float_array(ix)
  end
  local function one(c)
    if c.kind ~= "float" and c.kind ~= "int" then return c end
    return C.new("float", fc.interpolate(C.float_array(c), x, method, limit))
  end
  if S.is_series(obj) then return S.new(one(obj._c), obj._index, obj.name) end
  local cols = {}
  for i, nm in ipairs(obj._names) do cols[i] = one(obj._cols[nm]) end
  return D.from_cols(obj._names, cols, obj._index)
end

-- reindex(obj, index, {method=, tolerance=, fill_value=})
function T.reindex(obj, index, opts)
  local src = obj._index
  local tgt = S.as_index(index)
  local method = opts and opts.method or "exact"
  if method == "ffill" then method = "pad" elseif method == "bfill" then method = "backfill" end
  local tol = opts and opts.tolerance and T.parse_timedelta(opts.tolerance, "reindex") or -1
  local pos
  if src.kind == "datetime" and tgt.kind == "datetime" then
    if method ~= "exact" or true then
      -- pandas requires a unique source index
      pos = fc.index_match(src.data, tgt.data, method, tol)
    end
  else
    if method ~= "exact" then
      local sa, ta = C.float_array(src), C.float_array(tgt)
      if not sa or not ta then error("reindex: method '" .. method .. "' needs numeric or datetime labels", 2) end
      pos = fc.index_match(fc.astype(sa, "int64"), fc.astype(ta, "int64"), method, tol)
    else
      pos = D.indexer(src, tgt)
    end
  end
  local fill = opts and opts.fill_value
  local function one(c)
    local r = C.take(c, pos)
    if fill ~= nil and (r.kind == "float") then
      r = C.new("float", fc.putmask(r.data, fc.isna(r.data), fc.full(1, fill)))
    end
    return r
  end
  local ix = C.index(tgt, tgt.name or src.name)
  if S.is_series(obj) then return S.new(one(obj._c), ix, obj.name) end
  local cols = {}
  for i, nm in ipairs(obj._names) do cols[i] = one(obj._cols[nm]) end
  return D.from_cols(obj._names, cols, ix)
end

function T.asfreq(obj, freq, opts)
  local ix = need_dt_index(obj, "asfreq")
  if ix.n == 0 then return obj end
  local lo, hi = fc.get(ix.data, 1), fc.get(ix.data, ix.n)
  local rng = T.date_range(lo, hi, { freq = freq })
  return T.reindex(obj, C.index(rng, ix.name), opts)
end

-- {====================================================================
-- rolling
-- ====================================================================}

local Rolling = {}
Rolling.__index = require("geolab.util").member_index(Rolling, "Rolling")

local function rolling(obj, window, opts)
  local r = { obj = obj, min_periods = opts and opts.min_periods, center = opts and opts.center }
  if type(window) == "string" or (type(window) == "table" and window.value) then
    local ix = need_dt_index(obj, "rolling")
    r.ts = ix.data
    if r.center then error("rolling: center=true needs a fixed window (a number of rows)", 3) end
    r.window = T.parse_timedelta(window, "rolling")
    r.min_periods = r.min_periods or 1
  else
    if math.type(window) ~= "integer" or window < 1 then error("rolling: window must be a positive integer or a duration", 3) end
    r.window = window
    r.min_periods = r.min_periods or window
  end
  return setmetatable(r, Rolling)
end

local function rolling_apply(r, how)
  local function one(c)
    if not C.is_numeric(c) then return nil end
    local x = C.float_array(c)
    if r.center and r.ts == nil then
      -- pandas' centred window ends (window-1)//2 rows later: roll over x
      -- padded with missing values and drop the leading results
      local off = (r.window - 1) // 2
      if off == 0 then return C.new("float", fc.rolling(x, nil, r.window, r.min_periods, how)) end
      local y = fc.rolling(fc.concat { x, fc.full(off, 0 / 0, "float64") }, nil, r.window, r.min_periods, how)
      return C.new("float", fc.take(y, fc.range(off + 1, c.n)))
    end
    return C.new("float", fc.rolling(x, r.ts, r.window, r.min_periods, how))
  end
  local obj = r.obj
  if S.is_series(obj) then return S.new(one(obj._c), obj._index, obj.name) end
  local names, cols = {}, {}
  for _, nm in ipairs(obj._names) do
    local c = one(obj._cols[nm])
    if c then names[#names + 1] = nm; cols[#cols + 1] = c end
  end
  return D.from_cols(names, cols, obj._index)
end
for _, how in ipairs { "mean", "sum", "std", "var", "min", "max", "median", "count" } do
  Rolling[how] = function(r) return rolling_apply(r, how) end
end

-- {====================================================================
-- loc / iloc
-- ====================================================================}

-- Positions selected by a row key on index ix: a label, a date string
-- (partial: "2015-03" is the whole month), a {from, to} range (inclusive),
-- a list of labels, a bool Series/array.
local function label_positions(ix, key, fname)
  if S.is_series(key) and key._c.kind == "bool" then return fc.positions(key._c.data) end
  if type(key) == "userdata" then return fc.positions(key) end
  if ix.kind == "datetime" then
    local function bounds(k, upper)
      if type(k) == "string" then
        local v, res, e = fc.dt_parse(k)
        if not v then error(("%s: cannot parse '%s' as a date (%s)"):format(fname, k, res), 4) end
        return v, e
      end
      local v = T.ns_of(k, fname)
      return v, v + 1
    end
    local lo, hi
    if type(key) == "table" and bare(key) then
      if #key == 2 or key[1] == nil then
        local a, b = key[1], key[2]
        lo = a and (bounds(a)) or math.mininteger + 1
        if b then hi = select(2, bounds(b, true)) else hi = math.maxinteger end
      else
        error(fname .. ": a datetime range is {from, to}", 3)
      end
    else
      lo, hi = bounds(key)
    end
    local data = ix.data
    local m = np.logical_and(np.greater_equal(data, lo), np.less(data, hi))
    local pos = fc.positions(m)
    local scalar = false
    if type(key) == "string" then scalar = select(2, fc.dt_parse(key)) >= 6
    elseif type(key) ~= "table" or not bare(key) then scalar = true end
    return pos, scalar and select(2, fc.info(pos)) == 1
  end
  if type(key) == "table" and bare(key) then
    local out = {}
    for _, k in ipairs(key) do
      local l = C.Index.__index(ix, "get_locs")(ix, k)
      if #l == 0 then error(("%s: label %s not in index"):format(fname, tostring(k)), 3) end
      for _, p in ipairs(l) do out[#out + 1] = p end
    end
    return #out > 0 and fc.asarray(out, "int64") or fc.full(0, 0, "int64")
  end
  local l = C.Index.__index(ix, "get_locs")(ix, key)
  if #l == 0 then error(("%s: label %s not in index"):format(fname, tostring(key)), 3) end
  return fc.asarray(l, "int64"), #l == 1
end

-- One axis of an iloc key, as the GUIDE indexes arrays: a position (from 1,
-- negative from the end), {first, last [, step]} inclusive, {} for all, a
-- bool mask (Series or array) or an int array of positions. Returns the
-- positions and whether the key was a single position.
local function position_axis(n, key, fname, what)
  local function pos1(k)
    local p = k < 0 and n + k + 1 or k
    if k == 0 then
      error(("%s: positions count from 1 in geolab (Lua); pandas' df.iloc[0] is df.iloc[1]"):format(fname), 5)
    end
    if p < 1 or p > n then error(("%s: %s position %d out of range (1..%d)"):format(fname, what, k, n), 5) end
    return p
  end
  if math.type(key) == "integer" then return fc.asarray({ pos1(key) }, "int64"), true end
  if type(key) == "table" and bare(key) then
    if next(key) == nil then return fc.range(1, n) end
    for k, v in pairs(key) do
      if math.type(k) ~= "integer" or k < 1 or k > 3 or math.type(v) ~= "integer" then
        error(("%s: a %s range is {first, last [, step]} of integer positions"):format(fname, what), 4)
      end
    end
    -- {i} is the range i..i (Torch's t[{{i}}]), keeping the axis
    local a, b, step = key[1] or 1, key[2] or key[1] or n, key[3] or 1
    if step == 0 then error(fname .. ": a range step cannot be 0", 4) end
    if a == 0 or b == 0 then
      error(("%s: positions count from 1 in geolab (Lua); pandas' df.iloc[0:3] is df.iloc[{{1, 3}}]"):format(fname), 4)
    end
    if a < 0 then a = n + a + 1 end
    if b < 0 then b = n + b + 1 end
    a, b = math.max(a, 1), math.min(b, n)
    if step > 0 then
      if b < a then return fc.full(0, 0, "int64") end
      return fc.range(a, (b - a) // step + 1, step)
    end
    if a < b then return fc.full(0, 0, "int64") end
    return fc.range(a, (a - b) // -step + 1, step)
  end
  if S.is_series(key) then
    if key._c.kind ~= "bool" then error(("%s: a %s mask must be boolean"):format(fname, what), 4) end
    if key._c.n ~= n then error(("%s: boolean mask of length %d for %d %ss"):format(fname, key._c.n, n, what), 4) end
    return fc.positions(key._c.data)
  end
  if type(key) == "userdata" then
    local dt, size = fc.info(key)
    if dt == "bool" then
      if size ~= n then error(("%s: boolean mask of length %d for %d %ss"):format(fname, size, n, what), 4) end
      return fc.positions(key)
    end
    local out = {}
    for i, v in ipairs(fc.tolist(key)) do out[i] = pos1(math.tointeger(v) or error(fname .. ": positions must be integers", 5)) end
    return #out > 0 and fc.asarray(out, "int64") or fc.full(0, 0, "int64")
  end
  error(("%s: expected a position, {first, last} range, {} or a mask for the %ss, got %s"):format(fname, what, type(key)), 4)
end

-- An iloc key: one axis (rows) or {rows, cols} when the key holds a table,
-- so {2, 3} is the element of row 2, column 3 and {{1, 2}, {1, 4}} rows 1..2,
-- columns 1..4 (GUIDE); a single position stays a row.
local function iloc_key(obj, key, fname)
  local n = obj._index.n
  if type(key) == "table" and bare(key) and next(key) ~= nil and key.rows == nil and key.cols == nil then
    local two = false
    for k, v in pairs(key) do
      if math.type(k) ~= "integer" or k < 1 or k > 2 then
        error(fname .. ": a key is a position, {rows, cols} or {{first, last}, ...}", 3)
      end
      if type(v) ~= "number" then two = true end
    end
    if #key == 2 then two = true end
    if two then
      local pos, srow = position_axis(n, key[1] == nil and {} or key[1], fname, "row")
      if S.is_series(obj) then
        if key[2] ~= nil then error(fname .. ": a Series has one axis: give {first, last} or {{first, last}}", 3) end
        return pos, srow
      end
      local cpos, scol = position_axis(#obj._names, key[2] == nil and {} or key[2], fname, "column")
      local names = {}
      for i, p in ipairs(fc.tolist(cpos)) do names[i] = obj._names[p] end
      return pos, srow, names, scol
    end
  end
  local pos, srow = position_axis(n, key, fname, "row")
  return pos, srow
end
S.iloc_key = iloc_key

local function col_names(df, key, fname)
  if key == nil then return df._names end
  if type(key) == "string" then D.col(df, key, fname, 3); return { key }, true end
  if type(key) == "table" then for _, k in ipairs(key) do D.col(df, k, fname, 3) end return key end
  error(fname .. ": columns must be a name or a list of names", 3)
end

local function make_accessor(obj, positional)
  local fname = positional and "iloc" or "loc"
  local acc = {}
  local function rows_of(key)
    if positional then return iloc_key(obj, key, fname) end
    local gk = rawget(obj, "_group_keys")
    if gk and type(key) ~= "number" then   -- pandas code reading a MultiIndex: m.loc[("x", 1)]
      local ok, pos, scalar = pcall(label_positions, obj._index, key, fname)
      if ok then return pos, scalar end
      error(("loc: %s; this frame is a groupby on several keys (%s), which geolab keeps as columns, not a " ..
        "MultiIndex (pandas' groupby(..., as_index=False)): select a group with a mask, df[df.%s:eq(v) & ...], " ..
        "or df:query(...)"):format(tostring(pos):gsub("^.-loc: ", ""), table.concat(gk, ", "), gk[1]), 2)
    end
    return label_positions(obj._index, key, fname)
  end
  return setmetatable(acc, {
    __index = function(_, key)
      local rk, ck = key, nil
      if type(key) == "table" and bare(key) and key.rows ~= nil or (type(key) == "table" and bare(key) and key.cols ~= nil) then
        rk, ck = key.rows, key.cols
      end
      local pos, scalar, inames, iscol = rows_of(rk)
      if S.is_series(obj) then
        local r = obj:take(pos)
        if scalar then return C.get(r._c, 1) end
        return r
      end
      local names, onecol
      if inames then names, onecol = inames, iscol else names, onecol = col_names(obj, ck, fname) end
      local sub = D.methods.take(D.methods.select(obj, names), pos)
      if scalar and onecol then return C.get(sub._cols[names[1]], 1) end
      if onecol then return D.series(sub, names[1]) end
      if scalar then   -- one row: a Series indexed by column names
        local vals = { n = #names }   -- mixed values kept as they are (an object column)
        local kinds = {}
        for i, nm in ipairs(names) do
          local v = C.get(sub._cols[nm], 1)
          if v == nil then vals[i] = false else vals[i] = v end
          kinds[sub._cols[nm].kind] = true
        end
        local col = (kinds.string or kinds.category or kinds.datetime or kinds.bool) and C.new("string", vals)
          or C.from_list(vals, #names)
        return S.new(col, C.index(C.from_list(names)), C.get(sub._index, 1))
      end
      return sub
    end,
    __newindex = function(_, key, v)
      local rk, ck = key, nil
      if type(key) == "table" and bare(key) and (key.rows ~= nil or key.cols ~= nil) then rk, ck = key.rows, key.cols end
      if not positional and D.is_frame(obj) and ck == nil and (type(rk) == "number" or type(rk) == "string")
         and obj._index.kind ~= "datetime" and #C.Index.__index(obj._index, "get_locs")(obj._index, rk) == 0 then
        return D.append_row(obj, rk, v, "loc")
      end
      local pos, _, inames = rows_of(rk)
      local function setcol(c)
        if c.kind ~= "float" and c.kind ~= "int" and c.kind ~= "bool" and c.kind ~= "datetime" then
          if c.kind == "string" then
            for _, p in ipairs(fc.tolist(pos)) do if v == nil then c.data[p] = false else c.data[p] = v end end
            return c
          end
          error(fname .. ": cannot assign into this column", 3)
        end
        local data = fc.astype(c.data, (fc.info(c.data)))
        local vv = v
        if type(vv) == "number" and c.kind == "int" and math.type(vv) ~= "integer" then
          data = fc.astype(data, "float64"); c = C.new("float", data)
        end
        for _, p in ipairs(fc.tolist(pos)) do fc.set(data, p, vv == nil and 0 / 0 or vv) end
        return C.new(c.kind, data, { cats = c.cats })
      end
      if S.is_series(obj) then rawset(obj, "_c", setcol(obj._c)) return end
      for _, nm in ipairs(inames or col_names(obj, ck, fname)) do obj._cols[nm] = setcol(obj._cols[nm]) end
    end,
  })
end

S.accessors.loc = function(s) return make_accessor(s, false) end
S.accessors.iloc = function(s) return make_accessor(s, true) end
D.accessors = { loc = function(df) return make_accessor(df, false) end,
                iloc = function(df) return make_accessor(df, true) end }

-- {====================================================================
-- Methods on Series and DataFrame
-- ====================================================================}

for _, M in ipairs { S.methods, D.methods } do
  M.resample = resample
  M.interpolate = T.interpolate
  M.reindex = T.reindex
  M.asfreq = T.asfreq
  M.rolling = rolling
end

function D.methods.shift(df, n)
  local cols = {}
  for i, nm in ipairs(df._names) do cols[i] = S.methods.shift(S.new(df._cols[nm], df._index, nm), n)._c end
  return D.from_cols(df._names, cols, df._index)
end
function D.methods.diff(df, n)
  local names, cols = {}, {}
  for _, nm in ipairs(df._names) do
    local c = df._cols[nm]
    if C.is_numeric(c) or c.kind == "datetime" then
      names[#names + 1] = nm
      cols[#cols + 1] = S.methods.diff(S.new(c, df._index, nm), n)._c
    end
  end
  return D.from_cols(names, cols, df._index)
end

return T
