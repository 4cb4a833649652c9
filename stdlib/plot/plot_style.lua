-- plot_style.lua: colours, line styles, colormap names and option checking for plt.
local core = require "geolab.plot_core"
local util = require "geolab.util"

local S = {}
local R = require "geolab.plot_rc"
S.R = R
S.rc = R.current   -- the live settings; a figure copies them when created

local CYCLE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}
S.CYCLE = CYCLE

-- matplotlib's base colours, tableau names and the CSS names students use most.
local NAMED = {
  b = "#0000ff", g = "#008000", r = "#ff0000", c = "#00bfbf", m = "#bf00bf", y = "#bfbf00",
  k = "#000000", w = "#ffffff",
  ["tab:blue"] = CYCLE[1], ["tab:orange"] = CYCLE[2], ["tab:green"] = CYCLE[3], ["tab:red"] = CYCLE[4],
  ["tab:purple"] = CYCLE[5], ["tab:brown"] = CYCLE[6], ["tab:pink"] = CYCLE[7], ["tab:gray"] = CYCLE[8],
  ["tab:grey"] = CYCLE[8], ["tab:olive"] = CYCLE[9], ["tab:cyan"] = CYCLE[10],
  black = "#000000", white = "#ffffff", red = "#ff0000", green = "#008000", blue = "#0000ff",
  yellow = "#ffff00", cyan = "#00ffff", magenta = "#ff00ff", gray = "#808080", grey = "#808080",
  orange = "#ffa500", purple = "#800080", brown = "#a52a2a", pink = "#ffc0cb", olive = "#808000",
  navy = "#000080", teal = "#008080", maroon = "#800000", lime = "#00ff00", aqua = "#00ffff",
  fuchsia = "#ff00ff", silver = "#c0c0c0", gold = "#ffd700", indigo = "#4b0082", violet = "#ee82ee",
  darkblue = "#00008b", darkred = "#8b0000", darkgreen = "#006400", darkgray = "#a9a9a9",
  darkgrey = "#a9a9a9", darkorange = "#ff8c00", darkviolet = "#9400d3", lightblue = "#add8e6",
  lightgreen = "#90ee90", lightgray = "#d3d3d3", lightgrey = "#d3d3d3", lightcoral = "#f08080",
  skyblue = "#87ceeb", steelblue = "#4682b4", royalblue = "#4169e1", crimson = "#dc143c",
  salmon = "#fa8072", tomato = "#ff6347", coral = "#ff7f50", khaki = "#f0e68c", tan = "#d2b48c",
  chocolate = "#d2691e", sienna = "#a0522d", peru = "#cd853f", beige = "#f5f5dc", ivory = "#fffff0",
  forestgreen = "#228b22", seagreen = "#2e8b57", limegreen = "#32cd32", turquoise = "#40e0d0",
  slategray = "#708090", slategrey = "#708090", dimgray = "#696969", dimgrey = "#696969",
  firebrick = "#b22222", orchid = "#da70d6", plum = "#dda0dd", lavender = "#e6e6fa",
  wheat = "#f5deb3", midnightblue = "#191970", deepskyblue = "#00bfff", dodgerblue = "#1e90ff",
  cornflowerblue = "#6495ed", mediumseagreen = "#3cb371", darkslategray = "#2f4f4f",
  goldenrod = "#daa520", hotpink = "#ff69b4", deeppink = "#ff1493", none = "none",
}
S.NAMED = NAMED

S.nearest = util.nearest   -- "did you mean" suggestions

local sorted_keys = util.sorted_keys

local function hex (s)
  local r, g, b, a = s:match("^#(%x%x)(%x%x)(%x%x)(%x?%x?)$")
  if r then
    return {tonumber(r, 16) / 255, tonumber(g, 16) / 255, tonumber(b, 16) / 255, a ~= "" and tonumber(a, 16) / 255 or 1}
  end
  r, g, b = s:match("^#(%x)(%x)(%x)$")
  if r then return {tonumber(r .. r, 16) / 255, tonumber(g .. g, 16) / 255, tonumber(b .. b, 16) / 255, 1} end
  return nil
end

