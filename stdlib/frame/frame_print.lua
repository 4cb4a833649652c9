-- frame_print.lua: text of Series and DataFrames as pandas prints them:
-- right-justified columns, a left-justified index, floats with 6 decimals
-- less the trailing zeros every value shares, 5 head + 5 tail rows past 60
-- rows, middle columns elided to fit 80 characters, info().
local fc = require "geolab.frame_core"
local C = require "geolab.frame_col"
local S = require "geolab.frame_series"
local D = require "geolab.frame_df"

local P = { max_rows = 60, min_rows = 10, width = 80 }

local function ulen(s) return utf8.len(s) or #s end
local function rjust(s, w) return (" "):rep(w - ulen(s)) .. s end
local function ljust(s, w) return s .. (" "):rep(w - ulen(s)) end
local function center(s, w)
  local pad = w - ulen(s)
  if pad <= 0 then return s end
  local left = pad // 2
  return (" "):rep(left) .. s .. (" "):rep(pad - left)
end

-- rows to show and the position after which "..." goes (0: none)
local function shown_rows(n)
  if n <= P.max_rows then
    local r = {}
    for i = 1, n do r[i] = i end
    return r, 0
  end
  local h = P.min_rows // 2
  local r = {}
  for i = 1, h do r[#r + 1] = i end
  for i = n - h + 1, n do r[#r + 1] = i end
  return r, h
end

-- Value strings of a column as they appear in a table (with pandas' leading
-- space for everything but datetimes).
local function cell_strings(c, rows)
  local strs = C.format(c, rows)
  if c.kind == "float" or c.kind == "datetime" then return strs end
  local out = {}
  for i, s in ipairs(strs) do out[i] = s == "NaN" and s or (" " .. s) end
  return out
end

local function index_strings(ix, rows)
  if ix.kind == "range" then
    local t = {}
    for i, r in ipairs(rows) do t[i] = tostring(ix.start + r - 1) end
    return t
  end
  local t = C.format(ix, rows)
  return t
end

function P.frame(df)
  local n, names = df._n, df._names
  local rows, cut = shown_rows(n)
  local ix = df._index
  local istr = index_strings(ix, rows)
  local iname = ix.name and tostring(ix.name) or nil
  local iw = iname and ulen(iname) or 0
  for _, s in ipairs(istr) do iw = math.max(iw, ulen(s)) end
  if cut > 0 then iw = math.max(iw, 2) end
  -- every column's strings and width
  local cols = {}
  for j, nm in ipairs(names) do
    local c = df._cols[nm]
    local vals = cell_strings(c, rows)
    local head = (C.is_numeric(c) and " " or "") .. tostring(nm)   -- pandas pads numeric headers
    local w = ulen(head)
    for _, s in ipairs(vals) do w = math.max(w, ulen(s)) end
    if cut > 0 then w = math.max(w, 3) end
    cols[j] = { head = head, vals = vals, w = w }
  end
  -- fit the width as pandas does (DataFrameFormatter._fit_strcols_to_terminal_width):
  -- drop middle columns until the lines fit, then show as many first and
  -- last columns (half each) with a "..." column between them
  local show, truncated_cols = cols, false
  local maxlen = iw
  for _, c in ipairs(cols) do maxlen = maxlen + 1 + c.w end
  if maxlen > P.width and #cols > 0 then
    local lens = { iw }
    for _, c in ipairs(cols) do lens[#lens + 1] = c.w end
    local adj = maxlen - P.width + 1
    -- pandas removes the middle entry again and again; the removed entries
    -- always form one block g1..g2 around the middle, so it is kept as that
    -- block instead of table.remove, which made 100,000 columns quadratic
    -- (18 s to print)
    local total, g1, g2 = #lens, 1, 0   -- empty block
    local len = total
    while adj > 0 and len > 1 do
      local half = len / 2   -- Python's round(): halves go to the even neighbour
      local mid = math.floor(half + 0.5)
      if half % 1 == 0.5 and mid % 2 == 1 then mid = mid - 1 end
      local p = mid + 1   -- position in the remaining list
      local o = p < g1 and p or p + (g2 - g1 + 1)   -- its original index
      if g2 < g1 then g1, g2 = o, o
      elseif o == g1 - 1 then g1 = o
      elseif o == g2 + 1 then g2 = o
      else error("frame print: internal error (column block)") end
      adj = adj - lens[o] - 1
      len = len - 1
    end
    local fitted = math.max(len - 1, 2)
    local half = fitted // 2
    if half < #cols / 2 then
      truncated_cols = true
      show = {}
      for j = 1, half do show[#show + 1] = cols[j] end
      show[#show + 1] = { head = "...", vals = setmetatable({}, { __index = function() return "..." end }), w = 4 }
      for j = #cols - half + 1, #cols do show[#show + 1] = cols[j] end
    end
  end
  local lines = {}
  local hdr = { (" "):rep(iw) }
  for _, c in ipairs(show) do hdr[#hdr + 1] = rjust(c.head, c.w) end
  lines[1] = table.concat(hdr, " ")
  if iname then
    local w = ulen(lines[1])
    lines[2] = ljust(iname, w)
  end
  for i = 1, #rows do
    local parts = { ljust(istr[i], iw) }
    for _, c in ipairs(show) do parts[#parts + 1] = rjust(c.vals[i], c.w) end
    lines[#lines + 1] = table.concat(parts, " ")
    if i == cut then
      local dots = { ljust("..", iw) }
      for _, c in ipairs(show) do dots[#dots + 1] = rjust("...", c.w) end
      lines[#lines + 1] = table.concat(dots, " ")
    end
  end
  if #names == 0 then
    return ("Empty DataFrame\nColumns: []\nIndex: [%s]"):format(n == 0 and "" or "...")
  end
  if n == 0 then
    return ("Empty DataFrame\nColumns: [%s]\nIndex: []"):format(table.concat(names, ", "))
  end
  local out = table.concat(lines, "\n")
  if cut > 0 or truncated_cols then
    out = out .. ("\n\n[%d rows x %d columns]"):format(n, #names)
  end
  return out
end

function P.series(s)
  local c, ix, n = s._c, s._index, s._c.n
  local rows, cut = shown_rows(n)
  local istr = index_strings(ix, rows)
  local vals = C.format(c, rows)
  if c.kind ~= "float" and c.kind ~= "datetime" then
    for i, v in ipairs(vals) do if v ~= "NaN" then vals[i] = " " .. v end end
  end
  local iw, vw = 0, 0
  for _, v in ipairs(istr) do iw = math.max(iw, ulen(v)) end
  for _, v in ipairs(vals) do vw = math.max(vw, ulen(v)) end
  local lines = {}
  if ix.name then lines[1] = tostring(ix.name) end
  for i = 1, #rows do
    lines[#lines + 1] = ljust(istr[i], iw) .. "   " .. rjust(vals[i], vw)
    if i == cut then
      lines[#lines + 1] = (" "):rep(iw) .. "   " .. center(vw > 3 and "..." or "..", vw)
    end
  end
  local foot = {}
  if s.name ~= nil then foot[#foot + 1] = "Name: " .. tostring(s.name) end
  if cut > 0 then foot[#foot + 1] = "Length: " .. n end
  foot[#foot + 1] = "dtype: " .. C.dtype(c)
  if n == 0 then
    return ("Series([], %sdtype: %s)"):format(s.name ~= nil and ("Name: " .. tostring(s.name) .. ", ") or "", C.dtype(c))
  end
  lines[#lines + 1] = table.concat(foot, ", ")
  return table.concat(lines, "\n")
end

function P.info(df)
  local out = { "<class 'geolab.DataFrame'>" }
  local ix = df._index
  local function lab(i) return index_strings(ix, { i })[1] end
  if ix.kind == "range" then
    out[#out + 1] = ("RangeIndex: %d entries, %d to %d"):format(ix.n, ix.start, ix.start + ix.n - 1)
  elseif ix.n > 0 then
    out[#out + 1] = ("%s: %d entries, %s to %s"):format(ix.kind == "datetime" and "DatetimeIndex" or "Index",
      ix.n, lab(1), lab(ix.n))
  else
    out[#out + 1] = ("Index: 0 entries")
  end
  out[#out + 1] = ("Data columns (total %d columns):"):format(#df._names)
  local nw = 6
  for _, nm in ipairs(df._names) do nw = math.max(nw, ulen(tostring(nm))) end
  local rowsw = #tostring(#df._names)
  out[#out + 1] = (" %s  %s  %s  %s"):format(ljust("#", math.max(rowsw, 3)), ljust("Column", nw), "Non-Null Count", "Dtype")
  out[#out + 1] = (" %s  %s  %s  %s"):format(ljust("---", math.max(rowsw, 3)), ljust("------", nw), "--------------", "-----")
  local counts = {}
  local bytes = 0
  for j, nm in ipairs(df._names) do
    local c = df._cols[nm]
    local na = C.isna_array(c)
    local nn = df._n - math.tointeger(np.sum(fc.astype(na, "int64")) or 0)
    local dt = C.dtype(c)
    counts[dt] = (counts[dt] or 0) + 1
    bytes = bytes + df._n * ((dt == "bool" or dt == "uint8") and 1 or (dt == "float32" or dt == "int32") and 4 or 8)
    out[#out + 1] = (" %s  %s  %s  %s"):format(ljust(tostring(j), math.max(rowsw, 3)), ljust(tostring(nm), nw),
      ljust(("%d non-null"):format(nn), 14), dt)
  end
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = ("%s(%d)"):format(k, counts[k]) end
  out[#out + 1] = "dtypes: " .. table.concat(parts, ", ")
  if ix.kind ~= "range" then bytes = bytes + ix.n * 8 end
  local mem = bytes < 1024 and ("%d bytes"):format(bytes) or bytes < 1024 ^ 2 and ("%.1f KB"):format(bytes / 1024)
    or ("%.1f MB"):format(bytes / 1024 ^ 2)
  out[#out + 1] = "memory usage: " .. mem
  return table.concat(out, "\n")
end

-- P.html(df, max_rows, repr): pandas' to_html table: every row, or past
-- max_rows max_rows // 2 first and last rows with a "..." row between. With
-- repr, what a notebook shows (pandas' _repr_html_): the rows print shows
-- (5 + 5 past 60) and "n rows × m columns" under a cut table.
local function esc(s)
  return (s:gsub("[&<>\"]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;"}))
end
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

function P.html(df, max_rows, repr)
  local n, names = df._n, df._names
  local rows, cut
  if repr then rows, cut = shown_rows(n)
  elseif max_rows and n > max_rows then
    local h = max_rows // 2
    rows, cut = {}, h
    for i = 1, h do rows[#rows + 1] = i end
    for i = n - h + 1, n do rows[#rows + 1] = i end
  else
    rows, cut = {}, 0
    for i = 1, n do rows[i] = i end
  end
  local ix = df._index
  local istr = index_strings(ix, rows)
  local cols = {}
  for j, nm in ipairs(names) do cols[j] = cell_strings(df._cols[nm], rows) end
  local out = {'<table border="1" class="dataframe">', "  <thead>", '    <tr style="text-align: right;">', "      <th></th>"}
  for _, nm in ipairs(names) do out[#out + 1] = "      <th>" .. esc(tostring(nm)) .. "</th>" end
  out[#out + 1] = "    </tr>"
  if ix.name then
    out[#out + 1] = "    <tr>"
    out[#out + 1] = "      <th>" .. esc(tostring(ix.name)) .. "</th>"
    for _ = 1, #names do out[#out + 1] = "      <th></th>" end
    out[#out + 1] = "    </tr>"
  end
  out[#out + 1] = "  </thead>"
  out[#out + 1] = "  <tbody>"
  for i = 1, #rows do
    out[#out + 1] = "    <tr>"
    out[#out + 1] = "      <th>" .. esc(trim(istr[i])) .. "</th>"
    for j = 1, #names do out[#out + 1] = "      <td>" .. esc(trim(cols[j][i])) .. "</td>" end
    out[#out + 1] = "    </tr>"
    if i == cut then
      out[#out + 1] = "    <tr>"
      out[#out + 1] = "      <th>...</th>"
      for _ = 1, #names do out[#out + 1] = "      <td>...</td>" end
      out[#out + 1] = "    </tr>"
    end
  end
  out[#out + 1] = "  </tbody>"
  out[#out + 1] = "</table>"
  if repr and cut > 0 then out[#out + 1] = ("<p>%d rows × %d columns</p>"):format(n, #names) end
  return table.concat(out, "\n")
end

D.DataFrame.__tostring = P.frame
S.Series.__tostring = P.series
function D.methods.info(df) print(P.info(df)) end
function D.methods.to_string(df) return P.frame(df) end
function D.methods.to_html(df, o)
  local m = o and o.max_rows
  if m ~= nil and (math.type(m) ~= "integer" or m < 1) then
    error("DataFrame.to_html: max_rows must be a positive integer", 2)
  end
  return P.html(df, m)
end
function S.methods.to_string(s) return P.series(s) end

return P
