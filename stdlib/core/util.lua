-- util.lua: helpers shared by the Lua fronts (geolab.util): "did you mean"
-- suggestions and option-table checks, so every module words them alike.
-- Lua twin of gl_nearest_name/gl_check_options in stdlib/gl_util.c.
local util = {}

-- None: Python's None where Lua's nil cannot stand, e.g. as a value in an
-- options table ({max_depth = None} would otherwise drop the key) or in the
-- table get_params returns. Printed as "None"; the global None is this value.
util.None = setmetatable({}, {__name = "None", __tostring = function() return "None" end,
  __newindex = function() error("None is read-only", 2) end})

-- Levenshtein distance. Strings over 60 bytes are never close (column names
-- read from files can be long; the cost is quadratic).
function util.distance(a, b)
  local la, lb = #a, #b
  if la > 60 or lb > 60 then return 99 end
  local prev = {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    local cur = {[0] = i}
    local ca = a:byte(i)
    for j = 1, lb do
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca == b:byte(j) and 0 or 1))
    end
    prev = cur
  end
  return prev[lb]
end

-- util.nearest(word, names[, limit[, case]]): the closest of names (a list; the
-- first wins a tie) to word, or nil when it is more than limit edits away.
-- Default limit max(2, #word // 3) (ml, plt); pd and spatial pass #word // 3 + 1
-- (as C's gl_nearest_name). Case is ignored unless case is true.
function util.nearest(word, names, limit, case)
  limit = limit or math.max(2, #word // 3)
  local w = case and word or word:lower()
  local best, bd = nil, math.huge
  for _, n in ipairs(names) do
    local s = tostring(n)
    local d = util.distance(w, case and s or s:lower())
    if d < bd then best, bd = n, d end
  end
  if best and bd <= limit then return best end
  return nil
end

-- The keys of t, sorted (so suggestions from a set do not depend on hashing).
function util.sorted_keys(t)
  local k = {}
  for n in pairs(t) do k[#k + 1] = n end
  table.sort(k)
  return k
end

-- util.check_options(opts, allowed, fname[, level[, how]]) -> opts, or {} for nil.
-- Raises "<fname>: unknown option 'x' (did you mean 'y'?)" for a key not
-- allowed. allowed is a list (suggestions in its order) or a set {name = true}
-- (suggestions in sorted order). level is error()'s, seen from the caller; 0 for
-- no position. how keeps each front's historic rules (tests assert the texts):
--   how.notable  format of the "not a table" error, given fname and the type
--   how.strict   suggest as pd and C do (case kept, #k // 3 + 1 edits)
--   how.skip     ignore keys that are not strings (plt options tables)
function util.check_options(opts, allowed, fname, level, how)
  level = level or 1
  level = level > 0 and level + 1 or 0
  how = how or {}
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error((how.notable or "%s: options must be a table, got %s"):format(fname, type(opts)), level)
  end
  local set, names = allowed, nil
  if allowed[1] ~= nil then
    set, names = {}, allowed
    for _, n in ipairs(allowed) do set[n] = true end
  end
  for k in pairs(opts) do
    if not set[k] and not (how.skip and type(k) ~= "string") then
      local near
      if type(k) == "string" then
        names = names or util.sorted_keys(set)
        if how.strict then near = util.nearest(k, names, #k // 3 + 1, true)
        else near = util.nearest(k, names) end
      end
      error(("%s: unknown option '%s'%s"):format(fname, tostring(k),
        near and (" (did you mean '" .. near .. "'?)") or ""), level)
    end
  end
  return opts
end

return util
