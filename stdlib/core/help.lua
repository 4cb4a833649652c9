-- help.lua: help(x) prints the manual entry of a function, class, object or
-- module (geolab.help). Entries are cut from the manual pages (docs/*.md) at
-- build time by cmake/helpgen.lua into geolab.help_entries, so the manual is
-- the one source and nothing parses markdown at run time. The pages follow one rule, docs/dev/conventions.md "Help entries":
-- a function is defined where a list item, a table row or a paragraph of its
-- section starts with a code span naming it (`np.linspace(start, stop, num)`,
-- `ax:plot([x,] y[, fmt][, opts])`, `StandardScaler{with_mean, with_std}`);
-- its entry is the heading, those lines, and the section's first example that
-- calls it.
local util = require "geolab.util"
local H = {}

-- The modules help() knows, as users write them, with one line each.
local MODULES = {
  {"np", "N-d arrays, maths, reductions, linalg, random, files (NumPy)", "arrays.md"},
  {"pd", "frames and series: CSV, missing values, time series, groups (pandas)", "frames.md"},
  {"plt", "figures and axes, PNG/SVG/PDF (matplotlib)", "plotting.md"},
  {"ml", "estimators, preprocessing, model selection, metrics (scikit-learn)", "ml.md"},
  {"spatial", "kd-trees, neighbourhoods, point-cloud features, LAS files (scipy.spatial)", "spatial.md"},
  {"stats", "moments, correlations, distributions, entropy, kernel densities (scipy.stats)", "statistics.md"},
  {"signal", "filters, spectra, windows, peaks, STA/LTA (scipy.signal, ObsPy)", "signal.md"},
  {"fs", "files and folders: glob, listdir, walk, paths, mkdir (os.path, glob, pathlib)", "files.md"},
  {"seis", "seismograms: miniSEED and SAC, traces, streams, merge (ObsPy)", "seismic.md"},
  {"nn", "neural networks: tensors with gradients, layers, losses, models (PyTorch)", "nn.md"},
  {"optim", "optimisers and learning-rate schedulers for nn models (torch.optim)", "optim.md"},
}
H.modules = MODULES

-- The pages of each module, preferred when an entry is cut.
local PAGES = {
  np = {["arrays.md"] = true, ["arrays_reduce.md"] = true, ["arrays_io.md"] = true, ["linalg_random.md"] = true},
  pd = {["frames.md"] = true}, plt = {["plotting.md"] = true, ["gallery.md"] = true},
  ml = {["ml.md"] = true, ["clustering.md"] = true}, spatial = {["spatial.md"] = true},
  stats = {["statistics.md"] = true, ["clustering.md"] = true}, signal = {["signal.md"] = true}, fs = {["files.md"] = true},
  seis = {["seismic.md"] = true}, nn = {["nn.md"] = true, ["nn_training.md"] = true, ["optim.md"] = true},
  optim = {["optim.md"] = true},
}

-- {======================================================================
-- The entries: geolab.help_entries, built from docs/*.md by cmake/helpgen.lua
-- (sections, units and an index from names to units; see that file)
-- ======================================================================

local db
local function entries()
  if not db then
    local ok, t = pcall(require, "geolab.help_entries")
    db = ok and t or {sections = {}, units = {}, index = {}}
  end
  return db
end

local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end

-- The names under which the pages may write key, as helpgen indexes them
-- ("np.linspace" -> np.linspace, array.linspace, a:linspace, linspace;
-- "plt.Axes.plot" -> ax:plot, plot; "ml.SVC" -> ml.SVC, SVC).
local function forms(key)
  local parts = {}
  for p in key:gmatch("[^%.]+") do parts[#parts + 1] = p end
  local short = parts[#parts]
  local f = {key}
  if parts[1] == "np" and #parts == 2 then
    f[#f + 1] = "array." .. short
    f[#f + 1] = ":" .. short
    f[#f + 1] = short        -- lists of ufuncs: `sin`, `cos`
  elseif parts[1] == "np" and #parts == 3 then
    f[#f + 1] = ":" .. short
  elseif parts[1] == "plt" and (parts[2] == "Axes" or parts[2] == "Figure") then
    f[#f + 1] = ":" .. short
    f[#f + 1] = short
  elseif parts[1] == "pd" and #parts == 2 and short:match("^%l") then
    f[#f + 1] = ":" .. short
  elseif parts[1] == "seis" and #parts == 3 then
    f[#f + 1] = ":" .. short                                -- tr:copy, st:merge
  elseif parts[1] == "ml" or parts[1] == "spatial" or parts[1] == "stats" then
    if #parts == 2 then f[#f + 1] = short end
  elseif parts[1] == "seis" and #parts == 3 then
    f[#f + 1] = ":" .. short   -- seis.Trace.filter is written tr:filter(...)
  end
  return f
end

-- Units of the manual for key: definitions first (a unit that starts with a
-- code span naming key), then mentions.
local function find(key)
  local d = entries()
  local short = key:match("([^%.]+)$")
  local ids, seen = {}, {}
  for _, name in ipairs(forms(key)) do
    for _, id in ipairs(d.index[name] or {}) do
      local u = math.abs(id)
      if seen[u] == nil then ids[#ids + 1] = u; seen[u] = false end
      if id > 0 then seen[u] = true end
    end
  end
  table.sort(ids)   -- unit ids follow the pages' order
  local hits = {}
  for _, u in ipairs(ids) do
    local unit = d.units[u]
    local sec = d.sections[unit[1]]
    -- def: true (a definition), false (starts with another name), nil (prose)
    local def = seen[u]
    if not def and not unit[3] then def = nil end
    hits[#hits + 1] = {page = sec.page, sec = sec, unit = unit[2], def = def}
  end
  -- definitions first, then the module's own pages, then page order
  local home = PAGES[key:match("^[^%.]+")] or {}
  local function rank(h)
    local r = h.def and 0 or 4
    if not home[h.page] then r = r + 2 end
    if h.page == "repl.md" or h.page == "performance.md" then r = r + 1 end
    return r
  end
  for i, h in ipairs(hits) do h.order, h.rank = i, rank(h) end
  table.sort(hits, function(a, b)
    if a.rank ~= b.rank then return a.rank < b.rank end
    return a.order < b.order
  end)
  return hits, short
end

-- The first example of sec that calls short (short( short{ :short).
local function example(sec, short)
  local p = "[%.:]" .. escape(short) .. "%s*[%({\"]"
  for _, ex in ipairs(sec.examples) do
    if ex:find(p) or ex:find("^" .. escape(short) .. "%s*[%({]") or ex:find("[^%w_]" .. escape(short) .. "%s*[%({]") then
      return ex
    end
  end
  return nil
end

-- }======================================================================

-- {======================================================================
-- Entries
-- ======================================================================

local MAX_UNITS, MAX_EXAMPLE_LINES = 4, 14

local function clean(u)
  u = u:gsub("^%s*[-*]%s+", ""):gsub("\n%s+", "\n")
  if u:match("^|") then
    local cells = {}
    for c in u:gmatch("|([^|]*)") do
      c = c:match("^%s*(.-)%s*$")
      if c ~= "" then cells[#cells + 1] = c end
    end
    u = table.concat(cells, ": ")
  end
  return u
end

local function indent(s, pre)
  return pre .. s:gsub("\n", "\n" .. pre)
end

-- H.entry(key) -> text of the manual entry for key, or nil.
function H.entry(key)
  local hits, short = find(key)
  if #hits == 0 then return nil end
  local out = {key}
  local first = hits[1]
  out[#out + 1] = ("  (docs/%s, %s)"):format(first.page, first.sec.title ~= "" and ('"' .. first.sec.title .. '"') or "top")
  out[1] = out[1] .. out[2]; out[2] = nil
  local seen = {}
  local n = 0
  for _, h in ipairs(hits) do
    if n >= MAX_UNITS then break end
    if not seen[h.unit] and (h.def or n == 0 or hits[1].def == false) then
      seen[h.unit] = true
      n = n + 1
      out[#out + 1] = indent(clean(h.unit), "  ")
    end
  end
  local ex
  for _, h in ipairs(hits) do
    ex = example(h.sec, short)
    if ex then break end
  end
  local home = PAGES[key:match("^[^%.]+")] or {}
  if not ex then
    for _, sec in ipairs(entries().sections) do
      if home[sec.page] then ex = example(sec, short) end
      if ex then break end
    end
  end
  if ex then
    local lines = {}
    for l in (ex .. "\n"):gmatch("(.-)\n") do
      if #lines >= MAX_EXAMPLE_LINES then lines[#lines + 1] = "..." break end
      lines[#lines + 1] = l
    end
    out[#out + 1] = "Example:"
    out[#out + 1] = indent(table.concat(lines, "\n"), "  ")
  end
  return table.concat(out, "\n")
end

-- }======================================================================

-- {======================================================================
-- What a value is called
-- ======================================================================

local function module_list()
  local mods = {}
  for _, m in ipairs(MODULES) do
    local ok, t = pcall(function() return _G[m[1]] end)
    if ok and type(t) == "table" then mods[#mods + 1] = {m[1], t} end
  end
  return mods
end

-- Every public name of every module, with its value: functions, classes and
-- submodules' functions; plt.Axes.* and plt.Figure.* for the methods of axes
-- and figures. Used by help(f) and by the coverage test. With namespaces,
-- also the functions of capitalised plain tables (seis.PhaseNet.pretrained),
-- which the coverage and argument tests take for classes.
function H.public(namespaces)
  local out = {}
  local function walk(prefix, t, depth, seen)
    if seen[t] then return end
    seen[t] = true
    for _, k in ipairs(util.public_names(t)) do
      local v = rawget(t, k)
      local key = prefix .. "." .. k
      if type(v) == "function" then out[#out + 1] = {key, v}
      elseif type(v) == "table" then
        local mt = getmetatable(v)
        if mt and mt.__call then
          out[#out + 1] = {key, v}                               -- a class: ml.SVC
          -- a class that lists its methods (seis.Trace): seis.Trace.copy ...
          local methods = rawget(mt, "__methods")
          if depth < 2 and type(methods) == "table" then walk(key, methods, depth + 1, seen) end
        elseif depth < 2 and (k:match("^%l") or k == "Axes" or k == "Figure" or (namespaces and mt == nil)) then
          walk(key, v, depth + 1, seen)
        end
      end
    end
  end
  for _, m in ipairs(module_list()) do walk(m[1], m[2], 1, {}) end
  return out
end

local by_value
local function name_of(v)
  if not by_value then
    by_value = {}
    for _, p in ipairs(H.public(true)) do
      if by_value[p[2]] == nil then by_value[p[2]] = p[1] end
    end
  end
  return by_value[v]
end

-- A method of a class that H.public lists (seis.Trace's tr:filter):
-- "seis.Trace.filter", found in the class's __index table.
local function method_name(f)
  if type(f) ~= "function" then return nil end
  for _, p in ipairs(H.public()) do
    local mt = type(p[2]) == "table" and getmetatable(p[2])
    local idx = mt and rawget(mt, "__index")
    if type(idx) == "table" then
      for _, k in ipairs(util.sorted_keys(idx)) do
        if rawequal(rawget(idx, k), f) then return p[1] .. "." .. k end
      end
    end
  end
  return nil
end

-- The key of an object: its class or kind.
local function key_of_object(x)
  local tx = type(x)
  if tx == "userdata" then
    local mt = getmetatable(x)
    if mt and mt.__name == "geolab.Array" then return "np.array" end
    return nil
  end
  if tx ~= "table" then return nil end
  local mt = getmetatable(x)
  if not mt then return nil end
  local nm = rawget(mt, "__name") or rawget(mt, "_name")
  if type(nm) ~= "string" then return nil end
  if nm == "geolab.DataFrame" then return "pd.DataFrame" end
  if nm == "geolab.Series" then return "pd.Series" end
  if rawget(mt, "_params") then return "ml." .. nm end        -- an estimator
  if nm:match("^seis%.") and H.entry(nm) then return nm end   -- seis.Trace, seis.Stream
  if nm:match("^nn%.") and H.entry(nm) then return nm end     -- layers, nn.Tensor
  local cls = nm:match("^geolab%.(.+)$") or nm
  for _, k in ipairs{"ml." .. cls, "spatial." .. cls, "stats." .. cls, "plt." .. cls} do
    if H.entry(k) then return k end
  end
  return nil
end

-- }======================================================================

local function list_modules()
  local out = {"geolab modules (help(np), help(np.linspace), help(\"pd.read_csv\"), help(model)):"}
  for _, m in ipairs(MODULES) do
    out[#out + 1] = ("  %-8s %s"):format(m[1], m[2])
  end
  out[#out + 1] = "The manual: docs/*.md; for Python habits, docs/from-python.md."
  return table.concat(out, "\n")
end

local function list_module(name, t)
  local fns = {}
  for _, p in ipairs(H.public()) do
    if p[1]:sub(1, #name + 1) == name .. "." then fns[#fns + 1] = p[1]:sub(#name + 2) end
  end
  local desc = ""
  for _, m in ipairs(MODULES) do if m[1] == name then desc = " - " .. m[2] end end
  local out = {name .. desc}
  local line = " "
  for _, f in ipairs(fns) do
    if #line + #f + 1 > 78 then out[#out + 1] = line; line = " " end
    line = line .. " " .. f
  end
  out[#out + 1] = line
  out[#out + 1] = ('help(%s.NAME) or help("%s.NAME") for one of them.'):format(name, name)
  return table.concat(out, "\n"), t
end

-- H.text(x) -> the text help(x) prints.
function H.text(x, ...)
  if select("#", ...) > 0 then error("help: takes one argument (a function, an object or a name)", 3) end
  if x == nil then return list_modules() end
  local key
  if type(x) == "string" then
    key = x:gsub("^%?", ""):gsub("%(.*$", ""):gsub("%s+", "")
    key = key:gsub("^array%.", "np."):gsub("^frame%.", "pd."):gsub("^plot%.", "plt.")
    key = key:gsub("^ax:", "plt.Axes."):gsub("^fig:", "plt.Figure.")
    for _, m in ipairs(module_list()) do
      if key == m[1] then return (list_module(m[1], m[2])) end
    end
  else
    for _, m in ipairs(module_list()) do
      if rawequal(x, m[2]) then return (list_module(m[1], m[2])) end
    end
    key = name_of(x) or key_of_object(x) or method_name(x)
    if not key then
      return ("help: no manual entry for this %s; help() lists the modules"):format(type(x))
    end
  end
  local e = H.entry(key)
  if e then return e end
  -- pyplot's shortcuts act on the current axes or figure
  local short = key:match("^plt%.([%w_]+)$")
  if short then
    for _, cls in ipairs{"Axes", "Figure"} do
      e = H.entry("plt." .. cls .. "." .. short)
      if e then
        return ("plt.%s(...) is %s:%s(...) on the current %s (plt.gca(), plt.gcf()):\n%s"):format(
          short, cls == "Axes" and "ax" or "fig", short, cls == "Axes" and "axes" or "figure", e)
      end
    end
  end
  -- a method of a class: its class entry (ml.SVC.fit -> ml.SVC)
  local cls = key:match("^(.+)%.[^%.]+$")
  if cls and cls:find("%.") then
    e = H.entry(cls)
    if e then return e end
  end
  local near = {}
  for _, p in ipairs(H.public()) do near[#near + 1] = p[1] end
  local n = util.nearest(key, near)
  return ("help: no manual entry for '%s'%s"):format(key, n and (" (did you mean " .. n .. "?)") or "")
end

-- help(x): prints the entry.
function H.help(...)
  print(H.text(...))
end

return H
