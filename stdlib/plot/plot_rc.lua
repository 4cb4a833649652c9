-- plot_rc.lua: plt.rcParams and plt.style: matplotlib's run-time settings
-- that plt reads (a figure copies them when it is created, as matplotlib
-- does), and the named styles that set several at once, with the values of
-- matplotlib 3.6's style sheets.
local util = require "geolab.util"

local R = {}

local TAB10 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

-- Every key plt reads, with matplotlib's default value and a kind for checking.
local DEFAULTS = {
  ["figure.figsize"] = {{6.4, 4.8}, "pair"}, ["figure.dpi"] = {100, "posnum"},
  ["figure.facecolor"] = {"white", "color"}, ["figure.titlesize"] = {"large", "fontsize"},
  ["font.size"] = {10, "posnum"},
  ["lines.linewidth"] = {1.5, "nonneg"}, ["lines.markersize"] = {6, "nonneg"},
  ["lines.linestyle"] = {"-", "string"}, ["lines.marker"] = {"None", "string"},
  ["axes.grid"] = {false, "boolean"}, ["axes.grid.axis"] = {"both", "gridaxis"},
  ["axes.facecolor"] = {"white", "color"}, ["axes.edgecolor"] = {"black", "color"},
  ["axes.labelcolor"] = {"black", "color"}, ["axes.linewidth"] = {0.8, "nonneg"},
  ["axes.prop_cycle"] = {TAB10, "colors"}, ["axes.titlesize"] = {"large", "fontsize"},
  ["axes.labelsize"] = {"medium", "fontsize"}, ["axes.xmargin"] = {0.05, "margin"},
  ["axes.ymargin"] = {0.05, "margin"}, ["axes.axisbelow"] = {"line", "any"},
  ["axes.titlecolor"] = {"auto", "color_or_auto"},
  ["grid.color"] = {"#b0b0b0", "color"}, ["grid.linestyle"] = {"-", "string"},
  ["grid.linewidth"] = {0.8, "nonneg"}, ["grid.alpha"] = {1.0, "unit"},
  ["xtick.color"] = {"black", "color"}, ["ytick.color"] = {"black", "color"},
  ["xtick.labelsize"] = {"medium", "fontsize"}, ["ytick.labelsize"] = {"medium", "fontsize"},
  ["text.color"] = {"black", "color"},
  ["savefig.dpi"] = {"figure", "dpi"}, ["savefig.facecolor"] = {"auto", "color_or_auto"},
  ["savefig.transparent"] = {false, "boolean"},
  ["image.cmap"] = {"viridis", "string"},
  ["legend.frameon"] = {true, "boolean"}, ["legend.fontsize"] = {"medium", "fontsize"},
  ["legend.loc"] = {"best", "string"}, ["legend.framealpha"] = {0.8, "unit"},
  ["legend.markerscale"] = {1.0, "posnum"},
  ["patch.facecolor"] = {"C0", "color"}, ["patch.edgecolor"] = {"black", "color"},
  ["patch.force_edgecolor"] = {false, "boolean"},
}
R.DEFAULTS = DEFAULTS

local KEYS = util.sorted_keys(DEFAULTS)

-- matplotlib's relative font sizes (font_manager.font_scalings).
local SCALINGS = {["xx-small"] = 0.579, ["x-small"] = 0.694, small = 0.833, medium = 1.0,
                  large = 1.2, ["x-large"] = 1.44, ["xx-large"] = 1.728, larger = 1.2, smaller = 0.833}
R.SCALINGS = SCALINGS

local function check_value (key, v, fname, level)
  local kind = DEFAULTS[key][2]
  local function bad (what)
    error(("%s: %s must be %s, got %s"):format(fname, key, what, tostring(v)), level + 1)
  end
  if kind == "pair" then
    if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" or v[1] <= 0 or v[2] <= 0 then
      bad("{width, height} in inches, both positive")
    end
    return {v[1], v[2]}
  elseif kind == "posnum" then if type(v) ~= "number" or v <= 0 then bad("a positive number") end
  elseif kind == "nonneg" then if type(v) ~= "number" or v < 0 then bad("a number >= 0") end
  elseif kind == "unit" then if type(v) ~= "number" or v < 0 or v > 1 then bad("a number in [0, 1]") end
  elseif kind == "margin" then if type(v) ~= "number" or v <= -0.5 then bad("a number greater than -0.5") end
  elseif kind == "boolean" then if type(v) ~= "boolean" then bad("true or false") end
  elseif kind == "string" then if type(v) ~= "string" then bad("a string") end
  elseif kind == "gridaxis" then if v ~= "both" and v ~= "x" and v ~= "y" then bad("'both', 'x' or 'y'") end
  elseif kind == "fontsize" then
    if not ((type(v) == "number" and v > 0) or SCALINGS[v]) then bad("a size in points or one of 'xx-small' .. 'xx-large'") end
  elseif kind == "dpi" then if v ~= "figure" and not (type(v) == "number" and v > 0) then bad("'figure' or a positive number") end
  elseif kind == "color" or kind == "color_or_auto" then
    if not (type(v) == "string" or (type(v) == "table" and type(v[1]) == "number")) then bad("a colour") end
    if kind == "color" and v == "auto" then bad("a colour") end
  elseif kind == "colors" then
    if type(v) ~= "table" or #v == 0 then bad("a non-empty list of colours") end
    local t = {}
    for i, c in ipairs(v) do t[i] = c end
    return t
  end
  return v