-- S.rgba(c[, alpha, fname]): colour spec -> {r, g, b, a} in 0..1, or nil for "none".
-- Accepts "C0".."C9", names, "#rrggbb[aa]", "#rgb", grey levels as strings
-- ("0.8"), and {r, g, b[, a]} tables (0..1).
function S.rgba (c, alpha, fname)
  fname = fname or "plt"
  local out
  if type(c) == "table" and type(c[1]) == "number" then
    if #c < 3 then error(fname .. ": colour table needs 3 or 4 numbers", 3) end
    for i = 1, #c do
      if c[i] < 0 or c[i] > 1 then error(("%s: RGBA values should be within 0-1 range (got %g)"):format(fname, c[i]), 3) end
    end
    out = {c[1], c[2], c[3], c[4] or 1}
  elseif type(c) == "string" then
    local s = c
    local n = s:match("^C(%d+)$")
    if n then
      -- "CN": the N-th colour of the current cycle (matplotlib wraps around)
      local cyc = S.rc["axes.prop_cycle"]
      out = S.rgba(cyc[tonumber(n) % #cyc + 1], nil, fname)
    elseif s:sub(1, 1) == "#" then
      out = hex(s)
      if not out then error(("%s: invalid hex colour '%s'"):format(fname, s), 3) end
    elseif tonumber(s) then
      local v = tonumber(s)
      if v < 0 or v > 1 then error(("%s: grey level '%s' must be within 0-1"):format(fname, s), 3) end
      out = {v, v, v, 1}
    else
      local h = NAMED[s] or NAMED[s:lower()]
      if h == "none" then return nil end
      if not h then
        local near = S.nearest(s, sorted_keys(NAMED))
        error(("%s: unknown colour '%s'%s"):format(fname, s, near and (" (did you mean '" .. near .. "'?)") or ""), 3)
      end
      out = hex(h)
    end
  else
    error(("%s: colour expected, got %s"):format(fname, type(c)), 3)
  end
  if alpha then out[4] = out[4] * alpha end
  return out
end

-- Dash patterns in units of the line width (matplotlib's lines.*_pattern, scaled).
local DASHES = {["--"] = {3.7, 1.6}, [":"] = {1, 1.65}, ["-."] = {6.4, 1.6, 1, 1.6},
                dashed = {3.7, 1.6}, dotted = {1, 1.65}, dashdot = {6.4, 1.6, 1, 1.6}}
function S.dash (ls, lw_px, fname)
  if ls == nil or ls == "-" or ls == "solid" then return nil end
  if ls == "" or ls == "none" or ls == "None" or ls == " " then return false end
  local d = DASHES[ls]
  if type(ls) == "table" then d = ls end
  if not d then error(("%s: unknown linestyle '%s' (use '-', '--', ':', '-.')"):format(fname or "plot", tostring(ls)), 3) end
  local out = {}
  for i, v in ipairs(d) do out[i] = v * math.max(lw_px, 1e-3) end
  return out
end

-- Format strings like "r--o": colour, line style, marker.
local MARKERS = "o.,sD^v<>*+xdph|_"
S.MARKERS = MARKERS
function S.parse_fmt (fmt)
  local color, ls, marker
  local i = 1
  while i <= #fmt do
    local two = fmt:sub(i, i + 1)
    local c = fmt:sub(i, i)
    if two == "--" or two == "-." then ls = two; i = i + 2
    elseif c == "-" or c == ":" then ls = c; i = i + 1
    elseif c == "C" and fmt:sub(i + 1, i + 1):match("%d") then color = fmt:sub(i, i + 1); i = i + 2
    elseif MARKERS:find(c, 1, true) and not (c == "." and false) then marker = c; i = i + 1
    elseif NAMED[c] and #c == 1 then color = c; i = i + 1
    else error(("plot: unrecognized character '%s' in format string '%s'"):format(c, fmt), 3) end
  end
  if marker and not ls then ls = "none" end
  return color, ls, marker
end

-- {===== colormaps

local CMAPS = {}
for _, n in ipairs(core.cmap_names()) do CMAPS[n] = true end
function S.cmap_names ()
  local t = {}
  for n in pairs(CMAPS) do t[#t + 1] = n; t[#t + 1] = n .. "_r" end
  table.sort(t)
  return t
end

-- "viridis_r" -> "viridis", true; raises with a suggestion for unknown names.
function S.cmap (name, fname)
  name = name or S.rc["image.cmap"]
  if type(name) == "table" and name.name then return name.name, name.reverse end
  local base, rev = name, false
  if not CMAPS[base] and base:sub(-2) == "_r" then base, rev = base:sub(1, -3), true end
  if not CMAPS[base] then
    local near = S.nearest(name, S.cmap_names())
    error(("%s: unknown colormap '%s'%s"):format(fname or "plt", name, near and (" (did you mean '" .. near .. "'?)") or ""), 3)
  end
  return base, rev
end

-- =====}

-- S.check(fname, opts, allowed): unknown keys raise "fname: unknown option 'x' (did you mean 'y'?)".
-- Non-string keys pass: some plt calls take positional values in opts.
local PLT_OPTS = {notable = "%s: options table expected, got %s", skip = true}
function S.check (fname, opts, allowed)
  opts = util.check_options(opts, allowed, fname, 3, PLT_OPTS)
  return opts
end

function S.set (list)
  local t = {}
  for w in list:gmatch("[%w_]+") do t[w] = true end
  return t
end

R.check_color = function (v, fname) S.rgba(v, nil, fname) end

return S
