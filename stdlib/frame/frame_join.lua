-- frame_join.lua: combining frames (join on the index, merge on keys,
-- merge_asof on nearest times, concat) and groupby.
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"
local util = require "geolab.util"
local T = require "geolab.frame_ts"

local J = {}

local function as_frame(x, fname)
  if D.is_frame(x) then return x end
  if S.is_series(x) then
    if x.name == nil then error(fname .. ": a Series needs a name to be joined", 3) end
    return D.from_cols({ x.name }, { x._c }, x._index)
  end
  error(fname .. ": expected a DataFrame or Series", 3)
end

local function ints(t, n)
  n = n or #t
  if n == 0 then return fc.full(0, 0, "int64") end
  return fc.asarray(t, "int64")
end

-- Positions of each key among keys[1..n]; nil keys are left out.
local function positions_by_key(keys, n)
  local map = {}
  for i = 1, n do
    local k = keys[i]
    if k ~= nil then
      local l = map[k]
      if l then l[#l + 1] = i else map[k] = { i } end
    end
  end
  return map
end

-- Row pairs matching key lists lk and rk (Lua values; nil never matches).
-- Returns position lists li, ri (0 = no row) for how = left/right/inner/outer.
local function pair_rows(lk, nl, rk, nr, how)
  local li, ri = {}, {}
  if how == "right" then
    local lmap = positions_by_key(lk, nl)
    for j = 1, nr do
      local m = rk[j] ~= nil and lmap[rk[j]]
      if m then for _, i in ipairs(m) do li[#li + 1] = i; ri[#ri + 1] = j end
      else li[#li + 1] = 0; ri[#ri + 1] = j end
    end
    return li, ri
  end
  local map, used = positions_by_key(rk, nr), {}
  for i = 1, nl do
    local m = lk[i] ~= nil and map[lk[i]]
    if m then
      for _, j in ipairs(m) do li[#li + 1] = i; ri[#ri + 1] = j; used[j] = true end
    elseif how ~= "inner" then
      li[#li + 1] = i; ri[#ri + 1] = 0
    end
  end
  if how == "outer" then
    for j = 1, nr do if not used[j] then li[#li + 1] = 0; ri[#ri + 1] = j end end
  end
  return li, ri
end

local function combine_names(left, right, lsuf, rsuf, skip)
  local lset = {}
  for _, nm in ipairs(left._names) do lset[nm] = true end
  local rset = {}
  for _, nm in ipairs(right._names) do if not (skip and skip[nm]) then rset[nm] = true end end
  local lnames, rnames = {}, {}
  for i, nm in ipairs(left._names) do
    lnames[i] = (rset[nm] and not (skip and skip[nm])) and (nm .. lsuf) or nm
  end
  for _, nm in ipairs(right._names) do
    if not (skip and skip[nm]) then rnames[#rnames + 1] = lset[nm] and (nm .. rsuf) or nm end
  end
  return lnames, rnames
end

function J.join(left, other, opts)
  local right = as_frame(other, "join")
  local how = opts and opts.how or "left"
  local lsuf, rsuf = opts and opts.lsuffix or "", opts and opts.rsuffix or ""
  local lnames, rnames = combine_names(left, right, lsuf, rsuf)
  for i, nm in ipairs(left._names) do
    if lnames[i] == nm then
      for _, rn in ipairs(right._names) do
        if rn == nm and lsuf == "" and rsuf == "" then
          error(("join: columns overlap but no suffix specified: '%s'"):format(nm), 2)
        end
      end
    end
  end
  local names, cols = {}, {}
  local lix, rix = left._index, right._index
  local index, lpos, rpos
  local IX = function(ix, m) return C.Index.__index(ix, m) end
  local unique = IX(lix, "is_unique")(lix) and IX(rix, "is_unique")(rix)
  if unique and IX(lix, "equals")(lix, rix) then
    index = lix
  else
    -- pandas: unique indexes keep the left (right) order, outer sorts the
    -- union; non-unique ones give every matching pair, sorted by label
    local li, ri = pair_rows(C.tolist(lix), lix.n, C.tolist(rix), rix.n, how)
    lpos, rpos = ints(li), ints(ri)
    local sortit = how == "outer" or not unique
    local kc = how == "right" and C.take(rix, rpos) or C.take(lix, lpos)
    if how == "outer" or (not unique and how ~= "left" and how ~= "inner") then
      local fl, sl = C.tolist(C.take(lix, lpos)), C.tolist(C.take(rix, rpos))
      local keys = {}
      for i = 1, #li do keys[i] = fl[i] ~= nil and fl[i] or sl[i] end
      kc = lix.kind == "datetime" and C.new("datetime", ints(keys, #li)) or C.from_list(keys, #li)
    end
    if sortit then
      local order = S.order(kc, true)
      lpos, rpos = fc.take(lpos, order), fc.take(rpos, order)
      kc = C.take(kc, order)
    end
    index = C.index(kc, (how == "right") and rix.name or lix.name)
  end
  for i, nm in ipairs(left._names) do
    names[#names + 1] = lnames[i]
    cols[#cols + 1] = lpos and C.take(left._cols[nm], lpos) or left._cols[nm]
  end
  for i, nm in ipairs(right._names) do
    names[#names + 1] = rnames[i]
    cols[#cols + 1] = rpos and C.take(right._cols[nm], rpos) or right._cols[nm]
  end
  return D.from_cols(names, cols, index)
end

local function key_list(df, cols, fname)
  if type(cols) == "string" then cols = { cols } end
  local lists = {}
  for i, nm in ipairs(cols) do lists[i] = C.tolist(D.col(df, nm, fname, 4)) end
  if #cols == 1 then return lists[1] end
  local out = {}
  for r = 1, df._n do
    local parts = {}
    for i = 1, #cols do
      local v = lists[i][r]
      if v == nil then parts = nil break end
      parts[i] = tostring(v)
    end
    out[r] = parts and table.concat(parts, "\0") or nil
  end
  return out
end

function J.merge(left, right, opts)
  left, right = as_frame(left, "merge"), as_frame(right, "merge")
  opts = opts or {}
  local how = opts.how or "inner"
  local lon, ron = opts.left_on or opts.on, opts.right_on or opts.on
  if lon == nil then   -- common columns
    lon = {}
    local rset = {}
    for _, nm in ipairs(right._names) do rset[nm] = true end
    for _, nm in ipairs(left._names) do if rset[nm] then lon[#lon + 1] = nm end end
    if #lon == 0 then error("merge: no common columns to merge on; give on=", 2) end
    ron = lon
  end
  if type(lon) == "string" then lon = { lon } end
  if type(ron) == "string" then ron = { ron } end
  local lk, rk = key_list(left, lon, "merge"), key_list(right, ron, "merge")
  local li, ri = pair_rows(lk, left._n, rk, right._n, how)
  if how == "outer" then   -- pandas groups rows by key, in order of first appearance
    local rank, nr, nilrank = {}, 0, {}
    local r = {}
    for k = 1, #li do
      local key
      if li[k] > 0 then key = lk[li[k]] else key = rk[ri[k]] end
      local id = key == nil and (li[k] > 0 and ("\0nil" .. li[k]) or ("\0nilr" .. ri[k])) or key
      if not rank[id] then nr = nr + 1; rank[id] = nr end
      r[k] = rank[id]
    end
    local order = {}
    for k = 1, #li do order[k] = k end
    table.sort(order, function(a, b) if r[a] ~= r[b] then return r[a] < r[b] end return a < b end)
    local l2, r2 = {}, {}
    for k, o in ipairs(order) do l2[k] = li[o]; r2[k] = ri[o] end
    li, ri = l2, r2
    local _ = nilrank
  end
  local lpos, rpos = ints(li), ints(ri)
  local same = {}
  for i = 1, #lon do if lon[i] == ron[i] then same[ron[i]] = true end end
  local suf = opts.suffixes or { "_x", "_y" }
  local lnames, rnames = combine_names(left, right, suf[1], suf[2], same)
  local names, cols = {}, {}
  for i, nm in ipairs(left._names) do
    names[#names + 1] = lnames[i]
    local c = C.take(left._cols[nm], lpos)
    if same[nm] and (how == "outer" or how == "right") then   -- keys from whichever side has them
      local rc = C.take(right._cols[nm], rpos)
      local lv, rv = C.tolist(c), C.tolist(rc)
      for r = 1, #li do if li[r] == 0 then lv[r] = rv[r] end end
      c = (c.kind == "datetime") and C.new("datetime", fc.asarray(lv, "int64")) or C.from_list(lv, #li)
    end
    cols[#cols + 1] = c
  end
  local k = 0
  for _, nm in ipairs(right._names) do
    if not same[nm] then
      k = k + 1
      names[#names + 1] = rnames[k]
      cols[#cols + 1] = C.take(right._cols[nm], rpos)
    end
  end
  return D.from_cols(names, cols, C.range_index(#li))
end

-- merge_asof(left, right, {on=|left_on=,right_on=|left_index=,right_index=,
-- direction="backward"|"forward"|"nearest", tolerance=})
function J.merge_asof(left, right, opts)
  left, right = as_frame(left, "pd.merge_asof"), as_frame(right, "pd.merge_asof")
  opts = opts or {}
  local dir = opts.direction or "backward"
  local method = ({ backward = "pad", forward = "backfill", nearest = "nearest" })[dir]
  if not method then error("pd.merge_asof: direction must be 'backward', 'forward' or 'nearest'", 2) end
  local function keys(df, on, use_index, side)
    if use_index then return df._index end
    if not on then error("pd.merge_asof: give on=, " .. side .. "_on= or " .. side .. "_index=true", 3) end
    return D.col(df, on, "pd.merge_asof", 3)
  end
  local lk = keys(left, opts.left_on or opts.on, opts.left_index, "left")
  local rk = keys(right, opts.right_on or opts.on, opts.right_index, "right")
  local la = lk.kind == "datetime" and lk.data or fc.astype(C.float_array(lk), "int64")
  local ra = rk.kind == "datetime" and rk.data or fc.astype(C.float_array(rk), "int64")
  local tol = opts.tolerance and T.parse_timedelta(opts.tolerance, "pd.merge_asof") or -1
  local ok, pos = pcall(fc.index_match, ra, la, method, tol)
  if not ok then error("pd.merge_asof: right keys must be sorted", 2) end
  local names, cols = {}, {}
  local skip = {}
  if opts.on then skip[opts.on] = true end
  if opts.right_on and opts.right_on == opts.left_on then skip[opts.right_on] = true end
  local lnames, rnames = combine_names(left, right, "_x", "_y", skip)
  for i, nm in ipairs(left._names) do names[#names + 1] = lnames[i]; cols[#cols + 1] = left._cols[nm] end
  local k = 0
  for _, nm in ipairs(right._names) do
    if not skip[nm] then
      k = k + 1
      names[#names + 1] = rnames[k]
      cols[#cols + 1] = C.take(right._cols[nm], pos)
    end
  end
  return D.from_cols(names, cols, opts.left_index and left._index or C.range_index(left._n))
end

function J.concat(objs, opts)
  local axis = D.axis_number(opts and opts.axis, "pd.concat")
  if not util.bare(objs) or S.is_series(objs) or D.is_frame(objs) then
    error("pd.concat: objs must be a list of DataFrames or Series, got " ..
      (S.is_series(objs) and "a Series" or D.is_frame(objs) and "a DataFrame" or type(objs)), 2)
  end
  if #objs == 0 then error("pd.concat: no objects to concatenate", 2) end
  local series = S.is_series(objs[1])
  for i, o in ipairs(objs) do
    if not (D.is_frame(o) or (series and S.is_series(o)) or (axis == 1 and S.is_series(o))) then
      error(("pd.concat: objs[%d] is a %s; expected %s"):format(i, S.is_series(o) and "Series" or type(o),
        series and "Series" or "DataFrames"), 2)
    end
  end
  if axis == 1 then
    local out = as_frame(objs[1], "pd.concat")
    for i = 2, #objs do out = J.join(out, as_frame(objs[i], "pd.concat"), { how = "outer" }) end
    return out
  end
  if S.is_series(objs[1]) then
    local cols, ixs = {}, {}
    for i, s in ipairs(objs) do cols[i] = s._c; ixs[i] = s._index end
    local ix = (opts and opts.ignore_index) and C.range_index(0) or C.index(C.concat(ixs), ixs[1].name)
    local c = C.concat(cols)
    if opts and opts.ignore_index then ix = C.range_index(c.n) end
    return S.new(c, ix, objs[1].name)
  end
  local names, seen = {}, {}
  for _, df in ipairs(objs) do
    if not D.is_frame(df) then error("pd.concat: expected DataFrames", 2) end
    for _, nm in ipairs(df._names) do if not seen[nm] then seen[nm] = true; names[#names + 1] = nm end end
  end
  local cols = {}
  for j, nm in ipairs(names) do
    local parts = {}
    for i, df in ipairs(objs) do
      parts[i] = df._cols[nm] or C.new("float", fc.full(df._n, 0 / 0, "float64"))
    end
    cols[j] = C.concat(parts)
  end
  local ixs = {}
  for i, df in ipairs(objs) do ixs[i] = df._index end
  local ix = C.index(C.concat(ixs), objs[1]._index.name)
  if (opts and opts.ignore_index) or ix.kind == "range" and not (ix.start == 1) then ix = C.range_index(ix.n) end
  if ix.kind == "int" and objs[1]._index.kind == "range" then ix = C.range_index(ix.n) end
  return D.from_cols(names, cols, ix)
end

-- {====================================================================
-- groupby
-- ====================================================================}

local GroupBy = {}

local function groupby(obj, by, opts)
  local isS = S.is_series(obj)
  local keys = type(by) == "table" and not S.is_series(by) and by or { by }
  local kcols, knames = {}, {}
  for i, k in ipairs(keys) do
    if S.is_series(k) then kcols[i] = k._c; knames[i] = k.name or ("key" .. i)
    elseif isS then error("groupby: a Series groups by another Series", 2)
    else kcols[i] = D.col(obj, k, "groupby", 3); knames[i] = k end
  end
  local n = kcols[1].n
  local codes, uniques = {}, {}
  local combined
  for i, c in ipairs(kcols) do
    if c.n ~= n then error("groupby: keys differ in length", 2) end
    local cd, u = S.factorize(c)
    codes[i], uniques[i] = cd, u
  end
  if #kcols == 1 then combined = codes[1]
  else
    combined = fc.astype(codes[1], "int64")
    local cl = {}
    for i = 1, #kcols do cl[i] = fc.tolist(codes[i]) end
    local t = {}
    for r = 1, n do
      local v, bad = 0, false
      for i = 1, #kcols do
        if cl[i][r] == 0 then bad = true end
        v = v * (#uniques[i] + 1) + cl[i][r]
      end
      t[r] = bad and 0 or v
    end
    combined = n > 0 and fc.asarray(t, "int64") or fc.full(0, 0, "int64")
    combined = select(1, fc.factorize(fc.putmask(fc.astype(combined, "float64"), np.equal(combined, 0), fc.full(1, 0 / 0))))
  end
  -- 0-based codes for the kernels, -1 for missing keys
  local z = np.subtract(combined, 1)
  local ng = math.tointeger(np.max and (n > 0 and np.max(combined) or 0) or 0)
  if ng == nil then
    ng = 0
    for _, v in ipairs(fc.tolist(combined)) do if v > ng then ng = v end end
  end
  -- labels of each group: the key values of its first row
  local first = {}
  local cl = fc.tolist(combined)
  for r = 1, n do local g = cl[r]; if g > 0 and not first[g] then first[g] = r end end
  local fpos = {}
  for g = 1, ng do fpos[g] = first[g] end
  local gb = { obj = obj, codes = fc.astype(z, "int64"), ng = ng, firstpos = ints(fpos, ng), kcols = kcols,
               knames = knames, isS = isS, sel = nil, rows = cl }
  return setmetatable(gb, GroupBy)
end

local function result_index(gb)
  if #gb.kcols == 1 then return C.index(C.take(gb.kcols[1], gb.firstpos), gb.knames[1]) end
  return C.range_index(gb.ng)
end

local function key_columns(gb)
  local names, cols = {}, {}
  if #gb.kcols > 1 then
    for i, c in ipairs(gb.kcols) do names[i] = gb.knames[i]; cols[i] = C.take(c, gb.firstpos) end
  end
  return names, cols
end

-- A groupby on several keys has no MultiIndex here: its results keep the keys
-- as leading columns over a RangeIndex, as pandas' groupby(..., as_index=
-- False) gives them, Series results included (g.v:sum(), g:size() are frames
-- with the key columns and the value column), so no result loses its keys.
-- The mark lets reset_index and loc say what pandas code meant.
local function flat(gb, df)
  if #gb.kcols > 1 then rawset(df, "_group_keys", gb.knames) end
  return df
end
local function keyed_series(gb, c, name)
  local names, cols = key_columns(gb)
  names[#names + 1], cols[#cols + 1] = name, c
  return flat(gb, D.from_cols(names, cols, C.range_index(gb.ng)))
end

local function value_names(gb)
  if gb.isS then return nil end
  if gb.sel then return gb.sel end
  local isk = {}
  for _, k in ipairs(gb.knames) do isk[k] = true end
  local t = {}
  for _, nm in ipairs(gb.obj._names) do if not isk[nm] then t[#t + 1] = nm end end
  return t
end

local function apply_how(gb, how, fn_for)
  local ix = result_index(gb)
  if gb.isS then
    local c = T.agg_col(gb.obj._c, gb.codes, gb.ng, how)
    if #gb.kcols > 1 then return keyed_series(gb, c, gb.obj.name or "value") end
    return S.new(c, ix, gb.obj.name)
  end
  local names, cols = key_columns(gb)
  for _, nm in ipairs(value_names(gb)) do
    local h = fn_for and fn_for(nm) or how
    local c
    if type(h) == "function" then
      local vals = {}
      for g, sub in GroupBy.iter(gb, nm) do vals[#vals + 1] = h(sub) local _ = g end
      c = C.from_list(vals, gb.ng)
    else
      c = T.agg_col(gb.obj._cols[nm], gb.codes, gb.ng, h)
    end
    if c then names[#names + 1] = nm; cols[#cols + 1] = c end
  end
  return flat(gb, D.from_cols(names, cols, ix))
end

local internal = { obj = 1, codes = 1, ng = 1, firstpos = 1, kcols = 1, knames = 1, isS = 1, sel = 1, rows = 1, _it = 1 }
GroupBy.__index = function(gb, k)
  local m = rawget(GroupBy, k)
  if m then return m end
  if internal[k] then return nil end
  if type(k) == "string" and (gb.isS or not gb.obj._cols[k]) then
    -- gb:meen() or gb.nocolumn: neither a method nor a column
    local names = util.sorted_keys(GroupBy)
    for i = #names, 1, -1 do
      if type(names[i]) ~= "string" or names[i]:sub(1, 1) == "_" then table.remove(names, i) end
    end
    if not gb.isS then for _, nm in ipairs(gb.obj._names) do names[#names + 1] = nm end end
    local near = util.nearest(k, names)
    error(("GroupBy has no method%s '%s'%s"):format(gb.isS and "" or " or column", k,
      near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
  if type(k) == "string" or type(k) == "table" then
    if gb.isS then error("groupby: cannot select columns of a Series grouping", 2) end
    local sel = type(k) == "string" and { k } or k
    for _, nm in ipairs(sel) do D.col(gb.obj, nm, "groupby", 2) end
    local g2 = setmetatable({}, GroupBy)
    for kk, v in pairs(gb) do g2[kk] = v end
    g2.sel = sel
    if type(k) == "string" then   -- a single column: Series results
      g2.obj = S.new(gb.obj._cols[k], gb.obj._index, k)
      g2.isS = true
    end
    return g2
  end
end

for _, how in ipairs { "mean", "sum", "count", "std", "var", "min", "max", "median", "first", "last", "prod" } do
  GroupBy[how] = function(gb) return apply_how(gb, how) end
end

function GroupBy.size(gb)
  local r = fc.group_reduce(gb.codes, gb.ng, fc.full(select(2, fc.info(gb.codes)), 0), "size")
  local c = C.new("int", fc.astype(r, "int64"))
  if #gb.kcols > 1 then return keyed_series(gb, c, "size") end
  return S.new(c, result_index(gb), "size")
end

function GroupBy.agg(gb, spec)
  if type(spec) == "string" then return apply_how(gb, spec) end
  if type(spec) == "function" then return apply_how(gb, nil, function() return spec end) end
  if gb.isS then error("groupby.agg: give a function name or function for a Series", 2) end
  local names, cols = key_columns(gb)
  local keys = {}
  for _, nm in ipairs(gb.obj._names) do if spec[nm] then keys[#keys + 1] = nm end end
  for k in pairs(spec) do D.col(gb.obj, k, "groupby.agg", 2) end
  for _, nm in ipairs(keys) do
    local hows = spec[nm]
    local list = type(hows) == "table" and hows or { hows }
    for _, h in ipairs(list) do
      local c
      if type(h) == "function" then
        local vals = {}
        for _, sub in GroupBy.iter(gb, nm) do vals[#vals + 1] = h(sub) end
        c = C.from_list(vals, gb.ng)
      else
        c = T.agg_col(gb.obj._cols[nm], gb.codes, gb.ng, h)
        if not c then error(("groupby.agg: cannot take '%s' of column '%s'"):format(h, nm), 2) end
      end
      names[#names + 1] = #list > 1 and (nm .. "_" .. (type(h) == "string" and h or "fn")) or nm
      cols[#cols + 1] = c
    end
  end
  return flat(gb, D.from_cols(names, cols, result_index(gb)))
end
GroupBy.aggregate = GroupBy.agg

-- for key, sub in gb:iter() do ... end  (sub: the group's rows)
function GroupBy.iter(gb, colname)
  local members = {}
  for r, g in ipairs(gb.rows) do
    if g > 0 then
      local l = members[g]
      if l then l[#l + 1] = r else members[g] = { r } end
    end
  end
  local ix = result_index(gb)
  local g = 0
  return function()
    g = g + 1
    if g > gb.ng then return nil end
    local pos = ints(members[g])
    local key
    if #gb.kcols == 1 then key = C.get(ix, g)
    else   -- a tuple, printed as pandas prints it: ("x", 1)
      key = {}
      for i, c in ipairs(gb.kcols) do key[i] = C.get(c, fc.get(gb.firstpos, g)) end
      key = util.shape(key)
    end
    local obj = gb.obj
    if colname then return key, S.new(C.take(obj._cols[colname], pos), C.index(C.take(obj._index, pos)), colname) end
    if gb.isS then return key, obj:take(pos) end
    return key, D.methods.take(obj, pos)
  end
end
function GroupBy.apply(gb, f)
  local keys, vals = {}, {}
  for key, sub in GroupBy.iter(gb) do keys[#keys + 1] = key; vals[#vals + 1] = f(sub) end
  if #gb.kcols > 1 then return keyed_series(gb, C.from_list(vals, #vals), "value") end
  return S.new(C.from_list(vals, #vals), result_index(gb), nil)
end
function GroupBy.groups(gb) return GroupBy.iter(gb) end
-- for key, sub in df:groupby("k") do ... end: the object is its own iterator
GroupBy.__call = function(gb, _, prev)
  local st = rawget(gb, "_it")
  if prev == nil or not st then
    st = { next = GroupBy.iter(gb) }
    rawset(gb, "_it", st)
  end
  local key, sub = st.next()
  if key == nil then rawset(gb, "_it", nil) end
  return key, sub
end
GroupBy.__len = function(gb) return gb.ng end

S.methods.groupby = function(s, by, opts) return groupby(s, by, opts) end
D.methods.groupby = groupby
D.methods.join = J.join
D.methods.merge = function(l, r, o) return J.merge(l, r, o) end
S.methods.to_frame = S.methods.to_frame

return J