end

local current = {}
local function reset ()
  for k, d in pairs(DEFAULTS) do
    local v = d[1]
    if type(v) == "table" then local t = {}; for i, x in ipairs(v) do t[i] = x end; v = t end
    current[k] = v
  end
end
reset()
R.current = current   -- plain values, for plt's own reads

local function check_key (k, fname, level)
  if DEFAULTS[k] == nil then
    local near = util.nearest(tostring(k), KEYS)
    error(("%s: unknown key '%s'%s"):format(fname, tostring(k),
          near and (" (did you mean '" .. near .. "'?)") or " (see plt.rcParams for the keys geolab knows)"), level + 1)
  end
end

-- plt.rcParams: a checked view of `current`.
R.params = setmetatable({}, {
  __index = function (_, k) check_key(k, "plt.rcParams", 2); return current[k] end,
  __newindex = function (_, k, v)
    check_key(k, "plt.rcParams", 2)
    -- the colour check needs plot_style, which needs this module: resolve late
    if R.check_color and (DEFAULTS[k][2] == "color" or (DEFAULTS[k][2] == "color_or_auto" and v ~= "auto")) then
      local ok, err = pcall(R.check_color, v, "plt.rcParams: " .. k)
      if not ok then error((tostring(err):gsub("^[^:]*:%d+: ", "")), 2) end
    end
    current[k] = check_value(k, v, "plt.rcParams", 2)
  end,
  __pairs = function () return next, current, nil end,
  __tostring = function ()
    local t = {}
    for _, k in ipairs(KEYS) do
      local v = current[k]
      if type(v) == "table" then
        local parts = {}
        for i, x in ipairs(v) do parts[i] = type(x) == "string" and ("'" .. x .. "'") or tostring(x) end
        v = "{" .. table.concat(parts, ", ") .. "}"
      elseif type(v) == "string" then v = "'" .. v .. "'" end
      t[#t + 1] = ("%s: %s"):format(k, tostring(v))
    end
    return "RcParams{\n  " .. table.concat(t, ",\n  ") .. "}"
  end,
})

-- {===== styles (matplotlib 3.6 mpl-data/stylelib, the keys plt reads)

local STYLES = {
  default = {},
  ggplot = {
    ["axes.edgecolor"] = "white", ["axes.facecolor"] = "#E5E5E5", ["axes.grid"] = true,
    ["axes.labelcolor"] = "#555555", ["axes.labelsize"] = "large", ["axes.linewidth"] = 1.0,
    ["axes.prop_cycle"] = {"#E24A33", "#348ABD", "#988ED5", "#777777", "#FBC15E", "#8EBA42", "#FFB5B8"},
    ["axes.titlesize"] = "x-large", ["axes.axisbelow"] = true, ["figure.facecolor"] = "white",
    ["font.size"] = 10, ["grid.color"] = "white", ["grid.linestyle"] = "-",
    ["patch.edgecolor"] = "#EEEEEE", ["patch.facecolor"] = "#348ABD",
    ["xtick.color"] = "#555555", ["ytick.color"] = "#555555",
  },
  bmh = {
    ["axes.edgecolor"] = "#bcbcbc", ["axes.facecolor"] = "#eeeeee", ["axes.grid"] = true,
    ["axes.labelsize"] = "large",
    ["axes.prop_cycle"] = {"#348ABD", "#A60628", "#7A68A6", "#467821", "#D55E00", "#CC79A7", "#56B4E9",
                           "#009E73", "#F0E442", "#0072B2"},
    ["axes.titlesize"] = "x-large", ["grid.color"] = "#b2b2b2", ["grid.linestyle"] = "--",
    ["grid.linewidth"] = 0.5, ["lines.linewidth"] = 2.0, ["patch.edgecolor"] = "#eeeeee",
    ["patch.facecolor"] = "blue",
  },
  dark_background = {
    ["axes.edgecolor"] = "white", ["axes.facecolor"] = "black", ["axes.labelcolor"] = "white",
    ["axes.prop_cycle"] = {"#8dd3c7", "#feffb3", "#bfbbd9", "#fa8174", "#81b1d2", "#fdb462", "#b3de69",
                           "#bc82bd", "#ccebc4", "#ffed6f"},
    ["figure.facecolor"] = "black", ["grid.color"] = "white", ["patch.edgecolor"] = "white",
    ["savefig.facecolor"] = "black", ["text.color"] = "white", ["xtick.color"] = "white",
    ["ytick.color"] = "white",
  },
  ["seaborn-v0_8"] = {
    ["axes.axisbelow"] = true, ["axes.edgecolor"] = "white", ["axes.facecolor"] = "#EAEAF2",
    ["axes.grid"] = true, ["axes.labelcolor"] = ".15", ["axes.labelsize"] = 11, ["axes.linewidth"] = 0,
    ["axes.prop_cycle"] = {"#4C72B0", "#55A868", "#C44E52", "#8172B2", "#CCB974", "#64B5CD"},
    ["axes.titlesize"] = 12, ["figure.facecolor"] = "white", ["figure.figsize"] = {8, 5.5},
    ["grid.color"] = "white", ["grid.linestyle"] = "-", ["grid.linewidth"] = 1.0, ["image.cmap"] = "Greys",
    ["legend.fontsize"] = 10, ["legend.frameon"] = false, ["lines.linewidth"] = 1.75,
    ["lines.markersize"] = 7, ["patch.facecolor"] = "#4C72B0", ["text.color"] = ".15",
    ["xtick.color"] = ".15", ["xtick.labelsize"] = 10, ["ytick.color"] = ".15", ["ytick.labelsize"] = 10,
  },
  classic = {
    ["axes.axisbelow"] = false, ["axes.edgecolor"] = "k", ["axes.facecolor"] = "w", ["axes.grid"] = false,
    ["axes.labelcolor"] = "k", ["axes.labelsize"] = "medium", ["axes.linewidth"] = 1.0,
    ["axes.prop_cycle"] = {"b", "g", "r", "c", "m", "y", "k"}, ["axes.titlesize"] = "large",
    ["axes.xmargin"] = 0, ["axes.ymargin"] = 0, ["figure.dpi"] = 80, ["figure.facecolor"] = "0.75",
    ["figure.figsize"] = {8, 6}, ["font.size"] = 12, ["grid.alpha"] = 1.0, ["grid.color"] = "k",
    ["grid.linestyle"] = ":", ["grid.linewidth"] = 0.5, ["image.cmap"] = "jet", ["legend.fontsize"] = "large",
    ["legend.frameon"] = true, ["legend.loc"] = "upper right", ["legend.framealpha"] = 1.0,
    ["lines.linewidth"] = 1.0, ["lines.markersize"] = 6, ["patch.edgecolor"] = "k",
    ["patch.facecolor"] = "b", ["patch.force_edgecolor"] = true, ["savefig.dpi"] = 100,
    ["savefig.facecolor"] = "w", ["text.color"] = "k", ["xtick.color"] = "k", ["xtick.labelsize"] = "medium",
    ["ytick.color"] = "k", ["ytick.labelsize"] = "medium",
  },
}
STYLES.seaborn = nil
R.available = util.sorted_keys(STYLES)

-- plt.style.use(name | {name, ...} | {key = value}): "default" restores
-- matplotlib's defaults first; other styles change only their own keys.
local function use (style, fname)
  local list = type(style) == "table" and style[1] ~= nil and style or {style}
  local todo = {}
  for _, st in ipairs(list) do
    if type(st) == "table" then
      for k, v in pairs(st) do check_key(k, fname, 2); todo[#todo + 1] = {k, check_value(k, v, fname, 2)} end
    elseif st == "default" then todo[#todo + 1] = "default"
    elseif type(st) == "string" and STYLES[st] then
      for k, v in pairs(STYLES[st]) do todo[#todo + 1] = {k, v} end
    else
      local hint = st == "seaborn" and " (matplotlib 3.6 renamed it 'seaborn-v0_8')" or ""
      local near = not hint:find("renamed") and util.nearest(tostring(st), R.available)
      error(("%s: unknown style '%s'%s%s; available: %s"):format(fname, tostring(st), hint,
            near and (" (did you mean '" .. near .. "'?)") or "", table.concat(R.available, ", ")), 2)
    end
  end
  -- everything was checked: now apply
  for _, t in ipairs(todo) do
    if t == "default" then reset() else
      local v = t[2]
      if type(v) == "table" then local c = {}; for i, x in ipairs(v) do c[i] = x end; v = c end
      current[t[1]] = v
    end
  end
end
function R.use (style) return use(style, "plt.style.use") end

-- with plt.style.context(name, function () ... end): the style for one block.
function R.context (style, fn)
  if type(fn) ~= "function" then
    error("plt.style.context: give the block as a function: plt.style.context(name, function () ... end)", 2)
  end
  local saved = {}
  for k, v in pairs(current) do saved[k] = v end
  use(style, "plt.style.context")   -- checks everything before it changes anything
  local ok, err = pcall(fn)
  for k in pairs(current) do current[k] = saved[k] end
  if not ok then error(err, 0) end
end

function R.defaults () reset() end

-- Copy of the current settings (a figure keeps its own).
function R.snapshot ()
  local t = {}
  for k, v in pairs(current) do t[k] = v end
  return t
end

-- A font size (points or "large"...) in points for base size `base`.
function R.fontsize (v, base)
  if type(v) == "number" then return v end
  return (SCALINGS[v] or 1) * base
end

-- =====}

return R
