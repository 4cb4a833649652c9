-- frame_opts.lua: the keywords every DataFrame and Series method accepts,
-- checked in one place (geolab.util), and pandas' inplace=true. Each method
-- is wrapped once: a keyword table is recognised, its positional keywords
-- (pandas' `by=`, `n=`...) are moved to their places, an unknown keyword is
-- an error with a suggestion, and inplace=true mutates the object and returns
-- nil as pandas does. A method without an entry here is an error at load
-- time, so a new method cannot skip the check.
local util = require "geolab.util"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"

local O = {}

-- spec: {positional keyword names..., opts = "space separated options",
-- inplace = true (accepts inplace=), map = true (the first argument may be a
-- {name = value} table of the method's own: rename, fillna, astype, map)}
local function sp(params, opts, extra)
  local s = { params = params, opts = {} }
  for w in (opts or ""):gmatch("%S+") do s.opts[#s.opts + 1] = w end
  if extra then for k, v in pairs(extra) do s[k] = v end end
  return s
end
local IP, MAP = { inplace = true }, { map = true }
local IPMAP = { inplace = true, map = true }

-- Reductions take pandas' axis/skipna/numeric_only; only axis=0 exists here.
local RED = "axis skipna numeric_only"

local common = {
  copy = sp({}, "deep"), head = sp({ "n" }), tail = sp({ "n" }), take = sp({ "indices" }),
  isna = sp({}), notna = sp({}), isnull = sp({}), notnull = sp({}),
  astype = sp({ "dtype" }, "copy errors", MAP),
  sort_index = sp({}, "axis ascending kind na_position ignore_index", IP),
  mean = sp({}, RED), median = sp({}, RED), sum = sp({}, RED .. " min_count"),
  prod = sp({}, RED .. " min_count"), min = sp({}, RED), max = sp({}, RED),
  std = sp({}, RED .. " ddof"), var = sp({}, RED .. " ddof"), count = sp({}, "axis numeric_only"),
  first = sp({ "offset" }), last = sp({ "offset" }),
  nunique = sp({}, "axis dropna"), describe = sp({}, "percentiles include exclude"),
  apply = sp({ "func" }, "axis raw result_type args convert_dtype"),
  items = sp({}), to_string = sp({}), to_html = sp({}, "max_rows"),
  resample = sp({ "rule" }, "on closed label"), interpolate = sp({}, "method limit axis", IP),
  reindex = sp({ "index" }, "method tolerance fill_value"),
  asfreq = sp({ "freq" }, "method fill_value"), rolling = sp({ "window" }, "min_periods center"),
  shift = sp({ "periods" }), diff = sp({ "periods" }),
  groupby = sp({ "by" }), value_counts = sp({}, "normalize sort ascending dropna"),
  sample = sp({ "n" }, "frac replace random_state weights axis ignore_index"),
  truncate = sp({ "before", "after" }, "axis copy"),
  plot = sp({}, "x y kind style ax subplots figsize title logx logy loglog legend label color "
    .. "grid xlabel ylabel xlim ylim rot alpha lw linewidth linestyle marker markersize bins "
    .. "sharex sharey layout s c cmap colormap stacked width fontsize use_index secondary_y "
    .. "xticks yticks colorbar density orientation bw_method vert"),
  to_numpy = sp({ "dtype" }, "copy na_value"), to_array = sp({ "dtype" }),
  min_index = sp({}), argmin = sp({}, "axis skipna"), argmax = sp({}, "axis skipna"),
  idxmin = sp({}, "axis skipna"), idxmax = sp({}, "axis skipna"),
  add = sp({ "other" }, "axis fill_value"), sub = sp({ "other" }, "axis fill_value"),
  mul = sp({ "other" }, "axis fill_value"), div = sp({ "other" }, "axis fill_value"),
  truediv = sp({ "other" }, "axis fill_value"), pow = sp({ "other" }, "axis fill_value"),
  radd = sp({ "other" }, "axis fill_value"), rsub = sp({ "other" }, "axis fill_value"),
  rmul = sp({ "other" }, "axis fill_value"), rdiv = sp({ "other" }, "axis fill_value"),
  abs = sp({}), round = sp({ "decimals" }),
}

local frame_only = {
  get = sp({ "key", "default" }), select = sp({ "columns" }),
  rename = sp({ "mapper" }, "columns index axis errors", IPMAP),
  drop = sp({ "labels" }, "axis index columns errors", IP),
  assign = sp({ "columns" }, nil, MAP),
  set_index = sp({ "keys" }, "drop verify_integrity", IP),
  reset_index = sp({}, "drop names", IP),
  dropna = sp({}, "axis how thresh subset", IP),
  fillna = sp({ "value" }, "method limit axis", IPMAP),
  sort_values = sp({ "by" }, "axis ascending kind na_position ignore_index", IP),
  corr = sp({ "method" }, "min_periods numeric_only"), cov = sp({}, "min_periods numeric_only ddof"),
  unique = sp({ "column" }),
  map = sp({ "func" }, "na_action"), applymap = sp({ "func" }, "na_action"),
  iterrows = sp({}), itertuples = sp({}, "index name"),
  to_csv = sp({ "path_or_buf" }, "sep na_rep index"),
  join = sp({ "other" }, "on how lsuffix rsuffix"),
  merge = sp({ "right" }, "how on left_on right_on suffixes"),
  info = sp({}), value_counts = sp({ "subset" }, "normalize sort ascending dropna"),
  pivot_table = sp({}, "values index columns aggfunc fill_value margins dropna"),
  query = sp({ "expr" }, nil, IP), eval = sp({ "expr" }),
}

local series_only = {
  tolist = sp({}), to_list = sp({}), rename = sp({ "index" }, nil, IP),
  dropna = sp({}, nil, IP), fillna = sp({ "value" }, "method limit", IP),
  sort_values = sp({}, "axis ascending kind na_position ignore_index", IP),
  quantile = sp({ "q" }), unique = sp({}), argsort = sp({}),
  map = sp({ "arg" }, "na_action", MAP),
  gt = sp({ "other" }), ge = sp({ "other" }), lt = sp({ "other" }), le = sp({ "other" }),
  eq = sp({ "other" }), ne = sp({ "other" }),
  isin = sp({ "values" }), between = sp({ "left", "right" }, "inclusive"),
  sqrt = sp({}), exp = sp({}), log = sp({}), log10 = sp({}), floor = sp({}), ceil = sp({}),
  clip = sp({ "lower", "upper" }), cumsum = sp({}, "skipna"),
  to_frame = sp({ "name" }),
}

local function is_kw(t)
  if not util.bare(t) then return false end
  for k in pairs(t) do if type(k) == "string" then return true end end
  return false
end

-- Does the table t hold only keywords of spec s (so that it is the keyword
-- table and not the method's own {name = value} mapping)?
local function only_keywords(t, s)
  for k in pairs(t) do
    if type(k) == "string" then
      local known = (s.inplace and k == "inplace")
      for _, p in ipairs(s.params) do if p == k then known = true end end
      for _, p in ipairs(s.opts) do if p == k then known = true end end
      if not known then return false end
    end
  end
  return true
end

local PD = { notable = "%s: options must be a table", strict = true }

-- Takes the result r of a method into obj (inplace=true).
local function adopt(obj, r, fname)
  if D.is_frame(obj) then
    if not D.is_frame(r) then error(fname .. ": inplace=true needs a DataFrame result", 3) end
    rawset(obj, "_names", r._names); rawset(obj, "_cols", r._cols)
    rawset(obj, "_index", r._index); rawset(obj, "_n", r._n)
    return
  end
  if not S.is_series(r) then error(fname .. ": inplace=true needs a Series result", 3) end
  rawset(obj, "_c", r._c); rawset(obj, "_index", r._index); rawset(obj, "name", r.name)
  -- a column taken from a frame writes back as in pandas (df.a:fillna(0, {inplace=true}))
  local parent, pname = rawget(obj, "_parent"), rawget(obj, "_pname")
  if parent and parent._cols[pname] and S.same_index(parent._index, r._index) then
    parent._cols[pname] = r._c
  end
end

local function wrap(kind, name, f, s)
  local fname = kind .. "." .. name
  local allowed = {}
  for _, p in ipairs(s.params) do allowed[#allowed + 1] = p end
  for _, p in ipairs(s.opts) do allowed[#allowed + 1] = p end
  if s.inplace then allowed[#allowed + 1] = "inplace" end
  local np_ = #s.params
  return function(self, ...)
    local n = select("#", ...)
    local args = { ... }
    while n > 0 and args[n] == nil do n = n - 1 end
    local kw, at
    if n == np_ + 1 and (args[n] == nil or is_kw(args[n]) or (util.bare(args[n]) and next(args[n]) == nil)) then
      kw, at = args[n], n
    elseif n >= 1 and n <= np_ and is_kw(args[n]) and (not s.map or n > 1 or only_keywords(args[n], s)) then
      kw, at = args[n], n
    elseif n > np_ + 1 then
      error(("%s: expected at most %d argument%s and an options table, got %d arguments"):format(
        fname, np_, np_ == 1 and "" or "s", n), 2)
    elseif n == np_ + 1 and args[n] ~= nil then
      error(("%s: options must be a table, got %s"):format(fname, type(args[n])), 2)
    end
    if kw == nil then return f(self, ...) end
    local named = {}
    for k, v in pairs(kw) do if type(k) == "string" then named[k] = v end end
    util.check_options(named, allowed, fname, 2, PD)
    local call = {}
    for i = 1, np_ do if i ~= at then call[i] = args[i] end end
    if #kw > 0 then   -- {"a", "b", ascending=false}: the list is the first argument
      if at ~= 1 or np_ == 0 then error(fname .. ": unexpected positional values in the options table", 2) end
      call[1] = table.move(kw, 1, #kw, 1, {})
    end
    for i, p in ipairs(s.params) do
      if kw[p] ~= nil then
        if call[i] ~= nil then error(("%s: argument '%s' is given twice"):format(fname, p), 2) end
        call[i] = kw[p]
      end
    end
    local o = {}
    for _, p in ipairs(s.opts) do o[p] = kw[p] end
    local inplace = kw.inplace
    if inplace ~= nil and type(inplace) ~= "boolean" then
      error(("%s: option 'inplace' must be true or false, got %s"):format(fname, type(inplace)), 2)
    end
    call[np_ + 1] = o
    local r = f(self, table.unpack(call, 1, np_ + 1))
    if inplace then adopt(self, r, fname) return nil end
    return r
  end
end

-- Wraps every method of S.methods and D.methods; errors on one without a spec.
function O.install()
  for _, set in ipairs { { "DataFrame", D.methods, frame_only }, { "Series", S.methods, series_only } } do
    local kind, M, own = set[1], set[2], set[3]
    local names = util.sorted_keys(M)
    for _, name in ipairs(names) do
      local s = own[name] or common[name]
      if not s then error(("frame_opts: no keyword spec for %s.%s"):format(kind, name)) end
      M[name] = wrap(kind, name, M[name], s)
    end
  end
end

-- The keyword spec of a method (tests call every method with a bad keyword).
function O.spec(kind, name)
  if kind == "DataFrame" then return frame_only[name] or common[name] end
  return series_only[name] or common[name]
end

-- For pd.* functions: util's checker with pd's wording, raising at the caller.
function O.check(opts, allowed, fname, level)
  return util.check_options(opts, allowed, fname, (level or 1) + 1, PD)
end

return O
